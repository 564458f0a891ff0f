// Persisted studio settings (see settings.h).
#include "app/settings.h"

#include <cstdlib>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "acestep/fs_util.h"
#include "app/presets.h"

namespace acestep::app {

Settings Settings::defaults() {
    Settings s;
    // The official Text2Music panel's defaults (product spec §1.1), which differ from the pipeline's.
    s.t2m.prompt = kDefaultTags;
    s.t2m.lyrics = kDefaultLyrics;
    s.t2m.audio_duration = -1.0;
    s.t2m.use_erg_lyric = false;
    s.t2m.retake_variance = 0.2;
    return s;
}

std::string settings_dir() {
    if (const char* d = std::getenv("ACESTEP_CONFIG_DIR"); d && *d) return d;
    if (const char* x = std::getenv("XDG_CONFIG_HOME"); x && *x) return std::string(x) + "/acestep";
    if (const char* h = std::getenv("HOME"); h && *h) return std::string(h) + "/.config/acestep";
    return ".acestep";
}

std::string settings_path() { return settings_dir() + "/settings.json"; }

template <class T>
static void get(const nlohmann::json& j, const char* k, T* v) {
    auto it = j.find(k);
    if (it == j.end()) return;
    try { *v = it->get<T>(); } catch (...) {}
}

Settings load_settings(const std::string& path, std::string* warning) {
    Settings s = Settings::defaults();
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return s;
    try {
        auto j = nlohmann::json::parse(read_file(path, 16u << 20));
        if (!j.is_object()) throw std::runtime_error("not a JSON object");
        get(j, "checkpoint", &s.checkpoint);
        get(j, "device", &s.device);
        get(j, "dtype", &s.dtype);
        get(j, "threads", &s.threads);
        get(j, "overlapped_decode", &s.overlapped_decode);
        get(j, "output_dir", &s.output_dir);
        get(j, "export_dir", &s.export_dir);
        get(j, "lora_dir", &s.lora_dir);
        get(j, "export_format", &s.export_format);
        get(j, "export_bit_depth", &s.export_bit_depth);
        get(j, "export_quality", &s.export_quality);
        get(j, "audio_device", &s.audio_device);
        get(j, "level_match", &s.level_match);
        get(j, "show_spectrogram", &s.show_spectrogram);
        get(j, "snap_to_frames", &s.snap_to_frames);
        get(j, "font_scale", &s.font_scale);
        get(j, "window_w", &s.window_w);
        get(j, "window_h", &s.window_h);
        get(j, "seeds_text", &s.seeds_text);
        get(j, "imports", &s.imports);
        if (j.contains("text2music")) {
            try {
                s.t2m = params_from_json(j["text2music"], path + ": text2music");
            } catch (const std::exception& e) {
                if (warning) *warning = std::string("settings: ") + e.what() + " (Text2Music reset to defaults)";
            }
        }
    } catch (const std::exception& e) {
        if (warning) *warning = path + ": unreadable settings (" + e.what() + "); using defaults";
        return Settings::defaults();
    }
    return s;
}

bool save_settings(const Settings& s, const std::string& path, std::string* error) {
    try {
        nlohmann::ordered_json j;
        j["checkpoint"] = s.checkpoint;
        j["device"] = s.device;
        j["dtype"] = s.dtype;
        j["threads"] = s.threads;
        j["overlapped_decode"] = s.overlapped_decode;
        j["output_dir"] = s.output_dir;
        j["export_dir"] = s.export_dir;
        j["lora_dir"] = s.lora_dir;
        j["export_format"] = s.export_format;
        j["export_bit_depth"] = s.export_bit_depth;
        j["export_quality"] = s.export_quality;
        j["audio_device"] = s.audio_device;
        j["level_match"] = s.level_match;
        j["show_spectrogram"] = s.show_spectrogram;
        j["snap_to_frames"] = s.snap_to_frames;
        j["font_scale"] = s.font_scale;
        j["window_w"] = s.window_w;
        j["window_h"] = s.window_h;
        j["seeds_text"] = s.seeds_text;
        j["imports"] = s.imports;
        j["text2music"] = params_to_json(s.t2m);
        std::filesystem::create_directories(std::filesystem::path(path).parent_path());
        write_file_atomic(path, j.dump(2), Overwrite::Replace);
        return true;
    } catch (const std::exception& e) {
        if (error) *error = e.what();
        return false;
    }
}

}  // namespace acestep::app
