// Hugging Face hub client: listing, resumable verified downloads into the HF cache layout, and the
// lyric front end's pinned data files (see include/acestep/hub.h).
#include "acestep/hub.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>
#include <thread>

#include "acestep/checkpoint.h"
#include "acestep/error.h"
#include "acestep/fs_util.h"
#include "hub/digest.h"
#include "hub/http.h"

namespace acestep {

namespace {

using Clock = std::chrono::steady_clock;

std::string env(const char* name) {
    const char* v = std::getenv(name);
    return v ? v : "";
}

std::string human_bytes(uint64_t b) {
    char buf[32];
    if (b >= (1ull << 30)) std::snprintf(buf, sizeof buf, "%.2f GiB", b / double(1ull << 30));
    else if (b >= (1ull << 20)) std::snprintf(buf, sizeof buf, "%.1f MiB", b / double(1ull << 20));
    else std::snprintf(buf, sizeof buf, "%llu bytes", (unsigned long long)b);
    return buf;
}

std::string url_escape_path(const std::string& s, bool keep_slash) {
    static const char* hex = "0123456789ABCDEF";
    std::string o;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || (keep_slash && c == '/')) o.push_back((char)c);
        else {
            o.push_back('%');
            o.push_back(hex[c >> 4]);
            o.push_back(hex[c & 15]);
        }
    }
    return o;
}

std::string repo_folder(const std::string& repo_id) {
    std::string s = "models--";
    for (char c : repo_id) s += (c == '/') ? std::string("--") : std::string(1, c);
    return s;
}

bool safe_relative(const std::string& p) {
    if (p.empty() || p[0] == '/' || p.find('\\') != std::string::npos) return false;
    size_t i = 0;
    while (i <= p.size()) {
        size_t j = p.find('/', i);
        if (j == std::string::npos) j = p.size();
        const std::string part = p.substr(i, j - i);
        if (part.empty() || part == "." || part == "..") return false;
        i = j + 1;
    }
    return true;
}

// Speed over the last few seconds, for ETA.
class RateMeter {
public:
    void add(uint64_t bytes) {
        const auto now = Clock::now();
        samples_.push_back({now, total_ += bytes});
        while (samples_.size() > 2 && std::chrono::duration<double>(now - samples_.front().first).count() > 5.0)
            samples_.erase(samples_.begin());
    }
    double rate() const {
        if (samples_.size() < 2) return 0.0;
        const double dt = std::chrono::duration<double>(samples_.back().first - samples_.front().first).count();
        return dt > 0.05 ? double(samples_.back().second - samples_.front().second) / dt : 0.0;
    }

private:
    uint64_t total_ = 0;
    std::vector<std::pair<Clock::time_point, uint64_t>> samples_;
};

// An exclusive lock like huggingface_hub's (.locks/<repo>/<etag>.lock), so two processes never
// write the same blob at once.
class FileLock {
public:
    explicit FileLock(const fs::path& p) {
        std::error_code ec;
        fs::create_directories(p.parent_path(), ec);
        fd_ = ::open(p.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd_ >= 0) ::flock(fd_, LOCK_EX);
    }
    ~FileLock() {
        if (fd_ >= 0) {
            ::flock(fd_, LOCK_UN);
            ::close(fd_);
        }
    }

private:
    int fd_ = -1;
};

struct FetchJob {
    std::string label;        // for messages
    std::string url;
    fs::path final_path;
    uint64_t size = 0;        // 0 = unknown
    std::string sha256;       // expected (LFS / data files)
    std::string blob_id;      // expected git blob SHA-1 (regular repo files)
};

struct Runner {
    hub::HttpConfig http;
    int max_attempts = 6;
    const std::atomic<bool>* cancel = nullptr;
    const DownloadProgressFn* progress = nullptr;
    DownloadProgress state;
    RateMeter meter;
    Clock::time_point last_report{};

    void report(bool force = false) {
        if (!progress || !*progress) return;
        const auto now = Clock::now();
        if (!force && std::chrono::duration<double>(now - last_report).count() < 0.1) return;
        last_report = now;
        state.speed_bps = meter.rate();
        state.eta_s = state.speed_bps > 0 ? double(state.total_total - std::min(state.total_total, state.total_done)) / state.speed_bps : -1.0;
        (*progress)(state);
    }

