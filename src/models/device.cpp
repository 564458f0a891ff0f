// Device/dtype parsing and runtime initialisation.
#include "models/device.h"

#include <ATen/Parallel.h>
#include <ATen/Context.h>

#include <sched.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "acestep/error.h"

namespace acestep {

namespace {
std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}
}  // namespace

bool cuda_available() { return at::hasCUDA(); }

at::Device parse_device(const std::string& s_in) {
    const std::string s = lower(s_in);
    if (s.empty() || s == "auto") return cuda_available() ? at::Device(at::kCUDA, 0) : at::Device(at::kCPU);
    if (s == "cpu") return at::Device(at::kCPU);
    if (s.rfind("cuda", 0) == 0) {
        int index = 0;
        if (s.size() > 4) {
            if (s[4] != ':' || s.size() == 5) throw Error("device '" + s_in + "': expected cpu, cuda or cuda:N");
            for (size_t i = 5; i < s.size(); ++i)
                if (!std::isdigit((unsigned char)s[i])) throw Error("device '" + s_in + "': expected cpu, cuda or cuda:N");
            index = std::stoi(s.substr(5));
        }
        if (!cuda_available())
            throw Error("device '" + s_in + "': this build has no CUDA support or no NVIDIA GPU is visible "
                        "(build against a CUDA LibTorch, see README; or use --device cpu)");
        return at::Device(at::kCUDA, (c10::DeviceIndex)index);
    }
    throw Error("device '" + s_in + "': expected cpu, cuda, cuda:N or auto");
}

at::ScalarType parse_dtype(const std::string& s_in, const at::Device& device) {
    const std::string s = lower(s_in);
    if (s.empty() || s == "auto") return fast_dtype(device);
    if (s == "fp32" || s == "float32" || s == "float") return at::kFloat;
    if (s == "bf16" || s == "bfloat16") return at::kBFloat16;
    if (s == "fp16" || s == "float16" || s == "half") {
        if (!device.is_cuda()) throw Error("dtype fp16 needs a GPU (LibTorch has no CPU fp16 kernels); use bf16 or fp32");
        return at::kHalf;
    }
    throw Error("dtype '" + s_in + "': expected fp32, bf16, fp16 or auto");
}

std::string dtype_label(at::ScalarType t) {
    switch (t) {
        case at::kFloat: return "fp32";
        case at::kBFloat16: return "bf16";
        case at::kHalf: return "fp16";
        default: return c10::toString(t);
    }
}

bool cpu_has_fast_bf16() {
    static const bool fast = [] {
        if (const char* e = std::getenv("ACESTEP_CPU_BF16"); e && *e) return std::string(e) != "0";
        std::ifstream in("/proc/cpuinfo");
        std::string line;
        while (std::getline(in, line)) {
            if (line.rfind("flags", 0) != 0) continue;
            std::istringstream words(line.substr(line.find(':') == std::string::npos ? 0 : line.find(':') + 1));
            std::string w;
            while (words >> w)
                if (w == "avx512_bf16" || w == "amx_bf16") return true;
            return false;  // the first CPU's flags are representative
        }
        return false;
    }();
    return fast;
}

at::ScalarType fast_dtype(const at::Device& device) {
    if (device.is_cuda()) return at::kBFloat16;
    return cpu_has_fast_bf16() ? at::kBFloat16 : at::kFloat;
}

int available_cores() {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) == 0) {
        const int n = CPU_COUNT(&set);
        if (n > 0) return n;
    }
    return (int)std::max(1u, std::thread::hardware_concurrency());
}

void set_flush_denormal_all_threads(bool on) {
    at::globalContext().setFlushDenormal(on);
    // One chunk per pool thread (grain 1): each sets its own MXCSR.
    const int64_t n = at::get_num_threads();
    if (n > 1) at::parallel_for(0, n, 1, [on](int64_t, int64_t) { at::globalContext().setFlushDenormal(on); });
}

void init_runtime(int threads) {
    const int n = threads > 0 ? threads : available_cores();
    // LibTorch's default on some VMs is 1 thread (cpuinfo miscounts cores); OpenBLAS follows it.
    if (at::get_num_threads() != n) at::set_num_threads(n);
    set_flush_denormal_all_threads(true);
    at::globalContext().setBenchmarkCuDNN(false);
    at::globalContext().setDeterministicCuDNN(true);
    at::globalContext().setAllowTF32CuBLAS(true);
}

}  // namespace acestep
