// GenerationParams <-> sidecar JSON in every official variant, and parameter validation.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "acestep/error.h"
#include "acestep/params.h"
#include "common/test_util.h"

using namespace acestep;

TEST(Params, DefaultsAreThePipelineCallDefaults) {
    GenerationParams p;
    EXPECT_EQ(p.infer_step, 60);
    EXPECT_DOUBLE_EQ(p.guidance_scale, 15.0);
    EXPECT_EQ(p.scheduler_type, "euler");
    EXPECT_EQ(p.cfg_type, "apg");
    EXPECT_TRUE(p.use_erg_tag && p.use_erg_lyric && p.use_erg_diffusion);
    EXPECT_DOUBLE_EQ(p.retake_variance, 0.5);
}

TEST(Params, SidecarHasTheOfficialKeysInOrder) {
    GenerationParams p;
    p.prompt = "pop, rock";
    p.lyrics = "[verse]\n我走过深夜的街道";
    p.actual_seeds = {1334};
    auto j = params_to_json(p);
    const char* official[] = {"format", "lora_name_or_path", "lora_weight", "task", "prompt", "lyrics",
                              "audio_duration", "infer_step", "guidance_scale", "scheduler_type", "cfg_type",
                              "omega_scale", "guidance_interval", "guidance_interval_decay", "min_guidance_scale",
                              "use_erg_tag", "use_erg_lyric", "use_erg_diffusion", "oss_steps", "timecosts",
                              "actual_seeds", "retake_seeds", "retake_variance", "guidance_scale_text",
                              "guidance_scale_lyric", "repaint_start", "repaint_end", "edit_n_min", "edit_n_max",
                              "edit_n_avg", "src_audio_path", "edit_target_prompt", "edit_target_lyrics",
                              "audio2audio_enable", "ref_audio_strength", "ref_audio_input", "audio_path"};
    size_t i = 0;
    for (auto it = j.begin(); it != j.end() && i < 37; ++it, ++i) EXPECT_EQ(it.key(), official[i]);
    EXPECT_EQ(i, 37u);
    const auto text = params_to_json_text(p);
    EXPECT_NE(text.find("我走过深夜的街道"), std::string::npos) << "non-ASCII kept as is";
    EXPECT_NE(text.find("\n    \"format\""), std::string::npos) << "4-space indent";
}

TEST(Params, RoundTrip) {
    GenerationParams p;
    p.task = "repaint";
    p.src_audio_path = "/tmp/a.wav";
    p.repaint_start = 1.5;
    p.oss_steps = {16, 29};
    p.manual_seeds = {1, 2};
    p.retake_seeds = {7};
    p.batch_size = 2;
    auto q = params_from_json(nlohmann::json::parse(params_to_json_text(p)));
    EXPECT_EQ(q.task, "repaint");
    EXPECT_EQ(*q.src_audio_path, "/tmp/a.wav");
    EXPECT_DOUBLE_EQ(q.repaint_start, 1.5);
    EXPECT_EQ(q.oss_steps, (std::vector<int64_t>{16, 29}));
    EXPECT_EQ(q.manual_seeds, (std::vector<int64_t>{1, 2})) << "actual_seeds become the manual seeds";
    EXPECT_EQ(q.retake_seeds, (std::vector<int64_t>{7}));
    EXPECT_EQ(q.batch_size, 2);
    EXPECT_FALSE(q.edit_target_prompt.has_value());
}

TEST(Params, Reads17KeyExample) {
    auto j = nlohmann::json::parse(R"({"prompt": "pop", "lyrics": "[inst]", "audio_duration": 162.79997916666667,
      "infer_step": 60, "guidance_scale": 15, "scheduler_type": "euler", "cfg_type": "apg", "omega_scale": 10,
      "guidance_interval": 0.5, "guidance_interval_decay": 0, "min_guidance_scale": 3, "use_erg_tag": true,
      "use_erg_lyric": true, "use_erg_diffusion": true, "oss_steps": [], "timecosts": {"preprocess": 3.19,
      "diffusion": 17.46, "latent2audio": 1.71}, "actual_seeds": [780297686]})");
    auto p = params_from_json(j);
    EXPECT_DOUBLE_EQ(p.audio_duration, 162.79997916666667);
    EXPECT_DOUBLE_EQ(p.guidance_scale, 15.0) << "ints read as numbers";
    EXPECT_EQ(p.manual_seeds, (std::vector<int64_t>{780297686}));
    EXPECT_EQ(p.format, "wav");
    EXPECT_DOUBLE_EQ(p.timecosts.diffusion, 17.46);
}

