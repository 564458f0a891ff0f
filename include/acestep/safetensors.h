// safetensors reader and writer (torch-free).
//
// Format: 8-byte little-endian header length N, N bytes of JSON
// {"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, "__metadata__": {..}},
// then the raw little-endian tensor bytes; offsets are relative to the end of the header.
//
// The reader maps the file read-only and validates everything before handing out a pointer:
// header length bound, JSON well-formed, dtype known, shape x itemsize == byte range, offsets
// inside the file, no two tensors overlapping.  A hostile file yields acestep::Error whose message
// names the file and the tensor; it never reads out of bounds.  LibTorch adapters live in the
// engine (src/models/weights.h) and wrap these pointers without a copy where the dtype matches.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace acestep::st {

enum class DType { F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL };

const char* dtype_name(DType d);       // "F32", ...
size_t dtype_size(DType d);            // bytes per element
bool parse_dtype(const std::string& s, DType* out);

struct TensorInfo {
    std::string name;
    DType dtype = DType::F32;
    std::vector<int64_t> shape;
    uint64_t offset = 0;  // byte offset of the data from the start of the file
    uint64_t nbytes = 0;
    const uint8_t* data = nullptr;  // inside the mapping, valid while the File lives

    int64_t numel() const;
};

class Mapping;  // read-only mmap of a whole file

class File {
public:
    // Opens, maps and validates. Throws acestep::Error.
    static std::shared_ptr<File> open(const std::filesystem::path& path);
    // Validates an in-memory image (used by tests and fuzzers); `name` is used in messages.
    static std::shared_ptr<File> from_memory(std::vector<uint8_t> bytes, const std::string& name = "<memory>");

    const std::filesystem::path& path() const { return path_; }
    const std::vector<TensorInfo>& tensors() const { return tensors_; }  // in file-offset order
    const TensorInfo* find(const std::string& name) const;               // nullptr if absent
    const TensorInfo& at(const std::string& name) const;                 // throws naming the file
    bool contains(const std::string& name) const { return find(name) != nullptr; }
    const std::map<std::string, std::string>& metadata() const { return metadata_; }
    uint64_t file_size() const { return size_; }

    ~File();

private:
    File() = default;
    void parse();
    std::filesystem::path path_;
    std::string display_;
    std::unique_ptr<Mapping> map_;
    std::vector<uint8_t> owned_;
    const uint8_t* base_ = nullptr;
    uint64_t size_ = 0;
    std::vector<TensorInfo> tensors_;
    std::map<std::string, size_t> index_;
    std::map<std::string, std::string> metadata_;
};

// Writer: collects tensors (copying their bytes) and writes the file atomically
// (temp file in the same folder, fsync, rename), so a failure never leaves a half file behind.
class Writer {
public:
    void add(const std::string& name, DType dtype, std::vector<int64_t> shape, const void* data, size_t nbytes);
    void set_metadata(const std::string& key, const std::string& value) { metadata_[key] = value; }
    std::vector<uint8_t> serialize() const;
    void write(const std::filesystem::path& path) const;

private:
    struct Entry {
        std::string name;
        DType dtype;
        std::vector<int64_t> shape;
        std::vector<uint8_t> bytes;
    };
    std::vector<Entry> entries_;
    std::map<std::string, std::string> metadata_;
};

// Largest header accepted (the real DiT header is ~100 KB).
constexpr uint64_t kMaxHeaderBytes = 100ull << 20;

}  // namespace acestep::st
