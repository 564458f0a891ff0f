// Self-test cases for the DiT and its lyric encoder against the official fixtures:
// lyric_encoder, lyric_encoder_erg, transformer_forward, transformer_decode_erg (model.md §3.5, §4, §8.6).
#include <filesystem>

#include "models/dit.h"
#include "selftest/fixture.h"

namespace acestep::selftest {

namespace {

// fp32 is the fixture's precision (README: module cases 1e-5); other dtypes only get a sanity bound.
double tolerance(const Context& ctx) { return ctx.dtype == at::kFloat ? 1e-5 : 5e-2; }

std::shared_ptr<AceStepTransformer> dit_model(Context& ctx) {
    return ctx.cached<AceStepTransformer>("dit", [&] {
        return std::make_shared<AceStepTransformer>(
            AceStepTransformer::load_folder((ctx.checkpoint / "ace_step_transformer").string(), ctx.dtype, ctx.device));
    });
}

ErgScale erg_from(const Fixture& fx) {
    const auto& j = fx.json();
    return ErgScale{j.at("tau").get<double>(), j.at("l_min").get<int64_t>(), j.at("l_max").get<int64_t>()};
}

CaseResult lyric_encoder_case(Context& ctx) {
    auto m = dit_model(ctx);
    auto fx = ctx.fixture("lyric_encoder");
    const at::Tensor ids = fx.tensor("lyric_token_idx"), mask = fx.tensor("lyric_mask");
    Comparison cmp;
    cmp.add("conformer_out", m->lyric_encoder_hidden(ids, mask), fx.tensor("conformer_out"));
    cmp.add("lyric_encoder_out", m->forward_lyric_encoder(ids, mask), fx.tensor("lyric_encoder_out"));
    return cmp.result(tolerance(ctx));
}

CaseResult lyric_encoder_erg_case(Context& ctx) {
    auto m = dit_model(ctx);
    auto fx = ctx.fixture("lyric_encoder_erg");
    Comparison cmp;
    cmp.add("lyric_encoder_out",
            m->forward_lyric_encoder(fx.tensor("lyric_token_idx"), fx.tensor("lyric_mask"), erg_from(fx)),
            fx.tensor("lyric_encoder_out"));
    return cmp.result(tolerance(ctx));
}

CaseResult transformer_forward_case(Context& ctx) {
    auto m = dit_model(ctx);
    auto fx = ctx.fixture("transformer_forward");
    DitCondition c = m->encode(fx.tensor("encoder_text_hidden_states"), fx.tensor("text_attention_mask"),
                               fx.tensor("speaker_embeds"), fx.tensor("lyric_token_idx"), fx.tensor("lyric_mask"));
    const at::Tensor hidden = fx.tensor("hidden_states");
    const int64_t out_len = fx.json().value("output_length", hidden.size(-1));
    Comparison cmp;
    cmp.add("encoder_hidden_states", c.hidden, fx.tensor("encoder_hidden_states"));
    cmp.add("encoder_hidden_mask", c.mask, fx.tensor("encoder_hidden_mask"));
    cmp.add("sample", m->decode(hidden, fx.tensor("attention_mask"), c, fx.tensor("timestep"), {}, out_len),
            fx.tensor("sample"));
    // The same step through a precomputed cross-attention cache must agree too.
    cmp.add("sample(cached)",
            m->decode(hidden, fx.tensor("attention_mask"), m->cache_condition(c), fx.tensor("timestep"), {}, out_len),
            fx.tensor("sample"));
    return cmp.result(tolerance(ctx));
}

CaseResult transformer_decode_erg_case(Context& ctx) {
    auto m = dit_model(ctx);
    auto fx = ctx.fixture("transformer_decode_erg");
    DitCondition c{fx.tensor("encoder_hidden_states"), fx.tensor("encoder_hidden_mask")};
    Comparison cmp;
    cmp.add("sample", m->decode(fx.tensor("hidden_states"), fx.tensor("attention_mask"), c, fx.tensor("timestep"), erg_from(fx)),
            fx.tensor("sample"));
    return cmp.result(tolerance(ctx));
}

void dit_cases(Context& ctx, std::vector<Case>& out) {
    if (!std::filesystem::exists(ctx.checkpoint / "ace_step_transformer" / "config.json")) return;
    if (ctx.has_case("lyric_encoder")) out.push_back({"lyric_encoder", lyric_encoder_case});
    if (ctx.has_case("lyric_encoder_erg")) out.push_back({"lyric_encoder_erg", lyric_encoder_erg_case});
    if (ctx.has_case("transformer_forward")) out.push_back({"transformer_forward", transformer_forward_case});
    if (ctx.has_case("transformer_decode_erg")) out.push_back({"transformer_decode_erg", transformer_decode_erg_case});
}

}  // namespace

ACESTEP_SELFTEST_PROVIDER(dit_cases);

}  // namespace acestep::selftest
