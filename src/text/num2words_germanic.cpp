// num2words 0.5.14 lang_EN, lang_DE, lang_NL (with lang_EU's currency table), exact to the library.
#include "text/num2words.h"

namespace acestep::text::n2w {
namespace {

const Forms kDollars{"dollar", "dollars"}, kCents{"cent", "cents"};

// Num2Word_EU.CURRENCY_FORMS for the three codes the cleaner asks for.
std::map<std::string, CurrencyForm> eu_currency_forms() {
    return {{"EUR", {{"euro", "euro"}, kCents}},
            {"GBP", {{"pound sterling", "pounds sterling"}, {"penny", "pence"}}},
            {"USD", {kDollars, kCents}}};
}

class En final : public CardsConverter {
public:
    En() {
        // Short scale: set_high_numwords puts 10^(3+3k) on the EU list.
        const auto high = eu_high_numwords();
        size_t n = 3 + 3 * high.size();
        for (const auto& w : high) {
            if (n <= 3) break;
            add_card(BigInt::pow10(n), w + "illion");
            n -= 3;
        }
        set_mid({{1000, "thousand"}, {100, "hundred"}, {90, "ninety"}, {80, "eighty"}, {70, "seventy"},
                 {60, "sixty"}, {50, "fifty"}, {40, "forty"}, {30, "thirty"}});
        set_low({"twenty", "nineteen", "eighteen", "seventeen", "sixteen", "fifteen", "fourteen", "thirteen",
                 "twelve", "eleven", "ten", "nine", "eight", "seven", "six", "five", "four", "three", "two", "one",
                 "zero"});
        finish_cards();
        pointword_ = "point";
        currency_forms_ = eu_currency_forms();
    }

    std::string ordinal(const BigInt& v) override {
        static const std::map<std::string, std::string> ords = {
            {"one", "first"}, {"two", "second"}, {"three", "third"}, {"four", "fourth"}, {"five", "fifth"},
            {"six", "sixth"}, {"seven", "seventh"}, {"eight", "eighth"}, {"nine", "ninth"}, {"ten", "tenth"},
            {"eleven", "eleventh"}, {"twelve", "twelfth"}};
        std::vector<std::string> outwords = split(cardinal(PyNum(v)), " ");
        std::vector<std::string> lastwords = split(outwords.back(), "-");
        std::string lastword = lastwords.back();
        auto it = ords.find(lastword);
        if (it != ords.end()) {
            lastword = it->second;
        } else {
            if (lastword.empty()) throw Error("IndexError: string index out of range");
            if (lastword.back() == 'y') lastword = lastword.substr(0, lastword.size() - 1) + "ie";
            lastword += "th";
        }
        lastwords.back() = lastword;
        outwords.back() = join(lastwords, "-");
        return join(outwords, " ");
    }

protected:
    Node merge(const Node& l, const Node& r) const override {
        const PyNum &lnum = l.num, &rnum = r.num;
        if (lnum == PyNum(1) && rnum < PyNum(100)) return Node::pair(r.text, rnum);
        if (PyNum(100) > lnum && lnum > rnum) return Node::pair(l.text + "-" + r.text, lnum + rnum);
        if (lnum >= PyNum(100) && PyNum(100) > rnum) return Node::pair(l.text + " and " + r.text, lnum + rnum);
        if (rnum > lnum) return Node::pair(l.text + " " + r.text, lnum * rnum);
        return Node::pair(l.text + ", " + r.text, lnum + rnum);
    }
};

std::string ascii_lower(std::string s) {
    for (char& c : s)
        if (c >= 'A' && c <= 'Z') c = (char)(c + 32);
    return s;
}

bool all_az(const std::string& s, size_t a, size_t b) {
    if (a >= b) return false;
    for (size_t i = a; i < b; ++i)
        if (s[i] < 'a' || s[i] > 'z') return false;
    return true;
}

// re.sub(PREFIX + r'([a-z]+(illion|illiard)ste)$', r'\1', s): the leftmost PREFIX whose remainder is
// one [a-z]+ run ending in "illionste"/"illiardste" loses the prefix.
std::string de_drop_before_illion(const std::string& s, const std::string& prefix) {
    for (size_t i = s.find(prefix); i != std::string::npos; i = s.find(prefix, i + 1)) {
        const size_t t = i + prefix.size();
        for (const char* suf : {"illionste", "illiardste"}) {
            const std::string sf(suf);
            if (ends_with(s, sf) && s.size() - t > sf.size() && all_az(s, t, s.size()))
                return s.substr(0, i) + s.substr(t);
        }
    }
    return s;
}

class De final : public CardsConverter {
public:
    De() {
        std::vector<std::string> high{"zent"};
        auto rest = gen_high_numwords({"", "un", "duo", "tre", "quattuor", "quin", "sex", "sept", "okto", "novem"},
                                      {"dez", "vigint", "trigint", "quadragint", "quinquagint", "sexagint",
                                       "septuagint", "oktogint", "nonagint"},
                                      {"Non", "Okt", "Sept", "Sext", "Quint", "Quadr", "Tr", "B", "M"});
        high.insert(high.end(), rest.begin(), rest.end());
        set_high_eu(high, "illiarde", "illion");
        set_mid({{1000, "tausend"}, {100, "hundert"}, {90, "neunzig"}, {80, "achtzig"}, {70, "siebzig"},
                 {60, "sechzig"}, {50, "fünfzig"}, {40, "vierzig"}, {30, "dreißig"}});
        set_low({"zwanzig", "neunzehn", "achtzehn", "siebzehn", "sechzehn", "fünfzehn", "vierzehn", "dreizehn",
                 "zwölf", "elf", "zehn", "neun", "acht", "sieben", "sechs", "fünf", "vier", "drei", "zwei", "eins",
                 "null"});
        finish_cards();
        pointword_ = "Komma";
        separator_ = " und";
        currency_forms_ = {{"EUR", {{"Euro", "Euro"}, {"Cent", "Cent"}}},
                           {"GBP", {{"Pfund", "Pfund"}, {"Penny", "Pence"}}},
                           {"USD", {{"Dollar", "Dollar"}, {"Cent", "Cent"}}}};
    }

