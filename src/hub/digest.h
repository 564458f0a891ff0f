// Incremental SHA-256 / SHA-1 (OpenSSL), used while bytes stream in so a download is hashed in one pass.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

namespace acestep::hub {

class Hasher {
public:
    enum class Kind { Sha256, Sha1 };
    explicit Hasher(Kind k);
    ~Hasher();
    void update(const void* data, size_t n);
    std::string hex();  // finishes and resets
    void reset();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    Kind kind_;
};

// Feeds the first `limit` bytes of a file into h.
void hash_file_into(Hasher& h, const std::filesystem::path& path, uint64_t limit, const std::atomic<bool>* cancel);

}  // namespace acestep::hub
