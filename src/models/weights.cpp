// Weights: safetensors -> at::Tensor state dict with shape checks and unused-key reporting.
#include "models/weights.h"

#include <cstdio>
#include <cstring>

#include "acestep/error.h"

namespace acestep {

std::string shape_str(at::IntArrayRef s) {
    std::string o = "[";
    for (size_t i = 0; i < s.size(); ++i) o += (i ? ", " : "") + std::to_string(s[i]);
    return o + "]";
}

at::ScalarType aten_dtype(st::DType d) {
    switch (d) {
        case st::DType::F64: return at::kDouble;
        case st::DType::F32: return at::kFloat;
        case st::DType::F16: return at::kHalf;
        case st::DType::BF16: return at::kBFloat16;
        case st::DType::I64: return at::kLong;
        case st::DType::I32: return at::kInt;
        case st::DType::I16: return at::kShort;
        case st::DType::I8: return at::kChar;
        case st::DType::U8: return at::kByte;
        case st::DType::BOOL: return at::kBool;
    }
    return at::kFloat;
}

at::Tensor tensor_from_safetensors(const st::TensorInfo& t, const std::shared_ptr<st::File>& keep,
                                   at::ScalarType dtype, at::Device device) {
    const at::ScalarType stored = aten_dtype(t.dtype);
    std::vector<int64_t> shape = t.shape;
    const size_t item = st::dtype_size(t.dtype);
    at::Tensor src;
    // from_blob needs element alignment; safetensors only guarantees it in practice.
    if (reinterpret_cast<uintptr_t>(t.data) % item == 0) {
        auto holder = keep;  // captured by the deleter: the mapping outlives the tensor
        src = at::from_blob(const_cast<uint8_t*>(t.data), shape, [holder](void*) {}, at::TensorOptions().dtype(stored));
    } else {
        src = at::empty(shape, at::TensorOptions().dtype(stored));
        std::memcpy(src.data_ptr(), t.data, t.nbytes);
    }
    const bool same = (stored == dtype) && device.is_cpu();
    if (same) return src;  // zero-copy view of the read-only mapping: never write to weights
    return src.to(device, dtype, /*non_blocking=*/false, /*copy=*/true);
}

Weights::Weights(std::shared_ptr<st::File> file, at::ScalarType dtype, at::Device device)
    : file_(std::move(file)), path_(file_->path().string()), dtype_(dtype), device_(device) {}

Weights Weights::open(const std::string& path, at::ScalarType dtype, at::Device device) {
    return Weights(st::File::open(path), dtype, device);
}

std::vector<int64_t> Weights::shape_of(const std::string& key) const { return file_->at(key).shape; }

at::Tensor Weights::take_as(const std::string& key, at::IntArrayRef expected, at::ScalarType dtype) {
    const st::TensorInfo* t = file_->find(key);
    if (!t) {
        throw Error(path_ + ": missing tensor '" + key + "'" +
                    (expected.empty() ? std::string() : " (expected shape " + shape_str(expected) + ")"));
    }
    if (!expected.empty() && at::IntArrayRef(t->shape) != expected)
        throw Error(path_ + ": tensor '" + key + "' has shape " + shape_str(t->shape) + ", expected " + shape_str(expected));
    used_.insert(key);
    const at::ScalarType stored = aten_dtype(t->dtype);
    const at::ScalarType target = at::isFloatingType(stored) ? dtype : stored;
    return tensor_from_safetensors(*t, file_, target, device_);
}

at::Tensor Weights::take(const std::string& key, at::IntArrayRef expected) { return take_as(key, expected, dtype_); }
at::Tensor Weights::take(const std::string& key) { return take_as(key, {}, dtype_); }

std::vector<std::string> Weights::unused() const {
    std::vector<std::string> out;
    for (const auto& t : file_->tensors()) {
        if (used_.count(t.name)) continue;
        bool ign = false;
        for (const auto& p : ignored_) ign |= t.name.rfind(p, 0) == 0;
        if (!ign) out.push_back(t.name);
    }
    return out;
}

size_t Weights::report_unused() const {
    auto u = unused();
    if (!u.empty())
        std::fprintf(stderr, "note: %s: %zu tensors not used by the model (first: %s)\n", path_.c_str(), u.size(), u[0].c_str());
    return u.size();
}

}  // namespace acestep
