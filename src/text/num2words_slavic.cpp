// num2words 0.5.14 lang_PL and lang_RU (cases, genders and the ordinal machinery), exact to the
// library, including its spelling slips (PL "trzydiesto", "dziewięćdzisiąty", "milairdowy").
#include "text/num2words.h"

namespace acestep::text::n2w {
namespace {

// utils.splitbyx(str(n), 3) as ints, and get_digits(x) -> (ones, tens, hundreds).
std::vector<uint32_t> chunks3(const BigInt& n) {
    const std::string s = n.str();
    std::vector<uint32_t> out;
    size_t start = s.size() > 3 ? s.size() % 3 : s.size();
    if (start > 0) out.push_back((uint32_t)std::stoul(s.substr(0, start)));
    for (size_t i = start; i < s.size(); i += 3) out.push_back((uint32_t)std::stoul(s.substr(i, 3)));
    return out;
}

BigInt parse_int_str(const std::string& s) {
    if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos)
        throw Error("ValueError: invalid literal for int(): '" + s + "'");
    return BigInt::parse(s);
}

// ---- Polish -----------------------------------------------------------------------------------

const char* const kPlOnes[] = {"", "jeden", "dwa", "trzy", "cztery", "pięć", "sześć", "siedem", "osiem", "dziewięć"};
const char* const kPlOnesOrd[][2] = {
    {"", ""},
    {"pierwszy", "pierwszo"},       {"drugi", "dwu"},                {"trzeci", "trzy"},
    {"czwarty", "cztero"},          {"piąty", "pięcio"},             {"szósty", "sześcio"},
    {"siódmy", "siedmio"},          {"ósmy", "ośmio"},               {"dziewiąty", "dziewięcio"},
    {"dziesiąty", "dziesięcio"},    {"jedenasty", "jedenasto"},      {"dwunasty", "dwunasto"},
    {"trzynasty", "trzynasto"},     {"czternasty", "czternasto"},    {"piętnasty", "piętnasto"},
    {"szesnasty", "szesnasto"},     {"siedemnasty", "siedemnasto"},  {"osiemnasty", "osiemnasto"},
    {"dziewiętnasty", "dziewiętnasto"}};
const char* const kPlTens[] = {"dziesięć",    "jedenaście",   "dwanaście",    "trzynaście", "czternaście",
                               "piętnaście",  "szesnaście",   "siedemnaście", "osiemnaście", "dziewiętnaście"};
const char* const kPlTwenties[] = {"",          "",          "dwadzieścia",    "trzydzieści",   "czterdzieści",
                                   "pięćdziesiąt", "sześćdziesiąt", "siedemdziesiąt", "osiemdziesiąt",
                                   "dziewięćdziesiąt"};
const char* const kPlTwentiesOrd[][2] = {
    {"", ""}, {"", ""}, {"dwudziesty", "dwudziesto"}, {"trzydziesty", "trzydiesto"},
    {"czterdziesty", "czterdziesto"}, {"pięćdziesiąty", "pięćdziesięcio"}, {"sześćdziesiąty", "sześćdziesięcio"},
    {"siedemdziesiąty", "siedemdziesięcio"}, {"osiemdziesiąty", "osiemdziesięcio"},
    {"dziewięćdzisiąty", "dziewięćdziesięcio"}};
// HUNDREDS entries are 1-tuples: index 1 (used for level 1) raises IndexError, as in Python.
const char* const kPlHundreds[] = {"",        "sto",      "dwieście", "trzysta",  "czterysta",
                                   "pięćset", "sześćset", "siedemset", "osiemset", "dziewięćset"};
const char* const kPlHundredsOrd[][2] = {
    {"", ""}, {"setny", "stu"}, {"dwusetny", "dwustu"}, {"trzysetny", "trzystu"}, {"czterysetny", "czterystu"},
    {"pięćsetny", "pięcset"}, {"sześćsetny", "sześćset"}, {"siedemsetny", "siedemset"},
    {"osiemsetny", "ośiemset"}, {"dziewięćsetny", "dziewięćset"}};

const Forms& pl_thousands(size_t i) {
    static const std::vector<Forms> table = [] {
        std::vector<Forms> t{{}, {"tysiąc", "tysiące", "tysięcy"}};
        for (const char* p : {"mi", "bi", "try", "kwadry", "kwinty", "seksty", "septy", "okty", "nony", "decy"})
            for (const char* s : {"lion", "liard"}) {
                const std::string name = std::string(p) + s;
                t.push_back({name, name + "y", name + "ów"});
            }
        return t;
    }();
    if (i == 0 || i >= table.size()) throw Error("KeyError: " + std::to_string(i));
    return table[i];
}

class Pl final : public Converter {
public:
    std::string cardinal(const PyNum& number) override {
        const std::string n = replace_all(py_str(number), ",", ".");
        if (n.find('.') != std::string::npos) {
            const std::vector<std::string> lr = split(n, ".");
            if (lr.size() != 2) throw Error("ValueError: too many values to unpack");
            const std::string &left = lr[0], &right = lr[1];
            const size_t lead = right.find_first_not_of('0') == std::string::npos ? right.size()
                                                                                 : right.find_first_not_of('0');
            std::string decimal_part;
            for (size_t k = 0; k < lead; ++k) decimal_part += "zero ";
            decimal_part += int2word(parse_int_str(right));
            return int2word(parse_int_str(left)) + " przecinek " + decimal_part;
        }
        return int2word(parse_int_str(n));
    }

