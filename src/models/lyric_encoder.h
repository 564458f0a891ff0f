// The DiT's lyric encoder (`lyric_encoder.*`, official class `ConformerEncoder`), exact to the
// official checkpoint (model.md §3.5).
//
// Despite the name it is a pre-LN Transformer encoder with ESPnet relative positions: no convolution
// module, no macaron FFN (Q26). Input Linear + LayerNorm, ×√d, then per layer
// x += MHA_relpos(LN(x)); x += W2·SiLU(W1·LN(x)); then a final LayerNorm. Sizes come from
// DitConfig::lyric_encoder (real: 1024 wide, 16 heads × 64, FFN 4096, 6 layers).
//
// Surprises kept on purpose:
// - the relative-position scores use the Transformer-XL "rel-shift": BD[i,j] = BDraw[i, L−1−i+j];
// - masked keys get −inf, and the probabilities are zeroed again after the softmax, so a fully masked
//   row (an all-zero lyric mask) yields 0 instead of NaN;
// - the positional table is computed in fp32 and rounded to the activation dtype.
// The token embedding (`lyric_embs`) and the output projection (`lyric_proj`) belong to the DiT.
#pragma once

#include <ATen/ATen.h>

#include <string>
#include <vector>

#include "acestep/config.h"
#include "models/module.h"

namespace acestep {

class LyricEncoder {
public:
    LyricEncoder() = default;
    LyricEncoder(const LyricEncoderConfig& cfg, int64_t input_size);

    // Describes (and, with a LoadVisitor, loads) every parameter under `prefix` ("lyric_encoder.").
    void visit(ParamVisitor& v, const std::string& prefix);

    // x [B, L, input_size] (embedded ids, activation dtype), mask [B, L] (any dtype; nonzero = token)
    // -> [B, L, output_size]. `erg` scales encoders[i].self_attn.linear_q outputs (model.md §8.6).
    at::Tensor forward(const at::Tensor& x, const at::Tensor& mask, const ErgScale& erg = {}) const;

    const LyricEncoderConfig& config() const { return cfg_; }

    // ESPnet relative positional table rows P(L−1), …, P(0), …, P(−(L−1)) as [1, 2L−1, d] in fp32.
    static at::Tensor relative_positions(int64_t length, int64_t d_model);

private:
    struct Layer {
        Linear q, k, v, out, pos;  // self_attn.linear_{q,k,v,out,pos}
        at::Tensor pos_bias_u, pos_bias_v;  // [heads, head_dim]
        Linear w1, w2;                      // feed_forward.w_{1,2}
        at::Tensor norm_mha_w, norm_mha_b, norm_ff_w, norm_ff_b;
    };
    at::Tensor attention(const Layer& l, const at::Tensor& h, const at::Tensor& pos_emb, const at::Tensor& key_masked,
                         bool erg, double tau) const;

    LyricEncoderConfig cfg_;
    int64_t input_size_ = 0;
    Linear embed_;                  // embed.out.0
    at::Tensor embed_norm_w_, embed_norm_b_;  // embed.out.1
    std::vector<Layer> layers_;
    at::Tensor after_norm_w_, after_norm_b_;
};

}  // namespace acestep
