// UMT5 prompt tokenizer (see umt5_tokenizer.h): the sentencepiece shim loader and the two sources.
#include "text/umt5_tokenizer.h"

#include <dlfcn.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <mutex>
#include <optional>

#include "acestep/error.h"
#include "text/hf_tokenizer.h"
#include "text/spm_proto.h"
#include "text/spm_shim/spm_wrap.h"

#ifndef ACESTEP_SPM_MODULE_NAME
#define ACESTEP_SPM_MODULE_NAME "acestep_spm.so"
#endif

#if defined(__SANITIZE_ADDRESS__)
#define ACESTEP_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ACESTEP_ASAN 1
#endif
#endif

namespace acestep {

namespace fs = std::filesystem;

namespace {

// ---- the sentencepiece module ---------------------------------------------------------------------

struct SpmApi {
    int (*abi_version)();
    acestep_spm* (*load_file)(const char*);
    acestep_spm* (*load_proto)(const void*, size_t);
    void (*free_model)(acestep_spm*);
    acestep_spm_result* (*encode)(const acestep_spm*, const char*, size_t);
    void (*free_result)(acestep_spm_result*);
    int (*vocab_size)(const acestep_spm*);
    int (*piece_to_id)(const acestep_spm*, const char*);
    const char* (*last_error)();
};

fs::path exe_dir() {
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    return ec ? fs::path() : exe.parent_path();
}

// The shared object (or executable) that holds this code.
fs::path this_object_dir() {
    Dl_info info{};
    if (dladdr(reinterpret_cast<void*>(&exe_dir), &info) && info.dli_fname && *info.dli_fname) {
        std::error_code ec;
        const fs::path p = fs::weakly_canonical(fs::path(info.dli_fname), ec);
        return ec ? fs::path(info.dli_fname).parent_path() : p.parent_path();
    }
    return {};
}

template <class F>
void bind(void* h, const char* name, F& fn, const std::string& path) {
    void* s = dlsym(h, name);
    if (!s) throw Error(path + ": not a sentencepiece shim (no symbol " + name + ")");
    fn = reinterpret_cast<F>(s);
}

const SpmApi& spm_api() {
    static std::mutex mu;
    static std::optional<SpmApi> api;  // loaded once, never unloaded
    std::lock_guard<std::mutex> lock(mu);
    if (api) return *api;

    // RTLD_DEEPBIND makes the module resolve sentencepiece's bundled protobuf before LibTorch's.
    // AddressSanitizer refuses RTLD_DEEPBIND; sanitizer builds are torch-free, so it is not needed there.
    int flags = RTLD_NOW | RTLD_LOCAL;
#if !defined(ACESTEP_ASAN)
    flags |= RTLD_DEEPBIND;
#endif
    const auto candidates = Umt5Tokenizer::module_search_path();
    std::string tried;
    for (const auto& c : candidates) {
        std::error_code ec;
        if (!fs::is_regular_file(c, ec)) {
            tried += (tried.empty() ? "" : ", ") + c.string();
            continue;
        }
        void* h = dlopen(c.c_str(), flags);
        if (!h) {
            const char* e = dlerror();
            tried += (tried.empty() ? "" : ", ") + c.string() + " (" + (e ? e : "dlopen failed") + ")";
            continue;
        }
        SpmApi a{};
        const std::string p = c.string();
        bind(h, "acestep_spm_abi_version", a.abi_version, p);
        bind(h, "acestep_spm_load_file", a.load_file, p);
        bind(h, "acestep_spm_load_proto", a.load_proto, p);
        bind(h, "acestep_spm_free", a.free_model, p);
        bind(h, "acestep_spm_encode", a.encode, p);
        bind(h, "acestep_spm_free_result", a.free_result, p);
        bind(h, "acestep_spm_vocab_size", a.vocab_size, p);
        bind(h, "acestep_spm_piece_to_id", a.piece_to_id, p);
        bind(h, "acestep_spm_last_error", a.last_error, p);
        if (a.abi_version() != ACESTEP_SPM_ABI_VERSION)
            throw Error(p + ": sentencepiece shim ABI " + std::to_string(a.abi_version()) + ", this build needs " +
                        std::to_string(ACESTEP_SPM_ABI_VERSION) + " (rebuild acestep_spm)");
        api = a;
        return *api;
    }
    throw Error(std::string("sentencepiece module ") + ACESTEP_SPM_MODULE_NAME +
                " (needed by the UMT5 tokenizer) not found or not loadable; looked at: " + tried +
                ". Build the acestep_spm target or set $ACESTEP_SPM_MODULE to its path");
}

struct ModelDeleter {
    void operator()(acestep_spm* p) const {
        if (p) spm_api().free_model(p);
    }
};
using ModelPtr = std::unique_ptr<acestep_spm, ModelDeleter>;

struct Encoded {
    std::vector<int64_t> ids;
    std::vector<std::string> pieces;
};

Encoded spm_encode(const acestep_spm* m, std::string_view text, bool want_pieces) {
    const SpmApi& api = spm_api();
    acestep_spm_result* r = api.encode(m, text.data(), text.size());
    if (!r) throw Error(std::string("UMT5 tokenizer: sentencepiece failed: ") + api.last_error());
    Encoded e;
    e.ids.reserve(r->n);
    for (size_t i = 0; i < r->n; ++i) {
        e.ids.push_back(r->ids[i]);
        if (want_pieces) e.pieces.emplace_back(r->text + r->offsets[i]);
    }
    api.free_result(r);
    return e;
}

}  // namespace

// ---- Umt5Tokenizer --------------------------------------------------------------------------------

struct Umt5Tokenizer::Impl {
    fs::path source;
    ModelPtr model;
    std::optional<hf::UnigramTokenizerJson> hf;  // set for tokenizer.json
    std::vector<int64_t> prefix, suffix;         // special ids around the pieces
    int64_t eos = 1, pad = 0, vocab = 0;