    std::string ordinal(const BigInt& number) override {
        std::vector<uint32_t> fragments = chunks3(number);
        size_t level = 0;
        uint32_t last = fragments.back();
        while (last == 0) {
            ++level;
            fragments.pop_back();
            if (fragments.empty()) throw Error("IndexError: list index out of range");
            last = fragments.back();
        }
        std::vector<std::string> words;
        if (fragments.size() > 1) {
            const BigInt lastpart = BigInt(last) * BigInt::pow10(3 * level);
            words.push_back(int2word(number - lastpart));
        }
        last_fragment_to_ordinal(last, words, level == 0 ? 0 : 1);
        std::string output = join(words, " ");
        if (last == 1 && level > 0 && !output.empty()) output += " ";
        if (level > 0) {
            static const char* const prefixes_ordinal[] = {"", "tysięczny", "milionowy", "milairdowy"};
            if (level > 3) throw Error("KeyError: " + std::to_string(level));
            output += prefixes_ordinal[level];
        }
        return output;
    }

    std::string currency(double amount, const std::string& code) override {
        static const std::map<std::string, CurrencyForm> forms = {
            {"EUR", {{"euro", "euro", "euro"}, {"cent", "centy", "centów"}}},
            {"USD",
             {{"dolar amerykański", "dolary amerykańskie", "dolarów amerykańskich"}, {"cent", "centy", "centów"}}}};
        const CurrencyParts p = parse_currency_parts(amount);
        auto it = forms.find(code);
        if (it == forms.end()) throw Error("NotImplementedError: currency " + code);
        return cardinal(PyNum(p.left)) + " " + pluralize(p.left, it->second.unit) + ", " +
               cardinal(PyNum((uint64_t)p.cents)) + " " + pluralize(BigInt(p.cents), it->second.sub);
    }

private:
    static std::string pluralize(const BigInt& nb, const Forms& forms) {
        if (nb == BigInt(1)) return forms[0];
        const uint32_t m10 = nb.mod_small(10), m100 = nb.mod_small(100);
        if (5 > m10 && m10 > 1 && (m100 < 10 || m100 > 20)) return forms[1];
        return forms[2];
    }

