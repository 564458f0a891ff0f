// LangSegment getTexts/getCounts and ACEStepPipeline.get_lang; see lang_segment.h.
//
// Every regex of the Python is matched by hand below with CPython re semantics (leftmost match,
// greedy/lazy as written, `.` not matching "\n", \w \s \d from py_unicode.h).  Where a pattern's
// backtracking cannot change the result, the comment says why the direct scan is equivalent.
#include "text/lang_segment.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>

#include "acestep/error.h"
#include "text/py_unicode.h"
#include "text/utf8.h"

namespace acestep::text {
namespace {

using u32 = std::u32string;
using u32v = std::u32string_view;

bool W(char32_t c) { return py::is_word(c); }     // \w
bool D(char32_t c) { return py::is_decimal(c); }  // \d
bool S(char32_t c) { return py::is_space(c); }    // \s
bool NW(char32_t c) { return !W(c); }             // \W  (also [\W\s])
bool PUNCT(char32_t c) { return !W(c) && !S(c); } // [^\w\s]

bool in_set(char32_t c, u32v set) { return set.find(c) != u32v::npos; }

// Python's str.strip() / len(x.strip()) == 0.
u32 strip(u32v s) { return py::strip(s); }
bool blank(u32v s) { return strip(s).empty(); }

const u32v kQuotes = U"【《（(“‘\"'";
const u32v kFr = U"àáâãäåæçèéêëìíîïðñòóôõöùúûüýþÿ";
const u32v kVi = U"đơưăáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựôâêơưỷỹ";

struct Match {
    size_t b = 0, e = 0;
    std::vector<u32> groups;  // what findall() returns for this match (one string if one group)
};

// LangSSML of the vendored LangSegment, with utils/num.py's num2str (from GPT-SoVITS / PaddleSpeech).
// A digit outside ASCII raises KeyError in num2str's table (get_lang then answers "en": an Error here).
namespace ssml {

const u32v kDigits = U"零一二三四五六七八九";

// _get_value(value_string, use_zero=True): ASCII digits in, Han numerals and units out.
void get_value(u32v v, std::vector<char32_t>& out) {
    size_t z = 0;
    while (z < v.size() && v[z] == U'0') ++z;
    const u32v stripped = v.substr(z);
    if (stripped.empty()) return;
    if (stripped.size() == 1) {
        if (stripped.size() < v.size()) out.push_back(kDigits[0]);
        out.push_back(kDigits[size_t(stripped[0] - U'0')]);
        return;
    }
    static const std::pair<size_t, char32_t> kUnits[] = {{8, U'亿'}, {4, U'万'}, {3, U'千'}, {2, U'百'}, {1, U'十'}};
    for (const auto& [power, unit] : kUnits)
        if (power < stripped.size()) {
            get_value(v.substr(0, v.size() - power), out);
            out.push_back(unit);
            get_value(v.substr(v.size() - power), out);
            return;
        }
}

// num2str() of a run of \d (no '.' can be in it): verbalize_cardinal.
u32 cardinal(u32v digits) {
    for (char32_t c : digits)
        if (c < U'0' || c > U'9') throw Error("LangSegment: KeyError in num2str (a non-ASCII digit)");
    size_t z = 0;
    while (z < digits.size() && digits[z] == U'0') ++z;
    if (digits.empty()) return u32();
    if (z == digits.size()) return u32(1, kDigits[0]);
    std::vector<char32_t> r;
    get_value(digits.substr(z), r);
    size_t from = r.size() >= 2 && r[0] == kDigits[1] && r[1] == U'十' ? 1 : 0;  // 一十* -> 十*
    return u32(r.begin() + (std::ptrdiff_t)from, r.end());
}

// re.split(r"(\d+)", s): each run of \d goes through `digits`, the rest is kept; then "." -> "点".
template <class F>
u32 map_digit_runs(u32v s, F digits) {
    u32 out;
    for (size_t i = 0; i < s.size();) {
        size_t j = i;
        while (j < s.size() && D(s[j])) ++j;
        if (j > i) {
            out += digits(s.substr(i, j - i));
            i = j;
        } else {
            out.push_back(s[i] == U'.' ? U'点' : s[i]);
            ++i;
        }
    }
    return out;
}

// to_chinese_number: one numeral per digit (a digit not in the table is dropped).
u32 number(u32v s) {
    return map_digit_runs(s, [](u32v run) {
        u32 r;
        for (char32_t c : run)
            if (c >= U'0' && c <= U'9') r.push_back(kDigits[size_t(c - U'0')]);
        return r;
    });
}

u32 telephone(u32v s) {  // to_chinese_number(num.replace("+86", "")).replace("一", "幺")
    u32 t;
    for (size_t i = 0; i < s.size();) {
        if (s.compare(i, 3, U"+86") == 0) i += 3;
        else t.push_back(s[i++]);
    }
    u32 out = number(t);
    for (char32_t& c : out)
        if (c == U'一') c = U'幺';
    return out;
}

u32 currency(u32v s) { return map_digit_runs(s, [](u32v run) { return cardinal(run); }); }

std::vector<u32> split_on(u32v s, char32_t sep) {  // str.split(sep)
    std::vector<u32> parts(1);
    for (char32_t c : s) {
        if (c == sep) parts.emplace_back();
        else parts.back().push_back(c);
    }
    return parts;
}

// re.sub(r"([A|B|C])+", r"\1", s): a run of the class's characters becomes its last one.
u32 collapse_runs(const u32& s, u32v cls) {
    u32 out;
    for (size_t i = 0; i < s.size(); ++i) {
        const bool in = cls.find(s[i]) != u32v::npos;
        if (in && i + 1 < s.size() && cls.find(s[i + 1]) != u32v::npos) continue;
        out.push_back(s[i]);
    }
    return out;
}

// nonZero(num, cn, func)
u32 non_zero(const u32& num, char32_t cn, u32 (*func)(u32v)) {
    const u32 v = func(num);
    return v.empty() || v == U"0" ? u32() : v + cn;
}

// to_chinese_date = _format_chinese_data.
u32 date(u32v input) {
    if (strip(input).empty()) return u32();
    u32 d;
    for (char32_t c : input) {
        if (c == U'/' || c == U'.' || c == U'_' || c == U'|' || c == U'年' || c == U'月') d.push_back(U'-');
        else if (c != U'日') d.push_back(c);
    }
    std::vector<u32> date_arrs = split_on(d, U' ');
    u32 time_str;
    if (date_arrs.size() == 1 && date_arrs[0].find(U':') != u32::npos) {
        time_str = date_arrs[0];
        date_arrs.clear();
    } else if (date_arrs.size() >= 2) {
        time_str = date_arrs[1];
    }
    u32 ymd;
    if (!date_arrs.empty()) {
        u32 year, month, day;
        const std::vector<u32> parts = split_on(date_arrs[0], U'-');
        if (parts.size() == 3) {
            year = parts[0], month = parts[1], day = parts[2];
        } else if (parts.size() == 2) {
            if (parts[0].size() == 4) year = parts[0], month = parts[1];
            else month = parts[0], day = parts[1];
        } else if (!parts[0].empty()) {
            (parts[0].size() == 4 ? year : day) = parts[0];
        }
        ymd = collapse_runs(non_zero(year, U'年', number) + non_zero(month, U'月', currency) + non_zero(day, U'日', currency),
                            U"年|月日");
    }
    for (char32_t& c : time_str)
        if (c == U'/' || c == U'.' || c == U'-' || c == U'：' || c == U'_') c = U':';
    const std::vector<u32> t = split_on(time_str, U':');
    u32 h, m, sec;
    if (t.size() == 3) h = t[0], m = t[1], sec = t[2];
    else if (t.size() == 2) h = t[0], m = t[1];
    else if (!t[0].empty()) h = t[0] + U'点';
    if (t.size() > 1) {
        h = non_zero(h, U'点', currency);
        m = non_zero(m, U'分', currency);
        sec = non_zero(sec, U'秒', currency);
    }
    return ymd + collapse_runs(h + m + sec, U"点|分秒");
}

}  // namespace ssml

using Finder = std::optional<Match> (*)(u32v s, size_t from);

// TAG_BASE `(([Q]*[L]+[\W\s]*)+)`: Q (quotes) and L (letters) are disjoint, every L is \w, and the
// trailing [\W\s]* stops only at a \w character, so an iteration continues exactly when that character
// is a letter; no backtracking can find another match. Groups: (whole, last iteration).
template <bool (*IsLetter)(char32_t)>
std::optional<Match> find_tag_base(u32v s, size_t from) {
    for (size_t p = from; p < s.size(); ++p) {
        size_t q = p;
        while (q < s.size() && in_set(s[q], kQuotes)) ++q;
        if (q >= s.size() || !IsLetter(s[q])) {
            if (q > p) p = q - 1;  // every start inside this quote run fails the same way
            continue;
        }
        size_t it_begin = p, e = p;
        while (true) {
            size_t a = e;
            while (a < s.size() && in_set(s[a], kQuotes)) ++a;
            if (a >= s.size() || !IsLetter(s[a])) break;
            it_begin = e;
            while (a < s.size() && IsLetter(s[a])) ++a;
            while (a < s.size() && NW(s[a])) ++a;
            e = a;
        }
        Match m;
        m.b = p;
        m.e = e;
        m.groups = {u32(s.substr(p, e - p)), u32(s.substr(it_begin, e - it_begin))};
        return m;
    }
    return std::nullopt;
}

bool is_korean(char32_t c) { return c >= 0xAC00 && c <= 0xD7A3; }
bool is_thai(char32_t c) { return c >= 0x0E00 && c <= 0x0E7F; }
bool is_russian(char32_t c) { return (c >= U'А' && c <= U'Я') || (c >= U'а' && c <= U'я') || c == U'Ё' || c == U'ё'; }
bool is_latin(char32_t c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || in_set(c, kFr) || in_set(c, kVi);
}

// `(\W*\d+\W+\d*\W*\d*)`: \W and \d are disjoint and each quantifier's run ends at a character the
// next element cannot start with, so the greedy scan is the regex's only way to match from p.
std::optional<Match> find_number(u32v s, size_t from) {
    for (size_t p = from; p < s.size(); ++p) {
        // A start inside the \W run (or the digit run) that failed fails the same way: skip past it.
        size_t a = p;
        while (a < s.size() && NW(s[a])) ++a;
        if (a >= s.size() || !D(s[a])) {
            p = a;
            continue;
        }
        while (a < s.size() && D(s[a])) ++a;
        if (a >= s.size() || !NW(s[a])) {
            p = a - 1;
            continue;
        }
        while (a < s.size() && NW(s[a])) ++a;
        while (a < s.size() && D(s[a])) ++a;
        while (a < s.size() && NW(s[a])) ++a;
        while (a < s.size() && D(s[a])) ++a;
        Match m;
        m.b = p;
        m.e = a;
        m.groups = {u32(s.substr(p, a - p))};
        return m;
    }
    return std::nullopt;
}

// SYMBOLS_PATTERN `(<([a-zA-Z|-]*)>(.*?)<\/*[a-zA-Z|-]*>)`. Groups: (whole, tag, content).
bool tag_char(char32_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '|' || c == '-'; }
std::optional<Match> find_symbol(u32v s, size_t from) {
    for (size_t p = from; p < s.size(); ++p) {
        if (s[p] != '<') continue;
        size_t a = p + 1;
        while (a < s.size() && tag_char(s[a])) ++a;
        if (a >= s.size() || s[a] != '>') continue;
        const size_t tag_end = a, content_begin = a + 1;
        // Lazy (.*?): the first k (no "\n" before it) where `<\/*[a-zA-Z|-]*>` matches.
        for (size_t k = content_begin; k <= s.size(); ++k) {
            if (k < s.size() && s[k] == '<') {
                size_t c = k + 1;
                while (c < s.size() && s[c] == '/') ++c;
                while (c < s.size() && tag_char(s[c])) ++c;
                if (c < s.size() && s[c] == '>') {
                    Match m;
                    m.b = p;
                    m.e = c + 1;
                    m.groups = {u32(s.substr(p, m.e - p)), u32(s.substr(p + 1, tag_end - p - 1)),
                                u32(s.substr(content_begin, k - content_begin))};
                    return m;
                }
            }
            if (k >= s.size() || s[k] == '\n') break;
        }
    }
    return std::nullopt;
}

// `(["\'])(.*?)(\1)`. Groups: (quote, content, quote).
std::optional<Match> find_quotes(u32v s, size_t from) {
    for (size_t p = from; p < s.size(); ++p) {
        if (s[p] != '"' && s[p] != '\'') continue;
        for (size_t k = p + 1; k < s.size() && s[k] != '\n'; ++k)
            if (s[k] == s[p]) {
                Match m;
                m.b = p;
                m.e = k + 1;
                m.groups = {u32(1, s[p]), u32(s.substr(p + 1, k - p - 1)), u32(1, s[p])};
                return m;
            }
    }
    return std::nullopt;
}

// `([\n]*[【《（(“‘])([^【《（(“‘’”)）》】]{3,})([’”)）》】][\W\s]*[\n]{,1})`: the content run is
// maximal (it stops only at a bracket), and must then be followed by a closing one.
const u32v kOpen = U"【《（(“‘";
const u32v kClose = U"’”)）》】";
const u32v kAllBrackets = U"【《（(“‘’”)）》】";
std::optional<Match> find_special_quotes(u32v s, size_t from) {
    for (size_t p = from; p < s.size(); ++p) {
        size_t a = p;
        while (a < s.size() && s[a] == '\n') ++a;
        if (a >= s.size() || !in_set(s[a], kOpen)) continue;
        const size_t g1e = a + 1;
        size_t c = g1e;
        while (c < s.size() && !in_set(s[c], kAllBrackets)) ++c;
        if (c - g1e < 3 || c >= s.size() || !in_set(s[c], kClose)) continue;
        size_t e = c + 1;
        while (e < s.size() && NW(s[e])) ++e;  // [\W\s]* takes every "\n" too, so [\n]{,1} is empty
        Match m;
        m.b = p;
        m.e = e;
        m.groups = {u32(s.substr(p, g1e - p)), u32(s.substr(g1e, c - g1e)), u32(s.substr(c, e - c))};
        return m;
    }
    return std::nullopt;
}

// PARSE_TAG `(⑥\$*\d+[\d]{6,}⑥)`: ⑥, any '$', at least 7 decimal digits, ⑥.
std::optional<Match> find_parse_tag(u32v s, size_t from) {
    for (size_t p = from; p < s.size(); ++p) {
        if (s[p] != U'⑥') continue;
        size_t a = p + 1;
        while (a < s.size() && s[a] == '$') ++a;
        size_t d = a;
        while (d < s.size() && D(s[d])) ++d;
        if (d - a < 7 || d >= s.size() || s[d] != U'⑥') continue;
        Match m;
        m.b = p;
        m.e = d + 1;
        m.groups = {u32(s.substr(p, m.e - p))};
        return m;
    }
    return std::nullopt;
}

// number_tags `(⑥\d{6,}⑥)`.
std::optional<Match> find_number_tag(u32v s, size_t from) {
    for (size_t p = from; p < s.size(); ++p) {
        if (s[p] != U'⑥') continue;
        size_t d = p + 1;
        while (d < s.size() && D(s[d])) ++d;
        if (d - (p + 1) < 6 || d >= s.size() || s[d] != U'⑥') continue;
        Match m;
        m.b = p;
        m.e = d + 1;
        m.groups = {u32(s.substr(p, m.e - p))};
        return m;
    }
    return std::nullopt;
}

std::vector<Match> findall(u32v s, Finder f) {
    std::vector<Match> out;
    size_t pos = 0;
    while (pos <= s.size()) {
        auto m = f(s, pos);
        if (!m) break;
        pos = m->e > m->b ? m->e : m->e + 1;  // (no pattern here matches empty)
        out.push_back(std::move(*m));
    }
    return out;
}

// re.split with one capturing group: [before, group, between, group, ..., after].
std::vector<u32> split_keep(u32v s, Finder f) {
    std::vector<u32> out;
    size_t pos = 0;
    for (const Match& m : findall(s, f)) {
        out.emplace_back(s.substr(pos, m.b - pos));
        out.emplace_back(s.substr(m.b, m.e - m.b));
        pos = m.e;
    }
    out.emplace_back(s.substr(pos));
    return out;
}

u32 remove_all(u32v s, Finder f) {
    u32 out;
    size_t pos = 0;
    for (const Match& m : findall(s, f)) {
        out.append(s.substr(pos, m.b - pos));
        pos = m.e;
    }
    out.append(s.substr(pos));
    return out;
}

// `([^\w\s]+)` as a finder.
std::optional<Match> find_punct(u32v s, size_t from) {
    for (size_t p = from; p < s.size(); ++p) {
        if (!PUNCT(s[p])) continue;
        size_t e = p;
        while (e < s.size() && PUNCT(s[e])) ++e;
        Match m;
        m.b = p;
        m.e = e;
        return m;
    }
    return std::nullopt;
}

// `(.*?[。.?？!！]+[\n]{,1})` (LangSegment's sentence splitter in preview mode).
const u32v kEnders = U"。.?？!！";
std::optional<Match> find_sentence(u32v s, size_t from) {
    size_t p = from;
    while (p < s.size()) {
        size_t q = p;
        while (q < s.size() && s[q] != '\n' && !in_set(s[q], kEnders)) ++q;
        if (q < s.size() && in_set(s[q], kEnders)) {
            size_t e = q;
            while (e < s.size() && in_set(s[e], kEnders)) ++e;
            if (e < s.size() && s[e] == '\n') ++e;
            Match m;
            m.b = p;
            m.e = e;
            return m;
        }
        // Every start in [p, q] fails the same way; the next chance is after the "\n".
        p = q + 1;
    }
    return std::nullopt;
}

u32 remove_newlines(u32v s) {
    u32 out;
    for (char32_t c : s)
        if (c != '\n') out.push_back(c);
    return out;
}

u32 remove_punct(u32v s) {
    u32 out;
    for (char32_t c : s)
        if (!PUNCT(c)) out.push_back(c);
    return out;
}

// _cleans_text: re.sub(r"(.*?)([^\w]+)", r"\1 ") puts one space for every run of non-word characters;
// re.sub(r"(.)\1+", r"\1") collapses runs of one repeated character ("." excludes "\n"); strip().
u32 cleans_text(u32v s) {
    u32 a;
    for (size_t i = 0; i < s.size();) {
        if (NW(s[i])) {
            while (i < s.size() && NW(s[i])) ++i;
            a.push_back(' ');
        } else {
            a.push_back(s[i++]);
        }
    }
    u32 b;
    for (size_t i = 0; i < a.size();) {
        b.push_back(a[i]);
        size_t j = i + 1;
        if (a[i] != '\n')
            while (j < a.size() && a[j] == a[i]) ++j;
        i = j;
    }
    return strip(b);
}

u32 remove_digits(u32v s) {
    u32 out;
    for (char32_t c : s)
        if (!D(c)) out.push_back(c);
    return out;
}

std::string low(std::string s) {
    // Python str.lower() of a language code (ASCII in practice; non-ASCII through py::lower).
    return py::lower_utf8(s);
}

bool contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

// Python round(x, 3): correctly rounded to 3 decimals (glibc's printf rounds the exact binary value
// the same way).
double round3(double x) {
    if (!std::isfinite(x)) return x;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.3f", x);
    return std::strtod(buf, nullptr);
}

// ---- the LangSegment object state for one getTexts() call ------------------------------------

struct Symbol {
    enum Kind { None, True, Ssml } kind = None;
    std::string ssml;
    bool operator==(const Symbol& o) const { return kind == o.kind && ssml == o.ssml; }
};

struct Word {
    std::string lang;
    u32 text;
    double score;
    Symbol symbol;
};

struct CacheEntry {
    int process;  // index into the process list
    Match match;
};

enum Proc { P_SYMBOL, P_KOREAN, P_THAI, P_RUSSIAN, P_NUMBER, P_ENGLISH, P_QUOTES, P_SPECIAL_QUOTES, P_COUNT };

class Run {
public:
    Run(const LanguageIdentifier& id, const std::vector<std::string>& filters)
        : id_(id), filters_(filters) {
        for (size_t i = 0; i < filters_.size(); ++i) filters_string_ += (i ? "-" : "") + filters_[i];
        filters_string_ = low(filters_string_);
        // strip() of an ASCII code list is a no-op.
    }

