// num2words 0.5.14 lang_AR, lang_HU, lang_KO, lang_TR, exact to the library.  lang_AR keeps its
// Decimal arithmetic (including the process-wide precision it raises); lang_TR keeps its float
// round trip (an int that is not exactly a float reads as "").
#include <cmath>

#include "text/num2words.h"

namespace acestep::text::n2w {
namespace {

const Forms kEuDollars{"dollar", "dollars"}, kEuCents{"cent", "cents"};

// ---- Korean -----------------------------------------------------------------------------------

class Ko final : public CardsConverter {
public:
    Ko() {
        const char* const high[] = {"무량대수", "불가사의", "나유타", "아승기", "항하사", "극", "재", "정", "간",
                                    "구",       "양",       "자",     "해",     "경",     "조", "억", "만"};
        size_t n = 4 * 17;
        for (const char* w : high) {
            add_card(BigInt::pow10(n), w);
            n -= 4;
        }
        set_mid({{1000, "천"}, {100, "백"}});
        set_low({"십", "구", "팔", "칠", "육", "오", "사", "삼", "이", "일", "영"});
        finish_cards();
        pointword_ = "점";
    }

    std::string ordinal(const BigInt& v) override {
        static const std::map<std::string, std::string> ords = {
            {"일", "한"},     {"이", "두"},     {"삼", "세"},     {"사", "네"},     {"오", "다섯"},   {"육", "여섯"},
            {"칠", "일곱"},   {"팔", "여덟"},   {"구", "아홉"},   {"십", "열"},     {"이십", "스물"}, {"삼십", "서른"},
            {"사십", "마흔"}, {"오십", "쉰"},   {"육십", "예순"}, {"칠십", "일흔"}, {"팔십", "여든"}, {"구십", "아흔"}};
        auto ord = [](const std::string& k) -> const std::string& {
            auto it = ords.find(k);
            if (it == ords.end()) throw Error("KeyError: '" + k + "'");
            return it->second;
        };
        if (v == BigInt(1)) return "첫 번째";
        std::vector<std::string> outwords = split(cardinal(PyNum(v)), " ");
        std::vector<std::string> lastwords = split(outwords.back(), "백");
        std::string& last = lastwords.back();
        if (last.find("십") != std::string::npos) {
            std::vector<std::string> ten_one = split(last, "십");
            ten_one[0] = ord(ten_one[0] + "십");
            // try: ten_one[1] = ords[ten_one[1]]; ten_one[0] = ten_one[0].replace("스무", "스물")
            if (ten_one.size() < 2) throw Error("IndexError: list index out of range");
            auto it = ords.find(ten_one[1]);
            if (it != ords.end()) {
                ten_one[1] = it->second;
                ten_one[0] = replace_all(ten_one[0], "스무", "스물");
            }
            last = join(ten_one, "");
        } else {
            last = ord(last);
        }
        outwords.back() = join(lastwords, "백 ");
        return join(outwords, " ") + " 번째";
    }