    static void last_fragment_to_ordinal(uint32_t last, std::vector<std::string>& words, int level) {
        const uint32_t n1 = last % 10, n2 = last / 10 % 10, n3 = last / 100 % 10;
        const uint32_t last_two = n2 * 10 + n1;
        auto hundreds = [&](int lvl) -> std::string {
            if (lvl != 0) throw Error("IndexError: tuple index out of range");
            return kPlHundreds[n3];
        };
        if (last_two == 0) {
            words.push_back(kPlHundredsOrd[n3][level]);
        } else if (level == 1 && last == 1) {
            return;
        } else if (last_two < 20) {
            if (n3 > 0) words.push_back(hundreds(level));
            words.push_back(kPlOnesOrd[last_two][level]);
        } else if (last_two % 10 == 0) {
            if (n3 > 0) words.push_back(hundreds(level));
            words.push_back(kPlTwentiesOrd[n2][level]);
        } else {
            if (n3 > 0) words.push_back(kPlHundreds[n3]);
            words.push_back(kPlTwentiesOrd[n2][0]);
            words.push_back(kPlOnesOrd[n1][0]);
        }
    }

    static std::string int2word(const BigInt& n) {
        if (n.is_zero()) return "zero";
        std::vector<std::string> words;
        const std::vector<uint32_t> chunks = chunks3(n);
        size_t i = chunks.size();
        for (uint32_t x : chunks) {
            --i;
            if (x == 0) continue;
            const uint32_t n1 = x % 10, n2 = x / 10 % 10, n3 = x / 100 % 10;
            if (n3 > 0) words.push_back(kPlHundreds[n3]);
            if (n2 > 1) words.push_back(kPlTwenties[n2]);
            if (n2 == 1)
                words.push_back(kPlTens[n1]);
            else if (n1 > 0 && !(i > 0 && x == 1))
                words.push_back(kPlOnes[n1]);
            if (i > 0) words.push_back(pluralize(BigInt(x), pl_thousands(i)));
        }
        return join(words, " ");
    }
};

// ---- Russian ----------------------------------------------------------------------------------

// One classifier: forms[case][m, f, n, plural][animate, inanimate].
struct G {
    std::string a, i;
    G(const char* s = "") : a(s), i(s) {}  // NOLINT(implicit)
    G(std::string s) : a(s), i(std::move(s)) {}  // NOLINT(implicit)
    G(std::string an, std::string in) : a(std::move(an)), i(std::move(in)) {}
};
struct C {
    G g[4];
    C(const char* s = "") : g{G(s), G(s), G(s), G(s)} {}  // NOLINT(implicit)
    C(std::string s) : g{G(s), G(s), G(s), G(s)} {}       // NOLINT(implicit)
    C(G m, G f, G n, G p) : g{std::move(m), std::move(f), std::move(n), std::move(p)} {}
};
struct Cls {
    C c[6];
};
using ClsMap = std::map<int, Cls>;

struct RuKw {
    int cas = 0;  // n g d a i p
    bool plural = false;
    int gender = 0;  // m f n
    bool animate = true;
};

const std::string& element(const Cls& cl, const RuKw& kw) {
    const G& g = cl.c[kw.cas].g[kw.plural ? 3 : kw.gender];
    return kw.animate ? g.a : g.i;
}

const std::string& get_num_element(const ClsMap& m, int num, const RuKw& kw) {
    auto it = m.find(num);
    if (it == m.end()) throw Error("KeyError: " + std::to_string(num));
    return element(it->second, kw);
}

Cls cases6(const std::vector<std::string>& v) {
    Cls cl;
    for (int k = 0; k < 6; ++k) cl.c[k] = C(v[k]);
    return cl;
}

// get_cases(prefix, post_group) over CASE_POSTFIXES.
Cls ord_cases(const std::string& p, int pg) {
    const std::string mnom = p + (pg ? "ый" : "ой");
    Cls cl;
    cl.c[0] = C(G(mnom), G(p + "ая"), G(p + "ое"), G(p + "ые"));
    cl.c[1] = C(G(p + "ого"), G(p + "ой"), G(p + "ого"), G(p + "ых"));
    cl.c[2] = C(G(p + "ому"), G(p + "ой"), G(p + "ому"), G(p + "ым"));
    cl.c[3] = C(G(p + "ого", mnom), G(p + "ую"), G(p + "ое"), G(p + "ых", p + "ые"));
    cl.c[4] = C(G(p + "ым"), G(p + "ой"), G(p + "ым"), G(p + "ыми"));
    cl.c[5] = C(G(p + "ом"), G(p + "ой"), G(p + "ом"), G(p + "ых"));
    return cl;
}

struct RuTables {
    ClsMap ones, ones_ord, tens, tens_ord, twenties, twenties_ord, hundreds, hundreds_ord, thousands_ord;
    std::map<int, std::vector<Forms>> thousands;  // [case] -> 3 plural forms