    Encoded body(std::string_view text, bool want_pieces) const {
        if (!hf) return spm_encode(model.get(), text, want_pieces);
        Encoded out;
        for (const auto& part : hf->pre_tokenize(text)) {
            if (part.id >= 0) {
                out.ids.push_back(part.id);
                if (want_pieces) {
                    std::string content;
                    for (const auto& a : hf->added_tokens())
                        if (a.id == part.id) content = a.content;
                    out.pieces.push_back(content);
                }
                continue;
            }
            Encoded e = spm_encode(model.get(), part.text, want_pieces);
            out.ids.insert(out.ids.end(), e.ids.begin(), e.ids.end());
            for (auto& p : e.pieces) out.pieces.push_back(std::move(p));
        }
        return out;
    }
};

Umt5Tokenizer::Umt5Tokenizer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Umt5Tokenizer::Umt5Tokenizer(Umt5Tokenizer&&) noexcept = default;
Umt5Tokenizer& Umt5Tokenizer::operator=(Umt5Tokenizer&&) noexcept = default;
Umt5Tokenizer::~Umt5Tokenizer() = default;

Umt5Tokenizer::Umt5Tokenizer(const CheckpointPaths& ckpt) : Umt5Tokenizer([&] {
    std::error_code ec;
    if (!ckpt.umt5_spiece.empty() && fs::is_regular_file(ckpt.umt5_spiece, ec))
        return std::move(from_spiece(ckpt.umt5_spiece).impl_);
    if (!ckpt.umt5_tokenizer_json.empty() && fs::is_regular_file(ckpt.umt5_tokenizer_json, ec))
        return std::move(from_tokenizer_json(ckpt.umt5_tokenizer_json).impl_);
    throw Error((ckpt.umt5.dir / "tokenizer.json").string() + ": missing (the UMT5 tokenizer needs tokenizer.json or spiece.model in " +
                ckpt.umt5.dir.string() + ")");
}()) {}

Umt5Tokenizer Umt5Tokenizer::from_spiece(const fs::path& path) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) throw Error(path.string() + ": no such file");
    const SpmApi& api = spm_api();
    auto impl = std::make_unique<Impl>();
    impl->source = path;
    impl->model.reset(api.load_file(path.c_str()));
    if (!impl->model) throw Error(path.string() + ": cannot load sentencepiece model: " + api.last_error());
    impl->vocab = api.vocab_size(impl->model.get());
    impl->eos = api.piece_to_id(impl->model.get(), "</s>");
    if (impl->eos < 0) throw Error(path.string() + ": the sentencepiece model has no </s> piece");
    impl->pad = api.piece_to_id(impl->model.get(), "<pad>");
    if (impl->pad < 0) impl->pad = 0;
    impl->suffix = {impl->eos};
    return Umt5Tokenizer(std::move(impl));
}

