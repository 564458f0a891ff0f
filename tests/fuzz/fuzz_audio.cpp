// Fuzz target: reading arbitrary bytes as an audio file (libsndfile + our checks) never crashes.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <string>

#include "acestep/audio_io.h"
#include "acestep/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const std::string path = "/dev/shm/acestep-fuzz-audio-" + std::to_string(getpid());
    FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) return 0;
    std::fwrite(data, 1, size, f);
    std::fclose(f);
    try {
        acestep::AudioReadOptions o;
        o.max_seconds = 30;
        auto a = acestep::read_audio(path, o);
        (void)a;
    } catch (const acestep::Error&) {
    }
    return 0;
}
