// num2words 0.5.14 lang_FR, lang_ES, lang_IT, lang_PT, exact to the library (quirks included:
// Spanish "uno"->"un" substring fixes, Italian accentuate(), Portuguese regex clean-ups).
#include <algorithm>
#include <cmath>

#include "text/num2words.h"
#include "text/py_unicode.h"
#include "text/utf8.h"

namespace acestep::text::n2w {
namespace {

// Python's % on ints/floats with a possibly negative left operand: (a - b) % m, result in [0, m).
PyNum py_mod_diff(const PyNum& a, int b, int m) {
    if (!a.is_float) {
        if (a.i >= BigInt((uint64_t)b)) return PyNum((uint64_t)(a.i - BigInt((uint64_t)b)).mod_small((uint32_t)m));
        const uint32_t r = (BigInt((uint64_t)b) - a.i).mod_small((uint32_t)m);
        return PyNum(r == 0 ? 0u : (uint64_t)(m - r));
    }
    double r = std::fmod(a.f - b, (double)m);
    if (r != 0.0 && r < 0) r += m;
    return PyNum::from_double(r == 0.0 ? 0.0 : r);
}

bool is_zero(const PyNum& v) { return v == PyNum(0); }

class Fr final : public CardsConverter {
public:
    Fr() {
        set_high_eu(eu_high_numwords(), "illiard", "illion");
        set_mid({{1000, "mille"}, {100, "cent"}, {80, "quatre-vingts"}, {60, "soixante"}, {50, "cinquante"},
                 {40, "quarante"}, {30, "trente"}});
        set_low({"vingt", "dix-neuf", "dix-huit", "dix-sept", "seize", "quinze", "quatorze", "treize", "douze",
                 "onze", "dix", "neuf", "huit", "sept", "six", "cinq", "quatre", "trois", "deux", "un", "zéro"});
        finish_cards();
        pointword_ = "virgule";
        separator_ = " et";
        currency_forms_ = {{"EUR", {{"euro", "euros"}, {"centime", "centimes"}}},
                           {"USD", {{"dollar", "dollars"}, {"cent", "cents"}}},
                           {"GBP", {{"livre", "livres"}, {"penny", "pence"}}}};
    }

    std::string ordinal(const BigInt& v) override {
        if (v == BigInt(1)) return "premier";
        std::string word = cardinal(PyNum(v));
        for (const auto& [src, repl] : std::vector<std::pair<std::string, std::string>>{
                 {"cinq", "cinquième"}, {"neuf", "neuvième"}})
            if (ends_with(word, src)) return word.substr(0, word.size() - src.size()) + repl;
        if (!word.empty() && word.back() == 'e') word.pop_back();
        return word + "ième";
    }

protected:
    Node merge(const Node& curr, const Node& next) const override {
        std::string ctext = curr.text, ntext = next.text;
        const PyNum &cnum = curr.num, &nnum = next.num;
        const PyNum million(1000000);
        if (cnum == PyNum(1)) {
            if (nnum < million) return next;
        } else {
            if ((is_zero(py_mod_diff(cnum, 80, 100)) || (is_zero(cnum % PyNum(100)) && cnum < PyNum(1000))) &&
                nnum < million && !ctext.empty() && ctext.back() == 's')
                ctext.pop_back();
            if (cnum < PyNum(1000) && nnum != PyNum(1000) && !ntext.empty() && ntext.back() != 's' &&
                is_zero(nnum % PyNum(100)))
                ntext += "s";
        }
        if (nnum < cnum && cnum < PyNum(100)) {
            if (nnum % PyNum(10) == PyNum(1) && cnum != PyNum(80))
                return Node::pair(ctext + " et " + ntext, cnum + nnum);
            return Node::pair(ctext + "-" + ntext, cnum + nnum);
        }
        if (nnum > cnum) return Node::pair(ctext + " " + ntext, cnum * nnum);
        return Node::pair(ctext + " " + ntext, cnum + nnum);
    }
};

// ---- Spanish ----------------------------------------------------------------------------------

const char* const kEsCurrenciesUna[] = {"SLL", "SEK", "NOK", "CZK", "DKK", "ISK", "SKK", "GBP", "CYP",
                                        "EGP", "FKP", "GIP", "LBP", "SDG", "SHP", "SSP", "SYP", "INR",
                                        "IDR", "LKR", "MUR", "NPR", "PKR", "SCR", "ESP", "TRY", "ITL"};
const char* const kEsCentsUna[] = {"EGP", "JOD", "LBP", "SDG", "SSP", "SYP"};

template <size_t N>
bool in_list(const char* const (&l)[N], const std::string& s) {
    for (const char* x : l)
        if (s == x) return true;
    return false;
}

class Es final : public CardsConverter {
public:
    Es() {
        set_high_eu({"cuatr", "tr", "b", "m"}, "", "illón");
        set_mid({{1000, "mil"}, {100, "cien"}, {90, "noventa"}, {80, "ochenta"}, {70, "setenta"}, {60, "sesenta"},
                 {50, "cincuenta"}, {40, "cuarenta"}, {30, "treinta"}});
        set_low({"veintinueve", "veintiocho", "veintisiete", "veintiséis", "veinticinco", "veinticuatro",
                 "veintitrés", "veintidós", "veintiuno", "veinte", "diecinueve", "dieciocho", "diecisiete",
                 "dieciséis", "quince", "catorce", "trece", "doce", "once", "diez", "nueve", "ocho", "siete",
                 "seis", "cinco", "cuatro", "tres", "dos", "uno", "cero"});
        finish_cards();
        pointword_ = "punto";
        separator_ = " con";
        currency_forms_ = {{"EUR", {{"euro", "euros"}, {"céntimo", "céntimos"}}},
                           {"USD", {{"dólar", "dólares"}, {"centavo", "centavos"}}},
                           {"GBP", {{"libra", "libras"}, {"penique", "peniques"}}}};
    }

