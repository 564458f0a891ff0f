// Self-test cases for the text encoder:
//   umt5_encoder           UMT5EncoderModel(input_ids, attention_mask).last_hidden_state, batch of 2, right padding
//   umt5_encoder_erg_null  the same with q scaled by tau in blocks [l_min, l_max) (get_text_embeddings_null)
//   umt5_tokenizer         JSON only (cases/umt5_tokenizer.json): exact ids per text; also the padded
//                          batch of umt5_encoder's prompts against its recorded input_ids/attention_mask
// fp32 tolerance 1e-5 (fixtures README).  The fixtures are fp32: with --dtype bf16 the cases are a bound
// on the fast path, 0.2 — on this tiny random checkpoint rounding the weights alone to bf16 moves the
// output by 5.9 % and the whole bf16 forward by 12 % (measured), so nothing tighter is meaningful.
#include "acestep/checkpoint.h"
#include "models/umt5.h"
#include "selftest/fixture.h"
#include "text/umt5_tokenizer.h"

namespace acestep::selftest {

namespace {

double tolerance(const Context& ctx) { return ctx.dtype == at::kFloat ? 1e-5 : 0.2; }

std::shared_ptr<Umt5Encoder> encoder(Context& ctx) {
    return ctx.cached<Umt5Encoder>("umt5_encoder", [&] {
        return std::make_shared<Umt5Encoder>(Umt5Encoder::load(find_checkpoint(ctx.checkpoint).umt5, ctx.dtype, ctx.device));
    });
}

CaseResult run_encoder(Context& ctx, const std::string& name, bool erg) {
    auto fx = ctx.fixture(name);
    Umt5Erg e;
    if (erg) {
        e.tau = fx.json().value("tau", 0.01);
        e.l_min = fx.json().value("l_min", int64_t{8});
        e.l_max = fx.json().value("l_max", int64_t{10});
    }
    const at::Tensor out = encoder(ctx)->forward(fx.tensor("input_ids"), fx.tensor("attention_mask"), erg ? &e : nullptr);
    Comparison cmp;
    cmp.add("last_hidden_state", out.to(at::kFloat), fx.tensor("last_hidden_state"));
    return cmp.result(tolerance(ctx));
}

CaseResult run_tokenizer(Context& ctx) {
    const Umt5Tokenizer tok(find_checkpoint(ctx.checkpoint));
    auto fx = ctx.fixture("umt5_tokenizer");
    const auto& cases = fx.json().at("cases");
    Comparison cmp;
    for (size_t i = 0; i < cases.size(); ++i) {
        const auto want = cases[i].at("input_ids_with_eos").get<std::vector<int64_t>>();
        const auto got = tok.encode(cases[i].at("text").get<std::string>());
        cmp.add_exact("case" + std::to_string(i) + ".input_ids", at::tensor(got, at::kLong), at::tensor(want, at::kLong));
    }
    // The encoder case's batch: tokenizer(prompts, padding=True) as the fixture recorded it.
    std::error_code ec;
    if (fs::exists(ctx.cases_dir / "umt5_encoder.json", ec)) {
        auto enc = ctx.fixture("umt5_encoder");
        const auto prompts = enc.json().at("prompts").get<std::vector<std::string>>();
        const auto b = tok.encode_batch(prompts);
        cmp.add_exact("umt5_encoder.input_ids", at::tensor(b.input_ids, at::kLong).view({b.batch, b.length}), enc.tensor("input_ids"));
        cmp.add_exact("umt5_encoder.attention_mask", at::tensor(b.attention_mask, at::kLong).view({b.batch, b.length}),
                      enc.tensor("attention_mask"));
    }
    return cmp.result(0.0);
}

void umt5_cases(Context& ctx, std::vector<Case>& out) {
    if (ctx.has_case("umt5_encoder"))
        out.push_back({"umt5_encoder", [](Context& c) { return run_encoder(c, "umt5_encoder", false); }});
    if (ctx.has_case("umt5_encoder_erg_null"))
        out.push_back({"umt5_encoder_erg_null", [](Context& c) { return run_encoder(c, "umt5_encoder_erg_null", true); }});
    std::error_code ec;
    if (fs::exists(ctx.cases_dir / "umt5_tokenizer.json", ec)) out.push_back({"umt5_tokenizer", run_tokenizer});
}

}  // namespace

ACESTEP_SELFTEST_PROVIDER(umt5_cases);

}  // namespace acestep::selftest
