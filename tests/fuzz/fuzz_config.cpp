// Fuzz target: the four config.json readers reject malformed or absurd JSON with acestep::Error.
#include <cstdint>
#include <string>

#include "acestep/config.h"
#include "acestep/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    try { acestep::parse_dit_config(text, "config.json"); } catch (const acestep::Error&) {}
    try { acestep::parse_dcae_config(text, "config.json"); } catch (const acestep::Error&) {}
    try { acestep::parse_vocoder_config(text, "config.json"); } catch (const acestep::Error&) {}
    try { acestep::parse_umt5_config(text, "config.json"); } catch (const acestep::Error&) {}
    return 0;
}