    std::string ordinal(const BigInt& v) override { return strip_ws(ordinal_rec(v, 0)); }

    std::string currency(double amount, const std::string& code) override {
        const std::string result = base_currency(amount, code, separator_);
        std::vector<std::string> parts = split(result, separator_ + " ");
        if (in_list(kEsCurrenciesUna, code)) {
            parts[0] = replace_all(parts[0], "uno", "una");
            parts[0] = replace_all(parts[0], "cientos", "cientas");
        }
        parts[0] = replace_all(parts[0], "veintiuno", "veintiún");
        parts[0] = replace_all(parts[0], "uno", "un");
        if (parts.size() < 2) throw Error("IndexError: list index out of range");
        if (in_list(kEsCentsUna, code)) parts[1] = replace_all(parts[1], "uno", "una");
        parts[1] = replace_all(parts[1], "veintiuno", "veintiún");
        parts[1] = replace_all(parts[1], "uno", "un");
        return join(parts, separator_ + " ");
    }

protected:
    Node merge(const Node& curr, const Node& next) const override {
        std::string ctext = curr.text, ntext = next.text;
        const PyNum &cnum = curr.num, &nnum = next.num;
        if (cnum == PyNum(1)) {
            if (nnum < PyNum(1000000)) return next;
            ctext = "un";
        } else if (cnum == PyNum(100) && !(nnum % PyNum(1000) == PyNum(0))) {
            ctext += "to";
        }
        if (nnum < cnum) {
            if (cnum < PyNum(100)) return Node::pair(ctext + " y " + ntext, cnum + nnum);
            return Node::pair(ctext + " " + ntext, cnum + nnum);
        } else if (is_zero(nnum % PyNum(1000000)) && cnum > PyNum(1)) {
            ntext = cp_drop_last(ntext, 3) + "lones";
        }
        if (nnum == PyNum(100)) {
            if (cnum == PyNum(5)) {
                ctext = "quinien";
                ntext = "";
            } else if (cnum == PyNum(7)) {
                ctext = "sete";
            } else if (cnum == PyNum(9)) {
                ctext = "nove";
            }
            ntext += "tos";
        } else {
            ntext = " " + ntext;
        }
        return Node::pair(ctext + ntext, cnum * nnum);
    }

private:
    static const std::string& ords(const BigInt& k) {
        static const std::map<std::string, std::string> m = {
            {"1", "primer"},          {"2", "segund"},          {"3", "tercer"},         {"4", "cuart"},
            {"5", "quint"},           {"6", "sext"},            {"7", "séptim"},         {"8", "octav"},
            {"9", "noven"},           {"10", "décim"},          {"20", "vigésim"},       {"30", "trigésim"},
            {"40", "quadragésim"},    {"50", "quincuagésim"},   {"60", "sexagésim"},     {"70", "septuagésim"},
            {"80", "octogésim"},      {"90", "nonagésim"},      {"100", "centésim"},     {"200", "ducentésim"},
            {"300", "tricentésim"},   {"400", "cuadrigentésim"}, {"500", "quingentésim"}, {"600", "sexcentésim"},
            {"700", "septigentésim"}, {"800", "octigentésim"},  {"900", "noningentésim"}, {"1000", "milésim"},
            {"1000000", "millonésim"}, {"1000000000", "billonésim"}, {"1000000000000", "trillonésim"},
            {"1000000000000000", "cuadrillonésim"}};
        auto it = m.find(k.str());
        if (it == m.end()) throw Error("KeyError: " + k.str());
        return it->second;
    }

