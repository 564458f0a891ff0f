// Take history: every generated take with its parameters and lineage, kept on disk.
//
// The sidecar JSONs are the source of truth: the history is rebuilt by scanning the output folder for
// `*_input_params.json`.  The studio adds two keys of its own to a sidecar under "acestep_desktop"
// ({"name": display name, "parent": audio path of the take it derives from}); the official app and
// params_from_json ignore unknown keys, so the file stays loadable everywhere.  Imported audio files
// (drag-and-drop) join the history as entries without a sidecar.  Lengths come from the audio files'
// headers (cheap), never from the parameters.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "acestep/engine.h"
#include "acestep/params.h"

namespace acestep::app {

struct TakeEntry {
    std::string audio_path;
    std::string sidecar_path;   // "" for imports
    GenerationParams params;    // valid when !imported
    std::string name;           // display name
    std::string parent;         // audio path of the parent take ("" = none)
    bool imported = false;
    double seconds = 0.0;       // the audio file's real length (0 = unknown); an extend's
                                // params.audio_duration is its source's length, not its own
    int64_t mtime = 0;          // for ordering (newest first)
    std::string load_error;     // sidecar present but unreadable
};

class TakeHistory {
public:
    // Reads every sidecar in `dir` (not recursive) plus the given imported files. Never throws;
    // unreadable sidecars are listed with load_error set.
    void scan(const std::string& dir, const std::vector<std::string>& imports);
    // Adds freshly generated takes (the job queue has already written name + parent into their sidecars).
    void add_generated(const std::vector<Take>& takes, const std::string& parent);
    // Adds an imported audio file; returns its index.
    int add_import(const std::string& path);
    // Renames (stored in the sidecar for generated takes). Returns false + *error on failure.
    bool rename(int index, const std::string& name, std::string* error);
    // Deletes the audio file and its sidecar (imports are only forgotten).
    bool remove(int index, std::string* error);

    int find(const std::string& audio_path) const;
    // "take name <- repaint of parent <- text2music of grandparent" (at most 8 links).
    std::string lineage(int index) const;
    std::vector<std::string> imports() const;

    std::vector<TakeEntry> entries;  // newest first

private:
    void sort();
};

// Reads / writes the studio's own keys of a sidecar. write returns false + *error on failure.
bool read_desktop_keys(const std::string& sidecar, std::string* name, std::string* parent);
bool write_desktop_keys(const std::string& sidecar, const std::string& name, const std::string& parent,
                        std::string* error);

}  // namespace acestep::app