    std::string currency(double amount, const std::string& code) override {
        // parse_currency_parts(val, is_int_with_cents=False): a float takes the Decimal path all the same.
        const CurrencyParts p = parse_currency_parts(amount);
        std::string cr1, cr2;
        if (code == "KRW") {
            cr1 = "원";
        } else if (code == "USD") {
            cr1 = "달러";
            cr2 = "센트";
        } else if (code == "JPY") {
            cr1 = "엔";
        } else {
            throw Error("NotImplementedError: currency " + code);
        }
        if (p.cents && cr2.empty()) throw Error("ValueError: Decimals not supported");
        return join(split_ws(cardinal(PyNum(p.left))), "") + cr1 +
               (cr2.empty() ? std::string() : " " + cardinal(PyNum((uint64_t)p.cents))) + cr2;
    }

protected:
    Node merge(const Node& l, const Node& r) const override {
        const PyNum &lnum = l.num, &rnum = r.num;
        if (lnum == PyNum(1) && rnum <= PyNum(10000)) return r;
        if (PyNum(10000) > lnum && lnum > rnum) return Node::pair(l.text + r.text, lnum + rnum);
        if (lnum >= PyNum(10000) && lnum > rnum) return Node::pair(l.text + " " + r.text, lnum + rnum);
        return Node::pair(l.text + r.text, lnum * rnum);
    }
};

// ---- Hungarian --------------------------------------------------------------------------------

class Hu final : public CardsConverter {
public:
    Hu() {
        set_high_eu(eu_high_numwords(), "illiárd", "illió");
        set_mid({{1000, "ezer"}, {100, "száz"}, {90, "kilencven"}, {80, "nyolcvan"}, {70, "hetven"},
                 {60, "hatvan"}, {50, "ötven"}, {40, "negyven"}, {30, "harminc"}});
        const std::vector<std::string> low = {"kilenc", "nyolc", "hét", "hat", "öt", "négy", "három", "kettő", "egy"};
        std::vector<std::string> words;
        for (const auto& w : low) words.push_back("huszon" + w);
        words.push_back("húsz");
        for (const auto& w : low) words.push_back("tizen" + w);
        words.push_back("tíz");
        words.insert(words.end(), low.begin(), low.end());
        words.push_back("nulla");
        set_low(words);
        finish_cards();
        currency_forms_ = {{"EUR", {{"euro", "euro"}, kEuCents}},
                           {"GBP", {{"pound sterling", "pounds sterling"}, {"penny", "pence"}}},
                           {"USD", {kEuDollars, kEuCents}}};
    }

    std::string cardinal(const PyNum& v) override { return card_z(v, "nulla"); }

    std::string ordinal(const BigInt& v) override {
        if (v == BigInt(1)) return "első";
        if (v == BigInt(2)) return "második";
        std::string out = card_z(PyNum(v), "nulla");
        for (const auto& [cw, ow] : partial_ords())
            if (ends_with(out, cw)) {
                out = out.substr(0, out.size() - cw.size()) + ow;
                break;
            }
        return out + "ik";
    }

protected:
    Node merge(const Node&, const Node&) const override { throw Error("NotImplementedError"); }

private:
    static const std::vector<std::pair<std::string, std::string>>& partial_ords() {
        static const std::vector<std::pair<std::string, std::string>> p = {
            {"nulla", "nullad"},     {"egy", "egyed"},         {"kettő", "ketted"},       {"három", "harmad"},
            {"négy", "negyed"},      {"öt", "ötöd"},           {"hat", "hatod"},          {"hét", "heted"},
            {"nyolc", "nyolcad"},    {"kilenc", "kilenced"},   {"tíz", "tized"},          {"húsz", "huszad"},
            {"harminc", "harmincad"}, {"negyven", "negyvened"}, {"ötven", "ötvened"},      {"hatvan", "hatvanad"},
            {"hetven", "hetvened"},  {"nyolcvan", "nyolcvanad"}, {"kilencven", "kilencvened"}, {"száz", "század"},
            {"ezer", "ezred"},       {"illió", "milliomod"},   {"illiárd", "milliárdod"}};
        return p;
    }

    std::string card_z(const PyNum& value, const std::string& zero, int depth = 0) {
        // A float the size of whose repr picks a scale above itself recurses forever: RecursionError.
        if (depth > 900) throw Error("RecursionError: maximum recursion depth exceeded");
        if (!value.is_integral()) return cardinal_float(value.f);
        if (value == PyNum(0)) return zero;
        if (zero.empty() && value == PyNum(2)) return "két";
        if (value < PyNum(30)) return card(value);
        if (value < PyNum(100)) {
            if (const std::string* w = find_card(value)) return *w;
            const auto [q, r] = divmod(value, PyNum(10));
            return card(q * PyNum(10)) + card_z(r, "nulla", depth + 1);
        }
        if (value < PyNum(1000)) {
            const auto [h, r] = divmod(value, PyNum(100));
            std::string prefix = "száz";
            if (h != PyNum(1)) prefix = card_z(h, "", depth + 1) + prefix;
            return prefix + card_z(r, "", depth + 1);
        }
        if (value < PyNum(1000000)) {
            const auto [t, r] = divmod(value, PyNum(1000));
            std::string prefix = "ezer";
            if (t != PyNum(1)) prefix = card_z(t, "", depth + 1) + prefix;
            const std::string postfix = card_z(r, "", depth + 1);
            return prefix + ((value <= PyNum(2000) || postfix.empty()) ? "" : "-") + postfix;
        }
        size_t digits = py_str(value).size();
        if (digits % 3 == 0) digits -= 2;
        const PyNum exp(BigInt::pow10(digits / 3 * 3));
        const auto [q, r] = divmod(value, exp);
        const std::string rest = card_z(r, "", depth + 1);
        return card_z(q, "", depth + 1) + card(exp) + (rest.empty() ? "" : "-" + rest);
    }