    std::string ordinal_rec(const BigInt& value, int depth) {
        // A value whose scale word lands above it recurses on itself forever: RecursionError.
        if (depth > 900) throw Error("RecursionError: maximum recursion depth exceeded");
        if (value.is_zero()) return "";
        if (value <= BigInt(10)) return ords(value) + "o";
        if (value <= BigInt(12)) return ords(BigInt(10)) + "o" + ordinal_rec(value - BigInt(10), depth + 1);
        if (value <= BigInt(100)) {
            const BigInt dec = value.divmod(BigInt(10)).first * BigInt(10);
            return ords(dec) + "o " + ordinal_rec(value - dec, depth + 1);
        }
        if (value <= BigInt(1000)) {
            const BigInt cen = value.divmod(BigInt(100)).first * BigInt(100);
            return ords(cen) + "o " + ordinal_rec(value - cen, depth + 1);
        }
        if (value < BigInt::pow10(18)) {
            // dec = 1000 ** int(math.log(int(value), 1000)): a float log, off by one just below 10^15, 10^18.
            const int k = (int)(std::log(to_double(value)) / std::log(1000.0));
            const BigInt dec = BigInt::pow10((size_t)(3 * k));
            auto [high, low] = value.divmod(dec);
            const std::string card = high != BigInt(1) ? cardinal(PyNum(high)) : "";
            const std::string& ow = ords(dec);
            return card + ow + "o " + ordinal_rec(low, depth + 1);
        }
        return cardinal(PyNum(value));
    }
};

// ---- Italian ----------------------------------------------------------------------------------

const char* const kItCardinal[] = {"zero",   "uno",    "due",     "tre",         "quattro",     "cinque", "sei",
                                   "sette",  "otto",   "nove",    "dieci",       "undici",      "dodici", "tredici",
                                   "quattordici", "quindici", "sedici", "diciassette", "diciotto", "diciannove"};
const char* const kItOrdinal[] = {"zero",          "primo",          "secondo",         "terzo",
                                  "quarto",        "quinto",         "sesto",           "settimo",
                                  "ottavo",        "nono",           "decimo",          "undicesimo",
                                  "dodicesimo",    "tredicesimo",    "quattordicesimo", "quindicesimo",
                                  "sedicesimo",    "diciassettesimo", "diciottesimo",   "diciannovesimo"};
const char* const kItExponent[] = {"zero", "m", "b", "tr", "quadr", "quint", "sest", "sett", "ott", "nov", "dec"};

std::string it_phonetic(std::string s) {
    s = replace_all(s, "oo", "o");
    s = replace_all(s, "ao", "o");
    s = replace_all(s, "io", "o");
    s = replace_all(s, "au", "u");
    return replace_all(s, "iu", "u");
}

std::string it_omit_zero(const std::string& s) { return s == "zero" ? "" : s; }

std::string it_accentuate(const std::string& s) {
    std::vector<std::string> out;
    for (const std::string& w : split_ws(s)) {
        if (ends_with(w, "tre") && cp_len(w) > 3)
            out.push_back(cp_drop_last(replace_all(w, "tré", "tre"), 3) + "tré");
        else
            out.push_back(replace_all(w, "tré", "tre"));
    }
    return join(out, " ");
}

class It final : public Converter {
public:
    std::string cardinal(const PyNum& number) override {
        std::string s;
        if (number.is_float) {
            s = float_to_words(number.f);
        } else if (number.i < BigInt(20)) {
            s = kItCardinal[number.i.to_u64()];
        } else if (number.i < BigInt(100)) {
            s = tens(number.i.to_u64());
        } else if (number.i < BigInt(1000)) {
            s = hundreds(number.i.to_u64());
        } else if (number.i < BigInt(1000000)) {
            s = thousands(number.i.to_u64());
        } else {
            s = big(number.i);
        }
        return it_accentuate(s);
    }

