// Romaji: cutlet 0.5.0 `Cutlet()` (hepburn, use_foreign_spelling, ensure_ascii) `.romaji(text)`
// followed by `.lower()`, exact to the official japanese_cleaners(), over MeCab + UniDic 3.1.1.
//
// What it reproduces, step by step:
//   - normalize_text: NFKC, then mojimoji.zen_to_han(kana=False) and han_to_zen(ascii/digit off)
//     (after NFKC only ” ’ ‘ are still changed; a U+0000 ends the text, as mojimoji's buffers do);
//   - MeCab nodes as fugashi's UnidicNode exposes them for a 29-field UniDic 3.1.1 entry:
//     pos1 = f[0], pos2 = f[1], lemma = f[7], pron = f[9], kana = f[20]; unknown words carry 6
//     fields and the rest read as None; a feature string with '"' is read as CSV;
//   - Cutlet.romaji_tokens / romaji_word / map_kana / get_single_mapping (cutlet_tables.cpp holds
//     the Hepburn table), including the substring tests the Python code does by accident
//     (`roma in '(['` is true for an empty roma; `pos2 in ('接続助詞')` tests a substring).
// Capitalisation (.title(), .capitalize()) is skipped: the caller lowercases everything, which
// undoes it for every character cutlet can emit here (ASCII romaji). Where cutlet raises
// (KeyError for a kana missing from its table, IndexError on an empty mapping), convert() throws
// acestep::Error; the official pipeline then drops the line.
// The UniDic folder: $ACESTEP_UNIDIC_DIR, <data_dir>/unidic, then Debian's unidic-mecab locations
// (/var/lib/mecab/dic/unidic holds the compiled sys.dic; /usr/share/mecab/dic/unidic the sources).
// MeCab is given `-r <dic>/dicrc -d <dic>`, so /etc/mecabrc is never read.
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "acestep/error.h"
#include "text/cjk_unicode.h"
#include "text/cleaners.h"
#include "text/cutlet_tables.h"
#include "text/utf8.h"

#ifdef ACESTEP_HAVE_MECAB
#include <mecab.h>
#endif

namespace acestep::text {
namespace {

using std::u32string;
using std::u32string_view;

constexpr int kCharAlpha = 5, kCharHiragana = 6, kCharKatakana = 7;

struct Word {
    u32string surface;
    bool unk = false;
    int char_type = 0;
    bool white_space = false;  // fugashi's node.white_space is non-empty
    std::vector<std::optional<u32string>> f;

    const std::optional<u32string>& field(size_t i) const {
        static const std::optional<u32string> none;
        return i < f.size() ? f[i] : none;
    }
    const std::optional<u32string>& pos1() const { return field(0); }
    const std::optional<u32string>& pos2() const { return field(1); }
    const std::optional<u32string>& lemma() const { return field(7); }
    const std::optional<u32string>& pron() const { return field(9); }
    const std::optional<u32string>& kana() const { return field(20); }
};

bool eq(const std::optional<u32string>& a, u32string_view b) { return a && *a == b; }

bool is_ascii(u32string_view s) {
    for (char32_t c : s)
        if (c >= 0x80) return false;
    return true;
}

bool is_digit_str(u32string_view s) {
    if (s.empty()) return false;
    for (char32_t c : s)
        if (!cjk::is_digit(c)) return false;
    return true;
}

// Python `needle in haystack` for strings.
bool contains(u32string_view haystack, u32string_view needle) { return haystack.find(needle) != u32string_view::npos; }

[[noreturn]] void raise(const std::string& what) { throw Error("romaji (cutlet): " + what); }

// Python's csv.reader (excel dialect) for one line.
std::vector<u32string> csv_fields(u32string_view s) {
    std::vector<u32string> out;
    size_t i = 0;
    while (true) {
        u32string field;
        if (i < s.size() && s[i] == U'"') {
            ++i;
            while (i < s.size()) {
                if (s[i] == U'"') {
                    if (i + 1 < s.size() && s[i + 1] == U'"') {
                        field.push_back(U'"');
                        i += 2;
                        continue;
                    }
                    ++i;
                    break;
                }
                field.push_back(s[i++]);
            }
        }
        while (i < s.size() && s[i] != U',') field.push_back(s[i++]);
        out.push_back(std::move(field));
        if (i >= s.size()) break;
        ++i;  // the comma
    }
    return out;
}

// jaconv.kata2hira: ァ..ヶ and ヽヾ move down to the hiragana block.
u32string kata2hira(u32string_view s) {
    u32string out(s);
    for (char32_t& c : out)
        if ((c >= 0x30A1 && c <= 0x30F6) || c == 0x30FD || c == 0x30FE) c -= 0x60;
    return out;
}

// mojimoji.zen_to_han(text, kana=False): full-width ASCII and digits to half-width.
char32_t zen_to_han_ascii(char32_t c) {
    if (c >= 0xFF01 && c <= 0xFF5E && c != 0xFF02 && c != 0xFF07 && c != 0xFF3C && c != 0xFF40)
        return c - 0xFEE0;  // ！..～ except ＂＇＼｀, which mojimoji does not list
    switch (c) {
        case 0x201D: return U'"';   // ”
        case 0x2019: return U'\'';  // ’
        case 0xFFE5: return 0xA5;   // ￥ -> ¥
        case 0x2018: return U'`';   // ‘
        case 0x3000: return U' ';
        default: return c;
    }
}

u32string normalize_text(u32string_view text) {
    u32string t = cjk::nfkc(text);
    for (char32_t& c : t) c = zen_to_han_ascii(c);
    // mojimoji builds its result from a NUL-terminated buffer.
    const size_t nul = t.find(U'\0');
    if (nul != u32string::npos) t.resize(nul);
    // han_to_zen(kana only) has nothing left to do: NFKC already widened half-width katakana.
    return t;
}

struct Token {
    u32string surface;
    bool space = false;
};

class Converter {
public:
    const std::unordered_map<u32string, u32string>& table;
    const std::unordered_map<u32string, u32string>& exceptions;

