// SHA-256 and git blob SHA-1 of files (OpenSSL EVP), for verifying downloads.
#include <openssl/evp.h>

#include <cstdio>
#include <fstream>
#include <memory>

#include "acestep/error.h"
#include "acestep/hub.h"
#include "hub/digest.h"

namespace acestep {

namespace hub {

struct Hasher::Impl {
    EVP_MD_CTX* ctx = nullptr;
};

Hasher::Hasher(Kind k) : impl_(std::make_unique<Impl>()), kind_(k) { reset(); }
Hasher::~Hasher() {
    if (impl_->ctx) EVP_MD_CTX_free(impl_->ctx);
}
void Hasher::reset() {
    if (impl_->ctx) EVP_MD_CTX_free(impl_->ctx);
    impl_->ctx = EVP_MD_CTX_new();
    EVP_DigestInit_ex(impl_->ctx, kind_ == Kind::Sha256 ? EVP_sha256() : EVP_sha1(), nullptr);
}
void Hasher::update(const void* data, size_t n) { EVP_DigestUpdate(impl_->ctx, data, n); }
std::string Hasher::hex() {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_DigestFinal_ex(impl_->ctx, md, &len);
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (unsigned i = 0; i < len; ++i) {
        out.push_back(digits[md[i] >> 4]);
        out.push_back(digits[md[i] & 15]);
    }
    reset();
    return out;
}

void hash_file_into(Hasher& h, const fs::path& path, uint64_t limit, const std::atomic<bool>* cancel) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path.string() + ": cannot read");
    std::vector<char> buf(1 << 20);
    uint64_t left = limit;
    while (left > 0 && in) {
        if (cancel && cancel->load()) throw Cancelled();
        in.read(buf.data(), (std::streamsize)std::min<uint64_t>(buf.size(), left));
        const auto got = (uint64_t)in.gcount();
        if (got == 0) break;
        h.update(buf.data(), got);
        left -= got;
    }
}

}  // namespace hub

std::string sha256_file(const fs::path& path, const std::atomic<bool>* cancel) {
    hub::Hasher h(hub::Hasher::Kind::Sha256);
    hub::hash_file_into(h, path, UINT64_MAX, cancel);
    return h.hex();
}

std::string git_blob_sha1_file(const fs::path& path) {
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (ec) throw Error(path.string() + ": cannot read");
    hub::Hasher h(hub::Hasher::Kind::Sha1);
    const std::string head = "blob " + std::to_string(size);
    h.update(head.data(), head.size() + 1);  // includes the NUL
    hub::hash_file_into(h, path, UINT64_MAX, nullptr);
    return h.hex();
}

}  // namespace acestep