    std::string ordinal(const BigInt& number) override {
        const uint32_t tens = number.mod_small(100);
        const bool outside_teens = !(10 < tens && tens < 20);
        if (number < BigInt(20)) return kItOrdinal[number.to_u64()];
        if (outside_teens && tens % 10 == 3) return cp_drop_last(cardinal(PyNum(number)), 1) + "eesimo";
        if (outside_teens && tens % 10 == 6) return cardinal(PyNum(number)) + "esimo";
        std::string s = cp_drop_last(cardinal(PyNum(number)), 1);
        if (ends_with(s, "mil")) s += "l";
        return s + "esimo";
    }

    std::string currency(double amount, const std::string& code) override {
        static const std::map<std::string, CurrencyForm> forms = {
            {"EUR", {{"euro", "euro"}, {"centesimo", "centesimi"}}},
            {"USD", {{"dollaro", "dollari"}, {"centesimo", "centesimi"}}},
            {"GBP", {{"sterlina", "sterline"}, {"penny", "penny"}}}};
        const CurrencyParts p = parse_currency_parts(amount);
        auto it = forms.find(code);
        if (it == forms.end()) throw Error("NotImplementedError: currency " + code);
        auto plural = [](const BigInt& n, const Forms& f) { return f[n == BigInt(1) ? 0 : 1]; };
        std::string result = cardinal(PyNum(p.left)) + " " + plural(p.left, it->second.unit) + " e " +
                             cardinal(PyNum((uint64_t)p.cents)) + " " + plural(BigInt(p.cents), it->second.sub);
        if (code == "GBP") {  // CURRENCIES_UNA = ('GBP') is a str: `in` tests substrings, GBP is one.
            std::vector<std::string> words = split(result, " ");
            if (words[0] == "uno") {
                words[0] = "una";
                result = join(words, " ");
            }
        }
        return replace_all(result, "uno", "un");
    }

private:
    std::string float_to_words(double f) {
        const std::string prefix = cardinal(PyNum(trunc_to_int(f)));
        const std::vector<std::string> parts = split(float_repr(f), ".");
        if (parts.size() < 2) throw Error("IndexError: list index out of range");
        std::vector<std::string> words;
        for (char c : parts[1]) {
            if (c < '0' || c > '9') throw Error("ValueError: invalid literal for int()");
            words.push_back(cardinal(PyNum((uint64_t)(c - '0'))));
        }
        return prefix + " virgola " + join(words, " ");
    }
    std::string tens(uint64_t n) {
        static const std::map<uint64_t, std::string> str_tens = {
            {2, "venti"}, {3, "trenta"}, {4, "quaranta"}, {6, "sessanta"}};
        const uint64_t t = n / 10, u = n % 10;
        auto it = str_tens.find(t);
        const std::string prefix = it != str_tens.end() ? it->second : cp_drop_last(kItCardinal[t], 1) + "anta";
        return it_phonetic(prefix + it_omit_zero(kItCardinal[u]));
    }
    std::string hundreds(uint64_t n) {
        const uint64_t h = n / 100;
        std::string prefix = "cento";
        if (h != 1) prefix = std::string(kItCardinal[h]) + prefix;
        return it_phonetic(prefix + it_omit_zero(cardinal(PyNum(n % 100))));
    }
    std::string thousands(uint64_t n) {
        const uint64_t t = n / 1000;
        const std::string prefix = t == 1 ? "mille" : cardinal(PyNum(t)) + "mila";
        return prefix + it_omit_zero(cardinal(PyNum(n % 1000)));
    }
    std::string big(const BigInt& number) {
        const std::string digits = number.str();
        const size_t length = digits.size();
        if (length >= 66) throw Error("NotImplementedError: The given number is too large.");
        const size_t pre = length % 3 ? length % 3 : 3;
        const std::string multiplier = digits.substr(0, pre), exponent = digits.substr(pre);
        const size_t el = exponent.size();
        std::string infix = std::string(kItExponent[el / 6]) + (el % 6 == 0 ? "ilione" : "iliardo");
        std::string prefix;
        if (multiplier == "1") {
            prefix = "un ";
        } else {
            prefix = cardinal(PyNum(BigInt::parse(multiplier)));
            infix = " " + cp_drop_last(infix, 1) + "i";
        }
        std::string postfix;
        if (exponent.find_first_not_of('0') != std::string::npos) {
            postfix = cardinal(PyNum(BigInt::parse(exponent)));
            infix += postfix.find(" e ") != std::string::npos ? ", " : " e ";
        }
        return prefix + infix + postfix;
    }
};

// ---- Portuguese -------------------------------------------------------------------------------

// re.match('.*EXT e \w*entos? (?=.*e)', s)
bool pt_collapse_match(const std::u32string& s, const std::u32string& ext) {
    const std::u32string pat = ext + U" e ";
    for (size_t i = s.find(pat); i != std::u32string::npos; i = s.find(pat, i + 1)) {
        const size_t j = i + pat.size();
        size_t k = j;
        while (k < s.size() && py::is_word(s[k])) ++k;
        if (k >= s.size() || s[k] != U' ') continue;
        const std::u32string run = s.substr(j, k - j);
        auto ends = [&run](const std::u32string& suf) {
            return run.size() >= suf.size() && run.compare(run.size() - suf.size(), suf.size(), suf) == 0;
        };
        if (!(ends(U"ento") || ends(U"entos"))) continue;
        if (s.find(U'e', k + 1) != std::u32string::npos) return true;
    }
    return false;
}

class Pt final : public CardsConverter {
public:
    Pt() {
        set_high_eu({"quatr", "tr", "b", "m"}, "", "ilião");
        set_mid({{1000, "mil"}, {100, "cem"}, {90, "noventa"}, {80, "oitenta"}, {70, "setenta"}, {60, "sessenta"},
                 {50, "cinquenta"}, {40, "quarenta"}, {30, "trinta"}});
        set_low({"vinte", "dezanove", "dezoito", "dezassete", "dezasseis", "quinze", "catorze", "treze", "doze",
                 "onze", "dez", "nove", "oito", "sete", "seis", "cinco", "quatro", "três", "dois", "um", "zero"});
        finish_cards();
        pointword_ = "vírgula";
        separator_ = " e";
        const Forms dollar{"dólar", "dólares"}, cents{"cêntimo", "cêntimos"};
        currency_forms_ = {{"EUR", {{"euro", "euros"}, cents}},
                           {"GBP", {{"libra", "libras"}, {"péni", "pence"}}},
                           {"USD", {dollar, cents}}};
    }

