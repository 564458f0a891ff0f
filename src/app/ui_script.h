// Scripted UI runs: `acestep --script FILE.json [--report OUT.json]` executes a list of UI actions
// against the real app, one step per frame, through the same widgets a person uses (see widgets.h):
//
//   {"do": "tab", "name": "Repaint"}                       select a tab by its label
//   {"do": "set", "label": "Tags", "value": "rock"}        set a control by its visible label
//   {"do": "click", "label": "Generate"}                   click a button by its label
//   {"do": "drag", "target": "waveform", "from": 0.2, "to": 0.6}   a real mouse drag (fractions of the width)
//   {"do": "drop", "paths": ["a.wav"]}                     as if files were dropped on the window
//   {"do": "select_take", "index": 0}                      pick a take in the history (0 = newest)
//   {"do": "wait_jobs", "timeout_s": 600}                  until the job queue is idle (fails on a failed job)
//   {"do": "wait_audio", "timeout_s": 30}                  until the selected take is loaded and shown
//   {"do": "wait_export", "timeout_s": 120}                until the export dialog's file is written
//   {"do": "play", "seconds": 1.0, "from": 0.0}            seek, press Play, let it run, press Stop
//   {"do": "wait_frames", "n": 5} / {"do": "sleep", "seconds": 0.5}
//   {"do": "screenshot", "path": "shot.png"}               the window's pixels, as drawn
//   {"do": "touch", "path": "f"} / {"do": "wait_file", "path": "f"}   hand-shakes with a test driver
//   {"do": "quit"}
//
// A step that cannot be done (no such control on screen, a disabled button, a failed job, a timeout)
// is recorded as an error and the script stops.  At exit a JSON report holds the errors, frame-time
// statistics (overall and while a job was running), the takes in the history, the selection, the
// playback frames delivered (per play step with the range of the clip it went through) and the
// screenshots written.
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include <imgui.h>
#include <nlohmann/json.hpp>

namespace acestep::app {

class App;

class UiScript {
public:
    bool load(const std::string& path, std::string* error);
    // Between the platform's NewFrame and ImGui::NewFrame: advances the script, injects the mouse.
    void before_frame(App& app, ImGuiIO& io);
    // After rendering, before the buffer swap: screenshots.
    void after_render(App& app, int fb_w, int fb_h);
    void record_frame(double ms, double cpu_ms, bool busy);
    bool finished() const { return done_; }
    bool ok() const { return errors_.empty(); }
    nlohmann::json report(App& app) const;
    // Wall time from main() to the first frame, and the process's CPU time by then (from exec).
    void note_startup(double ms, double cpu_ms) {
        startup_ms_ = ms;
        startup_cpu_ms_ = cpu_ms;
    }

private:
    void fail(const std::string& msg);
    nlohmann::json actions_ = nlohmann::json::array();
    size_t pc_ = 0;
    bool done_ = false;
    int wait_frames_ = 0;
    int step_frames_ = 0;                 // frames spent on the current step
    std::chrono::steady_clock::time_point step_start_;
    bool step_started_ = false;
    std::string pending_screenshot_;
    // mouse injection
    std::vector<std::pair<ImVec2, bool>> mouse_script_;
    size_t mouse_i_ = 0;
    uint64_t play_start_frames_ = 0;
    // results
    std::vector<std::string> errors_;
    std::vector<std::string> screenshots_;
    std::vector<double> frame_ms_, busy_ms_, cpu_ms_, busy_cpu_ms_;
    double busy_cpu_max_ = 0.0;   // the most UI CPU of a busy frame so far,
    std::string busy_cpu_worst_;  // and the script step that was running in it
    uint64_t playback_frames_ = 0;
    nlohmann::json plays_ = nlohmann::json::array();  // per play step: frames delivered, clip range (s)
    double startup_ms_ = 0.0, startup_cpu_ms_ = 0.0;
};

}  // namespace acestep::app