    // Downloads job.url to job.final_path via <final>.incomplete, resuming and verifying.
    void fetch(const FetchJob& job) {
        const fs::path part = job.final_path.string() + ".incomplete";
        std::error_code ec;
        fs::create_directories(job.final_path.parent_path(), ec);
        const bool lfs = !job.sha256.empty();
        hub::Hasher hasher(hub::Hasher::Kind::Sha256);
        std::string last_problem;
        const uint64_t run_start = state.total_done;
        for (int attempt = 1; attempt <= max_attempts; ++attempt) {
            if (cancel && cancel->load()) throw Cancelled();
            uint64_t offset = fs::exists(part, ec) ? fs::file_size(part, ec) : 0;
            if (job.size && offset > job.size) {
                fs::remove(part, ec);
                offset = 0;
            }
            hasher.reset();
            if (offset > 0 && lfs) hub::hash_file_into(hasher, part, offset, cancel);
            state.file_done = offset;
            state.total_done = run_start + offset;
            report(true);
            if (job.size && offset == job.size) {
                // Fully present already (e.g. interrupted right before verification).
            } else {
                int fd = ::open(part.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
                if (fd < 0) throw Error(part.string() + ": cannot create: " + std::strerror(errno));
                ::lseek(fd, (off_t)offset, SEEK_SET);
                int write_errno = 0;
                auto on_start = [&](long status, bool ranged) {
                    if (offset > 0 && !ranged) {  // server ignored the range: start over
                        if (::ftruncate(fd, 0) != 0) return false;
                        ::lseek(fd, 0, SEEK_SET);
                        offset = 0;
                        hasher.reset();
                        state.total_done = run_start;
                        state.file_done = 0;
                    }
                    (void)status;
                    return true;
                };
                auto sink = [&](const char* data, size_t n) {
                    size_t done = 0;
                    while (done < n) {
                        const ssize_t w = ::write(fd, data + done, n - done);
                        if (w < 0) {
                            if (errno == EINTR) continue;
                            write_errno = errno;
                            return false;
                        }
                        done += (size_t)w;
                    }
                    if (lfs) hasher.update(data, n);
                    state.file_done += n;
                    state.total_done += n;
                    meter.add(n);
                    report();
                    return true;
                };
                const hub::HttpResult r = hub::http_fetch(job.url, offset, http, on_start, sink);
                ::fsync(fd);
                ::close(fd);
                if (r.cancelled || (cancel && cancel->load())) throw Cancelled();
                if (r.sink_failed) {
                    const std::string why = write_errno == ENOSPC   ? "the disk is full"
                                            : write_errno == EDQUOT ? "the disk quota is exceeded"
                                            : write_errno == EFBIG  ? "the file size limit was reached"
                                                                    : std::strerror(write_errno);
                    throw Error(job.final_path.parent_path().string() + ": cannot write " + job.label + ": " + why +
                                " (" + human_bytes(fs::file_size(part, ec)) + " of " + human_bytes(job.size) +
                                " kept; run the download again to resume)");
                }
                if (r.status == 404) throw Error(job.label + ": not found at " + job.url + " (HTTP 404)");
                if (r.status == 401 || r.status == 403)
                    throw Error(job.label + ": access denied (HTTP " + std::to_string(r.status) + "); set HF_TOKEN if the repository needs a login");
                if (r.status == 416) {  // range beyond the end: our partial file is bad
                    fs::remove(part, ec);
                    last_problem = "the server rejected the resume range";
                    continue;
                }
                if (!r.curl_error.empty() || (r.status != 200 && r.status != 206)) {
                    last_problem = !r.curl_error.empty() ? r.curl_error : "HTTP " + std::to_string(r.status);
                    if (!r.transient && r.curl_error.empty()) throw Error(job.label + ": download failed: " + last_problem);
                    std::this_thread::sleep_for(std::chrono::milliseconds(std::min(8000, 250 << attempt)));
                    continue;  // resume from what we have
                }
            }
            const uint64_t have = fs::file_size(part, ec);
            if (job.size && have != job.size) {
                last_problem = "got " + human_bytes(have) + " of " + human_bytes(job.size) + " (connection dropped?)";
                if (have > job.size) fs::remove(part, ec);
                std::this_thread::sleep_for(std::chrono::milliseconds(std::min(8000, 250 << attempt)));
                continue;
            }
            state.phase = "verify";
            report(true);
            std::string got, want;
            if (lfs) {
                got = hasher.hex();
                want = job.sha256;
            } else if (!job.blob_id.empty()) {
                got = git_blob_sha1_file(part);
                want = job.blob_id;
            }
            state.phase = "download";
            if (got != want) {
                fs::remove(part, ec);
                last_problem = "checksum mismatch (expected " + want + ", got " + got + ")";
                state.total_done = run_start;
                continue;  // fetch it again from scratch
            }
            fs::rename(part, job.final_path, ec);
            if (ec) throw Error(job.final_path.string() + ": cannot move the verified file into place: " + ec.message());
            return;
        }
        throw Error(job.label + ": download failed after " + std::to_string(max_attempts) + " attempts: " + last_problem);
    }
};

void check_free_space(const fs::path& dir, uint64_t needed) {
    struct statvfs s {};
    if (::statvfs(dir.c_str(), &s) != 0) return;
    const uint64_t free_bytes = (uint64_t)s.f_bavail * s.f_frsize;
    if (needed > free_bytes)
        throw Error(dir.string() + ": not enough disk space: the download needs " + human_bytes(needed) + " more, " +
                    human_bytes(free_bytes) + " free");
}

// snapshots/<commit>/<path> -> ../../blobs/<etag> (relative, as huggingface_hub makes it).
void link_snapshot(const fs::path& repo_dir, const std::string& commit, const std::string& path, const std::string& etag) {
    const fs::path link = repo_dir / "snapshots" / commit / path;
    std::error_code ec;
    fs::create_directories(link.parent_path(), ec);
    std::string rel;
    for (size_t i = 0, n = std::count(path.begin(), path.end(), '/') + 2; i < n; ++i) rel += "../";
    const fs::path target = fs::path(rel) / "blobs" / etag;
    if (fs::is_symlink(link, ec) && fs::read_symlink(link, ec) == target) return;
    const fs::path tmp = link.string() + ".tmp-link";
    fs::remove(tmp, ec);
    fs::create_symlink(target, tmp, ec);
    if (!ec) {
        fs::rename(tmp, link, ec);
        if (!ec) return;
    }
    // File systems without symlinks: a hard link, else a copy.
    fs::remove(tmp, ec);
    fs::remove(link, ec);
    ec.clear();
    fs::create_hard_link(repo_dir / "blobs" / etag, link, ec);
    if (ec) fs::copy_file(repo_dir / "blobs" / etag, link, fs::copy_options::overwrite_existing, ec);
    if (ec) throw Error(link.string() + ": cannot create the snapshot entry: " + ec.message());
}

std::string read_small(const fs::path& p) {
    try {
        std::string s = read_file(p, 4096);
        while (!s.empty() && std::isspace((unsigned char)s.back())) s.pop_back();
        return s;
    } catch (const Error&) {
        return "";
    }
}

fs::path resolve_cache(const HubOptions& opt) { return opt.cache_dir.empty() ? hf_hub_cache_dir() : opt.cache_dir; }

DownloadResult offline_lookup(const HubOptions& opt) {
    const fs::path repo_dir = resolve_cache(opt) / repo_folder(opt.repo_id);
    std::string commit = read_small(repo_dir / "refs" / opt.revision);
    if (commit.empty()) commit = opt.revision;
    const fs::path snap = repo_dir / "snapshots" / commit;
    std::string why;
    if (!try_find_checkpoint(snap, &why))
        throw Error("offline mode: no complete " + opt.repo_id + " checkpoint in " +
                    resolve_cache(opt).string() + (why.empty() ? "" : ": " + why) +
                    "; go online (unset HF_HUB_OFFLINE, drop --offline) to download it");
    DownloadResult r;
    r.snapshot_dir = snap;
    r.commit = commit;
    return r;
}

}  // namespace

