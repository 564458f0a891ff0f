// Take history over the sidecar files (see take_history.h).
#include "app/take_history.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include <nlohmann/json.hpp>
#include <sndfile.h>

#include "acestep/fs_util.h"

namespace acestep::app {

namespace fs = std::filesystem;

static int64_t mtime_of(const std::string& p) {
    std::error_code ec;
    auto t = fs::last_write_time(p, ec);
    if (ec) return 0;
    return (int64_t)std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

static const char* kSidecarSuffix = "_input_params.json";

// The file's length from its header (no decoding); 0 when it cannot be read.
static double audio_seconds(const std::string& path) {
    if (path.empty()) return 0.0;
    SF_INFO info{};
    SNDFILE* f = sf_open(path.c_str(), SFM_READ, &info);
    if (!f) return 0.0;
    sf_close(f);
    return info.samplerate > 0 && info.frames > 0 ? double(info.frames) / info.samplerate : 0.0;
}

bool read_desktop_keys(const std::string& sidecar, std::string* name, std::string* parent) {
    try {
        auto j = nlohmann::json::parse(read_file(sidecar, 64u << 20));
        auto it = j.find("acestep_desktop");
        if (it == j.end() || !it->is_object()) return false;
        if (name && it->contains("name") && (*it)["name"].is_string()) *name = (*it)["name"];
        if (parent && it->contains("parent") && (*it)["parent"].is_string()) *parent = (*it)["parent"];
        return true;
    } catch (...) {
        return false;
    }
}

bool write_desktop_keys(const std::string& sidecar, const std::string& name, const std::string& parent,
                        std::string* error) {
    try {
        auto j = nlohmann::ordered_json::parse(read_file(sidecar, 64u << 20));
        if (!j.is_object()) throw std::runtime_error("not a JSON object");
        j["acestep_desktop"] = {{"name", name}, {"parent", parent}};
        write_file_atomic(sidecar, j.dump(4, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n",
                          Overwrite::Replace);
        return true;
    } catch (const std::exception& e) {
        if (error) *error = sidecar + ": " + e.what();
        return false;
    }
}

static TakeEntry entry_from_sidecar(const std::string& sidecar) {
    TakeEntry e;
    e.sidecar_path = sidecar;
    e.mtime = mtime_of(sidecar);
    try {
        e.params = load_params_file(sidecar);
        e.audio_path = e.params.audio_path;
    } catch (const std::exception& ex) {
        e.load_error = ex.what();
    }
    if (e.audio_path.empty() || !fs::exists(e.audio_path)) {
        // The official app stores a path relative to its working folder: look next to the sidecar.
        std::string stem = sidecar.substr(0, sidecar.size() - std::string(kSidecarSuffix).size());
        for (const char* ext : {".wav", ".flac", ".ogg", ".mp3", ".opus"})
            if (fs::exists(stem + ext)) { e.audio_path = stem + ext; break; }
    }
    e.seconds = audio_seconds(e.audio_path);
    read_desktop_keys(sidecar, &e.name, &e.parent);
    if (e.name.empty()) e.name = fs::path(e.audio_path.empty() ? sidecar : e.audio_path).stem().string();
    return e;
}

void TakeHistory::scan(const std::string& dir, const std::vector<std::string>& imports) {
    entries.clear();
    std::error_code ec;
    if (fs::is_directory(dir, ec)) {
        for (auto& de : fs::directory_iterator(dir, ec)) {
            std::string p = de.path().string();
            if (p.size() > std::string(kSidecarSuffix).size() &&
                p.compare(p.size() - std::string(kSidecarSuffix).size(), std::string::npos, kSidecarSuffix) == 0)
                entries.push_back(entry_from_sidecar(p));
        }
    }
    for (auto& p : imports)
        if (fs::exists(p, ec) && find(p) < 0) {
            TakeEntry e;
            e.audio_path = p;
            e.imported = true;
            e.name = fs::path(p).filename().string();
            e.mtime = mtime_of(p);
            e.seconds = audio_seconds(p);
            entries.push_back(e);
        }
    sort();
}

void TakeHistory::sort() {
    std::stable_sort(entries.begin(), entries.end(), [](const TakeEntry& a, const TakeEntry& b) {
        if (a.mtime != b.mtime) return a.mtime > b.mtime;
        return a.audio_path > b.audio_path;
    });
}

void TakeHistory::add_generated(const std::vector<Take>& takes, const std::string& parent) {
    for (auto& t : takes) {
        TakeEntry e;
        e.audio_path = t.audio_path;
        e.sidecar_path = t.params_path;
        e.params = t.params;
        e.parent = parent;
        e.name = fs::path(t.audio_path).stem().string();
        e.seconds = t.seconds > 0 ? t.seconds : audio_seconds(t.audio_path);
        e.mtime = mtime_of(e.sidecar_path.empty() ? e.audio_path : e.sidecar_path);
        int old = find(e.audio_path);
        if (old >= 0) entries.erase(entries.begin() + old);
        entries.push_back(e);
    }
    sort();
}

int TakeHistory::add_import(const std::string& path) {
    int i = find(path);
    if (i >= 0) return i;
    TakeEntry e;
    e.audio_path = path;
    e.imported = true;
    e.name = fs::path(path).filename().string();
    e.seconds = audio_seconds(path);
    e.mtime = INT64_MAX / 2;  // newest
    entries.insert(entries.begin(), e);
    return 0;
}

bool TakeHistory::rename(int index, const std::string& name, std::string* error) {
    if (index < 0 || index >= (int)entries.size()) return false;
    auto& e = entries[index];
    if (!e.sidecar_path.empty() && !write_desktop_keys(e.sidecar_path, name, e.parent, error)) return false;
    e.name = name;
    return true;
}

bool TakeHistory::remove(int index, std::string* error) {
    if (index < 0 || index >= (int)entries.size()) return false;
    auto& e = entries[index];
    if (!e.imported) {
        std::error_code ec;
        for (auto& p : {e.audio_path, e.sidecar_path})
            if (!p.empty() && fs::exists(p) && !fs::remove(p, ec)) {
                if (error) *error = p + ": cannot delete (" + ec.message() + ")";
                return false;
            }
    }
    entries.erase(entries.begin() + index);
    return true;
}

int TakeHistory::find(const std::string& audio_path) const {
    for (size_t i = 0; i < entries.size(); ++i)
        if (entries[i].audio_path == audio_path) return (int)i;
    return -1;
}

std::string TakeHistory::lineage(int index) const {
    std::string out;
    for (int n = 0; index >= 0 && index < (int)entries.size() && n < 8; ++n) {
        auto& e = entries[index];
        if (!out.empty()) out += "  <-  ";
        out += e.imported ? "imported " + e.name : e.params.task + " '" + e.name + "'";
        std::string parent = e.parent;
        if (parent.empty() && e.params.src_audio_path) parent = *e.params.src_audio_path;
        if (parent.empty()) break;
        int p = find(parent);
        if (p < 0) {
            out += "  <-  " + fs::path(parent).filename().string();
            break;
        }
        index = p;
    }
    return out;
}

std::vector<std::string> TakeHistory::imports() const {
    std::vector<std::string> out;
    for (auto& e : entries) if (e.imported) out.push_back(e.audio_path);
    return out;
}

}  // namespace acestep::app
