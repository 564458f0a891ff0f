// Language detection against the official goldens: py3langid (model reader + classifier), LangSegment's
// segmentation and counts, and get_lang (fixtures/lyrics/langid_goldens.json and the lang_detected of
// every line of lyrics_goldens.json). Also: malformed model files are errors, never crashes.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "acestep/error.h"
#include "common/test_util.h"
#include "text/lang_segment.h"
#include "text/langid.h"

using namespace acestep;

namespace {

std::filesystem::path lyrics_dir() { return test::fixtures_dir() / "lyrics"; }
std::filesystem::path model_path() { return lyrics_dir() / "data" / "py3langid_model.plzma"; }
bool have_fixtures() { return std::filesystem::exists(lyrics_dir() / "langid_goldens.json"); }

nlohmann::json load(const char* name) {
    std::ifstream f(lyrics_dir() / name);
    return nlohmann::json::parse(f);
}

const text::LangSegment& seg() {
    static const text::LangSegment s(model_path());
    return s;
}

std::string read_file(const std::filesystem::path& p) {
    std::ifstream f(p, std::ios::binary);
    std::ostringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

}  // namespace

TEST(LangId, ModelLoadsAndClassifiesLikePy3langid) {
    if (!have_fixtures()) GTEST_SKIP() << "lyric fixtures not found";
    const auto& id = seg().identifier();
    ASSERT_EQ(id.classes().size(), 97u);
    EXPECT_EQ(id.classes().front(), "af");
    EXPECT_EQ(id.classes().back(), "zu");
    // Scores the goldens recorded (rounded to 3 decimals by LangSegment).
    auto r = id.classify("Helo world");
    EXPECT_EQ(r.lang, "xh");
    EXPECT_NEAR(r.score, 0.681, 0.0005);
    r = id.classify("hello");  // no informative feature: the prior's argmax
    EXPECT_EQ(r.lang, "en");
    EXPECT_NEAR(r.score, 0.169, 0.0005);
}

TEST(LangSegmentGoldens, EveryLangidString) {
    if (!have_fixtures()) GTEST_SKIP() << "lyric fixtures not found";
    const auto g = load("langid_goldens.json");
    int n = 0, ok_lang = 0, ok_all = 0;
    std::map<std::string, std::pair<int, int>> per_lang;
    for (size_t i = 0; i < g.size(); ++i) {
        const auto& e = g[i];
        const std::string text = e.at("text");
        const std::string want = e.at("get_lang");
        const std::string got = seg().get_lang(text);
        const auto r = seg().segment(text);
        nlohmann::json segs = nlohmann::json::array(), counts = nlohmann::json::array();
        bool scores_ok = r.segments.size() == e.at("segments").size();
        for (size_t k = 0; k < r.segments.size(); ++k) {
            segs.push_back({{"lang", r.segments[k].lang}, {"text", r.segments[k].text}});
            if (scores_ok) scores_ok = std::fabs(r.segments[k].score - e["segments"][k].at("score").get<double>()) < 1e-9;
        }
        for (const auto& [l, c] : r.counts) counts.push_back({l, c});
        nlohmann::json want_segs = nlohmann::json::array();
        for (const auto& s : e.at("segments")) want_segs.push_back({{"lang", s.at("lang")}, {"text", s.at("text")}});
        const bool all = got == want && segs == want_segs && counts == e.at("counts") && scores_ok;
        EXPECT_EQ(got, want) << "langid:" << i << " " << text;
        EXPECT_TRUE(all) << "langid:" << i << " " << text << "\n  got " << segs.dump() << " " << counts.dump()
                         << "\n want " << want_segs.dump() << " " << e.at("counts").dump();
        ++n;
        ok_lang += got == want;
        ok_all += all;
        auto& pl = per_lang[want];
        pl.first += got == want;
        ++pl.second;
    }
    std::string summary;
    for (const auto& [l, pc] : per_lang) summary += " " + l + " " + std::to_string(pc.first) + "/" + std::to_string(pc.second);
    std::printf("langid goldens: get_lang %d/%d, segments+scores+counts %d/%d\n  per language:%s\n", ok_lang, n, ok_all, n,
                summary.c_str());
    EXPECT_EQ(n, 104);
}

TEST(LangSegmentGoldens, EveryLyricLineDetection) {
    if (!have_fixtures()) GTEST_SKIP() << "lyric fixtures not found";
    const auto cases = load("lyrics_goldens.json");
    int n = 0, ok = 0;
    for (const auto& c : cases)
        for (const auto& l : c.at("per_line")) {
            if (l.value("blank", false)) continue;
            const std::string got = seg().get_lang(l.at("line"));
            EXPECT_EQ(got, l.at("lang_detected").get<std::string>()) << c.at("id") << ": " << l.at("line");
            ++n;
            ok += got == l.at("lang_detected").get<std::string>();
        }
    std::printf("lyric golden lines: detection %d/%d\n", ok, n);
    EXPECT_EQ(n, 133);
}

TEST(LangSegment, SsmlNumberTagsAndQuotes) {
    if (!have_fixtures()) GTEST_SKIP() << "lyric fixtures not found";
    // Exercised paths without goldens: must not throw, must give a language.
    for (const char* t : {"<ja>佐々木</ja>", "<number>123</number>", "<telephone>+86 123</telephone>", "<b>x</b>",
                          "\"quoted text here\" and more", "（括号里的内容）好", "a\nb\n\nc", "⑥12345678⑥ x",
                          "<currency>12</currency>", "\"\"", "'", "。", "你。", "日本。", "語"})
        EXPECT_FALSE(seg().get_lang(t).empty()) << t;
}

// <currency> and <date> (LangSSML.to_chinese_currency / to_chinese_date with num2str from utils/num.py).
// Expected strings: the official functions run in Python on each input.
TEST(LangSegment, SsmlCurrencyAndDateAreReadOutInChinese) {
    if (!have_fixtures()) GTEST_SKIP() << "lyric fixtures not found";
    struct Case {
        const char *tag, *in, *out;
    };
    static const Case kCases[] = {
        {"currency", "12", "十二"},
        {"currency", "12.5", "十二点五"},
        {"currency", "0", "零"},
        {"currency", "007", "七"},
        {"currency", "10", "十"},
        {"currency", "15", "十五"},
        {"currency", "100", "一百"},
        {"currency", "101", "一百零一"},
        {"currency", "1000", "一千"},
        {"currency", "1010", "一千零一十"},
        {"currency", "10000", "一万"},
        {"currency", "100000000", "一亿"},
        {"currency", "1000000001", "十亿零一"},
        {"currency", "20.50元", "二十点五十元"},
        {"currency", "$3.14", "$三点十四"},
        {"currency", "12345678901234567890", "一千二百三十四亿五千六百七十八万九千零一十二亿三千四百五十六万七千八百九十"},
        {"currency", "x1y22z", "x一y二十二z"},
        {"date", "2024-08-24", "二零二四年八月二十四日"},
        {"date", "2024/8/24", "二零二四年八月二十四日"},
        {"date", "2024-08", "二零二四年八月"},
        {"date", "08-24", "八月二十四日"},
        {"date", "24", "二十四日"},
        {"date", "2024年8月24日", "二零二四年八月二十四日"},
        {"date", "2024.08.24 12:30:05", "二零二四年八月二十四日十二点三十分五秒"},
        {"date", "12:30", "十二点三十分"},
        {"date", "2024-08-24 12", "二零二四年八月二十四日12点"},
        {"date", "2024-08-24 12:00:00", "二零二四年八月二十四日十二点零分零秒"},
        {"date", "0-0-0", "零年零月零日"},
        {"date", "1-2-3-4", "一日"},
        {"date", "2024-08-24  12:30", "二零二四年八月二十四日"},
        {"date", "10:05:00", "十点五分零秒"},
        {"date", "12:30:45:10", "十二点"},
        {"date", "2024_1_1 1-2-3", "二零二四年一月一日一点二分三秒"},
        {"date", "a|b", "a月b日"},
    };
    for (const Case& c : kCases) {
        const std::string line = std::string("<") + c.tag + ">" + c.in + "</" + c.tag + ">";
        const auto r = seg().segment(line);
        std::string zh;
        for (const auto& s : r.segments) zh += s.lang == "zh" ? s.text : "";
        EXPECT_EQ(zh, c.out) << line;
        EXPECT_EQ(seg().get_lang(line), "zh") << line;
    }
    // A digit outside ASCII is a KeyError in num2str's table: get_lang's fallback answers "en".
    EXPECT_EQ(seg().get_lang("<currency>\u0663</currency>"), "en");
    EXPECT_EQ(seg().get_lang("<number>\u0663</number>"), "zh") << "to_chinese_number drops it instead";
}

TEST(LangIdModel, MalformedFilesAreErrors) {
    if (!have_fixtures()) GTEST_SKIP() << "lyric fixtures not found";
    const std::string raw = read_file(model_path());
    const std::string pickle = text::lzma_decompress(raw, "model");
    // Truncated compressed stream, garbage, empty.
    EXPECT_THROW(text::lzma_decompress(raw.substr(0, raw.size() / 2), "model"), Error);
    EXPECT_THROW(text::lzma_decompress("not lzma at all", "model"), Error);
    EXPECT_THROW(text::lzma_decompress("", "model"), Error);
    // Truncated pickles at many cut points: always an Error.
    for (size_t cut : {size_t(0), size_t(1), size_t(2), size_t(11), size_t(50), size_t(2902318), pickle.size() / 2,
                       pickle.size() - 2, pickle.size() - 1})
        EXPECT_THROW(text::parse_langid_pickle(pickle.substr(0, cut), "model"), Error) << cut;
    // Anything that would execute code is refused.
    static const char kEvil[] = "\x80\x04\x8c\x02os\x8c\x06system\x93\x8c\x02id\x85R.";
    const std::string evil(kEvil, sizeof kEvil - 1);
    try {
        text::parse_langid_pickle(evil, "evil.pkl");
        FAIL() << "expected a refusal";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("os.system"), std::string::npos) << e.what();
    }
    // Unknown opcode, corrupted bytes in the middle.
    EXPECT_THROW(text::parse_langid_pickle(std::string("\x80\x04\xff.", 4), "x"), Error);
    std::string flipped = pickle;
    flipped[pickle.size() / 3] = '\xff';
    try {
        text::parse_langid_pickle(flipped, "x");
    } catch (const Error&) {
    }
    EXPECT_THROW(text::LanguageIdentifier::from_file(test::scratch_dir("langid_missing") / "none.plzma"), Error);
}
