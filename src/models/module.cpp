// Module plumbing: in-memory tensor source, Linear with LoRA, default visitor behaviour.
#include "models/module.h"

#include <cstdio>

#include "acestep/error.h"

namespace acestep {

TensorMapSource::TensorMapSource(std::map<std::string, at::Tensor> tensors, at::ScalarType dtype, at::Device device,
                                 std::string name)
    : tensors_(std::move(tensors)), dtype_(dtype), device_(device), name_(std::move(name)) {}

at::Tensor TensorMapSource::take(const std::string& key, at::IntArrayRef expected) {
    auto it = tensors_.find(key);
    if (it == tensors_.end()) {
        throw Error(name_ + ": missing tensor '" + key + "'" +
                    (expected.empty() ? std::string() : " (expected shape " + shape_str(expected) + ")"));
    }
    if (!it->second.defined()) throw Error(name_ + ": tensor '" + key + "' was taken twice");
    if (!expected.empty() && it->second.sizes() != expected)
        throw Error(name_ + ": tensor '" + key + "' has shape " + shape_str(it->second.sizes()) + ", expected " +
                    shape_str(expected));
    used_.insert(key);
    at::Tensor t = std::move(it->second);
    it->second = at::Tensor();
    const at::ScalarType target = at::isFloatingType(t.scalar_type()) ? dtype_ : t.scalar_type();
    if (t.scalar_type() != target || t.device() != device_) t = t.to(device_, target);
    return t;
}

std::vector<std::string> TensorMapSource::unused() const {
    std::vector<std::string> out;
    for (const auto& [k, t] : tensors_) {
        if (used_.count(k)) continue;
        bool ign = false;
        for (const auto& p : ignored_) ign |= k.rfind(p, 0) == 0;
        if (!ign) out.push_back(k);
    }
    return out;
}

size_t TensorMapSource::report_unused() const {
    auto u = unused();
    if (!u.empty())
        std::fprintf(stderr, "note: %s: %zu tensors not used by the model (first: %s)\n", name_.c_str(), u.size(), u[0].c_str());
    return u.size();
}

at::Tensor Linear::operator()(const at::Tensor& x) const {
    at::Tensor y = at::linear(x, weight, bias);
    if (lora) y = y + at::linear(at::linear(x, lora->a), lora->b) * lora->scale;
    return y;
}

void Linear::attach_lora(const std::string& module, const at::Tensor& a, const at::Tensor& b, double scale) {
    if (a.dim() != 2 || b.dim() != 2)
        throw Error("LoRA for '" + module + "': lora_A/lora_B must be matrices, got " + shape_str(a.sizes()) + " and " +
                    shape_str(b.sizes()));
    const int64_t r = a.size(0);
    if (a.size(1) != in_features() || b.size(0) != out_features() || b.size(1) != r)
        throw Error("LoRA for '" + module + "': lora_A " + shape_str(a.sizes()) + " / lora_B " + shape_str(b.sizes()) +
                    " do not fit a Linear " + std::to_string(in_features()) + " -> " + std::to_string(out_features()) +
                    " (expected [r, " + std::to_string(in_features()) + "] and [" + std::to_string(out_features()) +
                    ", r])");
    auto l = std::make_shared<LoraAdapter>();
    l->a = a.to(weight.device(), weight.scalar_type()).contiguous();
    l->b = b.to(weight.device(), weight.scalar_type()).contiguous();
    l->scale = scale;
    lora = std::move(l);
}

void ParamVisitor::linear(const std::string& module, Linear& l, int64_t in, int64_t out, bool has_bias) {
    tensor(module + ".weight", l.weight, {out, in});
    if (has_bias) tensor(module + ".bias", l.bias, {out});
}

}  // namespace acestep
