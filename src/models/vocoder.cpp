// ADaMoSHiFiGANV1 (music_vocoder): ConvNeXt-1D backbone + HiFi-GAN head, fp32 (see vocoder.h).
#include "models/vocoder.h"

#include <filesystem>

#include "acestep/error.h"

namespace acestep {

namespace {

constexpr double kLnEps = 1e-6;

void require(bool ok, const std::string& what) {
    if (!ok) throw Error("music_vocoder: " + what);
}

at::Tensor take_f32(TensorSource& src, const std::string& key, std::vector<int64_t> shape, at::Device device) {
    at::Tensor t = src.take(key, shape);
    if (t.scalar_type() != at::kFloat || t.device() != device) t = t.to(device, at::kFloat);
    return t;
}

}  // namespace

// ---- layers -----------------------------------------------------------------------------------------

at::Tensor Vocoder::Conv::operator()(const at::Tensor& x) const {
    if (transpose) return at::conv_transpose1d(x, w, b, {stride}, {pad}, {0}, groups, {dil});
    return at::conv1d(x, w, b, {stride}, {pad}, {dil}, groups);
}

at::Tensor Vocoder::LayerNormCF::operator()(const at::Tensor& x) const {
    const at::Tensor u = x.mean(1, /*keepdim=*/true);
    const at::Tensor s = (x - u).pow(2).mean(1, /*keepdim=*/true);
    const at::Tensor y = (x - u) / at::sqrt(s + kLnEps);
    return w.unsqueeze(1) * y + b.unsqueeze(1);
}

// ---- loading ----------------------------------------------------------------------------------------

Vocoder::Vocoder(const VocoderConfig& cfg) : cfg_(cfg) {
    require(!cfg.depths.empty() && cfg.depths.size() == cfg.dims.size(), "config depths and dims must have the same, non-zero length");
    require(cfg.kernel_sizes.size() == 1,
            "config kernel_sizes must hold one kernel size (ParallelConvNeXtBlock is not used by the released vocoder)");
    require(cfg.num_mels == cfg.dims.back(), "config num_mels (" + std::to_string(cfg.num_mels) +
                                                 ") must equal the last backbone width dims[-1] (" +
                                                 std::to_string(cfg.dims.back()) + ")");
    require(!cfg.upsample_rates.empty() && cfg.upsample_rates.size() == cfg.upsample_kernel_sizes.size(),
            "config upsample_rates and upsample_kernel_sizes must have the same, non-zero length");
    int64_t prod = 1;
    for (auto u : cfg.upsample_rates) {
        require(u > 0, "config upsample_rates must be positive");
        prod *= u;
    }
    require(prod == cfg.hop_length, "product of upsample_rates (" + std::to_string(prod) + ") must equal hop_length (" +
                                        std::to_string(cfg.hop_length) + ")");
    require((cfg.upsample_initial_channel >> cfg.upsample_rates.size()) > 0 &&
                cfg.upsample_initial_channel % (int64_t(1) << cfg.upsample_rates.size()) == 0,
            "config upsample_initial_channel must be divisible by 2^" + std::to_string(cfg.upsample_rates.size()));
    require(!cfg.resblock_kernel_sizes.empty() && cfg.resblock_kernel_sizes.size() == cfg.resblock_dilation_sizes.size(),
            "config resblock_kernel_sizes and resblock_dilation_sizes must have the same, non-zero length");
    for (const auto& d : cfg.resblock_dilation_sizes) require(d.size() == 3, "config resblock_dilation_sizes entries must hold 3 dilations");
    require(!cfg.use_template, "use_template=true is not supported");
}

Vocoder::Conv Vocoder::take_wn_conv(TensorSource& src, const std::string& key, std::vector<int64_t> v_shape, int64_t pad,
                                    int64_t dil, int64_t stride, bool transpose) {
    Conv c;
    const at::Tensor v = take_f32(src, key + ".weight_v", v_shape, device_);
    const at::Tensor g = take_f32(src, key + ".weight_g", {v_shape[0], 1, 1}, device_);
    c.w = at::_weight_norm(v, g, 0);  // g · v / ‖v‖ over every dim but 0 (legacy weight_norm, dim=0)
    c.b = take_f32(src, key + ".bias", {transpose ? v_shape[1] : v_shape[0]}, device_);
    c.pad = pad;
    c.dil = dil;
    c.stride = stride;
    c.transpose = transpose;
    return c;
}

void Vocoder::load_params(TensorSource& src) {
    const auto& c = cfg_;
    const int64_t ks = c.kernel_sizes[0];
    stages_.resize(c.depths.size());
    for (size_t i = 0; i < c.depths.size(); ++i) {
        Stage& s = stages_[i];
        const std::string p = "backbone.channel_layers." + std::to_string(i) + ".";
        if (i == 0) {
            s.conv.w = take_f32(src, p + "0.weight", {c.dims[0], c.input_channels, 7}, device_);
            s.conv.b = take_f32(src, p + "0.bias", {c.dims[0]}, device_);
            s.norm.w = take_f32(src, p + "1.weight", {c.dims[0]}, device_);
            s.norm.b = take_f32(src, p + "1.bias", {c.dims[0]}, device_);
        } else {
            s.norm.w = take_f32(src, p + "0.weight", {c.dims[i - 1]}, device_);
            s.norm.b = take_f32(src, p + "0.bias", {c.dims[i - 1]}, device_);
            s.conv.w = take_f32(src, p + "1.weight", {c.dims[i], c.dims[i - 1], 1}, device_);
            s.conv.b = take_f32(src, p + "1.bias", {c.dims[i]}, device_);
        }
        const int64_t d = c.dims[i], h = 4 * d;
        s.blocks.resize(c.depths[i]);
        for (int64_t j = 0; j < c.depths[i]; ++j) {
            ConvNeXt& b = s.blocks[j];
            const std::string q = "backbone.stages." + std::to_string(i) + "." + std::to_string(j) + ".";
            b.dw.w = take_f32(src, q + "dwconv.weight", {d, 1, ks}, device_);
            b.dw.b = take_f32(src, q + "dwconv.bias", {d}, device_);
            b.dw.pad = (ks - 1) / 2;
            b.dw.groups = d;
            b.ln_w = take_f32(src, q + "norm.weight", {d}, device_);
            b.ln_b = take_f32(src, q + "norm.bias", {d}, device_);
            b.pw1.weight = take_f32(src, q + "pwconv1.weight", {h, d}, device_);
            b.pw1.bias = take_f32(src, q + "pwconv1.bias", {h}, device_);
            b.pw2.weight = take_f32(src, q + "pwconv2.weight", {d, h}, device_);
            b.pw2.bias = take_f32(src, q + "pwconv2.bias", {d}, device_);
            b.gamma = take_f32(src, q + "gamma", {d}, device_);
        }
    }
    norm_.w = take_f32(src, "backbone.norm.weight", {c.dims.back()}, device_);
    norm_.b = take_f32(src, "backbone.norm.bias", {c.dims.back()}, device_);

    const int64_t uic = c.upsample_initial_channel;
    conv_pre_ = take_wn_conv(src, "head.conv_pre", {uic, c.num_mels, c.pre_conv_kernel_size}, (c.pre_conv_kernel_size - 1) / 2, 1,
                             1, false);
    const size_t nk = c.resblock_kernel_sizes.size();
    for (size_t i = 0; i < c.upsample_rates.size(); ++i) {
        const int64_t cin = uic >> i, cout = uic >> (i + 1), u = c.upsample_rates[i], k = c.upsample_kernel_sizes[i];
        ups_.push_back(take_wn_conv(src, "head.ups." + std::to_string(i), {cin, cout, k}, (k - u) / 2, 1, u, true));
        for (size_t j = 0; j < nk; ++j) {
            ResBlock1 rb;
            const int64_t rk = c.resblock_kernel_sizes[j];
            const std::string p = "head.resblocks." + std::to_string(i * nk + j) + ".";
            for (int n = 0; n < 3; ++n) {
                const int64_t dil = c.resblock_dilation_sizes[j][n];
                rb.convs1.push_back(take_wn_conv(src, p + "convs1." + std::to_string(n), {cout, cout, rk}, (rk * dil - dil) / 2, dil, 1, false));
                rb.convs2.push_back(take_wn_conv(src, p + "convs2." + std::to_string(n), {cout, cout, rk}, (rk - 1) / 2, 1, 1, false));
            }
            resblocks_.push_back(std::move(rb));
        }
    }
    const int64_t ch = uic >> c.upsample_rates.size();
    conv_post_ = take_wn_conv(src, "head.conv_post", {1, ch, c.post_conv_kernel_size}, (c.post_conv_kernel_size - 1) / 2, 1, 1, false);
    // Persistent buffers of mel_transform: the official module loads them with the weights.
    if (src.has("mel_transform.spectrogram.window"))
        mel_window_ = take_f32(src, "mel_transform.spectrogram.window", {c.win_length}, device_);
    if (src.has("mel_transform.mel_scale.fb"))
        mel_fb_ = take_f32(src, "mel_transform.mel_scale.fb", {c.n_fft / 2 + 1, c.n_mels}, device_);
}

Vocoder Vocoder::load(const VocoderConfig& cfg, TensorSource& src) {
    Vocoder v(cfg);
    v.device_ = src.device();
    v.load_params(src);
    src.report_unused();
    return v;
}

Vocoder Vocoder::load_folder(const std::string& folder, at::Device device) {
    const std::filesystem::path dir(folder);
    ComponentPaths p{dir, dir / "config.json", dir / "diffusion_pytorch_model.safetensors"};
    return load(p, device);
}

Vocoder Vocoder::load(const ComponentPaths& paths, at::Device device) {
    const VocoderConfig cfg = load_vocoder_config(paths.config.string());
    Weights w = Weights::open(paths.weights.string(), at::kFloat, device);
    WeightsSource src(w);
    return load(cfg, src);
}

int64_t Vocoder::hop_length() const {
    int64_t p = 1;
    for (auto u : cfg_.upsample_rates) p *= u;
    return p;
}

int64_t Vocoder::parameter_count() const {
    int64_t n = 0;
    auto add = [&](const at::Tensor& t) { n += t.defined() ? t.numel() : 0; };
    auto conv = [&](const Conv& c) { add(c.w); add(c.b); };
    for (const auto& s : stages_) {
        conv(s.conv);
        add(s.norm.w), add(s.norm.b);
        for (const auto& b : s.blocks) {
            conv(b.dw);
            add(b.ln_w), add(b.ln_b), add(b.pw1.weight), add(b.pw1.bias), add(b.pw2.weight), add(b.pw2.bias), add(b.gamma);
        }
    }
    add(norm_.w), add(norm_.b);
    conv(conv_pre_), conv(conv_post_);
    for (const auto& u : ups_) conv(u);
    for (const auto& r : resblocks_) {
        for (const auto& c : r.convs1) conv(c);
        for (const auto& c : r.convs2) conv(c);
    }
    return n;
}

// ---- forward ----------------------------------------------------------------------------------------

at::Tensor Vocoder::backbone(const at::Tensor& mel) const {
    at::Tensor x = mel;
    for (size_t i = 0; i < stages_.size(); ++i) {
        const Stage& s = stages_[i];
        if (i == 0) {
            x = s.norm(s.conv(at::replication_pad1d(x, {3, 3})));  // Conv1d(padding=3, padding_mode="replicate")
        } else {
            x = s.conv(s.norm(x));
        }
        for (const ConvNeXt& b : s.blocks) {
            const at::Tensor input = x;
            at::Tensor y = b.dw(x).permute({0, 2, 1});
            y = at::layer_norm(y, {y.size(-1)}, b.ln_w, b.ln_b, kLnEps);
            y = b.pw2(at::gelu(b.pw1(y)));
            y = (b.gamma * y).permute({0, 2, 1});
            x = input + y;
        }
    }
    return norm_(x);
}

at::Tensor Vocoder::head(const at::Tensor& in) const {
    at::Tensor x = conv_pre_(in);
    const size_t nk = cfg_.resblock_kernel_sizes.size();
    for (size_t i = 0; i < ups_.size(); ++i) {
        x = ups_[i](at::silu(x));
        at::Tensor xs;
        for (size_t j = 0; j < nk; ++j) {
            at::Tensor r = x;
            const ResBlock1& rb = resblocks_[i * nk + j];
            for (size_t n = 0; n < rb.convs1.size(); ++n) {
                at::Tensor t = rb.convs2[n](at::silu(rb.convs1[n](at::silu(r))));
                r = t + r;
            }
            if (!xs.defined()) xs = r;
            else xs += r;
        }
        x = xs / (double)nk;
    }
    return at::tanh(conv_post_(at::silu(x)));
}

at::Tensor Vocoder::decode(const at::Tensor& mel_in) const {
    require(mel_in.defined() && at::isFloatingType(mel_in.scalar_type()), "decode: mel must be a floating-point tensor");
    at::Tensor mel = mel_in.dim() == 2 ? mel_in.unsqueeze(0) : mel_in;
    require(mel.dim() == 3 && mel.size(1) == cfg_.input_channels,
            "decode: mel must be [N, " + std::to_string(cfg_.input_channels) + ", T], got " + shape_str(mel_in.sizes()));
    require(mel.size(2) > 0, "decode: mel has no frames");
    at::NoGradGuard ng;
    mel = mel.to(device_, at::kFloat);
    return head(backbone(mel));
}

}  // namespace acestep