    RuTables() {
        ones[0] = cases6({"ноль", "ноля", "нолю", "ноль", "нолём", "ноле"});
        ones[1].c[0] = C("один", "одна", "одно", "одни");
        ones[1].c[1] = C("одного", "одной", "одного", "одних");
        ones[1].c[2] = C("одному", "одной", "одному", "одним");
        ones[1].c[3] = C(G("одного", "один"), G("одну"), G("одно"), G("одних", "одни"));
        ones[1].c[4] = C("одним", "одной", "одним", "одними");
        ones[1].c[5] = C("одном", "одной", "одном", "одних");
        auto small = [](const char* n3, const char* n4, const char* g3, const char* g4, const char* d3,
                        const char* d4, G am, G af, const char* an, const char* ap, const char* i3, const char* i4,
                        const char* p3, const char* p4) {
            Cls cl;
            cl.c[0] = C(n3, n3, n3, n4);
            cl.c[1] = C(g3, g3, g3, g4);
            cl.c[2] = C(d3, d3, d3, d4);
            cl.c[3] = C(std::move(am), std::move(af), G(an), G(ap));
            cl.c[4] = C(i3, i3, i3, i4);
            cl.c[5] = C(p3, p3, p3, p4);
            return cl;
        };
        ones[2] = small("два", "двое", "двух", "двоих", "двум", "двоим", G("двух", "два"), G("двух", "две"), "два",
                        "двоих", "двумя", "двоими", "двух", "двоих");
        ones[2].c[0] = C("два", "две", "два", "двое");
        ones[3] = small("три", "трое", "трёх", "троих", "трём", "троим", G("трёх", "три"), G("трёх", "три"), "три",
                        "троих", "тремя", "троими", "трёх", "троих");
        ones[4] = small("четыре", "четверо", "четырёх", "четверых", "четырём", "четверым", G("четырёх", "четыре"),
                        G("четырёх", "четыре"), "четыре", "четверых", "четырьмя", "четверыми", "четырёх",
                        "четверых");
        ones[5] = cases6({"пять", "пяти", "пяти", "пять", "пятью", "пяти"});
        ones[6] = cases6({"шесть", "шести", "шести", "шесть", "шестью", "шести"});
        ones[7] = cases6({"семь", "семи", "семи", "семь", "семью", "семи"});
        ones[8] = cases6({"восемь", "восьми", "восьми", "восемь", "восемью", "восьми"});
        ones[9] = cases6({"девять", "девяти", "девяти", "девять", "девятью", "девяти"});

        ones_ord[3].c[0] = C("третий", "третья", "третье", "третьи");
        ones_ord[3].c[1] = C("третьего", "третьей", "третьего", "третьих");
        ones_ord[3].c[2] = C("третьему", "третьей", "третьему", "третьим");
        ones_ord[3].c[3] = C(G("третьего", "третий"), G("третью"), G("третье"), G("третьих", "третьи"));
        ones_ord[3].c[4] = C("третьим", "третьей", "третьим", "третьими");
        ones_ord[3].c[5] = C("третьем", "третьей", "третьем", "третьих");
        const std::vector<std::tuple<int, const char*, int>> oo = {
            {0, "нулев", 0}, {1, "перв", 1}, {2, "втор", 0},  {4, "четвёрт", 1}, {5, "пят", 1},
            {6, "шест", 0},  {7, "седьм", 0}, {8, "восьм", 0}, {9, "девят", 1}};
        for (const auto& [k, p, g] : oo) ones_ord[k] = ord_cases(p, g);

        const std::vector<std::string> tens_post = {"надцать", "надцати", "надцати", "надцать", "надцатью", "надцати"};
        tens[0] = cases6({"десять", "десяти", "десяти", "десять", "десятью", "десяти"});
        tens_ord[0] = ord_cases("десят", 1);
        const char* const tp[] = {"", "один", "две", "три", "четыр", "пят", "шест", "сем", "восем", "девят"};
        for (int k = 1; k <= 9; ++k) {
            std::vector<std::string> v;
            for (const auto& s : tens_post) v.push_back(std::string(tp[k]) + s);
            tens[k] = cases6(v);
            tens_ord[k] = ord_cases(std::string(tp[k]) + "надцат", 1);
        }

        twenties[2] = cases6({"двадцать", "двадцати", "двадцати", "двадцать", "двадцатью", "двадцати"});
        twenties[3] = cases6({"тридцать", "тридцати", "тридцати", "тридцать", "тридцатью", "тридцати"});
        twenties[4] = cases6({"сорок", "сорока", "сорока", "сорок", "сорока", "сорока"});
        twenties[5] = cases6({"пятьдесят", "пятидесяти", "пятидесяти", "пятьдесят", "пятьюдесятью", "пятидесяти"});
        twenties[6] =
            cases6({"шестьдесят", "шестидесяти", "шестидесяти", "шестьдесят", "шестьюдесятью", "шестидесяти"});
        twenties[7] = cases6({"семьдесят", "семидесяти", "семидесяти", "семьдесят", "семьюдесятью", "семидесяти"});
        twenties[8] =
            cases6({"восемьдесят", "восьмидесяти", "восьмидесяти", "восемьдесят", "восемьюдесятью", "восьмидесяти"});
        twenties[9] = cases6({"девяносто", "девяноста", "девяноста", "девяносто", "девяноста", "девяноста"});
        const std::vector<std::tuple<int, const char*, int>> to = {
            {2, "двадцат", 1},    {3, "тридцат", 1},    {4, "сороков", 0},     {5, "пятидесят", 1},
            {6, "шестидесят", 1}, {7, "семидесят", 1}, {8, "восьмидесят", 1}, {9, "девяност", 1}};
        for (const auto& [k, p, g] : to) twenties_ord[k] = ord_cases(p, g);

        hundreds[1] = cases6({"сто", "ста", "ста", "сто", "ста", "ста"});
        hundreds[2] = cases6({"двести", "двухсот", "двумстам", "двести", "двумястами", "двухстах"});
        hundreds[3] = cases6({"триста", "трёхсот", "трёмстам", "триста", "тремястами", "трёхстах"});
        hundreds[4] = cases6({"четыреста", "четырёхсот", "четырёмстам", "четыреста", "четырьмястами", "четырёхстах"});
        hundreds[5] = cases6({"пятьсот", "пятисот", "пятистам", "пятьсот", "пятьюстами", "пятистах"});
        hundreds[6] = cases6({"шестьсот", "шестисот", "шестистам", "шестьсот", "шестьюстами", "шестистах"});
        hundreds[7] = cases6({"семьсот", "семисот", "семистам", "семьсот", "семьюстами", "семистах"});
        hundreds[8] = cases6({"восемьсот", "восьмисот", "восьмистам", "восемьсот", "восемьюстами", "восьмистах"});
        hundreds[9] = cases6({"девятьсот", "девятисот", "девятистам", "девятьсот", "девятьюстами", "девятистах"});
        for (int k = 1; k <= 9; ++k)
            hundreds_ord[k] = ord_cases(k == 1 ? std::string("сот") : hundreds[k].c[1].g[0].a, 1);

        thousands[1] = {{"тысяча", "тысячи", "тысяч"},   {"тысячи", "тысяч", "тысяч"},
                        {"тысяче", "тысячам", "тысячам"}, {"тысячу", "тысячи", "тысяч"},
                        {"тысячей", "тысячами", "тысячами"}, {"тысяче", "тысячах", "тысячах"}};
        const std::vector<std::vector<std::string>> post = {{"", "а", "ов"},  {"а", "ов", "ов"},   {"у", "ам", "ам"},
                                                            {"", "а", "ов"},  {"ом", "ами", "ами"}, {"е", "ах", "ах"}};
        const char* const thp[] = {"", "", "миллион", "миллиард", "триллион", "квадриллион", "квинтиллион",
                                   "секстиллион", "септиллион", "октиллион", "нониллион"};
        thousands_ord[1] = ord_cases("тысячн", 1);
        for (int k = 2; k <= 10; ++k) {
            std::vector<Forms> cs;
            for (const auto& c : post) cs.push_back({std::string(thp[k]) + c[0], std::string(thp[k]) + c[1],
                                                     std::string(thp[k]) + c[2]});
            thousands[k] = cs;
            thousands_ord[k] = ord_cases(std::string(thp[k]) + "н", 1);
        }
    }
};

const RuTables& ru() {
    static const RuTables t;
    return t;
}

class Ru final : public Converter {
public:
    std::string cardinal(const PyNum& number) override {
        const std::string n = replace_all(py_str(number), ",", ".");
        if (n.find('.') != std::string::npos) {
            const std::vector<std::string> lr = split(n, ".");
            if (lr.size() != 2) throw Error("ValueError: too many values to unpack");
            const BigInt left = parse_int_str(lr[0]), right = parse_int_str(lr[1]);
            RuKw f;
            f.gender = 1;
            const std::string decimal_part = int2word(right, true, f);
            return int2word(left, true, f) + " " + pluralize(left, {"целая", "целых", "целых"}) + " " + decimal_part +
                   " " + decimal_bitness(lr[1]);
        }
        return int2word(parse_int_str(n), true, RuKw{});
    }

