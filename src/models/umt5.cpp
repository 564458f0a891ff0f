// UMT5 encoder (see umt5.h).  Every tensor op mirrors transformers' modeling_umt5 (4.50) in order and
// in dtype, so that the fp32 path reproduces the reference to rounding and the bf16 path rounds where
// the official bf16 pipeline rounds.
#include "models/umt5.h"

#include <c10/util/BFloat16.h>
#include <c10/util/Half.h>

#include <cmath>
#include <limits>
#include <string>

#include "acestep/error.h"

namespace acestep {

namespace {

// torch.finfo(dtype).min
double finfo_min(at::ScalarType t) {
    switch (t) {
        case at::kFloat: return std::numeric_limits<float>::lowest();
        case at::kDouble: return std::numeric_limits<double>::lowest();
        case at::kBFloat16: return static_cast<float>(std::numeric_limits<c10::BFloat16>::lowest());
        case at::kHalf: return static_cast<float>(std::numeric_limits<c10::Half>::lowest());
        default: throw Error("Umt5Encoder: unsupported compute dtype " + std::string(c10::toString(t)));
    }
}

// UMT5Block clamps inf values away on fp16 only (a no-op for fp32/bf16).
at::Tensor clamp_fp16(const at::Tensor& x) {
    if (x.scalar_type() != at::kHalf) return x;
    const double max = static_cast<float>(std::numeric_limits<c10::Half>::max());
    const double clamp = at::isinf(x).any().item<bool>() ? max - 1000 : max;
    return at::clamp(x, -clamp, clamp);
}

std::string block_prefix(int64_t l) { return "encoder.block." + std::to_string(l) + "."; }

}  // namespace

Umt5Encoder::Umt5Encoder(const Umt5Config& cfg, Weights& w) : cfg_(cfg), dtype_(w.dtype()), device_(w.device()) {
    const int64_t D = cfg.d_model, inner = cfg.num_heads * cfg.d_kv, F = cfg.d_ff, V = cfg.vocab_size;
    const int64_t NB = cfg.relative_attention_num_buckets, H = cfg.num_heads;
    if (cfg.dense_act_fn != "gelu_new" && cfg.dense_act_fn != "gelu" && cfg.dense_act_fn != "relu")
        throw Error(w.path() + ": UMT5 activation '" + cfg.dense_act_fn + "' is not supported");
    if (NB < 4 || cfg.relative_attention_max_distance < NB / 4)
        throw Error(w.path() + ": UMT5 relative_attention_num_buckets/max_distance are not usable");

    // The embedding is tied: save_pretrained keeps `shared.weight` only; accept either name.
    const char* kShared = "shared.weight";
    const char* kEmbed = "encoder.embed_tokens.weight";
    if (w.has(kShared)) {
        shared_ = w.take(kShared, {V, D});
        if (w.has(kEmbed)) w.take(kEmbed, {V, D});  // the alias: same tensor, mark it used
    } else if (w.has(kEmbed)) {
        shared_ = w.take(kEmbed, {V, D});
    } else {
        throw Error(w.path() + ": missing tensor 'shared.weight' (or its alias 'encoder.embed_tokens.weight') (expected shape " +
                    shape_str({V, D}) + ")");
    }

    blocks_.resize(cfg.num_layers);
    for (int64_t l = 0; l < cfg.num_layers; ++l) {
        const std::string p = block_prefix(l);
        Block& b = blocks_[l];
        b.ln_attn = w.take(p + "layer.0.layer_norm.weight", {D});
        b.q = w.take(p + "layer.0.SelfAttention.q.weight", {inner, D});
        b.k = w.take(p + "layer.0.SelfAttention.k.weight", {inner, D});
        b.v = w.take(p + "layer.0.SelfAttention.v.weight", {inner, D});
        b.o = w.take(p + "layer.0.SelfAttention.o.weight", {D, inner});
        b.rel_bias = w.take(p + "layer.0.SelfAttention.relative_attention_bias.weight", {NB, H});
        b.ln_ff = w.take(p + "layer.1.layer_norm.weight", {D});
        if (cfg.is_gated_act) {
            b.wi_0 = w.take(p + "layer.1.DenseReluDense.wi_0.weight", {F, D});
            b.wi_1 = w.take(p + "layer.1.DenseReluDense.wi_1.weight", {F, D});
        } else {
            b.wi_0 = w.take(p + "layer.1.DenseReluDense.wi.weight", {F, D});
        }
        b.wo = w.take(p + "layer.1.DenseReluDense.wo.weight", {D, F});
    }
    final_ln_ = w.take("encoder.final_layer_norm.weight", {D});
}

Umt5Encoder Umt5Encoder::load(const ComponentPaths& umt5, at::ScalarType dtype, at::Device device) {
    const Umt5Config cfg = load_umt5_config(umt5.config.string());
    Weights w = Weights::open(umt5.weights.string(), dtype, device);
    // A full UMT5 (encoder-decoder) file also works: the decoder half is not needed.
    w.ignore_prefix("decoder.");
    w.ignore_prefix("lm_head.");
    Umt5Encoder enc(cfg, w);
    w.report_unused();
    return enc;
}

at::Tensor Umt5Encoder::relative_position_buckets(int64_t query_length, int64_t key_length) const {
    // UMT5Attention._relative_position_bucket, bidirectional (encoder), op for op.
    const auto opts = at::TensorOptions().dtype(at::kLong).device(device_);
    const at::Tensor context_position = at::arange(query_length, opts).unsqueeze(1);
    const at::Tensor memory_position = at::arange(key_length, opts).unsqueeze(0);
    at::Tensor rel = memory_position - context_position;
    const int64_t num_buckets = cfg_.relative_attention_num_buckets / 2;
    at::Tensor buckets = (rel > 0).to(at::kLong) * num_buckets;
    rel = at::abs(rel);
    const int64_t max_exact = num_buckets / 2;
    const at::Tensor is_small = rel < max_exact;
    at::Tensor log_ratio = at::log(rel.to(at::kFloat) / static_cast<double>(max_exact)) /
                           std::log(static_cast<double>(cfg_.relative_attention_max_distance) / static_cast<double>(max_exact));
    log_ratio = log_ratio * (num_buckets - max_exact);
    at::Tensor if_large = max_exact + log_ratio.to(at::kLong);
    if_large = at::min(if_large, at::full_like(if_large, num_buckets - 1));
    return buckets + at::where(is_small, rel, if_large);
}

at::Tensor Umt5Encoder::rms_norm(const at::Tensor& x, const at::Tensor& w) const {
    // UMT5LayerNorm: variance in fp32; x * rsqrt promotes to fp32; cast to a 16-bit weight dtype; w * h.
    const at::Tensor variance = x.to(at::kFloat).pow(2).mean(-1, /*keepdim=*/true);
    at::Tensor h = x * at::rsqrt(variance + cfg_.layer_norm_epsilon);
    if (w.scalar_type() == at::kHalf || w.scalar_type() == at::kBFloat16) h = h.to(w.scalar_type());
    return w * h;
}

at::Tensor Umt5Encoder::activation(const at::Tensor& x) const {
    if (cfg_.dense_act_fn == "gelu_new") {
        // transformers' NewGELUActivation, in its own op order (not at::gelu's fused tanh kernel).
        static const double kC = std::sqrt(2.0 / M_PI);
        return 0.5 * x * (1.0 + at::tanh(kC * (x + 0.044715 * at::pow(x, 3.0))));
    }
    if (cfg_.dense_act_fn == "gelu") return at::gelu(x);
    return at::relu(x);
}

at::Tensor Umt5Encoder::forward(const at::Tensor& input_ids, const at::Tensor& attention_mask, const Umt5Erg* erg) const {
    at::NoGradGuard no_grad;
    if (!input_ids.defined() || input_ids.dim() != 2 || !at::isIntegralType(input_ids.scalar_type(), /*includeBool=*/false))
        throw Error("Umt5Encoder: input_ids must be a [batch, length] integer tensor");
    const int64_t B = input_ids.size(0), L = input_ids.size(1);
    if (B < 1 || L < 1) throw Error("Umt5Encoder: input_ids is empty (" + shape_str(input_ids.sizes()) + ")");
    const at::Tensor ids = input_ids.to(device_, at::kLong);
    const int64_t lo = ids.min().item<int64_t>(), hi = ids.max().item<int64_t>();
    if (lo < 0 || hi >= cfg_.vocab_size)
        throw Error("Umt5Encoder: token id " + std::to_string(lo < 0 ? lo : hi) + " is outside the vocabulary [0, " +
                    std::to_string(cfg_.vocab_size) + ")");
    at::Tensor mask;
    if (attention_mask.defined()) {
        if (attention_mask.sizes() != input_ids.sizes())
            throw Error("Umt5Encoder: attention_mask " + shape_str(attention_mask.sizes()) + " does not match input_ids " +
                        shape_str(input_ids.sizes()));
        mask = attention_mask.to(device_);
    } else {
        mask = at::ones({B, L}, at::TensorOptions().dtype(at::kLong).device(device_));
    }
    if (erg && (erg->l_min < 0 || erg->l_max > cfg_.num_layers || erg->l_min >= erg->l_max))
        throw Error("Umt5Encoder: ERG layers [" + std::to_string(erg->l_min) + ", " + std::to_string(erg->l_max) +
                    ") are outside the encoder's " + std::to_string(cfg_.num_layers) + " blocks");

    const int64_t H = cfg_.num_heads, dk = cfg_.d_kv;
    at::Tensor x = at::embedding(shared_, ids);  // no scaling of the embeddings
    // UMT5Stack: extended mask (1 - m) * finfo(dtype).min on the keys, [B, 1, 1, L].
    const at::Tensor ext_mask = (1.0 - mask.unsqueeze(1).unsqueeze(2).to(dtype_)) * finfo_min(dtype_);
    const at::Tensor buckets = relative_position_buckets(L, L);

    for (int64_t l = 0; l < cfg_.num_layers; ++l) {
        const Block& b = blocks_[l];
        // ---- self-attention
        const at::Tensor h = rms_norm(x, b.ln_attn);
        at::Tensor q = at::linear(h, b.q);
        if (erg && l >= erg->l_min && l < erg->l_max) q = q * erg->tau;  // the pipeline's forward hook
        q = q.view({B, -1, H, dk}).transpose(1, 2);
        const at::Tensor k = at::linear(h, b.k).view({B, -1, H, dk}).transpose(1, 2);
        const at::Tensor v = at::linear(h, b.v).view({B, -1, H, dk}).transpose(1, 2);
        at::Tensor scores = at::matmul(q, k.transpose(3, 2));  // unscaled (T5 convention)
        at::Tensor position_bias = at::embedding(b.rel_bias, buckets).permute({2, 0, 1}).unsqueeze(0);
        position_bias = position_bias + ext_mask;
        scores = scores + position_bias;
        const at::Tensor weights = at::softmax(scores.to(at::kFloat), -1).to(scores.scalar_type());
        at::Tensor attn = at::matmul(weights, v).transpose(1, 2).contiguous().view({B, L, H * dk});
        x = clamp_fp16(x + at::linear(attn, b.o));

        // ---- feed-forward
        const at::Tensor f = rms_norm(x, b.ln_ff);
        at::Tensor g;
        if (cfg_.is_gated_act)
            g = activation(at::linear(f, b.wi_0)) * at::linear(f, b.wi_1);
        else
            g = activation(at::linear(f, b.wi_0));
        if (g.scalar_type() != b.wo.scalar_type()) g = g.to(b.wo.scalar_type());
        x = clamp_fp16(x + at::linear(g, b.wo));
    }
    return rms_norm(x, final_ln_);
}

}  // namespace acestep
