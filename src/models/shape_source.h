// ShapeSource: a TensorSource that hands every parameter out as a zero scalar expanded to the asked
// shape (no memory) and records each key and shape, so a model can be built at any config size to
// list or count its parameters without weights (the bench's random-weight images, the real-size
// parameter-count tests).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "models/module.h"

namespace acestep {

class ShapeSource final : public TensorSource {
public:
    at::Tensor take(const std::string& key, at::IntArrayRef shape) override {
        shapes.emplace_back(key, shape.vec());
        return at::zeros({}, at::kFloat).expand(shape);
    }
    bool has(const std::string&) const override { return false; }
    void ignore_prefix(const std::string&) override {}
    std::vector<std::string> unused() const override { return {}; }
    size_t report_unused() const override { return 0; }
    at::ScalarType dtype() const override { return at::kFloat; }
    at::Device device() const override { return at::kCPU; }
    std::string name() const override { return "<shapes only>"; }

    int64_t count() const {  // elements over every parameter taken
        int64_t n = 0;
        for (const auto& [key, s] : shapes) {
            int64_t k = 1;
            for (int64_t d : s) k *= d;
            n += k;
        }
        return n;
    }
    std::vector<std::pair<std::string, std::vector<int64_t>>> shapes;  // in the order taken
};

}  // namespace acestep
