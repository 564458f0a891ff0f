// safetensors reader/writer: validate-then-trust parsing of a memory-mapped file.
// See include/acestep/safetensors.h for the format and the guarantees.
#include "acestep/safetensors.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>

#include "acestep/error.h"
#include "acestep/fs_util.h"

namespace acestep::st {

namespace {

struct DTypeRow {
    DType d;
    const char* name;
    size_t size;
};
constexpr DTypeRow kDTypes[] = {
    {DType::F64, "F64", 8}, {DType::F32, "F32", 4}, {DType::F16, "F16", 2}, {DType::BF16, "BF16", 2},
    {DType::I64, "I64", 8}, {DType::I32, "I32", 4}, {DType::I16, "I16", 2}, {DType::I8, "I8", 1},
    {DType::U8, "U8", 1},   {DType::BOOL, "BOOL", 1},
};

[[noreturn]] void fail(const std::string& file, const std::string& what) { throw Error(file + ": " + what); }

}  // namespace

const char* dtype_name(DType d) {
    for (auto& r : kDTypes)
        if (r.d == d) return r.name;
    return "?";
}
size_t dtype_size(DType d) {
    for (auto& r : kDTypes)
        if (r.d == d) return r.size;
    return 0;
}
bool parse_dtype(const std::string& s, DType* out) {
    for (auto& r : kDTypes)
        if (s == r.name) {
            *out = r.d;
            return true;
        }
    return false;
}

int64_t TensorInfo::numel() const {
    int64_t n = 1;
    for (auto d : shape) n *= d;
    return n;
}

// ------------------------------------------------------------------------------------------------
class Mapping {
public:
    Mapping(const std::filesystem::path& path) {
        const std::string p = path.string();
        fd_ = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd_ < 0) fail(p, std::string("cannot open: ") + std::strerror(errno));
        struct stat st {};
        if (::fstat(fd_, &st) != 0) fail(p, std::string("cannot stat: ") + std::strerror(errno));
        if (!S_ISREG(st.st_mode)) fail(p, "not a regular file");
        size_ = static_cast<uint64_t>(st.st_size);
        if (size_ > 0) {
            void* m = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd_, 0);
            if (m == MAP_FAILED) fail(p, std::string("cannot map: ") + std::strerror(errno));
            data_ = static_cast<const uint8_t*>(m);
        }
    }
    ~Mapping() {
        if (data_) ::munmap(const_cast<uint8_t*>(data_), size_);
        if (fd_ >= 0) ::close(fd_);
    }
    const uint8_t* data() const { return data_; }
    uint64_t size() const { return size_; }

private:
    int fd_ = -1;
    const uint8_t* data_ = nullptr;
    uint64_t size_ = 0;
};

File::~File() = default;

std::shared_ptr<File> File::open(const std::filesystem::path& path) {
    std::shared_ptr<File> f(new File());
    f->path_ = path;
    f->display_ = path.string();
    f->map_ = std::make_unique<Mapping>(path);
    f->base_ = f->map_->data();
    f->size_ = f->map_->size();
    f->parse();
    return f;
}

std::shared_ptr<File> File::from_memory(std::vector<uint8_t> bytes, const std::string& name) {
    std::shared_ptr<File> f(new File());
    f->path_ = name;
    f->display_ = name;
    f->owned_ = std::move(bytes);
    f->base_ = f->owned_.data();
    f->size_ = f->owned_.size();
    f->parse();
    return f;
}

