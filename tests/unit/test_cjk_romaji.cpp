// Romaji (cutlet 0.5.0 + MeCab/UniDic 3.1.1, then lower()) on our own sentences. Expectations come
// from running cutlet's code in CPython over the same MeCab dictionary: particles は/へ/を
// (wa/e/wo), sokuon before consonants and ち (chotto, matcha), long vowels, foreign lemmas of
// katakana loanwords (computer, party), the exception list (tokyo, osaka), unknown non-kana -> '?'.
#include <gtest/gtest.h>

#include "acestep/error.h"
#include "common/test_util.h"
#include "text/cleaners.h"

using namespace acestep;

namespace {
struct Case {
    const char* in;
    const char* want;
};
const Case kCases[] = {
    {R"(さくらさくら やよいの空は)", R"(sakura sakura yayoi no sora wa)"},
    {R"(私は学校へ行きます)", R"(watakushi wa gakkou e ikimasu)"},
    {R"(本を読みました。)", R"(hon wo yomimashita.)"},
    {R"(ちょっと待って)", R"(chotto matte)"},
    {R"(学校)", R"(gakkou)"},
    {R"(抹茶)", R"(matcha)"},
    {R"(一緒にいたい)", R"(issho ni itai)"},
    {R"(新橋)", R"(shinbashi)"},
    {R"(専用)", R"(sen'you)"},
    {R"(繊維)", R"(sen'i)"},
    {R"(カツカレーは美味しい)", R"(cutlet curry wa oishii)"},
    {R"(コンピューター)", R"(computer)"},
    {R"(パーティーに行こう)", R"(party ni ikou)"},
    {R"(ヴァイオリン)", R"(violin)"},
    {R"(ラーメン)", R"(rahmen)"},
    {R"(東京タワーの高さは333mです)", R"(tokyo tower no takasa wa 333m desu)"},
    {R"(大阪と京都)", R"(osaka to kyoto)"},
    {R"(ホッピー)", R"(hoppy)"},
    {R"(やっちゃった！)", R"(yacchatta!)"},
    {R"(暖かかった)", R"(atatakakatta)"},
    {R"(プラトーーーン)", R"(puratoo--n)"},
    {R"(ずっーと)", R"(zu--to)"},
    {R"(彁)", R"(?)"},
    {R"(パンダはロシア語でпанда)", R"(panda wa rossiya go de ?????)"},
    {R"(ﾎﾟｰﾙ)", R"(paul)"},
    {R"(ｃｕｔｌｅｔ２３)", R"(cutlet23)"},
    {R"(「こんにちは」と言った)", R"("konnichiha" to itta)"},
    {R"(愛してる ♪)", R"(aishiteru)"},
    {R"(Hello 世界)", R"(hello sekai)"},
    {R"(I'm ok 大丈夫)", R"(i'm ok daijoubu)"},
    {R"(今日は、いい天気ですね)", R"(kyou wa, ii tenki desu ne)"},
    {R"(東京へ来た)", R"(tokyo e kita)"},
    {R"(何を食べる？)", R"(nan wo taberu?)"},
    {R"()", R"()"},
};

std::filesystem::path data_dir() { return test::fixtures_dir() / "lyrics" / "data"; }

bool have_unidic() {
    for (const char* d : {"/var/lib/mecab/dic/unidic", "/usr/share/mecab/dic/unidic"})
        if (std::filesystem::exists(std::filesystem::path(d) / "sys.dic")) return true;
    const char* env = std::getenv("ACESTEP_UNIDIC_DIR");
    return env && std::filesystem::exists(std::filesystem::path(env) / "sys.dic");
}
}  // namespace

TEST(CjkRomaji, MatchesCutlet) {
    if (!std::filesystem::exists(data_dir() / "cutlet_exceptions.tsv")) GTEST_SKIP() << "lyric data not found";
    if (!have_unidic()) GTEST_SKIP() << "UniDic (unidic-mecab) not installed";
    text::Romaji ja(data_dir());
    for (const Case& c : kCases) EXPECT_EQ(ja.convert(c.in), c.want) << "input: " << c.in;
}

TEST(CjkRomaji, KeyErrorInCutletThrows) {
    if (!std::filesystem::exists(data_dir() / "cutlet_exceptions.tsv") || !have_unidic()) GTEST_SKIP();
    text::Romaji ja(data_dir());
    // ッ before ヾ looks ゞ up in the Hepburn table, which has no entry: cutlet raises KeyError.
    EXPECT_THROW(ja.convert("ヤッヾ"), Error);
    EXPECT_EQ(ja.convert("やっゞ"), "ya");
}

TEST(CjkRomaji, MissingExceptionsFileNamesIt) {
    const auto dir = test::scratch_dir("cjk_romaji_missing");
    try {
        text::Romaji ja(dir);
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("cutlet_exceptions.tsv"), std::string::npos) << e.what();
    }
}