    std::string cardinal(const PyNum& v) override {
        std::string result = CardsConverter::cardinal(v);
        for (const char* ext : {"mil", "milhão", "milhões", "mil milhões", "bilião", "biliões", "mil biliões"})
            if (pt_collapse_match(utf8::decode(result), utf8::decode(ext)))
                result = replace_all(result, std::string(ext) + " e", ext);
        return result;
    }

    std::string ordinal(const BigInt& v) override {
        static const char* const ords[3][10] = {
            {"", "primeiro", "segundo", "terceiro", "quarto", "quinto", "sexto", "sétimo", "oitavo", "nono"},
            {"", "décimo", "vigésimo", "trigésimo", "quadragésimo", "quinquagésimo", "sexagésimo", "septuagésimo",
             "octogésimo", "nonagésimo"},
            {"", "centésimo", "ducentésimo", "tricentésimo", "quadrigentésimo", "quingentésimo", "seiscentésimo",
             "septigentésimo", "octigentésimo", "nongentésimo"}};
        static const std::map<size_t, std::string> seps = {{3, "milésimo"},
                                                           {6, "milionésimo"},
                                                           {9, "milésimo milionésimo"},
                                                           {12, "bilionésimo"},
                                                           {15, "milésimo bilionésimo"}};
        const std::string value = v.str();
        std::vector<std::string> result;
        std::string thousand_separator;
        for (size_t idx = 0; idx < value.size(); ++idx) {
            const char ch = value[value.size() - 1 - idx];
            if (idx && idx % 3 == 0) {
                auto it = seps.find(idx);
                if (it == seps.end()) throw Error("KeyError: " + std::to_string(idx));
                thousand_separator = it->second;
            }
            if (ch != '0' && !thousand_separator.empty()) {
                result.push_back(thousand_separator);
                thousand_separator.clear();
            }
            result.push_back(ords[idx % 3][ch - '0']);
        }
        std::reverse(result.begin(), result.end());
        std::string out = strip_ws(join(result, " "));
        // re.sub('\\s+', ' ', out): the words only ever carry ASCII spaces.
        std::string squeezed;
        for (char c : out)
            if (!(c == ' ' && !squeezed.empty() && squeezed.back() == ' ')) squeezed.push_back(c);
        if (starts_with(squeezed, "primeiro") && value != "1") squeezed = cp_slice(squeezed, 9, cp_len(squeezed));
        return squeezed;
    }

