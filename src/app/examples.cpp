// Where the Sample button finds its example inputs (examples/README.md): $ACESTEP_EXAMPLES when set
// (and only there), else the examples folder installed next to the binary, the source tree's, and
// ./examples.  A root holds default/input_params/*.json (the official layout), default/*.json, or the
// files themselves; zh_rap_lora/ is preferred while a LoRA is selected, falling back to default/.
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "app/app.h"

namespace acestep::app {

namespace fs = std::filesystem;

namespace {

fs::path exe_dir() {
    std::error_code ec;
    fs::path p = fs::read_symlink("/proc/self/exe", ec);
    return ec ? fs::path() : p.parent_path();
}

std::vector<std::string> json_files_in(const fs::path& dir) {
    std::vector<std::string> out;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return out;
    for (auto& de : fs::directory_iterator(dir, ec))
        if (de.path().extension() == ".json" && de.is_regular_file(ec)) out.push_back(de.path().string());
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

std::vector<std::string> example_roots() {
    if (const char* e = std::getenv("ACESTEP_EXAMPLES"); e && *e) return {e};
    std::vector<std::string> roots;
    if (fs::path d = exe_dir(); !d.empty()) {
        roots.push_back((d / "examples").string());
        roots.push_back((d.parent_path() / "share" / "acestep" / "examples").string());
    }
#ifdef ACESTEP_SOURCE_EXAMPLES
    roots.push_back(ACESTEP_SOURCE_EXAMPLES);
#endif
    roots.push_back("examples");
    return roots;
}

std::vector<std::string> example_files(bool lora) {
    for (const auto& r : example_roots()) {
        const fs::path root(r);
        std::vector<const char*> sets = {"default"};
        if (lora) sets.insert(sets.begin(), "zh_rap_lora");
        for (const char* set : sets)
            for (const fs::path& d : {root / set / "input_params", root / set})
                if (auto files = json_files_in(d); !files.empty()) return files;
        if (auto files = json_files_in(root); !files.empty()) return files;
    }
    return {};
}

}  // namespace acestep::app