    std::string ordinal(const BigInt& v) override { return int2word(v, false, RuKw{}); }

    std::string currency(double amount, const std::string& code) override {
        static const std::map<std::string, CurrencyForm> forms = {
            {"RUB", {{"рубль", "рубля", "рублей"}, {"копейка", "копейки", "копеек"}}},
            {"EUR", {{"евро", "евро", "евро"}, {"цент", "цента", "центов"}}},
            {"USD", {{"доллар", "доллара", "долларов"}, {"цент", "цента", "центов"}}}};
        const CurrencyParts p = parse_currency_parts(amount);
        auto it = forms.find(code);
        if (it == forms.end()) throw Error("NotImplementedError: currency " + code);
        RuKw money, cents;  // _money_verbose: gender 'm' (UAH 'f'); _cents_verbose: 'f' for RUB/UAH/BYN
        if (code == "RUB") cents.gender = 1;
        return int2word(p.left, true, money) + " " + pluralize(p.left, it->second.unit) + ", " +
               int2word(BigInt(p.cents), true, cents) + " " + pluralize(BigInt(p.cents), it->second.sub);
    }

private:
    static std::string pluralize(const BigInt& n, const Forms& forms) {
        const uint32_t m100 = n.mod_small(100), m10 = n.mod_small(10);
        if (m100 == 11 || m100 == 12 || m100 == 13 || m100 == 14) return forms[2];
        if (m10 == 1) return forms[0];
        if (m10 == 2 || m10 == 3 || m10 == 4) return forms[1];
        return forms[2];
    }

