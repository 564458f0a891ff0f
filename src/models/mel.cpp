// Log-mel front end and tensor resampler, op for op as music_log_mel.py / torchaudio 0.13 (see mel.h).
#include "models/mel.h"

#include <cmath>
#include <numeric>

#include "acestep/error.h"
#include "acestep/resample.h"
#include "models/weights.h"

namespace acestep {

namespace {

// torchaudio _hz_to_mel(freq, "slaney") on a Python float.
double hz_to_mel_slaney(double freq) {
    const double f_sp = 200.0 / 3;
    double mels = (freq - 0.0) / f_sp;
    const double min_log_hz = 1000.0, min_log_mel = (min_log_hz - 0.0) / f_sp, logstep = std::log(6.4) / 27.0;
    if (freq >= min_log_hz) mels = min_log_mel + std::log(freq / min_log_hz) / logstep;
    return mels;
}

// torchaudio _mel_to_hz(mels, "slaney") on a float32 tensor.
at::Tensor mel_to_hz_slaney(const at::Tensor& mels) {
    const double f_sp = 200.0 / 3;
    at::Tensor freqs = mels * f_sp + 0.0;  // f_min + f_sp * mels
    const double min_log_hz = 1000.0, min_log_mel = (min_log_hz - 0.0) / f_sp, logstep = std::log(6.4) / 27.0;
    const at::Tensor log_t = mels >= min_log_mel;
    at::Tensor hi = at::exp((mels.index({log_t}) - min_log_mel) * logstep) * min_log_hz;
    freqs.index_put_({log_t}, hi);
    return freqs;
}

}  // namespace

at::Tensor melscale_fbanks_slaney(int64_t n_freqs, double f_min, double f_max, int64_t n_mels, int64_t sample_rate) {
    const auto f32 = at::TensorOptions().dtype(at::kFloat);
    const at::Tensor all_freqs = at::linspace(0, (double)(sample_rate / 2), n_freqs, f32);
    const double m_min = hz_to_mel_slaney(f_min), m_max = hz_to_mel_slaney(f_max);
    const at::Tensor m_pts = at::linspace(m_min, m_max, n_mels + 2, f32);
    const at::Tensor f_pts = mel_to_hz_slaney(m_pts);
    // _create_triangular_filterbank
    const at::Tensor f_diff = f_pts.slice(0, 1) - f_pts.slice(0, 0, -1);
    const at::Tensor slopes = f_pts.unsqueeze(0) - all_freqs.unsqueeze(1);
    const at::Tensor zero = at::zeros({1}, f32);
    const at::Tensor down = (slopes.slice(1, 0, -2) * -1.0) / f_diff.slice(0, 0, -1);
    const at::Tensor up = slopes.slice(1, 2) / f_diff.slice(0, 1);
    at::Tensor fb = at::max(zero, at::min(down, up));
    // slaney area normalisation
    const at::Tensor enorm = 2.0 / (f_pts.slice(0, 2, n_mels + 2) - f_pts.slice(0, 0, n_mels));
    fb *= enorm.unsqueeze(0);
    return fb;
}

LogMelSpectrogram::LogMelSpectrogram(const VocoderConfig& cfg, at::ScalarType dtype, at::Device device,
                                     const at::Tensor& window, const at::Tensor& fb)
    : sr_(cfg.sampling_rate),
      n_fft_(cfg.n_fft),
      win_(cfg.win_length),
      hop_(cfg.hop_length),
      n_mels_(cfg.n_mels),
      dtype_(dtype),
      device_(device) {
    if (n_fft_ <= 0 || win_ <= 0 || win_ > n_fft_ || hop_ <= 0 || n_mels_ <= 0 || sr_ <= 0 || win_ < hop_)
        throw Error("music_vocoder/config.json: inconsistent mel settings (n_fft " + std::to_string(n_fft_) +
                    ", win_length " + std::to_string(win_) + ", hop_length " + std::to_string(hop_) + ")");
    const double f_max = cfg.f_max > 0 ? cfg.f_max : (double)(sr_ / 2);  // `f_max or sample_rate // 2`
    // Buffers as the module holds them after `.to(dtype)`: rounded to dtype; the window is used by the
    // fp32 STFT, so it is kept as fp32 holding dtype-rounded values.
    if (window.defined() && (window.dim() != 1 || window.size(0) != win_))
        throw Error("log-mel spectrogram: stored window has shape " + shape_str(window.sizes()) + ", expected [" +
                    std::to_string(win_) + "]");
    if (fb.defined() && (fb.dim() != 2 || fb.size(0) != n_fft_ / 2 + 1 || fb.size(1) != n_mels_))
        throw Error("log-mel spectrogram: stored filterbank has shape " + shape_str(fb.sizes()) + ", expected [" +
                    std::to_string(n_fft_ / 2 + 1) + ", " + std::to_string(n_mels_) + "]");
    const at::Tensor w = window.defined() ? window : at::hann_window(win_, at::TensorOptions().dtype(at::kFloat));
    const at::Tensor f = fb.defined() ? fb : melscale_fbanks_slaney(n_fft_ / 2 + 1, cfg.f_min, f_max, n_mels_, sr_);
    window_ = w.to(dtype).to(device, at::kFloat);
    fb_ = f.to(dtype).to(device, dtype);
}

int64_t LogMelSpectrogram::frames(int64_t n) const {
    const int64_t padded = n + (win_ - hop_) / 2 + (win_ - hop_ + 1) / 2;
    return padded < n_fft_ ? 0 : 1 + (padded - n_fft_) / hop_;
}

at::Tensor LogMelSpectrogram::operator()(const at::Tensor& audio) const {
    if (!audio.defined() || !at::isFloatingType(audio.scalar_type()))
        throw Error("log-mel spectrogram: audio must be a floating-point tensor");
    at::Tensor y = audio;
    const bool one_d = y.dim() == 1;
    if (one_d) y = y.unsqueeze(0);
    if (y.dim() == 3) {
        if (y.size(1) != 1) throw Error("log-mel spectrogram: expected audio [B, 1, N], got " + shape_str(y.sizes()));
        y = y.squeeze(1);
    }
    if (y.dim() != 2) throw Error("log-mel spectrogram: expected audio [N], [B, N] or [B, 1, N], got " + shape_str(audio.sizes()));
    const int64_t pl = (win_ - hop_) / 2, pr = (win_ - hop_ + 1) / 2;
    if (y.size(1) <= std::max(pl, pr))
        throw Error("log-mel spectrogram: audio of " + std::to_string(y.size(1)) + " samples is too short (needs more than " +
                    std::to_string(std::max(pl, pr)) + ")");
    // The reference pads in the input dtype and then calls y.float(); padding copies values, so padding
    // the fp32 copy is identical (and works for bf16 on CPU).
    at::Tensor yf = y.to(device_, at::kFloat);
    yf = at::reflection_pad1d(yf.unsqueeze(1), {pl, pr}).squeeze(1);
    at::Tensor spec = at::stft(yf, n_fft_, hop_, win_, window_, /*normalized=*/false, /*onesided=*/true,
                               /*return_complex=*/true);
    spec = at::view_as_real(spec);
    spec = at::sqrt(spec.pow(2).sum(-1) + 1e-6);
    spec = spec.to(dtype_);  // `spec.to(dtype)`: the reference's input dtype is the module dtype
    at::Tensor mel = at::matmul(spec.transpose(-1, -2), fb_).transpose(-1, -2);
    mel = at::log(at::clamp(mel, 1e-5));
    return one_d ? mel.squeeze(0) : mel;
}

at::Tensor sinc_resample_kernel(int64_t orig_sr, int64_t new_sr, std::optional<at::ScalarType> dtype, int64_t* width_out) {
    if (orig_sr <= 0 || new_sr <= 0)
        throw Error("resample: sample rates must be positive, got " + std::to_string(orig_sr) + " -> " + std::to_string(new_sr));
    const int64_t g = std::gcd(orig_sr, new_sr);
    const int64_t orig = orig_sr / g, next = new_sr / g;
    const int64_t lw = 6;
    const double rolloff = 0.99;
    const double base = (double)std::min(orig, next) * rolloff;
    const int64_t width = (int64_t)std::ceil((double)(lw * orig) / base);
    const at::ScalarType idx_dtype = dtype ? *dtype : at::kDouble;
    const at::Tensor idx = at::arange(-width, width + orig, at::TensorOptions().dtype(idx_dtype)).view({1, 1, -1}) / orig;
    // dtype None: arange is int64 and the true division yields the default dtype (float32), as in Python.
    const at::Tensor ar = dtype ? at::arange(0, -next, -1, at::TensorOptions().dtype(*dtype))
                                : at::arange(0, -next, -1, at::TensorOptions().dtype(at::kLong));
    at::Tensor t = ar.view({-1, 1, 1}) / next + idx;
    t *= base;
    t = t.clamp_(-lw, lw);
    const at::Tensor window = at::cos(t * M_PI / lw / 2).pow(2);
    t *= M_PI;
    const double scale = base / orig;
    at::Tensor kernels = at::where(t == 0, at::ones({}, t.options()), t.sin() / t);
    kernels *= window * scale;
    if (!dtype) kernels = kernels.to(at::kFloat);
    if (width_out) *width_out = width;
    return kernels;
}

at::Tensor resample_audio(const at::Tensor& x, int64_t orig_sr, int64_t new_sr, std::optional<at::ScalarType> kernel_dtype) {
    if (orig_sr == new_sr) return x;
    if (!x.defined() || !at::isFloatingType(x.scalar_type()) || x.dim() < 1)
        throw Error("resample: expected a floating-point waveform [..., N]");
    int64_t width = 0;
    const at::Tensor kernel = sinc_resample_kernel(orig_sr, new_sr, kernel_dtype, &width).to(x.device(), x.scalar_type());
    const int64_t g = std::gcd(orig_sr, new_sr);
    const int64_t orig = orig_sr / g;
    const auto shape = x.sizes().vec();
    const int64_t length = shape.back();
    at::Tensor w = x.reshape({-1, length});
    const int64_t num = w.size(0);
    w = at::constant_pad_nd(w, {width, width + orig}, 0);
    at::Tensor r = at::conv1d(w.unsqueeze(1), kernel, {}, {orig});
    r = r.transpose(1, 2).reshape({num, -1});
    const int64_t target = resampled_length(length, orig_sr, new_sr);  // float32-rounded ceil, as torchaudio
    r = r.slice(-1, 0, target);
    std::vector<int64_t> out_shape(shape.begin(), shape.end() - 1);
    out_shape.push_back(r.size(-1));
    return r.view(out_shape);
}

}  // namespace acestep
