// ACE-Step v1 diffusion transformer: loading, condition encoder, denoiser, LoRA plumbing.
// Exact to the official checkpoint (model.md §4); the blocks live in dit_block.cpp.
#include "models/dit.h"

#include <cmath>
#include <filesystem>
#include <limits>
#include <mutex>
#include <set>

#include "acestep/error.h"
#include "acestep/lora_config.h"
#include "models/ops.h"

namespace acestep {

namespace {

std::string shape_of(const at::Tensor& t) { return t.defined() ? shape_str(t.sizes()) : std::string("<none>"); }

void require(bool ok, const std::string& what) {
    if (!ok) throw Error("ace_step_transformer: " + what);
}

int64_t ff_hidden(const DitConfig& c) { return (int64_t)((double)c.inner_dim() * c.mlp_ratio); }

}  // namespace

struct AceStepTransformer::RopeCache {
    std::mutex mu;
    dit::Rope table;
    int64_t rows = 0;
};

dit::Rope AceStepTransformer::rope_rows(int64_t n) const {
    if (reference_) return dit::rope_table(n, cfg_.attention_head_dim, cfg_.rope_theta, dtype_, device_);
    std::lock_guard<std::mutex> lock(rope_cache_->mu);
    if (rope_cache_->rows < n) {
        const int64_t rows = (n + 1023) / 1024 * 1024;  // grow in steps; row p is the same for any length
        rope_cache_->table = dit::rope_table(rows, cfg_.attention_head_dim, cfg_.rope_theta, dtype_, device_);
        rope_cache_->rows = rows;
    }
    return rope_cache_->table.slice(n);
}

AceStepTransformer::AceStepTransformer(const DitConfig& cfg)
    : cfg_(cfg), rope_cache_(std::make_shared<RopeCache>()), lyric_encoder_(cfg.lyric_encoder, cfg.lyric_hidden_size) {
    require(cfg.patch_size.size() == 2 && cfg.patch_size[0] > 0 && cfg.patch_size[1] > 0,
            "config patch_size must be two positive integers");
    require(cfg.num_attention_heads > 0 && cfg.attention_head_dim > 0 && cfg.attention_head_dim % 2 == 0,
            "config attention_head_dim must be even (RoPE pairs)");
    require(cfg.lyric_encoder.output_size == cfg.lyric_hidden_size,
            "lyric encoder output_size " + std::to_string(cfg.lyric_encoder.output_size) +
                " differs from lyric_hidden_size " + std::to_string(cfg.lyric_hidden_size) + " (lyric_proj input)");
    require(cfg.in_channels * 256 % 32 == 0, "config in_channels must make in_channels*256 a multiple of 32 (GroupNorm)");
    blocks_.resize(cfg.num_layers);
}

void AceStepTransformer::visit(ParamVisitor& v) {
    const int64_t C = cfg_.inner_dim(), E = cfg_.in_channels * 256;
    const int64_t ph = cfg_.patch_size[0], pw = cfg_.patch_size[1];
    v.linear("timestep_embedder.linear_1", time_linear_1_, 256, C, true);
    v.linear("timestep_embedder.linear_2", time_linear_2_, C, C, true);
    v.linear("t_block.1", t_block_, C, 6 * C, true);
    v.linear("speaker_embedder", speaker_embedder_, cfg_.speaker_embedding_dim, C, true);
    v.linear("genre_embedder", genre_embedder_, cfg_.text_embedding_dim, C, true);
    v.tensor("lyric_embs.weight", lyric_embs_, {cfg_.lyric_encoder_vocab_size, cfg_.lyric_hidden_size});
    lyric_encoder_.visit(v, "lyric_encoder.");
    v.linear("lyric_proj", lyric_proj_, cfg_.lyric_hidden_size, C, true);
    v.tensor("proj_in.early_conv_layers.0.weight", patch_conv0_w_, {E, cfg_.in_channels, ph, pw});
    v.tensor("proj_in.early_conv_layers.0.bias", patch_conv0_b_, {E});
    v.tensor("proj_in.early_conv_layers.1.weight", patch_norm_w_, {E});
    v.tensor("proj_in.early_conv_layers.1.bias", patch_norm_b_, {E});
    v.tensor("proj_in.early_conv_layers.2.weight", patch_conv2_w_, {C, E, 1, 1});
    v.tensor("proj_in.early_conv_layers.2.bias", patch_conv2_b_, {C});
    for (size_t i = 0; i < blocks_.size(); ++i)
        blocks_[i].visit(v, "transformer_blocks." + std::to_string(i) + ".", C, ff_hidden(cfg_));
    v.linear("final_layer.linear", final_linear_, C, ph * pw * cfg_.out_channels, true);
    v.tensor("final_layer.scale_shift_table", final_scale_shift_table_, {2, C});
}

AceStepTransformer AceStepTransformer::load(const DitConfig& cfg, TensorSource& src) {
    AceStepTransformer m(cfg);
    m.dtype_ = src.dtype();
    m.device_ = src.device();
    // Training-only REPA heads and the cross-attention "added" projections no processor uses (§4.8, Q4).
    src.ignore_prefix("projectors.");
    for (int64_t i = 0; i < cfg.num_layers; ++i) {
        const std::string p = "transformer_blocks." + std::to_string(i) + ".cross_attn.";
        for (const char* n : {"add_q_proj.", "add_k_proj.", "add_v_proj.", "to_add_out."}) src.ignore_prefix(p + n);
    }
    LoadVisitor lv(src);
    m.visit(lv);
    src.report_unused();
    return m;
}

AceStepTransformer AceStepTransformer::load_folder(const std::string& folder, at::ScalarType dtype, at::Device device) {
    const std::filesystem::path dir(folder);
    DitConfig cfg = load_dit_config((dir / "config.json").string());
    Weights w = Weights::open((dir / "diffusion_pytorch_model.safetensors").string(), dtype, device);
    WeightsSource src(w);
    return load(cfg, src);
}

// ---- conditions -----------------------------------------------------------------------------------

at::Tensor AceStepTransformer::lyric_encoder_hidden(const at::Tensor& ids, const at::Tensor& mask, const ErgScale& erg) const {
    require(ids.dim() == 2, "lyric_token_idx must be [B, L], got " + shape_of(ids));
    require(mask.dim() == 2 && mask.sizes() == ids.sizes(),
            "lyric_mask must have the shape of lyric_token_idx " + shape_of(ids) + ", got " + shape_of(mask));
    require(!at::isFloatingType(ids.scalar_type()), "lyric_token_idx must be an integer tensor");
    require(ids.size(1) > 0, "lyric_token_idx is empty (the pipeline uses [[0]] for no lyrics)");
    const at::Tensor idl = ids.to(device_, at::kLong);
    const int64_t lo = idl.min().item<int64_t>(), hi = idl.max().item<int64_t>();
    require(lo >= 0 && hi < cfg_.lyric_encoder_vocab_size,
            "lyric token id " + std::to_string(lo < 0 ? lo : hi) + " is outside the vocabulary [0, " +
                std::to_string(cfg_.lyric_encoder_vocab_size) + ")");
    at::Tensor emb = at::embedding(lyric_embs_, idl);
    return lyric_encoder_.forward(emb, mask.to(device_), erg);
}

at::Tensor AceStepTransformer::forward_lyric_encoder(const at::Tensor& ids, const at::Tensor& mask, const ErgScale& erg) const {
    return lyric_proj_(lyric_encoder_hidden(ids, mask, erg));
}

DitCondition AceStepTransformer::encode(const at::Tensor& text_hidden, const at::Tensor& text_mask,
                                        const at::Tensor& speaker, const at::Tensor& lyric_ids,
                                        const at::Tensor& lyric_mask, const ErgScale& lyric_erg) const {
    require(text_hidden.dim() == 3 && text_hidden.size(2) == cfg_.text_embedding_dim,
            "encoder_text_hidden_states must be [B, T, " + std::to_string(cfg_.text_embedding_dim) + "], got " +
                shape_of(text_hidden));
    const int64_t B = text_hidden.size(0);
    require(text_mask.dim() == 2 && text_mask.size(0) == B && text_mask.size(1) == text_hidden.size(1),
            "text_attention_mask must be [B, T] = " + shape_str({B, text_hidden.size(1)}) + ", got " + shape_of(text_mask));
    require(speaker.dim() == 2 && speaker.size(0) == B && speaker.size(1) == cfg_.speaker_embedding_dim,
            "speaker_embeds must be " + shape_str({B, cfg_.speaker_embedding_dim}) + ", got " + shape_of(speaker));
    require(lyric_ids.dim() == 2 && lyric_ids.size(0) == B,
            "lyric_token_idx must be [B, L] with B = " + std::to_string(B) + ", got " + shape_of(lyric_ids));

    at::Tensor spk = speaker_embedder_(speaker.to(device_, dtype_)).unsqueeze(1);
    at::Tensor txt = genre_embedder_(text_hidden.to(device_, dtype_));
    at::Tensor lyr = forward_lyric_encoder(lyric_ids, lyric_mask, lyric_erg);
    DitCondition c;
    c.hidden = at::cat({spk, txt, lyr}, 1);
    const auto f32 = at::TensorOptions().dtype(at::kFloat).device(device_);
    c.mask = at::cat({at::ones({B, 1}, f32), text_mask.to(device_, at::kFloat), lyric_mask.to(device_, at::kFloat)}, 1);
    return c;
}

DitConditionCache AceStepTransformer::cache_condition(const DitCondition& c) const {
    require(c.hidden.dim() == 3 && c.hidden.size(2) == cfg_.inner_dim() && c.mask.dim() == 2 &&
                c.mask.size(0) == c.hidden.size(0) && c.mask.size(1) == c.hidden.size(1),
            "condition must be E [B, S, " + std::to_string(cfg_.inner_dim()) + "] with mask [B, S], got " +
                shape_of(c.hidden) + " and " + shape_of(c.mask));
    DitConditionCache cc;
    cc.mask = c.mask.to(device_, at::kFloat);
    cc.lora_generation = lora_generation_;
    cc.mask_ones = cc.mask.eq(1.0).all().item<bool>();
    const at::Tensor enc = c.hidden.to(device_, dtype_);
    const dit::Rope rope = rope_rows(enc.size(1));
    cc.key.reserve(blocks_.size());
    cc.value.reserve(blocks_.size());
    for (const auto& b : blocks_) {
        auto kv = dit::cross_key_value(b, enc, rope, shape(), reference_);
        cc.key.push_back(std::move(kv.first));
        cc.value.push_back(std::move(kv.second));
    }
    return cc;
}

// ---- denoiser -------------------------------------------------------------------------------------

at::Tensor AceStepTransformer::decode(const at::Tensor& hidden, const at::Tensor& attention_mask, const DitCondition& cond,
                                      const at::Tensor& timestep, const ErgScale& erg, int64_t output_length) const {
    require(cond.hidden.dim() == 3 && cond.hidden.size(2) == cfg_.inner_dim() && cond.mask.dim() == 2 &&
                cond.mask.size(0) == cond.hidden.size(0) && cond.mask.size(1) == cond.hidden.size(1),
            "encoder_hidden_states must be [B, S, " + std::to_string(cfg_.inner_dim()) +
                "] with encoder_hidden_mask [B, S], got " + shape_of(cond.hidden) + " and " + shape_of(cond.mask));
    return decode_impl(hidden, attention_mask, cond.mask, &cond, nullptr, timestep, erg, output_length);
}

at::Tensor AceStepTransformer::decode(const at::Tensor& hidden, const at::Tensor& attention_mask,
                                      const DitConditionCache& cond, const at::Tensor& timestep, const ErgScale& erg,
                                      int64_t output_length) const {
    require(cond.key.size() == blocks_.size() && cond.value.size() == blocks_.size() && cond.mask.defined(),
            "condition cache holds " + std::to_string(cond.key.size()) + " blocks, the model has " +
                std::to_string(blocks_.size()));
    require(cond.lora_generation == lora_generation_,
            "condition cache was built before a LoRA change; rebuild it with cache_condition()");
    return decode_impl(hidden, attention_mask, cond.mask, nullptr, &cond, timestep, erg, output_length);
}

at::Tensor AceStepTransformer::decode_impl(const at::Tensor& hidden_in, const at::Tensor& attention_mask,
                                           const at::Tensor& enc_mask_in, const DitCondition* cond,
                                           const DitConditionCache* cache, const at::Tensor& timestep,
                                           const ErgScale& erg, int64_t output_length) const {
    const int64_t ph = cfg_.patch_size[0], pw = cfg_.patch_size[1], C = cfg_.inner_dim();
    require(hidden_in.dim() == 4 && hidden_in.size(1) == cfg_.in_channels && hidden_in.size(2) == ph &&
                hidden_in.size(3) > 0 && hidden_in.size(3) % pw == 0,
            "hidden_states must be [B, " + std::to_string(cfg_.in_channels) + ", " + std::to_string(ph) +
                ", W], got " + shape_of(hidden_in));
    const int64_t B = hidden_in.size(0), S = hidden_in.size(3) / pw, S_enc = enc_mask_in.size(1);
    require(enc_mask_in.size(0) == B, "condition batch " + std::to_string(enc_mask_in.size(0)) +
                                          " differs from the latent batch " + std::to_string(B));
    require(attention_mask.dim() == 2 && attention_mask.size(0) == B && attention_mask.size(1) == S,
            "attention_mask must be " + shape_str({B, S}) + ", got " + shape_of(attention_mask));
    at::Tensor t = timestep.to(device_, at::kFloat);
    if (t.numel() == 1 && B != 1) t = t.reshape({1}).expand({B});
    t = t.reshape({-1});
    require(t.size(0) == B, "timestep must be a scalar or [B] = [" + std::to_string(B) + "], got " + shape_of(timestep));
    if (output_length <= 0) output_length = hidden_in.size(3);

    // Timestep: diffusers Timesteps(256, flip_sin_to_cos=True, shift 0) in fp32, then the MLPs.
    const auto f32 = at::TensorOptions().dtype(at::kFloat).device(device_);
    at::Tensor exponent = at::arange(0, 128, f32) * (-std::log(10000.0));
    exponent = exponent / 128.0;
    at::Tensor arg = t.unsqueeze(1) * at::exp(exponent).unsqueeze(0);
    at::Tensor t_emb = at::cat({at::cos(arg), at::sin(arg)}, -1).to(dtype_);
    const at::Tensor embedded_timestep = time_linear_2_(at::silu(time_linear_1_(t_emb)));  // [B, C]
    const at::Tensor temb = t_block_(at::silu(embedded_timestep)).view({B, 6, C});

    // Patch embedding: one token per frame.
    at::Tensor x = hidden_in.to(device_, dtype_);
    x = at::conv2d(x, patch_conv0_w_, patch_conv0_b_, {ph, pw});
    x = at::group_norm(x, 32, patch_norm_w_, patch_norm_b_, 1e-6);
    x = at::conv2d(x, patch_conv2_w_, patch_conv2_b_);
    x = x.flatten(2).transpose(1, 2).contiguous();  // [B, S, C]

    const at::Tensor frame_mask = attention_mask.to(device_, at::kFloat);
    const at::Tensor enc_mask = enc_mask_in.to(device_, at::kFloat);
    // Fast path: an all-one frame mask (every task) makes its products identities, and with an
    // all-one condition mask the additive cross-attention mask is all zeros. The frame-mask check
    // runs on CPU only (on CUDA it would be a host sync per step).
    const bool frame_ones = !reference_ && device_.is_cpu() && frame_mask.eq(1.0).all().item<bool>();
    const bool enc_ones = !reference_ && (cache ? cache->mask_ones : device_.is_cpu() && enc_mask.eq(1.0).all().item<bool>());
    at::Tensor cross_mask;
    if (!(frame_ones && enc_ones)) {
        const at::Tensor combined = frame_mask.unsqueeze(2) * enc_mask.unsqueeze(1);  // [B, S, S_enc]
        cross_mask = at::zeros({B, 1, S, S_enc}, f32)
                         .masked_fill(combined.ne(1.0).unsqueeze(1), -std::numeric_limits<double>::infinity())
                         .to(dtype_);
    }

    const dit::Rope rope = rope_rows(std::max(S, S_enc));
    const dit::Rope rope_s = rope.slice(S);
    const dit::Rope rope_e = rope.slice(S_enc);
    at::Tensor enc;
    if (cond) enc = cond->hidden.to(device_, dtype_);

    for (size_t i = 0; i < blocks_.size(); ++i) {
        at::Tensor k, v;
        if (cache) {
            k = cache->key[i];
            v = cache->value[i];
        } else {
            std::tie(k, v) = dit::cross_key_value(blocks_[i], enc, rope_e, shape(), reference_);
        }
        dit::BlockInputs in;
        in.temb = &temb;
        in.frame_mask = &frame_mask;
        in.rope = &rope_s;
        in.cross_key = &k;
        in.cross_value = &v;
        in.cross_mask = cross_mask.defined() ? &cross_mask : nullptr;
        in.q_scale = erg.applies((int64_t)i) ? erg.tau : 1.0;
        in.frame_mask_ones = frame_ones;
        in.reference = reference_;
        x = dit::block_forward(blocks_[i], x, in, shape());
    }

    // Final layer: adaLN with the timestep embedding (not t_block's output), Linear, unpatchify.
    auto ss = (final_scale_shift_table_.unsqueeze(0) + embedded_timestep.unsqueeze(1)).chunk(2, 1);
    at::Tensor y = ops::rms_norm(x, 1e-6) * (1 + ss[1]) + ss[0];
    y = final_linear_(y);  // [B, S, ph·pw·out]
    const int64_t out_c = cfg_.out_channels;
    // "nhwpqc->nchpwq" with h = 1: out[b, c, p, s·pw + q] = y[b, s, (p·pw + q)·out_c + c]
    at::Tensor out = y.view({B, S, ph, pw, out_c}).permute({0, 4, 2, 1, 3}).reshape({B, out_c, ph, S * pw});
    const int64_t width = S * pw;
    if (output_length > width) out = at::constant_pad_nd(out, {0, output_length - width, 0, 0}, 0.0);
    else if (output_length < width) out = out.slice(3, 0, output_length);
    return out.contiguous();
}

at::Tensor AceStepTransformer::forward(const at::Tensor& hidden, const at::Tensor& attention_mask,
                                       const at::Tensor& text_hidden, const at::Tensor& text_mask,
                                       const at::Tensor& speaker, const at::Tensor& lyric_ids,
                                       const at::Tensor& lyric_mask, const at::Tensor& timestep) const {
    DitCondition c = encode(text_hidden, text_mask, speaker, lyric_ids, lyric_mask);
    return decode(hidden, attention_mask, c, timestep, ErgScale::none(), hidden.size(-1));
}

// ---- LoRA -----------------------------------------------------------------------------------------

Linear* AceStepTransformer::find_linear(const std::string& module) {
    Linear* found = nullptr;
    LinearVisitor lv([&](const std::string& name, Linear& l) {
        if (!found && name == module) found = &l;
    });
    visit(lv);
    return found;
}

std::vector<std::string> AceStepTransformer::linear_modules() const {
    std::vector<std::string> out;
    LinearVisitor lv([&](const std::string& name, Linear&) { out.push_back(name); });
    const_cast<AceStepTransformer*>(this)->visit(lv);  // the walk reads only
    return out;
}

bool AceStepTransformer::has_linear(const std::string& module) const {
    return const_cast<AceStepTransformer*>(this)->find_linear(module) != nullptr;
}

void AceStepTransformer::attach_lora(const std::string& module, const at::Tensor& a, const at::Tensor& b, double scale) {
    Linear* l = find_linear(module);
    if (!l) throw Error("LoRA: the DiT has no Linear module named '" + module + "'");
    l->attach_lora(module, a, b, scale);
    ++lora_generation_;
}

bool AceStepTransformer::detach_lora(const std::string& module) {
    Linear* l = find_linear(module);
    if (!l || !l->lora) return false;
    l->detach_lora();
    ++lora_generation_;
    return true;
}

size_t AceStepTransformer::detach_all_lora() {
    size_t n = 0;
    LinearVisitor lv([&](const std::string&, Linear& l) {
        if (l.lora) {
            l.detach_lora();
            ++n;
        }
    });
    visit(lv);
    if (n) ++lora_generation_;
    return n;
}

size_t AceStepTransformer::attach_lora_state_dict(const std::map<std::string, at::Tensor>& tensors, double weight,
                                                  const std::map<std::string, double>& factors) {
    struct Pair {
        at::Tensor a, b;
    };
    std::map<std::string, Pair> pairs;
    for (const auto& [key, t] : tensors) {
        const LoraKey k = parse_lora_key(key);
        if (k.part == 'A') pairs[k.module].a = t;
        else if (k.part == 'B') pairs[k.module].b = t;
        else throw Error("LoRA: unsupported tensor '" + key + "' (expected <module>.lora_A.weight / .lora_B.weight)");
    }
    if (pairs.empty()) throw Error("LoRA: no lora_A/lora_B tensors found");
    auto factor_of = [&](const std::string& module) {
        const auto it = factors.find(module);
        return it == factors.end() ? 1.0 : it->second;
    };
    // Check everything before changing anything.
    std::vector<std::pair<Linear*, const std::string*>> targets;
    for (const auto& [module, p] : pairs) {
        if (!p.a.defined() || !p.b.defined())
            throw Error("LoRA: module '" + module + "' has " + (p.a.defined() ? "lora_A" : "lora_B") + " but no " +
                        (p.a.defined() ? "lora_B" : "lora_A"));
        Linear* l = find_linear(module);
        if (!l) throw Error("LoRA: the DiT has no Linear module named '" + module + "'");
        Linear probe;
        probe.weight = l->weight;
        probe.attach_lora(module, p.a, p.b, 1.0);  // shape check only
        targets.emplace_back(l, &module);
    }
    for (auto& [l, module] : targets) {
        const Pair& p = pairs.at(*module);
        l->attach_lora(*module, p.a, p.b, weight * factor_of(*module));
        l->lora->factor = factor_of(*module);
    }
    ++lora_generation_;
    return targets.size();
}

void AceStepTransformer::set_lora_scale(double weight) {
    bool any = false;
    LinearVisitor lv([&](const std::string&, Linear& l) {
        if (l.lora) {
            l.lora->scale = weight * l.lora->factor;
            any = true;
        }
    });
    visit(lv);
    if (any) ++lora_generation_;
}

size_t AceStepTransformer::lora_count() const {
    size_t n = 0;
    LinearVisitor lv([&](const std::string&, Linear& l) { n += l.lora ? 1 : 0; });
    const_cast<AceStepTransformer*>(this)->visit(lv);
    return n;
}

// ---- introspection --------------------------------------------------------------------------------

std::vector<std::pair<std::string, at::Tensor>> AceStepTransformer::named_parameters() const {
    std::vector<std::pair<std::string, at::Tensor>> out;
    ListVisitor lv([&](const std::string& key, const at::Tensor& t) { out.emplace_back(key, t); });
    const_cast<AceStepTransformer*>(this)->visit(lv);
    return out;
}

std::vector<std::pair<std::string, std::vector<int64_t>>> AceStepTransformer::parameter_shapes(const DitConfig& cfg) {
    struct ShapeVisitor final : ParamVisitor {
        std::vector<std::pair<std::string, std::vector<int64_t>>> out;
        void tensor(const std::string& key, at::Tensor&, std::vector<int64_t> shape) override {
            out.emplace_back(key, std::move(shape));
        }
    } sv;
    AceStepTransformer m(cfg);
    m.visit(sv);
    return std::move(sv.out);
}

int64_t AceStepTransformer::parameter_count() const {
    int64_t n = 0;
    for (const auto& [k, t] : named_parameters()) n += t.numel();
    return n;
}

}  // namespace acestep
