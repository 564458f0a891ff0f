// Random weights for the benchmark: an in-memory safetensors image with the real key names and
// shapes of a component, so the normal loaders (Weights / WeightsSource) take it exactly as they take
// a checkpoint file, zero-copy when the image is stored in the compute dtype.
//
// Values: every tensor copies windows of a 4 Mi-element N(0,1) pool (no 2.6e9 normal draws), scaled
// 1/sqrt(fan_in) for matrices and convolutions, 1 for norm scales (1-D ".weight") and embeddings,
// 0.02 for biases and tables; so activations stay O(1) through the depth, like trained weights.
// The values are bf16-representable in every dtype, so an fp32 and a bf16 model made from the same
// seed hold the same weights (the bench's bf16-vs-fp32 comparison measures compute precision only).
#pragma once

#include <ATen/ATen.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "acestep/config.h"
#include "acestep/safetensors.h"
#include "models/module.h"

namespace acestep::bench {

using ShapeList = std::vector<std::pair<std::string, std::vector<int64_t>>>;

// The image (F32 or BF16 by `dtype`), named `name` in error messages.
std::shared_ptr<st::File> random_safetensors(const ShapeList& shapes, at::ScalarType dtype, uint64_t seed,
                                             const std::string& name);

// Keys and shapes a loader takes: runs `load` on a source that records every take() and hands out
// zero tensors that own no memory (an expanded scalar).  Optional keys (has() == false) are left out.
ShapeList record_shapes(const std::function<void(TensorSource&)>& load);

// Keys and shapes the UMT5 encoder loader takes (umt5-base/model.safetensors, encoder only).
ShapeList umt5_shapes(const Umt5Config& cfg);

}  // namespace acestep::bench
