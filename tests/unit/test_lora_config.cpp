// LoRA scale per module (acestep/lora_config.h): PEFT key parsing, peft's pattern matching, the metadata
// rule (diffusers >= 0.34) and the no-metadata rule of diffusers 0.33 (get_peft_kwargs +
// _maybe_adjust_config), traced by hand from their Python in the comments; bad metadata names the file.
#include <gtest/gtest.h>

#include "acestep/error.h"
#include "acestep/lora_config.h"

using namespace acestep;

namespace {
using Ranks = std::vector<std::pair<std::string, int64_t>>;
const std::string kFile = "/loras/x/pytorch_lora_weights.safetensors";

std::string error_of(const Ranks& ranks, const std::string& metadata) {
    try {
        lora_scaling(ranks, &metadata, kFile);
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}
}  // namespace

TEST(LoraConfig, KeysNameTheirModule) {
    EXPECT_EQ(parse_lora_key("transformer_blocks.3.attn.to_q.lora_A.weight").module, "transformer_blocks.3.attn.to_q");
    EXPECT_EQ(parse_lora_key("transformer_blocks.3.attn.to_q.lora_A.weight").part, 'A');
    EXPECT_EQ(parse_lora_key("transformer.speaker_embedder.lora_B.weight").module, "speaker_embedder");
    EXPECT_EQ(parse_lora_key("base_model.model.t_block.1.lora_B.weight").part, 'B');
    EXPECT_EQ(parse_lora_key("transformer_blocks.0.attn.to_q.lora_magnitude_vector").part, 0);
    EXPECT_EQ(parse_lora_key(".lora_A.weight").part, 0) << "no module name";
}

// peft get_pattern_key: re.match(rf"(.*\.)?({key})$", module).
TEST(LoraConfig, PatternsMatchLikePeft) {
    const std::string q = "transformer_blocks.3.attn.to_q", xq = "transformer_blocks.3.cross_attn.to_q";
    EXPECT_TRUE(lora_pattern_matches(q, q));
    EXPECT_TRUE(lora_pattern_matches("to_q", q));
    EXPECT_TRUE(lora_pattern_matches("attn.to_q", q));
    EXPECT_FALSE(lora_pattern_matches("attn.to_q", xq)) << "the tail must start after a '.'";
    EXPECT_FALSE(lora_pattern_matches("o_q", q));
    EXPECT_FALSE(lora_pattern_matches("attn", q)) << "anchored at the end";
    EXPECT_TRUE(lora_pattern_matches("^" + q, q));
    EXPECT_FALSE(lora_pattern_matches("^attn.to_q", q)) << "'^' forbids a prefix";
    EXPECT_TRUE(lora_pattern_matches("transformer_blocks.3.attn.to.q", q)) << "'.' is any character, as in re";
    EXPECT_FALSE(lora_pattern_matches("transformer_blocks\\.3\\.attn\\.to\\.q", q)) << "'\\.' is a dot";
    EXPECT_TRUE(lora_pattern_matches("to_q$", q));
    for (const char* bad : {"transformer_blocks.\\d+.attn.to_q", "(a+)+", "to_[qk]", "", "^"})
        EXPECT_THROW(lora_pattern_matches(bad, q), Error) << bad;
}

TEST(LoraConfig, MetadataGivesAlphaOverRPerModule) {
    // The shipped training config: r 256, lora_alpha 32 -> 0.125 (peft's set_scale ignores use_rslora).
    const std::string md = R"({"r": 256, "lora_alpha": 32, "use_rslora": true, "target_modules": ["to_q"]})";
    auto s = lora_scaling({{"transformer_blocks.0.attn.to_q", 256}, {"speaker_embedder", 256}}, &md, kFile);
    EXPECT_DOUBLE_EQ(s.factor.at("transformer_blocks.0.attn.to_q"), 0.125);
    EXPECT_DOUBLE_EQ(s.factor.at("speaker_embedder"), 0.125);
    EXPECT_NE(s.rule.find("32 / 256"), std::string::npos) << s.rule;

    // Patterns: the first key in the metadata's order that matches wins (rank and alpha separately).
    const std::string pat = R"({"r": 16, "lora_alpha": 16, "rank_pattern": {"cross_attn.to_q": 4, "to_q": 8},
                                "alpha_pattern": {"to_q": 32}})";
    s = lora_scaling({{"transformer_blocks.0.attn.to_q", 8}, {"transformer_blocks.0.cross_attn.to_q", 4},
                      {"transformer_blocks.0.attn.to_k", 16}},
                     &pat, kFile);
    EXPECT_DOUBLE_EQ(s.factor.at("transformer_blocks.0.attn.to_q"), 32.0 / 8);
    EXPECT_DOUBLE_EQ(s.factor.at("transformer_blocks.0.cross_attn.to_q"), 32.0 / 4);
    EXPECT_DOUBLE_EQ(s.factor.at("transformer_blocks.0.attn.to_k"), 1.0);

    const std::string defaults = "{}";  // peft's LoraConfig defaults r 8, lora_alpha 8
    EXPECT_DOUBLE_EQ(lora_scaling({{"speaker_embedder", 8}}, &defaults, kFile).factor.at("speaker_embedder"), 1.0);
}

