// Resource guards: the memory estimate's weight term matches the real model's parameter counts,
// grows with duration and batch, shrinks with overlapped decode, and the refusal names the figures.
#include <gtest/gtest.h>

#include "acestep/error.h"
#include "acestep/resources.h"

using namespace acestep;

namespace {
ModelConfigs real() { return {real_dit_config(), real_dcae_config(), real_vocoder_config(), real_umt5_config()}; }
}  // namespace

TEST(Resources, LatentFrames) {
    EXPECT_EQ(latent_frames(10), 107);
    EXPECT_EQ(latent_frames(60), 645);
    EXPECT_EQ(latent_frames(240), 2583);
    EXPECT_EQ(latent_frames(1e9), 2583) << "capped to the 240 s window";
}

TEST(Resources, WeightTermIsTheRealParameterCount) {
    GenerationParams p;
    p.audio_duration = 10;
    auto fp32 = estimate_job_memory(p, real(), 4, false, true);
    auto bf16 = estimate_job_memory(p, real(), 2, false, true);
    // DiT needed 2,588,427,392 + UMT5 281,861,376 + DCAE 156.8 M + vocoder 103.0 M params (model.md §11.3).
    const double params = 2588427392.0 + 281861376.0 + 156812426.0 + 103005138.0;
    EXPECT_NEAR((double)fp32.weights, params * 4, params * 4 * 0.05);
    EXPECT_NEAR((double)bf16.weights, params * 2, params * 2 * 0.05);
    EXPECT_EQ(estimate_job_memory(p, real(), 4, true, true).weights, 0u) << "already loaded";
}

TEST(Resources, GrowsWithDurationAndBatchAndOverlapHelps) {
    GenerationParams p;
    p.audio_duration = 30;
    auto a = estimate_job_memory(p, real(), 2, true, false);
    p.audio_duration = 240;
    auto b = estimate_job_memory(p, real(), 2, true, false);
    auto c = estimate_job_memory(p, real(), 2, true, true);
    p.batch_size = 4;
    auto d = estimate_job_memory(p, real(), 2, true, true);
    EXPECT_GT(b.total(), a.total());
    EXPECT_LT(c.total(), b.total()) << "windowed decode caps the decode peak";
    EXPECT_GT(d.total(), c.total());
    // A 240 s song with windowed decode fits a 16 GiB machine in bf16 (the product promise).
    p.batch_size = 1;
    auto full = estimate_job_memory(p, real(), 2, false, true);
    EXPECT_LT(full.total(), 16ull << 30) << full.describe();
}

TEST(Resources, RefusalNamesTheFiguresAndTheWayOut) {
    GenerationParams p;
    p.audio_duration = 240;
    auto e = estimate_job_memory(p, real(), 4, false, false);
    try {
        check_memory_fits(e, 1ull << 30);
        FAIL();
    } catch (const Error& err) {
        const std::string m = err.what();
        EXPECT_NE(m.find("this job needs about"), std::string::npos) << m;
        EXPECT_NE(m.find("only 1.0 GiB"), std::string::npos) << m;
        EXPECT_NE(m.find("shorten the duration"), std::string::npos) << m;
    }
    EXPECT_NO_THROW(check_memory_fits(e, 0)) << "unknown memory: no check";
    EXPECT_NO_THROW(check_memory_fits(e, e.total()));
}

TEST(Resources, AvailableMemoryIsReadable) { EXPECT_GT(available_memory_bytes(), 64ull << 20); }
