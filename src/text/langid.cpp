// py3langid model reader (LZMA + a restricted pickle reader) and classifier; see langid.h.
#include "text/langid.h"

#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <unordered_map>
#include <variant>

#ifdef ACESTEP_HAVE_LZMA
#include <lzma.h>
#endif

#include "acestep/error.h"

namespace acestep::text {

// ---- LZMA ---------------------------------------------------------------------------------------

std::string lzma_decompress(std::string_view data, const std::string& what, size_t max_out) {
#ifdef ACESTEP_HAVE_LZMA
    lzma_stream strm = LZMA_STREAM_INIT;
    // The .xz container only (py3langid's model.plzma is one, 8 MiB dictionary): it starts with a magic
    // number, so garbage is refused at once; the memory limit bounds what a hostile header can ask for.
    if (lzma_stream_decoder(&strm, uint64_t(128) << 20, 0) != LZMA_OK)
        throw Error(what + ": cannot start the LZMA decoder");
    std::string out;
    strm.next_in = reinterpret_cast<const uint8_t*>(data.data());
    strm.avail_in = data.size();
    char buf[1 << 16];
    lzma_ret ret = LZMA_OK;
    while (true) {
        strm.next_out = reinterpret_cast<uint8_t*>(buf);
        strm.avail_out = sizeof buf;
        ret = lzma_code(&strm, LZMA_FINISH);
        out.append(buf, sizeof buf - strm.avail_out);
        if (out.size() > max_out) {
            lzma_end(&strm);
            throw Error(what + ": decompresses to more than " + std::to_string(max_out) + " bytes; refused");
        }
        if (ret == LZMA_STREAM_END) break;
        if (ret != LZMA_OK) {
            lzma_end(&strm);
            throw Error(what + ": not a valid xz stream (liblzma error " + std::to_string(int(ret)) + ")");
        }
        if (strm.avail_in == 0 && strm.avail_out != 0) {  // input ended before the stream did
            lzma_end(&strm);
            throw Error(what + ": truncated xz stream");
        }
    }
    lzma_end(&strm);
    return out;
#else
    (void)data;
    (void)max_out;
    throw Error(what + ": this build has no liblzma (install liblzma-dev and rebuild): language detection cannot work");
#endif
}

// ---- restricted pickle reader -----------------------------------------------------------------

namespace {

struct PObj;
// Objects live in the reader's arena and are referenced by plain pointers: a hostile pickle can make a
// list contain itself (memo + APPEND), which reference counting would leak.
using P = PObj*;

struct PArray {
    std::string typecode;
    int64_t mformat = -1;
    std::string bytes;
};

struct PObj {
    enum Kind { Int, Str, Bytes, Tuple, List, Dict, Global, Array, Mark } kind;
    int64_t i = 0;
    std::string s;                       // Str, Bytes, Global ("module.name")
    std::vector<P> items;                // Tuple, List
    std::vector<std::pair<P, P>> dict;   // Dict
    PArray arr;
};

class PickleReader {
public:
    PickleReader(std::string_view d, const std::string& what) : d_(d), what_(what) {}