    std::string cardinal_float(double value) override {
        const std::vector<std::string> lr = split(float_repr(value), ".");
        if (lr.size() != 2) throw Error("ValueError: not enough values to unpack");
        for (const auto& part : lr)
            if (part.empty() || part.find_first_not_of("0123456789") != std::string::npos)
                throw Error("ValueError: invalid literal for int()");
        const std::string& unit = card(PyNum(BigInt::pow10(lr[1].size())));
        std::string ord;
        for (const auto& [cw, ow] : partial_ords())
            if (cw == unit) ord = ow;
        const std::string left = card_z(PyNum(BigInt::parse(lr[0])), "nulla");
        const std::string right = card_z(PyNum(BigInt::parse(lr[1])), "nulla");
        if (ord.empty()) throw Error("KeyError: '" + unit + "'");
        return left + " egész " + right + " " + ord;
    }
};

// ---- Arabic -----------------------------------------------------------------------------------

const char* const kArOnes[] = {"",         "واحد",      "اثنان",     "ثلاثة",     "أربعة",    "خمسة",     "ستة",
                               "سبعة",     "ثمانية",    "تسعة",      "عشرة",      "أحد عشر",  "اثنا عشر", "ثلاثة عشر",
                               "أربعة عشر", "خمسة عشر", "ستة عشر",   "سبعة عشر",  "ثمانية عشر", "تسعة عشر"};
const char* const kArFemOnes[] = {"",          "إحدى",      "اثنتان",     "ثلاث",       "أربع",      "خمس",
                                  "ست",        "سبع",       "ثمان",       "تسع",        "عشر",       "إحدى عشرة",
                                  "اثنتا عشرة", "ثلاث عشرة", "أربع عشرة", "خمس عشرة", "ست عشرة", "سبع عشرة",
                                  "ثماني عشرة", "تسع عشرة"};
const char* const kArOrdinal[] = {"",        "اول",      "ثاني",     "ثالث",     "رابع",     "خامس",    "سادس",
                                  "سابع",    "ثامن",     "تاسع",     "عاشر",     "حادي عشر", "ثاني عشر", "ثالث عشر",
                                  "رابع عشر", "خامس عشر", "سادس عشر", "سابع عشر", "ثامن عشر", "تاسع عشر"};
const char* const kArTens[] = {"عشرون", "ثلاثون", "أربعون", "خمسون", "ستون", "سبعون", "ثمانون", "تسعون"};
const char* const kArHundreds[] = {"",       "مائة",    "مئتان",    "ثلاثمائة", "أربعمائة",
                                   "خمسمائة", "ستمائة", "سبعمائة", "ثمانمائة", "تسعمائة"};
const char* const kArAppendedTwos[] = {"مئتا",        "ألفا",         "مليونا",        "مليارا",       "تريليونا",
                                       "كوادريليونا",  "كوينتليونا",   "سكستيليونا",    "سبتيليونا",    "أوكتيليونا ",
                                       "نونيليونا",    "ديسيليونا",    "أندسيليونا",    "دوديسيليونا",  "تريديسيليونا",
                                       "كوادريسيليونا", "كوينتينيليونا"};
const char* const kArTwos[] = {"مئتان",        "ألفان",         "مليونان",      "ملياران",       "تريليونان",
                               "كوادريليونان", "كوينتليونان",   "سكستيليونان",  "سبتيليونان",    "أوكتيليونان ",
                               "نونيليونان ",  "ديسيليونان",    "أندسيليونان",  "دوديسيليونان",  "تريديسيليونان",
                               "كوادريسيليونان", "كوينتينيليونان"};
const char* const kArGroup[] = {"مائة",        "ألف",        "مليون",       "مليار",       "تريليون",
                                "كوادريليون",  "كوينتليون",  "سكستيليون",   "سبتيليون",    "أوكتيليون",
                                "نونيليون",    "ديسيليون",   "أندسيليون",   "دوديسيليون",  "تريديسيليون",
                                "كوادريسيليون", "كوينتينيليون"};
const char* const kArAppendedGroup[] = {"",           "ألفاً",        "مليوناً",      "ملياراً",     "تريليوناً",
                                        "كوادريليوناً", "كوينتليوناً",  "سكستيليوناً",  "سبتيليوناً",  "أوكتيليوناً",
                                        "نونيليوناً",   "ديسيليوناً",   "أندسيليوناً",  "دوديسيليوناً", "تريديسيليوناً",
                                        "كوادريسيليوناً", "كوينتينيليوناً"};
const char* const kArPluralGroups[] = {"",            "آلاف",         "ملايين",       "مليارات",     "تريليونات",
                                       "كوادريليونات", "كوينتليونات",  "سكستيليونات",  "سبتيليونات",  "أوكتيليونات",
                                       "نونيليونات",   "ديسيليونات",   "أندسيليونات",  "دوديسيليونات", "تريديسيليونات",
                                       "كوادريسيليونات", "كوينتينيليونات"};
constexpr int kArGroups = 17;

struct ArUnits {
    std::string u[4];
};
const ArUnits kArNoUnit{{"", "", "", ""}};
const ArUnits kArSR{{"ريال", "ريالان", "ريالات", "ريالاً"}};
const ArUnits kArSRSub{{"هللة", "هللتان", "هللات", "هللة"}};

class Ar final : public Converter {
public:
    std::string cardinal(const PyNum& v) override {
        fem_ = false;
        if (v >= PyNum(BigInt::pow10(51))) throw Error("OverflowError: abs(" + py_str(v) + ") must be less than 10**51");
        separator_ = ",";
        unit_ = sub_ = kArNoUnit;
        return strip_ws(convert(v));
    }

