// UMT5 prompt tokenizer (torch-free): the fixture's golden ids through spiece.model, the Hugging Face
// tokenizer.json path checked against it (the test turns the fixture's spiece.model into tokenizer.json
// files in the layouts transformers has written over time), truncation, padding, and errors.
// This binary has no LibTorch: it also proves the sentencepiece shim loads without it.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>

#include "acestep/checkpoint.h"
#include "acestep/error.h"
#include "acestep/fs_util.h"
#include "common/test_util.h"
#include "text/hf_tokenizer.h"
#include "text/spm_proto.h"
#include "text/umt5_tokenizer.h"

using namespace acestep;
using nlohmann::json;

namespace {

fs::path spiece_path() { return test::fixtures_dir() / "checkpoint" / "umt5-base" / "spiece.model"; }
fs::path golden_path() { return test::fixtures_dir() / "cases" / "umt5_tokenizer.json"; }

#define REQUIRE_FIXTURE()                                                        \
    if (!fs::exists(spiece_path())) GTEST_SKIP() << "no fixture spiece.model"

// The tokenizer.json layouts transformers' SpmConverter produced for T5 over the years.
enum class Layout {
    WhitespaceSplit2020,  // normalizer Precompiled; pre_tokenizer Sequence[WhitespaceSplit, Metaspace]
    Replace2023,          // normalizer Sequence[Precompiled, Replace(" {2,}", " ")]; Metaspace(add_prefix_space)
    Current,              // Sequence[Precompiled, Strip(right), Replace(" {2,}", "▁")]; Metaspace(prepend_scheme)
};

// A tokenizer.json equivalent to `model` (what transformers' T5 converter writes).
std::string tokenizer_json_from(const spm::Model& model, Layout layout) {
    json vocab = json::array();
    for (const auto& p : model.pieces) vocab.push_back(json::array({p.piece, static_cast<double>(p.score)}));
    json added = json::array();
    for (size_t i = 0; i < model.pieces.size(); ++i)
        if (model.pieces[i].type == spm::PieceType::Control || model.pieces[i].type == spm::PieceType::Unknown)
            added.push_back({{"id", i}, {"content", model.pieces[i].piece}, {"single_word", false}, {"lstrip", false},
                             {"rstrip", false}, {"normalized", false}, {"special", true}});
    const json precompiled = {{"type", "Precompiled"}, {"precompiled_charsmap", spm::base64_encode(model.precompiled_charsmap)}};
    json normalizer, pre;
    switch (layout) {
        case Layout::WhitespaceSplit2020:
            normalizer = precompiled;
            pre = {{"type", "Sequence"},
                   {"pretokenizers", json::array({{{"type", "WhitespaceSplit"}},
                                                  {{"type", "Metaspace"}, {"replacement", "\xE2\x96\x81"}, {"add_prefix_space", true}}})}};
            break;
        case Layout::Replace2023:
            normalizer = {{"type", "Sequence"},
                          {"normalizers", json::array({precompiled, {{"type", "Replace"}, {"pattern", {{"Regex", " {2,}"}}}, {"content", " "}}})}};
            pre = {{"type", "Metaspace"}, {"replacement", "\xE2\x96\x81"}, {"add_prefix_space", true}};
            break;
        case Layout::Current:
            normalizer = {{"type", "Sequence"},
                          {"normalizers", json::array({precompiled,
                                                       {{"type", "Strip"}, {"strip_left", false}, {"strip_right", true}},
                                                       {{"type", "Replace"}, {"pattern", {{"Regex", " {2,}"}}}, {"content", "\xE2\x96\x81"}}})}};
            pre = {{"type", "Metaspace"}, {"replacement", "\xE2\x96\x81"}, {"prepend_scheme", "always"}, {"split", true}};
            break;
    }
    const json eos_item = {{"SpecialToken", {{"id", "</s>"}, {"type_id", 0}}}};
    json j = {
        {"version", "1.0"},
        {"truncation", nullptr},
        {"padding", nullptr},
        {"added_tokens", added},
        {"normalizer", normalizer},
        {"pre_tokenizer", pre},
        {"post_processor",
         {{"type", "TemplateProcessing"},
          {"single", json::array({{{"Sequence", {{"id", "A"}, {"type_id", 0}}}}, eos_item})},
          {"pair", json::array({{{"Sequence", {{"id", "A"}, {"type_id", 0}}}}, eos_item,
                                {{"Sequence", {{"id", "B"}, {"type_id", 0}}}}, eos_item})},
          {"special_tokens", {{"</s>", {{"id", "</s>"}, {"ids", json::array({model.eos_id})}, {"tokens", json::array({"</s>"})}}}}}}},
        {"decoder", {{"type", "Metaspace"}, {"replacement", "\xE2\x96\x81"}, {"add_prefix_space", true}}},
        {"model", {{"type", "Unigram"}, {"unk_id", model.unk_id}, {"vocab", vocab}, {"byte_fallback", false}}},
    };
    return j.dump();
}

spm::Model fixture_model() { return spm::parse(read_file(spiece_path()), spiece_path().string()); }

std::vector<std::string> golden_texts() {
    std::vector<std::string> out;
    if (!fs::exists(golden_path())) return out;
    const json goldens = json::parse(read_file(golden_path()));  // named: a range-for over a member of a temporary dangles
    for (const auto& c : goldens.at("cases")) out.push_back(c.at("text").get<std::string>());
    return out;
}

// Texts beyond the goldens: normalisation (NFKC, whitespace kinds, controls, invalid UTF-8), scripts,
// added-token look-alikes, and a very long prompt.
std::vector<std::string> extra_texts() {
    std::string lng;
    for (int i = 0; i < 200; ++i) lng += "pop, rock, female vocals, upbeat, ";
    lng += "end";
    return {"",
            "  leading spaces",
            "multiple   internal \t  spaces",
            "tabs\tand\nnewlines\r\nand CRLF",
            "\xEF\xBC\xA6\xEF\xBC\xB5\xEF\xBC\xAC\xEF\xBC\xAC \xEF\xBC\x91\xEF\xBC\x92\xEF\xBC\x98\xEF\xBC\xA2\xEF\xBC\xB0\xEF\xBC\xAD",  // FULL 128BPM (fullwidth)
            "\xEF\xAC\x81ne ligature, \xE2\x85\xAB roman, \xE2\x91\xA0\xE2\x91\xA1 circled",
            "cafe\xCC\x81 decomposed, caf\xC3\xA9 composed",
            "emoji \xF0\x9F\x8E\xB8\xF0\x9F\xA5\x81 and zero\xE2\x80\x8Bwidth",
            "control\x01" "char and nbsp\xC2\xA0space and ideographic\xE3\x80\x80space",
            "invalid \xFF\xFE utf8 \xC3",
            "\xE4\xB8\xAD\xE6\x96\x87 \xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E \xED\x95\x9C\xEA\xB5\xAD\xEC\x96\xB4 "
            "\xD1\x80\xD1\x83\xD1\x81\xD1\x81\xD0\xBA\xD0\xB8\xD0\xB9 \xD8\xA7\xD9\x84\xD8\xB9\xD8\xB1\xD8\xA8\xD9\x8A\xD8\xA9",
            "&amp; <tags> [verse] (chorus) \"quoted\" 'single' <0x41> <s>",
            lng};
}

std::string show(const std::vector<int64_t>& v) {
    std::string s;
    for (auto x : v) s += (s.empty() ? "" : " ") + std::to_string(x);
    return s;
}

}  // namespace

