// The self-test runner on the shared fixtures: output format and the resampler case.
#include <gtest/gtest.h>

#include <sstream>

#include "acestep/selftest.h"
#include "common/test_util.h"

using namespace acestep;

TEST(Selftest, ResampleCasePassesAndLineFormatIsStable) {
    if (!std::filesystem::exists(test::fixtures_dir() / "cases" / "index.json")) GTEST_SKIP();
    selftest::Options opt;
    opt.fixtures = test::fixtures_dir();
    opt.filter = "resample";
    std::ostringstream out;
    auto s = selftest::run(opt, out);
    EXPECT_EQ(s.failed, 0) << out.str();
    EXPECT_GE(s.passed, 1) << out.str();
    EXPECT_NE(out.str().find("PASS resample max_rel_l2="), std::string::npos) << out.str();
    EXPECT_NE(out.str().find(" passed, 0 failed, "), std::string::npos) << out.str();
}

TEST(Selftest, MissingFixtureFolderIsAnError) {
    selftest::Options opt;
    opt.fixtures = "/nonexistent/fixtures";
    std::ostringstream out;
    EXPECT_THROW(selftest::run(opt, out), std::exception);
}