    std::vector<Word> parse_symbols(const u32& input) {
        // Preview mode is on: "fr" (and "vi") are in the filter list.
        std::vector<Word> words;
        const u32 cleaned = remove_all(input, &find_parse_tag);
        // re.findall(r".*\n*", ...): the pieces ending after each run of newlines (empty ones skipped below).
        std::vector<u32> lines;
        for (size_t i = 0; i < cleaned.size();) {
            size_t j = i;
            while (j < cleaned.size() && cleaned[j] != '\n') ++j;
            while (j < cleaned.size() && cleaned[j] == '\n') ++j;
            lines.emplace_back(cleaned.substr(i, j - i));
            i = j;
        }
        for (u32 text : lines) {
            if (blank(text)) continue;
            lang_eos_ = false;
            cache_.clear();
            for (int p = 0; p < P_COUNT; ++p) text = pattern_symbols(p, text);
            std::vector<Word> cur;
            process_tags(cur, text, true);
            if (cur.empty()) continue;
            // (The official merge with a preceding symbol word needs symbol == False, which never occurs.)
            for (auto& w : cur) words.push_back(std::move(w));
        }
        // _merge_results
        std::vector<Word> merged;
        for (auto& w : words) {
            if (!merged.empty() && merged.back().lang == w.lang) merged.back().text += w.text;
            else merged.push_back(std::move(w));
        }
        return merged;
    }

