// Hub-shaped HTTP test server (see hub_test_server.h).
#include "hub_test_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>

#include "acestep/fs_util.h"
#include "acestep/hub.h"

namespace acestep::test {

namespace fs = std::filesystem;

namespace {
// Bodies and checksums are read once per file: under ASan on a loaded machine, re-reading and
// re-hashing a 16 MB file per request took longer than the client's 1 s low-speed window (the
// client then saw a stall that the test had not asked for).
struct FileMemo {
    std::mutex mu;
    std::map<std::string, std::shared_ptr<const std::string>> bodies;
    std::map<std::string, std::string> sha256, blob_sha1;
};
FileMemo& memo() {
    static FileMemo m;
    return m;
}

std::shared_ptr<const std::string> slurp(const fs::path& p) {
    auto& m = memo();
    std::lock_guard<std::mutex> l(m.mu);
    auto& b = m.bodies[p.string()];
    if (!b) b = std::make_shared<const std::string>(read_file(p));
    return b;
}

std::string memo_hash(const fs::path& p, bool lfs) {
    auto& m = memo();
    std::lock_guard<std::mutex> l(m.mu);
    auto& h = (lfs ? m.sha256 : m.blob_sha1)[p.string()];
    if (h.empty()) h = lfs ? sha256_file(p) : git_blob_sha1_file(p);
    return h;
}

bool send_all(int fd, const char* d, size_t n) {
    while (n > 0) {
        ssize_t w = ::send(fd, d, n, MSG_NOSIGNAL);
        if (w <= 0) return false;
        d += w;
        n -= (size_t)w;
    }
    return true;
}

void reply(int fd, int status, const std::string& reason, const std::string& body,
           const std::vector<std::string>& headers = {}) {
    std::ostringstream o;
    o << "HTTP/1.1 " << status << " " << reason << "\r\nContent-Length: " << body.size() << "\r\nConnection: close\r\n";
    for (const auto& h : headers) o << h << "\r\n";
    o << "\r\n" << body;
    const std::string s = o.str();
    send_all(fd, s.data(), s.size());
}
}  // namespace

HubTestServer::HubTestServer(fs::path root, std::string repo_id, std::string commit)
    : root_(std::move(root)), repo_(std::move(repo_id)), commit_(std::move(commit)) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    ::bind(listen_fd_, (sockaddr*)&a, sizeof a);
    ::listen(listen_fd_, 16);
    socklen_t len = sizeof a;
    getsockname(listen_fd_, (sockaddr*)&a, &len);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] { loop(); });
}

HubTestServer::~HubTestServer() {
    stop_ = true;
    ::shutdown(listen_fd_, SHUT_RDWR);
    ::close(listen_fd_);
    if (thread_.joinable()) thread_.join();
}

std::string HubTestServer::endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }

void HubTestServer::set_fault(const std::string& p, HubFault f) {
    std::lock_guard<std::mutex> l(mu_);
    faults_[p] = f;
}

void HubTestServer::serve_file(const std::string& url_path, const fs::path& file) {
    std::lock_guard<std::mutex> l(mu_);
    files_[url_path] = file;
}

std::vector<std::string> HubTestServer::requests() const {
    std::lock_guard<std::mutex> l(mu_);
    return log_;
}

void HubTestServer::loop() {
    while (!stop_) {
        pollfd p{listen_fd_, POLLIN, 0};
        if (::poll(&p, 1, 100) <= 0) continue;
        int fd = ::accept(listen_fd_, nullptr, nullptr);
        if (fd < 0) continue;
        handle(fd);  // one at a time: the client downloads sequentially
        ::close(fd);
    }
}

