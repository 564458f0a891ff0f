// Test helpers (see test_util.h).
#include "common/test_util.h"

#include <cstdlib>
#include <unistd.h>

namespace acestep::test {

std::filesystem::path fixtures_dir() {
    if (const char* e = std::getenv("ACESTEP_FIXTURES"); e && *e) return e;
    return ACESTEP_DEFAULT_FIXTURES;
}

std::filesystem::path build_dir() { return ACESTEP_BUILD_DIR; }
std::filesystem::path source_dir() { return ACESTEP_SOURCE_DIR; }

std::filesystem::path scratch_dir(const std::string& name) {
    std::filesystem::path base;
    if (const char* e = std::getenv("ACESTEP_TEST_TMP"); e && *e) base = e;
    else base = std::filesystem::temp_directory_path() / "acestep-tests";
    auto p = base / (name + "-" + std::to_string(::getpid()));
    std::filesystem::remove_all(p);
    std::filesystem::create_directories(p);
    return p;
}

}  // namespace acestep::test
