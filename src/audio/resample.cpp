// torchaudio-exact sinc (Hann window) resampler; see include/acestep/resample.h.
#include "acestep/resample.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <thread>

#include "acestep/error.h"

namespace acestep {

SincResampleKernel make_sinc_resample_kernel(int64_t orig_sr, int64_t new_sr, int lowpass_filter_width, double rolloff) {
    if (orig_sr <= 0 || new_sr <= 0)
        throw Error("resample: sample rates must be positive (" + std::to_string(orig_sr) + " -> " + std::to_string(new_sr) + ")");
    const int64_t g = std::gcd(orig_sr, new_sr);
    SincResampleKernel k;
    k.orig = orig_sr / g;
    k.next = new_sr / g;
    if (k.orig > 100000 || k.next > 100000)
        throw Error("resample: " + std::to_string(orig_sr) + " -> " + std::to_string(new_sr) + " Hz needs too large a kernel");
    const double lw = lowpass_filter_width;
    const double base = double(std::min(k.orig, k.next)) * rolloff;
    k.width = (int64_t)std::ceil(lw * double(k.orig) / base);
    k.taps = 2 * k.width + k.orig;
    k.weights.resize((size_t)(k.next * k.taps));
    const double scale = base / double(k.orig);
    for (int64_t p = 0; p < k.next; ++p) {
        // torchaudio: arange(0, -new, -1) / new is an int64 tensor divided into float32, then
        // promoted to float64 when the float64 index grid is added.
        const double phase = (double)(float)((double)(-p) / (double)k.next);
        for (int64_t j = 0; j < k.taps; ++j) {
            const double idx = double(j - k.width) / double(k.orig);
            double t = (phase + idx) * base;
            t = std::min(lw, std::max(-lw, t));
            double w = std::cos(t * M_PI / lw / 2.0);
            w = w * w;
            t *= M_PI;
            const double s = (t == 0.0) ? 1.0 : std::sin(t) / t;
            k.weights[(size_t)(p * k.taps + j)] = (float)(s * (w * scale));
        }
    }
    return k;
}

int64_t resampled_length(int64_t n, int64_t orig_sr, int64_t new_sr) {
    const int64_t g = std::gcd(orig_sr, new_sr);
    const int64_t o = orig_sr / g, m = new_sr / g;
    // torch.ceil(torch.as_tensor(new * length / orig)): a float64 quotient rounded to float32.
    const float q = (float)((double)(m * n) / (double)o);
    return (int64_t)std::ceil(q);
}

namespace {
inline float dot(const float* a, const float* b, int64_t n) {
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        s0 += a[i] * b[i];
        s1 += a[i + 1] * b[i + 1];
        s2 += a[i + 2] * b[i + 2];
        s3 += a[i + 3] * b[i + 3];
        s4 += a[i + 4] * b[i + 4];
        s5 += a[i + 5] * b[i + 5];
        s6 += a[i + 6] * b[i + 6];
        s7 += a[i + 7] * b[i + 7];
    }
    for (; i < n; ++i) s0 += a[i] * b[i];
    return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
}
}  // namespace

std::vector<float> resample(const float* x, int64_t n, int64_t orig_sr, int64_t new_sr, int threads) {
    if (orig_sr == new_sr) return std::vector<float>(x, x + n);
    const SincResampleKernel k = make_sinc_resample_kernel(orig_sr, new_sr);
    const int64_t out_len = resampled_length(n, orig_sr, new_sr);
    std::vector<float> padded((size_t)(n + 2 * k.width + k.orig), 0.0f);
    std::copy(x, x + n, padded.begin() + k.width);
    const int64_t frames = n / k.orig + 1;  // conv1d output length per phase
    std::vector<float> out((size_t)out_len);
    auto work = [&](int64_t f0, int64_t f1) {
        for (int64_t f = f0; f < f1; ++f) {
            const float* src = padded.data() + f * k.orig;
            for (int64_t p = 0; p < k.next; ++p) {
                const int64_t o = f * k.next + p;
                if (o >= out_len) return;
                out[(size_t)o] = dot(src, k.weights.data() + p * k.taps, k.taps);
            }
        }
    };
    int nt = threads > 0 ? threads : (int)std::max(1u, std::thread::hardware_concurrency());
    if (out_len * k.taps < (1 << 22)) nt = 1;
    if (nt <= 1) {
        work(0, frames);
    } else {
        std::vector<std::thread> pool;
        const int64_t chunk = (frames + nt - 1) / nt;
        for (int t = 0; t < nt; ++t) {
            const int64_t a = t * chunk, b = std::min(frames, a + chunk);
            if (a < b) pool.emplace_back(work, a, b);
        }
        for (auto& th : pool) th.join();
    }
    return out;
}

Audio resample(const Audio& in, int new_sr, int threads) {
    if (in.sample_rate == new_sr) return in;
    Audio out;
    out.sample_rate = new_sr;
    out.channels = in.channels;
    out.frames = resampled_length(in.frames, in.sample_rate, new_sr);
    out.samples.resize((size_t)out.channels * out.frames);
    for (int c = 0; c < in.channels; ++c) {
        auto ch = resample(in.channel(c), in.frames, in.sample_rate, new_sr, threads);
        std::copy(ch.begin(), ch.end(), out.channel(c));
    }
    return out;
}

}  // namespace acestep
