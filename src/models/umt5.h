// Umt5Encoder: the UMT5-base text encoder of ACE-Step (transformers' UMT5EncoderModel), exact to the
// official checkpoint (umt5-base/model.safetensors) and to the fixture's modeling_umt5 extract.
//
// x = shared[ids]; per block: x += o(SelfAttn(RMS(x))); x += wo(act(wi_0(RMS(x))) * wi_1(RMS(x)));
// last_hidden_state = RMS_final(x).  UMT5 details that differ from T5 and matter for parity:
//   * every block has its own relative-position bias table [buckets, heads] (T5: only block 0);
//   * attention scores are not scaled by 1/sqrt(d_kv); softmax runs in fp32 and is cast back;
//   * the additive key mask is (1 - mask) * finfo(dtype).min, added to the position bias first;
//   * T5 RMS norm: statistics in fp32, the normalised value cast to the weight dtype, then * weight;
//   * gelu_new is the explicit tanh formula of transformers' NewGELUActivation, op for op;
//   * on the bf16 path everything is bf16, `wo` included (transformers keeps `wo` in fp32, the pipeline's
//     .to(bfloat16) casts it back; spec Q33).
// ERG ("energy"/temperature guidance for tags, spec §2.5): the output of the q projection is multiplied
// by tau in blocks [l_min, l_max); the pipeline's get_text_embeddings_null uses 8..10 and tau 0.01.
// Sizes all come from umt5-base/config.json.  Weights load straight into the target dtype/device
// (zero-copy from the mapping when they match); the tied embedding may be stored as `shared.weight`
// or `encoder.embed_tokens.weight` (either is accepted).
#pragma once

#include <ATen/ATen.h>

#include <vector>

#include "acestep/checkpoint.h"
#include "acestep/config.h"
#include "models/weights.h"

namespace acestep {

struct Umt5Erg {
    int64_t l_min = 8;   // first block whose q output is scaled
    int64_t l_max = 10;  // one past the last
    double tau = 0.01;
};

class Umt5Encoder {
public:
    // Takes every encoder tensor from `w` (in w's dtype/device); throws acestep::Error naming the file,
    // the key, the expected and the found shape.
    Umt5Encoder(const Umt5Config& cfg, Weights& w);
    // Reads umt5-base/config.json and model.safetensors; reports unused tensors once.
    static Umt5Encoder load(const ComponentPaths& umt5, at::ScalarType dtype, at::Device device);

    // input_ids [B,L] (integer), attention_mask [B,L] (0/1, any dtype; undefined = all ones)
    // -> last_hidden_state [B,L,d_model] in the weights' dtype, on the weights' device.
    // With `erg`, the q projections of blocks [l_min, l_max) are scaled by tau.
    at::Tensor forward(const at::Tensor& input_ids, const at::Tensor& attention_mask, const Umt5Erg* erg = nullptr) const;

    // Bucket of every (query i, key j) pair, [Lq, Lk] int64 (bidirectional; exposed for tests).
    at::Tensor relative_position_buckets(int64_t query_length, int64_t key_length) const;

    const Umt5Config& config() const { return cfg_; }
    at::ScalarType dtype() const { return dtype_; }
    at::Device device() const { return device_; }

private:
    struct Block {
        at::Tensor ln_attn, q, k, v, o, rel_bias;  // rel_bias [buckets, heads]
        at::Tensor ln_ff, wi_0, wi_1, wo;           // wi_1 undefined when the activation is not gated
    };
    at::Tensor rms_norm(const at::Tensor& x, const at::Tensor& w) const;
    at::Tensor activation(const at::Tensor& x) const;

    Umt5Config cfg_;
    at::ScalarType dtype_;
    at::Device device_;
    at::Tensor shared_;
    std::vector<Block> blocks_;
    at::Tensor final_ln_;
};

}  // namespace acestep
