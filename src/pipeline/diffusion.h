// The two diffusion loops of ACEStepPipeline, exact to the official code (spec model.md §8, §9):
//
//   text2music_diffusion  text2music, retake, repaint, extend and audio2audio
//                         (text2music_diffusion_process + add_latents_noise)
//   flowedit_diffusion    edit (flowedit_diffusion_process + calc_v)
//
// They take the already encoded text / lyric conditions and the source latents and return the final
// latents [B, 8, 16, W] handed to the decoder.  Random tensors come from a NoiseSource in the official
// draw order.  Official behaviour kept on purpose: Q10 (guidance interval from N with Heun), Q12
// (audio2audio noise level), Q13/Q14 (repaint/extend/edit use a plain Euler update regardless of the
// scheduler and ignore omega), Q18 (retake angle rounded to the dtype), Q19/Q20 (flow-edit with
// PingPong and the momentum asymmetry), Q21 (cfg_star zero-init), Q22 (dtype flow), Q25 (a repaint of
// the whole clip is a retake).  Bugs not copied (README, "Differences from the official app"): Q15
// (extend past 240 s re-attaches the wrong frames), Q16 (extension longer than the source asserts),
// Q17 (two-sided extend shortens the right side), Q34 (interval of one step divides by zero).
#pragma once

#include <ATen/ATen.h>

#include <atomic>
#include <functional>

#include "acestep/params.h"
#include "pipeline/components.h"
#include "pipeline/rng.h"

namespace acestep::pipeline {

// Latent frames for a duration in seconds: int(s * 44100 / 512 / 8), truncated toward zero.
int64_t frames_for_seconds(double seconds);
inline constexpr int64_t kMaxFrames = 2583;  // int(240 * 44100 / 512 / 8), the official window

// Progress inside a loop: entries run so far (skipped ones included) and DiT evaluations done / planned.
struct StepInfo {
    int64_t index = 0, total = 0;
    int64_t evals_done = 0, evals_total = 0;
};
struct LoopHooks {
    std::function<void(const StepInfo&)> on_step;  // after every loop entry
    const std::atomic<bool>* cancel = nullptr;     // checked before every entry: throws acestep::Cancelled
};

struct Text2MusicInputs {
    double duration = 0;            // seconds (already resolved when <= 0)
    bool add_retake_noise = false;  // retake / repaint / extend
    double repaint_start = 0, repaint_end = 0;
    at::Tensor text_hidden, text_mask, text_hidden_null;  // text_hidden_null undefined = no ERG tag
    at::Tensor speaker, lyric_ids, lyric_mask;
    at::Tensor src_latents;  // repaint / extend source [B,8,16,W0]
    at::Tensor ref_latents;  // audio2audio reference [B,8,16,W]
};

at::Tensor text2music_diffusion(const Components& c, const GenerationParams& p, const Text2MusicInputs& in,
                                NoiseSource& noise, const LoopHooks& hooks = {});

struct FlowEditInputs {
    at::Tensor text_hidden, text_mask, speaker, lyric_ids, lyric_mask;                 // source description
    at::Tensor target_text_hidden, target_text_mask, target_lyric_ids, target_lyric_mask;  // target
    at::Tensor src_latents;
};

at::Tensor flowedit_diffusion(const Components& c, const GenerationParams& p, const FlowEditInputs& in,
                              NoiseSource& noise, const LoopHooks& hooks = {});

// Geometry of an extend job (official rules with Q15/Q17 fixed): frames added on each side, the
// generation window inside the padded latent, and the source frames kept outside the window.
struct ExtendPlan {
    int64_t src_frames = 0, pad_left = 0, pad_right = 0;
    int64_t trim_left = 0, trim_right = 0;  // padded-latent frames outside the 240 s window
    int64_t window() const { return src_frames + pad_left + pad_right - trim_left - trim_right; }
};
// Throws acestep::Error for a range that extends nothing or cannot fit the window.
ExtendPlan plan_extend(int64_t src_frames, double repaint_start, double repaint_end);

}  // namespace acestep::pipeline