TEST(Umt5Tokenizer, FixtureGoldenIdsAndPieces) {
    REQUIRE_FIXTURE();
    if (!fs::exists(golden_path())) GTEST_SKIP() << "no cases/umt5_tokenizer.json";
    auto tok = Umt5Tokenizer::from_spiece(spiece_path());
    const json g = json::parse(read_file(golden_path()));
    EXPECT_EQ(tok.vocab_size(), g["vocab_size"].get<int64_t>());
    EXPECT_EQ(tok.eos_id(), 1);
    EXPECT_EQ(tok.pad_id(), 0);
    ASSERT_FALSE(g["cases"].empty());
    for (const auto& c : g["cases"]) {
        const std::string text = c["text"];
        EXPECT_EQ(tok.encode(text), c["input_ids_with_eos"].get<std::vector<int64_t>>()) << text;
        EXPECT_EQ(tok.pieces(text), c["sp_pieces"].get<std::vector<std::string>>()) << text;
    }
}

TEST(Umt5Tokenizer, CheckpointPrefersSpieceModel) {
    REQUIRE_FIXTURE();
    Umt5Tokenizer tok(find_checkpoint(test::fixtures_dir() / "checkpoint"));
    EXPECT_EQ(tok.source().filename(), "spiece.model");
    EXPECT_EQ(tok.encode("jazz, saxophone, slow"), (std::vector<int64_t>{61, 57, 57, 3, 6, 63, 18, 19, 117, 3, 6, 38, 101, 1}));
}