    // _lang_count in insertion order; `created` mirrors the defaultdict being created at all.
    std::vector<std::pair<std::string, long>> counts;
    bool counts_created = false;

private:
    static Finder finder(int p) {
        switch (p) {
        case P_SYMBOL: return &find_symbol;
        case P_KOREAN: return &find_tag_base<is_korean>;
        case P_THAI: return &find_tag_base<is_thai>;
        case P_RUSSIAN: return &find_tag_base<is_russian>;
        case P_NUMBER: return &find_number;
        case P_ENGLISH: return &find_tag_base<is_latin>;
        case P_QUOTES: return &find_quotes;
        default: return &find_special_quotes;
        }
    }
    static const char* tag_of(int p) {
        static const char* const tags[] = {"$1", "$6", "$8", "$7", "00", "$5", "$3", "$4"};
        return tags[p];
    }

    u32 pattern_symbols(int p, u32 text) {
        const Finder f = finder(p);
        const auto matches = findall(text, f);
        if (matches.size() == 1) {
            u32 joined;
            for (const auto& g : matches[0].groups) joined += g;
            if (joined == text) return text;
        }
        for (size_t i = 0; i < matches.size(); ++i) {
            char key8[32];
            std::snprintf(key8, sizeof key8, "%s%06zu", tag_of(p), i);
            const u32 key = U"⑥" + utf8::decode(key8) + U"⑥";
            // re.sub(pattern, key, text, count=1) searches the text as modified so far.
            if (auto m = f(text, 0)) text = text.substr(0, m->b) + key + text.substr(m->e);
            cache_[key] = CacheEntry{p, matches[i]};
        }
        return text;
    }

