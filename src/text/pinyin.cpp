// Pinyin: pypinyin 0.53.0 `pinyin(text, style=TONE3, heteronym=False, neutral_tone_with_five=True)`
// with the syllables joined without separators, exact to the official chinese_transliterate().
//
// Pipeline (pypinyin's Pinyin.pinyin with UltimateConverter):
//   1. simple_seg: split into runs of "Han" code points (RE_HANS ranges) and runs of anything else;
//      non-Han runs pass through unchanged (errors='default').
//   2. mmseg forward maximum matching over the phrase dictionary's prefix set, with pypinyin's
//      _no_non_phrases quirk: when the longest prefix is not itself a phrase, that prefix AND the
//      character that ended the match are emitted as single characters.
//   3. A word found in phrases_dict takes the first reading of each item; otherwise each character
//      takes the first reading of pinyin_dict, and a Han code point without an entry stays itself.
//   4. TONE3: tone marks become digits (ā -> a1, ü -> v, ḿ -> m2, ê̄ -> ê1) and the digit moves to
//      the end when the syllable is [a-z]+; a syllable without a digit gets '5' appended — so a
//      dictionary-less Han character comes out as itself followed by '5', as in pypinyin.
// Data: pinyin_dict.json and phrases_dict.json from pypinyin 0.53.0 (read with a small dedicated
// JSON scanner: the phrase dictionary is 2.5 MB).
#include <fstream>
#include <sstream>
#include <string>
#include <unordered_map>
#include <unordered_set>
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
    const std::pair<u32string, u32string> multi[] = {
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
    std::unordered_map<char32_t, std::string> single;          // first reading, already TONE3
    std::unordered_map<u32string, std::vector<std::string>> phrases;  // first readings, TONE3
    std::unordered_set<u32string> prefixes;

    void load(const std::filesystem::path& dir) {
        {
            const auto path = dir / "pinyin_dict.json";
            Scanner sc(read_file(path), path.string());
            sc.expect('{');
            if (!sc.accept('}')) {
                do {
                    const std::string key = sc.string();
                    sc.expect(':');
                    const std::string value = sc.string();
                    char32_t cp = 0;
                    for (char ch : key) {
                        if (ch < '0' || ch > '9' || cp > 0x10FFFF) sc.fail("bad code point key");
                        cp = cp * 10 + (char32_t)(ch - '0');
                    }
                    single[cp] = tone3_syllable(value.substr(0, value.find(',')));
                } while (sc.accept(','));
                sc.expect('}');
            }
            if (!sc.at_end()) sc.fail("trailing data");
        }
        {
            const auto path = dir / "phrases_dict.json";
            Scanner sc(read_file(path), path.string());
            phrases.reserve(50000);
            prefixes.reserve(110000);
            sc.expect('{');
            if (!sc.accept('}')) {
                do {
                    const u32string key = utf8::decode(sc.string());
                    sc.expect(':');
                    std::vector<std::string> readings;
                    sc.expect('[');
                    if (!sc.accept(']')) {
                        do {
                            sc.expect('[');
                            std::string first;
                            bool have = false;
                            if (!sc.accept(']')) {
                                do {
                                    std::string r = sc.string();
                                    if (!have) first = std::move(r), have = true;
                                } while (sc.accept(','));
                                sc.expect(']');
                            }
                            if (!have) sc.fail("empty reading list");
                            readings.push_back(tone3_syllable(first));
                        } while (sc.accept(','));
                        sc.expect(']');
                    }
                    for (size_t n = 1; n <= key.size(); ++n) prefixes.insert(key.substr(0, n));
                    phrases[key] = std::move(readings);
                } while (sc.accept(','));
                sc.expect('}');
            }
            if (!sc.at_end()) sc.fail("trailing data");
        }
    }

    // DefaultConverter.convert for one Han word.
    void convert(u32string_view word, std::string& out) const {
        auto it = phrases.find(u32string(word));
        if (it != phrases.end()) {
            for (const std::string& r : it->second) out += r;
            return;
        }
        for (char32_t c : word) {
            auto s = single.find(c);
            if (s != single.end()) {
                out += s->second;
            } else {
                utf8::append(out, c);
                out += '5';
            }
        }
    }

    // mmseg.Seg.cut with _no_non_phrases = True.
    void cut(u32string_view text, std::string& out) const {
        u32string_view remain = text;
        while (!remain.empty()) {
            size_t matched = 0;  // length of the longest prefix-set match so far
            bool done = false;
            for (size_t index = 0; index < remain.size(); ++index) {
                const u32string word(remain.substr(0, index + 1));
                if (prefixes.count(word)) {
                    matched = index + 1;
                    continue;
                }
                if (matched && phrases.count(u32string(remain.substr(0, matched)))) {
                    convert(remain.substr(0, matched), out);
                    remain = remain.substr(index);
                } else {
                    for (char32_t c : word) convert(u32string_view(&c, 1), out);
                    remain = remain.substr(index + 1);
                }
                done = true;
                break;
            }
            if (!done) {  // the whole remainder is a prefix: one word, phrase or not
                convert(remain, out);
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