TEST(Umt5Tokenizer, TokenizerJsonMatchesSpieceInEveryConverterLayout) {
    REQUIRE_FIXTURE();
    const auto model = fixture_model();
    ASSERT_EQ(model.pieces.size(), 150u);
    ASSERT_FALSE(model.precompiled_charsmap.empty()) << "the fixture model should carry the nmt_nfkc charsmap";
    auto ref = Umt5Tokenizer::from_spiece(spiece_path());
    auto texts = golden_texts();
    for (auto& t : extra_texts()) texts.push_back(t);
    for (Layout layout : {Layout::WhitespaceSplit2020, Layout::Replace2023, Layout::Current}) {
        const auto dir = test::scratch_dir("umt5_tok_json");
        write_file_atomic(dir / "tokenizer.json", tokenizer_json_from(model, layout));
        CheckpointPaths ck;  // a umt5-base/ folder with tokenizer.json only, as the real checkpoint ships
        ck.umt5.dir = dir;
        ck.umt5_tokenizer_json = dir / "tokenizer.json";
        Umt5Tokenizer tok(ck);
        EXPECT_EQ(tok.source().filename(), "tokenizer.json");
        EXPECT_EQ(tok.vocab_size(), 150);
        EXPECT_EQ(tok.eos_id(), 1);
        for (const auto& t : texts) {
            const auto want = ref.encode(t);
            EXPECT_EQ(show(tok.encode(t)), show(want)) << "layout " << int(layout) << " text '" << t.substr(0, 60) << "'";
        }
    }
}

TEST(Umt5Tokenizer, TrailingSpaceFollowsTheTokenizerJsonLayout) {
    // tokenizers' Metaspace turns a trailing space into its own "▁" pre-token unless the normalizer
    // strips it (current converter) or WhitespaceSplit drops it (2020 converter); sentencepiece drops it.
    REQUIRE_FIXTURE();
    const auto model = fixture_model();
    auto ref = Umt5Tokenizer::from_spiece(spiece_path());
    const auto base = ref.encode("pop, rock");
    EXPECT_EQ(ref.encode("pop, rock "), base);
    auto with_space = base;
    with_space.insert(with_space.end() - 1, 4);  // "▁" is id 4 in the fixture vocabulary
    for (Layout layout : {Layout::WhitespaceSplit2020, Layout::Replace2023, Layout::Current}) {
        auto tok = Umt5Tokenizer::from_tokenizer_json_text(tokenizer_json_from(model, layout), "tokenizer.json");
        EXPECT_EQ(show(tok.encode("pop, rock ")), show(layout == Layout::Replace2023 ? with_space : base)) << int(layout);
    }
}

TEST(Umt5Tokenizer, AddedTokensAreCutOutBeforeNormalisation) {
    REQUIRE_FIXTURE();
    auto tok = Umt5Tokenizer::from_tokenizer_json_text(tokenizer_json_from(fixture_model(), Layout::Replace2023), "tokenizer.json");
    auto a = tok.encode("pop"), b = tok.encode("rock");
    std::vector<int64_t> want(a.begin(), a.end() - 1);
    want.push_back(1);  // </s> in the text is the </s> token
    want.insert(want.end(), b.begin(), b.end() - 1);
    want.push_back(1);
    EXPECT_EQ(show(tok.encode("pop</s>rock")), show(want));
    // sentencepiece alone treats </s> in the text as characters (the fixture's shim behaviour)
    auto ref = Umt5Tokenizer::from_spiece(spiece_path());
    const auto plain = ref.encode("pop</s>rock");
    EXPECT_EQ(std::count(plain.begin(), plain.end(), 1), 1);
}