    void process_tags(std::vector<Word>& words, const u32& text, bool root) {
        const auto segments = split_keep(text, &find_parse_tag);
        const size_t last = segments.size() - 1;
        for (size_t i = 0; i < segments.size(); ++i) {
            if (root) lang_eos_ = i >= last;
            const u32& seg = segments[i];
            if (find_parse_tag(seg, 0) && find_parse_tag(seg, 0)->b == 0) {
                auto it = cache_.find(seg);
                if (it == cache_.end()) throw Error("LangSegment: KeyError");  // get_lang answers "en"
                const CacheEntry entry = it->second;
                dispatch(words, entry);
            } else {
                parse_language(words, seg);
            }
        }
    }

    void dispatch(std::vector<Word>& words, const CacheEntry& e) {
        const auto& g = e.match.groups;
        switch (e.process) {
        case P_SYMBOL: process_symbol(words, g); break;
        case P_KOREAN: addwords(words, "ko", g[0], 1.0); break;
        case P_THAI: addwords(words, "th", g[0], 1.0); break;
        case P_RUSSIAN: addwords(words, "ru", g[0], 1.0); break;
        case P_NUMBER: addwords(words, words.empty() ? "zh" : words[0].lang, g[0], 0.0); break;
        case P_ENGLISH: process_english(words, g[0]); break;
        default: process_quotes(words, g); break;
        }
    }

