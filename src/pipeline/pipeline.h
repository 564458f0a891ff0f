// ACEStepPipeline.__call__ without the file writing: seeds, text and lyric conditions, source audio,
// the task's diffusion loop, and the decode to 48 kHz stereo (spec model.md §9, §10; product.md §3).
//
//   Job job = prepare_job(params, ...);           // checks everything that needs no model; reads audio
//   RunResult r = run_pipeline(components, job, options);
//
// prepare_job() is where bad input is rejected (one clear acestep::Error, before any model loads or
// any file is written): unknown task / scheduler / cfg type, durations and ranges, a missing or
// unreadable source or reference file, a repaint range outside the source, an extend range that adds
// nothing, heun with oss_steps, an audio2audio strength that leaves no step.  It also resolves what the
// official __call__ resolves: the task (audio2audio when enabled with a reference), a random duration
// for audio_duration <= 0, the retake range [0, duration], and the edit targets (empty = the source
// description, as the official UI does).
#pragma once

#include <ATen/ATen.h>

#include <atomic>
#include <optional>
#include <vector>

#include "acestep/audio_io.h"
#include "acestep/engine.h"
#include "acestep/params.h"
#include "pipeline/components.h"
#include "pipeline/rng.h"

namespace acestep::pipeline {

struct Job {
    GenerationParams params;          // resolved (see above)
    std::optional<Audio> src_audio;   // repaint / edit / extend
    std::optional<Audio> ref_audio;   // audio2audio
    int64_t src_frames = 0;           // latent frames of the source / reference
};

struct PrepareOptions {
    bool have_lyric_tokenizer = true;  // false: non-empty lyrics need given token ids
    bool lyric_ids_given = false;
};

Job prepare_job(const GenerationParams& p, const PrepareOptions& opt = {});

// Inputs that replace a front end (self-test, --lyric-ids): token ids instead of text.
struct Overrides {
    std::optional<std::vector<int64_t>> lyric_ids, target_lyric_ids;
    at::Tensor text_ids, text_mask, target_text_ids, target_text_mask;  // [1, T] int64
};

struct RunOptions {
    ProgressFn progress;
    const std::atomic<bool>* cancel = nullptr;
    NoiseSource* noise = nullptr;  // null: the seeded generators (the official streams)
    Overrides overrides;
    bool decode = true;            // false: stop at the final latents
    bool overlapped_decode = false;  // used when the duration exceeds 48 s (official rule)
};

struct RunResult {
    at::Tensor latents;               // final latents [B, 8, 16, W]
    std::vector<at::Tensor> audio;    // per item fp32 CPU [2, N] at 48 kHz
    GenerationParams params;          // the sidecar content (actual seeds, timecosts, resolved values)
};

RunResult run_pipeline(const Components& c, const Job& job, const RunOptions& opt = {});

// The official sidecar's view of a resolved job (edit stores the target text under prompt/lyrics).
GenerationParams sidecar_params(const GenerationParams& resolved);

}  // namespace acestep::pipeline
