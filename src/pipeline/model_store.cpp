// ModelStore (see model_store.h): checkpoint resolution, component loading on a device/dtype, the
// adapters from the concrete models to the pipeline interfaces, LoRA, status.
#include "pipeline/model_store.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>

#include <ATen/Parallel.h>

#include "acestep/config.h"
#include "acestep/error.h"
#include "acestep/lora_config.h"
#include "acestep/hub.h"
#include "acestep/lyrics.h"
#include "acestep/safetensors.h"
#include "models/device.h"
#include "models/dit.h"
// MusicDCAE (models/music_dcae.h) is written in parallel with this file; the store picks it up as soon as
// it is in the tree (verified against it: all e2e_* cases incl. audio_48k pass with it).
#if __has_include("models/music_dcae.h")
#include "models/music_dcae.h"
#define ACESTEP_HAVE_MUSIC_DCAE 1
#else
#define ACESTEP_HAVE_MUSIC_DCAE 0
#endif
#include "models/umt5.h"
#include "models/weights.h"
#include "text/umt5_tokenizer.h"

namespace acestep::pipeline {

namespace {

// ---- adapters -----------------------------------------------------------------------------------

// UMT5 + its tokenizer: get_text_embeddings / get_text_embeddings_null (model.md §2).
class Umt5TextEncoder final : public TextEncoder {
public:
    // `tok` empty: in-memory components without a tokenizer (ModelStore::adopt); prompts need given ids.
    Umt5TextEncoder(std::optional<Umt5Tokenizer> tok, Umt5Encoder enc) : tok_(std::move(tok)), enc_(std::move(enc)) {}
    void tokenize(const std::string& prompt, at::Tensor* ids, at::Tensor* mask) const override {
        if (!tok_) throw Error("the text encoder was built in memory without a UMT5 tokenizer: give the prompt as token ids");
        const std::vector<int64_t> v = tok_->encode(prompt);
        at::Tensor t = at::empty({1, (int64_t)v.size()}, at::kLong);
        std::copy(v.begin(), v.end(), t.data_ptr<int64_t>());
        *ids = t.to(enc_.device());
        *mask = at::ones_like(*ids);
    }
    at::Tensor encode(const at::Tensor& ids, const at::Tensor& mask, bool erg) const override {
        static const Umt5Erg kErg{};  // blocks 8..9, tau 0.01 (get_text_embeddings_null)
        return enc_.forward(ids, mask, erg ? &kErg : nullptr);
    }

private:
    std::optional<Umt5Tokenizer> tok_;
    Umt5Encoder enc_;
};

// The DiT: transformer.encode per condition set (with its cross-attention K/V cached), decode per step.
class DitDenoiser final : public Denoiser {
public:
    explicit DitDenoiser(AceStepTransformer dit) : dit_(std::move(dit)) {}
    Condition encode(const at::Tensor& text_hidden, const at::Tensor& text_mask, const at::Tensor& speaker,
                     const at::Tensor& lyric_ids, const at::Tensor& lyric_mask, bool erg_lyric) const override {
        DitCondition c = dit_.encode(text_hidden, text_mask, speaker, lyric_ids, lyric_mask,
                                     erg_lyric ? ErgScale::lyric() : ErgScale::none());
        Condition out;
        out.hidden = c.hidden;
        out.mask = c.mask;
        out.cache = std::make_shared<DitConditionCache>(dit_.cache_condition(c));
        return out;
    }
    at::Tensor decode(const at::Tensor& x, const at::Tensor& attention_mask, const Condition& cond, const at::Tensor& timestep,
                      bool erg_diffusion) const override {
        const ErgScale erg = erg_diffusion ? ErgScale::diffusion() : ErgScale::none();
        if (cond.cache) {
            const auto& cc = *static_cast<const DitConditionCache*>(cond.cache.get());
            if (cc.lora_generation == dit_.lora_generation()) return dit_.decode(x, attention_mask, cc, timestep, erg);
        }
        return dit_.decode(x, attention_mask, DitCondition{cond.hidden, cond.mask}, timestep, erg);
    }
    int64_t speaker_dim() const override { return dit_.config().speaker_embedding_dim; }
    AceStepTransformer& model() { return dit_; }

private:
    AceStepTransformer dit_;
};

// The lyric front end (include/acestep/lyrics.h) as the pipeline's LyricTokenizer.
class FrontEndLyrics final : public LyricTokenizer {
public:
    explicit FrontEndLyrics(const fs::path& data_dir) : fe_(data_dir) {}
    std::vector<int64_t> tokenize(const std::string& lyrics, const std::string& language) const override {
        return fe_.ids(lyrics, language);
    }

private:
    LyricFrontEnd fe_;
};

uint64_t file_weight_bytes(const fs::path& st_path, at::ScalarType dtype) {
    auto f = st::File::open(st_path);
    uint64_t n = 0;
    for (const auto& t : f->tensors()) n += (uint64_t)t.numel() * at::elementSize(dtype);
    return n;
}

std::string device_label(at::Device d) {
    if (d.is_cuda()) return "cuda:" + std::to_string(d.index() < 0 ? 0 : d.index());
    return "cpu";
}

std::string lower(std::string s) {
    for (auto& c : s) c = (char)std::tolower((unsigned char)c);
    return s;
}

}  // namespace

// ---- LoRA files ---------------------------------------------------------------------------------

std::optional<LoraFile> resolve_lora(const std::string& name) {
    if (name.empty() || lower(name) == "none") return std::nullopt;
    static const char* kFile = "pytorch_lora_weights.safetensors";
    std::error_code ec;
    const fs::path p(name);
    if (fs::is_regular_file(p, ec)) return LoraFile{name, p};
    if (fs::is_directory(p, ec)) {
        if (fs::is_regular_file(p / kFile, ec)) return LoraFile{name, p / kFile};
        throw Error("LoRA '" + name + "': the folder has no " + kFile);
    }
    // An HF repo id ("owner/name") already in the hub cache.
    const auto slash = name.find('/');
    if (slash != std::string::npos && slash > 0 && name.find('/', slash + 1) == std::string::npos) {
        const fs::path repo = hf_hub_cache_dir() / ("models--" + name.substr(0, slash) + "--" + name.substr(slash + 1));
        if (fs::is_directory(repo / "snapshots", ec)) {
            std::string rev;
            if (fs::is_regular_file(repo / "refs" / "main", ec)) {
                std::FILE* f = std::fopen((repo / "refs" / "main").c_str(), "r");
                if (f) {
                    char buf[128] = {0};
                    if (std::fgets(buf, sizeof buf, f)) rev = buf;
                    std::fclose(f);
                    while (!rev.empty() && (rev.back() == '\n' || rev.back() == '\r')) rev.pop_back();
                }
            }
            if (!rev.empty() && fs::is_regular_file(repo / "snapshots" / rev / kFile, ec))
                return LoraFile{name, repo / "snapshots" / rev / kFile};
            for (const auto& e : fs::directory_iterator(repo / "snapshots", ec))
                if (fs::is_regular_file(e.path() / kFile, ec)) return LoraFile{name, e.path() / kFile};
        }
        throw Error("LoRA '" + name + "': no such folder or file, and not in the Hugging Face cache (" +
                    hf_hub_cache_dir().string() + "); download the adapter folder and give its path");
    }
    throw Error("LoRA '" + name + "': no such folder or file");
}

// ---- the store ----------------------------------------------------------------------------------

struct ModelStore::Loaded {
    std::unique_ptr<Umt5TextEncoder> text;
    std::unique_ptr<DitDenoiser> dit;
    std::shared_ptr<AudioCodec> codec;
    uint64_t weight_bytes = 0;
};

ModelStore::ModelStore(StoreOptions opt) : opt_(std::move(opt)) {
    init_runtime(opt_.threads);
    const std::string d = lower(opt_.device);
    if (d.rfind("cuda", 0) == 0 && !cuda_available()) {
        // Validate the spelling first, then fall back with a warning instead of failing.
        if (d != "cuda" && (d.size() < 6 || d[4] != ':' || d.find_first_not_of("0123456789", 5) != std::string::npos))
            throw Error("device '" + opt_.device + "': expected cpu, cuda, cuda:N or auto");
        device_ = at::Device(at::kCPU);
        warning_ = "CUDA was requested (" + opt_.device + ") but " +
                   std::string(at::hasCUDA() ? "no GPU is visible" : "this build has no CUDA support or no NVIDIA GPU is visible") +
                   ": running on the CPU";
    } else {
        device_ = parse_device(opt_.device);
    }
    // "auto": bf16 where it is fast (GPU; CPU with avx512_bf16/amx: ~2x fp32 GEMM), else fp32.
    dtype_ = parse_dtype(opt_.dtype, device_);
}

ModelStore::~ModelStore() = default;

const CheckpointPaths& ModelStore::checkpoint() {
    if (ckpt_) return *ckpt_;
    if (!opt_.checkpoint.empty()) {
        ckpt_ = find_checkpoint(opt_.checkpoint);
        return *ckpt_;
    }
    std::string looked;
    for (const auto& p : default_checkpoint_search_path()) {
        std::string why;
        if (auto c = try_find_checkpoint(p, &why)) {
            ckpt_ = *c;
            return *ckpt_;
        }
        looked += (looked.empty() ? "" : ", ") + p.string();
    }
    throw Error("no ACE-Step checkpoint found (looked in: " + looked +
                "); run 'acestep-cli download' or give the folder with --checkpoint DIR");
}

const ModelConfigs& ModelStore::configs() {
    if (configs_) return *configs_;
    const CheckpointPaths& c = checkpoint();
    ModelConfigs m;
    m.dit = load_dit_config(c.dit.config.string());
    m.dcae = load_dcae_config(c.dcae.config.string());
    m.vocoder = load_vocoder_config(c.vocoder.config.string());
    m.umt5 = load_umt5_config(c.umt5.config.string());
    configs_ = m;
    return *configs_;
}

bool ModelStore::has_lyric_tokenizer() {
    if (lyrics_override_) return true;
    if (!lyrics_tried_) {
        lyrics_tried_ = true;
        try {
            fs::path near;
            try {
                near = lyric_data_dir_near(checkpoint().root);
            } catch (const Error&) {
            }
            const fs::path dir = LyricFrontEnd::resolve_data_dir(opt_.lyric_data_dir, near);
            lyrics_ = std::make_shared<FrontEndLyrics>(dir);
        } catch (const std::exception& e) {
            lyrics_error_ = std::string("the lyric front end cannot start: ") + e.what() +
                            " (or give the token ids: acestep-cli generate --lyric-ids FILE)";
        }
    }
    return lyrics_ != nullptr;
}
bool ModelStore::codec_available() { return ACESTEP_HAVE_MUSIC_DCAE != 0; }

void ModelStore::load(const std::function<void(const std::string&, int, int)>& progress, const std::atomic<bool>* cancel) {
    auto check = [&] {
        if (cancel && cancel->load()) throw Cancelled();
    };
    const CheckpointPaths& c = checkpoint();
    if (!m_) m_ = std::make_unique<Loaded>();
    const int total = 2 + (codec_available() ? 1 : 0);
    int done = 0;
    auto step = [&](const std::string& what) {
        if (progress) progress(what, done, total);
    };
    if (!m_->text) {
        step("text encoder (umt5-base)");
        check();
        Umt5Tokenizer tok(c);
        Umt5Encoder enc = Umt5Encoder::load(c.umt5, dtype_, device_);
        m_->text = std::make_unique<Umt5TextEncoder>(std::move(tok), std::move(enc));
        m_->weight_bytes += file_weight_bytes(c.umt5.weights, dtype_);
    }
    ++done;
    if (!m_->dit) {
        step("diffusion transformer (ace_step_transformer)");
        check();
        auto dit = std::make_unique<DitDenoiser>(AceStepTransformer::load_folder(c.dit.dir.string(), dtype_, device_));
        for (const auto& [k, t] : dit->model().named_parameters()) m_->weight_bytes += (uint64_t)t.nbytes();
        m_->dit = std::move(dit);
    }
    ++done;
#if ACESTEP_HAVE_MUSIC_DCAE
    if (!m_->codec) {
        step("audio codec (music_dcae_f8c8 + music_vocoder)");
        check();
        m_->codec = std::shared_ptr<AudioCodec>(MusicDcae::load(c, dtype_, device_));
        // the vocoder always runs in fp32 (music_dcae.h)
        m_->weight_bytes += file_weight_bytes(c.dcae.weights, dtype_) + file_weight_bytes(c.vocoder.weights, at::kFloat);
    }
    ++done;
#endif
    has_lyric_tokenizer();      // optional: lyric jobs report its error if it cannot start
    if (!lora_path_.empty()) {  // an adapter chosen before an unload() comes back with the model
        const std::string name = lora_name_;
        lora_name_.clear();
        lora_path_.clear();
        set_lora(name, lora_weight_);
    }
    step("ready");
}

void ModelStore::unload() {
    m_.reset();  // the adapter choice (lora_name_) is kept and re-applied by the next load()
}

bool ModelStore::loaded() const { return m_ && m_->text && m_->dit; }

void ModelStore::adopt(const ModelConfigs& configs, Umt5Encoder&& text, AceStepTransformer&& dit,
                       std::shared_ptr<AudioCodec> codec) {
    auto m = std::make_unique<Loaded>();
    m->text = std::make_unique<Umt5TextEncoder>(std::nullopt, std::move(text));
    m->dit = std::make_unique<DitDenoiser>(std::move(dit));
    for (const auto& [k, t] : m->dit->model().named_parameters()) m->weight_bytes += (uint64_t)t.nbytes();
    m->codec = std::move(codec);
    m_ = std::move(m);
    configs_ = configs;
    lyrics_tried_ = true;  // no checkpoint folder to look next to
    if (!lyrics_) lyrics_error_ = "the lyric front end is not available for in-memory components";
    lora_name_.clear();
    lora_path_.clear();
}

Components ModelStore::components() const {
    if (!loaded()) throw Error("the models are not loaded");
    Components c;
    c.text = m_->text.get();
    c.dit = m_->dit.get();
    c.codec = codec_override_ ? codec_override_.get() : m_->codec.get();
    c.lyrics = lyrics_override_ ? lyrics_override_.get() : lyrics_.get();
    c.device = device_;
    c.dtype = dtype_;
    return c;
}

void ModelStore::override_codec(std::shared_ptr<AudioCodec> codec) { codec_override_ = std::move(codec); }
void ModelStore::override_lyrics(std::shared_ptr<LyricTokenizer> lyrics) { lyrics_override_ = std::move(lyrics); }

void ModelStore::set_lora(const std::string& name_or_path, double weight) {
    const std::optional<LoraFile> f = resolve_lora(name_or_path);
    if (!loaded()) throw Error("LoRA: the models are not loaded");
    AceStepTransformer& dit = m_->dit->model();
    if (!f) {
        dit.detach_all_lora();
        lora_name_.clear();
        lora_path_.clear();
        return;
    }
    if (f->path == lora_path_) {  // same adapter: only the weight changes
        dit.set_lora_scale(weight);
        lora_weight_ = weight;
        return;
    }
    struct Loaded {
        std::map<std::string, at::Tensor> tensors;
        LoraScaling scaling;
    };
    auto load = [](const fs::path& path) {
        auto file = st::File::open(path);
        Loaded l;
        std::vector<std::pair<std::string, std::string>> b_keys;  // (key, module), sorted by key as Python lists them
        for (const auto& t : file->tensors()) {
            l.tensors[t.name] = tensor_from_safetensors(t, file, aten_dtype(t.dtype), at::Device(at::kCPU));
            const LoraKey k = parse_lora_key(t.name);
            if (k.part == 'B' && t.shape.size() == 2) b_keys.emplace_back(t.name, k.module);
        }
        std::sort(b_keys.begin(), b_keys.end());
        std::vector<std::pair<std::string, int64_t>> ranks;
        for (const auto& [key, module] : b_keys) ranks.emplace_back(module, l.tensors.at(key).size(1));
        const auto& md = file->metadata();
        const auto it = md.find("lora_adapter_metadata");
        l.scaling = lora_scaling(ranks, it == md.end() ? nullptr : &it->second, path.string());
        return l;
    };
    const Loaded next = load(f->path);
    dit.detach_all_lora();
    try {
        dit.attach_lora_state_dict(next.tensors, weight, next.scaling.factor);  // all-or-nothing: checks every pair first
    } catch (const Error& e) {
        // Put the previous adapter back so a failed switch changes nothing.
        if (!lora_path_.empty()) {
            try {
                const Loaded prev = load(lora_path_);
                dit.attach_lora_state_dict(prev.tensors, lora_weight_, prev.scaling.factor);
            } catch (const std::exception&) {
                lora_name_.clear();
                lora_path_.clear();
            }
        }
        throw Error(f->path.string() + ": " + e.what());
    }
    lora_name_ = f->name;
    lora_path_ = f->path;
    lora_weight_ = weight;
    lora_rule_ = next.scaling.rule;
}

EngineStatus ModelStore::status() const {
    EngineStatus s;
    s.loaded = loaded();
    if (ckpt_) s.checkpoint = ckpt_->root.string();
    s.device = device_label(device_);
    if (device_.is_cpu()) s.device += " (" + std::to_string(at::get_num_threads()) + " threads)";
    s.dtype = dtype_label(dtype_);
    s.warning = warning_;
    s.weight_bytes = m_ ? m_->weight_bytes : 0;
    s.lora = lora();
    if (!lora_name_.empty()) s.lora_rule = lora_rule_;
    return s;
}

}  // namespace acestep::pipeline