    void process_symbol(std::vector<Word>& words, const std::vector<u32>& g) {
        const std::string language = utf8::encode(g[1]);
        if (contains(filters_string_, language)) {
            addwords(words, language, g[2], 1.0, Symbol{Symbol::True, {}});
            return;
        }
        // _process_symbol_SSML: <telephone>/<number>/<currency>/<date> are read out in Chinese
        // (LangSSML); other names keep the text.
        u32 text = g[2];
        std::string lang = language;
        if (language == "telephone" || language == "number" || language == "currency" || language == "date") {
            lang = "zh";
            text = language == "telephone" ? ssml::telephone(text)
                   : language == "number"  ? ssml::number(text)
                   : language == "currency" ? ssml::currency(text)
                                            : ssml::date(text);
        }
        addwords(words, lang, text, 1.0, Symbol{Symbol::Ssml, language});
    }

    void process_english(std::vector<Word>& words, const u32& text) {
        for (const u32& piece : split_keep(text, &find_sentence)) {
            if (blank(piece)) continue;
            const u32 ct = cleans_text(piece);
            auto [language, score] = classify(ct);
            // Every py3langid answer is one of the filter codes, so the official fallbacks
            // (_mean_processing, the 0.95/0.15 rules) are never reached.
            if (!contains(filters_string_, language)) language = "en";
            addwords(words, language, piece, score);
        }
    }

