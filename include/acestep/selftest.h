// Self-test runner: checks this build against golden fixtures recorded from the official Python
// implementation (../shared/fixtures format: checkpoint/, cases/index.json, cases/NAME.{json,safetensors},
// optionally lyrics/).
//
// Prints one line per case, `PASS <case> max_rel_l2=<x>` / `FAIL <case> max_rel_l2=<x> worst=<tensor> ...`
// / `SKIP <case> (<why>)`, then `N passed, M failed, K skipped`.  Works on any fixture folder of the
// same format (other sizes, other seeds): every size is read from the checkpoint's configs.
#pragma once

#include <filesystem>
#include <ostream>
#include <string>

namespace acestep::selftest {

struct Options {
    std::filesystem::path fixtures;  // folder holding checkpoint/ and cases/
    std::string filter;              // only cases whose name contains this text
    std::string device = "cpu";
    std::string dtype = "fp32";
    int threads = 0;
    bool verbose = false;            // per-tensor figures
};

struct Summary {
    int passed = 0, failed = 0, skipped = 0;
};

Summary run(const Options& opt, std::ostream& out);

}  // namespace acestep::selftest