TEST(Umt5Tokenizer, TruncatesTo256KeepingEos) {
    REQUIRE_FIXTURE();
    auto tok = Umt5Tokenizer::from_spiece(spiece_path());
    std::string text;
    for (int i = 0; i < 100; ++i) text += "classical, orchestra, strings, cinematic, ";
    const auto full = tok.pieces(text);
    ASSERT_GT(full.size(), 300u);
    const auto ids = tok.encode(text);
    ASSERT_EQ(ids.size(), Umt5Tokenizer::kMaxLength);
    EXPECT_EQ(ids.back(), 1);
    const auto untruncated = tok.encode(text, 100000);
    EXPECT_EQ(untruncated.size(), full.size() + 1);
    EXPECT_TRUE(std::equal(ids.begin(), ids.end() - 1, untruncated.begin()));
    EXPECT_EQ(tok.encode("", 256), std::vector<int64_t>{1});
    EXPECT_THROW(tok.encode("x", 1), Error);
}

TEST(Umt5Tokenizer, BatchIsRightPaddedWithMask) {
    REQUIRE_FIXTURE();
    auto tok = Umt5Tokenizer::from_spiece(spiece_path());
    auto b = tok.encode_batch({"pop, rock, female vocals, upbeat", "jazz, saxophone, slow"});
    ASSERT_EQ(b.batch, 2);
    ASSERT_EQ(b.length, 21);
    EXPECT_EQ(b.input_ids[21 + 13], 1);  // </s> of the shorter row
    for (int64_t i = 14; i < 21; ++i) {
        EXPECT_EQ(b.input_ids[21 + i], 0);
        EXPECT_EQ(b.attention_mask[21 + i], 0);
    }
    for (int64_t i = 0; i < 21; ++i) EXPECT_EQ(b.attention_mask[i], 1);
}

TEST(Umt5Tokenizer, ModelProtoRoundTrip) {
    REQUIRE_FIXTURE();
    const std::string bytes = read_file(spiece_path());
    const auto m = spm::parse(bytes, "spiece.model");
    EXPECT_EQ(m.unk_id, 2);
    EXPECT_EQ(m.eos_id, 1);
    EXPECT_EQ(m.pad_id, 0);
    EXPECT_EQ(m.bos_id, -1);
    EXPECT_EQ(m.normalizer_name, "nmt_nfkc");
    EXPECT_EQ(m.pieces[2].type, spm::PieceType::Unknown);
    EXPECT_EQ(m.pieces[1].type, spm::PieceType::Control);
    const auto again = spm::parse(spm::serialize(m), "re-serialized");
    ASSERT_EQ(again.pieces.size(), m.pieces.size());
    for (size_t i = 0; i < m.pieces.size(); ++i) {
        EXPECT_EQ(again.pieces[i].piece, m.pieces[i].piece);
        EXPECT_EQ(again.pieces[i].score, m.pieces[i].score);
        EXPECT_EQ(again.pieces[i].type, m.pieces[i].type);
    }
    EXPECT_EQ(again.precompiled_charsmap, m.precompiled_charsmap);
    EXPECT_EQ(again.bos_id, -1);
    EXPECT_EQ(spm::base64_decode(spm::base64_encode(m.precompiled_charsmap), "b64"), m.precompiled_charsmap);
    EXPECT_EQ(spm::base64_encode("ab"), "YWI=");
    EXPECT_THROW(spm::parse(bytes.substr(0, bytes.size() / 2), "half"), Error);
}

TEST(Umt5Tokenizer, PrecompiledCharsmapNormalisesLikeNfkc) {
    REQUIRE_FIXTURE();
    hf::PrecompiledCharsmap cm(fixture_model().precompiled_charsmap, "charsmap");
    EXPECT_EQ(cm.normalize("\xEF\xBC\xA1\xEF\xBC\xA2\xEF\xBC\x91"), "AB1");      // fullwidth ＡＢ１
    EXPECT_EQ(cm.normalize("e\xCC\x81"), "\xC3\xA9");                            // e + U+0301 -> é
    EXPECT_EQ(cm.normalize("\xEF\xAC\x81"), "fi");                               // ﬁ
    EXPECT_EQ(cm.normalize("plain ascii"), "plain ascii");
}

