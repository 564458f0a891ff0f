// Checkpoint discovery: where the four components of ACE-Step/ACE-Step-v1-3.5B live on disk.
//
// Accepted layouts for a user-given path P:
//   P/{ace_step_transformer,music_dcae_f8c8,music_vocoder,umt5-base}/            (plain folder)
//   P = .../models--ACE-Step--ACE-Step-v1-3.5B            (its refs/main snapshot, else the newest complete one)
//   P/models--ACE-Step--ACE-Step-v1-3.5B/snapshots/<rev>/  (a Hugging Face hub cache, e.g. ~/.cache/ace-step/checkpoints)
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace acestep {

namespace fs = std::filesystem;

inline constexpr const char* kHfRepoId = "ACE-Step/ACE-Step-v1-3.5B";
inline constexpr const char* kHfRepoFolder = "models--ACE-Step--ACE-Step-v1-3.5B";

struct ComponentPaths {
    fs::path dir;
    fs::path config;   // config.json
    fs::path weights;  // *.safetensors
};

struct CheckpointPaths {
    fs::path root;  // the folder holding the four component folders
    ComponentPaths dit;      // ace_step_transformer
    ComponentPaths dcae;     // music_dcae_f8c8
    ComponentPaths vocoder;  // music_vocoder
    ComponentPaths umt5;     // umt5-base
    fs::path umt5_spiece;          // umt5-base/spiece.model if present
    fs::path umt5_tokenizer_json;  // umt5-base/tokenizer.json if present
};

// Resolves P as described above. Throws acestep::Error that lists every missing file.
CheckpointPaths find_checkpoint(const fs::path& path);
// Same, but returns nullopt and fills `why` instead of throwing.
std::optional<CheckpointPaths> try_find_checkpoint(const fs::path& path, std::string* why = nullptr);

// Where the app looks when no --checkpoint is given, in order: $ACESTEP_CHECKPOINT, ./models,
// the official app's ~/.cache/ace-step/checkpoints, and the Hugging Face hub cache.
std::vector<fs::path> default_checkpoint_search_path();
// The Hugging Face hub cache: $HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub.
fs::path hf_hub_cache_dir();

}  // namespace acestep
