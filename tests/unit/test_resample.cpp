// Resampler: torchaudio's kernel geometry, and parity with the recorded torchaudio output.
#include <gtest/gtest.h>

#include <cmath>

#include "acestep/resample.h"
#include "acestep/safetensors.h"
#include "common/test_util.h"

using namespace acestep;

TEST(Resample, KernelGeometryMatchesTorchaudio) {
    auto k = make_sinc_resample_kernel(44100, 48000);
    EXPECT_EQ(k.orig, 147);
    EXPECT_EQ(k.next, 160);
    EXPECT_EQ(k.width, 7);
    EXPECT_EQ(k.taps, 161);
    auto d = make_sinc_resample_kernel(48000, 44100);
    EXPECT_EQ(d.orig, 160);
    EXPECT_EQ(d.width, 7);
    EXPECT_EQ(resampled_length(45056, 44100, 48000), 49041);
    EXPECT_EQ(resampled_length(2641920, 44100, 48000), 2875560);
}

TEST(Resample, MatchesTorchaudioOnFixture) {
    auto path = test::fixtures_dir() / "cases" / "dcae_decode.safetensors";
    if (!std::filesystem::exists(path)) GTEST_SKIP() << "fixtures not found";
    auto f = st::File::open(path);
    const auto& in = f->at("wav_44k");
    const auto& want = f->at("wav_48k");
    ASSERT_EQ(in.dtype, st::DType::F32);
    const int64_t n = in.shape[1], m = want.shape[1];
    double num = 0, den = 0;
    for (int64_t c = 0; c < in.shape[0]; ++c) {
        auto y = resample(reinterpret_cast<const float*>(in.data) + c * n, n, 44100, 48000);
        ASSERT_EQ((int64_t)y.size(), m);
        const float* w = reinterpret_cast<const float*>(want.data) + c * m;
        for (int64_t i = 0; i < m; ++i) {
            num += (y[i] - w[i]) * (double)(y[i] - w[i]);
            den += (double)w[i] * w[i];
        }
    }
    EXPECT_LT(std::sqrt(num / den), 1e-5) << "torchaudio Resample(44100, 48000)";
}

TEST(Resample, ThreadedEqualsSingleThreaded) {
    std::vector<float> x(300000);
    for (size_t i = 0; i < x.size(); ++i) x[i] = std::sin(0.001 * i * i);
    auto a = resample(x.data(), x.size(), 48000, 44100, 1);
    auto b = resample(x.data(), x.size(), 48000, 44100, 4);
    EXPECT_EQ(a, b);
}

TEST(Resample, PreservesALowTone) {
    const int n = 48000;
    std::vector<float> x(n);
    for (int i = 0; i < n; ++i) x[i] = std::sin(2 * M_PI * 1000.0 * i / 48000);
    auto y = resample(x.data(), n, 48000, 44100);
    ASSERT_EQ(y.size(), 44100u);
    double err = 0;
    for (int i = 1000; i < 43000; ++i) err = std::max(err, std::fabs(y[i] - std::sin(2 * M_PI * 1000.0 * i / 44100)));
    EXPECT_LT(err, 2e-3);
}

TEST(Resample, BadRatesAreErrors) {
    EXPECT_THROW(make_sinc_resample_kernel(0, 48000), std::exception);
    EXPECT_THROW(make_sinc_resample_kernel(44100, -1), std::exception);
}