TEST(Umt5Tokenizer, BadTokenizerJsonSaysWhatIsWrong) {
    auto err = [](const std::string& text) {
        try {
            hf::UnigramTokenizerJson::parse(text, "umt5-base/tokenizer.json");
        } catch (const Error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_NE(err("{").find("umt5-base/tokenizer.json: malformed JSON"), std::string::npos) << err("{");
    EXPECT_NE(err(R"({"model": {"type": "BPE", "vocab": {}}})").find("model type 'BPE' is not supported"), std::string::npos);
    EXPECT_NE(err(R"({"model": {"type": "Unigram", "unk_id": 5, "vocab": [["a", 0.0]]}})").find("unk_id"), std::string::npos);
    EXPECT_NE(err(R"({"model": {"type": "Unigram", "unk_id": 0, "vocab": [["a", "x"]]}})").find("model.vocab[0]"), std::string::npos);
    EXPECT_NE(err(R"({"model": {"type": "Unigram", "unk_id": 0, "vocab": [["<unk>", 0.0]]}, "normalizer": {"type": "NFKC"}})")
                  .find("normalizer: type 'NFKC' is not supported"),
              std::string::npos);
    EXPECT_NE(err(R"({"model": {"type": "Unigram", "unk_id": 0, "vocab": [["<unk>", 0.0]]},
                      "normalizer": {"type": "Precompiled", "precompiled_charsmap": "AAAA!!"}})")
                  .find("invalid base64"),
              std::string::npos);
    EXPECT_NE(err(R"({"model": {"type": "Unigram", "unk_id": 0, "vocab": [["<unk>", 0.0]]},
                      "normalizer": {"type": "Precompiled", "precompiled_charsmap": "/////w=="}})")
                  .find("bad trie size"),
              std::string::npos);
    // Duplicate pieces cannot become a sentencepiece model.
    auto dup = hf::UnigramTokenizerJson::parse(R"({"model": {"type": "Unigram", "unk_id": 0, "vocab": [["<unk>", 0.0], ["a", -1], ["a", -2]]}})", "t.json");
    EXPECT_THROW(dup.to_spm_model(), Error);
}

TEST(Umt5Tokenizer, MissingTokenizerFilesNameTheFolder) {
    CheckpointPaths ck;
    ck.umt5.dir = "/nonexistent/umt5-base";
    try {
        Umt5Tokenizer tok(ck);
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("/nonexistent/umt5-base"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("tokenizer.json or spiece.model"), std::string::npos) << e.what();
    }
}

TEST(Umt5Tokenizer, ModuleSearchPathHonoursEnvironment) {
    const char* old = std::getenv("ACESTEP_SPM_MODULE");
    const std::string saved = old ? old : "";
    ::setenv("ACESTEP_SPM_MODULE", "/somewhere/acestep_spm.so", 1);
    EXPECT_EQ(Umt5Tokenizer::module_search_path(), std::vector<fs::path>{"/somewhere/acestep_spm.so"});
    ::unsetenv("ACESTEP_SPM_MODULE");
    const auto path = Umt5Tokenizer::module_search_path();
    ASSERT_FALSE(path.empty());
    EXPECT_EQ(path.front(), (test::build_dir() / "lib" / "acestep_spm.so").lexically_normal()) << "<exe dir>/../lib first";
    if (old) ::setenv("ACESTEP_SPM_MODULE", saved.c_str(), 1);
}

TEST(Umt5TokenizerDeathTest, MissingModuleIsAClearError) {
    REQUIRE_FIXTURE();
    GTEST_FLAG_SET(death_test_style, "threadsafe");  // a fresh process: the module is loaded once per process
    EXPECT_EXIT(
        {
            ::setenv("ACESTEP_SPM_MODULE", "/nonexistent/acestep_spm.so", 1);
            try {
                Umt5Tokenizer::from_spiece(spiece_path());
            } catch (const Error& e) {
                std::fprintf(stderr, "%s\n", e.what());
                std::exit(3);
            }
            std::exit(0);
        },
        ::testing::ExitedWithCode(3), "sentencepiece module acestep_spm.so .*not found or not loadable; looked at: /nonexistent/acestep_spm.so");
}