TEST(Params, ReadsE2eCaseArguments) {
    auto path = test::fixtures_dir() / "cases" / "e2e_edit_remix.json";
    if (!std::filesystem::exists(path)) GTEST_SKIP();
    auto p = load_params_file(path.string());
    EXPECT_EQ(p.task, "edit");
    EXPECT_EQ(p.infer_step, 4);
    EXPECT_EQ(p.manual_seeds, (std::vector<int64_t>{1334}));
    EXPECT_EQ(p.retake_seeds, (std::vector<int64_t>{1434}));
    EXPECT_DOUBLE_EQ(p.edit_n_min, 0.2);
    EXPECT_EQ(*p.edit_target_prompt, "jazz, saxophone, slow");
}

TEST(Params, MistypedFieldIsAnError) {
    try {
        params_from_json(nlohmann::json::parse(R"({"infer_step": "sixty"})"), "x.json");
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("x.json: field 'infer_step'"), std::string::npos) << e.what();
    }
    EXPECT_THROW(params_from_json(nlohmann::json::parse("[1]"), "x.json"), Error);
}

TEST(Params, SeedStrings) {
    EXPECT_EQ(parse_seed_list("1, 2,3"), (std::vector<int64_t>{1, 2, 3}));
    EXPECT_TRUE(parse_seed_list("").empty());
    EXPECT_TRUE(parse_seed_list("None").empty());
    EXPECT_THROW(parse_seed_list("12a"), Error);
    EXPECT_THROW(parse_seed_list("-5"), Error);
    EXPECT_EQ(seed_list_to_string({4, 5}), "4,5");
}

// Regression (fuzz_params, UBSan): a seed of 2e77 was cast from double to int64 (undefined). Integers
// are read exactly, beyond 2^53 too; anything outside int64 names the field.
TEST(Params, SeedsAreExactIntegersAndHugeOnesAreErrors) {
    auto seeds = [](const std::string& v) {
        return params_from_json(nlohmann::json::parse("{\"actual_seeds\": " + v + "}"), "x.json").actual_seeds;
    };
    EXPECT_EQ(seeds("9007199254740993"), (std::vector<int64_t>{9007199254740993LL}));
    EXPECT_EQ(seeds("[9223372036854775807, 2]"), (std::vector<int64_t>{9223372036854775807LL, 2}));
    EXPECT_EQ(seeds("[3.0]"), (std::vector<int64_t>{3}));
    for (const char* bad : {"[199999999999999999999999999999999999999999999999999999999999999999999999999999, 2]",
                            "2e77", "-1e19", "18446744073709551615", "[1.5]"}) {
        try {
            seeds(bad);
            ADD_FAILURE() << bad << " accepted";
        } catch (const Error& e) {
            EXPECT_NE(std::string(e.what()).find("x.json: field 'actual_seeds'"), std::string::npos) << e.what();
        }
    }
}

TEST(Params, ValidationRejectsAbsurdValuesWithTheRange) {
    GenerationParams p;
    validate_params(p);
    auto msg = [&](auto mutate) {
        GenerationParams q;
        mutate(q);
        try {
            validate_params(q);
        } catch (const Error& e) {
            return std::string(e.what());
        }
        return std::string();
    };
    EXPECT_NE(msg([](auto& q) { q.audio_duration = 1e9; }).find("audio_duration must be in 1..240"), std::string::npos);
    EXPECT_NE(msg([](auto& q) { q.infer_step = 0; }).find("infer_step must be in 1..1000"), std::string::npos);
    EXPECT_NE(msg([](auto& q) { q.batch_size = 10000; }).find("batch_size must be in 1..64"), std::string::npos);
    EXPECT_NE(msg([](auto& q) { q.guidance_scale = NAN; }).find("finite"), std::string::npos);
    EXPECT_NE(msg([](auto& q) { q.scheduler_type = "ddim"; }).find("scheduler_type must be"), std::string::npos);
    EXPECT_NE(msg([](auto& q) { q.format = "aac"; }).find("format must be"), std::string::npos);
    EXPECT_TRUE(msg([](auto& q) { q.audio_duration = -1; }).empty()) << "<= 0 means random, as in the official app";
}
