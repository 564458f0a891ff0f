// ACE-Step v1 diffusion transformer (`ace_step_transformer`, official ACEStepTransformer2DModel),
// exact to the official checkpoint (model.md §3.5, §4).
//
// Architecture in one line: conditions -> E = [speaker_embedder(spk) | genre_embedder(text) |
// lyric_proj(LyricEncoder(lyric_embs(ids)))]; latent [B,8,16,W] -> patch embed (one token per frame)
// -> 24 × {adaLN RMSNorm -> ReLU linear self-attention (RoPE) ; raw-stream cross-attention to E (RoPE
// on q by frame, on k by encoder token) ; adaLN RMSNorm -> GLUMBConv} -> final adaLN + Linear ->
// unpatchify -> velocity [B,8,16,W].
//
// Quirks reproduced on purpose (model.md §12): the non-standard RoPE pairing with cos/sin rounded to
// the activation dtype (Q1, Q2); cross-attention on the un-normalised residual stream, no gate (Q3);
// key-RoPE and key mask always on although the add_* projections are never used (Q4); the ±65504
// clamp after the linear attention (Q5). fp32 islands on the bf16 path: timestep sinusoid, RMS
// statistics, RoPE arithmetic, the linear-attention core (§4.10).
//
// How the pipeline uses it (model.md §8):
//
//   auto dit = AceStepTransformer::load_folder(ckpt / "ace_step_transformer", dtype, device);
//   DitCondition c  = dit.encode(text_h, text_mask, zeros_spk, lyric_ids, lyric_mask);          // cond
//   DitCondition u  = dit.encode(zeros_like(text_h), text_mask, zeros_spk, zeros_like(ids),     // null,
//                                lyric_mask);                                                   //  no ERG
//   DitCondition ue = dit.encode(erg_text_h_or_zeros, text_mask, zeros_spk, lyric_ids,          // null,
//                                lyric_mask, ErgScale::lyric());                                //  ERG lyric
//   DitConditionCache cc = dit.cache_condition(c), uc = dit.cache_condition(u);                 // once
//   for each step:
//     v_c = dit.decode(x, frame_mask, cc, t);                                                   // cond
//     v_u = dit.decode(x, frame_mask, uc, t, ErgScale::diffusion());                            // ERG diffusion
//
// encode() is per condition set; decode() is per step. Conditions of the same shapes can be
// batched (cat along dim 0, as flow-edit does). Everything is returned in the model dtype except the
// condition mask (fp32, as the reference's type promotion makes it).
//
// LoRA (model.md §9.7): every Linear of the DiT and of the lyric encoder carries an optional adapter,
// addressed by its checkpoint module name ("transformer_blocks.3.attn.to_q",
// "lyric_encoder.encoders.2.self_attn.linear_v", "speaker_embedder"). Attaching or detaching changes
// lora_generation(); a DitConditionCache built under another generation is refused by decode()
// (cross-attention K/V depend on cross_attn.to_k / to_v), and DitConditions should be re-encoded.
//
// Not thread-safe for concurrent attach/detach and forward; forward calls alone may run concurrently.
#pragma once

#include <ATen/ATen.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "acestep/config.h"
#include "models/dit_block.h"
#include "models/lyric_encoder.h"
#include "models/module.h"

namespace acestep {

// The encoder output E and its mask (transformer.encode).
struct DitCondition {
    at::Tensor hidden;  // [B, 1+T+L, C], model dtype
    at::Tensor mask;    // [B, 1+T+L], fp32, 1 = attend
};

// A condition with its cross-attention keys/values precomputed for every block (they depend only on
// E). Build once per generation with cache_condition(); costs 2 · blocks · B · S_enc · C elements
// (≈ 13 MB per 100 encoder tokens for the real model in bf16, batch 1).
struct DitConditionCache {
    at::Tensor mask;                         // [B, S_enc] fp32
    std::vector<at::Tensor> key, value;      // per block [B, H, S_enc, D], keys already RoPE'd
    uint64_t lora_generation = 0;
    bool mask_ones = false;                  // every condition token kept (checked once, here)
    int64_t batch() const { return mask.size(0); }
    int64_t length() const { return mask.size(1); }
};

class AceStepTransformer {
public:
    AceStepTransformer(AceStepTransformer&&) = default;
    AceStepTransformer& operator=(AceStepTransformer&&) = default;
    AceStepTransformer(const AceStepTransformer&) = delete;  // adapters are shared by pointer
    AceStepTransformer& operator=(const AceStepTransformer&) = delete;

    // `<folder>/config.json` + `<folder>/diffusion_pytorch_model.safetensors`.
    static AceStepTransformer load_folder(const std::string& folder, at::ScalarType dtype, at::Device device);
    // From any source (a Weights file, or an in-memory state dict: TensorMapSource). Sizes come from
    // `cfg`. The training-only `projectors.*` and the unused `cross_attn.add_{q,k,v}_proj` /
    // `cross_attn.to_add_out` are skipped silently; any other unknown key is reported once on stderr.
    static AceStepTransformer load(const DitConfig& cfg, TensorSource& src);

    // ---- conditions (per condition set) ----
    // text_hidden [B,T,text_embedding_dim] (UMT5 output), text_mask [B,T], speaker [B,512] (zeros in
    // the released pipeline), lyric_ids [B,L] int64, lyric_mask [B,L]. Masks may be any dtype (1 = keep).
    // `lyric_erg` = ErgScale::lyric() for the ERG-lyric null condition.
    DitCondition encode(const at::Tensor& text_hidden, const at::Tensor& text_mask, const at::Tensor& speaker,
                        const at::Tensor& lyric_ids, const at::Tensor& lyric_mask,
                        const ErgScale& lyric_erg = {}) const;
    // lyric_embs -> lyric encoder (before lyric_proj) [B, L, lyric output_size]; and after lyric_proj [B, L, C].
    at::Tensor lyric_encoder_hidden(const at::Tensor& lyric_ids, const at::Tensor& lyric_mask, const ErgScale& erg = {}) const;
    at::Tensor forward_lyric_encoder(const at::Tensor& lyric_ids, const at::Tensor& lyric_mask, const ErgScale& erg = {}) const;
    DitConditionCache cache_condition(const DitCondition& c) const;