    void process_quotes(std::vector<Word>& words, const std::vector<u32>& g) {
        u32 text;
        for (const auto& x : g) text += x;
        if (!findall(text, &find_parse_tag).empty()) {
            process_tags(words, text, false);
            return;
        }
        const u32 ct = cleans_text(g[1]);
        if (ct.size() <= 5) {
            parse_language(words, text);
        } else {
            auto [language, score] = classify(ct);
            addwords(words, language, text, score);
        }
    }

    std::pair<std::string, double> classify(const u32& text) const {
        auto r = id_.classify(utf8::encode(text));
        return {r.lang, round3(r.score)};
    }

    static std::pair<u32, bool> clear_text_number(const u32& text) {
        if (text == U"\n") return {text, false};
        u32 clear = strip(remove_punct(remove_newlines(text)));
        return {clear, remove_digits(clear).empty()};
    }

    void statistics(const std::string& language, const u32& text) {
        counts_created = true;
        if (contains(language, "|")) return;
        const long n = long(text.size()) * (language == "zh" ? 2 : 1);
        for (auto& [l, c] : counts)
            if (l == language) {
                c += n;
                return;
            }
        counts.emplace_back(language, n);
    }

    // _saveData; returns a copy of the dict it returns (only its lang is used by the caller).
    Word save_data(std::vector<Word>& words, std::string language, u32 text, double score, Symbol symbol) {
        const auto [clear, is_number] = clear_text_number(text);
        if (symbol.kind != Symbol::None) {
        } else if (!words.empty() && words.back().symbol.kind == Symbol::None) {
            Word& pre = words.back();
            if (clear.empty()) language = pre.lang;
            else if (is_number) language = pre.lang;
            const bool pre_is_number = clear_text_number(pre.text).second;
            if (pre.lang == language) {
                statistics(pre.lang, text);
                pre.text += text;
                return pre;
            } else if (pre_is_number) {
                text = pre.text + text;
                words.pop_back();
            }
        } else if (is_number) {
            const std::string priority = filters_string_.substr(0, 2);
            if (contains("ja-zh-en-ko-fr-vi", priority)) language = priority;
        }
        Word data{language, text, score, symbol};
        bool keep = filters_.empty() || contains(language, "?");
        for (const auto& f : filters_) keep = keep || f == language;
        if (!filters_.empty())
            keep = keep || contains(filters_[0], language) || filters_[0] == "*" || contains("alls-mixs-autos", filters_[0]);
        if (keep) {
            words.push_back(data);
            statistics(data.lang, data.text);
        }
        return data;
    }

