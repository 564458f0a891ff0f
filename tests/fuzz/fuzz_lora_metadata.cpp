// Fuzz target: a LoRA file's adapter metadata and ranks -> per-module scale factors (acestep/lora_config.h).
// Input: the metadata JSON, then (after a NUL byte, optional) lines "<module> <rank>"; no NUL = no metadata
// and the whole input is the module list. Also checks the invariants of the result.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

#include "acestep/error.h"
#include "acestep/lora_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    const size_t nul = text.find('\0');
    const std::string metadata = nul == std::string::npos ? "" : text.substr(0, nul);
    std::istringstream lines(nul == std::string::npos ? text : text.substr(nul + 1));
    std::vector<std::pair<std::string, int64_t>> ranks;
    std::string module;
    long long rank = 0;
    while (ranks.size() < 64 && lines >> module >> rank) ranks.emplace_back(module, (int64_t)rank);
    if (ranks.empty()) ranks = {{"transformer_blocks.0.attn.to_q", 8}, {"speaker_embedder", 4}};
    try {
        const auto s = acestep::lora_scaling(ranks, nul == std::string::npos ? nullptr : &metadata, "fuzz.safetensors");
        for (const auto& [m, r] : ranks)
            if (!s.factor.count(m)) std::abort();  // every module gets a factor
        for (const auto& [m, f] : s.factor)
            if (std::isnan(f)) std::abort();
    } catch (const acestep::Error&) {
    }
    for (const auto& [m, r] : ranks) {
        try {
            acestep::lora_pattern_matches(metadata.substr(0, 200), m);
        } catch (const acestep::Error&) {
        }
    }
    return 0;
}
