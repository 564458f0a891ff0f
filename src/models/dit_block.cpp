// ACE-Step v1 DiT block (`LinearTransformerBlock`), exact to the official checkpoint (model.md §4.5, §4.6).
//
// Per block: h = RMS(x)(1+sc1)+sh1; x += g1 ⊙ LinAttn(h); x += CrossAttn(x, E); h = RMS(x)(1+sc2)+sh2;
// x += g2 ⊙ GLUMBConv(h). The linear attention ("LiteLA") is ReLU-kernel attention evaluated in fp32
// with eps 1e-15 and is clamped to ±65504 afterwards (the reference's always-true fp16 autocast test).
// The RoPE pairs interleaved elements with a half-split frequency table — not a rotation; trained so.
#include "models/dit_block.h"

#include <cmath>
#include <limits>

#include "models/ops.h"

namespace acestep::dit {

Rope rope_table(int64_t n, int64_t head_dim, double theta, at::ScalarType dtype, at::Device device) {
    // Qwen2RotaryEmbedding: inv_freq = 1 / theta^(arange(0, dim, 2) / dim), all in fp32 (Python's
    // `1.0 / t` is `t.reciprocal()`, `theta ** t` is a 0-dim fp32 tensor to the power t).
    const auto f32 = at::TensorOptions().dtype(at::kFloat);
    at::Tensor exps = at::arange(0, head_dim, 2, at::TensorOptions().dtype(at::kLong)).to(at::kFloat) / (double)head_dim;
    at::Tensor inv_freq = at::reciprocal(at::pow(at::scalar_tensor(theta, f32), exps));
    at::Tensor t = at::arange(n, at::TensorOptions().dtype(at::kLong)).to(at::kFloat);
    at::Tensor freqs = at::outer(t, inv_freq);
    at::Tensor emb = at::cat({freqs, freqs}, -1);
    Rope r;
    r.cos = emb.cos().to(device, dtype);
    r.sin = emb.sin().to(device, dtype);
    r.cos_f = r.cos.to(at::kFloat);
    // sin with the even elements negated (they multiply −x[2k+1] in the reference)
    const at::Tensor sign = at::ones({head_dim}, f32).view({head_dim / 2, 2}).index_fill(1, at::zeros({1}, at::kLong), -1.0).flatten();
    r.sin_signed_f = r.sin.to(at::kFloat) * sign.to(device);
    return r;
}

at::Tensor apply_rope(const at::Tensor& x, const Rope& r) {
    const auto sz = x.sizes();
    const at::Tensor xf = x.to(at::kFloat);
    // swapped[2k] = x[2k+1], swapped[2k+1] = x[2k]
    const at::Tensor swapped = xf.view({sz[0], sz[1], sz[2], sz[3] / 2, 2}).flip(-1).reshape(sz);
    at::Tensor out = xf * r.cos_f;
    out.add_(swapped * r.sin_signed_f);
    return out.to(x.scalar_type());
}

at::Tensor apply_rope_reference(const at::Tensor& x, const Rope& r) {
    const auto sz = x.sizes();
    at::Tensor pairs = x.reshape({sz[0], sz[1], sz[2], sz[3] / 2, 2});
    at::Tensor real = pairs.select(-1, 0), imag = pairs.select(-1, 1);
    at::Tensor rotated = at::stack({-imag, real}, -1).flatten(3);
    return (x.to(at::kFloat) * r.cos + rotated.to(at::kFloat) * r.sin).to(x.scalar_type());
}

void Block::visit(ParamVisitor& v, const std::string& p, int64_t C, int64_t F) {
    v.tensor(p + "scale_shift_table", scale_shift_table, {6, C});
    v.linear(p + "attn.to_q", attn_q, C, C, true);
    v.linear(p + "attn.to_k", attn_k, C, C, true);
    v.linear(p + "attn.to_v", attn_v, C, C, true);
    v.linear(p + "attn.to_out.0", attn_out, C, C, true);
    v.linear(p + "cross_attn.to_q", cross_q, C, C, true);
    v.linear(p + "cross_attn.to_k", cross_k, C, C, true);
    v.linear(p + "cross_attn.to_v", cross_v, C, C, true);
    v.linear(p + "cross_attn.to_out.0", cross_out, C, C, true);
    v.tensor(p + "ff.inverted_conv.conv.weight", ff_in_w, {2 * F, C, 1});
    v.tensor(p + "ff.inverted_conv.conv.bias", ff_in_b, {2 * F});
    v.tensor(p + "ff.depth_conv.conv.weight", ff_dw_w, {2 * F, 1, 3});
    v.tensor(p + "ff.depth_conv.conv.bias", ff_dw_b, {2 * F});
    v.tensor(p + "ff.point_conv.conv.weight", ff_out_w, {C, F, 1});
}

namespace {

// Splits [B, S, H·D] into heads [B, H, S, D] (channel c = head·D + d).
at::Tensor heads(const at::Tensor& t, const BlockShape& s) {
    return t.view({t.size(0), t.size(1), s.heads, s.head_dim}).transpose(1, 2);
}

// CustomLiteLAProcessor2_0 (model.md §4.6.1).
at::Tensor linear_attention(const Block& b, const at::Tensor& h, const BlockInputs& in, const BlockShape& s) {
    const int64_t B = h.size(0), S = h.size(1), D = s.head_dim;
    const at::ScalarType dtype = h.scalar_type();
    at::Tensor q = b.attn_q(h);
    if (in.q_scale != 1.0) q = q * in.q_scale;
    at::Tensor k = b.attn_k(h), v = b.attn_v(h);
    const auto rope = in.reference ? apply_rope_reference : apply_rope;
    q = rope(heads(q, s), *in.rope);    // [B, H, S, D]
    k = rope(heads(k, s), *in.rope);    // [B, H, S, D]
    v = heads(v, s).transpose(-1, -2);  // [B, H, D, S]

    if (in.reference || !in.frame_mask_ones) {
        const at::Tensor m = in.frame_mask->to(dtype);
        q = q * m.view({B, 1, S, 1});
        k = k * m.view({B, 1, S, 1});
        v = v * m.view({B, 1, 1, S});
    }

    // fp32 island: ReLU kernel, the [V;1]·K·Qᵀ products and the normalisation.
    at::Tensor qf = at::relu(q).to(at::kFloat), kf = at::relu(k).to(at::kFloat);
    at::Tensor vf = at::constant_pad_nd(v.to(at::kFloat), {0, 0, 0, 1}, 1.0);  // [B, H, D+1, S], last row ones
    at::Tensor vk = at::matmul(vf, kf);                                       // [B, H, D+1, D]
    at::Tensor r = at::matmul(vk, qf.transpose(-1, -2));                      // [B, H, D+1, S]
    at::Tensor out = r.slice(2, 0, D) / (r.slice(2, D, D + 1) + 1e-15);       // [B, H, D, S]
    out = out.reshape({B, s.heads * D, S}).permute({0, 2, 1}).to(dtype);
    return b.attn_out(out).clamp(-65504.0, 65504.0);
}

// CustomerAttnProcessor2_0 with key-RoPE and the combined mask (model.md §4.6.2).
at::Tensor cross_attention(const Block& b, const at::Tensor& x, const BlockInputs& in, const BlockShape& s) {
    const int64_t B = x.size(0), S = x.size(1);
    at::Tensor q = b.cross_q(x);
    if (in.q_scale != 1.0) q = q * in.q_scale;
    q = (in.reference ? apply_rope_reference : apply_rope)(heads(q, s), *in.rope);
    at::Tensor scores = at::matmul(q, in.cross_key->transpose(-2, -1)) * (1.0 / std::sqrt((double)s.head_dim));
    if (in.cross_mask) scores = scores + *in.cross_mask;  // null: all zeros (s + 0 = s)
    at::Tensor o = at::matmul(at::softmax(scores, -1), *in.cross_value);  // [B, H, S, D]
    o = o.transpose(1, 2).reshape({B, S, s.heads * s.head_dim});
    return b.cross_out(o);
}

// GLUMBConv, 1-D (model.md §4.6.3). The 1×1 convolutions are Linear layers on [B, S, ·].
at::Tensor glumb_conv(const Block& b, const at::Tensor& h) {
    const int64_t F2 = b.ff_in_w.size(0), C = b.ff_out_w.size(0), F = b.ff_out_w.size(1);
    at::Tensor u = at::silu(at::linear(h, b.ff_in_w.view({F2, C}), b.ff_in_b));          // [B, S, 2F]
    u = at::conv1d(u.transpose(1, 2), b.ff_dw_w, b.ff_dw_b, /*stride=*/1, /*padding=*/1, /*dilation=*/1,
                   /*groups=*/F2);                                                       // [B, 2F, S]
    auto parts = u.chunk(2, 1);
    at::Tensor y = parts[0] * at::silu(parts[1]);                                       // [B, F, S]
    return at::linear(y.transpose(1, 2), b.ff_out_w.view({C, F}));                        // [B, S, C]
}

}  // namespace

std::pair<at::Tensor, at::Tensor> cross_key_value(const Block& b, const at::Tensor& enc, const Rope& enc_rope,
                                                  const BlockShape& s, bool reference) {
    at::Tensor k = (reference ? apply_rope_reference : apply_rope)(heads(b.cross_k(enc), s), enc_rope);
    at::Tensor v = heads(b.cross_v(enc), s).contiguous();
    return {k, v};
}

at::Tensor block_forward(const Block& b, const at::Tensor& x_in, const BlockInputs& in, const BlockShape& s) {
    auto mods = (b.scale_shift_table.unsqueeze(0) + *in.temb).chunk(6, 1);  // each [B, 1, C]
    const at::Tensor &shift_msa = mods[0], &scale_msa = mods[1], &gate_msa = mods[2];
    const at::Tensor &shift_mlp = mods[3], &scale_mlp = mods[4], &gate_mlp = mods[5];

    at::Tensor x = x_in;
    at::Tensor h = ops::rms_norm(x, 1e-6) * (1 + scale_msa) + shift_msa;
    x = gate_msa * linear_attention(b, h, in, s) + x;
    x = cross_attention(b, x, in, s) + x;
    h = ops::rms_norm(x, 1e-6) * (1 + scale_mlp) + shift_mlp;
    return x + gate_mlp * glumb_conv(b, h);
}

}  // namespace acestep::dit