TEST(LoraConfig, BadMetadataNamesTheFileAndTheProblem) {
    const Ranks ranks = {{"transformer_blocks.0.attn.to_q", 64}};
    std::string e = error_of(ranks, R"({"r": 256, "lora_alpha": 32})");
    EXPECT_NE(e.find(kFile + ": lora_adapter_metadata: module 'transformer_blocks.0.attn.to_q' has rank 64 in the "
                             "tensors but r 256 in the metadata"),
              std::string::npos)
        << e;
    EXPECT_NE(error_of(ranks, "{not json").find(kFile + ": lora_adapter_metadata is not a JSON object"), std::string::npos);
    EXPECT_NE(error_of(ranks, "[1,2]").find("is not a JSON object"), std::string::npos);
    EXPECT_NE(error_of(ranks, R"({"r": "sixty-four"})").find("'r' must be a number"), std::string::npos);
    EXPECT_NE(error_of(ranks, R"({"r": 0})").find("r must be positive"), std::string::npos);
    EXPECT_NE(error_of(ranks, R"({"r": 64, "use_dora": true})").find("DoRA"), std::string::npos);
    EXPECT_NE(error_of(ranks, R"j({"r": 64, "rank_pattern": {"to_(q|k)": 64}})j").find("regular-expression syntax"),
              std::string::npos);
    EXPECT_NE(error_of(ranks, R"({"r": 64, "alpha_pattern": {"to_q": "x"}})").find("'alpha_pattern.to_q' must be a number"),
              std::string::npos);
    EXPECT_NE(error_of(ranks, R"({"r": 64, "rank_pattern": []})").find("'rank_pattern' must be an object"), std::string::npos);
}

// No metadata, diffusers 0.33: r = lora_alpha = first rank; with mixed ranks r = Counter.most_common()[0][0]
// (ties: first inserted), rank_pattern = the others; _maybe_adjust_config: len(rank_pattern) > 1 (its
// `list(rank_pattern)[0] != r` compares a name with a number, always true) -> lora_alpha = r and
// alpha_pattern = rank_pattern. peft: factor = alpha_m / r_m.
TEST(LoraConfig, NoMetadataFollowsDiffusers033) {
    auto f = [](const Ranks& r) { return lora_scaling(r, nullptr, kFile).factor; };
    // Uniform ranks (every published ACE-Step LoRA): weight.
    auto u = f({{"a", 256}, {"b", 256}});
    EXPECT_DOUBLE_EQ(u.at("a"), 1.0);
    EXPECT_DOUBLE_EQ(u.at("b"), 1.0);
    // One odd module, not first: r 4, lora_alpha 4 (first), c: 4/8.
    auto one = f({{"a", 4}, {"b", 4}, {"c", 8}});
    EXPECT_DOUBLE_EQ(one.at("a"), 1.0);
    EXPECT_DOUBLE_EQ(one.at("c"), 0.5);
    // The first module is the odd one: lora_alpha 8 -> 8/8 for it, 8/4 for the others.
    auto first = f({{"a", 8}, {"b", 4}, {"c", 4}});
    EXPECT_DOUBLE_EQ(first.at("a"), 1.0);
    EXPECT_DOUBLE_EQ(first.at("b"), 2.0);
    // A tie: most_common keeps the first rank (8); b is the odd one: 8/4.
    auto tie = f({{"a", 8}, {"b", 4}});
    EXPECT_DOUBLE_EQ(tie.at("a"), 1.0);
    EXPECT_DOUBLE_EQ(tie.at("b"), 2.0);
    // Two odd modules: _maybe_adjust_config makes every factor 1.
    auto two = f({{"a", 8}, {"b", 4}, {"c", 4}, {"d", 2}});
    for (const char* m : {"a", "b", "c", "d"}) EXPECT_DOUBLE_EQ(two.at(m), 1.0) << m;
    EXPECT_TRUE(f({}).empty());
    EXPECT_THROW(f({{"a", 0}}), Error);
}
