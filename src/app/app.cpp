// The studio's state, layout and glue between panels, jobs, history and transport (see app.h).
#include "app/app.h"

#include <GLFW/glfw3.h>
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <thread>

#include <spawn.h>
#include <sys/wait.h>

extern char** environ;

#include "acestep/checkpoint.h"
#include "acestep/error.h"
#include "app/presets.h"
#include "app/widgets.h"

namespace acestep::app {

namespace fs = std::filesystem;

std::string seeds_error(const std::string& text) {
    try {
        parse_seed_list(text);
        return "";
    } catch (const std::exception& e) {
        return e.what();
    }
}

std::string format_seconds(double s) {
    if (s < 0) s = 0;
    char buf[32];
    int m = int(s / 60);
    std::snprintf(buf, sizeof buf, "%d:%04.1f", m, s - 60 * m);
    return buf;
}

std::string fmt_eta(double s) {
    if (s < 0) return "ETA --";
    char buf[32];
    if (s < 60) std::snprintf(buf, sizeof buf, "ETA %.0f s", s);
    else std::snprintf(buf, sizeof buf, "ETA %d min %02d s", int(s / 60), int(s) % 60);
    return buf;
}

App::App(const AppOptions& o, GLFWwindow* win) : opt(o), window(win) {
    if (!opt.config_dir.empty()) settings_file = opt.config_dir + "/settings.json";
    else settings_file = settings_path();
    settings = load_settings(settings_file, &settings_warning);
    if (!settings_warning.empty()) notify(settings_warning, true);
    if (!opt.output_dir.empty()) settings.output_dir = opt.output_dir;
    if (!opt.checkpoint.empty()) settings.checkpoint = opt.checkpoint;
    retake.seeds.clear();
    history.scan(output_dir(), settings.imports);
    if (!history.entries.empty()) select_take(0);
    if (!settings.audio_device.empty()) player.select_device(settings.audio_device);
    player.set_level_match(settings.level_match);
    apply_engine_options();
    last_save_ = std::chrono::steady_clock::now();
    // Without a checkpoint the first screen is the model panel (where to get one).
    bool found = false;
    if (!settings.checkpoint.empty()) found = (bool)try_find_checkpoint(settings.checkpoint);
    else
        for (auto& p : default_checkpoint_search_path())
            if (try_find_checkpoint(p)) { found = true; break; }
    if (!found) {
        ui::driver().pending_tab = "Model";
        notify("No checkpoint found: choose its folder or download it on the Model tab.");
    }
}

App::~App() {
    jobs.cancel_all();
    save_now();
}

std::string App::output_dir() const { return settings.output_dir.empty() ? std::string("outputs") : settings.output_dir; }

void App::save_now() {
    if (!opt.save_settings) return;
    settings.imports = history.imports();
    if (window) glfwGetWindowSize(window, &settings.window_w, &settings.window_h);
    std::string err;
    if (!save_settings(settings, settings_file, &err)) notify("could not save settings: " + err, true);
}

void App::notify(const std::string& msg, bool error) {
    status_line = msg;
    status_error = error;
    log.push_back((error ? "error: " : "") + msg);
    if (log.size() > 200) log.erase(log.begin());
    std::fprintf(stderr, "%s%s\n", error ? "error: " : "", msg.c_str());
}

void App::apply_engine_options() {
    EngineOptions eo;
    eo.checkpoint = settings.checkpoint;
    eo.device = settings.device;
    eo.dtype = settings.dtype;
    eo.threads = settings.threads;
    eo.overlapped_decode = settings.overlapped_decode;
    jobs.set_engine_options(eo);
}

const TakeEntry* App::selected_take() const {
    return selected >= 0 && selected < (int)history.entries.size() ? &history.entries[selected] : nullptr;
}

void App::select_take(int index) {
    if (index < 0 || index >= (int)history.entries.size()) {
        selected = -1;
        selected_path.clear();
        return;
    }
    selected = index;
    selected_path = history.entries[index].audio_path;
}

const LoadedAudio* App::audio_for(const std::string& path) {
    if (path.empty()) return nullptr;
    auto it = audio_cache.find(path);
    if (it == audio_cache.end()) {
        if (audio_cache.size() > 8) {
            for (auto i = audio_cache.begin(); i != audio_cache.end();) {
                bool keep = i->first == selected_path || i->first == compare_path ||
                            i->second.wait_for(std::chrono::seconds(0)) != std::future_status::ready;
                i = keep ? std::next(i) : audio_cache.erase(i);
            }
        }
        // Reading and analysing a long file takes longer than a frame: do it on a loader thread.
        auto fut = std::async(std::launch::async, [path] {
            LoadedAudio r;
            try {
                auto a = std::make_shared<Audio>(read_audio(path));
                r.wave = std::make_shared<WaveData>(analyze_audio(*a));
                r.audio = a;
            } catch (const std::exception& e) {
                r.error = e.what();
            }
            return r;
        });
        it = audio_cache.emplace(path, fut.share()).first;
    }
    if (it->second.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return nullptr;
    return &it->second.get();
}

double App::selected_seconds() {
    auto* t = selected_take();
    if (!t) return 0.0;
    if (auto* a = audio_for(t->audio_path); a && a->audio) return a->audio->seconds();
    return 0.0;
}

void App::submit_generate(GenerationParams p, const std::string& title, const std::string& parent) {
    try {
        validate_params(p);
    } catch (const std::exception& e) {
        notify(e.what(), true);
        return;
    }
    JobSpec spec;
    spec.kind = JobKind::Generate;
    spec.title = title;
    spec.params = std::move(p);
    // Absolute, so the sidecars' audio_path and the lineage keys do not depend on the working folder.
    std::error_code aec;
    spec.out.out_dir = fs::absolute(output_dir(), aec).lexically_normal().string();
    spec.parent_audio = parent;
    std::error_code ec;
    fs::create_directories(spec.out.out_dir, ec);
    jobs.submit(std::move(spec));
    notify("queued: " + title);
}

void App::on_drop(const std::vector<std::string>& paths) {
    for (auto& p : paths) {
        std::error_code ec;
        if (!fs::is_regular_file(p, ec)) {
            notify(p + ": not a file", true);
            continue;
        }
        std::string ext = fs::path(p).extension().string();
        std::transform(ext.begin(), ext.end(), ext.begin(), ::tolower);
        if (ext == ".json") {
            try {
                auto prm = load_params_file(p);
                std::string fmt = settings.t2m.format;
                settings.t2m = prm;
                settings.seeds_text = seed_list_to_string(prm.manual_seeds);
                if (settings.t2m.format.empty()) settings.t2m.format = fmt;
                notify("loaded settings from " + p);
            } catch (const std::exception& e) {
                notify(e.what(), true);
            }
            continue;
        }
        int idx = history.add_import(p);
        select_take(idx);
        notify("imported " + p + " (use it as the source of Repaint / Edit / Extend or as the A2A reference)");
    }
}

void App::process_finished_jobs() {
    for (auto& j : jobs.take_finished()) {
        const std::string& title = j.spec.title;
        switch (j.state) {
            case JobState::Done:
                if (j.spec.kind == JobKind::Generate) {
                    history.add_generated(j.takes, j.spec.parent_audio);
                    if (!j.takes.empty()) {
                        int idx = history.find(j.takes.front().audio_path);
                        select_take(idx);
                    }
                    char buf[64];
                    std::snprintf(buf, sizeof buf, " (%.1f s)", j.wall_s);
                    notify("done: " + title + buf);
                } else if (j.spec.kind == JobKind::Download) {
                    settings.checkpoint = j.download_dir;
                    apply_engine_options();
                    notify("checkpoint downloaded to " + j.download_dir);
                } else {
                    notify("done: " + title);
                }
                break;
            case JobState::Cancelled: notify("cancelled: " + title); break;
            case JobState::Failed: notify(title + " failed: " + j.error, true); break;
            default: break;
        }
    }
}

void App::sync_waveform() {
    auto* t = selected_take();
    std::string path = t ? t->audio_path : "";
    if (path.empty()) {
        if (!wave_path.empty()) {
            wave.set_data(nullptr);
            wave_path.clear();
            player.set_source(0, nullptr, "");
        }
        return;
    }
    if (path == wave_path) return;
    const LoadedAudio* la = audio_for(path);
    if (!la) return;  // still loading
    wave_path = path;
    if (!la->error.empty()) {
        notify(la->error, true);
        wave.set_data(nullptr);
        player.set_source(0, nullptr, "");
        return;
    }
    wave.set_data(la->wave);
    player.set_source(0, la->audio, t->name);
    player.set_active(0);
    sel_a = sel_b = 0.0;
}

void App::frame() {
    process_finished_jobs();
    if (selected >= 0 && (selected >= (int)history.entries.size() || history.entries[selected].audio_path != selected_path))
        select_take(history.find(selected_path));
    sync_waveform();
    // Keyboard: space = play/pause, Ctrl+Enter = generate (handled in the Text2Music panel).
    ImGuiIO& io = ImGui::GetIO();
    if (!io.WantTextInput && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Space))) {
        if (player.playing()) player.pause();
        else player.play();
    }

    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(vp->WorkPos);
    ImGui::SetNextWindowSize(vp->WorkSize);
    ImGui::Begin("ACE-Step Desktop", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_MenuBar |
                     ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoSavedSettings);
    draw_menu();