namespace {
// Rebuilds the Unigram model as a ModelProto and loads it through the shim.
std::unique_ptr<Umt5Tokenizer::Impl> hf_impl(hf::UnigramTokenizerJson json, const fs::path& source) {
    auto impl = std::make_unique<Umt5Tokenizer::Impl>();
    impl->source = source;
    const hf::UnigramTokenizerJson& j = impl->hf.emplace(std::move(json));
    const std::string proto = spm::serialize(j.to_spm_model());
    const SpmApi& api = spm_api();
    impl->model.reset(api.load_proto(proto.data(), proto.size()));
    if (!impl->model) throw Error(j.what() + ": sentencepiece rejects the model rebuilt from it: " + api.last_error());
    impl->prefix = j.prefix_ids();
    impl->suffix = j.suffix_ids();
    impl->eos = j.token_to_id("</s>");
    impl->pad = std::max<int64_t>(0, j.token_to_id("<pad>"));
    int64_t vocab = static_cast<int64_t>(j.vocab().size());
    for (const auto& a : j.added_tokens()) vocab = std::max(vocab, a.id + 1);
    impl->vocab = vocab;
    return impl;
}
}  // namespace

Umt5Tokenizer Umt5Tokenizer::from_tokenizer_json(const fs::path& path) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) throw Error(path.string() + ": no such file");
    return Umt5Tokenizer(hf_impl(hf::UnigramTokenizerJson::load(path.string()), path));
}

Umt5Tokenizer Umt5Tokenizer::from_tokenizer_json_text(const std::string& text, const std::string& what) {
    return Umt5Tokenizer(hf_impl(hf::UnigramTokenizerJson::parse(text, what), what));
}

std::vector<int64_t> Umt5Tokenizer::encode(std::string_view text, size_t max_length) const {
    const size_t specials = impl_->prefix.size() + impl_->suffix.size();
    if (max_length <= specials)
        throw Error("UMT5 tokenizer: max_length " + std::to_string(max_length) + " leaves no room for text");
    Encoded b = impl_->body(text, false);
    if (b.ids.size() > max_length - specials) b.ids.resize(max_length - specials);
    std::vector<int64_t> ids;
    ids.reserve(b.ids.size() + specials);
    ids.insert(ids.end(), impl_->prefix.begin(), impl_->prefix.end());
    ids.insert(ids.end(), b.ids.begin(), b.ids.end());
    ids.insert(ids.end(), impl_->suffix.begin(), impl_->suffix.end());
    return ids;
}

std::vector<std::string> Umt5Tokenizer::pieces(std::string_view text) const { return impl_->body(text, true).pieces; }

Umt5Tokenizer::Batch Umt5Tokenizer::encode_batch(const std::vector<std::string>& texts, size_t max_length) const {
    std::vector<std::vector<int64_t>> rows;
    rows.reserve(texts.size());
    size_t len = 0;
    for (const auto& t : texts) {
        rows.push_back(encode(t, max_length));
        len = std::max(len, rows.back().size());
    }
    Batch b;
    b.batch = static_cast<int64_t>(rows.size());
    b.length = static_cast<int64_t>(len);
    b.input_ids.assign(rows.size() * len, impl_->pad);
    b.attention_mask.assign(rows.size() * len, 0);
    for (size_t r = 0; r < rows.size(); ++r)
        for (size_t i = 0; i < rows[r].size(); ++i) {
            b.input_ids[r * len + i] = rows[r][i];
            b.attention_mask[r * len + i] = 1;
        }
    return b;
}

int64_t Umt5Tokenizer::vocab_size() const { return impl_->vocab; }
int64_t Umt5Tokenizer::eos_id() const { return impl_->eos; }
int64_t Umt5Tokenizer::pad_id() const { return impl_->pad; }
const fs::path& Umt5Tokenizer::source() const { return impl_->source; }

std::vector<fs::path> Umt5Tokenizer::module_search_path() {
    if (const char* e = std::getenv("ACESTEP_SPM_MODULE"); e && *e) return {fs::path(e)};
    std::vector<fs::path> out;
    auto add = [&](const fs::path& p) {
        if (p.empty()) return;
        const fs::path n = p.lexically_normal();
        for (const auto& q : out)
            if (q == n) return;
        out.push_back(n);
    };
    const fs::path exe = exe_dir();
    if (!exe.empty()) {
        add(exe / ".." / "lib" / ACESTEP_SPM_MODULE_NAME);
        add(exe / ACESTEP_SPM_MODULE_NAME);
    }
    const fs::path lib = this_object_dir();
    if (!lib.empty()) add(lib / ACESTEP_SPM_MODULE_NAME);
#ifdef ACESTEP_SPM_INSTALL_DIR
    add(fs::path(ACESTEP_SPM_INSTALL_DIR) / ACESTEP_SPM_MODULE_NAME);
#endif
    return out;
}

}  // namespace acestep