    const u32string& at(const u32string& key) const {
        auto it = table.find(key);
        if (it == table.end()) raise("no mapping for '" + utf8::encode(key) + "' (KeyError)");
        return it->second;
    }
    bool has(const u32string& key) const { return table.count(key) != 0; }

    // pk / nk are 0 where Python passes None (a kana string never holds U+0000: it ends the text).
    u32string single_mapping(char32_t pk, char32_t kk, char32_t nk) const {
        static const u32string kOdori = U"々〃ゝゞヽゞ", kSutegana = U"ゃゅょぁぃぅぇぉ";
        const auto str = [](char32_t c) { return u32string(1, c); };
        if (kOdori.find(kk) != u32string::npos) {
            if (kk == U'ゝ' || kk == U'ヽ') return pk ? str(pk) : u32string();
            if (kk == U'ゞ' || kk == U'ヾ') {
                if (!pk) return {};
                const char32_t vv = cutlet::add_dakuten(pk);
                return vv ? at(str(vv)) : u32string();
            }
            return {};
        }
        if (pk && has(str(pk) + kk)) return at(str(pk) + kk);
        if (nk && has(str(kk) + nk)) return {};
        if (nk && kSutegana.find(nk) != u32string::npos) {
            if (kk == U'っ') return {};
            u32string head = at(str(kk));
            if (!head.empty()) head.pop_back();  // [:-1] of '' is ''
            return head + at(str(nk));
        }
        if (kSutegana.find(kk) != u32string::npos) return {};
        if (kk == U'ー') {
            if (pk && has(str(pk))) {
                const u32string& p = at(str(pk));
                if (p.empty()) raise("empty mapping before 'ー' (IndexError)");
                return str(p.back());
            }
            return U"-";
        }
        if (kk == U'っ') {
            if (nk) {
                if (nk == U'ち') return U"t";
                if (u32string_view(U"あいうえおっ").find(nk) != u32string_view::npos) return U"-";
                const u32string& n = at(str(nk));
                if (n.empty()) raise("empty mapping after 'っ' (IndexError)");
                return str(n[0]);
            }
            return U"っ";
        }
        if (kk == U'ん') {
            if (nk && u32string_view(U"あいうえおやゆよ").find(nk) != u32string_view::npos) return U"n'";
            return U"n";
        }
        return at(str(kk));
    }

    u32string map_kana(u32string_view kana) const {
        u32string out;
        for (size_t k = 0; k < kana.size(); ++k) {
            const char32_t pk = k > 0 ? kana[k - 1] : 0;
            const char32_t nk = k + 1 < kana.size() ? kana[k + 1] : 0;
            out += single_mapping(pk, kana[k], nk);
        }
        return out;
    }

    static bool has_foreign_lemma(const Word& w) {
        if (w.surface.find(U'-') != u32string::npos) return false;
        const auto& lemma = w.lemma();
        if (!lemma || lemma->empty()) return false;
        const size_t dash = lemma->find(U'-');
        if (dash == u32string::npos) return false;
        return is_ascii(u32string_view(*lemma).substr(dash + 1));
    }