    P run() {
        while (true) {
            if (pos_ >= d_.size()) fail("truncated (no STOP opcode)");
            const uint8_t op = uint8_t(d_[pos_++]);
            switch (op) {
            case 0x80: take(1); break;  // PROTO
            case 0x95: take(8); break;  // FRAME (framing is transparent)
            case '(': push(make(PObj::Mark)); break;
            case 0x8c: {  // SHORT_BINUNICODE
                const size_t n = u8();
                push_str(PObj::Str, take(n));
                break;
            }
            case 'X': {  // BINUNICODE
                const size_t n = u32();
                push_str(PObj::Str, take(n));
                break;
            }
            case 'C': {  // SHORT_BINBYTES
                const size_t n = u8();
                push_str(PObj::Bytes, take(n));
                break;
            }
            case 'B': {  // BINBYTES
                const size_t n = u32();
                push_str(PObj::Bytes, take(n));
                break;
            }
            case 0x8e: {  // BINBYTES8
                const uint64_t n = u64();
                if (n > d_.size()) fail("BINBYTES8 length beyond the data");
                push_str(PObj::Bytes, take(size_t(n)));
                break;
            }
            case 0x94: put(memo_.size()); break;       // MEMOIZE
            case 'q': put(u8()); break;                // BINPUT
            case 'r': put(u32()); break;               // LONG_BINPUT
            case 'h': push(get(u8())); break;          // BINGET
            case 'j': push(get(u32())); break;         // LONG_BINGET
            case 'K': push_int(u8()); break;           // BININT1
            case 'M': push_int(u16()); break;          // BININT2
            case 'J': push_int(int32_t(u32())); break; // BININT
            case 0x88: push_int(1); break;             // NEWTRUE
            case 0x89: push_int(0); break;             // NEWFALSE
            case ')': push(make(PObj::Tuple)); break;  // EMPTY_TUPLE
            case ']': push(make(PObj::List)); break;   // EMPTY_LIST
            case '}': push(make(PObj::Dict)); break;   // EMPTY_DICT
            case 0x85: case 0x86: case 0x87: {         // TUPLE1..3
                const size_t n = size_t(op - 0x84);
                if (stack_.size() < n) fail("stack underflow");
                auto t = make(PObj::Tuple);
                t->items.assign(stack_.end() - long(n), stack_.end());
                for (auto& x : t->items) check_value(x);
                stack_.resize(stack_.size() - n);
                push(t);
                break;
            }
            case 't': {  // TUPLE
                auto t = make(PObj::Tuple);
                t->items = pop_mark();
                push(t);
                break;
            }
            case 'e': {  // APPENDS
                auto items = pop_mark();
                auto l = top();
                if (l->kind != PObj::List) fail("APPENDS to a non-list");
                for (auto& x : items) l->items.push_back(x);
                break;
            }
            case 'a': {  // APPEND
                auto x = pop();
                auto l = top();
                if (l->kind != PObj::List) fail("APPEND to a non-list");
                l->items.push_back(x);
                break;
            }
            case 'u': {  // SETITEMS
                auto items = pop_mark();
                if (items.size() % 2) fail("SETITEMS with an odd number of items");
                auto dct = top();
                if (dct->kind != PObj::Dict) fail("SETITEMS on a non-dict");
                for (size_t k = 0; k < items.size(); k += 2) dct->dict.emplace_back(items[k], items[k + 1]);
                break;
            }
            case 's': {  // SETITEM
                auto v = pop();
                auto k = pop();
                auto dct = top();
                if (dct->kind != PObj::Dict) fail("SETITEM on a non-dict");
                dct->dict.emplace_back(k, v);
                break;
            }
            case 0x93: {  // STACK_GLOBAL
                auto name = pop();
                auto mod = pop();
                if (mod->kind != PObj::Str || name->kind != PObj::Str) fail("STACK_GLOBAL of non-strings");
                const std::string g = mod->s + "." + name->s;
                if (g != "array._array_reconstructor" && g != "array.array")
                    fail("refuses the global '" + g + "' (only array.array data is expected)");
                auto p = make(PObj::Global);
                p->s = g;
                push(p);
                break;
            }
            case 'R': {  // REDUCE: only array._array_reconstructor(array.array, typecode, mformat, bytes)
                auto args = pop();
                auto fn = pop();
                if (fn->kind != PObj::Global || fn->s != "array._array_reconstructor")
                    fail("REDUCE of something other than array._array_reconstructor");
                if (args->kind != PObj::Tuple || args->items.size() != 4 || args->items[0]->kind != PObj::Global ||
                    args->items[0]->s != "array.array" || args->items[1]->kind != PObj::Str ||
                    args->items[2]->kind != PObj::Int || args->items[3]->kind != PObj::Bytes)
                    fail("unexpected arguments to array._array_reconstructor");
                auto a = make(PObj::Array);
                a->arr.typecode = args->items[1]->s;
                a->arr.mformat = args->items[2]->i;
                a->arr.bytes = std::move(args->items[3]->s);
                push(a);
                break;
            }
            case '.': {  // STOP
                auto r = pop();
                if (!stack_.empty()) fail("data left on the stack at STOP");
                return r;
            }
            default: {
                char buf[8];
                std::snprintf(buf, sizeof buf, "0x%02x", op);
                fail(std::string("unsupported pickle opcode ") + buf + " at byte " + std::to_string(pos_ - 1));
            }
            }
        }
    }

private:
    [[noreturn]] void fail(const std::string& why) const { throw Error(what_ + ": pickle: " + why); }

