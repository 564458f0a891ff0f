// Atomic file writes and collision-free names (see include/acestep/fs_util.h).
#include "acestep/fs_util.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <random>

#include "acestep/error.h"

namespace acestep {

namespace {
std::string errno_text() { return std::strerror(errno); }

fs::path make_temp_name(const fs::path& final_path) {
    static std::atomic<uint64_t> counter{0};
    std::random_device rd;
    const uint64_t r = (uint64_t(rd()) << 32) ^ rd() ^ (uint64_t)::getpid() ^ (counter++ << 48);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%012llx", (unsigned long long)(r & 0xffffffffffffull));
    fs::path dir = final_path.parent_path();
    return dir / ("." + final_path.filename().string() + ".part-" + buf);
}

void fsync_path(const fs::path& p) {
    int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}
}  // namespace

AtomicFile::AtomicFile(const fs::path& final_path, Overwrite mode) : final_(final_path), mode_(mode) {
    if (final_.filename().empty()) throw Error(final_.string() + ": not a file path");
    std::error_code ec;
    fs::path dir = final_.parent_path();
    if (!dir.empty() && !fs::exists(dir, ec)) {
        fs::create_directories(dir, ec);
        if (ec) throw Error(dir.string() + ": cannot create folder: " + ec.message());
    }
    if (mode_ == Overwrite::Never && fs::exists(final_, ec))
        throw Error(final_.string() + ": already exists (not overwriting)");
    temp_ = make_temp_name(final_);
}

AtomicFile::~AtomicFile() {
    if (!committed_) {
        std::error_code ec;
        fs::remove(temp_, ec);
    }
}

void AtomicFile::commit() {
    if (committed_) return;
    fsync_path(temp_);
    if (mode_ == Overwrite::Never) {
        // link() fails with EEXIST instead of replacing: no window in which another take is clobbered.
        if (::link(temp_.c_str(), final_.c_str()) != 0) {
            const int err = errno;
            if (err == EEXIST) throw Error(final_.string() + ": already exists (not overwriting)");
            // File systems without hard links: fall back to an exclusive check + rename.
            std::error_code ec;
            if (fs::exists(final_, ec)) throw Error(final_.string() + ": already exists (not overwriting)");
            if (::rename(temp_.c_str(), final_.c_str()) != 0)
                throw Error(final_.string() + ": cannot move the finished file into place: " + errno_text());
        } else {
            ::unlink(temp_.c_str());
        }
    } else if (::rename(temp_.c_str(), final_.c_str()) != 0) {
        throw Error(final_.string() + ": cannot move the finished file into place: " + errno_text());
    }
    committed_ = true;
    fs::path dir = final_.parent_path();
    fsync_path(dir.empty() ? fs::path(".") : dir);
}

void write_file_atomic(const fs::path& path, std::string_view bytes, Overwrite mode) {
    AtomicFile af(path, mode);
    int fd = ::open(af.temp_path().c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) throw Error(path.string() + ": cannot create: " + errno_text());
    size_t done = 0;
    while (done < bytes.size()) {
        ssize_t w = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (w < 0) {
            if (errno == EINTR) continue;
            const std::string why = errno_text();
            ::close(fd);
            throw Error(path.string() + ": write failed: " + why);
        }
        done += static_cast<size_t>(w);
    }
    if (::fsync(fd) != 0 && errno != EINVAL) {
        const std::string why = errno_text();
        ::close(fd);
        throw Error(path.string() + ": write failed: " + why);
    }
    if (::close(fd) != 0) throw Error(path.string() + ": write failed: " + errno_text());
    af.commit();
}

std::string read_file(const fs::path& path, uint64_t max_bytes) {
    std::error_code ec;
    if (!fs::exists(path, ec)) throw Error(path.string() + ": no such file");
    if (fs::is_directory(path, ec)) throw Error(path.string() + ": is a folder, not a file");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path.string() + ": cannot open: " + errno_text());
    std::string s;
    char buf[1 << 16];
    while (in) {
        in.read(buf, sizeof buf);
        s.append(buf, static_cast<size_t>(in.gcount()));
        if (s.size() > max_bytes) throw Error(path.string() + ": file too large (over " + std::to_string(max_bytes) + " bytes)");
    }
    if (in.bad()) throw Error(path.string() + ": read failed");
    return s;
}

bool is_partial_file(const fs::path& path) {
    const std::string n = path.filename().string();
    const size_t at = n.rfind(".part-");
    return n.size() > 1 && n[0] == '.' && at != std::string::npos && at > 0 && n.size() - at == 6 + 12;
}

int remove_stale_partials(const fs::path& dir, double min_age_s) {
    std::error_code ec;
    int removed = 0;
    const auto now = fs::file_time_type::clock::now();
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        if (!is_partial_file(it->path()) || !it->is_regular_file(ec)) continue;
        const auto t = fs::last_write_time(it->path(), ec);
        if (ec) continue;
        if (std::chrono::duration<double>(now - t).count() < min_age_s) continue;
        if (fs::remove(it->path(), ec)) ++removed;
    }
    return removed;
}

bool reserve_path(const fs::path& path) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) return false;
    ::close(fd);
    return true;
}

fs::path unique_path(const fs::path& stem, const std::string& suffix) {
    std::error_code ec;
    fs::path p = stem.string() + suffix;
    if (!fs::exists(p, ec)) return p;
    for (int i = 2; i < 100000; ++i) {
        p = stem.string() + "_" + std::to_string(i) + suffix;
        if (!fs::exists(p, ec)) return p;
    }
    throw Error(stem.string() + suffix + ": no free file name");
}

}  // namespace acestep