bool hub_offline(int flag) {
    if (flag >= 0) return flag != 0;
    std::string v = env("HF_HUB_OFFLINE");
    for (auto& c : v) c = (char)std::tolower((unsigned char)c);
    return v == "1" || v == "true" || v == "yes" || v == "on";
}

std::string hub_endpoint(const std::string& explicit_endpoint) {
    std::string e = !explicit_endpoint.empty() ? explicit_endpoint : env("HF_ENDPOINT");
    if (e.empty()) e = "https://huggingface.co";
    while (!e.empty() && e.back() == '/') e.pop_back();
    return e;
}

std::vector<HubFile> list_hub_files(const HubOptions& opt, std::string* commit) {
    const std::string endpoint = hub_endpoint(opt.endpoint);
    const std::string url = endpoint + "/api/models/" + url_escape_path(opt.repo_id, true) + "/revision/" +
                            url_escape_path(opt.revision, false) + "?blobs=true";
    hub::HttpConfig cfg;
    cfg.bearer_token = !opt.token.empty() ? opt.token : env("HF_TOKEN");
    cfg.connect_timeout_s = opt.connect_timeout_s;
    cfg.low_speed_timeout_s = opt.low_speed_timeout_s;
    hub::HttpResult r;
    for (int attempt = 1; attempt <= 3; ++attempt) {
        r = hub::http_get(url, cfg);
        if (!r.transient) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(300 * attempt));
    }
    const std::string what = opt.repo_id + "@" + opt.revision;
    if (!r.curl_error.empty()) throw Error("cannot reach " + endpoint + " to list " + what + ": " + r.curl_error);
    if (r.status == 401 || r.status == 403)
        throw Error(what + ": access denied by " + endpoint + " (HTTP " + std::to_string(r.status) + "); set HF_TOKEN");
    if (r.status == 404) throw Error(what + ": repository or revision not found at " + endpoint + " (HTTP 404)");
    if (r.status != 200) throw Error(what + ": unexpected answer from " + endpoint + " (HTTP " + std::to_string(r.status) + ")");
    return parse_hub_listing(r.body, opt.prefixes, commit, url);
}