    P make(PObj::Kind k) {
        arena_.push_back(std::make_unique<PObj>());
        arena_.back()->kind = k;
        return arena_.back().get();
    }

    std::string_view take(size_t n) {
        if (n > d_.size() - pos_) fail("truncated at byte " + std::to_string(pos_));
        auto r = d_.substr(pos_, n);
        pos_ += n;
        return r;
    }
    uint64_t le(size_t n) {
        auto b = take(n);
        uint64_t v = 0;
        for (size_t k = 0; k < n; ++k) v |= uint64_t(uint8_t(b[k])) << (8 * k);
        return v;
    }
    size_t u8() { return size_t(le(1)); }
    size_t u16() { return size_t(le(2)); }
    uint32_t u32() { return uint32_t(le(4)); }
    uint64_t u64() { return le(8); }

    void push(P p) {
        if (stack_.size() > 1000000) fail("stack too deep");
        stack_.push_back(std::move(p));
    }
    void push_int(int64_t v) {
        auto p = make(PObj::Int);
        p->i = v;
        push(p);
    }
    void push_str(PObj::Kind k, std::string_view s) {
        auto p = make(k);
        p->s.assign(s);
        push(p);
    }
    void check_value(const P& p) const {
        if (p->kind == PObj::Mark) fail("MARK used as a value");
    }
    P top() const {
        if (stack_.empty()) fail("stack underflow");
        check_value(stack_.back());
        return stack_.back();
    }
    P pop() {
        P p = top();
        stack_.pop_back();
        return p;
    }
    std::vector<P> pop_mark() {
        size_t k = stack_.size();
        while (k > 0 && stack_[k - 1]->kind != PObj::Mark) --k;
        if (k == 0) fail("no MARK on the stack");
        std::vector<P> items(stack_.begin() + long(k), stack_.end());
        stack_.resize(k - 1);
        return items;
    }
    void put(size_t idx) { memo_[idx] = top(); }
    P get(size_t idx) const {
        auto it = memo_.find(idx);
        if (it == memo_.end()) fail("memo index " + std::to_string(idx) + " not set");
        return it->second;
    }