    u32string romaji_word(const Word& w) const {
        auto ex = exceptions.find(w.surface);
        if (ex != exceptions.end()) return ex->second;
        if (is_digit_str(w.surface)) return w.surface;
        if (is_ascii(w.surface)) return w.surface;
        if (w.unk) {
            if (w.char_type == kCharHiragana || w.char_type == kCharKatakana) return map_kana(kata2hira(w.surface));
            return u32string(w.surface.size(), U'?');  // ensure_ascii
        }
        if (eq(w.pos1(), U"補助記号")) {
            auto it = table.find(w.surface);
            return it == table.end() ? u32string() : it->second;
        }
        if (eq(w.pos1(), U"助詞") && eq(w.pron(), U"ワ")) return U"wa";
        if (eq(w.pos1(), U"助詞") && eq(w.pron(), U"エ")) return U"e";  // use_he is off in Hepburn
        if (has_foreign_lemma(w)) return w.lemma()->substr(w.lemma()->find(U'-') + 1);
        if (w.kana() && !w.kana()->empty()) return map_kana(kata2hira(*w.kana()));
        return w.surface;
    }

    std::vector<Token> tokens(const std::vector<Word>& words) const {
        std::vector<Token> out;
        for (size_t wi = 0; wi < words.size(); ++wi) {
            const Word& word = words[wi];
            Token* po = out.empty() ? nullptr : &out.back();
            const Word* nw = wi + 1 < words.size() ? &words[wi + 1] : nullptr;

            // possessive apostrophe
            if (word.surface == U"'" && nw && nw->char_type == kCharAlpha && !nw->white_space && !word.white_space) {
                if (po) po->space = false;
                out.push_back({word.surface, false});
                continue;
            }
            const u32string roma = romaji_word(word);
            if (!roma.empty() && po && !po->surface.empty() && po->surface.back() == U'っ')
                po->surface.back() = roma[0];  // split verbs / adjectives: 乗っ|た
            const bool foreign = has_foreign_lemma(word);
            Token tok{roma, false};
            if (contains(U"「『", word.surface) || contains(U"([", roma)) {
                if (po) po->space = true;
                out.push_back(tok);
                continue;
            }
            if (roma == U"/") {
                out.push_back(tok);
                continue;
            }
            if (is_ascii(word.surface) && nw && is_ascii(nw->surface)) {  // keep ascii spacing
                out.push_back({word.surface, nw->white_space});
                continue;
            }
            out.push_back(tok);
            Token& t = out.back();
            if (eq(word.pos1(), U"接頭辞")) continue;
            if (nw && (eq(nw->pos1(), U"補助記号") || eq(nw->pos1(), U"接尾辞"))) continue;
            if (nw && nw->surface == U",") continue;
            if (foreign) {
                if (roma.empty()) raise("empty foreign spelling (IndexError)");
                if (roma.back() == U'-') continue;
            }
            if (nw && nw->pos2() && contains(U"接続助詞", *nw->pos2())) continue;
            if (is_digit_str(word.surface) && nw && is_digit_str(nw->surface)) continue;
            if (nw && (eq(word.pos1(), U"動詞") || eq(word.pos1(), U"助動詞") || eq(word.pos1(), U"形容詞")) &&
                eq(nw->pos1(), U"助動詞") && nw->surface != U"です")
                continue;
            t.space = true;
        }
        for (Token& tok : out) {
            u32string s;
            for (char32_t c : tok.surface)
                if (c != U'っ') s.push_back(c);
            tok.surface = std::move(s);
        }
        return out;
    }
};

std::unordered_map<u32string, u32string> load_exceptions(const std::filesystem::path& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f) throw Error(path.string() + ": cannot open (cutlet exceptions file missing)");
    std::unordered_map<u32string, u32string> out;
    std::string line;
    int n = 0;
    while (std::getline(f, line)) {
        ++n;
        u32string l = utf8::decode(line);
        size_t a = 0, b = l.size();
        while (a < b && cjk::is_space(l[a])) ++a;
        while (b > a && cjk::is_space(l[b - 1])) --b;
        l = l.substr(a, b - a);
        if (l.empty() || l[0] == U'#') continue;
        const size_t tab = l.find(U'\t');
        if (tab == u32string::npos || l.find(U'\t', tab + 1) != u32string::npos)
            throw Error(path.string() + ":" + std::to_string(n) + ": expected 'key<TAB>value'");
        out[l.substr(0, tab)] = l.substr(tab + 1);
    }
    return out;
}

std::filesystem::path find_unidic(const std::filesystem::path& data_dir, std::string& tried) {
    std::vector<std::filesystem::path> candidates;
    if (const char* env = std::getenv("ACESTEP_UNIDIC_DIR"); env && *env) candidates.emplace_back(env);
    candidates.push_back(data_dir / "unidic");
    candidates.emplace_back("/var/lib/mecab/dic/unidic");
    candidates.emplace_back("/usr/share/mecab/dic/unidic");
    candidates.emplace_back("/usr/lib/x86_64-linux-gnu/mecab/dic/unidic");
    for (const auto& c : candidates) {
        std::error_code ec;
        if (std::filesystem::exists(c / "sys.dic", ec) && std::filesystem::exists(c / "dicrc", ec)) return c;
        tried += (tried.empty() ? "" : ", ") + c.string();
    }
    return {};
}

}  // namespace

