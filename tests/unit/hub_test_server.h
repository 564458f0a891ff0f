// A small HTTP/1.1 server on 127.0.0.1 for the download tests: it serves a hub-shaped API over a
// folder (the tiny fixture checkpoint) and can misbehave on demand (drop a connection mid-file,
// serve corrupted bytes, answer 404, stall, ignore ranges), so the whole download path is exercised
// without the internet.
#pragma once

#include <atomic>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace acestep::test {

struct HubFault {
    int drop_after_bytes = -1;  // close the connection after this many body bytes
    int drop_times = 0;         // ... on this many requests
    int corrupt_times = 0;      // serve flipped bytes on this many requests
    int stall_ms = 0;           // pause mid-body once for this long
    int stall_times = 0;
    bool not_found = false;     // answer 404
    bool ignore_range = false;  // answer 200 with the whole file to Range requests
};

class HubTestServer {
public:
    // Serves every file under `root` as repo `repo_id` at commit `commit`.
    HubTestServer(std::filesystem::path root, std::string repo_id, std::string commit);
    ~HubTestServer();

    std::string endpoint() const;  // http://127.0.0.1:<port>
    void set_fault(const std::string& repo_path, HubFault f);
    void set_required_token(const std::string& t) { token_ = t; }
    void set_raw_route(const std::string& url_path, const std::string& body) { raw_[url_path] = body; }
    // Serves bytes at an arbitrary URL path (e.g. lyric data files).
    void serve_file(const std::string& url_path, const std::filesystem::path& file);

    std::vector<std::string> requests() const;  // "METHOD path range" lines, in order
    int range_requests() const { return ranges_.load(); }

private:
    void loop();
    void handle(int fd);

    std::filesystem::path root_;
    std::string repo_, commit_, token_;
    int listen_fd_ = -1;
    int port_ = 0;
    std::atomic<bool> stop_{false};
    std::thread thread_;
    mutable std::mutex mu_;
    std::map<std::string, HubFault> faults_;
    std::map<std::string, std::string> raw_;
    std::map<std::string, std::filesystem::path> files_;
    std::vector<std::string> log_;
    std::atomic<int> ranges_{0};
};

}  // namespace acestep::test