    std::string decimal_bitness(const std::string& n) {
        const BigInt p = BigInt::pow10(cp_len(n));
        if (n.back() == '1' && !ends_with(n, "11")) {
            RuKw f;
            f.gender = 1;
            return int2word(p, false, f);
        }
        RuKw g;
        g.cas = 1;
        g.plural = true;
        return int2word(p, false, g);
    }

    static const Forms& thousands_elements(int i, int cas) {
        auto it = ru().thousands.find(i);
        if (it == ru().thousands.end()) throw Error("KeyError: " + std::to_string(i));
        return it->second[cas];
    }

    std::string int2word(const BigInt& n, bool cardinal, const RuKw& kw) {
        const RuTables& t = ru();
        if (n.is_zero()) return get_num_element(cardinal ? t.ones : t.ones_ord, 0, kw);
        std::vector<std::string> words;
        const std::vector<uint32_t> chunks = chunks3(n);
        const bool ord_join = chunks.back() == 0;
        int i = (int)chunks.size();
        int maxnz = 0;
        for (int k = 0; k < (int)chunks.size(); ++k)
            if (chunks[k] != 0) maxnz = k;
        const int rightest = i - 1 - maxnz;
        for (uint32_t x : chunks) {
            std::vector<std::string> cw;
            --i;
            if (x == 0) continue;
            const int n1 = x % 10, n2 = x / 10 % 10, n3 = x / 100 % 10;
            if (cardinal) {
                chunk_cardinal(n3, n2, n1, i, kw, cw);
                if (i > 0) cw.push_back(pluralize(BigInt(x), thousands_elements(i, kw.cas)));
            } else if (!(ord_join && rightest == i)) {
                chunk_ordinal(n3, n2, n1, i, kw, cw);
                if (i > 0) cw.push_back(pluralize(BigInt(x), thousands_elements(i, rightest == i ? kw.cas : 0)));
            } else {
                chunk_ordinal_join(n3, n2, n1, i, kw, cw);
                if (i > 0) cw.push_back(get_num_element(t.thousands_ord, i, kw));
                cw = {join(cw, "")};
            }
            words.insert(words.end(), cw.begin(), cw.end());
        }
        return join(words, " ");
    }