void File::parse() {
    const std::string& fn = display_;
    if (size_ < 8) fail(fn, "not a safetensors file (shorter than its 8-byte header length)");
    uint64_t n = 0;
    for (int i = 7; i >= 0; --i) n = (n << 8) | base_[i];
    if (n < 2) fail(fn, "not a safetensors file (header length " + std::to_string(n) + ")");
    if (n > kMaxHeaderBytes)
        fail(fn, "not a safetensors file (header length " + std::to_string(n) + " exceeds the " +
                     std::to_string(kMaxHeaderBytes >> 20) + " MiB limit)");
    if (n > size_ - 8)
        fail(fn, "truncated: header length " + std::to_string(n) + " but the file has only " +
                     std::to_string(size_ - 8) + " bytes after it");
    const char* hb = reinterpret_cast<const char*>(base_ + 8);
    nlohmann::json h;
    try {
        h = nlohmann::json::parse(hb, hb + n);
    } catch (const nlohmann::json::exception& e) {
        fail(fn, std::string("malformed header JSON: ") + e.what());
    }
    if (!h.is_object()) fail(fn, "malformed header: the JSON is not an object");

    const uint64_t data_start = 8 + n;
    const uint64_t data_size = size_ - data_start;
    for (auto it = h.begin(); it != h.end(); ++it) {
        const std::string& name = it.key();
        const auto& v = it.value();
        if (name == "__metadata__") {
            if (!v.is_object()) fail(fn, "__metadata__ is not an object");
            for (auto m = v.begin(); m != v.end(); ++m) {
                if (!m.value().is_string()) fail(fn, "__metadata__ value '" + m.key() + "' is not a string");
                metadata_[m.key()] = m.value().get<std::string>();
            }
            continue;
        }
        const std::string where = "tensor '" + name + "': ";
        if (!v.is_object()) fail(fn, where + "entry is not an object");
        auto dt = v.find("dtype");
        auto sh = v.find("shape");
        auto of = v.find("data_offsets");
        if (dt == v.end() || !dt->is_string()) fail(fn, where + "missing or non-string 'dtype'");
        if (sh == v.end() || !sh->is_array()) fail(fn, where + "missing or non-array 'shape'");
        if (of == v.end() || !of->is_array() || of->size() != 2) fail(fn, where + "'data_offsets' must be [begin, end]");
        TensorInfo t;
        t.name = name;
        if (!parse_dtype(dt->get<std::string>(), &t.dtype))
            fail(fn, where + "unknown dtype '" + dt->get<std::string>() + "'");
        if (sh->size() > 16) fail(fn, where + "too many dimensions (" + std::to_string(sh->size()) + ")");
        unsigned __int128 elems = 1;
        for (const auto& d : *sh) {
            if (!d.is_number_unsigned() && !(d.is_number_integer() && d.get<int64_t>() >= 0))
                fail(fn, where + "shape entries must be non-negative integers");
            uint64_t dv = d.get<uint64_t>();
            if (dv > (uint64_t)std::numeric_limits<int64_t>::max()) fail(fn, where + "shape entry too large");
            t.shape.push_back(static_cast<int64_t>(dv));
            elems *= dv;
            if (elems > ((unsigned __int128)1 << 62)) fail(fn, where + "shape too large");
        }
        for (const auto& o : *of)
            if (!o.is_number_unsigned() && !(o.is_number_integer() && o.get<int64_t>() >= 0))
                fail(fn, where + "data_offsets must be non-negative integers");
        const uint64_t b = (*of)[0].get<uint64_t>(), e = (*of)[1].get<uint64_t>();
        if (b > e) fail(fn, where + "data_offsets begin " + std::to_string(b) + " > end " + std::to_string(e));
        if (e > data_size)
            fail(fn, where + "data_offsets end " + std::to_string(e) + " lies beyond the end of the file (" +
                         std::to_string(data_size) + " data bytes)");
        const unsigned __int128 want = elems * dtype_size(t.dtype);
        if (want != (unsigned __int128)(e - b))
            fail(fn, where + "shape x itemsize = " + std::to_string((uint64_t)want) + " bytes but data_offsets span " +
                         std::to_string(e - b) + " bytes");
        t.offset = data_start + b;
        t.nbytes = e - b;
        t.data = base_ + t.offset;
        tensors_.push_back(std::move(t));
    }
    std::sort(tensors_.begin(), tensors_.end(),
              [](const TensorInfo& a, const TensorInfo& b) { return a.offset < b.offset || (a.offset == b.offset && a.nbytes < b.nbytes); });
    for (size_t i = 1; i < tensors_.size(); ++i) {
        const auto& p = tensors_[i - 1];
        const auto& c = tensors_[i];
        if (p.nbytes > 0 && c.nbytes > 0 && c.offset < p.offset + p.nbytes)
            fail(fn, "tensor '" + c.name + "' overlaps tensor '" + p.name + "'");
    }
    for (size_t i = 0; i < tensors_.size(); ++i) index_[tensors_[i].name] = i;
}

const TensorInfo* File::find(const std::string& name) const {
    auto it = index_.find(name);
    return it == index_.end() ? nullptr : &tensors_[it->second];
}

const TensorInfo& File::at(const std::string& name) const {
    const TensorInfo* t = find(name);
    if (!t) fail(display_, "missing tensor '" + name + "'");
    return *t;
}

// ------------------------------------------------------------------------------------------------
void Writer::add(const std::string& name, DType dtype, std::vector<int64_t> shape, const void* data, size_t nbytes) {
    if (name == "__metadata__" || name.empty()) throw Error("safetensors writer: invalid tensor name '" + name + "'");
    int64_t n = 1;
    for (auto d : shape) {
        if (d < 0) throw Error("safetensors writer: tensor '" + name + "': negative dimension");
        n *= d;
    }
    if ((size_t)n * dtype_size(dtype) != nbytes)
        throw Error("safetensors writer: tensor '" + name + "': shape does not match " + std::to_string(nbytes) + " bytes");
    for (const auto& e : entries_)
        if (e.name == name) throw Error("safetensors writer: duplicate tensor '" + name + "'");
    Entry e{name, dtype, std::move(shape), {}};
    e.bytes.assign(static_cast<const uint8_t*>(data), static_cast<const uint8_t*>(data) + nbytes);
    entries_.push_back(std::move(e));
}

std::vector<uint8_t> Writer::serialize() const {
    nlohmann::ordered_json h = nlohmann::ordered_json::object();
    if (!metadata_.empty()) {
        nlohmann::ordered_json m = nlohmann::ordered_json::object();
        for (auto& [k, v] : metadata_) m[k] = v;
        h["__metadata__"] = m;
    }
    uint64_t off = 0;
    for (const auto& e : entries_) {
        h[e.name] = {{"dtype", dtype_name(e.dtype)}, {"shape", e.shape}, {"data_offsets", {off, off + e.bytes.size()}}};
        off += e.bytes.size();
    }
    std::string hs = h.dump();
    while ((8 + hs.size()) % 8 != 0) hs.push_back(' ');  // keep tensor data 8-byte aligned
    std::vector<uint8_t> out;
    out.reserve(8 + hs.size() + off);
    uint64_t n = hs.size();
    for (int i = 0; i < 8; ++i) out.push_back(static_cast<uint8_t>(n >> (8 * i)));
    out.insert(out.end(), hs.begin(), hs.end());
    for (const auto& e : entries_) out.insert(out.end(), e.bytes.begin(), e.bytes.end());
    return out;
}

void Writer::write(const std::filesystem::path& path) const {
    auto bytes = serialize();
    write_file_atomic(path, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()), Overwrite::Replace);
}

}  // namespace acestep::st
