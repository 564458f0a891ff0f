// Audio front ends of ACE-Step's music_dcae: the vocoder's LogMelSpectrogram (music_log_mel.py, used by
// MusicDCAE.encode as `vocoder.mel_transform`) and torchaudio's sinc resampler as a tensor op, both op
// for op as the official code runs them (model.md §5.1, §6.4).
//
// LogMelSpectrogram: reflect-pad ((win-hop)/2, (win-hop+1)/2) -> STFT (center=False, periodic Hann,
// one-sided, not normalised) in fp32 -> sqrt(re² + im² + 1e-6) -> [.., n_mels, frames] = spec^T · fb
// (torchaudio melscale_fbanks, slaney scale + slaney norm) -> log(clamp(·, 1e-5)).  frames = N / hop
// for N a multiple of hop.
//
// Precision (quirk Q23): the official pipeline casts the module to its dtype, so the Hann window and the
// filterbank are *rounded* to that dtype; the STFT always runs in fp32 (LibTorch 1.13 CPU has no bf16
// stft/reflection pad), the magnitude is cast back to the compute dtype and the mel matmul + log run in
// it.  With dtype fp32 this is the fixture path exactly.  The filterbank is built with the same ATen ops
// as torchaudio (float32 linspace, index_put for the log branch) so it is bit-identical.
//
// Resampler: torchaudio.transforms.Resample (sinc_interp_hann, width 6, rolloff 0.99).  The kernel is
// computed as torchaudio does — float64 then stored fp32 when no dtype is given (the default), in the
// given dtype's arithmetic otherwise (the overlapped decode passes dtype=fp32) — then cast to the data
// dtype (the encode path's `.to(dtype)`), applied as a strided conv1d and cut to ceil(new·n/orig).
#pragma once

#include <ATen/ATen.h>

#include <cstdint>
#include <optional>

#include "acestep/config.h"

namespace acestep {

// torchaudio.functional.melscale_fbanks(n_freqs, f_min, f_max, n_mels, sample_rate, norm="slaney",
// mel_scale="slaney") -> [n_freqs, n_mels] float32 on CPU.
at::Tensor melscale_fbanks_slaney(int64_t n_freqs, double f_min, double f_max, int64_t n_mels, int64_t sample_rate);

class LogMelSpectrogram {
public:
    // Sizes from music_vocoder/config.json (sampling_rate, n_fft, win_length, hop_length, f_min, f_max,
    // n_mels).  `dtype` is the compute dtype (window and filterbank rounded to it).  `window` [win_length]
    // and `fb` [n_fft/2+1, n_mels] are the buffers stored in the checkpoint (the official module loads
    // them from its state dict); undefined = computed as torchaudio does (identical for the fixture).
    LogMelSpectrogram(const VocoderConfig& cfg, at::ScalarType dtype, at::Device device, const at::Tensor& window = {},
                      const at::Tensor& fb = {});

    // audio [N] or [B, N] or [B, 1, N] (any float dtype; N > (win-hop)/2 for the reflect pad)
    // -> log-mel [B, n_mels, frames] in the compute dtype (B dropped for a 1-D input).
    at::Tensor operator()(const at::Tensor& audio) const;

    int64_t frames(int64_t n) const;  // output frames for N input samples
    int64_t hop_length() const { return hop_; }
    int64_t n_mels() const { return n_mels_; }
    int64_t sample_rate() const { return sr_; }
    at::ScalarType dtype() const { return dtype_; }
    at::Device device() const { return device_; }
    const at::Tensor& window() const { return window_; }          // [win], values rounded to dtype, fp32
    const at::Tensor& filterbank() const { return fb_; }          // [n_fft/2+1, n_mels], dtype

private:
    int64_t sr_, n_fft_, win_, hop_, n_mels_;
    at::ScalarType dtype_;
    at::Device device_;
    at::Tensor window_, fb_;
};

// torchaudio's _get_sinc_resample_kernel for rates orig_sr -> new_sr: [new/gcd, 1, 2·width + orig/gcd].
// dtype nullopt = torchaudio's default (float64 arithmetic, float32 result).
at::Tensor sinc_resample_kernel(int64_t orig_sr, int64_t new_sr, std::optional<at::ScalarType> dtype, int64_t* width);

// torchaudio.transforms.Resample(orig_sr, new_sr, dtype=kernel_dtype) moved to x's device and dtype,
// applied to x [..., N] -> [..., ceil(N·new/orig)].  Identity (same tensor) when the rates are equal.
at::Tensor resample_audio(const at::Tensor& x, int64_t orig_sr, int64_t new_sr,
                          std::optional<at::ScalarType> kernel_dtype = std::nullopt);

}  // namespace acestep