    std::string ordinal(const BigInt& v) override {
        if (v <= BigInt(19)) return kArOrdinal[v.to_u64()];
        fem_ = v < BigInt(100);
        unit_ = sub_ = kArNoUnit;
        return strip_ws(convert(PyNum(v)));
    }

    std::string currency(double amount, const std::string&) override {
        // Any code but EGP/KWD reads as Saudi riyals; the cleaner only asks for GBP, USD, EUR.
        unit_ = kArSR;
        sub_ = kArSRSub;
        fem_ = false;
        separator_ = "و";
        return convert(PyNum::from_double(amount));
    }

private:
    bool fem_ = false;
    std::string separator_ = "و";
    ArUnits unit_ = kArSR, sub_ = kArSRSub;
    BigInt integer_value_;
    uint32_t decimal_value_ = 0;

    std::string digit_feminine_status(int digit, int group_level) const {
        if (group_level == -1) return kArFemOnes[digit];  // isCurrencyPartNameFeminine is always True
        if (group_level == 0) return fem_ ? kArFemOnes[digit] : kArOnes[digit];
        return kArOnes[digit];
    }

    std::string process_group(uint32_t group_number, int group_level, const BigInt& remaining) const {
        const uint32_t tens = group_number % 100, hundreds = group_number / 100;
        std::string ret;
        if (hundreds > 0) {
            if (tens == 0 && hundreds == 2) {
                ret = kArAppendedTwos[0];
            } else {
                ret = kArHundreds[hundreds];
                if (!ret.empty() && tens != 0) ret += " و ";
            }
        }
        if (tens > 0) {
            if (tens < 20) {
                if (group_level >= kArGroups) throw Error("AssertionError");
                if (tens == 2 && hundreds == 0 && group_level > 0) {
                    // pow = int(math.log10(self.integer_value)); 2 * 10**pow checked exactly
                    const std::string iv = integer_value_.str();
                    const int pw = (int)std::log10(to_double(integer_value_));
                    const bool exact2 = integer_value_ > BigInt(10) && pw % 3 == 0 &&
                                        integer_value_ == BigInt(2) * BigInt::pow10((size_t)pw);
                    ret = exact2 ? kArAppendedTwos[group_level] : kArTwos[group_level];
                    // `hundreds` is Decimal(group_number) / 100 there: it is 0 only for group 0 (never here).
                } else if (tens == 1 && group_level > 0 && group_number == 0) {
                } else if ((tens == 1 || tens == 2) && (group_level == 0 || group_level == -1) && group_number == 0 &&
                           remaining.is_zero()) {
                } else if (tens == 1 && group_level > 0) {
                    ret += kArGroup[group_level];
                } else {
                    ret += digit_feminine_status((int)tens, group_level);
                }
            } else {
                const uint32_t ones = tens % 10;
                if (ones > 0) ret += digit_feminine_status((int)ones, group_level);
                if (!ret.empty() && ones != 0) ret += " و ";
                ret += kArTens[tens / 10 - 2];
            }
        }
        return ret;
    }

