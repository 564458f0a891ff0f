// Text2Music panel: every control of the official panel (product spec §1.1) editing
// Settings::t2m (a GenerationParams), plus what the official one lacks: batch size, opus, a lyrics
// structure-tag palette, presets that never wipe the user's tags, a sidecar list refreshed on open,
// Load that restores format and LoRA too, and inline validation messages.
#include <imgui.h>

#include <algorithm>
#include <filesystem>
#include <future>
#include <mutex>
#include <random>

#include "acestep/error.h"
#include "acestep/hub.h"
#include "acestep/lyrics.h"
#include "app/app.h"
#include "app/presets.h"
#include "app/widgets.h"

namespace acestep::app {

namespace fs = std::filesystem;

namespace {

int lyrics_callback(ImGuiInputTextCallbackData* d) {
    *(int*)d->UserData = d->CursorPos;
    return 0;
}

std::vector<std::string> list_sidecars(const std::string& dir) {
    std::vector<std::pair<fs::file_time_type, std::string>> found;
    std::error_code ec;
    if (fs::is_directory(dir, ec))
        for (auto& de : fs::directory_iterator(dir, ec)) {
            auto p = de.path().string();
            if (p.size() > 5 && p.substr(p.size() - 5) == ".json") found.push_back({de.last_write_time(ec), p});
        }
    std::sort(found.begin(), found.end(), [](auto& a, auto& b) { return a.first > b.first; });
    std::vector<std::string> out;
    for (auto& f : found) out.push_back(f.second);
    return out;
}

// Fills the panel from a sidecar (all 21 controls the official Load fills, plus format and LoRA).
bool load_into_panel(App& app, const std::string& path) {
    try {
        GenerationParams p = load_params_file(path);
        GenerationParams& t = app.settings.t2m;
        std::string fmt = t.format;
        t = p;
        t.task = "text2music";
        if (t.format.empty()) t.format = fmt;
        t.src_audio_path.reset();
        app.settings.seeds_text = seed_list_to_string(p.manual_seeds);
        if (p.task == "edit") {
            app.edit.tags = p.edit_target_prompt.value_or("");
            app.edit.lyrics = p.edit_target_lyrics.value_or("");
        }
        app.preset = "Custom";  // the tags are the file's now
        app.notify("loaded " + path);
        return true;
    } catch (const std::exception& e) {
        app.notify(e.what(), true);
        return false;
    }
}

// Runs the lyric front end on a worker thread (loading its data takes longer than a frame).
void start_language_preview(App& app) {
#ifndef ACESTEP_HAVE_LYRIC_FRONTEND
    app.languages.error = "this build has no lyric front end yet";
    return;
#else
    std::string lyrics = app.settings.t2m.lyrics, forced = app.settings.t2m.lyrics_language;
    fs::path fallback = app.settings.checkpoint.empty() ? fs::path() : lyric_data_dir_near(app.settings.checkpoint);
    app.languages.lyrics = lyrics;
    app.languages.busy = true;
    app.languages.job = std::async(std::launch::async, [lyrics, forced, fallback]() {
        std::pair<std::vector<std::string>, std::string> out;
        try {
            static std::mutex mu;
            static std::shared_ptr<LyricFrontEnd> fe;
            static fs::path fe_dir;
            fs::path dir = LyricFrontEnd::resolve_data_dir("", fallback);
            std::lock_guard<std::mutex> lk(mu);
            if (!fe || fe_dir != dir) {
                fe = std::make_shared<LyricFrontEnd>(dir);
                fe_dir = dir;
            }
            for (auto& l : fe->tokenize(lyrics, forced).lines) {
                std::string tag = l.blank ? "" : l.structure_tag ? "tag" : l.language;
                if (!l.blank && l.overridden) tag += " (set)";
                else if (!l.blank && !l.structure_tag && !l.detected.empty() && l.detected != l.language)
                    tag += " (detected " + l.detected + ")";
                if (l.dropped) tag = "DROPPED: " + l.error;
                out.first.push_back(tag);
            }
        } catch (const std::exception& e) {
            out.second = e.what();
        }
        return out;
    });
#endif
}

void draw_language_preview(App& app) {
    LanguagePreview& lp = app.languages;
    if (lp.busy && lp.job.valid() && lp.job.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
        auto r = lp.job.get();
        lp.langs = std::move(r.first);
        lp.error = std::move(r.second);
        lp.busy = false;
    }
    ImGui::BeginDisabled(lp.busy);
    if (ui::SmallButton(lp.busy ? "Checking..." : "Check languages")) start_language_preview(app);
    ImGui::EndDisabled();
    ui::HelpMarker("Shows the language each lyrics line will be sung in (detected per line, like the official app). "
                   "Wrong guesses change the singing: prefix a line with e.g. [ja] or pick a song language.");
    if (!lp.error.empty()) {
        ImGui::SameLine();
        ImGui::TextColored(ImVec4(1, 0.6f, 0.3f, 1), "%s", lp.error.c_str());
    }
    if (lp.langs.empty() || lp.busy) return;
    if (lp.lyrics != app.settings.t2m.lyrics) {
        ImGui::SameLine();
        ImGui::TextDisabled("(lyrics changed since the check)");
    }
    if (ImGui::TreeNodeEx("Line languages", ImGuiTreeNodeFlags_DefaultOpen)) {
        size_t start = 0;
        const std::string& text = lp.lyrics;
        for (size_t i = 0; i < lp.langs.size() && start <= text.size(); ++i) {
            size_t e = text.find('\n', start);
            std::string line = text.substr(start, e == std::string::npos ? std::string::npos : e - start);
            if (!lp.langs[i].empty()) {
                bool bad = lp.langs[i].rfind("DROPPED", 0) == 0;
                ImGui::TextColored(bad ? ImVec4(1, 0.4f, 0.4f, 1) : ImVec4(0.6f, 0.8f, 1, 1), "%-6s", lp.langs[i].c_str());
                ImGui::SameLine();
                ImGui::TextUnformatted(line.c_str());
            }
            if (e == std::string::npos) break;
            start = e + 1;
        }
        ImGui::TreePop();
    }
}

}  // namespace

void draw_text2music(App& app) {
    GenerationParams& p = app.settings.t2m;
    const float label_w = 170.0f;
    ImGui::PushItemWidth(-label_w);

    // --- Load from a sidecar / sample ---
    if (ImGui::BeginCombo("Previous params", app.sidecar_choice.empty() ? "(choose a sidecar)" : fs::path(app.sidecar_choice).filename().c_str())) {
        // Refreshed every time the list opens (the official list was filled once at startup).
        app.sidecar_files = list_sidecars(app.output_dir());
        for (auto& f : app.sidecar_files)
            if (ImGui::Selectable(fs::path(f).filename().c_str(), f == app.sidecar_choice)) app.sidecar_choice = f;
        if (app.sidecar_files.empty()) ImGui::TextDisabled("no *.json in %s", app.output_dir().c_str());
        ImGui::EndCombo();
    }
    ui::InputText("Sidecar path", &app.sidecar_choice, 0, "or type / drop a *_input_params.json");
    if (ui::Button("Load")) {
        if (app.sidecar_choice.empty()) app.notify("choose a sidecar to load first", true);
        else load_into_panel(app, app.sidecar_choice);
    }
    ImGui::SameLine();
    if (ui::Button("Sample")) {
        auto files = example_files(p.lora_name_or_path != "none" && !p.lora_name_or_path.empty());
        if (files.empty()) {
            std::string where;
            for (auto& r : example_roots()) where += (where.empty() ? "" : ", ") + r;
            app.notify("no example files in " + where + " (set ACESTEP_EXAMPLES to a folder of *_input_params.json)", true);
        } else {
            // As the official Sample: the song (tags, lyrics, duration, seeds, settings) comes from the
            // example; the output format, LoRA and batch size stay the user's.
            static std::mt19937 rng{std::random_device{}()};
            GenerationParams keep = p;
            if (load_into_panel(app, files[std::uniform_int_distribution<size_t>(0, files.size() - 1)(rng)])) {
                p.format = keep.format;
                p.lora_name_or_path = keep.lora_name_or_path;
                p.lora_weight = keep.lora_weight;
                p.batch_size = keep.batch_size;
            }
        }
    }
    ImGui::SameLine();
    if (ui::Button("Reset to defaults")) {
        std::string fmt = p.format;
        p = Settings::defaults().t2m;
        p.format = fmt;
        app.settings.seeds_text.clear();
    }
    ImGui::Separator();

    // --- Duration, format, batch ---
    ui::SliderDouble("Audio Duration", &p.audio_duration, -1.0, kMaxDurationSeconds, "%.1f s");
    ui::HelpMarker("-1 (or any value <= 0) means a random duration of 30 to 240 s. With Audio2Audio the length follows the reference.");
    if (p.audio_duration > 0 && p.audio_duration < kMinDurationSeconds) p.audio_duration = kMinDurationSeconds;
    ui::Combo("Format", &p.format, {"wav", "flac", "ogg", "mp3", "opus"});
    int batch = (int)p.batch_size;
    if (ui::SliderInt("Batch", &batch, 1, 8)) p.batch_size = batch;
    ui::HelpMarker("Number of takes from one click, one seed each.");

    // --- LoRA ---
    std::vector<std::string> loras = {"none", kRapLora};
    std::error_code ec;
    if (!app.settings.lora_dir.empty() && fs::is_directory(app.settings.lora_dir, ec))
        for (auto& de : fs::directory_iterator(app.settings.lora_dir, ec))
            if (fs::exists(de.path() / "pytorch_lora_weights.safetensors", ec)) loras.push_back(de.path().string());
    if (ImGui::BeginCombo("##lorapick", "", ImGuiComboFlags_NoPreview)) {
        for (auto& l : loras)
            if (ImGui::Selectable(l.c_str(), l == p.lora_name_or_path)) p.lora_name_or_path = l;
        ImGui::EndCombo();
    }
    ImGui::SameLine(0, 2);
    ImGui::SetNextItemWidth(ImGui::CalcItemWidth() - ImGui::GetFrameHeight() - 2);
    ui::InputText("Lora Name or Path", &p.lora_name_or_path, 0, "none, an HF repo id, or a folder");
    ui::HelpMarker("A folder holding pytorch_lora_weights.safetensors, or a Hugging Face repo id. Folders in the LoRA folder (Model tab) are listed in the drop-down.");
    ui::SliderDouble("Lora weight", &p.lora_weight, -3.0, 3.0, "%.1f");

    // --- Audio2Audio ---
    ui::Checkbox("Enable Audio2Audio", &p.audio2audio_enable);
    if (p.audio2audio_enable) {
        std::string ref = p.ref_audio_input.value_or("");
        if (ui::InputText("Reference Audio", &ref, 0, "path of a reference audio file (or drop one and use the button)"))
            p.ref_audio_input = ref.empty() ? std::nullopt : std::optional<std::string>(ref);
        if (auto* t = app.selected_take()) {
            if (ui::SmallButton("Use the selected take as reference")) p.ref_audio_input = t->audio_path;
        }
        ui::SliderDouble("Refer audio strength", &p.ref_audio_strength, 0.0, 1.0, "%.2f");
        ImGui::TextDisabled("The output length follows the reference, not the duration slider.");
    }

    // --- Tags and lyrics ---
    std::vector<std::string> presets;
    for (auto& g : kGenrePresets) presets.push_back(g.first);
    if (ui::Combo("Preset", &app.preset, presets)) {
        for (auto& g : kGenrePresets)
            if (app.preset == g.first && *g.second) p.prompt = g.second;  // "Custom" keeps the tags
    }
    ui::InputTextMultiline("Tags", &p.prompt, ImVec2(-label_w, ImGui::GetTextLineHeight() * 3.5f));
    ImGui::TextDisabled("Insert:");
    ImGui::SameLine();
    for (auto* tag : kStructureTags) {
        if (ui::SmallButton(tag)) {
            // Insert the tag on its own line at the cursor (or at the end).
            size_t at = app.lyrics_cursor >= 0 ? std::min<size_t>(app.lyrics_cursor, p.lyrics.size()) : p.lyrics.size();
            std::string ins = std::string(at > 0 && p.lyrics[at - 1] != '\n' ? "\n" : "") + tag + "\n";
            p.lyrics.insert(at, ins);
            app.lyrics_cursor = int(at + ins.size());
        }
        ImGui::SameLine();
    }
    ImGui::NewLine();
    ui::InputTextMultiline("Lyrics", &p.lyrics, ImVec2(-label_w, ImGui::GetTextLineHeight() * 11),
                           ImGuiInputTextFlags_CallbackAlways, lyrics_callback, &app.lyrics_cursor);
    {
        // Our addition: force one language for the whole song (a "[ja] line" prefix forces one line).
        std::string lang = p.lyrics_language.empty() ? "auto" : p.lyrics_language;
        if (ui::Combo("Lyrics language", &lang, {"auto", "en", "zh", "ja", "ko", "es", "fr", "de", "it", "pt", "ru",
                                                 "nl", "pl", "tr", "cs", "ar", "hu", "hi"}))
            p.lyrics_language = lang == "auto" ? "" : lang;
        ui::HelpMarker("auto = detect per line, as the official app. A line starting with e.g. [ja] is sung in that "
                       "language whatever is chosen here.");
    }
    draw_language_preview(app);
    // A quick sanity readout: lines, sections, and a duration hint.
    {
        int lines = 0, sections = 0;
        size_t start = 0;
        while (start <= p.lyrics.size()) {
            size_t e = p.lyrics.find('\n', start);
            std::string l = p.lyrics.substr(start, e == std::string::npos ? std::string::npos : e - start);
            auto b = l.find_first_not_of(" \t\r");
            if (b != std::string::npos) {
                if (l[b] == '[') ++sections;
                else ++lines;
            }
            if (e == std::string::npos) break;
            start = e + 1;
        }
        ImGui::TextDisabled("%d sung lines, %d section tags%s", lines, sections,
                            lines > 0 && p.audio_duration > 0 && p.audio_duration < lines * 2.5
                                ? "  -- the duration looks short for this many lines"
                                : "");
        if (lines == 0 && p.lyrics.find("[inst") == std::string::npos)
            ImGui::TextDisabled("Empty lyrics still sing: use [instrumental] for no vocals.");
    }

    // --- Basic settings ---
    if (ui::CollapsingHeader("Basic Settings", true)) {
        ui::SliderInt64("Infer Steps", &p.infer_step, 1, 200);
        ui::SliderDouble("Guidance Scale", &p.guidance_scale, 0.0, 30.0, "%.1f");
        ui::HelpMarker("Not applied when the text and lyric scales are both > 1 (double-condition mode).");
        ui::SliderDouble("Guidance Scale Text", &p.guidance_scale_text, 0.0, 10.0, "%.1f");
        ui::SliderDouble("Guidance Scale Lyric", &p.guidance_scale_lyric, 0.0, 10.0, "%.1f");
        ui::HelpMarker("Try 5.0 text + 1.5 lyric as a start. Both must be > 1 to take effect.");
        ui::InputText("manual seeds", &app.settings.seeds_text, 0, "1,2,3,4 (empty = random)");
        if (auto err = seeds_error(app.settings.seeds_text); !err.empty()) ImGui::TextColored(ImVec4(1, 0.45f, 0.4f, 1), "%s", err.c_str());
    }
    // --- Advanced settings ---
    if (ui::CollapsingHeader("Advanced Settings", false)) {
        ui::Radio("Scheduler Type", &p.scheduler_type, {"euler", "heun", "pingpong"});
        ui::Radio("CFG Type", &p.cfg_type, {"cfg", "apg", "cfg_star"});
        ui::Checkbox("use ERG for tag", &p.use_erg_tag);
        ImGui::SameLine();
        ui::Checkbox("use ERG for lyric", &p.use_erg_lyric);
        ImGui::SameLine();
        ui::Checkbox("use ERG for diffusion", &p.use_erg_diffusion);
        ui::SliderDouble("Granularity Scale", &p.omega_scale, -100.0, 100.0, "%.1f");
        ui::HelpMarker("Higher values can reduce artifacts.");
        ui::SliderDouble("Guidance Interval", &p.guidance_interval, 0.0, 1.0, "%.2f");
        ui::SliderDouble("Guidance Interval Decay", &p.guidance_interval_decay, 0.0, 1.0, "%.2f");
        ui::SliderDouble("Min Guidance Scale", &p.min_guidance_scale, 0.0, 200.0, "%.1f");
        static std::string oss_text;
        static bool oss_init = false;
        if (!oss_init || (oss_text.empty() && !p.oss_steps.empty())) {
            oss_text = seed_list_to_string(p.oss_steps);
            oss_init = true;
        }
        if (ui::InputText("OSS Steps", &oss_text, 0, "16, 29, 52, 96, 129, 158, 172, 183, 189, 200")) {
            try {
                p.oss_steps = parse_seed_list(oss_text, "OSS steps");
            } catch (const std::exception&) {
            }
        }
        if (auto err = seeds_error(oss_text); !err.empty()) ImGui::TextColored(ImVec4(1, 0.45f, 0.4f, 1), "OSS steps: %s", err.c_str());
    }
    ImGui::PopItemWidth();
    ImGui::Spacing();

    // --- Generate ---
    bool ctrl_enter = ImGui::GetIO().KeyCtrl && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter));
    if (ui::Button("Generate", ImVec2(-1, 36)) || ctrl_enter) {
        try {
            GenerationParams g = p;
            g.manual_seeds = parse_seed_list(app.settings.seeds_text);
            g.task = "text2music";
            if (g.audio2audio_enable) {
                if (!g.ref_audio_input || g.ref_audio_input->empty())
                    throw Error("Audio2Audio is on but no reference audio is set");
                g.task = "audio2audio";
            } else {
                g.ref_audio_input.reset();
            }
            g.src_audio_path.reset();
            g.actual_seeds.clear();
            char title[96];
            std::snprintf(title, sizeof title, "%s %s x%lld", g.task == "audio2audio" ? "Audio2Audio" : "Text2Music",
                          g.audio_duration > 0 ? (std::to_string((int)g.audio_duration) + " s").c_str() : "random length",
                          (long long)g.batch_size);
            app.submit_generate(g, title, g.task == "audio2audio" ? *g.ref_audio_input : "");
        } catch (const std::exception& e) {
            app.notify(e.what(), true);
        }
    }
    ImGui::TextDisabled("Ctrl+Enter generates. Jobs queue up; each shows its progress and can be cancelled.");
}

}  // namespace acestep::app
