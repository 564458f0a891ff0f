// Where a DiT pass spends its time, by ATen operator: a RecordFunction observer that adds up the
// wall time of outermost operator calls made on the calling thread (nested calls are inside their
// caller's time, so the figures add up to the traced span). Used by `acestep-bench --profile`.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace acestep::bench {

struct OpStat {
    double seconds = 0;
    int64_t calls = 0;
};

// Starts collecting on this thread (one profile at a time).
void profile_start();
// Stops and returns (operator, stats) sorted by time, largest first.
std::vector<std::pair<std::string, OpStat>> profile_stop();

}  // namespace acestep::bench