    std::string convert(const PyNum& value) {
        // to_str(): an int, or "int.<9 digits, trailing zeros dropped>" for a fractional float.
        std::string frac;
        if (value.is_integral()) {
            integer_value_ = value.to_int();
        } else {
            integer_value_ = trunc_to_int(value.f);
            const double dec = std::nearbyint((value.f - to_double(integer_value_)) * 1e9);
            char b[32];
            std::snprintf(b, sizeof b, "%09llu", (unsigned long long)dec);
            frac = b;
            while (!frac.empty() && frac.back() == '0') frac.pop_back();
        }
        // decimal_value(): the first two digits, zero padded.
        std::string d2 = frac;
        while (d2.size() < 2) d2 += '0';
        decimal_value_ = frac.empty() ? 0 : (uint32_t)std::stoul(d2.substr(0, 2));

        if (integer_value_.is_zero() && frac.empty()) return "صفر";
        const std::string decimal_string = process_group(decimal_value_, -1, BigInt());
        std::string ret;
        int group = 0;
        // temp_number as a decimal string: integer digits plus (first pass only) the fraction.
        BigInt temp = integer_value_;
        bool first = true;
        while (!temp.is_zero() || (first && !frac.empty())) {
            // int(temp % 1000) raises until the precision covers the quotient's digits.
            const size_t coeff_digits = (temp.is_zero() ? 0 : temp.ndigits()) + (first ? frac.size() : 0);
            if (temp.ndigits() > 3 && (int)(temp.ndigits() - 3) > decimal_precision())
                raise_decimal_precision((int)coeff_digits);
            const uint32_t number_to_process = temp.mod_small(1000);
            // int(temp / 1000): exact unless the coefficient is longer than the precision, then rounded.
            temp = ar_div1000(temp, first ? frac : std::string());
            first = false;
            const std::string desc = process_group(number_to_process, group, temp);
            if (!desc.empty()) {
                if (group > 0) {
                    if (!ret.empty()) ret = "و " + ret;
                    if (number_to_process != 2 && number_to_process != 1) {
                        if (group >= kArGroups) throw Error("AssertionError");
                        if (number_to_process % 100 != 1) {
                            if (3 <= number_to_process && number_to_process <= 10)
                                ret = std::string(kArPluralGroups[group]) + " " + ret;
                            else if (!ret.empty())
                                ret = std::string(kArAppendedGroup[group]) + " " + ret;
                            else
                                ret = std::string(kArGroup[group]) + " " + ret;
                        } else {
                            ret = std::string(kArGroup[group]) + " " + ret;
                        }
                    }
                }
                ret = desc + " " + ret;
            }
            ++group;
        }
        std::string out = ret;
        if (!integer_value_.is_zero()) {
            const uint32_t r100 = integer_value_.mod_small(100);
            if (r100 == 0 || r100 == 1)
                out += unit_.u[0];
            else if (r100 == 2)
                out += integer_value_ == BigInt(2) ? unit_.u[1] : unit_.u[0];
            else if (r100 <= 10)
                out += unit_.u[2];
            else
                out += unit_.u[3];
        }
        if (decimal_value_ != 0) {
            out += " " + separator_ + " " + decimal_string + " ";
            const uint32_t r100 = decimal_value_ % 100;
            if (r100 == 0 || r100 == 1)
                out += sub_.u[0];
            else if (r100 == 2)
                out += sub_.u[1];
            else if (r100 <= 10)
                out += sub_.u[2];
            else
                out += sub_.u[3];
        }
        return out;
    }

