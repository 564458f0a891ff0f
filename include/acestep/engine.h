// acestep::Engine — the public face of the generation engine, shared by the GUI and the CLI.
//
// It owns the model store (which components are loaded, on which device, in which dtype, when they
// are released) and runs ACEStepPipeline.__call__ for every task.  The header is torch-free, so the
// GUI and CLI compile without LibTorch headers.
//
// Threading: generate() runs on the caller's thread (the GUI uses a worker thread); status() and
// request_cancel-style flags may be used from any thread.  Models load lazily on the first
// generate() (or explicitly with load()).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "acestep/params.h"

namespace acestep {

struct EngineOptions {
    std::string checkpoint;        // checkpoint folder; "" = search the default locations
    std::string device = "auto";   // auto | cpu | cuda | cuda:N
    std::string dtype = "auto";    // auto | fp32 | bf16 (| fp16 on GPU)
    int threads = 0;               // CPU threads, 0 = all cores
    bool overlapped_decode = true; // windowed DCAE/vocoder decode for long audio (> 48 s), caps memory
    std::string lyric_data_dir;    // lyric front end data; "" = next to the checkpoint
    bool offline = false;          // never touch the network
};

// One progress report. Stages, in order: "load", "text", "lyrics", "source" (encode source audio),
// "diffusion", "decode", "vocoder", "write".
struct Progress {
    std::string stage;
    int step = 0, total = 0;   // position inside the stage (diffusion: model step k of N)
    double fraction = 0.0;     // whole job, 0..1
    double elapsed_s = 0.0;
    double eta_s = -1.0;       // < 0 while unknown
    std::string message;       // human-readable, e.g. "diffusion step 12/60"
};
using ProgressFn = std::function<void(const Progress&)>;

struct OutputOptions {
    std::string out_dir = "outputs";
    std::string file_stem;     // "" = output_<YYYYmmddHHMMSS>_<i> (never colliding)
    int bit_depth = 0;         // 0 = the format's default (wav float32, flac 16)
    double quality = -1.0;     // lossy formats, 0..1; < 0 = codec default
    bool write_sidecar = true; // <stem>_input_params.json
};

struct Take {
    std::string audio_path;
    std::string params_path;   // sidecar
    GenerationParams params;   // exactly what the sidecar holds
    double seconds = 0.0;
    int sample_rate = 48000;
};

struct EngineStatus {
    bool loaded = false;
    std::string checkpoint;    // resolved folder, or "" if none found
    std::string device;        // e.g. "cpu (2 threads)" or "cuda:0 (NVIDIA ...)"
    std::string dtype;         // "fp32" / "bf16"
    std::string warning;       // e.g. "CUDA was requested but is unavailable: running on CPU"
    uint64_t weight_bytes = 0; // memory held by loaded weights
    std::string lora;          // active LoRA ("none")
    std::string lora_rule;     // how its scale was derived (file metadata or ranks; acestep/lora_config.h)
};

// Token ids that replace the lyric front end for one job (acestep-cli generate --lyric-ids): the ids
// ACEStepPipeline.tokenize_lyrics would return, e.g. [261, ..., 2].
struct GivenTokens {
    std::optional<std::vector<int64_t>> lyric_ids;         // for `lyrics`
    std::optional<std::vector<int64_t>> target_lyric_ids;  // for `edit_target_lyrics`
};

class Engine {
public:
    explicit Engine(EngineOptions opt = {});
    ~Engine();
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    // Loads every component (no-op when loaded). Throws acestep::Error naming the missing file.
    void load(const ProgressFn& progress = {});
    void unload();
    EngineStatus status() const;
    const EngineOptions& options() const;

    // Runs one job (batch_size takes) and writes the audio files + sidecars.  Validates the
    // parameters first (nothing is written for bad input); throws acestep::Cancelled when *cancel
    // becomes true between steps (memory freed, no partial file left).
    // Order of work: validation (task, ranges, files, format, LoRA file, lyric front end) -> memory
    // guard (refuses a job that cannot fit, naming the figures) -> load -> run -> write.
    std::vector<Take> generate(const GenerationParams& params, const OutputOptions& out,
                               const ProgressFn& progress = {}, const std::atomic<bool>* cancel = nullptr,
                               const GivenTokens* tokens = nullptr);

private:
    friend struct EngineInternals;  // src/pipeline/engine_internals.h (tests)
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace acestep
