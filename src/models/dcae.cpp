// AutoencoderDC (music_dcae_f8c8): loading and the encoder/decoder forward, op for op as diffusers'
// autoencoder_dc.py + SanaMultiscaleLinearAttention + GLUMBConv (see dcae.h).
#include "models/dcae.h"

#include <filesystem>

#include "acestep/error.h"

namespace acestep {

namespace {

constexpr double kRmsEps = 1e-5;
constexpr double kAttnEps = 1e-15;

void require(bool ok, const std::string& what) {
    if (!ok) throw Error("music_dcae_f8c8: " + what);
}

AutoencoderDC::Act parse_act(const std::string& name) {
    if (name == "silu" || name == "swish") return AutoencoderDC::Act::SiLU;
    if (name == "relu") return AutoencoderDC::Act::ReLU;
    if (name == "gelu") return AutoencoderDC::Act::GELU;
    if (name == "mish") return AutoencoderDC::Act::Mish;
    throw Error("music_dcae_f8c8/config.json: unsupported activation '" + name + "'");
}

at::Tensor act(AutoencoderDC::Act a, const at::Tensor& x) {
    switch (a) {
        case AutoencoderDC::Act::SiLU: return at::silu(x);
        case AutoencoderDC::Act::ReLU: return at::relu(x);
        case AutoencoderDC::Act::GELU: return at::gelu(x);
        case AutoencoderDC::Act::Mish: return at::mish(x);
    }
    return x;
}

// The tensors of one source with the key prefix and shape bookkeeping.
struct Taker {
    TensorSource& src;
    at::Tensor operator()(const std::string& key, std::vector<int64_t> shape) const { return src.take(key, shape); }
    AutoencoderDC::Conv2d conv(const std::string& p, int64_t cout, int64_t cin_per_group, int64_t k, bool bias,
                               int64_t stride = 1, int64_t groups = 1) const {
        AutoencoderDC::Conv2d c;
        c.w = src.take(p + ".weight", {cout, cin_per_group, k, k});
        if (bias) c.b = src.take(p + ".bias", {cout});
        c.stride = stride;
        c.pad = k / 2;
        c.groups = groups;
        return c;
    }
    AutoencoderDC::RmsNorm norm(const std::string& p, int64_t c) const {
        return {src.take(p + ".weight", {c}), src.take(p + ".bias", {c})};
    }
};

AutoencoderDC::Layer res_block(const Taker& t, const std::string& p, int64_t c, AutoencoderDC::Act a) {
    AutoencoderDC::Layer l;
    l.kind = AutoencoderDC::Layer::Res;
    l.conv1 = t.conv(p + ".conv1", c, c, 3, true);
    l.conv2 = t.conv(p + ".conv2", c, c, 3, false);
    l.norm = t.norm(p + ".norm", c);
    l.act = a;
    return l;
}

AutoencoderDC::Layer vit_block(const Taker& t, const std::string& p, int64_t c, int64_t head_dim,
                               const std::vector<int64_t>& scales) {
    AutoencoderDC::Layer l;
    l.kind = AutoencoderDC::Layer::Vit;
    l.head_dim = head_dim;
    const int64_t heads = c / head_dim, inner = heads * head_dim;  // int(in_channels // head_dim * mult), mult 1
    l.to_q.weight = t(p + ".attn.to_q.weight", {inner, c});
    l.to_k.weight = t(p + ".attn.to_k.weight", {inner, c});
    l.to_v.weight = t(p + ".attn.to_v.weight", {inner, c});
    for (size_t m = 0; m < scales.size(); ++m) {
        const std::string q = p + ".attn.to_qkv_multiscale." + std::to_string(m);
        const int64_t ch = 3 * inner, k = scales[m];
        l.multiscale.emplace_back(t.conv(q + ".proj_in", ch, 1, k, false, 1, ch),
                                  t.conv(q + ".proj_out", ch, ch / (3 * heads), 1, false, 1, 3 * heads));
    }
    l.to_out.weight = t(p + ".attn.to_out.weight", {c, inner * (1 + (int64_t)scales.size())});
    l.attn_norm = t.norm(p + ".attn.norm_out", c);
    const int64_t hidden = 4 * c;  // GLUMBConv expand_ratio 4
    l.conv_inverted = t.conv(p + ".conv_out.conv_inverted", 2 * hidden, c, 1, true);
    l.conv_depth = t.conv(p + ".conv_out.conv_depth", 2 * hidden, 1, 3, true, 1, 2 * hidden);
    l.conv_point = t.conv(p + ".conv_out.conv_point", c, hidden, 1, false);
    l.conv_norm = t.norm(p + ".conv_out.norm", c);
    return l;
}

AutoencoderDC::Layer block(const Taker& t, const std::string& type, const std::string& p, int64_t c, int64_t head_dim,
                           const std::vector<int64_t>& scales, AutoencoderDC::Act a) {
    if (type == "ResBlock") return res_block(t, p, c, a);
    return vit_block(t, p, c, head_dim, scales);
}

}  // namespace

// ---- layers -----------------------------------------------------------------------------------------

at::Tensor AutoencoderDC::Conv2d::operator()(const at::Tensor& x) const {
    return at::conv2d(x, w, b, {stride, stride}, {pad, pad}, {1, 1}, groups);
}

at::Tensor AutoencoderDC::RmsNorm::operator()(const at::Tensor& x) const {
    at::Tensor h = x.movedim(1, -1);
    const at::Tensor var = h.to(at::kFloat).pow(2).mean(-1, /*keepdim=*/true);
    h = h * at::rsqrt(var + kRmsEps);
    if (w.scalar_type() == at::kHalf || w.scalar_type() == at::kBFloat16) h = h.to(w.scalar_type());
    h = h * w;
    h = h + b;
    return h.movedim(-1, 1);
}

at::Tensor AutoencoderDC::run(const Layer& l, const at::Tensor& x) {
    switch (l.kind) {
        case Layer::Res: {
            at::Tensor h = l.conv2(act(l.act, l.conv1(x)));
            return l.norm(h) + x;
        }
        case Layer::Vit: {
            // SanaMultiscaleLinearAttention (residual)
            const int64_t B = x.size(0), H = x.size(2), W = x.size(3);
            const bool linear = H * W > l.head_dim;
            const at::ScalarType dt = x.scalar_type();
            at::Tensor h = x.movedim(1, -1);
            h = at::cat({l.to_q(h), l.to_k(h), l.to_v(h)}, 3).movedim(-1, 1);
            std::vector<at::Tensor> ms{h};
            for (const auto& [pin, pout] : l.multiscale) ms.push_back(pout(pin(h)));
            h = at::cat(ms, 1);
            if (linear) h = h.to(at::kFloat);
            h = h.reshape({B, -1, 3 * l.head_dim, H * W});
            auto qkv = h.chunk(3, 2);
            const at::Tensor q = at::relu(qkv[0]), k = at::relu(qkv[1]);
            at::Tensor v = qkv[2];
            if (linear) {
                v = at::constant_pad_nd(v, {0, 0, 0, 1}, 1.0);
                const at::Tensor scores = at::matmul(v, k.transpose(-1, -2));
                at::Tensor o = at::matmul(scores, q).to(at::kFloat);
                o = o.slice(2, 0, -1) / (o.slice(2, -1) + kAttnEps);
                h = o.to(dt);
            } else {
                at::Tensor scores = at::matmul(k.transpose(-1, -2), q).to(at::kFloat);
                scores = scores / (scores.sum(2, /*keepdim=*/true) + kAttnEps);
                h = at::matmul(v, scores.to(v.scalar_type()));
            }
            h = h.reshape({B, -1, H, W});
            h = l.to_out(h.movedim(1, -1)).movedim(-1, 1);
            at::Tensor y = l.attn_norm(h) + x;
            // GLUMBConv (residual)
            at::Tensor u = at::silu(l.conv_inverted(y));
            u = l.conv_depth(u);
            auto ag = u.chunk(2, 1);
            u = ag[0] * at::silu(ag[1]);
            u = l.conv_point(u);
            return l.conv_norm(u) + y;
        }
        case Layer::Down: {
            at::Tensor h = l.conv(x);
            if (l.pixel) h = at::pixel_unshuffle(h, 2);
            at::Tensor y = at::pixel_unshuffle(x, 2);
            y = y.reshape({y.size(0), -1, l.group, y.size(2), y.size(3)}).mean(2);
            return h + y;
        }
        case Layer::Up: {
            at::Tensor h = l.pixel ? at::pixel_shuffle(l.conv(x), 2)
                                   : l.conv(at::upsample_nearest2d(x, {2 * x.size(2), 2 * x.size(3)}, 2.0, 2.0));
            at::Tensor y = at::pixel_shuffle(at::repeat_interleave(x, l.group, 1), 2);
            return h + y;
        }
    }
    return x;
}

// ---- loading ----------------------------------------------------------------------------------------

AutoencoderDC::AutoencoderDC(const DcaeConfig& c) : cfg_(c) {
    const size_t ne = c.encoder_block_out_channels.size(), nd = c.decoder_block_out_channels.size();
    require(ne > 0 && nd > 0, "config has no levels");
    require(c.encoder_layers_per_block.size() == ne && c.encoder_block_types.size() == ne && c.encoder_qkv_multiscales.size() == ne,
            "config encoder_* lists must have one entry per level");
    require(c.decoder_layers_per_block.size() == nd && c.decoder_block_types.size() == nd && c.decoder_qkv_multiscales.size() == nd &&
                c.decoder_norm_types.size() == nd && c.decoder_act_fns.size() == nd,
            "config decoder_* lists must have one entry per level");
    for (auto n : c.encoder_layers_per_block) require(n > 0, "config encoder_layers_per_block must be positive (0 is not supported)");
    for (auto n : c.decoder_layers_per_block) require(n > 0, "config decoder_layers_per_block must be positive (0 is not supported)");
    for (const auto& t : c.decoder_norm_types)
        require(t == "rms_norm", "config decoder_norm_types '" + t + "' is not supported (only rms_norm)");
    require(c.downsample_block_type == "Conv" || c.downsample_block_type == "pixel_unshuffle",
            "config downsample_block_type '" + c.downsample_block_type + "' is not supported");
    require(c.upsample_block_type == "interpolate" || c.upsample_block_type == "pixel_shuffle",
            "config upsample_block_type '" + c.upsample_block_type + "' is not supported");
    require(c.attention_head_dim > 0, "config attention_head_dim must be positive");
    for (size_t i = 0; i < ne; ++i)
        if (c.encoder_block_types[i] == "EfficientViTBlock")
            require(c.encoder_block_out_channels[i] % c.attention_head_dim == 0, "encoder width not a multiple of attention_head_dim");
    for (size_t i = 0; i < nd; ++i)
        if (c.decoder_block_types[i] == "EfficientViTBlock")
            require(c.decoder_block_out_channels[i] % c.attention_head_dim == 0, "decoder width not a multiple of attention_head_dim");
    require(c.encoder_block_out_channels.back() % c.latent_channels == 0 && c.decoder_block_out_channels.back() % c.latent_channels == 0,
            "the deepest width must be a multiple of latent_channels");
    dec_conv_act_ = parse_act(c.decoder_conv_act_fn);
}

void AutoencoderDC::load_params(TensorSource& src) {
    const Taker t{src};
    const auto& c = cfg_;
    const int64_t hd = c.attention_head_dim;
    // encoder
    {
        const auto& ch = c.encoder_block_out_channels;
        const size_t n = ch.size();
        enc_conv_in_ = t.conv("encoder.conv_in", ch[0], c.in_channels, 3, true);
        down_.assign(n, {});
        for (size_t i = 0; i < n; ++i) {
            const std::string p = "encoder.down_blocks." + std::to_string(i) + ".";
            for (int64_t j = 0; j < c.encoder_layers_per_block[i]; ++j)
                down_[i].push_back(block(t, c.encoder_block_types[i], p + std::to_string(j), ch[i], hd, c.encoder_qkv_multiscales[i], Act::SiLU));
            if (i + 1 < n) {
                Layer d;
                d.kind = Layer::Down;
                d.pixel = c.downsample_block_type == "pixel_unshuffle";
                const int64_t out = d.pixel ? ch[i + 1] / 4 : ch[i + 1];
                require(!d.pixel || ch[i + 1] % 4 == 0, "pixel_unshuffle downsample needs widths divisible by 4");
                require(ch[i] * 4 % ch[i + 1] == 0, "encoder widths do not allow the DCDownBlock2d shortcut");
                d.conv = t.conv(p + std::to_string(c.encoder_layers_per_block[i]) + ".conv", out, ch[i], 3, true, d.pixel ? 1 : 2);
                d.group = ch[i] * 4 / ch[i + 1];
                down_[i].push_back(std::move(d));
            }
        }
        enc_conv_out_ = t.conv("encoder.conv_out", c.latent_channels, ch.back(), 3, true);
    }
    // decoder
    {
        const auto& ch = c.decoder_block_out_channels;
        const size_t n = ch.size();
        dec_conv_in_ = t.conv("decoder.conv_in", ch.back(), c.latent_channels, 3, true);
        up_.assign(n, {});
        for (size_t i = 0; i < n; ++i) {
            const std::string p = "decoder.up_blocks." + std::to_string(i) + ".";
            int64_t j0 = 0;
            if (i + 1 < n) {
                Layer u;
                u.kind = Layer::Up;
                u.pixel = c.upsample_block_type != "interpolate";
                require(ch[i] * 4 % ch[i + 1] == 0, "decoder widths do not allow the DCUpBlock2d shortcut");
                u.conv = t.conv(p + "0.conv", u.pixel ? ch[i] * 4 : ch[i], ch[i + 1], 3, true);
                u.group = ch[i] * 4 / ch[i + 1];
                up_[i].push_back(std::move(u));
                j0 = 1;
            }
            const Act a = parse_act(c.decoder_act_fns[i]);
            for (int64_t j = 0; j < c.decoder_layers_per_block[i]; ++j)
                up_[i].push_back(block(t, c.decoder_block_types[i], p + std::to_string(j0 + j), ch[i], hd, c.decoder_qkv_multiscales[i], a));
        }
        dec_norm_out_ = t.norm("decoder.norm_out", ch[0]);
        dec_conv_out_ = t.conv("decoder.conv_out", c.in_channels, ch[0], 3, true);
    }
}

AutoencoderDC AutoencoderDC::load(const DcaeConfig& cfg, TensorSource& src) {
    AutoencoderDC m(cfg);
    m.dtype_ = src.dtype();
    m.device_ = src.device();
    m.load_params(src);
    src.report_unused();
    return m;
}

AutoencoderDC AutoencoderDC::load(const ComponentPaths& paths, at::ScalarType dtype, at::Device device) {
    const DcaeConfig cfg = load_dcae_config(paths.config.string());
    Weights w = Weights::open(paths.weights.string(), dtype, device);
    WeightsSource src(w);
    return load(cfg, src);
}

AutoencoderDC AutoencoderDC::load_folder(const std::string& folder, at::ScalarType dtype, at::Device device) {
    const std::filesystem::path dir(folder);
    return load(ComponentPaths{dir, dir / "config.json", dir / "diffusion_pytorch_model.safetensors"}, dtype, device);
}

int64_t AutoencoderDC::down_factor() const { return int64_t(1) << (cfg_.encoder_block_out_channels.size() - 1); }

int64_t AutoencoderDC::parameter_count() const {
    int64_t n = 0;
    auto t = [&](const at::Tensor& x) { n += x.defined() ? x.numel() : 0; };
    auto cv = [&](const Conv2d& c) { t(c.w), t(c.b); };
    auto nm = [&](const RmsNorm& r) { t(r.w), t(r.b); };
    auto layer = [&](const Layer& l) {
        cv(l.conv1), cv(l.conv2), nm(l.norm), cv(l.conv);
        t(l.to_q.weight), t(l.to_k.weight), t(l.to_v.weight), t(l.to_out.weight), nm(l.attn_norm);
        for (const auto& [a, b] : l.multiscale) cv(a), cv(b);
        cv(l.conv_inverted), cv(l.conv_depth), cv(l.conv_point), nm(l.conv_norm);
    };
    cv(enc_conv_in_), cv(enc_conv_out_), cv(dec_conv_in_), cv(dec_conv_out_), nm(dec_norm_out_);
    for (const auto& s : down_)
        for (const auto& l : s) layer(l);
    for (const auto& s : up_)
        for (const auto& l : s) layer(l);
    return n;
}

// ---- forward ----------------------------------------------------------------------------------------

at::Tensor AutoencoderDC::encode(const at::Tensor& mel) const {
    const int64_t f = down_factor();
    require(mel.defined() && mel.dim() == 4 && mel.size(1) == cfg_.in_channels,
            "encode: expected a mel [B, " + std::to_string(cfg_.in_channels) + ", H, W], got " +
                (mel.defined() ? shape_str(mel.sizes()) : std::string("<none>")));
    require(mel.size(2) > 0 && mel.size(3) > 0 && mel.size(2) % f == 0 && mel.size(3) % f == 0,
            "encode: mel height and width must be positive multiples of " + std::to_string(f) + ", got " + shape_str(mel.sizes()));
    at::NoGradGuard ng;
    at::Tensor h = enc_conv_in_(mel.to(device_, dtype_));
    for (const auto& stage : down_)
        for (const auto& l : stage) h = run(l, h);
    if (!cfg_.encoder_out_shortcut) return enc_conv_out_(h);
    const int64_t g = h.size(1) / cfg_.latent_channels;
    const at::Tensor x = h.reshape({h.size(0), -1, g, h.size(2), h.size(3)}).mean(2);
    return enc_conv_out_(h) + x;
}

at::Tensor AutoencoderDC::decode(const at::Tensor& z) const {
    require(z.defined() && z.dim() == 4 && z.size(1) == cfg_.latent_channels,
            "decode: expected latents [B, " + std::to_string(cfg_.latent_channels) + ", h, w], got " +
                (z.defined() ? shape_str(z.sizes()) : std::string("<none>")));
    require(z.size(2) > 0 && z.size(3) > 0, "decode: latents have an empty axis " + shape_str(z.sizes()));
    at::NoGradGuard ng;
    const at::Tensor zz = z.to(device_, dtype_);
    const int64_t r = cfg_.decoder_block_out_channels.back() / cfg_.latent_channels;
    at::Tensor h = cfg_.decoder_in_shortcut ? dec_conv_in_(zz) + at::repeat_interleave(zz, r, 1) : dec_conv_in_(zz);
    for (auto it = up_.rbegin(); it != up_.rend(); ++it)
        for (const auto& l : *it) h = run(l, h);
    h = dec_norm_out_(h);
    h = act(dec_conv_act_, h);
    return dec_conv_out_(h);
}

}  // namespace acestep
