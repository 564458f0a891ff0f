// Self-test case `guidance`: apg_forward (with one momentum buffer over three calls, without, and on
// small differences), cfg_forward, cfg_zero_star at i = 0 and 5, and the double-condition form, on the
// recorded random predictions (relative L2 <= 1e-6; APG projects in float64 like the original).
#include "pipeline/guidance.h"
#include "selftest/fixture.h"

namespace acestep::selftest {

namespace {

CaseResult run_guidance(Context& ctx) {
    using namespace pipeline;
    auto fx = ctx.fixture("guidance");
    const auto& j = fx.json();
    const double gs = j.at("apg").value("guidance_scale", 15.0);
    Comparison cmp;
    MomentumBuffer mb(j.at("apg").value("momentum", -0.75));
    for (int k = 0; k < 3; ++k) {
        const std::string s = std::to_string(k);
        cmp.add("apg_momentum_" + s, apg_forward(fx.tensor("cond_" + s), fx.tensor("uncond_" + s), gs, &mb),
                fx.tensor("apg_momentum_" + s));
    }
    const at::Tensor c0 = fx.tensor("cond_0"), u0 = fx.tensor("uncond_0");
    cmp.add("apg_nomomentum_gs7.5", apg_forward(c0, u0, j.at("apg_nomomentum").value("guidance_scale", 7.5), nullptr),
            fx.tensor("apg_nomomentum_gs7.5"));
    cmp.add("apg_small_diff_gs15", apg_forward(c0 * 0.05, u0 * 0.05, j.at("apg_small_diff").value("guidance_scale", 15.0), nullptr),
            fx.tensor("apg_small_diff_gs15"));
    cmp.add("cfg_gs15", cfg_forward(c0, u0, j.at("cfg").value("cfg_strength", 15.0)), fx.tensor("cfg_gs15"));
    const auto& cs = j.at("cfg_star");
    for (int i : {0, 5})
        cmp.add("cfg_star_i" + std::to_string(i),
                cfg_zero_star(c0, u0, cs.value("guidance_scale", 15.0), i, cs.value("zero_steps", 1), cs.value("use_zero_init", true)),
                fx.tensor("cfg_star_i" + std::to_string(i)));
    const auto& cd = j.at("cfg_double");
    cmp.add("cfg_double_text5_lyric2.5",
            cfg_double_condition(c0, u0, fx.tensor("only_text_cond"), cd.value("guidance_scale_text", 5.0),
                                 cd.value("guidance_scale_lyric", 2.5)),
            fx.tensor("cfg_double_text5_lyric2.5"));
    return cmp.result(1e-6);
}

void guidance_cases(Context& ctx, std::vector<Case>& out) {
    if (ctx.has_case("guidance")) out.push_back({"guidance", run_guidance});
}

}  // namespace

ACESTEP_SELFTEST_PROVIDER(guidance_cases);

}  // namespace acestep::selftest
