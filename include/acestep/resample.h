// Band-limited resampler identical to torchaudio.functional.resample with its defaults
// (resampling_method="sinc_interp_hann", lowpass_filter_width=6, rolloff=0.99).
//
// The kernel is built in float64 and stored as float32 exactly as torchaudio does; the polyphase
// convolution runs on the zero-padded signal (width left, width + orig right) with stride `orig`,
// phases interleaved, and the output is cut to ceil(new * n / orig) samples.
// 44.1 kHz -> 48 kHz: gcd 300 -> 147:160, width 7, kernel [160, 161].
#pragma once

#include <cstdint>
#include <vector>

#include "acestep/audio_io.h"

namespace acestep {

struct SincResampleKernel {
    int64_t orig = 0, next = 0;  // reduced rates (divided by their gcd)
    int64_t width = 0;
    int64_t taps = 0;            // 2 * width + orig
    std::vector<float> weights;  // [next][taps]
};

SincResampleKernel make_sinc_resample_kernel(int64_t orig_sr, int64_t new_sr, int lowpass_filter_width = 6,
                                             double rolloff = 0.99);
int64_t resampled_length(int64_t n, int64_t orig_sr, int64_t new_sr);

// One channel. Uses up to `threads` threads for long signals (0 = hardware concurrency).
std::vector<float> resample(const float* x, int64_t n, int64_t orig_sr, int64_t new_sr, int threads = 0);
Audio resample(const Audio& in, int new_sr, int threads = 0);

}  // namespace acestep
