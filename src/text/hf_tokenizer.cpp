// Hugging Face tokenizer.json front end for Unigram models (see hf_tokenizer.h).
#include "text/hf_tokenizer.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <map>
#include <regex>
#include <unordered_set>

#include "acestep/error.h"
#include "acestep/fs_util.h"
#include "base/json_util.h"
#include "text/utf8.h"

namespace acestep::hf {

struct CompiledRegex {
    std::regex re;
};

namespace {

using nlohmann::json;

// ---- Unicode helpers ------------------------------------------------------------------------------

// Rust's char::is_whitespace (Unicode White_Space), used by Strip and WhitespaceSplit.
bool is_whitespace(char32_t c) {
    return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

// Code points that never start a grapheme cluster (UAX #29 Extend / ZWJ / SpacingMark), restricted to
// the ranges that can make a cluster shorter than 6 bytes (the only clusters the Precompiled
// normalizer treats as a unit): combining marks of the 2-byte scripts, and the generic combining,
// variation-selector and joiner blocks.
bool is_grapheme_extend(char32_t c) {
    return (c >= 0x0300 && c <= 0x036F) || (c >= 0x0483 && c <= 0x0489) || (c >= 0x0591 && c <= 0x05BD) ||
           c == 0x05BF || c == 0x05C1 || c == 0x05C2 || c == 0x05C4 || c == 0x05C5 || c == 0x05C7 ||
           (c >= 0x0610 && c <= 0x061A) || (c >= 0x064B && c <= 0x065F) || c == 0x0670 ||
           (c >= 0x06D6 && c <= 0x06DC) || (c >= 0x06DF && c <= 0x06E4) || c == 0x06E7 || c == 0x06E8 ||
           (c >= 0x06EA && c <= 0x06ED) || c == 0x0711 || (c >= 0x0730 && c <= 0x074A) ||
           (c >= 0x07A6 && c <= 0x07B0) || (c >= 0x07EB && c <= 0x07F3) || c == 0x07FD ||
           (c >= 0x1AB0 && c <= 0x1AFF) || (c >= 0x1DC0 && c <= 0x1DFF) || c == 0x200C || c == 0x200D ||
           (c >= 0x20D0 && c <= 0x20FF) || (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xFE20 && c <= 0xFE2F) ||
           (c >= 0x1F3FB && c <= 0x1F3FF) || (c >= 0xE0020 && c <= 0xE007F) || (c >= 0xE0100 && c <= 0xE01EF);
}

bool is_word_char(char32_t c) { return c == '_' || (c < 0x80 ? std::isalnum(static_cast<int>(c)) != 0 : true); }

char32_t cp_before(std::string_view s, size_t pos) {
    if (pos == 0) return 0;
    size_t b = pos - 1;
    while (b > 0 && (static_cast<unsigned char>(s[b]) & 0xC0) == 0x80) --b;
    size_t i = b;
    return utf8::next(s, i);
}
char32_t cp_at(std::string_view s, size_t pos) {
    if (pos >= s.size()) return 0;
    return utf8::next(s, pos);
}

void replace_all(std::string& s, std::string_view from, std::string_view to) {
    if (from.empty()) return;
    std::string out;
    out.reserve(s.size());
    size_t i = 0;
    for (size_t p; (p = s.find(from, i)) != std::string::npos; i = p + from.size()) {
        out.append(s, i, p - i);
        out.append(to);
    }
    out.append(s, i, std::string::npos);
    s.swap(out);
}

// Like std::regex_replace, but the replacement is literal text (tokenizers does not expand $1).
std::string regex_replace_literal(const std::string& s, const std::regex& re, const std::string& content) {
    std::string out;
    size_t last = 0;
    for (auto it = std::sregex_iterator(s.begin(), s.end(), re); it != std::sregex_iterator(); ++it) {
        const size_t p = static_cast<size_t>(it->position(0)), n = static_cast<size_t>(it->length(0));
        if (n == 0) continue;  // an empty match replaces nothing
        out.append(s, last, p - last);
        out.append(content);
        last = p + n;
    }
    out.append(s, last, std::string::npos);
    return out;
}

std::string strip(std::string_view s, bool left, bool right) {
    size_t b = 0, e = s.size();
    if (left)
        while (b < e) {
            size_t i = b;
            if (!is_whitespace(utf8::next(s, i))) break;
            b = i;
        }
    if (right)
        while (e > b) {
            size_t cb = e - 1;
            while (cb > b && (static_cast<unsigned char>(s[cb]) & 0xC0) == 0x80) --cb;
            size_t i = cb;
            if (!is_whitespace(utf8::next(s, i))) break;
            e = cb;
        }
    return std::string(s.substr(b, e - b));
}

// ---- JSON access ----------------------------------------------------------------------------------

std::string type_of(const json& j, const std::string& where) {
    if (!j.is_object()) throw Error(where + ": expected a JSON object");
    auto it = j.find("type");
    if (it == j.end() || !it->is_string()) throw Error(where + ": missing 'type'");
    return it->get<std::string>();
}

// tokenizers' Metaspace replacement is a single char.
std::string metaspace_replacement(const JsonFields& f) {
    const std::string r = f.opt_str("replacement", "\xE2\x96\x81");
    if (r.empty() || utf8::length(r) != 1) f.fail("replacement", "expected a single character");
    return r;
}

}  // namespace

// ---- Precompiled charsmap -------------------------------------------------------------------------

PrecompiledCharsmap::PrecompiledCharsmap(std::string_view blob, const std::string& what) {
    if (blob.size() < 4) throw Error(what + ": precompiled_charsmap is truncated");
    const uint32_t trie_size = uint32_t(uint8_t(blob[0])) | (uint32_t(uint8_t(blob[1])) << 8) |
                               (uint32_t(uint8_t(blob[2])) << 16) | (uint32_t(uint8_t(blob[3])) << 24);
    if (trie_size % 4 != 0 || trie_size > blob.size() - 4)
        throw Error(what + ": precompiled_charsmap has a bad trie size");
    units_.resize(trie_size / 4);
    for (size_t k = 0; k < units_.size(); ++k) {
        const size_t o = 4 + 4 * k;
        units_[k] = uint32_t(uint8_t(blob[o])) | (uint32_t(uint8_t(blob[o + 1])) << 8) |
                    (uint32_t(uint8_t(blob[o + 2])) << 16) | (uint32_t(uint8_t(blob[o + 3])) << 24);
    }
    normalized_ = std::string(blob.substr(4 + trie_size));
}

bool PrecompiledCharsmap::transform(std::string_view chunk, std::string_view& out) const {
    // darts-clone DoubleArray::commonPrefixSearch, stopping at the first (shortest) hit; every index
    // is bounds-checked because the blob comes from a downloaded file.
    auto offset = [](uint32_t u) { return (u >> 10) << ((u & (1u << 9)) >> 6); };
    auto label = [](uint32_t u) { return u & ((1u << 31) | 0xFFu); };
    auto has_leaf = [](uint32_t u) { return ((u >> 8) & 1u) == 1u; };
    if (units_.empty()) return false;
    size_t node = offset(units_[0]);
    for (unsigned char c : chunk) {
        if (c == 0) return false;
        node ^= c;
        if (node >= units_.size()) return false;
        const uint32_t unit = units_[node];
        if (label(unit) != c) return false;
        node ^= offset(unit);
        if (node >= units_.size()) return false;
        if (has_leaf(unit)) {
            const size_t at = units_[node] & ((1u << 31) - 1);
            if (at > normalized_.size()) return false;
            const size_t end = normalized_.find('\0', at);
            out = std::string_view(normalized_).substr(at, (end == std::string::npos ? normalized_.size() : end) - at);
            return true;
        }
    }
    return false;
}

std::string PrecompiledCharsmap::normalize(std::string_view s) const {
    std::string out;
    out.reserve(s.size());
    std::string_view rep;
    for (size_t i = 0; i < s.size();) {
        // One (approximate) extended grapheme cluster: a code point, then its combining marks; CR LF.
        const size_t start = i;
        const char32_t first = utf8::next(s, i);
        if (first == 0xFFFD && !(i - start == 3 && s.compare(start, 3, "\xEF\xBF\xBD") == 0)) {
            // An invalid byte: U+FFFD that no rule rewrites, as sentencepiece's normalizer does.
            utf8::append(out, 0xFFFD);
            continue;
        }
        if (first == '\r' && i < s.size() && s[i] == '\n') {
            ++i;
        } else {
            while (i < s.size()) {
                size_t j = i;
                if (!is_grapheme_extend(utf8::next(s, j))) break;
                i = j;
            }
        }
        const std::string_view cluster = s.substr(start, i - start);
        if (cluster.size() < 6 && transform(cluster, rep)) {
            out.append(rep);
            continue;
        }
        for (size_t k = 0; k < cluster.size();) {
            const size_t cs = k;
            utf8::next(cluster, k);
            const std::string_view ch = cluster.substr(cs, k - cs);
            if (transform(ch, rep))
                out.append(rep);
            else
                out.append(ch);
        }
    }
    return out;
}

// ---- tokenizer.json -------------------------------------------------------------------------------

UnigramTokenizerJson UnigramTokenizerJson::load(const std::string& path) {
    return parse(read_file(path, 256ull << 20), path);
}

UnigramTokenizerJson UnigramTokenizerJson::parse(const std::string& text, const std::string& what) {
    UnigramTokenizerJson t;
    t.what_ = what;
    const json root = parse_json_text(text, what);
    JsonFields top(root, what);

    // model
    const json* model = top.get("model");
    if (!model) throw Error(what + ": no 'model'");
    JsonFields mf(*model, what + ": model");
    const std::string mtype = mf.opt_str("type", "Unigram");
    if (mtype != "Unigram")
        throw Error(what + ": model type '" + mtype + "' is not supported (UMT5 uses a Unigram model)");
    const json* vocab = mf.get("vocab");
    if (!vocab || !vocab->is_array() || vocab->empty()) mf.fail("vocab", "expected a non-empty list of [piece, score]");
    t.vocab_.reserve(vocab->size());
    for (size_t i = 0; i < vocab->size(); ++i) {
        const json& e = (*vocab)[i];
        if (!e.is_array() || e.size() != 2 || !e[0].is_string() || !e[1].is_number())
            throw Error(what + ": model.vocab[" + std::to_string(i) + "]: expected [piece, score]");
        const double score = e[1].get<double>();
        if (!std::isfinite(score)) throw Error(what + ": model.vocab[" + std::to_string(i) + "]: score is not finite");
        t.vocab_.emplace_back(e[0].get<std::string>(), score);
    }
    if (!mf.get("unk_id")) throw Error(what + ": model.unk_id is missing or null (a Unigram model without <unk> is not supported)");
    t.unk_id_ = mf.req_int("unk_id");
    if (t.unk_id_ < 0 || t.unk_id_ >= static_cast<int64_t>(t.vocab_.size()))
        mf.fail("unk_id", "out of range for a vocabulary of " + std::to_string(t.vocab_.size()));
    t.byte_fallback_ = mf.opt_bool("byte_fallback", false);

    // added tokens
    if (const json* added = top.get("added_tokens")) {
        if (!added->is_array()) top.fail("added_tokens", "expected a list");
        for (size_t i = 0; i < added->size(); ++i) {
            JsonFields af((*added)[i], what + ": added_tokens[" + std::to_string(i) + "]");
            AddedToken a;
            a.id = af.req_int("id");
            a.content = af.req_str("content");
            a.single_word = af.opt_bool("single_word", false);
            a.lstrip = af.opt_bool("lstrip", false);
            a.rstrip = af.opt_bool("rstrip", false);
            a.normalized = af.opt_bool("normalized", false);
            a.special = af.opt_bool("special", false);
            if (a.id < 0) af.fail("id", "negative");
            if (!a.content.empty()) t.added_.push_back(std::move(a));
        }
        for (size_t k = 0; k < t.added_.size(); ++k)
            t.added_by_first_byte_[static_cast<unsigned char>(t.added_[k].content[0])].push_back(k);
    }

    if (const json* n = top.get("normalizer")) t.parse_normalizer(*n);
    if (const json* p = top.get("pre_tokenizer")) t.parse_pre_tokenizer(*p);
    if (const json* p = top.get("post_processor")) t.parse_post_processor(*p);
    return t;
}

void UnigramTokenizerJson::parse_normalizer(const json& j) {
    const std::string where = what_ + ": normalizer";
    const std::string type = type_of(j, where);
    JsonFields f(j, where + " " + type);
    if (type == "Sequence") {
        const json* list = f.get("normalizers");
        if (!list || !list->is_array()) f.fail("normalizers", "expected a list");
        for (const auto& e : *list) parse_normalizer(e);
    } else if (type == "Precompiled") {
        NormStep s;
        s.kind = NormStep::Precompiled;
        const json* cm = f.get("precompiled_charsmap");
        // tokenizers writes null for an empty charsmap (identity).
        if (!cm) return;
        if (!cm->is_string()) f.fail("precompiled_charsmap", "expected a base64 string");
        const std::string blob = spm::base64_decode(cm->get<std::string>(), where + " Precompiled");
        if (blob.empty()) return;
        s.charsmap = std::make_shared<PrecompiledCharsmap>(blob, where + " Precompiled");
        norm_.push_back(std::move(s));
    } else if (type == "Replace") {
        NormStep s;
        s.kind = NormStep::Replace;
        s.content = f.req_str("content");
        const json* pat = f.get("pattern");
        if (!pat || !pat->is_object()) f.fail("pattern", "expected {\"String\": ...} or {\"Regex\": ...}");
        JsonFields pf(*pat, where + " Replace pattern");
        if (pf.has("String")) {
            s.pattern = pf.req_str("String");
        } else if (pf.has("Regex")) {
            s.pattern = pf.req_str("Regex");
            try {
                s.regex = std::make_shared<CompiledRegex>(CompiledRegex{std::regex(s.pattern)});
            } catch (const std::regex_error& e) {
                throw Error(where + " Replace: unsupported regex '" + s.pattern + "': " + e.what());
            }
        } else {
            f.fail("pattern", "expected {\"String\": ...} or {\"Regex\": ...}");
        }
        norm_.push_back(std::move(s));
    } else if (type == "Strip") {
        NormStep s;
        s.kind = NormStep::Strip;
        s.left = f.opt_bool("strip_left", true);
        s.right = f.opt_bool("strip_right", true);
        norm_.push_back(std::move(s));
    } else if (type == "Prepend") {
        NormStep s;
        s.kind = NormStep::Prepend;
        s.content = f.req_str("prepend");
        norm_.push_back(std::move(s));
    } else {
        throw Error(where + ": type '" + type + "' is not supported (expected Precompiled, Replace, Strip, Prepend or Sequence)");
    }
}

void UnigramTokenizerJson::parse_pre_tokenizer(const json& j) {
    const std::string where = what_ + ": pre_tokenizer";
    const std::string type = type_of(j, where);
    JsonFields f(j, where + " " + type);
    if (type == "Sequence") {
        const json* list = f.get("pretokenizers");
        if (!list || !list->is_array()) f.fail("pretokenizers", "expected a list");
        for (const auto& e : *list) parse_pre_tokenizer(e);
    } else if (type == "Metaspace") {
        PreTokStep s;
        s.kind = PreTokStep::Metaspace;
        s.replacement = metaspace_replacement(f);
        // tokenizers < 0.14 wrote add_prefix_space; newer files write prepend_scheme (and may keep both).
        if (f.has("prepend_scheme")) {
            const std::string p = f.req_str("prepend_scheme");
            if (p == "always") s.prepend = PreTokStep::Always;
            else if (p == "never") s.prepend = PreTokStep::Never;
            else if (p == "first") s.prepend = PreTokStep::First;
            else f.fail("prepend_scheme", "expected always, never or first");
        } else {
            s.prepend = f.opt_bool("add_prefix_space", true) ? PreTokStep::Always : PreTokStep::Never;
        }
        s.split = f.opt_bool("split", true);
        pretok_.push_back(std::move(s));
    } else if (type == "WhitespaceSplit") {
        PreTokStep s;
        s.kind = PreTokStep::WhitespaceSplit;
        pretok_.push_back(std::move(s));
    } else {
        throw Error(where + ": type '" + type + "' is not supported (expected Metaspace, WhitespaceSplit or Sequence)");
    }
}

void UnigramTokenizerJson::parse_post_processor(const json& j) {
    const std::string where = what_ + ": post_processor";
    const std::string type = type_of(j, where);
    JsonFields f(j, where + " " + type);
    if (type == "Sequence") {
        const json* list = f.get("processors");
        if (!list || !list->is_array()) f.fail("processors", "expected a list");
        for (const auto& e : *list) parse_post_processor(e);
        return;
    }
    if (type != "TemplateProcessing")
        throw Error(where + ": type '" + type + "' is not supported (expected TemplateProcessing)");
    if (!prefix_ids_.empty() || !suffix_ids_.empty()) throw Error(where + ": more than one TemplateProcessing");

    // special_tokens: {"</s>": {"id": "</s>", "ids": [1], "tokens": ["</s>"]}}
    std::map<std::string, std::vector<int64_t>> specials;
    if (const json* sp = f.get("special_tokens")) {
        if (!sp->is_object()) f.fail("special_tokens", "expected an object");
        for (auto it = sp->begin(); it != sp->end(); ++it) {
            JsonFields sf(it.value(), where + " special_tokens." + it.key());
            specials[it.key()] = sf.req_int_list("ids");
        }
    }
    // single: [{"SpecialToken": {"id": "</s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}]
    // (or the string form "$A </s>").
    std::vector<std::pair<bool, std::string>> items;  // (is_sequence, special token name)
    const json* single = f.get("single");
    if (!single) f.fail("single", "missing");
    if (single->is_string()) {
        const std::string s = single->get<std::string>();
        size_t i = 0;
        while (i < s.size()) {
            while (i < s.size() && s[i] == ' ') ++i;
            size_t e = s.find(' ', i);
            if (e == std::string::npos) e = s.size();
            std::string piece = s.substr(i, e - i);
            i = e;
            if (piece.empty()) continue;
            if (auto c = piece.rfind(':'); c != std::string::npos && c > 0) piece = piece.substr(0, c);
            if (piece == "$A" || piece == "$") items.emplace_back(true, "");
            else if (piece[0] == '$') f.fail("single", "only the sequence $A is supported");
            else items.emplace_back(false, piece);
        }
    } else if (single->is_array()) {
        for (const auto& e : *single) {
            if (!e.is_object() || e.size() != 1) f.fail("single", "expected {\"Sequence\": ...} or {\"SpecialToken\": ...} items");
            if (e.contains("Sequence")) {
                JsonFields sf(e["Sequence"], where + " single Sequence");
                if (sf.opt_str("id", "A") != "A") sf.fail("id", "only the sequence A is supported");
                items.emplace_back(true, "");
            } else if (e.contains("SpecialToken")) {
                JsonFields sf(e["SpecialToken"], where + " single SpecialToken");
                items.emplace_back(false, sf.req_str("id"));
            } else {
                f.fail("single", "expected {\"Sequence\": ...} or {\"SpecialToken\": ...} items");
            }
        }
    } else {
        f.fail("single", "expected a list or a string");
    }
    bool seen_sequence = false;
    for (const auto& [is_seq, name] : items) {
        if (is_seq) {
            if (seen_sequence) f.fail("single", "the sequence appears twice");
            seen_sequence = true;
            continue;
        }
        auto it = specials.find(name);
        if (it == specials.end()) f.fail("single", "special token '" + name + "' is not in special_tokens");
        auto& dst = seen_sequence ? suffix_ids_ : prefix_ids_;
        dst.insert(dst.end(), it->second.begin(), it->second.end());
    }
    if (!seen_sequence) f.fail("single", "has no $A sequence");
}

int64_t UnigramTokenizerJson::token_to_id(const std::string& s) const {
    for (const auto& a : added_)
        if (a.content == s) return a.id;
    for (size_t i = 0; i < vocab_.size(); ++i)
        if (vocab_[i].first == s) return static_cast<int64_t>(i);
    return -1;
}

std::string UnigramTokenizerJson::normalize(std::string_view segment) const {
    std::string s(segment);
    for (const auto& st : norm_) {
        switch (st.kind) {
            case NormStep::Precompiled: s = st.charsmap->normalize(s); break;
            case NormStep::Replace:
                if (st.regex)
                    s = regex_replace_literal(s, st.regex->re, st.content);
                else
                    replace_all(s, st.pattern, st.content);
                break;
            case NormStep::Strip: s = strip(s, st.left, st.right); break;
            case NormStep::Prepend:
                if (!s.empty()) s = st.content + s;
                break;
        }
    }
    return s;
}

void UnigramTokenizerJson::split_pretokens(std::string normalized, bool at_start, std::vector<Part>& out) const {
    struct Split {
        std::string s;
        bool first;  // starts at offset 0 of the original text (Metaspace prepend_scheme "first")
    };
    std::vector<Split> splits;
    if (!normalized.empty()) splits.push_back({std::move(normalized), at_start});
    for (const auto& st : pretok_) {
        std::vector<Split> next;
        for (auto& sp : splits) {
            if (st.kind == PreTokStep::WhitespaceSplit) {
                const std::string_view s = sp.s;
                size_t i = 0, word = std::string::npos;
                while (i <= s.size()) {
                    size_t j = i;
                    const bool ws = i < s.size() && is_whitespace(utf8::next(s, j));
                    if (i == s.size() || ws) {
                        if (word != std::string::npos) next.push_back({std::string(s.substr(word, i - word)), sp.first && word == 0});
                        word = std::string::npos;
                        if (i == s.size()) break;
                        i = j;
                    } else {
                        if (word == std::string::npos) word = i;
                        i = j;
                    }
                }
                continue;
            }
            // Metaspace
            std::string s = sp.s;
            replace_all(s, " ", st.replacement);
            const bool prepend = st.prepend == PreTokStep::Always || (st.prepend == PreTokStep::First && sp.first);
            if (prepend && !s.empty() && s.compare(0, st.replacement.size(), st.replacement) != 0) s = st.replacement + s;
            if (!st.split) {
                if (!s.empty()) next.push_back({std::move(s), sp.first});
                continue;
            }
            // MergedWithNext: every replacement character starts a new piece.
            size_t begin = 0;
            for (size_t p = s.find(st.replacement, 1); p != std::string::npos; p = s.find(st.replacement, p + 1)) {
                if (p > begin) next.push_back({s.substr(begin, p - begin), sp.first && begin == 0});
                begin = p;
            }
            if (begin < s.size()) next.push_back({s.substr(begin), sp.first && begin == 0});
        }
        splits.swap(next);
    }
    for (auto& sp : splits)
        if (!sp.s.empty()) out.push_back({-1, std::move(sp.s)});
}

std::vector<UnigramTokenizerJson::Part> UnigramTokenizerJson::pre_tokenize(std::string_view raw) const {
    const std::string_view text = raw;
    std::vector<Part> out;
    size_t seg_begin = 0;  // start of the current plain-text segment
    size_t i = 0;
    while (i <= text.size()) {
        // Leftmost-longest added token at i.
        const AddedToken* best = nullptr;
        size_t mb = 0, me = 0;
        if (i < text.size()) {
            for (size_t k : added_by_first_byte_[static_cast<unsigned char>(text[i])]) {
                const AddedToken& a = added_[k];
                if (text.compare(i, a.content.size(), a.content) != 0) continue;
                if (best && a.content.size() <= best->content.size()) continue;
                size_t b = i, e = i + a.content.size();
                if (a.single_word && ((b > 0 && is_word_char(cp_before(text, b))) || (e < text.size() && is_word_char(cp_at(text, e)))))
                    continue;
                if (a.lstrip)
                    while (b > seg_begin && is_whitespace(cp_before(text, b))) {
                        const char32_t c = cp_before(text, b);
                        b -= utf8::encode(c).size();
                    }
                if (a.rstrip)
                    while (e < text.size() && is_whitespace(cp_at(text, e))) e += utf8::encode(cp_at(text, e)).size();
                best = &a;
                mb = b;
                me = e;
            }
        }
        if (!best && i < text.size()) {
            ++i;
            continue;
        }
        if (!best) mb = me = text.size();
        if (mb > seg_begin) split_pretokens(normalize(std::string_view(text).substr(seg_begin, mb - seg_begin)), seg_begin == 0, out);
        if (!best) break;
        out.push_back({best->id, {}});
        seg_begin = i = me;
    }
    return out;
}

spm::Model UnigramTokenizerJson::to_spm_model() const {
    spm::Model m;
    m.pieces.reserve(vocab_.size());
    std::unordered_set<std::string_view> seen;
    seen.reserve(vocab_.size() * 2);
    auto is_byte_piece = [](const std::string& p) {
        return p.size() == 6 && p.compare(0, 3, "<0x") == 0 && p[5] == '>' && std::isxdigit(uint8_t(p[3])) &&
               std::isxdigit(uint8_t(p[4])) && !std::islower(uint8_t(p[3])) && !std::islower(uint8_t(p[4]));
    };
    for (size_t i = 0; i < vocab_.size(); ++i) {
        const auto& [piece, score] = vocab_[i];
        if (piece.empty()) throw Error(what_ + ": model.vocab[" + std::to_string(i) + "] is an empty piece");
        if (!seen.insert(piece).second)
            throw Error(what_ + ": model.vocab[" + std::to_string(i) + "]: piece '" + piece + "' appears twice");
        spm::Piece p;
        p.piece = piece;
        p.score = static_cast<float>(score);
        // Special tokens stay NORMAL: tokenizers' Unigram trie holds every vocabulary entry (added
        // tokens are cut out of the text before the model ever sees them).  Only <unk> must be UNKNOWN.
        if (static_cast<int64_t>(i) == unk_id_) p.type = spm::PieceType::Unknown;
        else if (byte_fallback_ && is_byte_piece(piece)) p.type = spm::PieceType::Byte;
        m.pieces.push_back(std::move(p));
    }
    m.model_type = 1;
    m.byte_fallback = byte_fallback_;
    m.unk_id = static_cast<int>(unk_id_);
    m.bos_id = m.eos_id = m.pad_id = -1;
    m.normalizer_name = "identity";
    m.add_dummy_prefix = false;
    m.remove_extra_whitespaces = false;
    m.escape_whitespaces = false;
    return m;
}

}  // namespace acestep::hf
