// Lyric encoder ("ConformerEncoder" with the official defaults), exact to the official checkpoint.
// Op order follows the reference so that fp32 results agree to rounding (model.md §3.5).
#include "models/lyric_encoder.h"

#include <cmath>
#include <limits>

#include "acestep/error.h"

namespace acestep {

LyricEncoder::LyricEncoder(const LyricEncoderConfig& cfg, int64_t input_size) : cfg_(cfg), input_size_(input_size) {
    if (cfg.output_size <= 0 || cfg.attention_heads <= 0 || cfg.output_size % cfg.attention_heads != 0)
        throw Error("lyric encoder: output_size " + std::to_string(cfg.output_size) + " is not a multiple of " +
                    std::to_string(cfg.attention_heads) + " heads");
    layers_.resize(cfg.num_blocks);
}

void LyricEncoder::visit(ParamVisitor& v, const std::string& prefix) {
    const int64_t d = cfg_.output_size, heads = cfg_.attention_heads, dk = d / heads, ff = cfg_.linear_units;
    v.linear(prefix + "embed.out.0", embed_, input_size_, d, true);
    v.tensor(prefix + "embed.out.1.weight", embed_norm_w_, {d});
    v.tensor(prefix + "embed.out.1.bias", embed_norm_b_, {d});
    for (size_t i = 0; i < layers_.size(); ++i) {
        Layer& l = layers_[i];
        const std::string p = prefix + "encoders." + std::to_string(i) + ".";
        v.linear(p + "self_attn.linear_q", l.q, d, d, true);
        v.linear(p + "self_attn.linear_k", l.k, d, d, true);
        v.linear(p + "self_attn.linear_v", l.v, d, d, true);
        v.linear(p + "self_attn.linear_out", l.out, d, d, true);
        v.linear(p + "self_attn.linear_pos", l.pos, d, d, false);
        v.tensor(p + "self_attn.pos_bias_u", l.pos_bias_u, {heads, dk});
        v.tensor(p + "self_attn.pos_bias_v", l.pos_bias_v, {heads, dk});
        v.linear(p + "feed_forward.w_1", l.w1, d, ff, true);
        v.linear(p + "feed_forward.w_2", l.w2, ff, d, true);
        v.tensor(p + "norm_ff.weight", l.norm_ff_w, {d});
        v.tensor(p + "norm_ff.bias", l.norm_ff_b, {d});
        v.tensor(p + "norm_mha.weight", l.norm_mha_w, {d});
        v.tensor(p + "norm_mha.bias", l.norm_mha_b, {d});
    }
    v.tensor(prefix + "after_norm.weight", after_norm_w_, {d});
    v.tensor(prefix + "after_norm.bias", after_norm_b_, {d});
}

at::Tensor LyricEncoder::relative_positions(int64_t length, int64_t d_model) {
    // EspnetRelPositionalEncoding.extend_pe, restricted to the 2L−1 rows the forward slices out
    // (each entry depends only on its own position, so the values are those of the 5000-row table).
    const auto f32 = at::TensorOptions().dtype(at::kFloat);
    at::Tensor position = at::arange(0, length, f32).unsqueeze(1);
    at::Tensor div_term = at::exp(at::arange(0, d_model, 2, f32) * (-(std::log(10000.0) / (double)d_model)));
    at::Tensor pos = at::zeros({length, d_model}, f32), neg = at::zeros({length, d_model}, f32);
    at::Tensor a = position * div_term;
    at::Tensor an = (position * -1) * div_term;
    pos.slice(1, 0, d_model, 2).copy_(at::sin(a));
    pos.slice(1, 1, d_model, 2).copy_(at::cos(a));
    neg.slice(1, 0, d_model, 2).copy_(at::sin(an));
    neg.slice(1, 1, d_model, 2).copy_(at::cos(an));
    return at::cat({pos.flip({0}), neg.slice(0, 1)}, 0).unsqueeze(0);
}

at::Tensor LyricEncoder::attention(const Layer& l, const at::Tensor& h, const at::Tensor& pos_emb,
                                   const at::Tensor& key_masked, bool erg, double tau) const {
    const int64_t B = h.size(0), L = h.size(1), H = cfg_.attention_heads, dk = cfg_.output_size / H;
    at::Tensor q = l.q(h);
    if (erg) q = q * tau;  // the ERG hook scales linear_q's whole output, bias included
    q = q.view({B, L, H, dk});
    at::Tensor k = l.k(h).view({B, L, H, dk}).transpose(1, 2);
    at::Tensor v = l.v(h).view({B, L, H, dk}).transpose(1, 2);
    at::Tensor p = l.pos(pos_emb).view({1, -1, H, dk}).transpose(1, 2);  // [1, H, 2L−1, dk]

    at::Tensor q_u = (q + l.pos_bias_u).transpose(1, 2);
    at::Tensor q_v = (q + l.pos_bias_v).transpose(1, 2);
    at::Tensor ac = at::matmul(q_u, k.transpose(-2, -1));  // [B, H, L, L]
    at::Tensor bd = at::matmul(q_v, p.transpose(-2, -1));  // [B, H, L, 2L−1]
    if (L > 1) {
        // rel-shift, the reference's zero-pad/reshape trick: bd[i, j] <- bd[i, (L−1) − i + j]
        at::Tensor zero_pad = at::zeros({B, H, L, 1}, bd.options());
        at::Tensor padded = at::cat({zero_pad, bd}, -1).reshape({B, H, 2 * L, L});
        bd = padded.slice(2, 1).reshape({B, H, L, 2 * L - 1}).slice(3, 0, L);
    }
    at::Tensor scores = (ac + bd) / std::sqrt((double)dk);
    scores = scores.masked_fill(key_masked, -std::numeric_limits<double>::infinity());
    at::Tensor attn = at::softmax(scores, -1).masked_fill(key_masked, 0.0);
    at::Tensor x = at::matmul(attn, v).transpose(1, 2).contiguous().view({B, L, H * dk});
    return l.out(x);
}

at::Tensor LyricEncoder::forward(const at::Tensor& x_in, const at::Tensor& mask, const ErgScale& erg) const {
    if (x_in.dim() != 3 || x_in.size(2) != input_size_)
        throw Error("lyric encoder: input must be [B, L, " + std::to_string(input_size_) + "], got " + shape_str(x_in.sizes()));
    if (mask.dim() != 2 || mask.size(0) != x_in.size(0) || mask.size(1) != x_in.size(1))
        throw Error("lyric encoder: mask must be [B, L] = " + shape_str(x_in.sizes().slice(0, 2)) + ", got " +
                    shape_str(mask.sizes()));
    const int64_t L = x_in.size(1), d = cfg_.output_size;
    const at::Tensor key_masked = mask.to(x_in.device()).to(at::kBool).eq(0).view({mask.size(0), 1, 1, L});

    at::Tensor x = embed_(x_in);
    x = at::layer_norm(x, {d}, embed_norm_w_, embed_norm_b_, 1e-5);
    x = x * std::sqrt((double)d);
    const at::Tensor pos_emb = relative_positions(L, d).to(x.device(), x.scalar_type());

    for (size_t i = 0; i < layers_.size(); ++i) {
        const Layer& l = layers_[i];
        at::Tensor h = at::layer_norm(x, {d}, l.norm_mha_w, l.norm_mha_b, 1e-5);
        x = x + attention(l, h, pos_emb, key_masked, erg.applies((int64_t)i), erg.tau);
        h = at::layer_norm(x, {d}, l.norm_ff_w, l.norm_ff_b, 1e-5);
        x = x + l.w2(at::silu(l.w1(h)));
    }
    return at::layer_norm(x, {d}, after_norm_w_, after_norm_b_, 1e-5);
}

}  // namespace acestep
