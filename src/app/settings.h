// Studio settings that persist between runs: a small JSON file in the user's config folder
// ($ACESTEP_CONFIG_DIR, else $XDG_CONFIG_HOME/acestep, else ~/.config/acestep)/settings.json.
// Holds the engine options, folders, export choices, audio device, the last Text2Music parameters
// (as a sidecar-shaped object) and imported files.  A damaged file is reported and replaced by defaults.
#pragma once

#include <string>
#include <vector>

#include "acestep/params.h"

namespace acestep::app {

struct Settings {
    // engine (model panel)
    std::string checkpoint;          // "" = default search
    std::string device = "auto";
    std::string dtype = "auto";
    int threads = 0;
    bool overlapped_decode = true;
    // folders
    std::string output_dir;          // "" = ./outputs
    std::string export_dir;          // "" = output_dir
    std::string lora_dir;            // scanned for LoRA folders
    // export dialog
    std::string export_format = "wav";
    int export_bit_depth = 0;
    double export_quality = -1.0;
    // playback
    std::string audio_device;        // "" = system default
    bool level_match = true;
    // view
    bool show_spectrogram = true;
    bool snap_to_frames = true;
    float font_scale = 0.0f;         // 0 = from the monitor's DPI
    int window_w = 1280, window_h = 800;
    // state
    GenerationParams t2m;            // the Text2Music panel
    std::string seeds_text;          // manual seeds as typed
    std::vector<std::string> imports;

    static Settings defaults();
};

std::string settings_dir();            // creates nothing
std::string settings_path();
// Never throws: a missing file gives defaults; a broken one gives defaults and *warning.
Settings load_settings(const std::string& path, std::string* warning);
// Atomic write; returns false and *error on failure.
bool save_settings(const Settings& s, const std::string& path, std::string* error);

}  // namespace acestep::app
