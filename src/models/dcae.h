// AutoencoderDC: the mel autoencoder of ACE-Step (`music_dcae_f8c8`, diffusers AutoencoderDC), encoder and
// decoder exact to diffusers' autoencoder_dc.py with the official checkpoint (model.md §5.3–§5.6).
//
// Both work on a stereo log-mel "image" [B, 2, 128 mel, T frames]; f8c8 = 8x down in mel and time, 8
// latent channels: z [B, 8, 16, T/8].
//   encoder: conv_in 3x3 -> per level i: layers_per_block[i] blocks (ResBlock or EfficientViTBlock, RMSNorm
//            + SiLU always) then DCDownBlock2d to the next width -> z = conv_out(h) + channel-group mean(h).
//   decoder: h = conv_in(z) + repeat_interleave(z) -> levels from the deepest up: DCUpBlock2d (nearest 2x
//            + conv, plus a pixel-shuffled channel repeat) then the blocks -> RMSNorm -> ReLU -> conv_out.
//   ResBlock:          x + RMSNorm(conv2(SiLU(conv1(x))))             (conv2 without bias)
//   EfficientViTBlock: x += RMSNorm(to_out(ReLU linear attention over [qkv | multiscale 5x5 qkv]));
//                      x += RMSNorm(conv_point(a · SiLU(g))), (a, g) = conv_depth(SiLU(conv_inverted(x)))
// Quirk Q28 reproduced literally: every 3·head_dim-channel group of the concatenated [to_q|to_k|to_v |
// multiscale] tensor is one head, q = its first head_dim channels, k the next, v the last.
// Precision: convolutions and linears run in the model dtype; RMS statistics and the linear-attention
// core in fp32 (as diffusers).  Every DCAE op has CPU bf16 kernels in LibTorch 1.13.
// The ACE-Step scaling (0.1786 / -1.9091) lives in MusicDcae, not here.
#pragma once

#include <ATen/ATen.h>

#include <string>
#include <vector>

#include "acestep/checkpoint.h"
#include "acestep/config.h"
#include "models/module.h"

namespace acestep {

class AutoencoderDC {
public:
    // music_dcae_f8c8/config.json + diffusion_pytorch_model.safetensors.
    static AutoencoderDC load_folder(const std::string& folder, at::ScalarType dtype, at::Device device);
    static AutoencoderDC load(const ComponentPaths& paths, at::ScalarType dtype, at::Device device);
    // From any source (weights in the source's dtype/device).  Missing keys / wrong shapes throw
    // acestep::Error naming the source and the key; unknown keys are reported once on stderr.
    static AutoencoderDC load(const DcaeConfig& cfg, TensorSource& src);

    // mel [B, in_channels, H, W] (H, W multiples of the total down factor) -> z [B, latent, H/f, W/f].
    at::Tensor encode(const at::Tensor& mel) const;
    // z [B, latent, h, w] -> mel [B, in_channels, h·f, w·f].
    at::Tensor decode(const at::Tensor& z) const;

    int64_t down_factor() const;  // 2^(levels-1) = 8 for f8c8
    const DcaeConfig& config() const { return cfg_; }
    at::ScalarType dtype() const { return dtype_; }
    at::Device device() const { return device_; }
    int64_t parameter_count() const;

    // Layer pieces (public so the .cpp helpers can take them; not an API).
    struct Conv2d {
        at::Tensor w, b;
        int64_t stride = 1, pad = 0, groups = 1;
        at::Tensor operator()(const at::Tensor& x) const;
    };
    struct RmsNorm {  // diffusers RMSNorm(eps 1e-5, affine, bias) over channels
        at::Tensor w, b;
        at::Tensor operator()(const at::Tensor& x) const;  // x [B, C, H, W]
    };
    enum class Act { SiLU, ReLU, GELU, Mish };
    struct Layer {
        enum Kind { Res, Vit, Down, Up } kind = Res;
        // ResBlock
        Conv2d conv1, conv2;
        RmsNorm norm;
        Act act = Act::SiLU;
        // EfficientViTBlock
        Linear to_q, to_k, to_v, to_out;
        std::vector<std::pair<Conv2d, Conv2d>> multiscale;  // proj_in (depthwise k x k), proj_out (1x1, grouped)
        RmsNorm attn_norm;
        Conv2d conv_inverted, conv_depth, conv_point;
        RmsNorm conv_norm;
        int64_t head_dim = 32;
        // DCDownBlock2d / DCUpBlock2d
        Conv2d conv;
        bool pixel = false;   // downsample=True (pixel_unshuffle) / interpolate=False (pixel_shuffle)
        int64_t group = 1;    // Down: shortcut group size;  Up: shortcut repeats
    };

private:
    explicit AutoencoderDC(const DcaeConfig& cfg);
    void load_params(TensorSource& src);
    static at::Tensor run(const Layer& l, const at::Tensor& x);

    DcaeConfig cfg_;
    at::ScalarType dtype_ = at::kFloat;
    at::Device device_{at::kCPU};
    // encoder
    Conv2d enc_conv_in_, enc_conv_out_;
    std::vector<std::vector<Layer>> down_;  // down_blocks.{i}.{j}
    // decoder
    Conv2d dec_conv_in_, dec_conv_out_;
    std::vector<std::vector<Layer>> up_;    // up_blocks.{i}.{j}
    RmsNorm dec_norm_out_;
    Act dec_conv_act_ = Act::ReLU;
};

}  // namespace acestep
