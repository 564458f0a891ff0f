// Pinyin: pypinyin 0.53.0 `pinyin(text, style=TONE3, heteronym=False, neutral_tone_with_five=True)`
// with the syllables joined without separators, exact to the official chinese_transliterate().
//
// Pipeline (pypinyin's Pinyin.pinyin with UltimateConverter):
//   1. simple_seg: split into runs of "Han" code points (RE_HANS ranges) and runs of anything else;
//      non-Han runs pass through unchanged (errors='default').
//   2. mmseg forward maximum matching over the phrase dictionary's prefix set (no_non_phrases):
//      when the longest prefix is not itself a phrase, only its first character is emitted and
//      matching restarts at the next one.
//   3. A word found in phrases_dict takes the first reading of each item; otherwise each character
//      takes the first reading of pinyin_dict, and a Han code point without an entry stays itself.
//   4. TONE3: tone marks become digits (ā -> a1, ü -> v, ḿ -> m2, ê̄ -> ê1) and the digit moves to
//      the end when the syllable is [a-z]+; a syllable without a digit gets '5' appended — so a
//      dictionary-less Han character comes out as itself followed by '5', as in pypinyin.
// Data: pinyin_dict.json and phrases_dict.json from pypinyin 0.53.0 (read with a small dedicated
// JSON scanner: the phrase dictionary is 2.5 MB).
#include <algorithm>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "acestep/error.h"
#include "text/cleaners.h"
#include "text/utf8.h"

namespace acestep::text {
namespace {

using std::u32string;
using std::u32string_view;

// pypinyin.constants.RE_HANS (wide build), one code point at a time.
bool is_han(char32_t c) {
    return c == 0x3007 || (c >= 0xE815 && c <= 0xE864) || c == 0xFA18 || (c >= 0x3400 && c <= 0x4DBF) ||
           (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x2A6DF) ||
           (c >= 0x2A703 && c <= 0x2B73F) || (c >= 0x2B740 && c <= 0x2B81D) || (c >= 0x2B825 && c <= 0x2BF6E) ||
           (c >= 0x2C029 && c <= 0x2CE93) || c == 0x2D016 || (c >= 0x2D11B && c <= 0x2EBD9) ||
           (c >= 0x2F80A && c <= 0x2FA1F) || (c >= 0x300F7 && c <= 0x31288) || c == 0x30EDD || c == 0x30EDE;
}

// Minimal JSON scanner for the two dictionary files: objects, arrays and strings only.
class Scanner {
public:
    Scanner(std::string text, std::string name) : s_(std::move(text)), name_(std::move(name)) {}

    void expect(char c) {
        ws();
        if (i_ >= s_.size() || s_[i_] != c) fail(std::string("expected '") + c + "'");
        ++i_;
    }
    // Consumes c if it is next.
    bool accept(char c) {
        ws();
        if (i_ < s_.size() && s_[i_] == c) {
            ++i_;
            return true;
        }
        return false;
    }
    std::string string() {
        ws();
        if (i_ >= s_.size() || s_[i_] != '"') fail("expected a string");
        ++i_;
        std::string out;
        while (true) {
            if (i_ >= s_.size()) fail("unterminated string");
            const char c = s_[i_++];
            if (c == '"') return out;
            if (c != '\\') {
                out.push_back(c);
                continue;
            }
            if (i_ >= s_.size()) fail("bad escape");
            const char e = s_[i_++];
            switch (e) {
                case '"': case '\\': case '/': out.push_back(e); break;
                case 'b': out.push_back('\b'); break;
                case 'f': out.push_back('\f'); break;
                case 'n': out.push_back('\n'); break;
                case 'r': out.push_back('\r'); break;
                case 't': out.push_back('\t'); break;
                case 'u': {
                    char32_t cp = hex4();
                    if (cp >= 0xD800 && cp <= 0xDBFF && i_ + 1 < s_.size() && s_[i_] == '\\' && s_[i_ + 1] == 'u') {
                        i_ += 2;
                        const char32_t lo = hex4();
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    }
                    utf8::append(out, cp);
                    break;
                }
                default: fail("bad escape");
            }
        }
    }
    bool at_end() {
        ws();
        return i_ >= s_.size();
    }
    [[noreturn]] void fail(const std::string& what) const {
        throw Error(name_ + ": malformed JSON at byte " + std::to_string(i_) + ": " + what);
    }

private:
    void ws() {
        while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\r' || s_[i_] == '\t')) ++i_;
    }
    char32_t hex4() {
        if (i_ + 4 > s_.size()) fail("bad \\u escape");
        char32_t v = 0;
        for (int k = 0; k < 4; ++k) {
            const char h = s_[i_++];
            v <<= 4;
            if (h >= '0' && h <= '9') v |= (char32_t)(h - '0');
            else if (h >= 'a' && h <= 'f') v |= (char32_t)(h - 'a' + 10);
            else if (h >= 'A' && h <= 'F') v |= (char32_t)(h - 'A' + 10);
            else fail("bad \\u escape");
        }
        return v;
    }