    // Loud notice when the engine runs somewhere other than where it was asked to (the official app
    // falls back to CPU silently, #165).
    EngineStatus st = jobs.engine_status();
    if (!st.warning.empty()) {
        ImGui::PushStyleColor(ImGuiCol_ChildBg, ImVec4(0.55f, 0.1f, 0.1f, 1.0f));
        ImGui::BeginChild("##warning", ImVec2(0, ImGui::GetTextLineHeightWithSpacing() * 1.6f), false);
        ImGui::SetCursorPos(ImVec2(8, 4));
        ImGui::Text("WARNING: %s", st.warning.c_str());
        ImGui::EndChild();
        ImGui::PopStyleColor();
    }

    const float status_h = ImGui::GetTextLineHeightWithSpacing() + 6;
    const float avail_w = ImGui::GetContentRegionAvail().x;
    const float left_w = std::max(420.0f, avail_w * 0.44f);
    ImGui::BeginChild("##left", ImVec2(left_w, -status_h), true);
    if (ImGui::BeginTabBar("##tasks")) {
        struct Tab { const char* name; void (*draw)(App&); };
        static const Tab tabs[] = {{"Text2Music", draw_text2music}, {"Retake", draw_retake},   {"Repaint", draw_repaint},
                                   {"Edit", draw_edit},             {"Extend", draw_extend},   {"Model", draw_model_panel}};
        for (auto& t : tabs)
            if (ui::BeginTabItem(t.name)) {
                active_tab = t.name;
                ImGui::BeginChild("##panel");
                t.draw(*this);
                ImGui::EndChild();
                ImGui::EndTabItem();
            }
        ImGui::EndTabBar();
    }
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("##right", ImVec2(0, -status_h), true);
    draw_output_column();
    ImGui::EndChild();