void HubTestServer::handle(int fd) {
    std::string req;
    char buf[4096];
    while (req.find("\r\n\r\n") == std::string::npos) {
        ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) return;
        req.append(buf, (size_t)n);
        if (req.size() > 65536) return;
    }
    std::istringstream in(req);
    std::string method, target, version;
    in >> method >> target >> version;
    uint64_t range_start = 0;
    bool ranged = false;
    std::string auth;
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line) && line != "\r") {
        std::string l = line;
        for (auto& c : l) c = (char)std::tolower((unsigned char)c);
        if (l.rfind("range: bytes=", 0) == 0) {
            range_start = std::stoull(line.substr(13));
            ranged = true;
        }
        if (l.rfind("authorization: ", 0) == 0) auth = line.substr(15, line.size() - 16);
    }
    {
        std::lock_guard<std::mutex> l(mu_);
        log_.push_back(method + " " + target + (ranged ? " range=" + std::to_string(range_start) : ""));
    }
    if (ranged) ++ranges_;
    if (!token_.empty() && target.rfind("/api/", 0) == 0 && auth != "Bearer " + token_) {
        reply(fd, 401, "Unauthorized", "{\"error\":\"Invalid credentials\"}");
        return;
    }
    {
        std::lock_guard<std::mutex> l(mu_);
        auto r = raw_.find(target);
        if (r != raw_.end()) {
            reply(fd, 200, "OK", r->second);
            return;
        }
    }
    const std::string api = "/api/models/" + repo_ + "/revision/";
    if (target.rfind(api, 0) == 0) {
        nlohmann::json j;
        j["id"] = repo_;
        j["sha"] = commit_;
        j["siblings"] = nlohmann::json::array();
        j["siblings"].push_back({{"rfilename", "README.md"}, {"size", 10}, {"blobId", "0123456789abcdef0123456789abcdef01234567"}});
        for (const auto& e : fs::recursive_directory_iterator(root_)) {
            if (!e.is_regular_file()) continue;
            const std::string rel = fs::relative(e.path(), root_).string();
            nlohmann::json s{{"rfilename", rel}, {"size", e.file_size()}};
            if (e.path().extension() == ".safetensors" || e.path().extension() == ".model") {
                s["blobId"] = "ffffffffffffffffffffffffffffffffffffffff";
                s["lfs"] = {{"sha256", memo_hash(e.path(), true)}, {"size", e.file_size()}, {"pointerSize", 134}};
            } else {
                s["blobId"] = memo_hash(e.path(), false);
            }
            j["siblings"].push_back(s);
        }
        reply(fd, 200, "OK", j.dump(), {"Content-Type: application/json"});
        return;
    }
    // /<repo>/resolve/<commit>/<path>  ->  302 to /cdn/<path> (like the hub's LFS redirect)
    const std::string resolve = "/" + repo_ + "/resolve/" + commit_ + "/";
    fs::path file;
    std::string repo_path;
    if (target.rfind(resolve, 0) == 0) {
        repo_path = target.substr(resolve.size());
        reply(fd, 302, "Found", "", {"Location: /cdn/" + repo_path});
        return;
    }
    if (target.rfind("/cdn/", 0) == 0) {
        repo_path = target.substr(5);
        file = root_ / repo_path;
    } else {
        std::lock_guard<std::mutex> l(mu_);
        auto f = files_.find(target);
        if (f != files_.end()) {
            file = f->second;
            repo_path = target;
        }
    }
    HubFault fault;
    {
        std::lock_guard<std::mutex> l(mu_);
        auto it = faults_.find(repo_path);
        if (it != faults_.end()) fault = it->second;
    }
    if (file.empty() || !fs::exists(file) || fault.not_found) {
        reply(fd, 404, "Not Found", "Entry not found");
        return;
    }
    std::string body = *slurp(file);
    if (fault.corrupt_times > 0) {
        for (size_t i = 0; i < body.size(); i += 97) body[i] = (char)~body[i];
        std::lock_guard<std::mutex> l(mu_);
        faults_[repo_path].corrupt_times--;
    }
    int status = 200;
    std::vector<std::string> headers;
    if (ranged && !fault.ignore_range) {
        if (range_start >= body.size()) {
            reply(fd, 416, "Range Not Satisfiable", "");
            return;
        }
        headers.push_back("Content-Range: bytes " + std::to_string(range_start) + "-" + std::to_string(body.size() - 1) + "/" +
                          std::to_string(body.size()));
        body = body.substr(range_start);
        status = 206;
    }
    std::ostringstream o;
    o << "HTTP/1.1 " << status << (status == 206 ? " Partial Content" : " OK") << "\r\nContent-Length: " << body.size()
      << "\r\nConnection: close\r\n";
    for (const auto& h : headers) o << h << "\r\n";
    o << "\r\n";
    const std::string head = o.str();
    if (!send_all(fd, head.data(), head.size())) return;
    size_t limit = body.size();
    if (fault.drop_times > 0 && fault.drop_after_bytes >= 0) {
        limit = std::min(limit, (size_t)fault.drop_after_bytes);
        std::lock_guard<std::mutex> l(mu_);
        faults_[repo_path].drop_times--;
    }
    size_t sent = 0;
    bool stalled = false;
    while (sent < limit) {
        const size_t n = std::min<size_t>(16384, limit - sent);
        if (!send_all(fd, body.data() + sent, n)) return;
        sent += n;
        if (!stalled && fault.stall_times > 0 && sent >= body.size() / 2) {
            stalled = true;
            {
                std::lock_guard<std::mutex> l(mu_);
                faults_[repo_path].stall_times--;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(fault.stall_ms));
        }
    }
}

}  // namespace acestep::test
