// Weights: a safetensors file seen as a state dict of at::Tensors, loaded once, straight from the
// mapping into the target dtype and device.
//
// - Zero-copy: when the stored dtype equals the target dtype and the device is CPU, the tensor
//   aliases the mapped file (the mapping stays alive as long as any such tensor does).
// - fp16 is never a compute dtype on CPU (LibTorch 1.13 has almost no Half kernels): ask for bf16
//   or fp32 and the conversion happens once, here.
// - take(key, shape) checks the shape and records the key as used; a missing or mismatched tensor
//   throws one error naming the file, the key, the expected and the found shape.
// - report_unused() lists keys nobody took (once, not fatal), except ignored prefixes
//   (training-only tensors such as the DiT's `projectors.`).
#pragma once

#include <ATen/ATen.h>

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "acestep/safetensors.h"

namespace acestep {

// Converts one safetensors entry. `keep` keeps the mapping alive for zero-copy tensors.
at::Tensor tensor_from_safetensors(const st::TensorInfo& t, const std::shared_ptr<st::File>& keep,
                                   at::ScalarType dtype, at::Device device);
// Natural ATen dtype of a stored dtype.
at::ScalarType aten_dtype(st::DType d);

class Weights {
public:
    Weights(std::shared_ptr<st::File> file, at::ScalarType dtype, at::Device device);
    static Weights open(const std::string& path, at::ScalarType dtype, at::Device device);

    // Floating tensors are converted to the weights' dtype; integer tensors keep theirs.
    at::Tensor take(const std::string& key, at::IntArrayRef expected_shape);
    at::Tensor take(const std::string& key);  // no shape check
    // Same, but in an explicit dtype (e.g. fp32 islands).
    at::Tensor take_as(const std::string& key, at::IntArrayRef expected_shape, at::ScalarType dtype);
    bool has(const std::string& key) const { return file_->contains(key); }
    std::vector<int64_t> shape_of(const std::string& key) const;

    void ignore_prefix(const std::string& prefix) { ignored_.push_back(prefix); }
    std::vector<std::string> unused() const;
    // Prints "<file>: N unused tensors (first: ...)" to stderr once if any; returns the count.
    size_t report_unused() const;

    const std::string& path() const { return path_; }
    at::ScalarType dtype() const { return dtype_; }
    at::Device device() const { return device_; }
    const st::File& file() const { return *file_; }

private:
    std::shared_ptr<st::File> file_;
    std::string path_;
    at::ScalarType dtype_;
    at::Device device_;
    std::set<std::string> used_;
    std::vector<std::string> ignored_;
};

std::string shape_str(at::IntArrayRef s);

}  // namespace acestep