    // int(Decimal(temp[.frac]) / Decimal(1000)) under the current context precision (ROUND_HALF_EVEN).
    static BigInt ar_div1000(const BigInt& temp, const std::string& frac) {
        const std::string coeff = (temp.is_zero() ? std::string() : temp.str()) + frac;
        const int prec = decimal_precision();
        if ((int)coeff.size() <= prec || coeff.empty()) return temp.divmod(BigInt(1000)).first;
        // Quotient digits = coeff with the point moved 3 left; keep `prec` significant digits.
        const BigInt c = BigInt::parse(coeff);
        const size_t drop = coeff.size() - (size_t)prec;
        auto [kept, rest] = c.divmod(BigInt::pow10(drop));
        const BigInt half = BigInt(5) * BigInt::pow10(drop - 1);
        const int cmp_half = rest.cmp(half);
        if (cmp_half > 0 || (cmp_half == 0 && kept.mod_small(2) == 1)) kept = kept + BigInt(1);
        // kept * 10^(drop) / 10^(3 + frac digits), truncated to an int.
        const size_t scale = 3 + frac.size();
        if (drop >= scale) return kept * BigInt::pow10(drop - scale);
        return kept.divmod(BigInt::pow10(scale - drop)).first;
    }
};

// ---- Turkish ----------------------------------------------------------------------------------

class Tr final : public Converter {
public:
    std::string cardinal(const PyNum& value) override {
        // verify_cardinal: float(value) == value, else the "cardinal" is ""; abs(value) >= MAXVAL raises.
        if (value >= PyNum(kMaxval())) throw Error("OverflowError: too big for Turkish");
        if (!value.is_float && cmp(PyNum::from_double(to_double(value.i)), value) != 0) return "";
        if (!value.is_integral()) throw Error("NotImplementedError: Turkish decimals are never asked for");
        split_digits(value.to_int());
        const std::string& s = digits_;
        const size_t L = s.size();
        std::string w;
        if (last_zero_ >= L) return w;
        if (triplets_ == 1) {
            if (outside_ == 2) {
                if (last_zero_ == 1) return tens(s[0]);
                if (last_zero_ == 0) w += tens(s[0]) + ones(s[1]);
                return w;
            }
            if (outside_ == 1 && last_zero_ == 0) {
                w += ones(s[0]);
                if (s[0] == '0') return "sıfır";
                return w;
            }
            if (outside_ == 0) {
                if (last_zero_ == 2) return hund(s[0]) + "yüz";
                if (last_zero_ == 1) return hund(s[0]) + "yüz" + tens(s[1]);
                if (last_zero_ == 0) return hund(s[0]) + "yüz" + tens(s[1]) + ones(s[2]);
            }
        }
        if (triplets_ >= 2) {
            const std::string& trip = kTriplets[triplets_ - 1];
            if (outside_ == 2) {
                if (last_zero_ == L - 1) return tens(s[0]) + trip;
                if (last_zero_ == L - 2) return tens(s[0]) + ones(s[1]) + trip;
                if (last_zero_ < L - 2) w += tens(s[0]) + ones(s[1]) + trip;
            }
            if (outside_ == 1) {
                const bool skip_bir = triplets_ == 2 && s[0] == '1';
                if (last_zero_ == L - 1) return (skip_bir ? "" : ones(s[0])) + trip;
                if (last_zero_ < L - 1) w += (skip_bir ? "" : ones(s[0])) + trip;
            }
            if (outside_ == 0) {
                if (last_zero_ == L - 1) return hund(s[0]) + "yüz" + trip;
                if (last_zero_ == L - 2) return hund(s[0]) + "yüz" + tens(s[1]) + trip;
                if (last_zero_ == L - 3) return hund(s[0]) + "yüz" + tens(s[1]) + ones(s[2]) + trip;
                if (last_zero_ < L - 3) {
                    w += hund(s[0]) + "yüz" + tens(s[1]);
                    if (!(triplets_ == 2 && s[2] == '1')) w += ones(s[2]);
                    w += trip;
                }
            }
            for (size_t i = triplets_ - 1; i > 0; --i) {
                const size_t order = triplets_ - i;
                const size_t d = outside_ == 0 ? order * 3 : (order - 1) * 3 + outside_;
                if (s.compare(d, 3, "000") == 0) continue;
                if (s[d] != '0') {
                    w += hund(s[d]);
                    if (last_zero_ == L - d - 1) {
                        if (i == 1) return w + "yüz";
                        return w + "yüz" + kTriplets[i - 1];
                    }
                    w += "yüz";
                }
                if (s[d + 1] != '0') {
                    if (last_zero_ == L - d - 2) {
                        if (i == 1) return w + tens(s[d + 1]);
                        return w + tens(s[d + 1]) + kTriplets[i - 1];
                    }
                    w += tens(s[d + 1]);
                }
                if (s[d + 2] != '0') {
                    if (last_zero_ == L - d - 3) {
                        if (i == 1) return w + ones(s[d + 2]);
                        if (i == 2) {
                            if (s.compare(d, 2, "00") != 0 || s[d + 2] != '1') w += ones(s[d + 2]);
                            return w + kTriplets[i - 1];
                        }
                        return w + ones(s[d + 2]) + kTriplets[i - 1];
                    }
                    if (s.compare(d, 2, "00") != 0 || (i == 2 && s[d + 2] != '1')) w += ones(s[d + 2]);
                }
                w += kTriplets[i - 1];
            }
        }
        return w;
    }

