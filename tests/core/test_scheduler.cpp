// Schedulers: sigma tables (spec Appendix B and §7), Heun's doubled table, oss_steps, audio2audio's
// partial schedule, the omega rescale, and the fixture trajectories.
#include <gtest/gtest.h>

#include <sstream>

#include "acestep/error.h"
#include "acestep/selftest.h"
#include "common/test_util.h"
#include "pipeline/scheduler.h"

using namespace acestep;
using namespace acestep::pipeline;

namespace {
std::vector<float> floats(const at::Tensor& t) {
    at::Tensor c = t.contiguous();
    return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}
}  // namespace

TEST(Scheduler, Euler60StepSigmasMatchTheSpecTable) {
    auto s = make_scheduler("euler");
    s->set_timesteps(60);
    auto sig = floats(s->sigmas());
    ASSERT_EQ(sig.size(), 61u);
    EXPECT_FLOAT_EQ(sig[0], 1.0f);
    EXPECT_NEAR(sig[1], 0.994303, 1e-6);
    EXPECT_NEAR(sig[2], 0.988475, 1e-6);
    EXPECT_NEAR(sig[30], 0.744749, 1e-6);
    EXPECT_NEAR(sig[57], 0.102808, 1e-6);
    EXPECT_NEAR(sig[58], 0.057394, 1e-6);
    EXPECT_NEAR(sig[59], 0.008929, 1e-6) << "double shift (Q9): not 0.003";
    EXPECT_EQ(sig[60], 0.0f);
    auto ts = floats(s->timesteps());
    EXPECT_FLOAT_EQ(ts[0], 1000.0f);
    EXPECT_NEAR(ts[1], 994.30304, 1e-3);
    EXPECT_EQ(s->num_inference_steps(), 60);
    EXPECT_NEAR(s->sigma_min(), 0.00299401, 1e-8);
}

TEST(Scheduler, Euler27StepSigmasMatchTheSpecTable) {
    const double want[] = {1.000000, 0.986883, 0.973058, 0.958468, 0.943048, 0.926723, 0.909412, 0.891024, 0.871453,
                           0.850583, 0.828280, 0.804390, 0.778738, 0.751121, 0.721306, 0.689018, 0.653936, 0.615682,
                           0.573805, 0.527765, 0.476909, 0.420438, 0.357368, 0.286473, 0.206198, 0.114550, 0.008929};
    auto s = make_scheduler("pingpong");
    s->set_timesteps(27);
    auto sig = floats(s->sigmas());
    for (int i = 0; i < 27; ++i) EXPECT_NEAR(sig[i], want[i], 1e-6) << i;
}

TEST(Scheduler, HeunDuplicatesEveryEntryButTheFirstAndReportsN) {
    auto s = make_scheduler("heun");
    s->set_timesteps(4);
    EXPECT_EQ(s->timesteps().size(0), 7) << "2N-1 model evaluations";
    EXPECT_EQ(s->sigmas().size(0), 8);
    EXPECT_EQ(s->num_inference_steps(), 4) << "retrieve_timesteps returns the requested N (Q10)";
    auto ts = floats(s->timesteps());
    EXPECT_EQ(ts[1], ts[2]);
    EXPECT_EQ(ts[5], ts[6]);
}

TEST(Scheduler, OmegaRescaleIsTheOfficialLogistic) {
    EXPECT_NEAR(omega_rescale(10.0), 1.0462117157, 1e-9);
    EXPECT_NEAR(omega_rescale(0.0), 1.0, 1e-15);
    EXPECT_GT(omega_rescale(-100.0), 0.9);
    EXPECT_LT(omega_rescale(100.0), 1.1);
}

TEST(Scheduler, OssStepsShiftTheSelectedSigmasOnceMore) {
    auto s = make_scheduler("euler");
    apply_oss_steps(*s, {16, 29, 52}, at::kFloat);
    EXPECT_EQ(s->timesteps().size(0), 3);
    EXPECT_EQ(s->num_inference_steps(), 3);
    auto ref = make_scheduler("euler");
    ref->set_timesteps(52);
    const float picked = floats(ref->sigmas())[15];
    const float reshifted = 3.0f * picked / (1.0f + 2.0f * picked);
    EXPECT_FLOAT_EQ(floats(s->sigmas())[0], reshifted);
    EXPECT_EQ(floats(s->sigmas())[3], 0.0f);
}

TEST(Scheduler, OssStepsRoundTimestepsToThePipelineDtype) {
    auto f32 = make_scheduler("euler"), b16 = make_scheduler("euler");
    apply_oss_steps(*f32, {3, 7, 10}, at::kFloat);
    apply_oss_steps(*b16, {3, 7, 10}, at::kBFloat16);
    EXPECT_NE(floats(f32->sigmas())[1], floats(b16->sigmas())[1]) << "bf16 rounding of the picked timesteps";
}

TEST(Scheduler, HeunRejectsOssSteps) {
    auto s = make_scheduler("heun");
    try {
        apply_oss_steps(*s, {5, 10}, at::kFloat);
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("heun"), std::string::npos) << e.what();
    }
}

TEST(Scheduler, Audio2AudioStartsPartWay) {
    // strength 0.5, 60 steps: N' = 30, start latent at sigma_max = 0.75, first model sigma 0.90 (Q12)
    auto s = make_scheduler("euler", 1.0 - 0.5);
    s->set_timesteps((int64_t)(0.5 * 60));
    EXPECT_NEAR(s->sigma_max(), 0.75, 1e-6);
    EXPECT_NEAR(floats(s->sigmas())[0], 0.9, 1e-6);
    EXPECT_EQ(s->timesteps().size(0), 30);
}

TEST(Scheduler, UnknownNameIsAClearError) {
    try {
        make_scheduler("dpm++");
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("euler, heun or pingpong"), std::string::npos) << e.what();
    }
}

TEST(Scheduler, EulerStepKeepsTheModelDtypeForTheIncrement) {
    // Q22: (sigma_next - sigma) * v stays bf16; the result is cast back to the model dtype.
    auto s = make_scheduler("euler");
    s->set_timesteps(4);
    at::Tensor x = at::ones({1, 8, 16, 3}, at::kBFloat16), v = at::full({1, 8, 16, 3}, 0.3, at::kBFloat16);
    at::Tensor y = s->step(v, s->timesteps()[0], x, 0.0);
    EXPECT_EQ(y.scalar_type(), at::kBFloat16);
    EXPECT_EQ(s->step_index(), 1);
}

TEST(Scheduler, FixtureTrajectoriesAreExact) {
    if (!std::filesystem::exists(test::fixtures_dir() / "cases" / "scheduler_heun_7steps.json")) GTEST_SKIP();
    selftest::Options opt;
    opt.fixtures = test::fixtures_dir();
    opt.filter = "scheduler_";
    std::ostringstream out;
    auto r = selftest::run(opt, out);
    EXPECT_EQ(r.failed, 0) << out.str();
    EXPECT_EQ(r.passed, 9) << out.str();
}
