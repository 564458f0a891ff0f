// Retake, Repaint, Edit and Extend panels (product spec §1.3-§1.6).
//
// Each operates on the take selected in the history (a generated take or an imported file), not only
// on "the last Text2Music result" as the official tabs do.  Repaint's range is the waveform
// selection, so dragging on the waveform and the two sliders edit the same numbers, bounded by the
// real clip length.  Every task writes the output format chosen on the Text2Music panel (the
// official tabs always wrote wav, §1.8) and keeps the panel's LoRA (uploads no longer unload it).
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "acestep/error.h"
#include "app/app.h"
#include "app/presets.h"
#include "app/widgets.h"

namespace acestep::app {

namespace fs = std::filesystem;

namespace {

// Shows the source take; returns it (nullptr with a hint when there is none).
const TakeEntry* source_header(App& app, double* seconds) {
    const TakeEntry* t = app.selected_take();
    *seconds = app.selected_seconds();
    if (!t) {
        ImGui::TextWrapped("Select a take in the history on the right, or drop an audio file on the window, to use it as the source.");
        return nullptr;
    }
    ImGui::Text("Source: %s", t->name.c_str());
    ImGui::SameLine();
    if (*seconds > 0) ImGui::TextDisabled("(%s, %.2f s)", t->imported ? "imported" : t->params.task.c_str(), *seconds);
    else ImGui::TextDisabled("(loading...)");
    return t;
}

void seeds_field(const char* label, std::string* text) {
    ui::InputText(label, text, 0, "int or comma list (empty = random)");
    if (auto err = seeds_error(*text); !err.empty()) ImGui::TextColored(ImVec4(1, 0.45f, 0.4f, 1), "%s", err.c_str());
}

// The current Text2Music settings as the base of a task on `src`.
GenerationParams base_params(App& app, const TakeEntry& src, double seconds, const std::string& task) {
    GenerationParams g = app.settings.t2m;
    g.task = task;
    g.batch_size = 1;
    g.audio2audio_enable = false;
    g.ref_audio_input.reset();
    g.src_audio_path = src.audio_path;
    g.audio_duration = seconds;
    g.actual_seeds.clear();
    g.actual_retake_seeds.clear();
    // The source's own seeds when it has them (so a repaint keeps the song's noise), else the panel's.
    if (!src.imported && !src.params.actual_seeds.empty()) g.manual_seeds = {src.params.actual_seeds.front()};
    else g.manual_seeds = parse_seed_list(app.settings.seeds_text);
    return g;
}

// The task's button, enabled when `ok`: a click builds the job with make(&title) and queues it as
// derived from `src`; any error on the way (a bad seed list, a wrong scheduler) becomes a message.
template <class Make>
void task_button(App& app, const char* label, bool ok, const TakeEntry* src, Make&& make) {
    ImGui::BeginDisabled(!ok);
    if (ui::Button(label, ImVec2(-1, 32)) && ok && src) {
        try {
            std::string title;
            GenerationParams g = make(&title);
            app.submit_generate(std::move(g), title, src->audio_path);
        } catch (const std::exception& e) {
            app.notify(e.what(), true);
        }
    }
    ImGui::EndDisabled();
}

}  // namespace

void draw_retake(App& app) {
    double secs = 0;
    const TakeEntry* t = source_header(app, &secs);
    ImGui::TextWrapped("A variation of the source: the same seeds, mixed with new noise by 'variance'.");
    ImGui::PushItemWidth(-170);
    ui::SliderDouble("variance", &app.retake.variance, 0.0, 1.0, "%.2f");
    seeds_field("retake seeds", &app.retake.seeds);
    static int variations = 1;
    ui::SliderInt("Variations", &variations, 1, 8);
    ui::Checkbox("Use the source take's settings", &app.retake.use_source_settings);
    ui::HelpMarker("On: tags, lyrics, steps and guidance come from the source's sidecar (as the official Retake). "
                   "Off: from the Text2Music panel. The output format always comes from the Text2Music panel.");
    ImGui::PopItemWidth();
    bool ok = t && !t->imported && t->load_error.empty();
    if (t && !ok) ImGui::TextColored(ImVec4(1, 0.6f, 0.3f, 1), "Retake needs a generated take with its sidecar (imports have no seeds).");
    task_button(app, "Retake", ok, t, [&](std::string* title) {
        GenerationParams g = app.retake.use_source_settings ? t->params : app.settings.t2m;
        g.format = app.settings.t2m.format;
        g.task = "retake";
        g.audio_duration = t->params.audio_duration;
        g.manual_seeds = t->params.actual_seeds.empty() ? t->params.manual_seeds : t->params.actual_seeds;
        g.retake_variance = app.retake.variance;
        g.retake_seeds = parse_seed_list(app.retake.seeds, "retake seeds");
        g.repaint_start = 0.0;
        g.repaint_end = g.audio_duration;
        g.audio2audio_enable = false;
        g.ref_audio_input.reset();
        g.src_audio_path.reset();
        g.batch_size = variations;
        g.actual_seeds.clear();
        g.actual_retake_seeds.clear();
        *title = "Retake of " + t->name;
        return g;
    });
}

void draw_repaint(App& app) {
    double secs = 0;
    const TakeEntry* t = source_header(app, &secs);
    ImGui::TextWrapped("Regenerates the selected time range; the rest of the take is kept. Uses the tags, lyrics and "
                       "settings of the Text2Music panel, so editing a lyric line there and repainting its range fixes it.");
    ImGui::PushItemWidth(-170);
    ui::SliderDouble("variance", &app.repaint.variance, 0.0, 1.0, "%.2f");
    ui::HelpMarker("Also sets the starting step: low values change almost nothing.");
    seeds_field("repaint seeds", &app.repaint.seeds);
    double maxs = secs > 0 ? secs : kMaxDurationSeconds;
    // The same numbers as the waveform selection.
    bool changed = ui::SliderDouble("Repaint Start Time", &app.sel_a, 0.0, maxs, "%.2f s");
    changed |= ui::SliderDouble("Repaint End Time", &app.sel_b, 0.0, maxs, "%.2f s");
    if (changed) app.player.set_loop(app.loop_selection, app.sel_a, app.sel_b);
    ImGui::PopItemWidth();
    if (ui::SmallButton("Whole take")) {
        app.sel_a = 0.0;
        app.sel_b = secs;
    }
    ImGui::SameLine();
    ImGui::TextDisabled("or drag on the waveform");
    ImGui::TextDisabled("LoRA: %s (weight %.1f)  Format: %s", app.settings.t2m.lora_name_or_path.c_str(),
                        app.settings.t2m.lora_weight, app.settings.t2m.format.c_str());
    bool ok = t && secs > 0 && app.sel_b - app.sel_a >= kLatentFrameSeconds * 0.5;
    if (t && secs > 0 && !ok) ImGui::TextColored(ImVec4(1, 0.6f, 0.3f, 1), "Select a range first (drag on the waveform).");
    task_button(app, "Repaint", ok, t, [&](std::string* title) {
        GenerationParams g = base_params(app, *t, secs, "repaint");
        g.retake_variance = app.repaint.variance;
        g.retake_seeds = parse_seed_list(app.repaint.seeds, "repaint seeds");
        g.repaint_start = std::clamp(app.sel_a, 0.0, secs);
        g.repaint_end = std::clamp(app.sel_b, 0.0, secs);
        char buf[64];
        std::snprintf(buf, sizeof buf, "Repaint %.2f-%.2f s of ", g.repaint_start, g.repaint_end);
        *title = buf + t->name;
        return g;
    });
}

void draw_edit(App& app) {
    double secs = 0;
    const TakeEntry* t = source_header(app, &secs);
    ImGui::TextWrapped("Flow-edit: keeps the song and changes the lyrics (only_lyrics) or the style (remix). The "
                       "Text2Music tags and lyrics describe the source; the fields below are the target (empty = same).");
    ImGui::PushItemWidth(-170);
    ui::InputTextMultiline("Edit Tags", &app.edit.tags, ImVec2(-170, ImGui::GetTextLineHeight() * 3));
    ui::InputTextMultiline("Edit Lyrics", &app.edit.lyrics, ImVec2(-170, ImGui::GetTextLineHeight() * 9));
    if (ui::SmallButton("Copy lyrics from Text2Music")) app.edit.lyrics = app.settings.t2m.lyrics;
    seeds_field("edit seeds", &app.edit.seeds);
    if (ui::Radio("Edit Type", &app.edit.type, {"only_lyrics", "remix"})) {
        if (app.edit.type == "only_lyrics") { app.edit.n_min = 0.6; app.edit.n_max = 1.0; }
        else { app.edit.n_min = 0.2; app.edit.n_max = 0.4; }
    }
    ui::SliderDouble("edit_n_min", &app.edit.n_min, 0.0, 1.0, "%.2f");
    ui::SliderDouble("edit_n_max", &app.edit.n_max, 0.0, 1.0, "%.2f");
    ImGui::PopItemWidth();
    if (app.settings.t2m.scheduler_type == "heun")
        ImGui::TextColored(ImVec4(1, 0.6f, 0.3f, 1), "Edit runs with euler or pingpong; heun is not supported by flow-edit.");
    ImGui::TextDisabled("Only steps, guidance scale and scheduler matter here; guidance is always APG.");
    bool ok = t && secs > 0;
    task_button(app, "Edit", ok, t, [&](std::string* title) {
        GenerationParams g = base_params(app, *t, secs, "edit");
        if (g.scheduler_type == "heun") throw Error("Edit needs the euler or pingpong scheduler (Text2Music panel, Advanced Settings)");
        g.edit_target_prompt = app.edit.tags.empty() ? g.prompt : app.edit.tags;
        g.edit_target_lyrics = app.edit.lyrics.empty() ? g.lyrics : app.edit.lyrics;
        g.edit_n_min = app.edit.n_min;
        g.edit_n_max = app.edit.n_max;
        g.retake_seeds = parse_seed_list(app.edit.seeds, "edit seeds");
        *title = "Edit (" + app.edit.type + ") of " + t->name;
        return g;
    });
}

void draw_extend(App& app) {
    double secs = 0;
    const TakeEntry* t = source_header(app, &secs);
    ImGui::TextWrapped("Adds new music before and/or after the source, generated from pure noise with the Text2Music "
                       "tags and lyrics. The working window is 240 s; audio beyond it is kept and joined back.");
    ImGui::PushItemWidth(-170);
    seeds_field("extend seeds", &app.extend.seeds);
    ui::SliderDouble("Left Extend Length", &app.extend.left, 0.0, kMaxDurationSeconds, "%.2f s");
    ui::SliderDouble("Right Extend Length", &app.extend.right, 0.0, kMaxDurationSeconds, "%.2f s");
    ImGui::PopItemWidth();
    if (secs > 0) ImGui::TextDisabled("Result: about %.2f s", secs + app.extend.left + app.extend.right);
    bool ok = t && secs > 0 && app.extend.left + app.extend.right > 0;
    task_button(app, "Extend", ok, t, [&](std::string* title) {
        GenerationParams g = base_params(app, *t, secs, "extend");
        g.retake_variance = 1.0;
        g.retake_seeds = parse_seed_list(app.extend.seeds, "extend seeds");
        g.repaint_start = -app.extend.left;
        g.repaint_end = secs + app.extend.right;
        char buf[160];
        std::snprintf(buf, sizeof buf, "Extend %s by %.1f s left, %.1f s right", t->name.c_str(), app.extend.left,
                      app.extend.right);
        *title = buf;
        return g;
    });
}

}  // namespace acestep::app
