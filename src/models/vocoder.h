// Vocoder: ACE-Step's `music_vocoder` (official ADaMoSHiFiGANV1, Fish Audio's universal music vocoder),
// exact to the official checkpoint (model.md §6).  Mono in, mono out; stereo is two runs (or a batch
// of 2).
//
// decode(mel [N, 128, T]) = head(backbone(mel)) -> [N, 1, hop·T] at 44.1 kHz in [-1, 1]:
//   backbone: ConvNeXt-1D — stem Conv1d k7 (replicate pad) + channels-first LayerNorm, then per stage i
//             [channels-first LN + 1x1 Conv1d (i > 0)] and depths[i] ConvNeXt blocks (depthwise k7 ->
//             LayerNorm -> Linear 4x -> exact GELU -> Linear -> ·gamma -> +x); final channels-first LN.
//   head:     HiFi-GAN — conv_pre k13; per upsample i: SiLU, ConvTranspose1d (stride u, pad (k-u)/2),
//             mean of 4 ResBlock1 (kernels 3,7,11,13, dilations 1,3,5; SiLU before each conv); SiLU,
//             conv_post k13, tanh.
// Weight norm (legacy torch.nn.utils.weight_norm, dim 0, keys weight_g / weight_v) is folded once at load
// with at::_weight_norm, the op the reference's pre-forward hook runs (per output channel for Conv1d,
// per *input* channel for ConvTranspose1d whose weight is [C_in, C_out, k]).
//
// Precision: the vocoder always runs in fp32, whatever the pipeline dtype.  LibTorch 1.13 has no bf16
// conv_transpose1d on CPU (a oneDNN channel-check bug, build-notes §4), and fp32 is also the fixture's
// precision.  The official pipeline runs it in bf16 on GPU; the fp32 result is the more accurate one.
// decode() accepts a mel in any float dtype/device and returns fp32 on the vocoder's device.
#pragma once

#include <ATen/ATen.h>

#include <string>
#include <vector>

#include "acestep/checkpoint.h"
#include "acestep/config.h"
#include "models/mel.h"
#include "models/module.h"

namespace acestep {

class Vocoder {
public:
    // music_vocoder/config.json + diffusion_pytorch_model.safetensors; weights converted to fp32 on `device`.
    static Vocoder load_folder(const std::string& folder, at::Device device);
    static Vocoder load(const ComponentPaths& paths, at::Device device);
    // From any source (its dtype is ignored: tensors are converted to fp32).  Missing keys or wrong shapes
    // throw acestep::Error naming the source and the key; unknown keys are reported once on stderr.
    static Vocoder load(const VocoderConfig& cfg, TensorSource& src);

    // mel [N, n_mels, T] (or [n_mels, T]) natural-log magnitudes -> waveform [N, 1, hop·T] fp32.
    at::Tensor decode(const at::Tensor& mel) const;
    // The front end this vocoder was trained on (its mel_transform), in `dtype` (see mel.h).
    // Uses the checkpoint's `mel_transform.spectrogram.window` / `mel_transform.mel_scale.fb` buffers when stored.
    LogMelSpectrogram mel_transform(at::ScalarType dtype) const {
        return LogMelSpectrogram(cfg_, dtype, device_, mel_window_, mel_fb_);
    }

    const VocoderConfig& config() const { return cfg_; }
    at::Device device() const { return device_; }
    int64_t hop_length() const;  // product of the upsample rates (= config hop_length)
    int64_t parameter_count() const;

private:
    struct Conv {  // Conv1d / ConvTranspose1d with its (folded) weight
        at::Tensor w, b;
        int64_t stride = 1, pad = 0, dil = 1, groups = 1;
        bool transpose = false;
        at::Tensor operator()(const at::Tensor& x) const;
    };
    struct LayerNormCF {  // channels_first LayerNorm (manual formula)
        at::Tensor w, b;
        at::Tensor operator()(const at::Tensor& x) const;
    };
    struct ConvNeXt {
        Conv dw;
        at::Tensor ln_w, ln_b;
        Linear pw1, pw2;
        at::Tensor gamma;
    };
    struct Stage {
        Conv conv;          // stem conv (stage 0, replicate pad) or the 1x1 channel conv
        LayerNormCF norm;   // after the stem conv (stage 0) or before the 1x1 conv
        std::vector<ConvNeXt> blocks;
    };
    struct ResBlock1 {
        std::vector<Conv> convs1, convs2;
    };

    explicit Vocoder(const VocoderConfig& cfg);
    void load_params(TensorSource& src);
    Conv take_wn_conv(TensorSource& src, const std::string& key, std::vector<int64_t> v_shape, int64_t pad,
                      int64_t dil, int64_t stride, bool transpose);
    at::Tensor backbone(const at::Tensor& mel) const;
    at::Tensor head(const at::Tensor& x) const;

    VocoderConfig cfg_;
    at::Device device_{at::kCPU};
    std::vector<Stage> stages_;
    LayerNormCF norm_;
    Conv conv_pre_, conv_post_;
    std::vector<Conv> ups_;
    std::vector<ResBlock1> resblocks_;
    at::Tensor mel_window_, mel_fb_;  // stored front-end buffers (fp32), or undefined
};

}  // namespace acestep
