// HF tokenizers BPE (+ added tokens, Whitespace pre-tokenizer) for the lyric vocab.json; see bpe_tokenizer.h.
#include "text/bpe_tokenizer.h"

#include <algorithm>
#include <fstream>
#include <queue>
#include <sstream>

#include <nlohmann/json.hpp>

#include "acestep/error.h"
#include "text/utf8.h"

namespace acestep::text {
namespace {

struct CpRange {
    char32_t lo, hi;
};
#include "text/tables/regex_word_tables.inc"

template <size_t N>
bool in_ranges(const CpRange (&r)[N], char32_t c) {
    const CpRange* end = r + N;
    const CpRange* it = std::upper_bound(r, end, c, [](char32_t v, const CpRange& x) { return v < x.lo; });
    return it != r && c <= (it - 1)->hi;
}

constexpr int kMaxId = 1 << 24;  // far above any real vocab; keeps hostile files from overflowing

uint64_t pair_key(int a, int b) { return (uint64_t(uint32_t(a)) << 32) | uint32_t(b); }

}  // namespace

bool regex_is_word(char32_t c) { return in_ranges(kRegexWord, c); }
bool regex_is_space(char32_t c) { return in_ranges(kRegexSpace, c); }

BpeTokenizer BpeTokenizer::from_file(const std::filesystem::path& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f) throw Error(path.string() + ": cannot open (the lyric tokenizer's vocab.json)");
    std::ostringstream ss;
    ss << f.rdbuf();
    return BpeTokenizer(ss.str(), path.string());
}

BpeTokenizer::BpeTokenizer(std::string_view json_text, const std::string& what) : what_(what) {
    using nlohmann::json;
    json doc;
    try {
        doc = json::parse(json_text.begin(), json_text.end());
    } catch (const json::exception& e) {
        throw Error(what_ + ": not valid JSON (" + e.what() + ")");
    }
    auto fail = [&](const std::string& field, const std::string& why) -> Error {
        return Error(what_ + ": field '" + field + "': " + why);
    };
    if (!doc.is_object()) throw Error(what_ + ": expected a JSON object (a tokenizers tokenizer.json)");
    auto it = doc.find("model");
    if (it == doc.end() || !it->is_object()) throw fail("model", "missing or not an object");
    const json& model = *it;
    auto type = model.find("type");
    if (type != model.end() && !(type->is_string() && type->get<std::string>() == "BPE"))
        throw fail("model.type", "only BPE models are supported");
    for (const char* k : {"continuing_subword_prefix", "end_of_word_suffix"}) {
        auto a = model.find(k);
        if (a != model.end() && !a->is_null() && !(a->is_string() && a->get<std::string>().empty()))
            throw fail(std::string("model.") + k, "not supported (the lyric vocab has none)");
    }
    auto dropout = model.find("dropout");
    if (dropout != model.end() && !dropout->is_null() && !(dropout->is_number() && dropout->get<double>() == 0.0))
        throw fail("model.dropout", "BPE dropout is not supported");
    if (auto fu = model.find("fuse_unk"); fu != model.end() && fu->is_boolean() && fu->get<bool>())
        throw fail("model.fuse_unk", "fused unk tokens are not supported");
    for (const char* k : {"normalizer", "post_processor"}) {
        auto a = doc.find(k);
        if (a != doc.end() && !a->is_null()) throw fail(k, "not supported (the lyric vocab has none)");
    }
    auto pre = doc.find("pre_tokenizer");
    if (pre == doc.end() || pre->is_null()) {
        whitespace_pretok_ = false;
    } else if (!pre->is_object() || pre->value("type", json()) != json("Whitespace")) {
        throw fail("pre_tokenizer", "only {\"type\": \"Whitespace\"} is supported");
    }

    auto vit = model.find("vocab");
    if (vit == model.end() || !vit->is_object()) throw fail("model.vocab", "missing or not an object");
    for (const auto& [tok, idv] : vit->items()) {
        if (!idv.is_number_integer()) throw fail("model.vocab", "id of '" + tok + "' is not an integer");
        const auto id = idv.get<int64_t>();
        if (id < 0 || id >= kMaxId) throw fail("model.vocab", "id " + std::to_string(id) + " out of range");
        vocab_[tok] = int(id);
        ids_[int(id)] = tok;
        vocab_size_ = std::max(vocab_size_, int(id) + 1);
    }

    auto mit = model.find("merges");
    if (mit != model.end() && !mit->is_null()) {
        if (!mit->is_array()) throw fail("model.merges", "not an array");
        int rank = 0;
        for (const auto& m : *mit) {
            std::string a, b;
            if (m.is_string()) {
                const auto s = m.get<std::string>();
                const auto sp = s.find(' ');
                if (sp == std::string::npos || s.find(' ', sp + 1) != std::string::npos)
                    throw fail("model.merges", "entry " + std::to_string(rank) + " is not \"a b\"");
                a = s.substr(0, sp);
                b = s.substr(sp + 1);
            } else if (m.is_array() && m.size() == 2 && m[0].is_string() && m[1].is_string()) {
                a = m[0].get<std::string>();
                b = m[1].get<std::string>();
            } else {
                throw fail("model.merges", "entry " + std::to_string(rank) + " is neither \"a b\" nor [a, b]");
            }
            auto ia = vocab_.find(a), ib = vocab_.find(b), iab = vocab_.find(a + b);
            if (ia == vocab_.end() || ib == vocab_.end())
                throw fail("model.merges", "entry " + std::to_string(rank) + " uses a token missing from the vocab");
            if (iab == vocab_.end())
                throw fail("model.merges", "entry " + std::to_string(rank) + ": merged token missing from the vocab");
            // A pair listed again overrides its earlier rank (tokenizers fills a HashMap in file order);
            // the lyric vocab repeats pairs ("g r" at 158, 390, 846 and 3999: rank 3999 applies).
            merges_.insert_or_assign(pair_key(ia->second, ib->second), Merge{rank, iab->second});
            ++rank;
        }
    }

    if (auto u = model.find("unk_token"); u != model.end() && u->is_string()) {
        auto iu = vocab_.find(u->get<std::string>());
        if (iu == vocab_.end()) throw fail("model.unk_token", "not in the vocab");
        unk_id_ = iu->second;
    }

    if (auto at = doc.find("added_tokens"); at != doc.end() && !at->is_null()) {
        if (!at->is_array()) throw fail("added_tokens", "not an array");
        for (const auto& t : *at) {
            if (!t.is_object() || !t.contains("id") || !t.contains("content") || !t["id"].is_number_integer() ||
                !t["content"].is_string())
                throw fail("added_tokens", "entry without an integer id and a string content");
            const auto id = t["id"].get<int64_t>();
            if (id < 0 || id >= kMaxId) throw fail("added_tokens", "id " + std::to_string(id) + " out of range");
            const auto content = t["content"].get<std::string>();
            if (content.empty()) continue;  // could never match anything
            for (const char* k : {"lstrip", "rstrip", "single_word"})
                if (t.value(k, json(false)) == json(true))
                    throw fail("added_tokens", std::string(k) + " is not supported ('" + content + "')");
            added_.push_back({utf8::decode(content), int(id)});
            vocab_[content] = int(id);
            ids_[int(id)] = content;
            vocab_size_ = std::max(vocab_size_, int(id) + 1);
        }
    }
}

