// Model panel: where the checkpoint is, getting it (download through acestep/hub.h), load / unload,
// device, dtype, threads, memory in use, and a loud notice when the engine runs on CPU although
// CUDA was asked for (the official app falls back silently, #165).
#include <imgui.h>

#include <filesystem>
#include <thread>

#include "acestep/checkpoint.h"
#include "acestep/hub.h"
#include "acestep/error.h"
#include "acestep/resources.h"
#include "app/app.h"
#include "app/widgets.h"

namespace acestep::app {

namespace fs = std::filesystem;

namespace {

// Queues a model job (download / load / unload) and says so in the status line.
void queue_job(App& app, JobKind kind, const std::string& title, const HubOptions& hub = {}, const std::string& note = "") {
    JobSpec spec;
    spec.kind = kind;
    spec.title = title;
    spec.hub = hub;
    app.jobs.submit(std::move(spec));
    app.notify("queued: " + title + note);
}

void warning_text(const std::string& text) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.35f, 0.3f, 1.0f));
    ImGui::TextWrapped("WARNING: %s", text.c_str());
    ImGui::PopStyleColor();
}

}  // namespace

void draw_model_panel(App& app) {
    Settings& s = app.settings;
    EngineStatus st = app.jobs.engine_status();
    ImGui::PushItemWidth(-170);

    ImGui::TextUnformatted("Checkpoint");
    ui::InputText("Checkpoint folder", &s.checkpoint, 0, "empty = default locations (HF cache, ./models)");
    ui::HelpMarker("A folder with ace_step_transformer/, music_dcae_f8c8/, music_vocoder/ and umt5-base/. "
                   "Changes take effect for the next job; the model loads lazily on the first Generate.");
    {
        // Checked when the path changes (not every frame).
        static std::string checked = "\x01", verdict;
        static bool ok = false;
        if (checked != s.checkpoint) {
            checked = s.checkpoint;
            std::string why;
            if (s.checkpoint.empty()) {
                ok = false;
                for (auto& p : default_checkpoint_search_path())
                    if (auto cp = try_find_checkpoint(p)) { ok = true; verdict = "found " + cp->root.string(); break; }
                if (!ok) verdict = "no checkpoint in the default locations: set a folder or download it below";
            } else if (auto cp = try_find_checkpoint(s.checkpoint, &why)) {
                ok = true;
                verdict = "complete checkpoint at " + cp->root.string();
            } else {
                ok = false;
                verdict = why;
            }
        }
        ImGui::PushTextWrapPos(0);
        ImGui::TextColored(ok ? ImVec4(0.5f, 0.9f, 0.5f, 1) : ImVec4(1, 0.6f, 0.3f, 1), "%s", verdict.c_str());
        ImGui::PopTextWrapPos();
    }
    ui::InputText("Hub repository", &app.hub_repo);
    ui::InputText("Download cache", &app.hub_cache, 0, "empty = Hugging Face cache ($HF_HOME)");
    if (ui::Button("Download checkpoint")) {
        HubOptions hub;
        hub.repo_id = app.hub_repo;
        if (!app.hub_cache.empty()) hub.cache_dir = app.hub_cache;
        queue_job(app, JobKind::Download, "Download " + app.hub_repo, hub, " (about 8 GB; resumes if interrupted)");
    }
    ImGui::SameLine();
    ImGui::TextDisabled("(progress in the Jobs list; verified by SHA-256)");
    ImGui::Separator();

    ImGui::TextUnformatted("Engine");
    bool changed = false;
    changed |= ui::Combo("Device", &s.device, {"auto", "cpu", "cuda", "cuda:0", "cuda:1"});
    changed |= ui::Combo("Precision", &s.dtype, {"auto", "fp32", "bf16", "fp16"});
    int threads = s.threads;
    if (ui::SliderInt("CPU threads", &threads, 0, (int)std::max(1u, std::thread::hardware_concurrency()))) {
        s.threads = threads;
        changed = true;
    }
    ui::HelpMarker("0 = all cores.");
    changed |= ui::Checkbox("Overlapped decode (long takes, less memory)", &s.overlapped_decode);
    if (changed) app.apply_engine_options();
    ui::InputText("LoRA folder", &s.lora_dir, 0, "folders with pytorch_lora_weights.safetensors");
    ui::InputText("Output folder", &s.output_dir, 0, "empty = ./outputs");
    if (ImGui::IsItemDeactivatedAfterEdit()) {
        app.history.scan(app.output_dir(), app.history.imports());
        app.select_take(app.history.entries.empty() ? -1 : 0);
    }

    if (ui::Button("Load model")) queue_job(app, JobKind::Load, "Load model");
    ImGui::SameLine();
    if (ui::Button("Unload model")) queue_job(app, JobKind::Unload, "Unload model");
    ImGui::Separator();

    ImGui::TextUnformatted("State");
    ImGui::BulletText("Loaded: %s", st.loaded ? "yes" : "no (loads on the first Generate)");
    if (!st.checkpoint.empty()) ImGui::BulletText("Checkpoint: %s", st.checkpoint.c_str());
    if (!st.device.empty()) ImGui::BulletText("Device: %s   precision: %s", st.device.c_str(), st.dtype.c_str());
    if (st.weight_bytes) ImGui::BulletText("Weights in memory: %s", human_bytes(st.weight_bytes).c_str());
    try {
        ImGui::BulletText("Memory available: %s", human_bytes(available_memory_bytes()).c_str());
    } catch (const Error& e) {
        ImGui::BulletText("Memory available: unknown (%s)", e.what());
    }
    if (!st.lora.empty()) ImGui::BulletText("LoRA: %s%s%s%s", st.lora.c_str(), st.lora_rule.empty() ? "" : " (",
                                            st.lora_rule.c_str(), st.lora_rule.empty() ? "" : ")");
    // One loud notice when the engine runs elsewhere than asked: the engine's own words, or ours if it
    // has none (a CPU fallback the engine did not flag).
    if (!st.warning.empty()) warning_text(st.warning);
    else if (s.device.rfind("cuda", 0) == 0 && st.loaded && st.device.rfind("cuda", 0) != 0)
        warning_text("CUDA was requested but the engine runs on " + st.device + ": generation will be much slower.");
    ImGui::PopItemWidth();
}

}  // namespace acestep::app