struct Romaji::Impl {
    std::unordered_map<u32string, u32string> table;
    std::unordered_map<u32string, u32string> exceptions;
#ifdef ACESTEP_HAVE_MECAB
    mecab_model_t* model = nullptr;
    mecab_t* tagger = nullptr;
    ~Impl() {
        if (tagger) mecab_destroy(tagger);
        if (model) mecab_model_destroy(model);
    }

    std::vector<Word> parse(const std::string& text) const {
        mecab_lattice_t* lattice = mecab_model_new_lattice(model);
        if (!lattice) raise("MeCab could not create a lattice");
        struct Guard {
            mecab_lattice_t* l;
            ~Guard() { mecab_lattice_destroy(l); }
        } guard{lattice};
        mecab_lattice_set_sentence2(lattice, text.data(), text.size());
        if (!mecab_parse_lattice(tagger, lattice)) raise(std::string("MeCab: ") + mecab_lattice_strerror(lattice));
        std::vector<Word> out;
        for (const mecab_node_t* n = mecab_lattice_get_bos_node(lattice)->next; n && n->next; n = n->next) {
            if (n->stat == MECAB_EOS_NODE) break;
            Word w;
            w.surface = utf8::decode(std::string_view(n->surface, n->length));
            w.unk = n->stat == MECAB_UNK_NODE;
            w.char_type = n->char_type;
            w.white_space = n->rlength != n->length;
            const u32string feature = utf8::decode(n->feature ? n->feature : "");
            std::vector<u32string> fields;
            if (feature.find(U'"') != u32string::npos) {
                fields = csv_fields(feature);
            } else {
                size_t a = 0;
                while (true) {
                    const size_t b = feature.find(U',', a);
                    fields.push_back(feature.substr(a, b == u32string::npos ? u32string::npos : b - a));
                    if (b == u32string::npos) break;
                    a = b + 1;
                }
            }
            for (auto& x : fields) w.f.emplace_back(std::move(x));
            out.push_back(std::move(w));
        }
        return out;
    }
#endif
};

Romaji::Romaji(const std::filesystem::path& data_dir) : impl_(std::make_unique<Impl>()) {
    impl_->table = cutlet::hepburn_table();
    impl_->exceptions = load_exceptions(data_dir / "cutlet_exceptions.tsv");
#ifdef ACESTEP_HAVE_MECAB
    std::string tried;
    const auto dic = find_unidic(data_dir, tried);
    if (dic.empty())
        throw Error("Japanese lyrics need the UniDic dictionary for MeCab (Debian package unidic-mecab); "
                    "no sys.dic found in: " + tried);
    std::string rc = (dic / "dicrc").string(), dir = dic.string();
    char arg0[] = "mecab", r[] = "-r", d[] = "-d";
    char* argv[] = {arg0, r, rc.data(), d, dir.data()};
    impl_->model = mecab_model_new(5, argv);
    if (!impl_->model) throw Error(dir + ": MeCab cannot load this dictionary: " + mecab_strerror(nullptr));
    impl_->tagger = mecab_model_new_tagger(impl_->model);
    if (!impl_->tagger) throw Error(dir + ": MeCab cannot create a tagger: " + mecab_strerror(nullptr));
    // fugashi reads UniDic through a 29-field (3.x) feature layout; anything else would silently
    // read the wrong columns.
    const auto probe = impl_->parse("日本");
    if (probe.empty() || probe[0].unk || probe[0].f.size() != 29)
        throw Error(dir + ": not a UniDic 3.x dictionary (expected 29 feature fields)");
#else
    throw Error("Japanese lyrics need MeCab, and this build was made without libmecab (install libmecab-dev)");
#endif
}

Romaji::~Romaji() = default;

std::string Romaji::convert(const std::string& text) const {
    if (text.empty()) return {};
#ifdef ACESTEP_HAVE_MECAB
    const u32string norm = normalize_text(utf8::decode(text));
    const std::vector<Word> words = impl_->parse(utf8::encode(norm));
    Converter conv{impl_->table, impl_->exceptions};
    const std::vector<Token> toks = conv.tokens(words);
    u32string out;
    for (const Token& t : toks) {
        out += t.surface;
        if (t.space) out.push_back(U' ');
    }
    size_t a = 0, b = out.size();
    while (a < b && cjk::is_space(out[a])) ++a;
    while (b > a && cjk::is_space(out[b - 1])) --b;
    return utf8::encode(cjk::lower(u32string_view(out).substr(a, b - a)));
#else
    raise("built without MeCab");
#endif
}

}  // namespace acestep::text
