// Fuzz target: sidecar / parameters JSON -> GenerationParams -> validation -> JSON again.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "acestep/error.h"
#include "acestep/params.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded()) return 0;
    try {
        auto p = acestep::params_from_json(j, "fuzz.json");
        try {
            acestep::validate_params(p);
        } catch (const acestep::Error&) {
        }
        auto again = acestep::params_from_json(nlohmann::json::parse(acestep::params_to_json_text(p)), "again");
        (void)again;
    } catch (const acestep::Error&) {
    }
    try {
        acestep::parse_seed_list(text);
    } catch (const acestep::Error&) {
    }
    return 0;
}
