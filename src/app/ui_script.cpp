// Scripted UI runs (see ui_script.h).
#include "app/ui_script.h"

#include <GL/gl.h>
#include <stb/stb_image_write.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "acestep/fs_util.h"
#include "app/app.h"
#include "app/widgets.h"

namespace acestep::app {

namespace fs = std::filesystem;

bool UiScript::load(const std::string& path, std::string* error) {
    try {
        auto j = nlohmann::json::parse(read_file(path, 16u << 20));
        if (j.is_object() && j.contains("actions")) j = j["actions"];
        if (!j.is_array()) throw std::runtime_error("expected a JSON array of actions (or {\"actions\": [...]})");
        for (auto& a : j)
            if (!a.is_object() || !a.contains("do") || !a["do"].is_string())
                throw std::runtime_error("every action needs a \"do\" field: " + a.dump());
        actions_ = j;
        return true;
    } catch (const std::exception& e) {
        if (error) *error = path + ": " + e.what();
        return false;
    }
}

void UiScript::fail(const std::string& msg) {
    errors_.push_back("step " + std::to_string(pc_ + 1) + ": " + msg);
    std::fprintf(stderr, "script: %s\n", errors_.back().c_str());
    done_ = true;
}

void UiScript::record_frame(double ms, double cpu_ms, bool busy) {
    frame_ms_.push_back(ms);
    cpu_ms_.push_back(cpu_ms);
    if (busy) {
        busy_ms_.push_back(ms);
        if (busy_cpu_ms_.empty() || cpu_ms > busy_cpu_max_) {
            busy_cpu_max_ = cpu_ms;
            busy_cpu_worst_ = "step " + std::to_string(pc_ + 1) +
                              (pc_ < actions_.size() ? " (" + actions_[pc_]["do"].get<std::string>() + ")" : "");
        }
        busy_cpu_ms_.push_back(cpu_ms);
    }
}

void UiScript::before_frame(App& app, ImGuiIO& io) {
    auto& drv = ui::driver();
    // Mouse injection runs regardless of the step logic (one event per frame).
    if (mouse_i_ < mouse_script_.size()) {
        io.MousePos = mouse_script_[mouse_i_].first;
        io.MouseDown[0] = mouse_script_[mouse_i_].second;
        ++mouse_i_;
        return;
    }
    if (done_) return;
    if (!drv.last_error.empty()) {
        fail(drv.last_error);
        drv.last_error.clear();
        return;
    }
    if (wait_frames_ > 0) {
        --wait_frames_;
        return;
    }
    if (pc_ >= actions_.size()) {
        done_ = true;
        return;
    }
    const auto& a = actions_[pc_];
    const std::string what = a["do"];
    if (!step_started_) {
        step_started_ = true;
        step_frames_ = 0;
        step_start_ = std::chrono::steady_clock::now();
    }
    ++step_frames_;
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - step_start_).count();
    auto next = [&] {
        ++pc_;
        step_started_ = false;
    };
    auto timeout = [&](double dflt) { return a.value("timeout_s", dflt); };