    // Status bar.
    ImGui::Separator();
    if (status_error) ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.45f, 0.4f, 1.0f));
    ImGui::TextUnformatted(status_line.empty() ? "Ready." : status_line.c_str());
    if (status_error) ImGui::PopStyleColor();
    ImGui::SameLine(ImGui::GetWindowWidth() - 330);
    ImGui::TextDisabled("model: %s | %.1f ms/frame", st.loaded ? (st.device + " " + st.dtype).c_str() : "not loaded",
                        last_frame_ms);
    ImGui::End();

    draw_export_dialog(*this);

    // Persist settings now and then (and at exit).
    auto now = std::chrono::steady_clock::now();
    if (now - last_save_ > std::chrono::seconds(10)) {
        last_save_ = now;
        save_now();
    }
}

void App::draw_menu() {
    if (!ImGui::BeginMenuBar()) return;
    if (ImGui::BeginMenu("File")) {
        if (ImGui::MenuItem("Export selected take...", nullptr, false, selected_take() != nullptr)) exporter.open = true;
        if (ImGui::MenuItem("Rescan output folder")) {
            history.scan(output_dir(), history.imports());
            select_take(history.find(selected_path));
        }
        ImGui::Separator();
        if (ImGui::MenuItem("Quit", "Ctrl+Q")) quit_requested = true;
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("View")) {
        ImGui::MenuItem("Spectrogram", nullptr, &settings.show_spectrogram);
        ImGui::MenuItem("Snap regions to latent frames", nullptr, &settings.snap_to_frames);
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("Help")) {
        ImGui::TextUnformatted("Drop audio files on the window to import them; drop a *_input_params.json to load its settings.");
        ImGui::TextUnformatted("Space: play/pause   Ctrl+Enter: generate   Wheel on the waveform: zoom");
        ImGui::EndMenu();
    }
    ImGui::EndMenuBar();
}

