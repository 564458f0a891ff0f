// Minimal libcurl client for the hub: JSON GETs, and resumable file fetches that stream through a
// caller's sink (for hashing and progress) with cancel, low-speed timeouts and redirect following.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

namespace acestep::hub {

struct HttpConfig {
    std::string bearer_token;        // sent only to the first host (curl drops it on cross-host redirects)
    double connect_timeout_s = 20;
    double low_speed_timeout_s = 60; // abort when slower than 1 KiB/s for this long
    const std::atomic<bool>* cancel = nullptr;
};

struct HttpResult {
    long status = 0;              // final HTTP status (0 when no response)
    std::string body;             // for get(); error bodies (capped) for fetch()
    std::string curl_error;       // transport error text, "" if none
    bool transient = false;       // worth retrying (network, timeout, 5xx, dropped connection)
    bool cancelled = false;
    bool sink_failed = false;     // the sink refused data (e.g. disk full)
    uint64_t received = 0;        // body bytes handed to the sink
};

// GET url into memory (body capped at max_bytes).
HttpResult http_get(const std::string& url, const HttpConfig& cfg, size_t max_bytes = 64u << 20);

// GET url from byte `offset` (Range request when offset > 0). Before the first body byte, on_start
// is told the status and whether the server honoured the range (206); returning false stops.
// sink(data, n) returns false to abort (its reason is the caller's to keep).
HttpResult http_fetch(const std::string& url, uint64_t offset, const HttpConfig& cfg,
                      const std::function<bool(long status, bool ranged)>& on_start,
                      const std::function<bool(const char*, size_t)>& sink);

}  // namespace acestep::hub
