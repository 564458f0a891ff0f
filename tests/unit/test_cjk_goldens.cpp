// The CJK transforms against the official lyric goldens (fixtures/lyrics/lyrics_goldens.json):
//   zh: zh_text_norm(lowercased) == the recorded number stage, Pinyin(collapsed) == final text;
//   ko: hangul_romanize(collapsed) == final text;
//   ja: Romaji(line) == final text (cutlet over Debian's UniDic 3.1.1, as recorded).
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "common/test_util.h"
#include "text/cleaners.h"

using namespace acestep;

namespace {

std::filesystem::path lyrics_dir() { return test::fixtures_dir() / "lyrics"; }

nlohmann::json load_goldens() {
    std::ifstream f(lyrics_dir() / "lyrics_goldens.json");
    return nlohmann::json::parse(f);
}

// Calls fn(line_entry) for every golden line encoded with `lang`; returns how many there were.
template <class Fn>
int for_lines(const nlohmann::json& cases, const std::string& lang, Fn fn) {
    int n = 0;
    for (const auto& c : cases)
        for (const auto& l : c.at("per_line")) {
            if (l.value("blank", false) || l.value("lang_used", "") != lang) continue;
            fn(c.at("id").get<std::string>(), l);
            ++n;
        }
    return n;
}

bool have_unidic() {
    for (const char* d : {"/var/lib/mecab/dic/unidic", "/usr/share/mecab/dic/unidic"})
        if (std::filesystem::exists(std::filesystem::path(d) / "sys.dic")) return true;
    const char* env = std::getenv("ACESTEP_UNIDIC_DIR");
    return env && std::filesystem::exists(std::filesystem::path(env) / "sys.dic");
}

}  // namespace

TEST(CjkGoldens, ChineseNumberStageAndPinyin) {
    if (!std::filesystem::exists(lyrics_dir() / "lyrics_goldens.json")) GTEST_SKIP() << "lyric goldens not found";
    const auto cases = load_goldens();
    text::Pinyin py(lyrics_dir() / "data");
    const int n = for_lines(cases, "zh", [&](const std::string& id, const nlohmann::json& l) {
        const auto& st = l.at("cleaner_stages");
        EXPECT_EQ(text::zh_text_norm(st.at("lowercased").get<std::string>()), st.at("numbers").get<std::string>())
            << id << ": " << l.at("line");
        EXPECT_EQ(py.tone3(st.at("collapsed").get<std::string>()), l.at("text_after_cleaning").get<std::string>())
            << id << ": " << l.at("line");
    });
    EXPECT_GE(n, 10);
}

TEST(CjkGoldens, KoreanRomanization) {
    if (!std::filesystem::exists(lyrics_dir() / "lyrics_goldens.json")) GTEST_SKIP() << "lyric goldens not found";
    const auto cases = load_goldens();
    const int n = for_lines(cases, "ko", [&](const std::string& id, const nlohmann::json& l) {
        EXPECT_EQ(text::hangul_romanize(l.at("cleaner_stages").at("collapsed").get<std::string>()),
                  l.at("text_after_cleaning").get<std::string>())
            << id << ": " << l.at("line");
    });
    EXPECT_GE(n, 4);
}

TEST(CjkGoldens, JapaneseRomaji) {
    if (!std::filesystem::exists(lyrics_dir() / "lyrics_goldens.json")) GTEST_SKIP() << "lyric goldens not found";
    if (!have_unidic()) GTEST_SKIP() << "UniDic (unidic-mecab) not installed";
    const auto cases = load_goldens();
    text::Romaji ja(lyrics_dir() / "data");
    const int n = for_lines(cases, "ja", [&](const std::string& id, const nlohmann::json& l) {
        EXPECT_EQ(ja.convert(l.at("line").get<std::string>()), l.at("text_after_cleaning").get<std::string>())
            << id << ": " << l.at("line");
    });
    EXPECT_GE(n, 7);
}