std::vector<HubFile> parse_hub_listing(const std::string& body, const std::vector<std::string>& prefixes,
                                       std::string* commit, const std::string& url) {
    nlohmann::json j = nlohmann::json::parse(body, nullptr, false);
    if (j.is_discarded() || !j.is_object()) throw Error(url + ": malformed JSON answer");
    auto sha = j.find("sha");
    if (sha == j.end() || !sha->is_string() || sha->get<std::string>().empty() ||
        sha->get<std::string>().find_first_not_of("0123456789abcdef") != std::string::npos)
        throw Error(url + ": answer has no commit id");
    if (commit) *commit = sha->get<std::string>();
    auto sib = j.find("siblings");
    if (sib == j.end() || !sib->is_array()) throw Error(url + ": answer has no file list");
    std::vector<HubFile> out;
    for (const auto& s : *sib) {
        if (!s.is_object() || !s.contains("rfilename") || !s["rfilename"].is_string()) continue;
        HubFile f;
        f.path = s["rfilename"].get<std::string>();
        bool wanted = false;
        for (const auto& p : prefixes) wanted |= f.path.rfind(p, 0) == 0;
        if (!wanted) continue;
        if (!safe_relative(f.path)) throw Error(url + ": unsafe file name '" + f.path + "' in the listing");
        if (s.contains("size") && s["size"].is_number_unsigned()) f.size = s["size"].get<uint64_t>();
        if (s.contains("blobId") && s["blobId"].is_string()) f.blob_id = s["blobId"].get<std::string>();
        if (s.contains("lfs") && s["lfs"].is_object()) {
            const auto& l = s["lfs"];
            if (l.contains("sha256") && l["sha256"].is_string()) f.sha256 = l["sha256"].get<std::string>();
            if (l.contains("size") && l["size"].is_number_unsigned()) f.size = l["size"].get<uint64_t>();
        }
        const std::string e = f.etag();
        if (e.empty() || e.find_first_not_of("0123456789abcdef") != std::string::npos)
            throw Error(url + ": no checksum for '" + f.path + "' in the listing");
        out.push_back(f);
    }
    return out;
}

