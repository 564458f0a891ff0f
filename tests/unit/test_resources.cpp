// Resource guards: the memory estimate's weight term matches the real model's parameter counts,
// grows with duration and batch, shrinks with overlapped decode, and the refusal names the figures.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>

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

TEST(Resources, ByteSizesParseAndBadOnesAreNamed) {
    EXPECT_EQ(parse_byte_size("8GiB", "x"), 8ull << 30);
    EXPECT_EQ(parse_byte_size(" 512 MB ", "x"), 512ull << 20);
    EXPECT_EQ(parse_byte_size("1.5g", "x"), 3ull << 29);
    EXPECT_EQ(parse_byte_size("123456", "x"), 123456u);
    EXPECT_EQ(parse_byte_size("2T", "x"), 2ull << 40);
    for (const char* bad : {"", "GiB", "-1G", "0", "1.2.3G", "8 parsecs", "8GiBs", "1e30"}) {
        try {
            parse_byte_size(bad, "ACESTEP_MAX_MEMORY");
            ADD_FAILURE() << "accepted '" << bad << "'";
        } catch (const Error& e) {
            EXPECT_NE(std::string(e.what()).find("ACESTEP_MAX_MEMORY: '"), std::string::npos) << e.what();
        }
    }
}

TEST(Resources, UserCapBoundsTheAvailableMemory) {
    const uint64_t real = available_memory_bytes();
    ASSERT_EQ(setenv("ACESTEP_MAX_MEMORY", "300MiB", 1), 0);
    EXPECT_EQ(available_memory_bytes(), std::min<uint64_t>(real, 300ull << 20));
    ASSERT_EQ(setenv("ACESTEP_MAX_MEMORY", "lots", 1), 0);
    EXPECT_THROW(available_memory_bytes(), Error);
    unsetenv("ACESTEP_MAX_MEMORY");
    EXPECT_GT(available_memory_bytes(), 64ull << 20);
}
