// The studio's state and its screen layout.
//
// App owns everything the UI shows: the settings, the take history, the job queue (worker thread),
// the playback transport, the waveform view, and each task panel's own fields.  The panels are free
// functions in panel_*.cpp / model_panel.cpp / export_dialog.cpp that draw from and into App; none of
// them touches a model: generation goes through acestep::Engine on the job queue.
#pragma once

#include <chrono>
#include <future>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "acestep/audio_io.h"
#include "acestep/params.h"
#include "app/jobs.h"
#include "app/playback.h"
#include "app/settings.h"
#include "app/take_history.h"
#include "app/waveform.h"

struct GLFWwindow;

namespace acestep::app {

struct AppOptions {
    std::string config_dir;     // overrides the settings folder
    std::string output_dir;     // overrides settings.output_dir
    std::string checkpoint;     // overrides settings.checkpoint
    bool save_settings = true;
};

struct LoadedAudio {
    std::shared_ptr<const Audio> audio;
    std::shared_ptr<const WaveData> wave;
    std::string error;
};

struct RetakeState { double variance = 0.2; std::string seeds; bool use_source_settings = true; };
struct RepaintState { double variance = 0.2; std::string seeds; };
struct EditState {
    std::string tags, lyrics, seeds;
    std::string type = "only_lyrics";
    double n_min = 0.6, n_max = 1.0;
};
struct ExtendState { std::string seeds; double left = 0.0, right = 30.0; };
struct ExportState {
    bool open = false;
    std::string file_name;
    std::string format = "wav";
    int bit_depth = 0;
    double quality = -1.0;
    std::string result;          // last message
    bool busy = false;
    std::future<std::string> pending;
};

// Per-line lyric languages, as the engine's lyric front end (acestep/lyrics.h) will encode them.
struct LanguagePreview {
    std::future<std::pair<std::vector<std::string>, std::string>> job;  // (per-line "lang" labels, error)
    bool busy = false;
    std::string lyrics;                 // the text the result belongs to
    std::vector<std::string> langs;     // one per lyrics line ("" for blank lines)
    std::string error;
};

class App {
public:
    App(const AppOptions& opt, GLFWwindow* window);
    ~App();

    void frame();                                   // builds the whole UI for one frame
    void on_drop(const std::vector<std::string>& paths);
    void save_now();                                // persist settings

    // ---- actions shared by panels and scripts ----
    void select_take(int index);
    void submit_generate(GenerationParams p, const std::string& title, const std::string& parent);
    void apply_engine_options();
    const LoadedAudio* audio_for(const std::string& path);  // nullptr while loading
    std::string output_dir() const;
    void notify(const std::string& msg, bool error = false);
    void reveal(const std::string& path);           // open the containing folder
    const TakeEntry* selected_take() const;
    double selected_seconds();                      // 0 when unknown

    // ---- state ----
    AppOptions opt;
    GLFWwindow* window = nullptr;
    Settings settings;
    std::string settings_file;
    TakeHistory history;
    int selected = -1;          // index into history.entries
    std::string selected_path;  // survives re-sorting
    std::string compare_path;   // the B take for A/B
    JobQueue jobs;
    Player player;
    WaveformView wave;
    double sel_a = 0.0, sel_b = 0.0;   // waveform selection = repaint range (seconds)
    bool loop_selection = false;

    std::map<std::string, std::shared_future<LoadedAudio>> audio_cache;
    std::string wave_path;      // the take whose data the waveform shows

    // panels
    std::string active_tab = "Text2Music";
    std::string preset = "Custom";
    int lyrics_cursor = -1;
    std::string sidecar_choice;
    std::vector<std::string> sidecar_files;
    RetakeState retake;
    RepaintState repaint;
    EditState edit;
    ExtendState extend;
    ExportState exporter;
    std::string rename_buf;
    int rename_index = -1;
    int confirm_delete = -1;
    LanguagePreview languages;
    std::string hub_repo = "ACE-Step/ACE-Step-v1-3.5B";
    std::string hub_cache;

    // messages
    std::string status_line;
    bool status_error = false;
    std::vector<std::string> log;
    std::string settings_warning;

    // frame timing (filled by main's loop)
    double last_frame_ms = 0.0;
    bool quit_requested = false;

private:
    void draw_menu();
    void draw_output_column();
    void draw_transport();
    void draw_history();
    void draw_jobs();
    void process_finished_jobs();
    void sync_waveform();
    std::chrono::steady_clock::time_point last_save_;
};

// Panels (one file each).
void draw_text2music(App& app);
void draw_retake(App& app);
void draw_repaint(App& app);
void draw_edit(App& app);
void draw_extend(App& app);
void draw_model_panel(App& app);
void draw_export_dialog(App& app);

// Helpers shared by the panels.
std::string seeds_error(const std::string& text);    // "" when the text parses
std::string format_seconds(double s);                 // "1:23.4"
std::string fmt_eta(double s);
// Example inputs for Sample (examples.cpp): the folders searched, in order, and the files of the
// first that has any ("" / empty when none). lora: prefer the zh_rap_lora set.
std::vector<std::string> example_roots();
std::vector<std::string> example_files(bool lora);

}  // namespace acestep::app
