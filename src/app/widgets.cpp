// Labelled, script-drivable ImGui widgets (see widgets.h).
#include "app/widgets.h"

#include <imgui_internal.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cmath>

namespace acestep::app::ui {

Driver& driver() {
    static Driver d;
    return d;
}

void begin_frame() { driver().drawn.clear(); }

std::string visible_label(const char* label) {
    std::string s(label);
    auto p = s.find("##");
    return p == std::string::npos ? s : s.substr(0, p);
}

namespace {

// Marks `label` as drawn this frame and takes the script's pending request for it from `pending` (the
// set of clicks or the map of values, keyed by visible label): `take` receives the entry before it is
// erased and logged.  False when nothing was pending.
template <class Pending, class Take>
bool take_pending(Pending& pending, const char* label, const char* verb, Take&& take) {
    auto& d = driver();
    std::string key = visible_label(label);
    d.drawn.insert(key);
    auto it = pending.find(key);
    if (it == pending.end()) return false;
    take(*it);
    pending.erase(it);
    d.applied.push_back(verb + (" " + key));
    return true;
}

bool take_set(const char* label, nlohmann::json* value) {
    return take_pending(driver().pending_set, label, "set", [&](const auto& kv) { *value = kv.second; });
}

bool take_click(const char* label) {
    return take_pending(driver().pending_click, label, "click", [](const auto&) {});
}

void bad_value(const char* label, const std::string& why) {
    driver().last_error = "control '" + visible_label(label) + "': " + why;
}

}  // namespace

// A button just drawn: clicked by the mouse, or by a pending script click unless it is disabled (a
// script may only click what a person could click).
static bool button_result(const char* label, bool clicked) {
    if (take_click(label)) {
        if (GImGui->CurrentItemFlags & ImGuiItemFlags_Disabled) bad_value(label, "is disabled");
        else clicked = true;
    }
    return clicked;
}

bool Button(const char* label, const ImVec2& size) { return button_result(label, ImGui::Button(label, size)); }

bool SmallButton(const char* label) { return button_result(label, ImGui::SmallButton(label)); }

bool RadioButton(const char* label, bool active) {
    bool clicked = ImGui::RadioButton(label, active);
    if (take_click(label)) clicked = true;
    return clicked;
}

bool Checkbox(const char* label, bool* v) {
    bool changed = ImGui::Checkbox(label, v);
    nlohmann::json j;
    if (take_set(label, &j)) {
        if (j.is_boolean()) { *v = j.get<bool>(); changed = true; }
        else bad_value(label, "expects true or false");
    }
    if (take_click(label)) { *v = !*v; changed = true; }
    return changed;
}

bool InputText(const char* label, std::string* s, ImGuiInputTextFlags flags, const char* hint) {
    bool changed = hint ? ImGui::InputTextWithHint(label, hint, s, flags) : ImGui::InputText(label, s, flags);
    nlohmann::json j;
    if (take_set(label, &j)) {
        if (j.is_string()) *s = j.get<std::string>();
        else *s = j.dump();
        // With EnterReturnsTrue the caller reads "true" as "confirmed": a set only edits the text.
        if (!(flags & ImGuiInputTextFlags_EnterReturnsTrue)) changed = true;
    }
    return changed;
}

bool InputTextMultiline(const char* label, std::string* s, const ImVec2& size, ImGuiInputTextFlags flags,
                        ImGuiInputTextCallback cb, void* user) {
    bool changed = ImGui::InputTextMultiline(label, s, size, flags, cb, user);
    nlohmann::json j;
    if (take_set(label, &j)) {
        if (j.is_string()) { *s = j.get<std::string>(); changed = true; }
        else bad_value(label, "expects text");
    }
    return changed;
}

bool SliderDouble(const char* label, double* v, double lo, double hi, const char* fmt) {
    bool changed = ImGui::SliderScalar(label, ImGuiDataType_Double, v, &lo, &hi, fmt);
    nlohmann::json j;
    if (take_set(label, &j)) {
        if (j.is_number()) { *v = std::clamp(j.get<double>(), lo, hi); changed = true; }
        else bad_value(label, "expects a number");
    }
    return changed;
}

bool SliderInt(const char* label, int* v, int lo, int hi) {
    bool changed = ImGui::SliderInt(label, v, lo, hi);
    nlohmann::json j;
    if (take_set(label, &j)) {
        if (j.is_number()) { *v = std::clamp((int)std::lround(j.get<double>()), lo, hi); changed = true; }
        else bad_value(label, "expects a number");
    }
    return changed;
}

bool SliderInt64(const char* label, int64_t* v, int64_t lo, int64_t hi) {
    int x = (int)*v;
    bool changed = SliderInt(label, &x, (int)lo, (int)hi);
    *v = x;
    return changed;
}

bool InputDouble(const char* label, double* v, double step, const char* fmt) {
    bool changed = ImGui::InputDouble(label, v, step, step * 10, fmt);
    nlohmann::json j;
    if (take_set(label, &j)) {
        if (j.is_number()) { *v = j.get<double>(); changed = true; }
        else bad_value(label, "expects a number");
    }
    return changed;
}

bool Combo(const char* label, std::string* value, const std::vector<std::string>& options) {
    bool changed = false;
    if (ImGui::BeginCombo(label, value->c_str())) {
        for (auto& o : options) {
            bool sel = o == *value;
            if (ImGui::Selectable(o.c_str(), sel)) { *value = o; changed = true; }
            if (sel) ImGui::SetItemDefaultFocus();
        }
        ImGui::EndCombo();
    }
    nlohmann::json j;
    if (take_set(label, &j)) {
        std::string v = j.is_string() ? j.get<std::string>() : j.dump();
        if (std::find(options.begin(), options.end(), v) != options.end()) { *value = v; changed = true; }
        else bad_value(label, "no option '" + v + "'");
    }
    return changed;
}

bool Radio(const char* label, std::string* value, const std::vector<std::string>& options) {
    bool changed = false;
    ImGui::PushID(label);
    ImGui::TextUnformatted(visible_label(label).c_str());
    for (auto& o : options) {
        ImGui::SameLine();
        if (ImGui::RadioButton(o.c_str(), *value == o)) { *value = o; changed = true; }
    }
    ImGui::PopID();
    nlohmann::json j;
    if (take_set(label, &j)) {
        std::string v = j.is_string() ? j.get<std::string>() : j.dump();
        if (std::find(options.begin(), options.end(), v) != options.end()) { *value = v; changed = true; }
        else bad_value(label, "no option '" + v + "'");
    }
    return changed;
}

bool BeginTabItem(const char* label) {
    auto& d = driver();
    std::string key = visible_label(label);
    ImGuiTabItemFlags flags = 0;
    if (!d.pending_tab.empty() && d.pending_tab == key) {
        flags |= ImGuiTabItemFlags_SetSelected;
        d.pending_tab.clear();
        d.applied.push_back("tab " + key);
    }
    d.drawn.insert(key);
    return ImGui::BeginTabItem(label, nullptr, flags);
}

bool CollapsingHeader(const char* label, bool default_open) {
    if (driver().active()) ImGui::SetNextItemOpen(true);
    return ImGui::CollapsingHeader(label, default_open ? ImGuiTreeNodeFlags_DefaultOpen : 0);
}

void remember_rect(const std::string& name) {
    ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    driver().rects[name] = ImVec4(a.x, a.y, b.x, b.y);
}

void HelpMarker(const char* text) {
    ImGui::SameLine();
    ImGui::TextDisabled("(?)");
    if (ImGui::IsItemHovered()) {
        ImGui::BeginTooltip();
        ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30.0f);
        ImGui::TextUnformatted(text);
        ImGui::PopTextWrapPos();
        ImGui::EndTooltip();
    }
}

}  // namespace acestep::app::ui
