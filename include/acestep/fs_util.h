// File-system helpers that make "nothing lost on failure" easy to keep.
//
// Every file the app produces is written to a temporary sibling and renamed into place only once it
// is complete (rename is atomic within a folder), so a crash, a cancel or a full disk never leaves a
// half-written file under the final name and never damages an existing one.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace acestep {

namespace fs = std::filesystem;

enum class Overwrite { Never, Replace };

// A temporary path next to `final_path` (same folder, hidden, unique). Deleted in the destructor
// unless commit() moved it into place.
class AtomicFile {
public:
    explicit AtomicFile(const fs::path& final_path, Overwrite mode = Overwrite::Never);
    ~AtomicFile();
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    const fs::path& temp_path() const { return temp_; }
    const fs::path& final_path() const { return final_; }
    // fsyncs the temp file and renames it over the final path. With Overwrite::Never an existing
    // final file is an error (checked with link(2)+unlink, so a racing writer cannot be clobbered).
    void commit();

private:
    fs::path final_;
    fs::path temp_;
    Overwrite mode_;
    bool committed_ = false;
};

// Writes bytes atomically. Throws acestep::Error naming the path on any failure.
void write_file_atomic(const fs::path& path, std::string_view bytes, Overwrite mode = Overwrite::Replace);
std::string read_file(const fs::path& path, uint64_t max_bytes = 1ull << 30);

// First path of the form "<stem><suffix>" or "<stem>_2<suffix>", "<stem>_3<suffix>", ... that does
// not exist yet. Used for take names so two takes in the same second both survive.
fs::path unique_path(const fs::path& stem, const std::string& suffix);

// Removes the hidden ".<name>.part-XXXX" files that a killed writer left in `dir` (never a finished
// file), if they are older than `min_age_s` (so a writer still running in another process is left
// alone). Returns how many were removed. The app runs it on its output folder at start.
int remove_stale_partials(const fs::path& dir, double min_age_s = 3600.0);
bool is_partial_file(const fs::path& path);

// Tries to reserve `path` by creating it exclusively (O_CREAT|O_EXCL). True if this call created it.
bool reserve_path(const fs::path& path);

}  // namespace acestep