void App::draw_output_column() {
    auto* t = selected_take();
    if (t) {
        ImGui::Text("Take: %s", t->name.c_str());
        ImGui::SameLine();
        ImGui::TextDisabled("%s", history.lineage(selected).c_str());
    } else {
        ImGui::TextDisabled("No take selected");
    }
    if (t && t->audio_path != wave_path && !audio_for(t->audio_path)) ImGui::TextDisabled("loading %s ...", t->audio_path.c_str());
    float wave_h = std::clamp(ImGui::GetContentRegionAvail().y * 0.38f, 120.0f, 320.0f);
    auto res = wave.draw("##waveform", ImVec2(ImGui::GetContentRegionAvail().x, wave_h), player.position(), &sel_a, &sel_b,
                         settings.show_spectrogram, settings.snap_to_frames);
    if (res.seek) player.seek(res.seek_to);
    if (res.selection_changed || loop_selection != player.looping()) player.set_loop(loop_selection, sel_a, sel_b);
    if (ui::SmallButton("Zoom +")) wave.zoom(2.0, wave.view_start() + wave.view_len() / 2);
    ImGui::SameLine();
    if (ui::SmallButton("Zoom -")) wave.zoom(0.5, wave.view_start() + wave.view_len() / 2);
    ImGui::SameLine();
    if (ui::SmallButton("Fit")) wave.fit();
    ImGui::SameLine();
    if (sel_b > sel_a) ImGui::Text("Selection %.2f - %.2f s (%.2f s)", sel_a, sel_b, sel_b - sel_a);
    else ImGui::TextDisabled("Drag on the waveform to select a region (repaint range / loop).");
    draw_transport();
    ImGui::Separator();
    draw_jobs();
    ImGui::Separator();
    draw_history();
}

void App::draw_transport() {
    bool playing = player.playing();
    if (ui::Button(playing ? "Pause" : "Play")) playing ? player.pause() : player.play();
    ImGui::SameLine();
    if (ui::Button("Stop")) player.stop();
    ImGui::SameLine();
    if (ui::Checkbox("Loop selection", &loop_selection)) player.set_loop(loop_selection, sel_a, sel_b);
    ImGui::SameLine();
    ImGui::Text("%s / %s", format_seconds(player.position()).c_str(), format_seconds(player.duration()).c_str());
    // A/B
    if (!compare_path.empty()) {
        if (const LoadedAudio* b = audio_for(compare_path); b && b->audio && player.label(1) != compare_path)
            player.set_source(1, b->audio, compare_path);
        int ab = player.active();
        if (ui::RadioButton("A", ab == 0)) player.set_active(0);
        ImGui::SameLine();
        if (ui::RadioButton("B", ab == 1)) player.set_active(1);
        ImGui::SameLine();
        ImGui::TextDisabled("B = %s", fs::path(compare_path).filename().string().c_str());
        ImGui::SameLine();
        if (ui::Checkbox("Level match", &settings.level_match)) player.set_level_match(settings.level_match);
        if (settings.level_match && player.has_source(1)) {
            ImGui::SameLine();
            ImGui::TextDisabled("(B gain %.2f)", player.gain(1));
        }
        ImGui::SameLine();
        if (ui::SmallButton("Clear B")) {
            compare_path.clear();
            player.set_active(0);
            player.set_source(1, nullptr, "");
        }
    }
    // Device picker.
    std::vector<std::string> devs = {"(system default)"};
    for (auto& d : player.devices()) devs.push_back(d);
    std::string cur = settings.audio_device.empty() ? devs[0] : settings.audio_device;
    ImGui::SetNextItemWidth(260);
    if (ui::Combo("Output device", &cur, devs)) {
        settings.audio_device = cur == devs[0] ? "" : cur;
        player.select_device(settings.audio_device);
    }
    if (!player.message().empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.6f, 0.3f, 1.0f));
        ImGui::TextWrapped("%s", player.message().c_str());
        ImGui::PopStyleColor();
    }
}