    if (what == "tab") {
        if (step_frames_ == 1) drv.pending_tab = a.value("name", "");
        else if (drv.pending_tab.empty()) { wait_frames_ = 2; next(); }
        else if (step_frames_ > 30) { fail("no tab labelled '" + drv.pending_tab + "'"); drv.pending_tab.clear(); }
    } else if (what == "set") {
        std::string label = a.value("label", "");
        if (step_frames_ == 1) drv.pending_set[label] = a.value("value", nlohmann::json());
        else if (!drv.pending_set.count(label)) { wait_frames_ = 1; next(); }
        else if (step_frames_ > 30) { drv.pending_set.erase(label); fail("no control labelled '" + label + "' on screen"); }
    } else if (what == "click") {
        std::string label = a.value("label", "");
        if (step_frames_ == 1) drv.pending_click.insert(label);
        else if (!drv.pending_click.count(label)) { wait_frames_ = 2; next(); }
        else if (step_frames_ > 30) { drv.pending_click.erase(label); fail("no button labelled '" + label + "' on screen"); }
    } else if (what == "drag") {
        std::string target = a.value("target", "waveform");
        auto it = drv.rects.find(target);
        if (it == drv.rects.end()) {
            if (step_frames_ > 30) fail("no region '" + target + "' on screen");
            return;
        }
        ImVec4 r = it->second;
        float y = (r.y + r.w) / 2, x0 = r.x + float(a.value("from", 0.2)) * (r.z - r.x), x1 = r.x + float(a.value("to", 0.6)) * (r.z - r.x);
        mouse_script_.clear();
        mouse_i_ = 0;
        mouse_script_.push_back({ImVec2(x0, y), false});
        mouse_script_.push_back({ImVec2(x0, y), true});
        for (int i = 1; i <= 6; ++i) mouse_script_.push_back({ImVec2(x0 + (x1 - x0) * i / 6.0f, y), true});
        mouse_script_.push_back({ImVec2(x1, y), false});
        mouse_script_.push_back({ImVec2(x1, r.w + 40), false});  // move away so no tooltip remains
        wait_frames_ = 2;
        next();
    } else if (what == "drop") {
        std::vector<std::string> paths;
        for (auto& p : a.value("paths", nlohmann::json::array())) paths.push_back(p.get<std::string>());
        app.on_drop(paths);
        wait_frames_ = 2;
        next();
    } else if (what == "select_take") {
        int i = a.value("index", 0);
        if (i < 0 || i >= (int)app.history.entries.size()) fail("no take #" + std::to_string(i) + " in the history");
        else { app.select_take(i); wait_frames_ = 2; next(); }
    } else if (what == "wait_jobs") {
        if (step_frames_ < 3) return;  // let a click reach the queue
        if (!app.jobs.busy()) {
            for (auto& j : app.jobs.snapshot())
                if (j.state == JobState::Failed) {
                    fail("job '" + j.spec.title + "' failed: " + j.error);
                    return;
                }
            wait_frames_ = 3;
            next();
        } else if (elapsed > timeout(600)) {
            app.jobs.cancel_all();
            fail("jobs still running after " + std::to_string((int)timeout(600)) + " s");
        }
    } else if (what == "wait_audio") {
        auto* t = app.selected_take();
        if (t && app.wave_path == t->audio_path && app.wave.data()) { wait_frames_ = 2; next(); }
        else if (elapsed > timeout(30)) fail("the selected take's audio did not load");
    } else if (what == "play") {
        if (step_frames_ == 1) {
            play_start_frames_ = app.player.frames_delivered();
            app.player.seek(a.value("from", 0.0));
            app.player.reset_played_range();
            app.player.play();
            // An unpaced device (ALSA null) may finish a short clip before this line: look at frames too.
            if (!app.player.playing() && app.player.frames_delivered() == play_start_frames_ &&
                !app.player.message().empty()) {
                fail("playback did not start: " + app.player.message());
                return;
            }
        } else if (elapsed >= a.value("seconds", 1.0) || !app.player.playing()) {
            app.player.pause();
            uint64_t n = app.player.frames_delivered() - play_start_frames_;
            auto range = app.player.played_range();
            playback_frames_ += n;
            plays_.push_back({{"frames", n}, {"range", {range.first, range.second}}, {"looping", app.player.looping()}});
            app.player.stop();
            next();
        }
    } else if (what == "wait_export") {
        if (step_frames_ < 3) return;
        if (!app.exporter.busy) {
            if (app.exporter.result.rfind("exported", 0) != 0) fail("export: " + app.exporter.result);
            else next();
        } else if (elapsed > timeout(120)) fail("export still running");
    } else if (what == "wait_frames") {
        wait_frames_ = a.value("n", 1);
        next();
    } else if (what == "sleep") {
        if (elapsed >= a.value("seconds", 0.5)) next();
    } else if (what == "screenshot") {
        // A couple of frames first, so a freshly selected tab or loaded take is fully laid out.
        if (step_frames_ == 3) pending_screenshot_ = a.value("path", "screenshot.png");
        else if (step_frames_ > 3 && pending_screenshot_.empty()) next();
    } else if (what == "touch") {
        std::ofstream(a.value("path", "")) << "ready\n";
        next();
    } else if (what == "wait_file") {
        std::error_code ec;
        if (fs::exists(a.value("path", ""), ec)) next();
        else if (elapsed > timeout(60)) fail("no file " + a.value("path", "") + " appeared");
    } else if (what == "quit") {
        done_ = true;
        next();
    } else {
        fail("unknown action '" + what + "'");
    }
}