    std::string_view d_;
    std::string what_;
    size_t pos_ = 0;
    std::vector<std::unique_ptr<PObj>> arena_;
    std::vector<P> stack_;
    std::unordered_map<size_t, P> memo_;
};

template <class T>
std::vector<T> array_values(const P& p, const char* typecode, int64_t mformat, const std::string& field,
                            const std::string& what) {
    if (p->kind != PObj::Array || p->arr.typecode != typecode || p->arr.mformat != mformat)
        throw Error(what + ": " + field + ": expected array('" + typecode + "') in little-endian machine format");
    if (p->arr.bytes.size() % sizeof(T)) throw Error(what + ": " + field + ": byte length not a multiple of the item size");
    std::vector<T> v(p->arr.bytes.size() / sizeof(T));
    std::memcpy(v.data(), p->arr.bytes.data(), p->arr.bytes.size());  // little-endian host (x86-64, arm64)
    return v;
}

}  // namespace

LangIdModel parse_langid_pickle(std::string_view pickle, const std::string& what) {
    PickleReader r(pickle, what);
    P root = r.run();
    if (root->kind != PObj::Tuple || root->items.size() != 5)
        throw Error(what + ": expected the tuple (nb_ptc, nb_pc, nb_classes, tk_nextmove, tk_output)");
    LangIdModel m;
    m.nb_ptc = array_values<float>(root->items[0], "f", 14, "nb_ptc", what);
    m.nb_pc = array_values<float>(root->items[1], "f", 14, "nb_pc", what);
    const P& cls = root->items[2];
    if (cls->kind != PObj::List) throw Error(what + ": nb_classes: expected a list");
    for (const auto& c : cls->items) {
        if (c->kind != PObj::Str) throw Error(what + ": nb_classes: expected strings");
        m.classes.push_back(c->s);
    }
    m.nextmove = array_values<uint16_t>(root->items[3], "H", 2, "tk_nextmove", what);
    const size_t nc = m.classes.size();
    if (nc == 0 || m.nb_pc.size() != nc || m.nb_ptc.size() % nc != 0 || m.nb_ptc.empty())
        throw Error(what + ": inconsistent sizes of nb_ptc, nb_pc and nb_classes");
    if (m.nextmove.empty() || m.nextmove.size() % 256 != 0)
        throw Error(what + ": tk_nextmove: length is not a positive multiple of 256");
    const size_t nstates = m.nextmove.size() / 256;
    for (uint16_t s : m.nextmove)
        if (s >= nstates) throw Error(what + ": tk_nextmove: state out of range");
    const size_t nfeat = m.num_feats();
    const P& out = root->items[4];
    if (out->kind != PObj::Dict) throw Error(what + ": tk_output: expected a dict");
    m.output.assign(nstates, {});
    for (const auto& [k, v] : out->dict) {
        if (k->kind != PObj::Int || k->i < 0 || size_t(k->i) >= nstates)
            throw Error(what + ": tk_output: key is not a valid state");
        if (v->kind != PObj::Tuple && v->kind != PObj::List) throw Error(what + ": tk_output: value is not a tuple");
        auto& dst = m.output[size_t(k->i)];
        dst.clear();  // a repeated key: the last one wins, as in a Python dict
        for (const auto& f : v->items) {
            if (f->kind != PObj::Int || f->i < 0 || size_t(f->i) >= nfeat)
                throw Error(what + ": tk_output: feature index out of range");
            dst.push_back(uint32_t(f->i));
        }
    }
    return m;
}

LanguageIdentifier::LanguageIdentifier(LangIdModel model) : m_(std::move(model)) {}

LanguageIdentifier LanguageIdentifier::from_file(const std::filesystem::path& plzma) {
    std::ifstream f(plzma, std::ios::binary);
    if (!f) throw Error(plzma.string() + ": cannot open (the py3langid model for language detection)");
    std::ostringstream ss;
    ss << f.rdbuf();
    const std::string raw = lzma_decompress(ss.str(), plzma.string());
    return LanguageIdentifier(parse_langid_pickle(raw, plzma.string()));
}

LanguageIdentifier::Result LanguageIdentifier::classify(std::string_view text) const {
    const size_t nc = m_.classes.size();
    // instance2fv: count every feature of every state entered.
    std::unordered_map<uint32_t, uint32_t> counts;
    uint32_t state = 0;
    for (unsigned char b : text) {
        state = m_.nextmove[(size_t(state) << 8) + b];
        for (uint32_t f : m_.output[state]) ++counts[f];
    }
    // nb_classprobs: fv · nb_ptc + nb_pc, in float64. Features in increasing index order, like a dot
    // product over the dense feature vector.
    std::map<uint32_t, uint32_t> ordered(counts.begin(), counts.end());
    std::vector<double> pd(nc, 0.0);
    for (const auto& [f, n] : ordered) {
        const float* row = &m_.nb_ptc[size_t(f) * nc];
        for (size_t c = 0; c < nc; ++c) pd[c] += double(n) * double(row[c]);
    }
    for (size_t c = 0; c < nc; ++c) pd[c] += double(m_.nb_pc[c]);
    // norm_probs: p_i = 1 / sum_j exp(pd_j - pd_i) (overflow gives inf, hence 0), then argmax (first
    // maximum). p is increasing in pd_i, so only classes whose pd is (nearly) the largest can win; p is
    // computed exactly as numpy does for those, which keeps near-ties decided by the same rounding.
    double max_pd = -INFINITY;
    for (size_t i = 0; i < nc; ++i)
        if (pd[i] > max_pd) max_pd = pd[i];
    size_t best = 0;
    double best_p = -1.0;
    for (size_t i = 0; i < nc; ++i) {
        if (!(pd[i] >= max_pd - 1e-6) && std::isfinite(max_pd)) continue;
        double s = 0.0;
        for (size_t j = 0; j < nc; ++j) s += std::exp(pd[j] - pd[i]);
        const double p = 1.0 / s;
        if (p > best_p) {
            best_p = p;
            best = i;
        }
    }
    return {m_.classes[best], best_p};
}

}  // namespace acestep::text