void App::draw_jobs() {
    auto jv = jobs.snapshot();
    int active = 0;
    for (auto& j : jv) active += j.state == JobState::Queued || j.state == JobState::Running;
    ImGui::Text("Jobs (%d active)", active);
    ImGui::SameLine();
    if (ui::SmallButton("Clear finished")) jobs.clear_finished();
    if (active > 0) {
        ImGui::SameLine();
        if (ui::SmallButton("Cancel all")) jobs.cancel_all();
    }
    ImGui::BeginChild("##jobs", ImVec2(0, std::min(150.0f, 20.0f + 46.0f * std::max<size_t>(1, jv.size()))), false);
    for (auto& j : jv) {
        ImGui::PushID((int)j.id);
        ImGui::Text("#%llu %s  [%s]", (unsigned long long)j.id, j.spec.title.c_str(), job_state_name(j.state));
        if (j.state == JobState::Running) {
            const Progress& p = j.progress;
            char overlay[160];
            if (p.total > 0)
                std::snprintf(overlay, sizeof overlay, "%s %d/%d  %.0f%%  %s", p.stage.c_str(), p.step, p.total,
                              100.0 * p.fraction, fmt_eta(j.eta_s).c_str());
            else
                std::snprintf(overlay, sizeof overlay, "%s  %.0f%%  %s", p.stage.empty() ? "starting" : p.stage.c_str(),
                              100.0 * p.fraction, fmt_eta(j.eta_s).c_str());
            ImGui::ProgressBar((float)p.fraction, ImVec2(-90, 0), overlay);
            ImGui::SameLine();
            if (ui::Button("Cancel")) jobs.cancel(j.id);
        } else if (j.state == JobState::Queued) {
            if (ui::SmallButton("Up")) jobs.move(j.id, -1);
            ImGui::SameLine();
            if (ui::SmallButton("Down")) jobs.move(j.id, +1);
            ImGui::SameLine();
            if (ui::SmallButton("Remove")) jobs.cancel(j.id);
        } else if (j.state == JobState::Failed) {
            ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.45f, 0.4f, 1.0f));
            ImGui::TextWrapped("%s", j.error.c_str());
            ImGui::PopStyleColor();
        }
        ImGui::PopID();
    }
    ImGui::EndChild();
}

// Opens the take's folder in the desktop's file manager (xdg-open), without blocking the UI.
void App::reveal(const std::string& path) {
    std::string dir = fs::absolute(fs::path(path)).parent_path().string();
    char* argv[] = {(char*)"xdg-open", (char*)dir.c_str(), nullptr};
    pid_t pid;
    if (posix_spawnp(&pid, "xdg-open", nullptr, nullptr, argv, environ) != 0) {
        notify("cannot open a file manager (xdg-open is missing); the folder is " + dir, true);
        return;
    }
    std::thread([pid] { waitpid(pid, nullptr, 0); }).detach();
    notify("opened " + dir);
}

