// Internals of the ACE-Step DiT shared by dit.cpp and dit_block.cpp: the rotary table, the
// transformer block (`LinearTransformerBlock`) and its three sub-layers. Not a public interface;
// the pipeline uses models/dit.h.
#pragma once

#include <ATen/ATen.h>

#include <string>
#include <utility>

#include "models/module.h"

namespace acestep::dit {

// cos/sin rows 0..n−1 of Qwen2RotaryEmbedding (model.md §4.5): computed in fp32 exactly as the
// reference buffer, then rounded to the activation dtype as the reference's `.to(dtype)` does.
// cos_f / sin_signed_f are the same rounded values in fp32, the sin of even elements negated: the
// fast apply_rope multiplies the pair-swapped x by it, which is bitwise the reference's rot(x)·sin
// ((−a)·s = a·(−s) exactly in IEEE arithmetic) without the negation, the stack and two casts.
struct Rope {
    at::Tensor cos, sin;              // [n, head_dim], activation dtype
    at::Tensor cos_f, sin_signed_f;   // [n, head_dim], fp32
    Rope slice(int64_t n) const {
        return {cos.slice(0, 0, n), sin.slice(0, 0, n), cos_f.slice(0, 0, n), sin_signed_f.slice(0, 0, n)};
    }
};
Rope rope_table(int64_t n, int64_t head_dim, double theta, at::ScalarType dtype, at::Device device);

// x [B, H, S, D]: out = x·cos + rot(x)·sin in fp32, cast back to x's dtype, where rot pairs the
// INTERLEAVED elements (2k, 2k+1) -> (−x[2k+1], x[2k]) although the table is half-split (Q1).
// apply_rope_reference is the reference's op sequence; apply_rope gives bitwise the same result
// with fewer passes over the data.
at::Tensor apply_rope(const at::Tensor& x, const Rope& r);
at::Tensor apply_rope_reference(const at::Tensor& x, const Rope& r);

struct Block {
    at::Tensor scale_shift_table;                   // [6, C]
    Linear attn_q, attn_k, attn_v, attn_out;        // attn.to_{q,k,v}, attn.to_out.0 (linear attention)
    Linear cross_q, cross_k, cross_v, cross_out;    // cross_attn.to_{q,k,v}, cross_attn.to_out.0
    at::Tensor ff_in_w, ff_in_b;                    // ff.inverted_conv.conv [2F, C, 1]
    at::Tensor ff_dw_w, ff_dw_b;                    // ff.depth_conv.conv [2F, 1, 3]
    at::Tensor ff_out_w;                            // ff.point_conv.conv [C, F, 1], no bias

    void visit(ParamVisitor& v, const std::string& prefix, int64_t dim, int64_t ff_hidden);
};

struct BlockShape {
    int64_t heads = 0, head_dim = 0;
};

// Cross-attention keys (RoPE'd with encoder-token positions) and values, [B, H, S_enc, D] each.
std::pair<at::Tensor, at::Tensor> cross_key_value(const Block& b, const at::Tensor& enc, const Rope& enc_rope,
                                                  const BlockShape& s, bool reference = false);

struct BlockInputs {
    const at::Tensor* temb;          // [B, 6, C] (t_block output, reshaped)
    const at::Tensor* frame_mask;    // [B, S] float, 1 = frame (the reference's attention_mask)
    const Rope* rope;                // rows 0..S−1
    const at::Tensor* cross_key;     // [B, H, S_enc, D]
    const at::Tensor* cross_value;   // [B, H, S_enc, D]
    const at::Tensor* cross_mask;    // additive [B, 1, S, S_enc], activation dtype (0 / −inf);
                                     // null when it is all zeros (every frame and token kept)
    double q_scale = 1.0;            // ERG: multiplies attn.to_q and cross_attn.to_q outputs
    bool frame_mask_ones = false;    // every frame kept: skip the (exact, x·1 = x) mask products
    bool reference = false;          // the reference's op sequence (bench / tests: the plain path)
};

// One LinearTransformerBlock: adaLN-single self linear attention, un-normalised cross-attention,
// adaLN-single GLUMBConv (model.md §4.6).
at::Tensor block_forward(const Block& b, const at::Tensor& x, const BlockInputs& in, const BlockShape& s);

}  // namespace acestep::dit
