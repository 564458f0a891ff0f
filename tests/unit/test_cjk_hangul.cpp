// hangul_romanize (Transliter(academic)): the upstream test list plus our own words. No sound-change
// rules: batchim stay letter by letter (밥이 -> bab-i, 신라 -> sinla), and '-' marks an initial ㅇ or
// an ambiguous final+initial split (아까 -> a-kka).
#include <gtest/gtest.h>

#include "acestep/error.h"
#include "text/cleaners.h"

using namespace acestep;

namespace {
struct Case {
    const char* in;
    const char* want;
};
const Case kCases[] = {
    {R"(가)", R"(ga)"},
    {R"(힣)", R"(hih)"},
    {R"(밝)", R"(balg)"},
    {R"(밯망희)", R"(bahmanghui)"},
    {R"(안녕하세요)", R"(annyeonghase-yo)"},
    {R"(집)", R"(jib)"},
    {R"(짚)", R"(jip)"},
    {R"(밖)", R"(bakk)"},
    {R"(값)", R"(gabs)"},
    {R"(붓꽃)", R"(buskkoch)"},
    {R"(먹는)", R"(meogneun)"},
    {R"(독립)", R"(doglib)"},
    {R"(문리)", R"(munli)"},
    {R"(물엿)", R"(mul-yeos)"},
    {R"(굳이)", R"(gud-i)"},
    {R"(좋다)", R"(johda)"},
    {R"(조랑말)", R"(jolangmal)"},
    {R"(없었습니다)", R"(eobs-eoss-seubnida)"},
    {R"(띄고 문장부호! 있고!? @#())$#@())", R"(ttuigo munjangbuho! issgo!? @#())$#@())"},
    {R"(아까)", R"(a-kka)"},
    {R"(밥이 맛있어요)", R"(bab-i mas-iss-eo-yo)"},
    {R"(같이 가요)", R"(gat-i ga-yo)"},
    {R"(신라)", R"(sinla)"},
    {R"(한국어 my love)", R"(hangug-eo my love)"},
    {R"(ㄱㄴㄷ)", R"(ㄱㄴㄷ)"},
};
}  // namespace

TEST(CjkHangul, MatchesHangulRomanize) {
    for (const Case& c : kCases) EXPECT_EQ(text::hangul_romanize(c.in), c.want) << "input: " << c.in;
}

TEST(CjkHangul, EmptyTextRaisesLikePython) { EXPECT_THROW(text::hangul_romanize(""), Error); }
