// Checkpoint discovery: plain folder, Hugging Face cache layouts, and what a broken one says.
#include <gtest/gtest.h>

#include "acestep/checkpoint.h"
#include "acestep/error.h"
#include "acestep/fs_util.h"
#include "common/test_util.h"

using namespace acestep;

namespace {
void make_fake_checkpoint(const fs::path& root) {
    for (auto [d, w] : {std::pair{"ace_step_transformer", "diffusion_pytorch_model.safetensors"},
                        {"music_dcae_f8c8", "diffusion_pytorch_model.safetensors"},
                        {"music_vocoder", "diffusion_pytorch_model.safetensors"},
                        {"umt5-base", "model.safetensors"}}) {
        fs::create_directories(root / d);
        write_file_atomic(root / d / "config.json", "{}");
        write_file_atomic(root / d / w, "x");
    }
}
}  // namespace

TEST(Checkpoint, PlainFolder) {
    auto dir = test::scratch_dir("ck_plain");
    make_fake_checkpoint(dir);
    auto cp = find_checkpoint(dir);
    EXPECT_EQ(cp.root, dir);
    EXPECT_EQ(cp.umt5.weights, dir / "umt5-base" / "model.safetensors");
    EXPECT_TRUE(cp.umt5_spiece.empty());
}

TEST(Checkpoint, HuggingFaceCacheLayouts) {
    auto dir = test::scratch_dir("ck_hf");
    auto repo = dir / kHfRepoFolder;
    make_fake_checkpoint(repo / "snapshots" / "abc123");
    fs::create_directories(repo / "refs");
    write_file_atomic(repo / "refs" / "main", "abc123");
    EXPECT_EQ(find_checkpoint(dir).root, repo / "snapshots" / "abc123");   // hub cache dir
    EXPECT_EQ(find_checkpoint(repo).root, repo / "snapshots" / "abc123");  // models--... dir
    // A stale ref falls back to a complete snapshot.
    write_file_atomic(repo / "refs" / "main", "deadbeef");
    EXPECT_EQ(find_checkpoint(repo).root, repo / "snapshots" / "abc123");
}

TEST(Checkpoint, IncompleteFolderListsWhatIsMissing) {
    auto dir = test::scratch_dir("ck_missing");
    make_fake_checkpoint(dir);
    fs::remove(dir / "music_vocoder" / "diffusion_pytorch_model.safetensors");
    fs::remove_all(dir / "umt5-base");
    try {
        find_checkpoint(dir);
        FAIL();
    } catch (const Error& e) {
        std::string m = e.what();
        EXPECT_NE(m.find("not an ACE-Step v1 checkpoint"), std::string::npos) << m;
        EXPECT_NE(m.find("music_vocoder/diffusion_pytorch_model.safetensors"), std::string::npos) << m;
        EXPECT_NE(m.find("umt5-base/"), std::string::npos) << m;
    }
    EXPECT_FALSE(try_find_checkpoint(dir / "nope").has_value());
}

TEST(Checkpoint, PickleCheckpointsAreRefusedWithAnExplanation) {
    auto dir = test::scratch_dir("ck_pickle");
    make_fake_checkpoint(dir);
    fs::remove(dir / "music_dcae_f8c8" / "diffusion_pytorch_model.safetensors");
    write_file_atomic(dir / "music_dcae_f8c8" / "diffusion_pytorch_model.bin", "pickle");
    try {
        find_checkpoint(dir);
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("pickle checkpoints are not loaded"), std::string::npos) << e.what();
    }
}

TEST(Checkpoint, FixtureCheckpointIsFound) {
    auto ck = test::fixtures_dir() / "checkpoint";
    if (!fs::exists(ck)) GTEST_SKIP();
    auto cp = find_checkpoint(ck);
    EXPECT_TRUE(fs::exists(cp.dit.weights));
    EXPECT_TRUE(fs::exists(cp.umt5_spiece));
}