    std::string ordinal(const BigInt& v) override {
        static const std::vector<std::pair<std::string, std::string>> ords = {
            {"eins", "ers"}, {"drei", "drit"}, {"acht", "ach"}, {"sieben", "sieb"}, {"ig", "igs"},
            {"ert", "erts"}, {"end", "ends"}, {"ion", "ions"}, {"nen", "ns"}, {"rde", "rds"}, {"rden", "rds"}};
        std::string outword = ascii_lower(cardinal(PyNum(v)));
        for (const auto& [key, rep] : ords)
            if (ends_with(outword, key)) {
                outword = outword.substr(0, outword.size() - key.size()) + rep;
                break;
            }
        std::string res = outword + "te";
        if (res == "eintausendste" || res == "einhundertste") res = replace_first(res, "ein", "");
        res = de_drop_before_illion(res, "eine ");
        res = de_drop_before_illion(res, " ");
        return res;
    }

    std::string currency(double amount, const std::string& code) override {
        return replace_all(base_currency(amount, code, separator_), "eins ", "ein ");
    }

protected:
    Node merge(const Node& curr, const Node& next) const override {
        std::string ctext = curr.text, ntext = next.text;
        const PyNum &cnum = curr.num, &nnum = next.num;
        const PyNum mega(BigInt::pow10(6));
        if (cnum == PyNum(1)) {
            if (nnum == PyNum(100) || nnum == PyNum(1000)) return Node::pair("ein" + ntext, nnum);
            if (nnum < mega) return next;
            ctext = "eine";
        }
        PyNum val;
        if (nnum > cnum) {
            if (nnum >= mega) {
                if (cnum > PyNum(1)) ntext += ends_with(ntext, "e") ? "n" : "en";
                ctext += " ";
            }
            val = cnum * nnum;
        } else {
            if (nnum < PyNum(10) && PyNum(10) < cnum && cnum < PyNum(100)) {
                if (nnum == PyNum(1)) ntext = "ein";
                std::string t = ntext + "und";
                ntext = ctext;
                ctext = t;
            } else if (cnum >= mega) {
                ctext += " ";
            }
            val = cnum + nnum;
        }
        return Node::pair(ctext + ntext, val);
    }
};

class Nl final : public CardsConverter {
public:
    Nl() {
        std::vector<std::string> high{"zend"};
        auto rest = gen_high_numwords({"", "un", "duo", "tre", "quattuor", "quin", "sex", "sept", "okto", "novem"},
                                      {"dez", "vigint", "trigint", "quadragint", "quinquagint", "sexagint",
                                       "septuagint", "oktogint", "nonagint"},
                                      {"non", "okt", "sept", "sext", "quint", "quadr", "tr", "b", "m"});
        high.insert(high.end(), rest.begin(), rest.end());
        set_high_eu(high, "iljard", "iljoen");
        set_mid({{1000, "duizend"}, {100, "honderd"}, {90, "negentig"}, {80, "tachtig"}, {70, "zeventig"},
                 {60, "zestig"}, {50, "vijftig"}, {40, "veertig"}, {30, "dertig"}});
        set_low({"twintig", "negentien", "achttien", "zeventien", "zestien", "vijftien", "veertien", "dertien",
                 "twaalf", "elf", "tien", "negen", "acht", "zeven", "zes", "vijf", "vier", "drie", "twee", "één",
                 "nul"});
        finish_cards();
        pointword_ = "komma";
        currency_forms_ = {{"EUR", {{"euro", "euro"}, {"cent", "cent"}}},
                           {"GBP", {{"pond", "pond"}, {"penny", "pence"}}},
                           {"USD", {{"dollar", "dollar"}, {"cent", "cent"}}}};
    }

