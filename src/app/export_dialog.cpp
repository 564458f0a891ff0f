// Export dialog: writes the selected take in another format / bit depth / quality under a chosen file
// name (libsndfile through acestep/audio_io.h; atomic, never overwrites silently).  The encode runs on
// a background thread so the window keeps drawing.
#include <imgui.h>

#include <filesystem>
#include <future>

#include "acestep/audio_io.h"
#include "acestep/resample.h"
#include "app/app.h"
#include "app/widgets.h"

namespace acestep::app {

namespace fs = std::filesystem;

void draw_export_dialog(App& app) {
    ExportState& ex = app.exporter;
    const TakeEntry* t = app.selected_take();
    if (ex.open) {
        ImGui::OpenPopup("Export take");
        ex.open = false;
        ex.format = app.settings.export_format;
        ex.bit_depth = app.settings.export_bit_depth;
        ex.quality = app.settings.export_quality;
        if (t) {
            std::string dir = app.settings.export_dir.empty() ? app.output_dir() : app.settings.export_dir;
            ex.file_name = (fs::path(dir) / (fs::path(t->audio_path).stem().string() + "_export." + ex.format)).string();
        }
        ex.result.clear();
    }
    if (ex.busy && ex.pending.valid() && ex.pending.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
        ex.result = ex.pending.get();
        ex.busy = false;
        app.notify(ex.result, ex.result.rfind("exported", 0) != 0);
    }
    ImGui::SetNextWindowSize(ImVec2(560, 0), ImGuiCond_Appearing);
    if (!ImGui::BeginPopupModal("Export take", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
    if (!t) {
        ImGui::TextUnformatted("No take selected.");
    } else {
        ImGui::Text("Take: %s", t->name.c_str());
        ImGui::PushItemWidth(380);
        if (ui::Combo("Export format", &ex.format, {"wav", "flac", "ogg", "mp3", "opus"})) {
            fs::path p(ex.file_name);
            ex.file_name = p.replace_extension("." + ex.format).string();
        }
        if (ex.format == "wav") {
            std::string d = ex.bit_depth == 16 ? "16-bit PCM" : ex.bit_depth == 24 ? "24-bit PCM" : "32-bit float";
            if (ui::Combo("Bit depth", &d, {"32-bit float", "24-bit PCM", "16-bit PCM"}))
                ex.bit_depth = d[0] == '1' ? 16 : d[0] == '2' ? 24 : 0;
        } else if (ex.format == "flac") {
            std::string d = ex.bit_depth == 24 ? "24-bit" : "16-bit";
            if (ui::Combo("Bit depth", &d, {"16-bit", "24-bit"})) ex.bit_depth = d[0] == '2' ? 24 : 16;
        } else {
            double q = ex.quality < 0 ? 0.7 : ex.quality;
            if (ui::SliderDouble("Quality", &q, 0.0, 1.0, "%.2f")) ex.quality = q;
            if (ex.format == "opus") ImGui::TextDisabled("Opus is written at 48 kHz.");
        }
        ui::InputText("File name", &ex.file_name);
        ImGui::PopItemWidth();
        bool exists = fs::exists(ex.file_name);
        if (exists) ImGui::TextColored(ImVec4(1, 0.6f, 0.3f, 1), "A file with this name exists: a new name with a number will be used.");
        ImGui::BeginDisabled(ex.busy);
        if (ui::Button(ex.busy ? "Exporting..." : "Export", ImVec2(120, 0))) {
            app.settings.export_format = ex.format;
            app.settings.export_bit_depth = ex.bit_depth;
            app.settings.export_quality = ex.quality;
            app.settings.export_dir = fs::path(ex.file_name).parent_path().string();
            std::string src = t->audio_path, dst = ex.file_name, fmt = ex.format;
            int bits = ex.bit_depth;
            double q = ex.quality;
            ex.busy = true;
            ex.pending = std::async(std::launch::async, [src, dst, fmt, bits, q]() -> std::string {
                try {
                    Audio a = read_audio(src);
                    AudioWriteOptions wo;
                    if (!parse_audio_format(fmt, &wo.format)) return "unknown format " + fmt;
                    if (wo.format == AudioFormat::Opus && a.sample_rate != 48000) a = resample(a, 48000);
                    wo.bit_depth = bits;
                    wo.quality = q;
                    fs::path out = dst;
                    if (!out.parent_path().empty()) fs::create_directories(out.parent_path());
                    if (fs::exists(out)) out = unique_path(out.parent_path() / out.stem(), out.extension().string());
                    write_audio(out, a, wo);
                    return "exported " + out.string();
                } catch (const std::exception& e) {
                    return std::string("export failed: ") + e.what();
                }
            });
        }
        ImGui::EndDisabled();
        ImGui::SameLine();
    }
    if (ui::Button("Close", ImVec2(120, 0))) ImGui::CloseCurrentPopup();
    if (!ex.result.empty()) ImGui::TextWrapped("%s", ex.result.c_str());
    ImGui::EndPopup();
}

}  // namespace acestep::app
