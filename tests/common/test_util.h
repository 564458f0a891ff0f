// Helpers shared by the test binaries: where the fixtures are, scratch folders.
#pragma once

#include <filesystem>
#include <string>

namespace acestep::test {

// $ACESTEP_FIXTURES, else the folder configured at build time (../shared/fixtures).
std::filesystem::path fixtures_dir();
// Path of the build tree (for the binaries under bin/).
std::filesystem::path build_dir();
std::filesystem::path source_dir();
// A fresh empty folder for this test (removed at the next call with the same name).
std::filesystem::path scratch_dir(const std::string& name);

}  // namespace acestep::test
