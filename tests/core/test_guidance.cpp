// Guidance: the official formulas on small hand-made tensors, the interval arithmetic (spec
// Appendix B), the decay, and the fixture case.
#include <gtest/gtest.h>

#include <sstream>

#include "acestep/selftest.h"
#include "common/test_util.h"
#include "pipeline/guidance.h"

using namespace acestep;
using namespace acestep::pipeline;

TEST(Guidance, IntervalMatchesTheSpec) {
    auto a = guidance_interval(60, 0.5);
    EXPECT_EQ(a.start, 15);
    EXPECT_EQ(a.end, 45);
    auto b = guidance_interval(27, 0.5);
    EXPECT_EQ(b.start, 6);
    EXPECT_EQ(b.end, 20);
    auto c = guidance_interval(4, 1.0);
    EXPECT_EQ(c.start, 0);
    EXPECT_EQ(c.end, 4);
    EXPECT_TRUE(a.contains(15));
    EXPECT_FALSE(a.contains(45));
}

TEST(Guidance, DecayIsLinearAcrossTheInterval) {
    GuidanceInterval gi{10, 21};
    EXPECT_DOUBLE_EQ(guidance_scale_at(10, gi, 15, 3, 1.0), 15.0);
    EXPECT_DOUBLE_EQ(guidance_scale_at(20, gi, 15, 3, 1.0), 3.0);
    EXPECT_DOUBLE_EQ(guidance_scale_at(15, gi, 15, 3, 0.5), 15.0 - 12.0 * 0.5 * 0.5);
    EXPECT_DOUBLE_EQ(guidance_scale_at(15, gi, 15, 3, 0.0), 15.0) << "no decay";
    EXPECT_DOUBLE_EQ(guidance_scale_at(3, GuidanceInterval{3, 4}, 15, 3, 1.0), 15.0) << "one-step interval (Q34)";
}

TEST(Guidance, CfgIsTheClassicFormula) {
    at::Tensor c = at::full({1, 8, 16, 2}, 2.0), u = at::full({1, 8, 16, 2}, 1.0);
    EXPECT_FLOAT_EQ(cfg_forward(c, u, 15.0)[0][0][0][0].item<float>(), 16.0f);
}

TEST(Guidance, DoubleConditionMixesThreePredictions) {
    at::Tensor c = at::full({1, 1, 1, 1}, 3.0), u = at::full({1, 1, 1, 1}, 1.0), t = at::full({1, 1, 1, 1}, 2.0);
    // (1-5)*1 + (5-2.5)*2 + 2.5*3 = -4 + 5 + 7.5
    EXPECT_FLOAT_EQ(cfg_double_condition(c, u, t, 5.0, 2.5).item<float>(), 8.5f);
}

TEST(Guidance, CfgStarZeroInitOnlyInTheFirstSteps) {
    at::Tensor c = at::randn({2, 8, 16, 3}), u = at::randn({2, 8, 16, 3});
    EXPECT_EQ(cfg_zero_star(c, u, 15, 1).abs().max().item<float>(), 0.0f);
    EXPECT_GT(cfg_zero_star(c, u, 15, 2).abs().max().item<float>(), 0.0f);
}

TEST(Guidance, ApgIsOrthogonalToTheConditionalPerChannel) {
    at::Tensor c = at::randn({1, 8, 16, 5}, at::kDouble), u = at::randn({1, 8, 16, 5}, at::kDouble);
    at::Tensor g = apg_forward(c, u, 2.0, nullptr);  // v = c + (g - c is the orthogonal update)
    at::Tensor upd = g - c;
    at::Tensor dot = (upd * c).sum({-1, -2});
    EXPECT_LT(dot.abs().max().item<double>(), 1e-9);
    EXPECT_LE(at::linalg_vector_norm(upd, 2, std::vector<int64_t>{-1, -2}, false, c10::nullopt).max().item<double>(), 2.5 + 1e-9)
        << "clipped to norm 2.5";
}

TEST(Guidance, MomentumBufferAccumulates) {
    MomentumBuffer mb;
    mb.update(at::full({1}, 1.0));
    EXPECT_DOUBLE_EQ(mb.running_average().item<double>(), 1.0);
    mb.update(at::full({1}, 1.0));
    EXPECT_DOUBLE_EQ(mb.running_average().item<double>(), 1.0 - 0.75);
}

TEST(Guidance, FixtureCasePasses) {
    if (!std::filesystem::exists(test::fixtures_dir() / "cases" / "guidance.json")) GTEST_SKIP();
    selftest::Options opt;
    opt.fixtures = test::fixtures_dir();
    opt.filter = "guidance";
    std::ostringstream out;
    auto r = selftest::run(opt, out);
    EXPECT_EQ(r.failed, 0) << out.str();
    EXPECT_EQ(r.passed, 1) << out.str();
}
