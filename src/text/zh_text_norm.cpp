// zh_text_norm: zh_num2words.TextNorm()(text) with default options, exact to the official cleaner
// (acestep/models/lyrics_utils/zh_num2words.py, a copy of the SpeechIO/WeNet cn_tn.py normaliser).
//
// normalize_nsw() runs its rules in the official order, each as `findall` on the text as it is
// before the rule, then `text.replace(match, words, 1)` per match — which replaces the FIRST
// occurrence anywhere in the text, not necessarily the matched one; that quirk is kept. Then every
// Chinese and ASCII punctuation mark becomes ','. Surprises kept on purpose:
//   - \d is Unicode Nd (full-width '１' counts) while lstrip("0") only strips ASCII '0',
//     so "１０个" becomes "十零个";
//   - "^" and "$" are glued around the text and stripped with lstrip/rstrip, so a line's own
//     leading '^' / trailing '$' characters vanish;
//   - money, cardinal+quantifier and the plain cardinal rule use alt_two: 200 -> 两百.
// Where Python raises (a number with two dots), this throws acestep::Error; the official caller
// (multilingual_cleaners) then keeps the text from before the number step.
#include <string>

#include "acestep/error.h"
#include "text/cjk_unicode.h"
#include "text/cleaners.h"
#include "text/utf8.h"
#include "text/zh_regex.h"

