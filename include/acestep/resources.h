// Resource guards: estimate a job's peak memory before it starts and refuse it with a clear message
// when it cannot fit, instead of being killed by the out-of-memory killer half-way through.
//
// The estimate is deliberately conservative (an upper bound of the engine's peak, from the component
// configs): weights in the compute dtype + the largest activation set of any stage (DiT pass,
// DCAE decode at full mel resolution or per overlapped window, vocoder at full audio rate).
#pragma once

#include <cstdint>
#include <string>

#include "acestep/config.h"
#include "acestep/params.h"

namespace acestep {

struct MemoryEstimate {
    uint64_t weights = 0;       // bytes of weights still to be loaded (0 when already resident)
    uint64_t dit = 0;           // peak activations of one guided DiT step
    uint64_t dcae = 0;          // peak activations of the DCAE decode (or encode of the source)
    uint64_t vocoder = 0;       // peak activations of the vocoder
    uint64_t total() const;     // weights + the largest stage
    std::string describe() const;  // "about 9.3 GiB (weights 5.6 GiB, largest stage: vocoder 2.1 GiB)"
};

struct ModelConfigs {
    DitConfig dit;
    DcaeConfig dcae;
    VocoderConfig vocoder;
    Umt5Config umt5;
};

// Latent frames of a job: frames(duration) for text2music/retake, the source's length for tasks
// with a source (pass its duration in seconds), capped to the 240 s window.
int64_t latent_frames(double seconds);

// dtype_bytes: 4 (fp32) or 2 (bf16/fp16). weights_loaded: the model store already holds them.
// source_seconds: duration of the source/reference audio (repaint/extend/edit/audio2audio), else <= 0.
MemoryEstimate estimate_job_memory(const GenerationParams& p, const ModelConfigs& cfg, int dtype_bytes,
                                   bool weights_loaded, bool overlapped_decode, double source_seconds = -1);

// Bytes this process can still use: MemAvailable from /proc/meminfo, bounded by a cgroup memory
// limit when one is set, and by $ACESTEP_MAX_MEMORY when set (a user's cap, e.g. "6GiB" on a machine
// shared with other work). 0 when unknown. Throws acestep::Error when $ACESTEP_MAX_MEMORY is not a size.
uint64_t available_memory_bytes();

// "8GiB", "8 GB", "512M", "1.5G", "123456" (bytes) -> bytes; K/M/G/T are powers of 1024 with or
// without "iB"/"B". Throws acestep::Error("<what>: '<text>' is not a size ...") otherwise.
uint64_t parse_byte_size(const std::string& text, const std::string& what);

// Throws acestep::Error("this job needs about ... but only ... are available: <advice>") when the
// estimate exceeds `available` (no check when available == 0).
void check_memory_fits(const MemoryEstimate& e, uint64_t available);

std::string human_bytes(uint64_t b);

}  // namespace acestep