    std::string ordinal(const BigInt& value) override {
        if (value >= kMaxval()) throw Error("OverflowError: too big for Turkish");
        split_digits(value);
        const std::string& s = digits_;
        const size_t L = s.size();
        std::string w;
        if (last_zero_ >= L) return w;
        if (triplets_ == 1) {
            if (outside_ == 2) {
                if (last_zero_ == 1) return otens(s[0]);
                if (last_zero_ == 0) return tens(s[0]) + oones(s[1]);
            }
            if (outside_ == 1 && last_zero_ == 0) {
                w += oones(s[0]);
                if (s[0] == '0') return "sıfırıncı";
                return w;
            }
            if (outside_ == 0) {
                if (last_zero_ == 2) return hund(s[0]) + "yüzüncü";
                if (last_zero_ == 1) return hund(s[0]) + "yüz" + otens(s[1]);
                if (last_zero_ == 0) return hund(s[0]) + "yüz" + tens(s[1]) + (s[2] != '0' ? oones(s[2]) : "");
            }
        }
        if (triplets_ >= 2) {
            const std::string& trip = kTriplets[triplets_ - 1];
            const std::string& otrip = kOrdTriplets[triplets_ - 1];
            if (outside_ == 2) {
                if (last_zero_ == L - 1) return tens(s[0]) + otrip;
                if (last_zero_ == L - 2) return tens(s[0]) + ones(s[1]) + otrip;
                if (last_zero_ < L - 2) w += tens(s[0]) + ones(s[1]) + trip;
            }
            if (outside_ == 1) {
                const bool skip_bir = triplets_ == 2 && s[0] == '1';
                if (last_zero_ == L - 1) return (skip_bir ? "" : ones(s[0])) + otrip;
                if (last_zero_ < L - 1) w += (skip_bir ? "" : ones(s[0])) + trip;
            }
            if (outside_ == 0) {
                if (last_zero_ == L - 1) return hund(s[0]) + "yüz" + otrip;
                if (last_zero_ == L - 2) return hund(s[0]) + "yüz" + tens(s[1]) + otrip;
                if (last_zero_ == L - 3) return hund(s[0]) + "yüz" + tens(s[1]) + ones(s[2]) + otrip;
                if (last_zero_ < L - 3) {
                    w += hund(s[0]) + "yüz" + tens(s[1]);
                    if (!(triplets_ == 2 && s[2] == '1')) w += ones(s[2]);
                    w += trip;
                }
            }
            for (size_t i = triplets_ - 1; i > 0; --i) {
                const size_t order = triplets_ - i;
                const size_t d = outside_ == 0 ? order * 3 : (order - 1) * 3 + outside_;
                if (s.compare(d, 3, "000") == 0) continue;
                if (s[d] != '0') {
                    if (s[d] != '1') w += ones(s[d]);
                    if (last_zero_ == L - d - 1) {
                        if (i == 1) return w + "yüzüncü";
                        return w + "yüz" + kOrdTriplets[i - 1];
                    }
                    w += "yüz";
                }
                if (s[d + 1] != '0') {
                    if (last_zero_ == L - d - 2) {
                        if (i == 1) return w + otens(s[d + 1]);
                        return w + tens(s[d + 1]) + kOrdTriplets[i - 1];
                    }
                    w += tens(s[d + 1]);
                }
                if (s[d + 2] != '0') {
                    if (last_zero_ == L - d - 3) {
                        if (i == 1) return w + oones(s[d + 2]);
                        if (i == 2) {
                            if (s.compare(d, 2, "00") != 0 || s[d + 2] != '1') w += ones(s[d + 2]);
                            return w + kOrdTriplets[i - 1];
                        }
                        return w + ones(s[d + 2]) + kOrdTriplets[i - 1];
                    }
                    if (s.compare(d, 2, "00") != 0 || (i == 2 && s[d + 2] != '1')) w += ones(s[d + 2]);
                }
                w += kTriplets[i - 1];
            }
        }
        return w;
    }