DownloadResult download_checkpoint(const HubOptions& opt, const DownloadProgressFn& progress, const std::atomic<bool>* cancel) {
    if (hub_offline(opt.offline)) return offline_lookup(opt);
    Runner run;
    run.http.bearer_token = !opt.token.empty() ? opt.token : env("HF_TOKEN");
    run.http.connect_timeout_s = opt.connect_timeout_s;
    run.http.low_speed_timeout_s = opt.low_speed_timeout_s;
    run.http.cancel = cancel;
    run.max_attempts = std::max(1, opt.max_attempts);
    run.cancel = cancel;
    run.progress = &progress;
    run.state.phase = "list";
    run.report(true);

    std::string commit;
    const auto files = list_hub_files(opt, &commit);
    if (files.empty()) throw Error(opt.repo_id + "@" + opt.revision + ": the repository has none of the expected folders");
    const fs::path cache = resolve_cache(opt);
    const fs::path repo_dir = cache / repo_folder(opt.repo_id);
    std::error_code ec;
    fs::create_directories(repo_dir / "blobs", ec);
    if (ec) throw Error(repo_dir.string() + ": cannot create the cache folder: " + ec.message());

    // Verify what is already there; count what remains.
    DownloadResult result;
    result.commit = commit;
    std::vector<const HubFile*> todo;
    uint64_t needed = 0;
    run.state.file_count = (int)files.size();
    for (size_t i = 0; i < files.size(); ++i) {
        const HubFile& f = files[i];
        const fs::path blob = repo_dir / "blobs" / f.etag();
        bool ok = false;
        if (fs::exists(blob, ec) && fs::file_size(blob, ec) == f.size) {
            run.state.phase = "verify";
            run.state.file = f.path;
            run.state.file_index = (int)i + 1;
            run.report(true);
            const std::string got = f.sha256.empty() ? git_blob_sha1_file(blob) : sha256_file(blob, cancel);
            ok = got == f.etag();
        }
        if (ok) {
            ++result.files_reused;
            link_snapshot(repo_dir, commit, f.path, f.etag());
        } else {
            if (fs::exists(blob, ec)) fs::remove(blob, ec);  // corrupted or truncated: fetch again
            todo.push_back(&f);
            const fs::path part = blob.string() + ".incomplete";
            const uint64_t have = fs::exists(part, ec) ? fs::file_size(part, ec) : 0;
            needed += f.size - std::min(f.size, have);
            run.state.total_total += f.size;
        }
    }
    check_free_space(repo_dir / "blobs", needed);

    run.state.phase = "download";
    int index = 0;
    for (const HubFile* f : todo) {
        run.state.file = f->path;
        run.state.file_index = ++index;
        run.state.file_count = (int)todo.size();
        run.state.file_done = 0;
        run.state.file_total = f->size;
        FetchJob job;
        job.label = opt.repo_id + "/" + f->path;
        job.url = hub_endpoint(opt.endpoint) + "/" + url_escape_path(opt.repo_id, true) + "/resolve/" + commit + "/" +
                  url_escape_path(f->path, true);
        job.final_path = repo_dir / "blobs" / f->etag();
        job.size = f->size;
        job.sha256 = f->sha256;
        job.blob_id = f->sha256.empty() ? f->blob_id : "";
        const uint64_t before = run.state.total_done;
        {
            FileLock lock(cache / ".locks" / repo_folder(opt.repo_id) / (f->etag() + ".lock"));
            if (!fs::exists(job.final_path, ec)) run.fetch(job);  // another process may have finished it
        }
        run.state.total_done = before + f->size;
        result.bytes_downloaded += f->size;
        ++result.files_downloaded;
        link_snapshot(repo_dir, commit, f->path, f->etag());
    }
    if (opt.revision != commit) {
        fs::create_directories(repo_dir / "refs", ec);
        write_file_atomic(repo_dir / "refs" / opt.revision, commit, Overwrite::Replace);
    }
    result.snapshot_dir = repo_dir / "snapshots" / commit;
    std::string why;
    if (!try_find_checkpoint(result.snapshot_dir, &why)) throw Error("download finished but the checkpoint is incomplete: " + why);
    run.state.phase = "done";
    run.report(true);
    return result;
}

// ---- lyric data ---------------------------------------------------------------------------------

