// GenerationParams: the one parameter struct of a generation, mirrored 1:1 by the sidecar JSON
// (`<take>_input_params.json`) with the official ACEStepPipeline.__call__ keys and defaults
// (spec: product.md §3.2, model.md §10.2).  The GUI edits it, the CLI parses into it, the pipeline
// reads it; no parameter is renamed on the way.
//
// Reading accepts every variant the official app wrote: the current 37 keys, the 35-key zh_rap_lora
// files, the 17-key examples, and call-argument dumps that use `manual_seeds`.  Numbers may be ints
// or floats.  Writing produces the 37 official keys (plus ours: batch_size, manual/lyrics options).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace acestep {

struct Timecosts {
    double preprocess = 0.0;
    double diffusion = 0.0;
    double latent2audio = 0.0;
};

struct GenerationParams {
    std::string format = "wav";               // wav | flac | ogg | mp3 | opus
    std::string lora_name_or_path = "none";   // "none", a folder, or an HF repo id
    double lora_weight = 1.0;
    std::string task = "text2music";          // text2music | retake | repaint | edit | extend | audio2audio
    std::string prompt;                       // tags (for edit the saved file stores the target here)
    std::string lyrics;
    double audio_duration = 60.0;             // seconds; <= 0 -> random 30..240 s
    int64_t infer_step = 60;
    double guidance_scale = 15.0;
    std::string scheduler_type = "euler";     // euler | heun | pingpong
    std::string cfg_type = "apg";             // apg | cfg | cfg_star
    double omega_scale = 10.0;
    double guidance_interval = 0.5;
    double guidance_interval_decay = 0.0;
    double min_guidance_scale = 3.0;
    bool use_erg_tag = true;
    bool use_erg_lyric = true;
    bool use_erg_diffusion = true;
    std::vector<int64_t> oss_steps;           // empty = off
    std::vector<int64_t> manual_seeds;        // input seeds (empty = random); "actual_seeds" in files
    std::vector<int64_t> retake_seeds;        // input retake/variation seeds (empty = random)
    double retake_variance = 0.5;
    double guidance_scale_text = 0.0;
    double guidance_scale_lyric = 0.0;
    double repaint_start = 0.0;
    double repaint_end = 0.0;
    double edit_n_min = 0.0;
    double edit_n_max = 1.0;
    int64_t edit_n_avg = 1;
    std::optional<std::string> src_audio_path;
    std::optional<std::string> edit_target_prompt;
    std::optional<std::string> edit_target_lyrics;
    bool audio2audio_enable = false;
    double ref_audio_strength = 0.5;
    std::optional<std::string> ref_audio_input;
    int64_t batch_size = 1;                   // ours: number of takes, one seed each
    std::string lyrics_language;              // ours: "" = detect per line; else force e.g. "ja"

    // Filled by the pipeline for the saved sidecar.
    std::vector<int64_t> actual_seeds;
    std::vector<int64_t> actual_retake_seeds;
    Timecosts timecosts;
    std::string audio_path;
};

// Throws acestep::Error("<where>: field 'x': ...") on a mistyped field. Unknown keys are ignored.
GenerationParams params_from_json(const nlohmann::json& j, const std::string& where = "parameters");
GenerationParams load_params_file(const std::string& path);
// The sidecar object (official keys and order, then ours).
nlohmann::ordered_json params_to_json(const GenerationParams& p);
std::string params_to_json_text(const GenerationParams& p);  // 4-space indent, UTF-8 kept

// Seeds as the official UI accepts them: "123", "1,2,3", "" (random). Throws on junk.
std::vector<int64_t> parse_seed_list(const std::string& text, const std::string& what = "seeds");
std::string seed_list_to_string(const std::vector<int64_t>& seeds);

// Rejects absurd values with the valid range: "audio_duration must be in 1..240 s (or <= 0 for random), got 1e9".
// Checks only what can be checked without the model (files are checked when the job runs).
void validate_params(const GenerationParams& p);

// Allowed values, shared by the CLI help and the GUI.
inline constexpr double kMaxDurationSeconds = 240.0;
inline constexpr double kMinDurationSeconds = 1.0;
inline constexpr int64_t kMaxInferSteps = 1000;
inline constexpr int64_t kMaxBatchSize = 64;

}  // namespace acestep
