// ModelStore: owns the weights of one ACE-Step checkpoint — what is loaded, on which device, in which
// dtype, and when it is released — and hands the pipeline its components (pipeline/components.h).
//
//   ModelStore store({.checkpoint = dir, .device = "auto", .dtype = "auto"});
//   store.load();                                  // UMT5 + tokenizer, DiT (+ lyric encoder), codec
//   store.set_lora("path/to/lora", 0.8);           // PEFT adapter on the DiT; "none" unloads it
//   run_pipeline(store.components(), job, ...);
//
// Checkpoint discovery follows include/acestep/checkpoint.h (an explicit folder wins over the default
// search path).  Device "auto" takes CUDA when available; a CUDA device asked for on a machine or
// build without CUDA falls back to the CPU with a warning in status() (the official app does this
// silently, product.md §0).  dtype "auto" is bf16 (the official default) for the DiT and the text
// encoder where bf16 is fast: a GPU, or a CPU with avx512_bf16 / amx_bf16 (models/device.h,
// fast_dtype); fp32 (the exact path) on other CPUs.  "fp32" always gives the exact path.
//
// The concrete models are wrapped in small adapters to the pipeline interfaces: Umt5Encoder +
// Umt5Tokenizer -> TextEncoder, AceStepTransformer -> Denoiser (each condition keeps its precomputed
// cross-attention keys/values), MusicDCAE -> AudioCodec, the lyric front end -> LyricTokenizer.
//
// LoRA (model.md §9.7): `<dir>/pytorch_lora_weights.safetensors` (or the file itself, or a Hugging Face
// repo id already in the hub cache) is attached to the loaded DiT without reloading it.  Scale per
// module: lora_weight · lora_alpha / r as diffusers + peft derive them from the file's metadata or, without
// metadata, from its ranks (acestep/lora_config.h; uniform ranks without metadata: lora_weight).
//
// Not thread-safe: the Engine serialises calls.
#pragma once

#include <ATen/ATen.h>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "acestep/checkpoint.h"
#include "acestep/engine.h"
#include "acestep/resources.h"
#include "pipeline/components.h"

namespace acestep {
class Umt5Encoder;
class AceStepTransformer;
}  // namespace acestep

namespace acestep::pipeline {

struct StoreOptions {
    std::string checkpoint;       // "" = the default search path
    std::string device = "auto";  // auto | cpu | cuda | cuda:N
    std::string dtype = "auto";   // auto | fp32 | bf16 | fp16 (GPU)
    int threads = 0;              // CPU threads, 0 = all cores
    std::string lyric_data_dir;   // lyric front end data ("" = next to the checkpoint)
};

// The resolved PEFT adapter of a lora_name_or_path (no tensors loaded).
struct LoraFile {
    std::string name;   // as given
    fs::path path;      // the .safetensors file
};
// Resolves "none"/"" to nullopt; a folder, a .safetensors file, or an HF repo id in the hub cache to its
// file.  Throws acestep::Error naming the path when nothing readable is there.
std::optional<LoraFile> resolve_lora(const std::string& name_or_path);

class ModelStore {
public:
    explicit ModelStore(StoreOptions opt);
    ~ModelStore();
    ModelStore(const ModelStore&) = delete;
    ModelStore& operator=(const ModelStore&) = delete;

    // The checkpoint folders (resolved once; throws acestep::Error listing what is missing or where it looked).
    const CheckpointPaths& checkpoint();
    // The four component configs (cheap; read once).
    const ModelConfigs& configs();
    at::Device device() const { return device_; }
    at::ScalarType dtype() const { return dtype_; }
    const std::string& device_warning() const { return warning_; }

    // Loads every component not yet loaded. `progress(what, done, total)` per component; throws
    // acestep::Cancelled between components when *cancel becomes true (what was loaded stays loaded).
    void load(const std::function<void(const std::string&, int, int)>& progress = {},
              const std::atomic<bool>* cancel = nullptr);
    void unload();
    bool loaded() const;

    // In-memory components instead of a checkpoint (the benchmark: random weights at the real sizes,
    // no 14 GB on disk).  Replaces whatever was loaded; the store then runs exactly as after load().
    // There is no UMT5 tokenizer then: prompts must come as token ids (RunOptions::overrides.text_ids),
    // and the lyric front end is only what override_lyrics() gives.  `configs` are what configs() returns.
    void adopt(const ModelConfigs& configs, Umt5Encoder&& text, AceStepTransformer&& dit, std::shared_ptr<AudioCodec> codec);

    // What this build can do (known without loading anything).
    static bool codec_available();
    bool has_codec() const { return codec_available() || codec_override_ != nullptr; }
    // The lyric front end: built on first use from its data folder (StoreOptions::lyric_data_dir, else
    // $ACESTEP_LYRIC_DATA, else next to the checkpoint).  False when its files are missing; then
    // lyric_tokenizer_error() says why.
    bool has_lyric_tokenizer();
    const std::string& lyric_tokenizer_error() const { return lyrics_error_; }

    // The loaded components (throws acestep::Error if load() has not run).  The codec / lyric tokenizer
    // are null when this build has none.
    Components components() const;

    // Attaches the adapter (replacing another one) or only rescales it when it is already attached.
    // "none" detaches.  Throws acestep::Error (nothing changes then).  Needs load().
    void set_lora(const std::string& name_or_path, double weight);
    std::string lora() const { return lora_name_.empty() ? "none" : lora_name_; }

    EngineStatus status() const;

    // Tests: replace a component by another implementation (e.g. a fake codec).  Kept across unload().
    void override_codec(std::shared_ptr<AudioCodec> codec);
    void override_lyrics(std::shared_ptr<LyricTokenizer> lyrics);

private:
    struct Loaded;
    StoreOptions opt_;
    at::Device device_{at::kCPU};
    at::ScalarType dtype_ = at::kFloat;
    std::string warning_;
    std::optional<CheckpointPaths> ckpt_;
    std::optional<ModelConfigs> configs_;
    std::unique_ptr<Loaded> m_;
    std::shared_ptr<AudioCodec> codec_override_;
    std::shared_ptr<LyricTokenizer> lyrics_override_;
    std::shared_ptr<LyricTokenizer> lyrics_;  // the front end (device independent, kept across unload())
    bool lyrics_tried_ = false;
    std::string lyrics_error_;
    std::string lora_name_;
    fs::path lora_path_;
    double lora_weight_ = 1.0;
    std::string lora_rule_;    // which scale rule the adapter's metadata selected (acestep/lora_config.h)
};

}  // namespace acestep::pipeline