    std::string currency(double, const std::string&) override {
        // Num2Word_TR.to_currency(self, value) takes no currency= argument: TypeError.
        throw Error("TypeError: to_currency() got an unexpected keyword argument 'currency'");
    }

private:
    static const BigInt& kMaxval() {
        static const BigInt m = BigInt::pow10(21) - BigInt(1);
        return m;
    }
    inline static const std::string kTriplets[7] = {"", "bin", "milyon", "milyar", "trilyon", "katrilyon", "kentilyon"};
    inline static const std::string kOrdTriplets[7] = {"",           "bininci",       "milyonuncu", "milyarıncı",
                                                       "trilyonuncu", "katrilyonuncu", "kentilyon"};
    static std::string ones(char c) {
        static const char* const t[] = {"", "bir", "iki", "üç", "dört", "beş", "altı", "yedi", "sekiz", "dokuz"};
        return t[c - '0'];
    }
    static std::string oones(char c) {
        static const char* const t[] = {"",         "birinci",  "ikinci",    "üçüncü",    "dördüncü",
                                        "beşinci",  "altıncı",  "yedinci",   "sekizinci", "dokuzuncu"};
        return t[c - '0'];
    }
    static std::string tens(char c) {
        static const char* const t[] = {"", "on", "yirmi", "otuz", "kırk", "elli", "altmış", "yetmiş", "seksen", "doksan"};
        return t[c - '0'];
    }
    static std::string otens(char c) {
        static const char* const t[] = {"",         "onuncu",     "yirminci",   "otuzuncu",   "kırkıncı",
                                        "ellinci",  "altmışıncı", "yetmişinci", "sekseninci", "doksanıncı"};
        return t[c - '0'];
    }
    // HUNDREDS has no "1": "yüz", not "biryüz".
    static std::string hund(char c) { return c == '1' || c == '0' ? "" : ones(c); }

    // to_splitnum(): the digits, triplet counts, and the run of trailing zeros (at most len-1).
    void split_digits(const BigInt& v) {
        digits_ = v.str();
        const size_t L = digits_.size();
        triplets_ = L % 3 ? L / 3 + 1 : L / 3;
        outside_ = L % 3;
        last_zero_ = 0;
        bool found = false;
        for (size_t i = 0; i + 1 < L; ++i) {
            if (digits_[L - 1 - i] == '0' && !found)
                last_zero_ = i + 1;
            else
                found = true;
        }
    }

    std::string digits_;
    size_t triplets_ = 0, outside_ = 0, last_zero_ = 0;
};

}  // namespace

std::unique_ptr<Converter> make_ko() { return std::make_unique<Ko>(); }
std::unique_ptr<Converter> make_hu() { return std::make_unique<Hu>(); }
std::unique_ptr<Converter> make_ar() { return std::make_unique<Ar>(); }
std::unique_ptr<Converter> make_tr() { return std::make_unique<Tr>(); }

}  // namespace acestep::text::n2w
