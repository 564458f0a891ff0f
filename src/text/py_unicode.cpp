// CPython str / re character classes from generated tables (see py_unicode.h).
#include "text/py_unicode.h"

#include <algorithm>
#include <cstdint>

#include "text/utf8.h"

namespace acestep::text::py {
namespace {

struct CpRange {
    char32_t lo, hi;
};
struct LowerEntry {
    char32_t cp;
    unsigned offset;
    unsigned len;
};

#include "text/tables/py_unicode_tables.inc"

template <size_t N>
bool in_ranges(const CpRange (&r)[N], char32_t c) {
    const CpRange* end = r + N;
    const CpRange* it = std::upper_bound(r, end, c, [](char32_t v, const CpRange& x) { return v < x.lo; });
    return it != r && c <= (it - 1)->hi;
}

// ASCII answers of the three hot classes, read off the same tables once (lyrics are mostly ASCII;
// the binary search per character was the front end's largest single cost).
enum : uint8_t { kAsciiWord = 1, kAsciiDecimal = 2, kAsciiSpace = 4 };
struct AsciiClasses {
    uint8_t bits[128] = {};
    AsciiClasses() {
        for (char32_t c = 0; c < 128; ++c)
            bits[c] = uint8_t((in_ranges(kWord, c) ? kAsciiWord : 0) | (in_ranges(kDecimal, c) ? kAsciiDecimal : 0) |
                              (in_ranges(kSpace, c) ? kAsciiSpace : 0));
    }
};
const uint8_t* ascii_classes() {  // function-local: safe from other files' static initialisers
    static const AsciiClasses t;
    return t.bits;
}

bool is_case_ignorable(char32_t c) { return in_ranges(kCaseIgnorable, c); }
// Only consulted for characters that are not case-ignorable (those are skipped first).
bool is_cased(char32_t c) { return in_ranges(kCasedNonIgnorable, c); }

// CPython unicodeobject.c handle_capital_sigma().
char32_t lower_sigma(std::u32string_view s, size_t i) {
    size_t j = i;
    char32_t c = 0;
    bool found = false;
    while (j > 0) {
        c = s[--j];
        if (!is_case_ignorable(c)) {
            found = true;
            break;
        }
    }
    bool final_sigma = found && is_cased(c);
    if (final_sigma && i + 1 < s.size()) {
        size_t k = i + 1;
        for (; k < s.size(); ++k) {
            c = s[k];
            if (!is_case_ignorable(c)) break;
        }
        final_sigma = k == s.size() || !is_cased(c);
    }
    return final_sigma ? 0x3C2 : 0x3C3;
}

}  // namespace

const char* unicode_version() { return PY_UNICODE_TABLES_VERSION; }

bool is_word(char32_t c) { return c < 128 ? (ascii_classes()[c] & kAsciiWord) != 0 : in_ranges(kWord, c); }
bool is_decimal(char32_t c) { return c < 128 ? (ascii_classes()[c] & kAsciiDecimal) != 0 : in_ranges(kDecimal, c); }
bool is_space(char32_t c) { return c < 128 ? (ascii_classes()[c] & kAsciiSpace) != 0 : in_ranges(kSpace, c); }

std::u32string lower(std::u32string_view s) {
    std::u32string out;
    out.reserve(s.size());
    const LowerEntry* begin = kLower;
    const LowerEntry* end = kLower + sizeof(kLower) / sizeof(kLower[0]);
    for (size_t i = 0; i < s.size(); ++i) {
        const char32_t c = s[i];
        if (c < 0x80) {
            out.push_back(c >= 'A' && c <= 'Z' ? c + 32 : c);
            continue;
        }
        if (c == 0x3A3) {
            out.push_back(lower_sigma(s, i));
            continue;
        }
        const LowerEntry* it =
            std::lower_bound(begin, end, c, [](const LowerEntry& e, char32_t v) { return e.cp < v; });
        if (it != end && it->cp == c)
            out.append(kLowerPool + it->offset, it->len);
        else
            out.push_back(c);
    }
    return out;
}

std::string lower_utf8(std::string_view s) { return utf8::encode(lower(utf8::decode(s))); }

std::u32string strip(std::u32string_view s) {
    size_t a = 0, b = s.size();
    while (a < b && is_space(s[a])) ++a;
    while (b > a && is_space(s[b - 1])) --b;
    return std::u32string(s.substr(a, b - a));
}

bool word_boundary(std::u32string_view s, size_t i) {
    const bool before = i > 0 && is_word(s[i - 1]);
    const bool after = i < s.size() && is_word(s[i]);
    return before != after;
}

}  // namespace acestep::text::py
