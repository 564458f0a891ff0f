// libcurl wrapper for the hub client (see http.h).
#include "hub/http.h"

#include <curl/curl.h>

#include <mutex>

namespace acestep::hub {

namespace {

void global_init() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Ctx {
    CURL* curl = nullptr;
    const HttpConfig* cfg = nullptr;
    bool started = false;
    bool stop = false;      // on_start said no
    long status = 0;
    bool to_memory = false;
    size_t max_bytes = 0;
    std::string body;       // memory mode, or error bodies
    const std::function<bool(long, bool)>* on_start = nullptr;
    const std::function<bool(const char*, size_t)>* sink = nullptr;
    bool sink_failed = false;
    uint64_t received = 0;
};

size_t on_write(char* data, size_t size, size_t n, void* user) {
    Ctx& c = *static_cast<Ctx*>(user);
    const size_t len = size * n;
    if (!c.started) {
        c.started = true;
        curl_easy_getinfo(c.curl, CURLINFO_RESPONSE_CODE, &c.status);
        if (!c.to_memory && (c.status == 200 || c.status == 206) && c.on_start && *c.on_start)
            if (!(*c.on_start)(c.status, c.status == 206)) {
                c.stop = true;
                return 0;
            }
    }
    if (c.to_memory || (c.status != 200 && c.status != 206)) {
        if (c.body.size() + len > (c.to_memory ? c.max_bytes : 4096)) {
            if (c.to_memory) return 0;  // too large
            return len;                 // error body: keep the start only
        }
        c.body.append(data, len);
        return len;
    }
    if (!(*c.sink)(data, len)) {
        c.sink_failed = true;
        return 0;
    }
    c.received += len;
    return len;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    Ctx& c = *static_cast<Ctx*>(user);
    return (c.cfg->cancel && c.cfg->cancel->load()) ? 1 : 0;
}

HttpResult perform(const std::string& url, uint64_t offset, const HttpConfig& cfg, Ctx& ctx) {
    global_init();
    HttpResult r;
    CURL* curl = curl_easy_init();
    if (!curl) {
        r.curl_error = "cannot initialise libcurl";
        return r;
    }
    ctx.curl = curl;
    ctx.cfg = &cfg;
    curl_slist* headers = nullptr;
    if (!cfg.bearer_token.empty()) headers = curl_slist_append(headers, ("Authorization: Bearer " + cfg.bearer_token).c_str());
    headers = curl_slist_append(headers, "User-Agent: acestep-desktop/0.1");
    char errbuf[CURL_ERROR_SIZE] = {0};
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 10L);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, (long)(cfg.connect_timeout_s * 1000));
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1024L);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, (long)std::max(1.0, cfg.low_speed_timeout_s));
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_write);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &ctx);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &ctx);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    // A plain Range header (not CURLOPT_RESUME_FROM): a server that ignores it answers 200 and
    // on_start() lets the caller start the file over instead of curl failing.
    const std::string range = std::to_string(offset) + "-";
    if (offset > 0) curl_easy_setopt(curl, CURLOPT_RANGE, range.c_str());
    const CURLcode rc = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    r.status = status;
    r.received = ctx.received;
    r.sink_failed = ctx.sink_failed;
    r.body = std::move(ctx.body);
    if (rc == CURLE_ABORTED_BY_CALLBACK) {
        r.cancelled = true;
    } else if (rc != CURLE_OK && !ctx.sink_failed && !ctx.stop) {
        r.curl_error = errbuf[0] ? errbuf : curl_easy_strerror(rc);
        r.transient = rc != CURLE_UNSUPPORTED_PROTOCOL && rc != CURLE_URL_MALFORMAT;
    }
    if (status >= 500 || status == 429 || status == 408) r.transient = true;
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    return r;
}

}  // namespace

HttpResult http_get(const std::string& url, const HttpConfig& cfg, size_t max_bytes) {
    Ctx ctx;
    ctx.to_memory = true;
    ctx.max_bytes = max_bytes;
    return perform(url, 0, cfg, ctx);
}

HttpResult http_fetch(const std::string& url, uint64_t offset, const HttpConfig& cfg,
                      const std::function<bool(long, bool)>& on_start,
                      const std::function<bool(const char*, size_t)>& sink) {
    Ctx ctx;
    ctx.on_start = &on_start;
    ctx.sink = &sink;
    return perform(url, offset, cfg, ctx);
}

}  // namespace acestep::hub