    static void chunk_cardinal(int h, int tn, int o, int chunk, const RuKw& kw, std::vector<std::string>& w) {
        const RuTables& t = ru();
        if (h > 0) w.push_back(get_num_element(t.hundreds, h, kw));
        if (tn > 1) w.push_back(get_num_element(t.twenties, tn, kw));
        if (tn == 1) {
            w.push_back(get_num_element(t.tens, o, kw));
        } else if (o > 0) {
            RuKw k = kw;
            if (chunk == 1) k.gender = 1;  // thousands are feminine
            w.push_back(get_num_element(t.ones, o, k));
        }
    }

    static void chunk_ordinal(int h, int tn, int o, int chunk, const RuKw& kw, std::vector<std::string>& w) {
        const RuTables& t = ru();
        if (h > 0) w.push_back(tn == 0 && o == 0 ? get_num_element(t.hundreds_ord, h, kw)
                                                 : get_num_element(t.hundreds, h, RuKw{}));
        if (tn > 1) w.push_back(o == 0 ? get_num_element(t.twenties_ord, tn, kw)
                                       : get_num_element(t.twenties, tn, RuKw{}));
        if (tn == 1) {
            w.push_back(get_num_element(t.tens_ord, o, kw));
        } else if (o > 0) {
            if (chunk == 0) {
                w.push_back(get_num_element(t.ones_ord, o, kw));
            } else if (chunk > 0 && o == 1 && h == 0 && tn == 0) {
                // тысячный, миллионный: no "one"
            } else if (chunk == 1) {
                RuKw f;
                f.gender = 1;
                w.push_back(get_num_element(t.ones, o, f));
            } else {
                w.push_back(get_num_element(t.ones, o, RuKw{}));
            }
        }
    }

    static void chunk_ordinal_join(int h, int tn, int o, int chunk, const RuKw& kw, std::vector<std::string>& w) {
        const RuTables& t = ru();
        RuKw gen;
        gen.cas = 1;
        if (h > 1)
            w.push_back(get_num_element(t.hundreds, h, gen));
        else if (h == 1)
            w.push_back(get_num_element(t.hundreds, h, RuKw{}));
        if (tn == 9)
            w.push_back(get_num_element(t.twenties, tn, RuKw{}));
        else if (tn > 1)
            w.push_back(get_num_element(t.twenties, tn, gen));
        if (tn == 1) {
            w.push_back(get_num_element(t.tens, o, gen));
        } else if (o > 0) {
            if (chunk == 0) {
                w.push_back(get_num_element(t.ones_ord, o, kw));
            } else if (chunk > 0 && o == 1 && tn != 1) {
                if (!(tn == 0 && h == 0)) {
                    RuKw neut;
                    neut.gender = 2;
                    w.push_back(get_num_element(t.ones, 1, neut));
                }
            } else {
                w.push_back(get_num_element(t.ones, o, gen));
            }
        }
    }
};

}  // namespace

std::unique_ptr<Converter> make_pl() { return std::make_unique<Pl>(); }
std::unique_ptr<Converter> make_ru() { return std::make_unique<Ru>(); }

}  // namespace acestep::text::n2w
