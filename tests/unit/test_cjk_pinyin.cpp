// Pinyin (pypinyin 0.53.0 TONE3 + neutral 5) on our own inputs; expectations come from running
// pypinyin's conversion path in CPython over the same dictionaries. They cover heteronyms decided by
// the phrase dictionary, pypinyin's mmseg segmentation (a prefix-set match that is not a phrase
// gives up only its first character: 银行行长 -> yin2 xing2 xing2 zhang3, 了一百 -> le5 yi4 bai3),
// ü -> v, syllabic m/n, and Han code points missing from the dictionary (kept, '5' appended).
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
    {R"(我们一起走过的日子)", R"(wo3men5yi4qi3zou3guo4de5ri4zi5)"},
    {R"(银行行长)", R"(yin2xing2xing2zhang3)"},
    {R"(长大了)", R"(zhang3da4le5)"},
    {R"(还是还有)", R"(hai2shi4hai2you3)"},
    {R"(重庆重要)", R"(chong2qing4zhong4yao4)"},
    {R"(音乐快乐)", R"(yin1yue4kuai4le4)"},
    {R"(朝阳朝代)", R"(zhao1yang2chao2dai4)"},
    {R"(女儿绿色)", R"(nv3er2lv4se4)"},
    {R"(嗯)", R"(n2)"},
    {R"(呣)", R"(m2)"},
    {R"(东京 in the rain tonight)", R"(dong1jing1 in the rain tonight)"},
    {R"(我爱你 baby, you,re my everything)", R"(wo3ai4ni3 baby, you,re my everything)"},
    {R"(十零个)", R"(shi2ling2ge4)"},
    {R"(他的,她的.)", R"(ta1de5,ta1de5.)"},
    {R"(〇一)", R"(ling2yi1)"},
    {R"(衣裳)", R"(yi1shang5)"},
    {R"(好了)", R"(hao3le5)"},
    {R"(的确)", R"(di2que4)"},
    {R"(一个一个)", R"(yi2ge4yi2ge4)"},
    {R"(中华人民共和国)", R"(zhong1hua2ren2min2gong4he2guo2)"},
    {R"(我是中国人)", R"(wo3shi4zhong1guo2ren2)"},
    {R"(鿿)", R"(鿿5)"},
    {R"(㐀)", R"(qiu1)"},
    {R"(abc)", R"(abc)"},
    {R"(银行)", R"(yin2hang2)"},
    {R"(去银行取钱)", R"(qu4yin2hang2qu3qian2)"},
    {R"(买了一百个苹果)", R"(mai3le5yi4bai3ge4ping2guo3)"},
    {R"(金融行业)", R"(jin1rong2hang2ye4)"},
    {R"()", R"()"},
};

std::filesystem::path data_dir() { return test::fixtures_dir() / "lyrics" / "data"; }
}  // namespace

TEST(CjkPinyin, MatchesPypinyin) {
    if (!std::filesystem::exists(data_dir() / "phrases_dict.json")) GTEST_SKIP() << "lyric data not found";
    text::Pinyin py(data_dir());
    for (const Case& c : kCases) EXPECT_EQ(py.tone3(c.in), c.want) << "input: " << c.in;
}

TEST(CjkPinyin, MissingDataNamesTheFile) {
    const auto dir = test::scratch_dir("cjk_pinyin_missing");
    try {
        text::Pinyin py(dir);
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("pinyin_dict.json"), std::string::npos) << e.what();
    }
}