    std::string ordinal(const BigInt& v) override {
        // "nul" -> "nulde" is the 0.5.12 fix (#326); the rest is unchanged since 0.5.10.
        static const std::vector<std::pair<std::string, std::string>> ords = {
            {"nul", "nuld"},     {"één", "eerst"}, {"twee", "tweed"},     {"drie", "derd"},    {"vier", "vierd"},
            {"vijf", "vijfd"},   {"zes", "zesd"},  {"zeven", "zevend"},   {"acht", "achtst"},  {"negen", "negend"},
            {"tien", "tiend"},   {"elf", "elfd"},  {"twaalf", "twaalfd"}, {"ig", "igst"},      {"erd", "erdst"},
            {"end", "endst"},    {"joen", "joenst"}, {"rd", "rdst"}};
        std::string outword = cardinal(PyNum(v));
        for (const auto& [key, rep] : ords)
            if (ends_with(outword, key)) {
                outword = outword.substr(0, outword.size() - key.size()) + rep;
                break;
            }
        return outword + "e";
    }

protected:
    std::string pluralize(const BigInt&, const Forms& forms) const override { return forms[0]; }

    Node merge(const Node& curr, const Node& next) const override {
        std::string ctext = curr.text, ntext = next.text;
        const PyNum &cnum = curr.num, &nnum = next.num;
        const PyNum mega(BigInt::pow10(6));
        if (cnum == PyNum(1)) {
            if (nnum < mega) return next;
            ctext = "een";
        }
        PyNum val;
        if (nnum > cnum) {
            if (nnum >= mega) ctext += " ";
            val = cnum * nnum;
        } else {
            if (nnum < PyNum(10) && PyNum(10) < cnum && cnum < PyNum(100)) {
                if (nnum == PyNum(1)) ntext = "een";
                ntext += ends_with(ntext, "e") ? "ën" : "en";
                std::swap(ntext, ctext);
            } else if (cnum >= mega) {
                ctext += " ";
            }
            val = cnum + nnum;
        }
        return Node::pair(ctext + ntext, val);
    }
};

}  // namespace

std::unique_ptr<Converter> make_en() { return std::make_unique<En>(); }
std::unique_ptr<Converter> make_de() { return std::make_unique<De>(); }
std::unique_ptr<Converter> make_nl() { return std::make_unique<Nl>(); }

}  // namespace acestep::text::n2w