    static u32 insert_english_uppercase(const u32& w) {
        // re.sub(r"(?<!\b)([A-Z])", r" \1"): a space before every A-Z that follows a \w character.
        u32 out;
        for (size_t i = 0; i < w.size(); ++i) {
            if (w[i] >= 'A' && w[i] <= 'Z' && i > 0 && W(w[i - 1])) out.push_back(' ');
            out.push_back(w[i]);
        }
        size_t a = 0, b = out.size();  // .strip("-")
        while (a < b && out[a] == '-') ++a;
        while (b > a && out[b - 1] == '-') --b;
        return out.substr(a, b - a) + U" ";
    }

    void addwords(std::vector<Word>& words, std::string language, u32 text, double score, Symbol symbol = {}) {
        if (text == U"\n") {
        } else if (blank(text)) {
            return;
        }
        language = low(language);
        if (language == "en") text = insert_english_uppercase(text);
        const bool ispre_waits = !waits_.empty();
        std::optional<Word> pre;
        Word* pre_in_words = nullptr;
        if (ispre_waits) {
            pre = waits_.back();
            waits_.pop_back();
        } else if (!words.empty()) {
            pre = words.back();
            pre_in_words = &words.back();
        }
        if (pre && contains(pre->lang, "|")) {
            const std::string pre_lang = pre->lang;
            if (contains(pre_lang, language)) pre->lang = language = language.substr(0, language.find('|'));
            else pre->lang = pre_lang.substr(0, pre_lang.find('|'));
            if (pre_in_words) pre_in_words->lang = pre->lang;  // the dict is shared with the list
            if (ispre_waits) pre = save_data(words, pre->lang, pre->text, pre->score, pre->symbol);
        }
        const std::optional<std::string> pre_lang = pre ? std::optional<std::string>(pre->lang) : std::nullopt;
        if (contains(language, "|") && pre_lang && !pre_lang->empty() && !contains(language, *pre_lang) &&
            !contains(language, "…"))
            language = language.substr(0, language.find('|'));
        if (contains(language, "|")) waits_.push_back(Word{language, text, score, symbol});
        else save_data(words, language, text, score, symbol);
    }

