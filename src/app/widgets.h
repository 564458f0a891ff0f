// Labelled widgets that a UI script can drive.
//
// Every control of the studio is drawn through these thin wrappers around Dear ImGui.  They behave
// exactly like the ImGui widget, and in addition consult the Driver: when a script (`--script`) has
// asked to set a control by its visible label, or to click a button by its label, the wrapper applies
// that on the frame the control is drawn, through the same code path a mouse click would take.
// So tests and demos drive the very code a person uses.
#pragma once

#include <imgui.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace acestep::app::ui {

// Pending script requests, keyed by visible label (the part of an ImGui label before "##").
struct Driver {
    std::map<std::string, nlohmann::json> pending_set;
    std::set<std::string> pending_click;
    std::string pending_tab;                   // tab to select
    std::set<std::string> drawn;               // labels drawn during the current frame
    std::map<std::string, ImVec4> rects;       // screen rect (x0,y0,x1,y1) of named regions (e.g. "waveform")
    std::vector<std::string> applied;          // log of applied requests, for the report
    std::string last_error;                    // e.g. a value that does not fit the control
    bool active() const { return !pending_set.empty() || !pending_click.empty() || !pending_tab.empty(); }
};
Driver& driver();
void begin_frame();  // clears `drawn`

std::string visible_label(const char* label);

bool Button(const char* label, const ImVec2& size = ImVec2(0, 0));
bool SmallButton(const char* label);
bool Checkbox(const char* label, bool* v);
bool RadioButton(const char* label, bool active);
bool InputText(const char* label, std::string* s, ImGuiInputTextFlags flags = 0, const char* hint = nullptr);
bool InputTextMultiline(const char* label, std::string* s, const ImVec2& size, ImGuiInputTextFlags flags = 0,
                        ImGuiInputTextCallback cb = nullptr, void* user = nullptr);
bool SliderDouble(const char* label, double* v, double lo, double hi, const char* fmt = "%.2f");
bool SliderInt(const char* label, int* v, int lo, int hi);
bool SliderInt64(const char* label, int64_t* v, int64_t lo, int64_t hi);
bool InputDouble(const char* label, double* v, double step, const char* fmt = "%.2f");
// A combo over fixed options; *value is the chosen option's text.
bool Combo(const char* label, std::string* value, const std::vector<std::string>& options);
// Radio buttons in a row; *value is the chosen option's text.
bool Radio(const char* label, std::string* value, const std::vector<std::string>& options);
// A tab that a script can select by its label.
bool BeginTabItem(const char* label);
// A collapsing header that opens itself while a script has pending work (so its controls can be reached).
bool CollapsingHeader(const char* label, bool default_open);
// Remember the last item's screen rect under `name` (for drags).
void remember_rect(const std::string& name);

// Help marker "(?)" with a tooltip.
void HelpMarker(const char* text);

}  // namespace acestep::app::ui
