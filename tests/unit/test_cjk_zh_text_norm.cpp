// zh_text_norm (zh_num2words.TextNorm) on our own sentences. Every expected string was produced by
// running the official zh_num2words.py rules in CPython; they pin the quirks we keep on purpose
// (first-occurrence replacement, Unicode \d with ASCII-only lstrip("0"), 两 before big units).
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
    {R"(2024年我花了3.5元买了100个苹果)", R"(二零二四年我花了三点五元买了一百个苹果)"},
    {R"(今天是12月25日，气温零下5度)", R"(今天是十二月二十五日,气温零下五度)"},
    {R"(我有50%的把握，第1名)", R"(我有百分之五十的把握,第一名)"},
    {R"(1998年3月8日)", R"(一九九八年三月八日)"},
    {R"(08年的夏天)", R"(零八年的夏天)"},
    {R"(5月)", R"(五月)"},
    {R"(3号)", R"(三号)"},
    {R"(他1月2号来)", R"(他一月二号来)"},
    {R"(价格是1200元)", R"(价格是一千两百元)"},
    {R"(200块5毛)", R"(两百块五毛)"},
    {R"(3千万元)", R"(三千万元)"},
    {R"(5多元)", R"(五多元)"},
    {R"(我等了12.5秒)", R"(我等了十二点五秒)"},
    {R"(有2个人和22只猫)", R"(有二个人和二十二只猫)"},
    {R"(两千零二十)", R"(两千零二十)"},
    {R"(1000000)", R"(一零零零零零零)"},
    {R"(10000000000)", R"(一零零零零零零零零零零)"},
    {R"(105个)", R"(一百零五个)"},
    {R"(110米)", R"(一百一十米)"},
    {R"(3/4的人)", R"(四分之三的人)"},
    {R"(99.9％)", R"(百分之九十九点九)"},
    {R"(打13812345678或者+86 13912345678)", R"(打一三八一二三四五六七八或者八六一三九一二三四五六七八)"},
    {R"(座机010-12345678)", R"(座机零一零一二三四五六七八)"},
    {R"(号码1234567)", R"(号码一二三四五六七)"},
    {R"(编号123456789)", R"(编号一二三四五六七八九)"},
    {R"(１０个)", R"(十零个)"},
    {R"(共１２３４５个)", R"(共一万两千三百四十五个)"},
    {R"(P2P和B2B)", R"(P2P和B2B)"},
    {R"(^开头和结尾$)", R"(开头和结尾)"},
    {R"(.5元)", R"(,五元)"},
    {R"(0.25)", R"(零点二五)"},
    {R"(007)", R"(零七)"},
    {R"(1.2.3)", R"(一点二,三)"},
    {R"(二〇二四)", R"(二〇二四)"},
    {R"(去的路上……)", R"(去的路上,,)"},
    {R"(“你好”《歌》【副歌】)", R"(,你好,,歌,,副歌,)"},
    {R"(12:30)", R"(十二,三十)"},
    {R"(3.14159)", R"(三,一四一五九)"},
    {R"(十万八千里)", R"(十万八千里)"},
    {R"(1万)", R"(一万)"},
};
}  // namespace

TEST(CjkZhTextNorm, MatchesOfficialRules) {
    for (const Case& c : kCases) EXPECT_EQ(text::zh_text_norm(c.in), c.want) << "input: " << c.in;
}

TEST(CjkZhTextNorm, PunctuationBecomesCommas) {
    EXPECT_EQ(text::zh_text_norm("!!!???...,,,;;;"), ",,,,,,,,,,,,,,,");
    EXPECT_EQ(text::zh_text_norm("-----"), ",,,,,");
    EXPECT_EQ(text::zh_text_norm("you're [ok] #1 & @me"), "you,re ,ok, ,一 , ,me");
    EXPECT_EQ(text::zh_text_norm(""), "");
}

TEST(CjkZhTextNorm, LongLineStaysFast) {
    // A pathological line must not go quadratic in the \D+ rules (Python would).
    std::string s;
    for (int i = 0; i < 20000; ++i) s += "我";
    s += "3元";
    const std::string out = text::zh_text_norm(s);
    EXPECT_EQ(out.substr(out.size() - 6), "三元");
}