const std::vector<DataFile>& lyric_data_files() {
    static const std::vector<DataFile> files = {
        {"vocab.json",
         "https://raw.githubusercontent.com/ace-step/ACE-Step/d612523f50e252c0e138e68ae75b06223f96e934/acestep/models/lyrics_utils/vocab.json",
         "c2a66ea48c478c0bb9acb5497144b926acdeaa37128faa799508d40f2b9cc558", 364005, "lyric tokenizer (every language)"},
        {"py3langid_model.plzma",
         "https://raw.githubusercontent.com/adbar/py3langid/0d673d7804115bf19b11e776f473484e9a2e3d78/py3langid/data/model.plzma",
         "8c99809ff6de3d129e447306d30ceae4713735230dced7e8d4d46df89e6968ce", 732396, "language detection"},
        {"pinyin_dict.json",
         "https://raw.githubusercontent.com/mozillazg/python-pinyin/e42dede51abbc40e225da9a8ec8e5bd0043eed21/pypinyin/pinyin_dict.json",
         "19ac93a11b0cf2d1b42741c2956dcb8632944e87d2ebcd1ba7cc4d3a936b9fb5", 783823, "Chinese lyrics (pinyin)"},
        {"phrases_dict.json",
         "https://raw.githubusercontent.com/mozillazg/python-pinyin/e42dede51abbc40e225da9a8ec8e5bd0043eed21/pypinyin/phrases_dict.json",
         "d71fe97165dfd3eb9d8dff86ce5f62787d530b6b9f38c898779fcaf16d2522d1", 2544982, "Chinese lyrics (pinyin phrases)"},
        {"cutlet_exceptions.tsv",
         "https://raw.githubusercontent.com/polm/cutlet/7e2b792f82ffc2001a28a94f632ce090ed63a948/cutlet/exceptions.tsv",
         "3e08f03980488c9c8407f86d819db58d0fd115ec9b21987747194d4ef5097e06", 118, "Japanese lyrics (romaji)"},
    };
    return files;
}

fs::path lyric_data_dir_near(const fs::path& root) {
    // .../<cache>/models--ACE-Step--ACE-Step-v1-3.5B/snapshots/<rev>  ->  <cache>/acestep-lyric-data
    const fs::path parent = root.parent_path();
    if (parent.filename() == "snapshots" && parent.parent_path().filename().string().rfind("models--", 0) == 0)
        return parent.parent_path().parent_path() / "acestep-lyric-data";
    return root / "acestep-lyric-data";
}

DataDownloadResult download_data_files(const std::vector<DataFile>& files, const fs::path& dest_dir,
                                       const DownloadProgressFn& progress, const std::atomic<bool>* cancel, int offline) {
    DataDownloadResult out;
    std::error_code ec;
    fs::create_directories(dest_dir, ec);
    const std::string base = env("ACESTEP_DATA_BASE_URL");
    Runner run;
    run.http.cancel = cancel;
    run.cancel = cancel;
    run.progress = &progress;
    run.max_attempts = 4;
    run.state.phase = "download";
    run.state.file_count = (int)files.size();
    for (const auto& f : files) run.state.total_total += f.size;
    int index = 0;
    for (const auto& f : files) {
        run.state.file = f.name;
        run.state.file_index = ++index;
        run.state.file_total = f.size;
        const fs::path path = dest_dir / f.name;
        if (fs::exists(path, ec)) {
            try {
                if (sha256_file(path, cancel) == f.sha256) {
                    out.present.push_back(f.name);
                    run.state.total_done += f.size;
                    continue;
                }
            } catch (const Error&) {
            }
            fs::remove(path, ec);  // wrong content: fetch again
        }
        if (hub_offline(offline)) {
            out.failed.emplace_back(f.name, "offline (HF_HUB_OFFLINE is set); needed for " + f.purpose);
            continue;
        }
        FetchJob job;
        job.label = f.name;
        job.url = f.url;
        const std::string gh = "https://raw.githubusercontent.com";
        if (!base.empty() && job.url.rfind(gh, 0) == 0) {
            std::string b = base;
            while (!b.empty() && b.back() == '/') b.pop_back();
            job.url = b + job.url.substr(gh.size());
        }
        job.final_path = path;
        job.size = f.size;
        job.sha256 = f.sha256;
        const uint64_t before = run.state.total_done;
        try {
            run.fetch(job);
            out.fetched.push_back(f.name);
        } catch (const Cancelled&) {
            throw;
        } catch (const std::exception& e) {
            out.failed.emplace_back(f.name, std::string(e.what()) + " (needed for " + f.purpose + ")");
        }
        run.state.total_done = before + f.size;
    }
    run.state.phase = "done";
    run.report(true);
    return out;
}

}  // namespace acestep