void App::draw_history() {
    ImGui::Text("Takes (%zu)", history.entries.size());
    ImGui::SameLine();
    ImGui::TextDisabled("in %s", output_dir().c_str());
    auto* t = selected_take();
    if (t) {
        ImGui::BeginDisabled(t->imported || !t->load_error.empty());  // imports have no settings
        bool restore = ui::SmallButton("Restore settings");
        ImGui::EndDisabled();
        if (restore) {
            settings.t2m = t->params;
            settings.t2m.src_audio_path.reset();
            settings.seeds_text = seed_list_to_string(t->params.actual_seeds.empty() ? t->params.manual_seeds : t->params.actual_seeds);
            if (t->params.task == "edit") {
                // The saved file stores the edit target under prompt/lyrics.
                edit.tags = t->params.edit_target_prompt.value_or("");
                edit.lyrics = t->params.edit_target_lyrics.value_or("");
            }
            notify("restored the settings of " + t->name);
        }
        ImGui::SameLine();
        if (ui::SmallButton("Set as B")) compare_path = t->audio_path;
        ImGui::SameLine();
        if (ui::SmallButton("Export...")) exporter.open = true;
        ImGui::SameLine();
        if (ui::SmallButton("Rename")) {
            rename_index = selected;
            rename_buf = t->name;
        }
        ImGui::SameLine();
        if (ui::SmallButton("Copy path")) ImGui::SetClipboardText(t->audio_path.c_str());
        ImGui::SameLine();
        if (ui::SmallButton("Open folder")) reveal(t->audio_path);
        ImGui::SameLine();
        if (ui::SmallButton(t->imported ? "Forget" : "Delete")) confirm_delete = selected;
    }
    if (rename_index >= 0) {
        ImGui::SetNextItemWidth(240);
        bool enter = ui::InputText("New name", &rename_buf, ImGuiInputTextFlags_EnterReturnsTrue);
        ImGui::SameLine();
        if (ui::SmallButton("OK") || enter) {
            std::string err;
            if (!history.rename(rename_index, rename_buf, &err)) notify(err, true);
            rename_index = -1;
        }
        ImGui::SameLine();
        if (ui::SmallButton("Cancel##rename")) rename_index = -1;
    }
    if (confirm_delete >= 0 && confirm_delete < (int)history.entries.size()) {
        auto& e = history.entries[confirm_delete];
        ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.6f, 0.3f, 1.0f));
        ImGui::Text(e.imported ? "Forget %s?" : "Delete %s and its sidecar from disk?", e.name.c_str());
        ImGui::PopStyleColor();
        ImGui::SameLine();
        if (ui::SmallButton("Yes, delete")) {
            std::string err, path = e.audio_path;
            if (path == wave_path) {
                player.stop();
                player.set_source(0, nullptr, "");
                wave.set_data(nullptr);
                wave_path.clear();
            }
            if (path == compare_path) {
                compare_path.clear();
                player.set_source(1, nullptr, "");
            }
            if (!history.remove(confirm_delete, &err)) notify(err, true);
            else notify("deleted " + path);
            audio_cache.erase(path);
            select_take(history.entries.empty() ? -1 : 0);
            confirm_delete = -1;
        }
        ImGui::SameLine();
        if (ui::SmallButton("No")) confirm_delete = -1;
    }
    ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_ScrollY |
                            ImGuiTableFlags_Resizable;
    if (ImGui::BeginTable("##takes", 5, flags, ImVec2(0, ImGui::GetContentRegionAvail().y))) {
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn("Name", ImGuiTableColumnFlags_WidthStretch);
        ImGui::TableSetupColumn("Task");
        ImGui::TableSetupColumn("Length");
        ImGui::TableSetupColumn("Seed");
        ImGui::TableSetupColumn("Tags", ImGuiTableColumnFlags_WidthStretch);
        ImGui::TableHeadersRow();
        for (int i = 0; i < (int)history.entries.size(); ++i) {
            auto& e = history.entries[i];
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::PushID(i);
            if (ImGui::Selectable(e.name.c_str(), i == selected, ImGuiSelectableFlags_SpanAllColumns)) select_take(i);
            if (ImGui::IsItemHovered() && ImGui::IsMouseDoubleClicked(0)) {
                select_take(i);
                player.stop();
                player.play();
            }
            ImGui::PopID();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(e.imported ? "import" : e.params.task.c_str());
            ImGui::TableNextColumn();
            if (e.seconds > 0) ImGui::Text("%.1f s", e.seconds);
            ImGui::TableNextColumn();
            if (!e.imported && !e.params.actual_seeds.empty()) ImGui::Text("%lld", (long long)e.params.actual_seeds[0]);
            ImGui::TableNextColumn();
            if (!e.load_error.empty()) ImGui::TextColored(ImVec4(1, 0.4f, 0.4f, 1), "%s", e.load_error.c_str());
            else ImGui::TextUnformatted(e.imported ? e.audio_path.c_str() : e.params.prompt.c_str());
        }
        ImGui::EndTable();
    }
}

}  // namespace acestep::app
