// Typed configs: the fixture checkpoint's files load; missing and mistyped fields are clear errors.
#include <gtest/gtest.h>

#include "acestep/checkpoint.h"
#include "acestep/config.h"
#include "acestep/error.h"
#include "acestep/fs_util.h"
#include "common/test_util.h"

using namespace acestep;

static std::string error_of(std::function<void()> f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

TEST(Config, FixtureCheckpointLoads) {
    auto ck = test::fixtures_dir() / "checkpoint";
    if (!fs::exists(ck)) GTEST_SKIP() << "fixtures not found";
    auto cp = find_checkpoint(ck);
    auto dit = load_dit_config(cp.dit.config.string());
    EXPECT_EQ(dit.num_layers, 20);
    EXPECT_EQ(dit.inner_dim(), 64);
    EXPECT_EQ(dit.text_embedding_dim, 32);
    EXPECT_EQ(dit.lyric_encoder.output_size, 128) << "reads _refgen_lyric_encoder";
    EXPECT_EQ(dit.lyric_encoder.attention_heads, 2);
    auto dcae = load_dcae_config(cp.dcae.config.string());
    EXPECT_EQ(dcae.decoder_block_out_channels, (std::vector<int64_t>{16, 32, 32, 64}));
    EXPECT_EQ(dcae.decoder_qkv_multiscales[2], (std::vector<int64_t>{5}));
    EXPECT_EQ(dcae.decoder_norm_types.size(), 4u);
    auto voc = load_vocoder_config(cp.vocoder.config.string());
    EXPECT_EQ(voc.num_mels, 32);
    EXPECT_EQ(voc.upsample_rates.size(), 7u);
    auto t5 = load_umt5_config(cp.umt5.config.string());
    EXPECT_EQ(t5.d_model, 32);
    EXPECT_EQ(t5.vocab_size, 150);
    EXPECT_TRUE(t5.is_gated_act);
    EXPECT_EQ(t5.dense_act_fn, "gelu_new");
    EXPECT_FALSE(cp.umt5_spiece.empty());
}

TEST(Config, RealConfigsAreTheOfficialSizes) {
    auto dit = real_dit_config();
    EXPECT_EQ(dit.num_layers, 24);
    EXPECT_EQ(dit.inner_dim(), 2560);
    EXPECT_EQ(dit.lyric_encoder.output_size, 1024);
    auto d = real_dcae_config();
    EXPECT_EQ(d.encoder_layers_per_block, (std::vector<int64_t>{2, 2, 3, 3}));
}

TEST(Config, MissingFieldNamesFileAndField) {
    auto dir = test::scratch_dir("cfg_missing");
    write_file_atomic(dir / "config.json", R"({"in_channels": 8})");
    auto e = error_of([&] { load_dit_config((dir / "config.json").string()); });
    EXPECT_NE(e.find("config.json"), std::string::npos) << e;
    EXPECT_NE(e.find("field 'num_layers': missing"), std::string::npos) << e;
}

TEST(Config, MistypedFieldIsAnError) {
    auto dir = test::scratch_dir("cfg_type");
    write_file_atomic(dir / "config.json",
                      R"({"vocab_size": "150", "d_model": 32, "d_kv": 16, "d_ff": 64, "num_layers": 2, "num_heads": 2})");
    auto e = error_of([&] { load_umt5_config((dir / "config.json").string()); });
    EXPECT_NE(e.find("field 'vocab_size': expected an integer"), std::string::npos) << e;
}

TEST(Config, MalformedJsonIsAnError) {
    auto dir = test::scratch_dir("cfg_bad");
    write_file_atomic(dir / "config.json", "{\"a\": [1, 2");
    auto e = error_of([&] { load_vocoder_config((dir / "config.json").string()); });
    EXPECT_NE(e.find("malformed JSON"), std::string::npos) << e;
    EXPECT_NE(e.find("config.json"), std::string::npos) << e;
}

TEST(Config, MissingFileIsAnError) {
    auto e = error_of([&] { load_dcae_config("/nonexistent/config.json"); });
    EXPECT_NE(e.find("/nonexistent/config.json: no such file"), std::string::npos) << e;
}

TEST(Config, InconsistentListsAreErrors) {
    auto dir = test::scratch_dir("cfg_lists");
    write_file_atomic(dir / "config.json", R"({"in_channels": 2, "latent_channels": 8,
        "encoder_block_out_channels": [16, 32], "decoder_block_out_channels": [16, 32],
        "encoder_layers_per_block": [1], "decoder_layers_per_block": [1, 1]})");
    auto e = error_of([&] { load_dcae_config((dir / "config.json").string()); });
    EXPECT_NE(e.find("encoder_layers_per_block"), std::string::npos) << e;
}