    void parse_language(std::vector<Word>& words, const u32& segment) {
        const std::string LANG_JA = "ja", LANG_ZH = "zh";
        std::string language = LANG_ZH;
        std::vector<u32> lines = split_keep(segment, &find_punct);
        const size_t lines_max = lines.size();
        const bool LANG_EOS = lang_eos_;
        for (size_t index = 0; index < lines.size(); ++index) {
            const u32 text = lines[index];
            if (text.empty()) continue;
            const bool EOS = index + 1 >= lines_max;
            const size_t next_id = index + 1;
            const u32 next_text = EOS ? u32() : lines[next_id];
            const bool next_punc = strip(remove_punct(remove_newlines(next_text))).empty();
            const bool text_punc = strip(remove_punct(remove_newlines(text))).empty();
            if (!EOS && (text_punc || next_punc)) {
                lines[next_id] = text + next_text;
                continue;
            }
            u32 ct = remove_all(text, &find_number_tag);
            ct = remove_digits(ct);
            ct = cleans_text(ct);
            if (!EOS && ct.size() <= 2) {
                lines[next_id] = text + next_text;
                continue;
            }
            auto [lang, score] = classify(ct);
            language = lang;
            const std::optional<std::string> prev_language =
                words.empty() ? std::nullopt : std::optional<std::string>(words.back().lang);
            bool all_han = true;
            for (char32_t c : ct)
                if (!S(c) && !(c >= 0x4E00 && c <= 0x9FFF)) all_han = false;
            if (language != LANG_ZH && all_han) {
                language = LANG_ZH;
                score = 1;
            }
            bool is_chinese = false, has_kana = false;
            for (char32_t c : ct) {
                is_chinese |= c >= 0x4E00 && c <= 0x9FFF;
                has_kana |= c >= 0x3040 && c <= 0x30FF;
            }
            if (ct.size() <= 5 && is_chinese) {
                if (score < 0.89 && !filters_string_.empty()) {
                    const size_t ija = filters_string_.find(LANG_JA), izh = filters_string_.find(LANG_ZH);
                    const long ja = ija == std::string::npos ? -1 : long(ija), zh = izh == std::string::npos ? -1 : long(izh);
                    if (ja != -1 && ja < zh) language = LANG_JA;
                    else if (zh != -1 && zh < ja) language = LANG_ZH;
                }
                if (has_kana) {
                    language = LANG_JA;
                } else if (ct.size() > 2 && score > 0.90) {
                } else if (EOS && LANG_EOS) {
                    language = ct.size() <= 1 ? LANG_ZH : language;
                } else {
                    const std::string unknown =
                        (language == LANG_ZH || (ct.size() <= 2 && prev_language && *prev_language == LANG_ZH))
                            ? "zh|ja" : "ja|zh";
                    // _match_ending(text, -1): the last non-space character.
                    u32 nospace;
                    for (char32_t c : text)
                        if (!S(c)) nospace.push_back(c);
                    if (nospace.empty()) throw Error("LangSegment: TypeError");  // `None in "。."`
                    const char32_t last = nospace.back();
                    const bool referen = (prev_language && !prev_language->empty())
                                             ? (contains(unknown, *prev_language) || contains(*prev_language, unknown))
                                             : false;
                    if (last == U'。' || last == U'.') {
                        if (referen && !words.empty()) language = *prev_language;
                    } else {
                        language = unknown + "|…";
                    }
                }
            }
            // re.subn(number_tags, self._restore_number, text)
            u32 restored;
            size_t pos = 0;
            for (const Match& m : findall(text, &find_number_tag)) {
                restored += text.substr(pos, m.b - pos);
                u32 value = text.substr(m.b, m.e - m.b);
                if (auto it = cache_.find(value); it != cache_.end()) value = it->second.match.groups[0];
                restored += value;
                pos = m.e;
            }
            restored += text.substr(pos);
            addwords(words, language, restored, score);
        }
    }

    const LanguageIdentifier& id_;
    const std::vector<std::string>& filters_;
    std::string filters_string_;
    bool lang_eos_ = false;
    std::map<u32, CacheEntry> cache_;
    std::vector<Word> waits_;
};

}  // namespace

LangSegment::LangSegment(const std::filesystem::path& langid_model) : id_(LanguageIdentifier::from_file(langid_model)) {}
LangSegment::LangSegment(LanguageIdentifier id) : id_(std::move(id)) {}
LangSegment::~LangSegment() = default;

LangSegment::Result LangSegment::segment(const std::string& text_utf8) const {
    Result r;
    const u32 text = utf8::decode(text_utf8);
    if (blank(text)) {  // getTexts clears its state; getCounts then answers [("zh", 0)]
        r.counts = {{"zh", 0}};
        return r;
    }
    // language_filters.default: py3langid's 97 codes in alphabetical order (the model's class list).
    Run run(id_, id_.classes());
    const auto words = run.parse_symbols(text);
    for (const auto& w : words) r.segments.push_back({w.lang, utf8::encode(w.text), w.score});
    if (!run.counts.empty()) {
        std::vector<std::pair<std::string, long>> c = run.counts;
        std::stable_sort(c.begin(), c.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
        for (const auto& [l, n] : c) r.counts.emplace_back(l, int(n));
    } else if (!run.counts_created) {
        // getCounts from the segments (none here: every appended word is counted).
        r.counts = {{"zh", 0}};
    }
    // counts created but empty: getCounts returns an empty defaultdict and get_lang raises -> "en".
    return r;
}

std::string LangSegment::get_lang(const std::string& text) const {
    try {
        const Result r = segment(text);
        if (r.counts.empty()) return "en";
        std::string lang = r.counts[0].first;
        if (r.counts.size() > 1 && lang == "en") lang = r.counts[1].first;
        return lang;
    } catch (const Error&) {
        return "en";
    }
}

}  // namespace acestep::text
