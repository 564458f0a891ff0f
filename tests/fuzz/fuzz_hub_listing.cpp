// Fuzz target: a hostile hub API answer is rejected (no path escapes, no crash).
#include <cstdint>
#include <filesystem>
#include <string>

#include "acestep/error.h"
#include "acestep/hub.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        std::string commit;
        auto files = acestep::parse_hub_listing(text, {"ace_step_transformer/", "umt5-base/"}, &commit, "fuzz");
        for (const auto& f : files) {
            // No accepted path may climb out of (or sit at) the snapshot folder: every component is a
            // real name ("a..b" is a fine file name; ".." and "." are not), and the blob name is flat.
            if (f.path.empty() || f.path[0] == '/' || f.etag().find('/') != std::string::npos) __builtin_trap();
            for (const auto& part : std::filesystem::path(f.path))
                if (part == ".." || part == "." || part.empty()) __builtin_trap();
        }
    } catch (const acestep::Error&) {
    }
    return 0;
}
