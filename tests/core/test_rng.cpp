// Seeds and draws: the same seed gives the official app's noise.  The fixture draws draw_NN of every
// end-to-end case were produced by the recorded seeds; replaying the official draw order with our
// generators must reproduce them bit for bit.
#include <gtest/gtest.h>

#include <ATen/CPUGeneratorImpl.h>

#include <nlohmann/json.hpp>

#include "acestep/error.h"
#include "common/test_util.h"
#include "pipeline/rng.h"
#include "selftest/fixture.h"

using namespace acestep;
using namespace acestep::pipeline;

TEST(Rng, SeedListRepeatsTheLastSeedAndDrawsMissingOnes) {
    SeedGenerators a({7, 9}, 3, at::kCPU);
    EXPECT_EQ(a.seeds(), (std::vector<int64_t>{7, 9, 9}));
    SeedGenerators r({}, 2, at::kCPU);
    ASSERT_EQ(r.seeds().size(), 2u);
    for (auto s : r.seeds()) {
        EXPECT_GE(s, 0);
        EXPECT_LE(s, 4294967295ll);
    }
}

TEST(Rng, BatchDrawsAreOnePerItemGenerator) {
    SeedGenerators g({11, 12}, 2, at::kCPU);
    at::Tensor batch = randn_tensor({2, 8, 16, 5}, g, at::kFloat);
    SeedGenerators g1({12}, 1, at::kCPU);
    at::Tensor second = randn_tensor({1, 8, 16, 5}, g1, at::kFloat);
    EXPECT_TRUE(at::equal(batch.slice(0, 1, 2), second)) << "item 1 depends only on its own seed";
}

TEST(Rng, Float32FillEqualsLibTorchAvx2Kernel) {
    // On a CPU where LibTorch dispatches its AVX2 kernels (this machine), at::randn is the reference.
    for (int64_t n : {16, 17, 31, 128, 2688, 5000}) {
        for (uint64_t seed : {0ull, 1334ull, 4294967295ull}) {
            auto ref = at::randn({n}, at::make_generator<at::CPUGeneratorImpl>(seed), at::kFloat);
            SeedGenerators g({(int64_t)seed}, 1, at::kCPU);
            at::Tensor ours = randn({n}, g[0], at::kFloat, at::kCPU);
            const bool same = at::equal(ours, ref);
            if (!same) {
                // Another LibTorch build may dispatch the scalar kernel; then only ~1e-6 differences.
                EXPECT_LT((ours - ref).abs().max().item<float>(), 1e-5) << n << " " << seed;
            }
        }
    }
}

TEST(Rng, Bf16DrawsUseTheOfficialScalarPath) {
    SeedGenerators g({5}, 1, at::kCPU);
    at::Tensor ours = randn({1, 8, 16, 3}, g[0], at::kBFloat16, at::kCPU);
    auto ref = at::randn({1, 8, 16, 3}, at::make_generator<at::CPUGeneratorImpl>(5), at::kBFloat16);
    EXPECT_TRUE(at::equal(ours, ref));
    EXPECT_EQ(ours.scalar_type(), at::kBFloat16);
}

TEST(Rng, RecordedNoiseChecksShapeAndCount) {
    RecordedNoise n({at::zeros({1, 2})});
    EXPECT_THROW(n.randn(Stream::Main, {1, 3}, at::kFloat, at::kCPU), Error);
    EXPECT_NO_THROW(n.randn(Stream::Main, {1, 2}, at::kFloat, at::kCPU));
    EXPECT_THROW(n.randn(Stream::Main, {1, 2}, at::kFloat, at::kCPU), Error);
}

TEST(Rng, RecordedSeedsReproduceEveryFixtureDraw) {
    const auto cases = test::fixtures_dir() / "cases";
    if (!std::filesystem::exists(cases / "index.json")) GTEST_SKIP();
    int checked = 0;
    for (const auto& e : std::filesystem::directory_iterator(cases)) {
        const std::string name = e.path().stem().string();
        if (e.path().extension() != ".json" || name.rfind("e2e_", 0) != 0) continue;
        selftest::Fixture fx(cases, name);
        const auto& j = fx.json();
        if (!j.contains("random_draws")) continue;
        const std::string task = j.value("task", "text2music");
        SeedGenerators main(j.at("manual_seeds").get<std::vector<int64_t>>(), 1, at::kCPU);
        SeedGenerators retake(j.at("retake_seeds").get<std::vector<int64_t>>(), 1, at::kCPU);
        SeededNoise noise(main, retake);
        int randn_count = 0;
        for (size_t k = 0; k < j["random_draws"].size(); ++k) {
            const std::string desc = j["random_draws"][k].get<std::string>();
            char key[16];
            std::snprintf(key, sizeof key, "draw_%02zu", k);
            at::Tensor want = fx.tensor(key);
            at::Tensor got;
            if (desc.find("normal_") != std::string::npos) {
                got = noise.normal_like(task == "edit" ? Stream::Retake : Stream::Main, at::empty_like(want));
            } else {
                // text2music/audio2audio: main; retake/repaint/extend: main then retake; edit: retake
                const Stream s = task == "edit" ? Stream::Retake : (randn_count == 0 ? Stream::Main : Stream::Retake);
                got = noise.randn(s, want.sizes(), at::kFloat, at::kCPU);
                ++randn_count;
            }
            EXPECT_TRUE(at::equal(got, want)) << name << " " << key << " (" << desc << ")";
            ++checked;
        }
    }
    EXPECT_GE(checked, 20);
}