    std::string currency(double amount, const std::string& code) override {
        std::string result = base_currency(amount, code, separator_);
        const std::string plural = currency_forms_.at(code).unit[1];
        for (const char* ext : {"milhão", "milhões", "bilião", "biliões", "trilião", "triliões"})
            if (result.find(std::string(ext) + " " + plural) != std::string::npos)
                result = replace_first(result, ext, std::string(ext) + " de");
        return replace_all(result, " e zero cêntimos", "");
    }

protected:
    Node merge(const Node& curr, const Node& next) const override {
        static const std::map<std::string, std::string> hundreds = {
            {"1", "cento"},     {"2", "duzentos"},  {"3", "trezentos"}, {"4", "quatrocentos"}, {"5", "quinhentos"},
            {"6", "seiscentos"}, {"7", "setecentos"}, {"8", "oitocentos"}, {"9", "novecentos"}};
        std::string ctext = curr.text, ntext = next.text;
        const PyNum &cnum = curr.num, &nnum = next.num;
        if (cnum == PyNum(1)) {
            if (nnum < PyNum(1000000)) return next;
            ctext = "um";
        } else if (cnum == PyNum(100) && !(nnum % PyNum(1000) == PyNum(0))) {
            ctext = "cento";
        }
        if (nnum < cnum) return Node::pair(ctext + " e " + ntext, cnum + nnum);
        if (is_zero(nnum % PyNum(BigInt::pow10(9))) && cnum > PyNum(1))
            ntext = cp_drop_last(ntext, 4) + "liões";
        else if (is_zero(nnum % PyNum(1000000)) && cnum > PyNum(1))
            ntext = cp_drop_last(ntext, 4) + "lhões";
        if (ntext == "milião") ntext = "milhão";
        if (nnum == PyNum(100)) {
            // self.hundreds[cnum]: a float key finds the int entry it equals.
            auto it = cnum.is_integral() ? hundreds.find(cnum.to_int().str()) : hundreds.end();
            if (it == hundreds.end()) throw Error("KeyError: " + py_str(cnum));
            ctext = it->second;
            ntext = "";
        } else {
            ntext = " " + ntext;
        }
        return Node::pair(ctext + ntext, cnum * nnum);
    }
};

}  // namespace

std::unique_ptr<Converter> make_fr() { return std::make_unique<Fr>(); }
std::unique_ptr<Converter> make_es() { return std::make_unique<Es>(); }
std::unique_ptr<Converter> make_it() { return std::make_unique<It>(); }
std::unique_ptr<Converter> make_pt() { return std::make_unique<Pt>(); }

}  // namespace acestep::text::n2w