int BpeTokenizer::token_to_id(const std::string& token) const {
    auto it = vocab_.find(token);
    return it == vocab_.end() ? -1 : it->second;
}

std::string BpeTokenizer::id_to_token(int id) const {
    auto it = ids_.find(id);
    return it == ids_.end() ? std::string() : it->second;
}

// tokenizers' Word::merge_all: a min-heap of candidate merges ordered by (rank, position); a candidate
// is dropped when its left symbol was merged away or its pair no longer produces the same token.
void BpeTokenizer::bpe_word(std::u32string_view word, Encoding& out) const {
    struct Sym {
        int id, prev, next, len;
    };
    std::vector<Sym> syms;
    syms.reserve(word.size());
    for (char32_t c : word) {
        auto it = vocab_.find(utf8::encode(c));
        int id = it != vocab_.end() ? it->second : unk_id_;
        if (id < 0) continue;  // no unk token: tokenizers drops the character
        syms.push_back({id, int(syms.size()) - 1, int(syms.size()) + 1, 1});
    }
    if (syms.empty()) return;
    syms.back().next = -1;

    struct Cand {
        int rank, pos, new_id;
        bool operator<(const Cand& o) const { return rank != o.rank ? rank > o.rank : pos > o.pos; }
    };
    std::priority_queue<Cand> heap;
    auto push = [&](int pos) {
        const int nx = syms[size_t(pos)].next;
        if (nx < 0) return;
        auto m = merges_.find(pair_key(syms[size_t(pos)].id, syms[size_t(nx)].id));
        if (m != merges_.end()) heap.push({m->second.rank, pos, m->second.new_id});
    };
    for (int i = 0; i + 1 < int(syms.size()); ++i) push(i);
    while (!heap.empty()) {
        const Cand top = heap.top();
        heap.pop();
        Sym& s = syms[size_t(top.pos)];
        if (s.len == 0 || s.next < 0) continue;
        Sym& r = syms[size_t(s.next)];
        auto m = merges_.find(pair_key(s.id, r.id));
        if (m == merges_.end() || m->second.new_id != top.new_id) continue;
        s.id = top.new_id;
        s.len += r.len;
        r.len = 0;
        s.next = r.next;
        if (s.next >= 0) syms[size_t(s.next)].prev = top.pos;
        if (s.prev >= 0) push(s.prev);
        push(top.pos);
    }
    for (const Sym& s : syms) {
        if (s.len == 0) continue;
        out.ids.push_back(s.id);
        out.tokens.push_back(id_to_token(s.id));
    }
}

BpeTokenizer::Encoding BpeTokenizer::encode(std::string_view text) const {
    const std::u32string s = utf8::decode(text);
    Encoding out;
    auto run_segment = [&](size_t a, size_t b) {
        if (a >= b) return;
        if (!whitespace_pretok_) {
            bpe_word(std::u32string_view(s).substr(a, b - a), out);
            return;
        }
        size_t i = a;
        while (i < b) {
            const char32_t c = s[i];
            if (regex_is_word(c)) {
                size_t j = i + 1;
                while (j < b && regex_is_word(s[j])) ++j;
                bpe_word(std::u32string_view(s).substr(i, j - i), out);
                i = j;
            } else if (regex_is_space(c)) {
                ++i;
            } else {
                size_t j = i + 1;
                while (j < b && !regex_is_word(s[j]) && !regex_is_space(s[j])) ++j;
                bpe_word(std::u32string_view(s).substr(i, j - i), out);
                i = j;
            }
        }
    };
    size_t seg = 0, i = 0;
    while (i < s.size()) {
        const AddedToken* best = nullptr;
        for (const auto& t : added_)
            if (t.content.size() <= s.size() - i && s.compare(i, t.content.size(), t.content) == 0 &&
                (!best || t.content.size() > best->content.size()))
                best = &t;
        if (!best) {
            ++i;
            continue;
        }
        run_segment(seg, i);
        out.ids.push_back(best->id);
        out.tokens.push_back(id_to_token(best->id));
        i += best->content.size();
        seg = i;
    }
    run_segment(seg, s.size());
    return out;
}

}  // namespace acestep::text
