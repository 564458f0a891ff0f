// Measuring helpers for acestep-bench (see bench_util.h).
#include "bench_util.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#ifdef ACESTEP_HAS_CUDA
#include <ATen/cuda/CUDAContext.h>
#endif

namespace acestep::bench {

double now_s() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

double cpu_s() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return (double)u.ru_utime.tv_sec + (double)u.ru_stime.tv_sec + 1e-6 * (double)(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

double time_median(const std::function<void()>& fn, int reps, int warmup) {
    for (int i = 0; i < warmup; ++i) fn();
    std::vector<double> t;
    for (int i = 0; i < std::max(1, reps); ++i) {
        const double t0 = now_s();
        fn();
        t.push_back(now_s() - t0);
    }
    std::sort(t.begin(), t.end());
    return t[t.size() / 2];
}

double peak_rss_gib() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return (double)u.ru_maxrss / (1024.0 * 1024.0);  // KiB on Linux
}

double current_rss_gib() {
    std::ifstream in("/proc/self/statm");
    long pages = 0, resident = 0;
    in >> pages >> resident;
    return (double)resident * (double)sysconf(_SC_PAGESIZE) / (1024.0 * 1024.0 * 1024.0);
}

double mem_available_gib() {
    std::ifstream in("/proc/meminfo");
    std::string key;
    long kb = 0;
    std::string unit;
    while (in >> key >> kb >> unit)
        if (key == "MemAvailable:") return (double)kb / (1024.0 * 1024.0);
    return -1;
}

std::string load_average() {
    std::ifstream in("/proc/loadavg");
    std::string a, b, c;
    in >> a >> b >> c;
    return a + " " + b + " " + c;
}

std::string cpu_model() {
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("model name", 0) == 0) {
            auto p = line.find(':');
            return p == std::string::npos ? line : line.substr(p + 2);
        }
    return "unknown";
}

void sync(at::Device device) {
#ifdef ACESTEP_HAS_CUDA
    if (device.is_cuda()) at::cuda::getCurrentCUDAStream().synchronize();
#else
    (void)device;
#endif
}

double matmul_gflops(int64_t n, at::ScalarType dtype, at::Device device, int reps) {
    const auto opt = at::TensorOptions().dtype(dtype).device(device);
    const at::Tensor a = at::randn({n, n}, opt), b = at::randn({n, n}, opt);
    at::Tensor c = at::matmul(a, b);  // warm-up (oneDNN primitive creation, page faults)
    sync(device);
    double best = 1e30;
    for (int i = 0; i < reps; ++i) {
        const double t0 = now_s();
        c = at::matmul(a, b);
        sync(device);
        best = std::min(best, now_s() - t0);
    }
    return 2.0 * (double)n * n * n / best / 1e9;
}

double linear_gflops(int64_t m, int64_t k, int64_t n, at::ScalarType dtype, at::Device device, int reps) {
    const auto opt = at::TensorOptions().dtype(dtype).device(device);
    const at::Tensor x = at::randn({1, m, k}, opt), w = at::randn({n, k}, opt), bias = at::randn({n}, opt);
    at::Tensor y = at::linear(x, w, bias);
    sync(device);
    double best = 1e30;
    for (int i = 0; i < reps; ++i) {
        const double t0 = now_s();
        y = at::linear(x, w, bias);
        sync(device);
        best = std::min(best, now_s() - t0);
    }
    return 2.0 * (double)m * k * n / best / 1e9;
}

double dit_pass_flops(const DitConfig& c, int64_t B, int64_t S, int64_t S_enc, bool with_cross_kv) {
    const double C = (double)c.inner_dim(), F = std::floor(C * c.mlp_ratio), H = (double)c.num_attention_heads,
                 D = (double)c.attention_head_dim, E = (double)c.in_channels * 256;
    const double ph = (double)c.patch_size[0], pw = (double)c.patch_size[1];
    // Per latent token and block: self q,k,v,out + cross q,out; GLUMBConv 1×1 in, depthwise k=3, 1×1 out;
    // the linear-attention core ([V;1]·K then ·Q); cross-attention scores and values.
    const double per_token = 6 * C * C + C * 2 * F + 2 * F * 3 + F * C + H * (D + 1) * D * 2 + 2 * C * (double)S_enc;
    double macs = (double)c.num_layers * ((double)S * per_token + (with_cross_kv ? (double)S_enc * 2 * C * C : 0.0));
    macs += (double)S * (E * c.in_channels * ph * pw + C * E);  // patch embedding
    macs += (double)S * C * ph * pw * c.out_channels;           // final linear
    macs += 256 * C + C * C + 6 * C * C;                         // timestep MLPs, t_block
    return 2.0 * macs * (double)B;
}

double rel_l2(const at::Tensor& a, const at::Tensor& b) {
    const at::Tensor x = a.detach().to(at::kCPU).to(at::kDouble), y = b.detach().to(at::kCPU).to(at::kDouble);
    if (x.sizes() != y.sizes()) return INFINITY;
    const double den = y.norm().item<double>();
    const double num = (x - y).norm().item<double>();
    return den == 0 ? (num == 0 ? 0.0 : INFINITY) : num / den;
}

}  // namespace acestep::bench
