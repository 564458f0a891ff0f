// multilingual_cleaners(text, lang): the official lyric cleaner (ACE-Step lyric_tokenizer.py, from
// coqui XTTS), exact to it: quotes, Turkish capitals, str.lower(), number expansion through
// num2words 0.5.14 (src/text/num2words*.cpp), abbreviations, symbols, whitespace.
//
// Each regex of the original is matched by hand with Python `re` semantics (Unicode \b \d \s \w,
// greedy backtracking, leftmost non-overlapping matches, alternatives tried in order -- so Spanish
// "os" never wins over "o"), and each step that Python wraps in try/except keeps the text from
// before it when anything inside throws.  Note the Python quirks kept on purpose: the thousands
// regex for dot languages has an unescaped '.', Czech is handed to num2words as "cz" (which
// raises, so Czech digits stay digits), and tr skips decimals.
#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <optional>

#include "text/cleaner_steps.h"
#include "text/cleaners.h"
#include "text/num2words.h"
#include "text/py_unicode.h"
#include "text/utf8.h"

namespace acestep::text {
namespace {

using u32 = std::u32string;
using Match = std::pair<size_t, size_t>;  // [start, end)
using Finder = std::function<std::optional<Match>(const u32&, size_t)>;

bool ascii_digit(char32_t c) { return c >= U'0' && c <= U'9'; }

size_t ascii_digit_run(const u32& s, size_t p) {
    while (p < s.size() && ascii_digit(s[p])) ++p;
    return p;
}

// re.sub(pattern, func, s) with the pattern given as a finder of the next match at or after a position.
u32 sub(const u32& s, const Finder& find, const std::function<u32(const u32&)>& repl) {
    u32 out;
    size_t pos = 0;
    while (pos <= s.size()) {
        auto m = find(s, pos);
        if (!m) break;
        out.append(s, pos, m->first - pos);
        out += repl(s.substr(m->first, m->second - m->first));
        pos = m->second;
    }
    if (pos < s.size()) out.append(s, pos, u32::npos);
    return out;
}

// ---- thousands separators ---------------------------------------------------------------------

// \b\d{1,3}(S\d{3})*(O\d+)?\b at p, where S is ',' (en, ru) or any char but '\n' (the unescaped
// '.' of the dot pattern), O the decimal mark.  Backtracking order: \d{1,3} longest first, the
// star longest first, the optional group tried (longest \d+ first) before skipping it.
std::optional<size_t> thousands_at(const u32& s, size_t p, bool comma) {
    const size_t n = s.size();
    if (p >= n || !py::is_decimal(s[p]) || !py::word_boundary(s, p)) return std::nullopt;
    size_t run = 0;
    while (p + run < n && run < 3 && py::is_decimal(s[p + run])) ++run;
    auto group_ok = [&](size_t q) {
        if (q + 4 > n) return false;
        if (comma ? s[q] != U',' : s[q] == U'\n') return false;
        return py::is_decimal(s[q + 1]) && py::is_decimal(s[q + 2]) && py::is_decimal(s[q + 3]);
    };
    const char32_t opt = comma ? U'.' : U',';
    for (size_t d1 = run; d1 >= 1; --d1) {
        const size_t q0 = p + d1;
        size_t kmax = 0;
        while (group_ok(q0 + 4 * kmax)) ++kmax;
        for (size_t k = kmax + 1; k-- > 0;) {
            const size_t q = q0 + 4 * k;
            if (q < n && s[q] == opt) {
                size_t r = 0;
                while (q + 1 + r < n && py::is_decimal(s[q + 1 + r])) ++r;
                for (size_t len = r; len >= 1; --len)
                    if (py::word_boundary(s, q + 1 + len)) return q + 1 + len;
            }
            if (py::word_boundary(s, q)) return q;
        }
    }
    return std::nullopt;
}

Finder thousands_finder(bool comma) {
    return [comma](const u32& s, size_t from) -> std::optional<Match> {
        for (size_t p = from; p < s.size(); ++p)
            if (auto e = thousands_at(s, p, comma)) return Match{p, *e};
        return std::nullopt;
    };
}

u32 remove_char(u32 s, char32_t c) {
    s.erase(std::remove(s.begin(), s.end(), c), s.end());
    return s;
}

// ---- currency ---------------------------------------------------------------------------------

bool currency_set(char32_t c) { return ascii_digit(c) || c == U'.' || c == U','; }

// (SYM[0-9\.\,]*[0-9]+) | ([0-9\.\,]*[0-9]+SYM), in either order: the two cannot start on the same
// character, so the order of the alternatives never matters.
Finder currency_finder(char32_t sym) {
    return [sym](const u32& s, size_t from) -> std::optional<Match> {
        const size_t n = s.size();
        size_t p = from;
        while (p < n) {
            if (s[p] == sym) {
                size_t e = p + 1, last_digit = 0;
                bool any = false;
                while (e < n && currency_set(s[e])) {
                    if (ascii_digit(s[e])) last_digit = e, any = true;
                    ++e;
                }
                if (any) return Match{p, last_digit + 1};
                ++p;
            } else if (currency_set(s[p])) {
                size_t e = p;
                while (e < n && currency_set(s[e])) ++e;
                if (ascii_digit(s[e - 1]) && e < n && s[e] == sym) return Match{p, e + 1};
                p = e;  // every start inside this run ends at the same place
            } else {
                ++p;
            }
        }
        return std::nullopt;
    };
}

// ---- decimals, ordinals, integers -------------------------------------------------------------

Finder decimal_finder() {
    return [](const u32& s, size_t from) -> std::optional<Match> {
        for (size_t p = from; p < s.size();) {
            if (!ascii_digit(s[p])) {
                ++p;
                continue;
            }
            const size_t d = ascii_digit_run(s, p);
            if (d + 1 < s.size() && (s[d] == U'.' || s[d] == U',') && ascii_digit(s[d + 1]))
                return Match{p, ascii_digit_run(s, d + 1)};
            p = d;
        }
        return std::nullopt;
    };
}

struct Suffix {
    u32 text;
    bool dot_lookahead = false;  // \.(?=\s|$)
};

const std::vector<Suffix>* ordinal_suffixes(const std::string& lang) {
    static const std::map<std::string, std::vector<Suffix>> table = {
        {"en", {{U"st"}, {U"nd"}, {U"rd"}, {U"th"}}},
        {"es", {{U"º"}, {U"ª"}, {U"er"}, {U"o"}, {U"a"}, {U"os"}, {U"as"}}},
        {"fr", {{U"º"}, {U"ª"}, {U"er"}, {U"re"}, {U"e"}, {U"ème"}}},
        {"de", {{U"st"}, {U"nd"}, {U"rd"}, {U"th"}, {U"º"}, {U"ª"}, {U".", true}}},
        {"pt", {{U"º"}, {U"ª"}, {U"o"}, {U"a"}, {U"os"}, {U"as"}}},
        {"it", {{U"º"}, {U"°"}, {U"ª"}, {U"o"}, {U"a"}, {U"i"}, {U"e"}}},
        {"pl", {{U"º"}, {U"ª"}, {U"st"}, {U"nd"}, {U"rd"}, {U"th"}}},
        {"ar", {{U"ون"}, {U"ين"}, {U"ث"}, {U"ر"}, {U"ى"}}},
        {"cs", {{U".", true}}},
        {"ru", {{U"-й"}, {U"-я"}, {U"-е"}, {U"-ое"}, {U"-ье"}, {U"-го"}}},
        {"nl", {{U"de"}, {U"ste"}, {U"e"}}},
        {"tr", {{U"."}, {U"inci"}, {U"nci"}, {U"uncu"}, {U"üncü"}, {U"."}}},
        {"hu", {{U"."}, {U"adik"}, {U"edik"}, {U"odik"}, {U"edik"}, {U"ödik"}, {U"ödike"}, {U"ik"}}},
        {"ko", {{U"번째"}, {U"번"}, {U"차"}, {U"째"}}},
    };
    auto it = table.find(lang);
    return it == table.end() ? nullptr : &it->second;
}

// ([0-9]+)(alt|alt|...): the digits are greedy and no alternative starts with a digit, so only the
// end of the digit run is tried; the first alternative that fits there wins.
Finder ordinal_finder(const std::vector<Suffix>& alts) {
    return [&alts](const u32& s, size_t from) -> std::optional<Match> {
        for (size_t p = from; p < s.size();) {
            if (!ascii_digit(s[p])) {
                ++p;
                continue;
            }
            const size_t d = ascii_digit_run(s, p);
            for (const Suffix& a : alts) {
                if (s.compare(d, a.text.size(), a.text) != 0) continue;
                const size_t e = d + a.text.size();
                if (a.dot_lookahead && !(e == s.size() || py::is_space(s[e]))) continue;
                return Match{p, e};
            }
            p = d;
        }
        return std::nullopt;
    };
}

Finder number_finder() {
    return [](const u32& s, size_t from) -> std::optional<Match> {
        for (size_t p = from; p < s.size(); ++p)
            if (ascii_digit(s[p])) return Match{p, ascii_digit_run(s, p)};
        return std::nullopt;
    };
}

// ---- num2words calls --------------------------------------------------------------------------

n2w::Converter& n2w_for(const std::string& lang) {
    const std::string code = lang == "cs" ? "cz" : lang;  // as the official code passes it
    n2w::Converter* c = n2w::converter(code);
    if (!c) throw n2w::Error("NotImplementedError: num2words has no language '" + code + "'");
    return *c;
}

std::string ascii(const u32& s) { return utf8::encode(s); }

u32 expand_currency(const u32& m, const std::string& lang, const std::string& code) {
    // float(re.sub(r"[^\d.]", "", m.replace(",", ".")))
    std::string amount;
    for (char32_t c : m) {
        if (c == U',' || c == U'.')
            amount.push_back('.');
        else if (py::is_decimal(c))
            utf8::append(amount, c);
    }
    const double value = n2w::parse_float(amount);
    std::string full = n2w_for(lang).currency(value, code);
    if (std::isfinite(value) && value == std::floor(value)) {
        static const std::map<std::string, std::string> and_equivalents = {
            {"en", ", "}, {"es", " con "}, {"fr", " et "}, {"de", " und "}, {"pt", " e "},
            {"it", " e "}, {"pl", ", "},    {"cs", ", "},   {"ru", ", "},    {"nl", ", "},
            {"ar", ", "}, {"tr", ", "},    {"hu", ", "},   {"ko", ", "}};
        auto it = and_equivalents.find(lang);
        if (it == and_equivalents.end()) throw n2w::Error("KeyError: '" + lang + "'");
        const size_t last_and = full.rfind(it->second);
        if (last_and != std::string::npos) full = full.substr(0, last_and);
    }
    return utf8::decode(full);
}

u32 numbers32(const u32& text, const std::string& lang) {
    if (lang == "zh") return utf8::decode(zh_text_norm(utf8::encode(text)));
    u32 s;
    if (lang == "en" || lang == "ru")
        s = sub(text, thousands_finder(true), [](const u32& m) { return remove_char(m, U','); });
    else
        s = sub(text, thousands_finder(false), [](const u32& m) { return remove_char(m, U'.'); });
    try {
        // (a plain pair, not a structured binding: clang's C++17 cannot capture bindings in the lambda)
        for (const auto& cur : {std::pair<char32_t, const char*>{U'£', "GBP"}, {U'$', "USD"}, {U'€', "EUR"}}) {
            const char* code = cur.second;
            s = sub(s, currency_finder(cur.first), [&](const u32& m) { return expand_currency(m, lang, code); });
        }
    } catch (const std::exception&) {
        // the official `except: pass` around the three currency passes
    }
    if (lang != "tr")
        s = sub(s, decimal_finder(), [&](const u32& m) {
            u32 a = m;
            for (char32_t& c : a)
                if (c == U',') c = U'.';
            const double v = n2w::parse_float(ascii(a));
            return utf8::decode(n2w_for(lang).cardinal(n2w::PyNum::from_double(v)));
        });
    const std::vector<Suffix>* alts = ordinal_suffixes(lang);
    if (!alts) throw n2w::Error("KeyError: '" + lang + "'");
    s = sub(s, ordinal_finder(*alts), [&](const u32& m) {
        const size_t d = ascii_digit_run(m, 0);
        return utf8::decode(n2w_for(lang).ordinal(n2w::BigInt::parse(ascii(m.substr(0, d)))));
    });
    s = sub(s, number_finder(), [&](const u32& m) {
        return utf8::decode(n2w_for(lang).cardinal(n2w::PyNum(n2w::BigInt::parse(ascii(m)))));
    });
    return s;
}

// ---- abbreviations ----------------------------------------------------------------------------

struct Abbrev {
    u32 abbr;
    u32 repl;
};

const std::vector<Abbrev>* abbreviations(const std::string& lang) {
    static const std::map<std::string, std::vector<Abbrev>> table = {
        {"en", {{U"mrs", U"misess"}, {U"mr", U"mister"}, {U"dr", U"doctor"}, {U"st", U"saint"}, {U"co", U"company"},
                {U"jr", U"junior"}, {U"maj", U"major"}, {U"gen", U"general"}, {U"drs", U"doctors"},
                {U"rev", U"reverend"}, {U"lt", U"lieutenant"}, {U"hon", U"honorable"}, {U"sgt", U"sergeant"},
                {U"capt", U"captain"}, {U"esq", U"esquire"}, {U"ltd", U"limited"}, {U"col", U"colonel"},
                {U"ft", U"fort"}}},
        {"es", {{U"sra", U"señora"}, {U"sr", U"señor"}, {U"dr", U"doctor"}, {U"dra", U"doctora"}, {U"st", U"santo"},
                {U"co", U"compañía"}, {U"jr", U"junior"}, {U"ltd", U"limitada"}}},
        {"fr", {{U"mme", U"madame"}, {U"mr", U"monsieur"}, {U"dr", U"docteur"}, {U"st", U"saint"},
                {U"co", U"compagnie"}, {U"jr", U"junior"}, {U"ltd", U"limitée"}}},
        {"de", {{U"fr", U"frau"}, {U"dr", U"doktor"}, {U"st", U"sankt"}, {U"co", U"firma"}, {U"jr", U"junior"}}},
        {"pt", {{U"sra", U"senhora"}, {U"sr", U"senhor"}, {U"dr", U"doutor"}, {U"dra", U"doutora"},
                {U"st", U"santo"}, {U"co", U"companhia"}, {U"jr", U"júnior"}, {U"ltd", U"limitada"}}},
        {"it", {{U"sig", U"signore"}, {U"dr", U"dottore"}, {U"st", U"santo"}, {U"co", U"compagnia"},
                {U"jr", U"junior"}, {U"ltd", U"limitata"}}},
        {"pl", {{U"p", U"pani"}, {U"m", U"pan"}, {U"dr", U"doktor"}, {U"sw", U"święty"}, {U"jr", U"junior"}}},
        {"ar", {}},
        {"zh", {}},
        {"cs", {{U"dr", U"doktor"}, {U"ing", U"inženýr"}, {U"p", U"pan"}}},
        {"ru", {{U"г-жа", U"госпожа"}, {U"г-н", U"господин"}, {U"д-р", U"доктор"}}},
        {"nl", {{U"dhr", U"de heer"}, {U"mevr", U"mevrouw"}, {U"dr", U"dokter"}, {U"jhr", U"jonkheer"}}},
        {"tr", {{U"b", U"bay"}, {U"byk", U"büyük"}, {U"dr", U"doktor"}}},
        {"hu", {{U"dr", U"doktor"}, {U"b", U"bácsi"}, {U"nőv", U"nővér"}}},
        {"ko", {}},
    };
    auto it = table.find(lang);
    return it == table.end() ? nullptr : &it->second;
}

// re.IGNORECASE on a literal: simple lowercase equality plus sre's fixed equivalences that can
// survive str.lower() (dotless i ~ i, long s ~ s).
bool ci_eq(char32_t c, char32_t p) {
    if (c == p) return true;
    const u32 low = py::lower(u32(1, c));
    const char32_t lc = low.size() == 1 ? low[0] : c;
    if (lc == p) return true;
    return (p == U'i' && lc == 0x131) || (p == U's' && lc == 0x17F);
}

Finder abbrev_finder(const u32& abbr, bool dot) {
    return [abbr, dot](const u32& s, size_t from) -> std::optional<Match> {
        for (size_t p = from; p + abbr.size() <= s.size(); ++p) {
            if (!py::word_boundary(s, p)) continue;
            bool ok = true;
            for (size_t k = 0; k < abbr.size() && ok; ++k) ok = ci_eq(s[p + k], abbr[k]);
            if (!ok) continue;
            const size_t e = p + abbr.size();
            if (dot) {
                if (e < s.size() && s[e] == U'.') return Match{p, e + 1};
            } else if (py::word_boundary(s, e)) {
                return Match{p, e};
            }
        }
        return std::nullopt;
    };
}

u32 abbreviations32(u32 s, const std::string& lang) {
    const std::vector<Abbrev>* list = abbreviations(lang);
    if (!list) throw n2w::Error("KeyError: '" + lang + "'");
    const bool dot = lang != "ru";  // ru patterns are \bxx\b, the others \bxx\.
    for (const Abbrev& a : *list) s = sub(s, abbrev_finder(a.abbr, dot), [&a](const u32&) { return a.repl; });
    return s;
}

// ---- symbols ----------------------------------------------------------------------------------

u32 replace_all32(const u32& s, const u32& from, const u32& to) {
    u32 out;
    size_t pos = 0;
    for (;;) {
        const size_t hit = s.find(from, pos);
        if (hit == u32::npos) break;
        out.append(s, pos, hit - pos);
        out += to;
        pos = hit + from.size();
    }
    out.append(s, pos, u32::npos);
    return out;
}

u32 symbols32(u32 s, const std::string& lang) {
    // & @ % # $ £ ° in this order.
    static const std::map<std::string, std::vector<u32>> table = {
        {"en", {U" and ", U" at ", U" percent ", U" hash ", U" dollar ", U" pound ", U" degree "}},
        {"es", {U" y ", U" arroba ", U" por ciento ", U" numeral ", U" dolar ", U" libra ", U" grados "}},
        {"fr", {U" et ", U" arobase ", U" pour cent ", U" dièse ", U" dollar ", U" livre ", U" degrés "}},
        {"de", {U" und ", U" at ", U" prozent ", U" raute ", U" dollar ", U" pfund ", U" grad "}},
        {"pt", {U" e ", U" arroba ", U" por cento ", U" cardinal ", U" dólar ", U" libra ", U" graus "}},
        {"it", {U" e ", U" chiocciola ", U" per cento ", U" cancelletto ", U" dollaro ", U" sterlina ", U" gradi "}},
        {"pl", {U" i ", U" małpa ", U" procent ", U" krzyżyk ", U" dolar ", U" funt ", U" stopnie "}},
        {"ar", {U" و ", U" على ", U" في المئة ", U" رقم ", U" دولار ", U" جنيه ", U" درجة "}},
        {"zh", {U" 和 ", U" 在 ", U" 百分之 ", U" 号 ", U" 美元 ", U" 英镑 ", U" 度 "}},
        {"cs", {U" a ", U" na ", U" procento ", U" křížek ", U" dolar ", U" libra ", U" stupně "}},
        {"ru", {U" и ", U" собака ", U" процентов ", U" номер ", U" доллар ", U" фунт ", U" градус "}},
        {"nl", {U" en ", U" bij ", U" procent ", U" hekje ", U" dollar ", U" pond ", U" graden "}},
        {"tr", {U" ve ", U" at ", U" yüzde ", U" diyez ", U" dolar ", U" sterlin ", U" derece "}},
        {"hu", {U" és ", U" kukac ", U" százalék ", U" kettőskereszt ", U" dollár ", U" font ", U" fok "}},
        {"ko", {U" 그리고 ", U" 에 ", U" 퍼센트 ", U" 번호 ", U" 달러 ", U" 파운드 ", U" 도 "}},
    };
    static const u32 symbols = U"&@%#$£°";
    auto it = table.find(lang);
    if (it == table.end()) throw n2w::Error("KeyError: '" + lang + "'");
    for (size_t k = 0; k < symbols.size(); ++k) {
        s = replace_all32(s, u32(1, symbols[k]), it->second[k]);
        s = replace_all32(s, U"  ", U" ");  // once per symbol, as the original
    }
    return py::strip(s);
}

u32 collapse32(const u32& s) {
    u32 out;
    for (size_t i = 0; i < s.size();) {
        if (py::is_space(s[i])) {
            while (i < s.size() && py::is_space(s[i])) ++i;
            out.push_back(U' ');
        } else {
            out.push_back(s[i++]);
        }
    }
    return out;
}

}  // namespace

namespace cleaner {

std::string lowercase_step(const std::string& text, const std::string& lang) {
    u32 s = remove_char(utf8::decode(text), U'"');
    if (lang == "tr") {
        s = replace_all32(s, U"\u0130", U"i");
        s = replace_all32(s, U"\u00D6", U"\u00F6");
        s = replace_all32(s, U"\u00DC", U"\u00FC");
    }
    return utf8::encode(py::lower(s));
}

std::string expand_numbers(const std::string& text, const std::string& lang) {
    return utf8::encode(numbers32(utf8::decode(text), lang));
}

std::string expand_abbreviations(const std::string& text, const std::string& lang) {
    return utf8::encode(abbreviations32(utf8::decode(text), lang));
}

std::string expand_symbols(const std::string& text, const std::string& lang) {
    return utf8::encode(symbols32(utf8::decode(text), lang));
}

std::string collapse_whitespace(const std::string& text) {
    return utf8::encode(collapse32(utf8::decode(text)));
}

Stages stages(const std::string& text, const std::string& lang) {
    // The official `try: ... except: pass` around each of the three middle steps.
    auto guarded = [&lang](const std::string& in, std::string (*step)(const std::string&, const std::string&)) {
        try {
            return step(in, lang);
        } catch (const std::exception&) {
            return in;
        }
    };
    Stages st;
    st.lowercased = lowercase_step(text, lang);
    st.numbers = guarded(st.lowercased, &cleaner::expand_numbers);
    st.abbreviations = guarded(st.numbers, &cleaner::expand_abbreviations);
    st.symbols = guarded(st.abbreviations, &cleaner::expand_symbols);
    st.collapsed = collapse_whitespace(st.symbols);
    return st;
}

}  // namespace cleaner

std::string multilingual_cleaners(const std::string& text, const std::string& lang) {
    return cleaner::stages(text, lang).collapsed;
}

}  // namespace acestep::text