    // ---- denoiser (per step) ----
    // hidden [B, in_channels, 16, W]; attention_mask [B, W] (frame mask; all ones in every task — a
    // zero frame gets an all −inf cross-attention row, NaN as in the reference); timestep [B] or a
    // scalar, fp32 (σ·1000); `erg` = ErgScale::diffusion() for the ERG-diffusion branch;
    // output_length = W when 0 (crops/zero-pads the time axis like the reference).
    // Returns the predicted flow velocity [B, out_channels, 16, output_length] in the model dtype.
    at::Tensor decode(const at::Tensor& hidden, const at::Tensor& attention_mask, const DitCondition& cond,
                      const at::Tensor& timestep, const ErgScale& erg = {}, int64_t output_length = 0) const;
    at::Tensor decode(const at::Tensor& hidden, const at::Tensor& attention_mask, const DitConditionCache& cond,
                      const at::Tensor& timestep, const ErgScale& erg = {}, int64_t output_length = 0) const;
    // encode + decode (output_length = W), as the reference's forward.
    at::Tensor forward(const at::Tensor& hidden, const at::Tensor& attention_mask, const at::Tensor& text_hidden,
                       const at::Tensor& text_mask, const at::Tensor& speaker, const at::Tensor& lyric_ids,
                       const at::Tensor& lyric_mask, const at::Tensor& timestep) const;

    // ---- LoRA ----
    std::vector<std::string> linear_modules() const;
    bool has_linear(const std::string& module) const;
    // A [r, in], B [out, r]; converted to the model dtype/device. Throws acestep::Error for an unknown
    // module or a shape mismatch (nothing changes then).
    void attach_lora(const std::string& module, const at::Tensor& a, const at::Tensor& b, double scale);
    bool detach_lora(const std::string& module);  // false when it had none
    size_t detach_all_lora();
    // Attaches every `<module>.lora_A.weight` / `<module>.lora_B.weight` pair of a PEFT state dict
    // (keys may carry a "transformer." prefix) with scale weight · factors[module] (1 when absent; see
    // acestep/lora_config.h). All-or-nothing: everything is checked first. Returns the number of
    // modules. Other keys (e.g. `lora_magnitude_vector`, DoRA) are an error.
    size_t attach_lora_state_dict(const std::map<std::string, at::Tensor>& tensors, double weight,
                                  const std::map<std::string, double>& factors = {});
    void set_lora_scale(double weight);  // every attached adapter: weight · its factor
    size_t lora_count() const;
    uint64_t lora_generation() const { return lora_generation_; }

    // ---- fast path ----
    // Step-constant work is done once: the RoPE table is computed once per model (rows do not depend
    // on the table length), the all-zero additive cross-attention mask and the all-one frame-mask
    // products are skipped (x + 0 = x, x·1 = x), and RoPE is applied with fewer passes. Outputs are
    // bitwise those of the reference op sequence. set_reference_path(true) runs that sequence
    // instead (the benchmark's "plain" side; tests).
    void set_reference_path(bool on) { reference_ = on; }
    bool reference_path() const { return reference_; }

    // ---- introspection ----
    const DitConfig& config() const { return cfg_; }
    at::ScalarType dtype() const { return dtype_; }
    at::Device device() const { return device_; }
    // Parameters held (what inference needs; LoRA adapters excluded), under their checkpoint keys.
    std::vector<std::pair<std::string, at::Tensor>> named_parameters() const;
    int64_t parameter_count() const;
    // Every key the model takes, with the shape `cfg` implies (no tensors are created).
    static std::vector<std::pair<std::string, std::vector<int64_t>>> parameter_shapes(const DitConfig& cfg);

private:
    explicit AceStepTransformer(const DitConfig& cfg);
    void visit(ParamVisitor& v);
    Linear* find_linear(const std::string& module);
    at::Tensor decode_impl(const at::Tensor& hidden, const at::Tensor& attention_mask, const at::Tensor& enc_mask,
                           const DitCondition* cond, const DitConditionCache* cache, const at::Tensor& timestep,
                           const ErgScale& erg, int64_t output_length) const;
    dit::BlockShape shape() const { return {cfg_.num_attention_heads, cfg_.attention_head_dim}; }

    dit::Rope rope_rows(int64_t n) const;  // rows 0..n-1 of the cached table

    struct RopeCache;
    DitConfig cfg_;
    bool reference_ = false;
    std::shared_ptr<RopeCache> rope_cache_;
    at::ScalarType dtype_ = at::kFloat;
    at::Device device_{at::kCPU};
    uint64_t lora_generation_ = 0;

    Linear time_linear_1_, time_linear_2_, t_block_;   // timestep_embedder.linear_{1,2}, t_block.1
    Linear speaker_embedder_, genre_embedder_, lyric_proj_;
    at::Tensor lyric_embs_;                            // [vocab, lyric_hidden_size]
    LyricEncoder lyric_encoder_;
    at::Tensor patch_conv0_w_, patch_conv0_b_, patch_norm_w_, patch_norm_b_, patch_conv2_w_, patch_conv2_b_;
    std::vector<dit::Block> blocks_;
    Linear final_linear_;
    at::Tensor final_scale_shift_table_;               // [2, C]
};

}  // namespace acestep