namespace acestep::text {
namespace {

using std::u32string;
using std::u32string_view;

const u32string kDigits = U"零一二三四五六七八九";

// A symbol of the number system: a digit, a unit (power of ten) or the decimal point.
struct Sym {
    enum Kind { Digit, Unit, Point } kind;
    int value;  // digit value, or unit power
    char32_t ch;
};

// Units from big to small (reversed(system.units) of the "mid" numbering system).
struct UnitDef { int power; char32_t ch; };
const UnitDef kUnitsDesc[] = {{44, U'载'}, {40, U'正'}, {36, U'涧'}, {32, U'沟'}, {28, U'穰'}, {24, U'秭'},
                              {20, U'垓'}, {16, U'京'}, {12, U'兆'}, {8, U'亿'}, {4, U'万'}, {3, U'千'},
                              {2, U'百'}, {1, U'十'}};

int digit_of(char32_t c) {
    const int v = cjk::decimal_value(c);
    if (v < 0) throw Error("zh_text_norm: not a digit: " + utf8::encode(c));
    return v;
}

Sym digit_sym(int v) { return {Sym::Digit, v, kDigits[v]}; }

void get_value(u32string_view value, std::vector<Sym>& out) {
    size_t z = 0;
    while (z < value.size() && value[z] == U'0') ++z;  // str.lstrip("0"): ASCII zero only
    const u32string_view striped = value.substr(z);
    if (striped.empty()) return;
    if (striped.size() == 1) {
        if (value.size() != striped.size()) out.push_back(digit_sym(0));
        out.push_back(digit_sym(digit_of(striped[0])));
        return;
    }
    const UnitDef* unit = nullptr;
    for (const UnitDef& u : kUnitsDesc)
        if ((size_t)u.power < striped.size()) {
            unit = &u;
            break;
        }
    const size_t p = (size_t)unit->power;
    // value_string[:-power] keeps the leading zeros; the tail comes from the stripped string.
    get_value(value.substr(0, value.size() > p ? value.size() - p : 0), out);
    out.push_back({Sym::Unit, unit->power, unit->ch});
    get_value(striped.substr(striped.size() - p), out);
}

// num2chn(number_string, alt_two, use_units) with the other defaults (mid, simplified, no big).
u32string num2chn(u32string_view number, bool alt_two = true, bool use_units = true) {
    u32string int_part(number), dec_part;
    const size_t dot = number.find(U'.');
    if (dot != u32string::npos) {
        if (number.find(U'.', dot + 1) != u32string::npos)
            throw Error("zh_text_norm: invalid input num string with more than one dot: " + utf8::encode(number));
        int_part = number.substr(0, dot);
        dec_part = number.substr(dot + 1);
    }
    std::vector<Sym> syms;
    if (use_units && int_part.size() > 1) {
        get_value(int_part, syms);
    } else {
        for (char32_t c : int_part) syms.push_back(digit_sym(digit_of(c)));
    }
    if (!dec_part.empty()) {
        syms.push_back({Sym::Point, 0, U'点'});
        for (char32_t c : dec_part) syms.push_back(digit_sym(digit_of(c)));
    }
    if (alt_two) {
        for (size_t i = 0; i < syms.size(); ++i) {
            if (syms[i].kind != Sym::Digit || syms[i].value != 2) continue;
            const Sym* next = i + 1 < syms.size() ? &syms[i + 1] : nullptr;
            const Sym* prev = i > 0 ? &syms[i - 1] : nullptr;
            if (next && next->kind == Sym::Unit && (!prev || prev->kind == Sym::Unit) && next->value != 1 &&
                (!prev || prev->value != 1))
                syms[i].ch = U'两';
        }
    }
    u32string result;
    for (const Sym& s : syms) result.push_back(s.ch);
    if (!result.empty() && (result[0] == U'点' || result[0] == U'點')) return U"零" + result;
    if (result.size() >= 2 && (result[1] == U'十' || result[1] == U'拾') &&
        (result[0] == U'一' || result[0] == U'壹'))
        result.erase(0, 1);
    return result;
}

u32string cardinal(u32string_view s) { return num2chn(s); }
u32string digit_text(u32string_view s) { return num2chn(s, false, false); }

void replace_first(u32string& text, u32string_view from, u32string_view to) {
    const size_t at = text.find(from);
    if (at != u32string::npos) text.replace(at, from.size(), to);
}

void replace_all(u32string& text, u32string_view from, u32string_view to) {
    if (from.empty()) return;  // the Money rule never looks for an empty number
    for (size_t at = text.find(from); at != u32string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
}

// Python str.split(sep, 1).
bool split_once(u32string_view s, char32_t sep, u32string& a, u32string& b) {
    const size_t at = s.find(sep);
    if (at == u32string::npos) return false;
    a = s.substr(0, at);
    b = s.substr(at + 1);
    return true;
}

u32string strip_ws(u32string_view s) {
    size_t a = 0, b = s.size();
    while (a < b && cjk::is_space(s[a])) ++a;
    while (b > a && cjk::is_space(s[b - 1])) --b;
    return u32string(s.substr(a, b - a));
}

u32string date_text(const u32string& date) {
    u32string year, other, month, day;
    if (split_once(strip_ws(date), U'年', year, other)) {
        year = digit_text(year) + U"年";
    } else {
        other = date;
        year.clear();
    }
    if (!other.empty()) {
        if (split_once(strip_ws(other), U'月', month, day)) {
            month = cardinal(month) + U"月";
        } else {
            day = date;
            month.clear();
        }
        if (!day.empty()) day = cardinal(u32string_view(day).substr(0, day.size() - 1)) + day.back();
    }
    return year + month + day;
}

u32string money_text(u32string money) {
    static const zh::Regex number(U"(\\d+(\\.\\d+)?)");
    for (const auto& m : number.findall(money)) replace_all(money, m.groups[0], cardinal(m.groups[0]));
    return money;
}

u32string telephone_text(const u32string& tel, bool fixed) {
    u32string out;
    if (fixed) {
        size_t a = 0;
        while (true) {
            const size_t b = tel.find(U'-', a);
            out += digit_text(u32string_view(tel).substr(a, b == u32string::npos ? u32string::npos : b - a));
            if (b == u32string::npos) break;
            a = b + 1;
        }
        return out;
    }
    size_t a = 0, b = tel.size();
    while (a < b && tel[a] == U'+') ++a;  // strip("+")
    while (b > a && tel[b - 1] == U'+') --b;
    for (size_t i = a; i < b;) {  // split() on whitespace
        while (i < b && cjk::is_space(tel[i])) ++i;
        size_t j = i;
        while (j < b && !cjk::is_space(tel[j])) ++j;
        if (j > i) out += digit_text(u32string_view(tel).substr(i, j - i));
        i = j;
    }
    return out;
}

const u32string kCurrencyUnits = U"((亿|千万|百万|万|千|百)|(亿|千万|百万|万|千|百|)元|(亿|千万|百万|万|千|百|)块|角|毛|分)";
const u32string kQuantifiers =
    U"(匹|张|座|回|场|尾|条|个|首|阙|阵|网|炮|顶|丘|棵|只|支|袭|辆|挑|担|颗|壳|窠|曲|墙|群|腔|"
    U"砣|座|客|贯|扎|捆|刀|令|打|手|罗|坡|山|岭|江|溪|钟|队|单|双|对|出|口|头|脚|板|跳|枝|件|贴|"
    U"针|线|管|名|位|身|堂|课|本|页|家|户|层|丝|毫|厘|分|钱|两|斤|担|铢|石|钧|锱|忽|(千|毫|微)克|"
    U"毫|厘|分|寸|尺|丈|里|寻|常|铺|程|(千|分|厘|毫|微)米|撮|勺|合|升|斗|石|盘|碗|碟|叠|桶|笼|盆|"
    U"盒|杯|钟|斛|锅|簋|篮|盘|桶|罐|瓶|壶|卮|盏|箩|箱|煲|啖|袋|钵|年|月|日|季|刻|时|周|天|秒|分|旬|"
    U"纪|岁|世|更|夜|春|夏|秋|冬|代|伏|辈|丸|泡|粒|颗|幢|堆|条|根|支|道|面|片|张|颗|块)";

// CN_PUNCS (zhon's stop + non-stop marks) + string.punctuation: all become ','.
const u32string kPuncs =
    U"！？｡。＂＃＄％＆＇（）＊＋，－／：；＜＝＞＠［＼］＾＿｀｛｜｝～｟｠｢｣､、〃《》「」『』【】〔〕〖〗〘〙〚〛〜〝〞〟〰〾〿–—‘’‛“”„‟…‧﹏·〈〉-"
    U"!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

struct Rules {
    zh::Regex date{U"\\D+((([089]\\d|(19|20)\\d{2})年)?(\\d{1,2}月(\\d{1,2}[日号])?)?)"};
    zh::Regex money{U"\\D+((\\d+(\\.\\d+)?)[多余几]?" + kCurrencyUnits + U"(\\d" + kCurrencyUnits + U"?)?)"};
    zh::Regex mobile{U"\\D((\\+?86 ?)?1([38]\\d|5[0-35-9]|7[678]|9[89])\\d{8})\\D"};
    zh::Regex fixed{U"\\D((0(10|2[1-3]|[3-9]\\d{2})-?)?[1-9]\\d{6,7})\\D"};
    zh::Regex fraction{U"(\\d+/\\d+)"};
    zh::Regex percentage{U"(\\d+(\\.\\d+)?%)"};
    zh::Regex quantity{U"(\\d+(\\.\\d+)?)[多余几]?" + kQuantifiers};
    zh::Regex digits{U"(\\d{4,32})"};
    zh::Regex number{U"(\\d+(\\.\\d+)?)"};
    zh::Regex particular{U"(([a-zA-Z]+)二([a-zA-Z]+))"};
};

const Rules& rules() {
    static const Rules r;
    return r;
}

u32string normalize_nsw(u32string_view raw) {
    const Rules& r = rules();
    u32string text = U"^" + u32string(raw) + U"$";
    for (const auto& m : r.date.findall(text)) replace_first(text, m.groups[0], date_text(m.groups[0]));
    for (const auto& m : r.money.findall(text)) replace_first(text, m.groups[0], money_text(m.groups[0]));
    for (const auto& m : r.mobile.findall(text)) replace_first(text, m.groups[0], telephone_text(m.groups[0], false));
    for (const auto& m : r.fixed.findall(text)) replace_first(text, m.groups[0], telephone_text(m.groups[0], true));
    for (const auto& m : r.fraction.findall(text)) {
        u32string num, den;
        split_once(m.groups[0], U'/', num, den);
        replace_first(text, m.groups[0], num2chn(den) + U"分之" + num2chn(num));
    }
    for (size_t at = text.find(U'％'); at != u32string::npos; at = text.find(U'％', at + 1)) text[at] = U'%';
    for (const auto& m : r.percentage.findall(text)) {
        u32string p = strip_ws(m.groups[0]);
        size_t a = 0, b = p.size();
        while (a < b && p[a] == U'%') ++a;
        while (b > a && p[b - 1] == U'%') --b;
        replace_first(text, m.groups[0], U"百分之" + num2chn(u32string_view(p).substr(a, b - a)));
    }
    for (const auto& m : r.quantity.findall(text)) replace_first(text, m.groups[0], cardinal(m.groups[0]));
    for (const auto& m : r.digits.findall(text)) replace_first(text, m.groups[0], digit_text(m.groups[0]));
    for (const auto& m : r.number.findall(text)) replace_first(text, m.groups[0], cardinal(m.groups[0]));
    for (const auto& m : r.particular.findall(text))
        replace_first(text, m.groups[0], m.groups[1] + U"2" + m.groups[2]);
    size_t a = 0, b = text.size();
    while (a < b && text[a] == U'^') ++a;
    while (b > a && text[b - 1] == U'$') --b;
    return text.substr(a, b - a);
}

}  // namespace

std::string zh_text_norm(const std::string& input) {
    u32string text = normalize_nsw(utf8::decode(input));
    static const u32string& puncs = kPuncs;
    for (char32_t& c : text)
        if (puncs.find(c) != u32string::npos) c = U',';
    return utf8::encode(text);
}

}  // namespace acestep::text
