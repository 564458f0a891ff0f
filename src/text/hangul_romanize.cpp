// hangul_romanize: hangul-romanize 0.1.0 Transliter(academic).translit(text), exact.
//
// Each precomposed syllable (가..힣) becomes initial + vowel + final in the Revised Romanization
// letters, letter by letter: no sound-change (batchim assimilation) rules at all, so 밥이 -> bab-i,
// 먹는 -> meogneun. A '-' goes before a syllable that follows another syllable (not across spaces or
// other characters) when its initial is ㅇ, or when the previous final + this initial spell a
// letter string that splits into final+initial in more than one way (e.g. final ''+ initial 'kk'
// reads as 'k'+'k': 아까 -> a-kka). Everything else (jamo, Latin, spaces) passes through unchanged.
// An empty text throws acestep::Error: translit('') raises UnboundLocalError in Python (its final
// rule call reads a loop variable that was never set), so the official pipeline drops such a line.
#include <array>
#include <set>
#include <string>

#include "acestep/error.h"
#include "text/cleaners.h"
#include "text/utf8.h"

namespace acestep::text {
namespace {

const std::array<const char*, 19> kInitials = {"g", "kk", "n", "d", "tt", "l", "m", "b", "pp", "s",
                                               "ss", "", "j", "jj", "ch", "k", "t", "p", "h"};
const std::array<const char*, 21> kVowels = {"a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae",
                                             "oe", "yo", "u", "wo", "we", "wi", "yu", "eu", "ui", "i"};
const std::array<const char*, 28> kFinals = {"", "g", "kk", "gs", "n", "nj", "nh", "d", "l", "lg",
                                             "lm", "lb", "ls", "lt", "lp", "lh", "m", "b", "bs", "s",
                                             "ss", "ng", "j", "ch", "k", "t", "p", "h"};

template <size_t N>
bool contains(const std::array<const char*, N>& list, const std::string& s) {
    for (const char* x : list)
        if (s == x) return true;
    return false;
}

// academic_ambiguous_patterns(): final+initial strings with two or more final|initial splits.
const std::set<std::string>& ambiguous() {
    static const std::set<std::string> out = [] {
        std::set<std::string> r;
        for (const char* f : kFinals)
            for (const char* in : kInitials) {
                const std::string combined = std::string(f) + in;
                bool seen = false;
                for (size_t i = 0; i < combined.size(); ++i) {  // Python: range(len(combined))
                    if (contains(kFinals, combined.substr(0, i)) && contains(kInitials, combined.substr(i))) {
                        if (!seen) {
                            seen = true;
                        } else {
                            r.insert(combined);
                            break;
                        }
                    }
                }
            }
        return r;
    }();
    return out;
}

bool is_syllable(char32_t c) { return c >= 0xAC00 && c <= 0xD7A3; }

}  // namespace

std::string hangul_romanize(const std::string& text) {
    if (text.empty()) throw Error("hangul_romanize: empty text (the Python transliterator raises on it)");
    std::string out;
    out.reserve(text.size() * 2);
    char32_t prev = 0;  // the previous code point, 0 at the start
    for (size_t i = 0; i < text.size();) {
        const char32_t c = utf8::next(text, i);
        if (!is_syllable(c)) {
            utf8::append(out, c);
            prev = c;
            continue;
        }
        const int index = (int)(c - 0xAC00);
        const int initial = index / 588, vowel = (index / 28) % 21, final = index % 28;
        if (is_syllable(prev)) {
            const int prev_final = (int)(prev - 0xAC00) % 28;
            if (initial == 11 || ambiguous().count(std::string(kFinals[prev_final]) + kInitials[initial]))
                out += '-';
        }
        out += kInitials[initial];
        out += kVowels[vowel];
        out += kFinals[final];
        prev = c;
    }
    return out;
}

}  // namespace acestep::text
