// Fuzz target: the safetensors reader must reject any malformed file with acestep::Error and never
// read outside the buffer (every accepted tensor's bytes are touched).
#include <cstdint>
#include <vector>

#include "acestep/error.h"
#include "acestep/safetensors.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    try {
        auto f = acestep::st::File::from_memory(std::vector<uint8_t>(data, data + size), "fuzz.safetensors");
        volatile uint8_t sink = 0;
        for (const auto& t : f->tensors())
            if (t.nbytes > 0) sink ^= t.data[0] ^ t.data[t.nbytes - 1];
        (void)sink;
    } catch (const acestep::Error&) {
    }
    return 0;
}