    std::string s_;
    std::string name_;
    size_t i_ = 0;
};

std::string read_file(const std::filesystem::path& p) {
    std::ifstream f(p, std::ios::binary);
    if (!f) throw Error(p.string() + ": cannot open (pypinyin data file missing)");
    std::ostringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

// pypinyin.style.tone.ToneConverter.to_tone3 followed by NeutralToneWith5Mixin (TONE3).
std::string tone3_syllable(const std::string& reading) {
    const u32string in = utf8::decode(reading);
    u32string t;
    t.reserve(in.size() + 1);
    for (char32_t c : in) {
        switch (c) {
            case U'ā': t += U"a1"; break;
            case U'á': t += U"a2"; break;
            case U'ǎ': t += U"a3"; break;
            case U'à': t += U"a4"; break;
            case U'ē': t += U"e1"; break;
            case U'é': t += U"e2"; break;
            case U'ě': t += U"e3"; break;
            case U'è': t += U"e4"; break;
            case U'ō': t += U"o1"; break;
            case U'ó': t += U"o2"; break;
            case U'ǒ': t += U"o3"; break;
            case U'ò': t += U"o4"; break;
            case U'ī': t += U"i1"; break;
            case U'í': t += U"i2"; break;
            case U'ǐ': t += U"i3"; break;
            case U'ì': t += U"i4"; break;
            case U'ū': t += U"u1"; break;
            case U'ú': t += U"u2"; break;
            case U'ǔ': t += U"u3"; break;
            case U'ù': t += U"u4"; break;
            case U'ü': t += U"v"; break;
            case U'ǖ': t += U"v1"; break;
            case U'ǘ': t += U"v2"; break;
            case U'ǚ': t += U"v3"; break;
            case U'ǜ': t += U"v4"; break;
            case U'ń': t += U"n2"; break;
            case U'ň': t += U"n3"; break;
            case U'ǹ': t += U"n4"; break;
            case U'ḿ': t += U"m2"; break;
            case U'ế': t += U"ê2"; break;
            case U'ề': t += U"ê4"; break;
            default: t.push_back(c);
        }
    }
    // The two-code-point symbols, replaced after the single ones as str.replace does.
    static const std::pair<u32string, u32string> multi[] = {
        {U"m\u0304", U"m1"}, {U"m\u0300", U"m4"}, {U"\u00ea\u0304", U"\u00ea1"}, {U"\u00ea\u030c", U"\u00ea3"}};
    for (const auto& [from, to] : multi)
        for (size_t at = t.find(from); at != u32string::npos; at = t.find(from, at + to.size()))
            t.replace(at, from.size(), to);
    // RE_TONE3 = ^([a-z]+)([1-4])([a-z]*)$  ->  \1\3\2
    size_t k = 0;
    while (k < t.size() && t[k] >= U'a' && t[k] <= U'z') ++k;
    if (k > 0 && k < t.size() && t[k] >= U'1' && t[k] <= U'4') {
        size_t j = k + 1;
        while (j < t.size() && t[j] >= U'a' && t[j] <= U'z') ++j;
        if (j == t.size()) {
            const char32_t tone = t[k];
            t.erase(k, 1);
            t.push_back(tone);
        }
    }
    bool has_digit = false;
    for (char32_t c : t) has_digit |= (c >= U'0' && c <= U'9');
    std::string out = utf8::encode(t);
    if (!has_digit) out += '5';  // neutral tone (readings only ever hold ASCII digits)
    return out;
}

}  // namespace

struct Pinyin::Impl {
    // Raw (tone-marked) first readings; TONE3 conversion happens when a syllable is emitted.
    std::unordered_map<char32_t, std::string> single;
    // Phrase keys (UTF-8) sorted bytewise: a binary search answers both "is a phrase" and "is a
    // prefix of some phrase" (UTF-8 keeps code-point prefixes and order), with no prefix set.
    struct Phrase {
        std::string key;
        uint32_t offset, count;  // into readings
    };
    std::vector<Phrase> phrases;
    std::vector<std::string> readings;

