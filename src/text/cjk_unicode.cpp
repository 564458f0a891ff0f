// Unicode helpers for the CJK transforms (see cjk_unicode.h). NFKC follows UAX #15: full
// compatibility decomposition (table, plus algorithmic Hangul), canonical ordering by combining
// class, then canonical composition with the primary-composite table and Hangul LV/LVT rules.
#include "text/cjk_unicode.h"

#include <algorithm>
#include <cstdint>

namespace acestep::text::cjk {
namespace {

struct DigitRange { char32_t first, last; int value; };
struct CpRange { char32_t first, last; };
struct MapEntry { char32_t cp; uint32_t offset, count; };
struct CccEntry { char32_t cp; uint8_t ccc; };
struct CompEntry { char32_t first, second, composite; };

#include "text/tables/cjk_unicode_tables.inc"

template <class T, size_t N>
const T* find_cp(const T (&table)[N], char32_t c) {
    auto it = std::lower_bound(table, table + N, c, [](const T& e, char32_t v) { return e.cp < v; });
    return (it != table + N && it->cp == c) ? it : nullptr;
}

template <class R, size_t N>
const R* find_range(const R (&table)[N], char32_t c) {
    auto it = std::upper_bound(table, table + N, c, [](char32_t v, const R& r) { return v < r.first; });
    if (it == table) return nullptr;
    --it;
    return (c <= it->last) ? it : nullptr;
}

constexpr char32_t kSBase = 0xAC00, kLBase = 0x1100, kVBase = 0x1161, kTBase = 0x11A7;
constexpr int kLCount = 19, kVCount = 21, kTCount = 28, kNCount = kVCount * kTCount,
              kSCount = kLCount * kNCount;

int ccc(char32_t c) {
    if (c < 0x300) return 0;
    const CccEntry* e = find_cp(kCcc, c);
    return e ? e->ccc : 0;
}

void decompose(char32_t c, std::u32string& out) {
    if (c >= kSBase && c < kSBase + (char32_t)kSCount) {
        const int s = (int)(c - kSBase);
        out.push_back(kLBase + s / kNCount);
        out.push_back(kVBase + (s % kNCount) / kTCount);
        if (s % kTCount) out.push_back(kTBase + s % kTCount);
        return;
    }
    if (c >= 0xA0) {
        if (const MapEntry* e = find_cp(kNfkdMap, c)) {
            out.append(kNfkdPool + e->offset, e->count);
            return;
        }
    }
    out.push_back(c);
}

char32_t compose_pair(char32_t a, char32_t b) {
    if (a >= kLBase && a < kLBase + kLCount && b >= kVBase && b < kVBase + kVCount)
        return kSBase + ((a - kLBase) * kVCount + (b - kVBase)) * kTCount;
    if (a >= kSBase && a < kSBase + (char32_t)kSCount && (a - kSBase) % kTCount == 0 && b > kTBase &&
        b < kTBase + kTCount)
        return a + (b - kTBase);
    auto it = std::lower_bound(std::begin(kCompose), std::end(kCompose), std::make_pair(a, b),
                               [](const CompEntry& e, const std::pair<char32_t, char32_t>& v) {
                                   return e.first != v.first ? e.first < v.first : e.second < v.second;
                               });
    if (it != std::end(kCompose) && it->first == a && it->second == b) return it->composite;
    return 0;
}

}  // namespace

bool is_decimal(char32_t c) { return decimal_value(c) >= 0; }

int decimal_value(char32_t c) {
    if (c >= '0' && c <= '9') return (int)(c - '0');
    if (c < 0x660) return -1;
    const DigitRange* r = find_range(kDecimalRanges, c);
    return r ? r->value + (int)(c - r->first) : -1;
}

bool is_digit(char32_t c) {
    if (c < 0x80) return c >= '0' && c <= '9';
    return find_range(kIsDigitRanges, c) != nullptr;
}

bool is_space(char32_t c) {
    switch (c) {
        case 0x09: case 0x0A: case 0x0B: case 0x0C: case 0x0D: case 0x1C: case 0x1D: case 0x1E:
        case 0x1F: case 0x20: case 0x85: case 0xA0: case 0x1680: case 0x2028: case 0x2029:
        case 0x202F: case 0x205F: case 0x3000:
            return true;
        default:
            return c >= 0x2000 && c <= 0x200A;
    }
}

std::u32string lower(std::u32string_view s) {
    std::u32string out;
    out.reserve(s.size());
    for (char32_t c : s) {
        if (c < 0x80) {
            out.push_back((c >= 'A' && c <= 'Z') ? c + 32 : c);
        } else if (const MapEntry* e = find_cp(kLowerMap, c)) {
            out.append(kLowerPool + e->offset, e->count);
        } else {
            out.push_back(c);
        }
    }
    return out;
}

std::u32string nfkc(std::u32string_view s) {
    std::u32string d;
    d.reserve(s.size());
    for (char32_t c : s) decompose(c, d);
    // Canonical ordering: stable sort of each run of non-starters by combining class.
    for (size_t i = 0; i < d.size();) {
        if (ccc(d[i]) == 0) {
            ++i;
            continue;
        }
        size_t j = i;
        while (j < d.size() && ccc(d[j]) != 0) ++j;
        std::stable_sort(d.begin() + i, d.begin() + j,
                         [](char32_t a, char32_t b) { return ccc(a) < ccc(b); });
        i = j;
    }
    // Canonical composition (the UAX #15 reference algorithm).
    std::u32string out;
    if (d.empty()) return out;
    out.reserve(d.size());
    size_t starter_pos = 0;
    char32_t starter = d[0];
    int last_class = ccc(d[0]) ? 256 : 0;
    out.push_back(d[0]);
    for (size_t i = 1; i < d.size(); ++i) {
        const char32_t ch = d[i];
        const int cls = ccc(ch);
        const char32_t comp = compose_pair(starter, ch);
        if (comp && (last_class < cls || last_class == 0)) {
            out[starter_pos] = comp;
            starter = comp;
            continue;
        }
        if (cls == 0) {
            starter_pos = out.size();
            starter = ch;
        }
        last_class = cls;
        out.push_back(ch);
    }
    return out;
}

}  // namespace acestep::text::cjk