void UiScript::after_render(App&, int w, int h) {
    if (pending_screenshot_.empty()) return;
    std::vector<unsigned char> px((size_t)w * h * 4), flipped((size_t)w * h * 4);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadBuffer(GL_BACK);
    glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, px.data());
    for (int y = 0; y < h; ++y)
        std::copy_n(&px[(size_t)(h - 1 - y) * w * 4], (size_t)w * 4, &flipped[(size_t)y * w * 4]);
    for (size_t i = 3; i < flipped.size(); i += 4) flipped[i] = 255;
    std::error_code ec;
    fs::path p(pending_screenshot_);
    if (!p.parent_path().empty()) fs::create_directories(p.parent_path(), ec);
    if (stbi_write_png(pending_screenshot_.c_str(), w, h, 4, flipped.data(), w * 4)) screenshots_.push_back(pending_screenshot_);
    else fail("cannot write " + pending_screenshot_);
    pending_screenshot_.clear();
}

static nlohmann::json stats(std::vector<double> v) {
    nlohmann::json j;
    j["count"] = v.size();
    if (v.empty()) return j;
    std::sort(v.begin(), v.end());
    j["max_ms"] = v.back();
    j["median_ms"] = v[v.size() / 2];
    j["p95_ms"] = v[std::min(v.size() - 1, (size_t)(v.size() * 0.95))];
    j["over_33ms"] = std::count_if(v.begin(), v.end(), [](double x) { return x >= 33.0; });
    return j;
}

nlohmann::json UiScript::report(App& app) const {
    nlohmann::json j;
    j["ok"] = errors_.empty() && pc_ >= actions_.size();
    j["errors"] = errors_;
    j["steps_done"] = pc_;
    j["steps_total"] = actions_.size();
    j["startup_ms"] = startup_ms_;
    j["startup_cpu_ms"] = startup_cpu_ms_;
    // Skip the first frames (font atlas upload, first layout) in the overall figure.
    std::vector<double> steady(frame_ms_.begin() + std::min<size_t>(frame_ms_.size(), 5), frame_ms_.end());
    j["frames"] = stats(steady);
    j["frames_while_busy"] = stats(busy_ms_);
    // The UI thread's own CPU time per frame (building the UI + issuing GL calls): independent of how
    // loaded the machine is, and what "all work on the worker thread" keeps small.
    std::vector<double> steady_cpu(cpu_ms_.begin() + std::min<size_t>(cpu_ms_.size(), 5), cpu_ms_.end());
    j["ui_cpu"] = stats(steady_cpu);
    j["ui_cpu_while_busy"] = stats(busy_cpu_ms_);
    if (!busy_cpu_ms_.empty()) j["ui_cpu_while_busy"]["max_during"] = busy_cpu_worst_;
    nlohmann::json takes = nlohmann::json::array();
    for (auto& e : app.history.entries)
        takes.push_back({{"name", e.name}, {"audio_path", e.audio_path}, {"sidecar", e.sidecar_path},
                         {"task", e.imported ? "import" : e.params.task}, {"parent", e.parent}, {"imported", e.imported},
                         {"seconds", e.seconds}});
    j["takes"] = takes;
    j["selected"] = app.selected_path;
    j["selection"] = {app.sel_a, app.sel_b};
    j["playback_frames"] = playback_frames_;
    j["plays"] = plays_;
    j["player_message"] = app.player.message();
    j["ab"] = {{"b", app.compare_path}, {"has_b", app.player.has_source(1)}, {"gain_b", app.player.gain(1)}};
    j["audio_devices"] = app.player.devices();
    j["screenshots"] = screenshots_;
    j["applied"] = ui::driver().applied;
    j["log"] = app.log;
    nlohmann::json jobs = nlohmann::json::array();
    for (auto& jv : app.jobs.snapshot())
        jobs.push_back({{"title", jv.spec.title}, {"state", job_state_name(jv.state)}, {"error", jv.error}, {"wall_s", jv.wall_s}});
    j["jobs"] = jobs;
    auto st = app.jobs.engine_status();
    j["engine"] = {{"loaded", st.loaded}, {"device", st.device}, {"dtype", st.dtype}, {"warning", st.warning}};
    j["export_result"] = app.exporter.result;
    return j;
}

}  // namespace acestep::app