    void load(const std::filesystem::path& dir) {
        {
            const auto path = dir / "pinyin_dict.json";
            Scanner sc(read_file(path), path.string());
            single.reserve(48000);
            sc.expect('{');
            if (!sc.accept('}')) {
                do {
                    const std::string key = sc.string();
                    sc.expect(':');
                    std::string value = sc.string();
                    char32_t cp = 0;
                    for (char ch : key) {
                        if (ch < '0' || ch > '9' || cp > 0x10FFFF) sc.fail("bad code point key");
                        cp = cp * 10 + (char32_t)(ch - '0');
                    }
                    const size_t comma = value.find(',');
                    if (comma != std::string::npos) value.resize(comma);
                    single[cp] = std::move(value);
                } while (sc.accept(','));
                sc.expect('}');
            }
            if (!sc.at_end()) sc.fail("trailing data");
        }
        {
            const auto path = dir / "phrases_dict.json";
            Scanner sc(read_file(path), path.string());
            phrases.reserve(50000);
            readings.reserve(150000);
            sc.expect('{');
            if (!sc.accept('}')) {
                do {
                    Phrase ph{sc.string(), (uint32_t)readings.size(), 0};
                    sc.expect(':');
                    sc.expect('[');
                    if (!sc.accept(']')) {
                        do {
                            sc.expect('[');
                            bool have = false;
                            if (!sc.accept(']')) {
                                do {
                                    std::string r = sc.string();
                                    if (!have) readings.push_back(std::move(r)), have = true;
                                } while (sc.accept(','));
                                sc.expect(']');
                            }
                            if (!have) sc.fail("empty reading list");
                            ++ph.count;
                        } while (sc.accept(','));
                        sc.expect(']');
                    }
                    phrases.push_back(std::move(ph));
                } while (sc.accept(','));
                sc.expect('}');
            }
            if (!sc.at_end()) sc.fail("trailing data");
            std::sort(phrases.begin(), phrases.end(), [](const Phrase& x, const Phrase& y) { return x.key < y.key; });
        }
    }

    const Phrase* lower_bound(const std::string& key) const {
        auto it = std::lower_bound(phrases.begin(), phrases.end(), key,
                                   [](const Phrase& p, const std::string& k) { return p.key < k; });
        return it == phrases.end() ? nullptr : &*it;
    }
    const Phrase* phrase(u32string_view word) const {
        const std::string k = utf8::encode(word);
        const Phrase* p = lower_bound(k);
        return p && p->key == k ? p : nullptr;
    }
    bool is_prefix(u32string_view word) const {
        const std::string k = utf8::encode(word);
        const Phrase* p = lower_bound(k);
        return p && p->key.compare(0, k.size(), k) == 0;
    }

    // DefaultConverter.convert for one Han word.
    void convert(u32string_view word, std::string& out) const {
        if (const Phrase* p = phrase(word)) {
            for (uint32_t k = 0; k < p->count; ++k) out += tone3_syllable(readings[p->offset + k]);
            return;
        }
        for (char32_t c : word) {
            auto s = single.find(c);
            if (s != single.end()) {
                out += tone3_syllable(s->second);
            } else {
                utf8::append(out, c);
                out += '5';
            }
        }
    }

    // mmseg.Seg.cut with no_non_phrases = True (pypinyin >= 0.40 form): the longest prefix-set match
    // is emitted when it is a phrase; otherwise only its first character is emitted and matching
    // restarts at the second one (so 了一百个 still finds 一百).
    void cut(u32string_view text, std::string& out) const {
        u32string_view remain = text;
        while (!remain.empty()) {
            size_t matched = 0;  // length of the longest prefix-set match so far
            bool done = false;
            for (size_t index = 0; index < remain.size(); ++index) {
                if (is_prefix(remain.substr(0, index + 1))) {
                    matched = index + 1;
                    continue;
                }
                if (matched && phrase(remain.substr(0, matched))) {
                    convert(remain.substr(0, matched), out);
                    remain = remain.substr(index);
                } else {
                    convert(remain.substr(0, 1), out);
                    remain = remain.substr(1);
                }
                done = true;
                break;
            }
            if (!done) {  // the whole remainder is a prefix: a phrase, or single characters
                if (phrase(remain)) {
                    convert(remain, out);
                } else {
                    for (size_t k = 0; k < remain.size(); ++k) convert(remain.substr(k, 1), out);
                }
                break;
            }
        }
    }
};

Pinyin::Pinyin(const std::filesystem::path& data_dir) : impl_(std::make_unique<Impl>()) { impl_->load(data_dir); }

Pinyin::~Pinyin() = default;

std::string Pinyin::tone3(const std::string& text) const {
    const u32string t = utf8::decode(text);
    std::string out;
    out.reserve(text.size() * 2);
    size_t i = 0;
    while (i < t.size()) {
        size_t j = i;
        const bool han = is_han(t[i]);
        while (j < t.size() && is_han(t[j]) == han) ++j;
        if (han) impl_->cut(u32string_view(t).substr(i, j - i), out);
        else out += utf8::encode(u32string_view(t).substr(i, j - i));
        i = j;
    }
    return out;
}

}  // namespace acestep::text
