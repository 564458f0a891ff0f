// Module plumbing shared by the DiT and its lyric encoder (usable by any model component):
//
// - TensorSource: where parameters come from — a safetensors checkpoint (through Weights) or an
//   in-memory name -> tensor map (random-weight size tests, converted checkpoints). Both check shapes
//   with the same error text and list keys nobody took.
// - ParamVisitor: each module describes its parameters once, in `visit()`; the same walk loads them,
//   counts them, lists them and finds the Linear layers by their checkpoint module name.
// - Linear: weight + optional bias + optional PEFT LoRA adapter, y = W x + b + s·B(A x) (model.md §9.7),
//   so an adapter can be attached and detached without reloading the model.
// - ErgScale: the pipeline's "ERG" forward hooks (model.md §8.6) as a plain option: multiply the
//   query-projection outputs of layers [begin, end) by tau.
#pragma once

#include <ATen/ATen.h>

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "models/weights.h"

namespace acestep {

// ---- parameter sources ------------------------------------------------------------------------

class TensorSource {
public:
    virtual ~TensorSource() = default;
    // The tensor under `key` in dtype() (floating tensors) on device(); throws acestep::Error naming the
    // source, the key and both shapes when it is missing or has another shape.
    virtual at::Tensor take(const std::string& key, at::IntArrayRef expected_shape) = 0;
    virtual bool has(const std::string& key) const = 0;
    // Keys under this prefix are expected to stay unused (training-only tensors).
    virtual void ignore_prefix(const std::string& prefix) = 0;
    virtual std::vector<std::string> unused() const = 0;
    // Prints "note: <name>: N tensors not used by the model (first: ...)" to stderr if any; returns N.
    virtual size_t report_unused() const = 0;
    virtual at::ScalarType dtype() const = 0;
    virtual at::Device device() const = 0;
    virtual std::string name() const = 0;
};

// A safetensors file (zero-copy when the stored dtype is the target dtype on CPU).
class WeightsSource final : public TensorSource {
public:
    explicit WeightsSource(Weights& w) : w_(w) {}
    at::Tensor take(const std::string& key, at::IntArrayRef shape) override { return w_.take(key, shape); }
    bool has(const std::string& key) const override { return w_.has(key); }
    void ignore_prefix(const std::string& p) override { w_.ignore_prefix(p); }
    std::vector<std::string> unused() const override { return w_.unused(); }
    size_t report_unused() const override { return w_.report_unused(); }
    at::ScalarType dtype() const override { return w_.dtype(); }
    at::Device device() const override { return w_.device(); }
    std::string name() const override { return w_.path(); }

private:
    Weights& w_;
};

// An in-memory state dict. take() moves each tensor out of the map (no second copy stays behind) and
// converts it only when its dtype or device differs from the target.
class TensorMapSource final : public TensorSource {
public:
    TensorMapSource(std::map<std::string, at::Tensor> tensors, at::ScalarType dtype, at::Device device,
                    std::string name = "<state dict>");
    at::Tensor take(const std::string& key, at::IntArrayRef shape) override;
    bool has(const std::string& key) const override { return tensors_.count(key) != 0; }
    void ignore_prefix(const std::string& p) override { ignored_.push_back(p); }
    std::vector<std::string> unused() const override;
    size_t report_unused() const override;
    at::ScalarType dtype() const override { return dtype_; }
    at::Device device() const override { return device_; }
    std::string name() const override { return name_; }

private:
    std::map<std::string, at::Tensor> tensors_;
    std::set<std::string> used_;
    std::vector<std::string> ignored_;
    at::ScalarType dtype_;
    at::Device device_;
    std::string name_;
};

// ---- Linear with an optional LoRA adapter -------------------------------------------------------

struct LoraAdapter {
    at::Tensor a;  // lora_A.weight [r, in]
    at::Tensor b;  // lora_B.weight [out, r]
    double scale = 1.0;   // what multiplies B(A x): the user's weight · factor
    double factor = 1.0;  // lora_alpha / r of this module (acestep/lora_config.h)
};

struct Linear {
    at::Tensor weight;  // [out, in]
    at::Tensor bias;    // [out] or undefined
    std::shared_ptr<LoraAdapter> lora;

    // y = x Wᵀ + b (+ scale · (x Aᵀ) Bᵀ, added after the base output as peft does).
    at::Tensor operator()(const at::Tensor& x) const;
    int64_t in_features() const { return weight.size(1); }
    int64_t out_features() const { return weight.size(0); }
    // Converts A and B to the weight's dtype/device; throws acestep::Error (naming `module`) on a shape
    // mismatch. Replaces any adapter already attached.
    void attach_lora(const std::string& module, const at::Tensor& a, const at::Tensor& b, double scale);
    void detach_lora() { lora.reset(); }
};

// ---- visiting a module's parameters -------------------------------------------------------------

class ParamVisitor {
public:
    virtual ~ParamVisitor() = default;
    // One parameter tensor under its checkpoint key with the shape the configuration implies.
    virtual void tensor(const std::string& key, at::Tensor& t, std::vector<int64_t> shape) = 0;
    // One Linear layer (module name without ".weight"); the default visits weight and bias.
    virtual void linear(const std::string& module, Linear& l, int64_t in, int64_t out, bool has_bias);
};

// Loads every visited parameter from a source.
class LoadVisitor final : public ParamVisitor {
public:
    explicit LoadVisitor(TensorSource& src) : src_(src) {}
    void tensor(const std::string& key, at::Tensor& t, std::vector<int64_t> shape) override { t = src_.take(key, shape); }

private:
    TensorSource& src_;
};

// Calls fn(key, tensor) for each parameter (LoRA adapters are not parameters of the model).
class ListVisitor final : public ParamVisitor {
public:
    explicit ListVisitor(std::function<void(const std::string&, const at::Tensor&)> fn) : fn_(std::move(fn)) {}
    void tensor(const std::string& key, at::Tensor& t, std::vector<int64_t>) override { fn_(key, t); }

private:
    std::function<void(const std::string&, const at::Tensor&)> fn_;
};

// Calls fn(module, linear) for each Linear layer.
class LinearVisitor final : public ParamVisitor {
public:
    explicit LinearVisitor(std::function<void(const std::string&, Linear&)> fn) : fn_(std::move(fn)) {}
    void tensor(const std::string&, at::Tensor&, std::vector<int64_t>) override {}
    void linear(const std::string& module, Linear& l, int64_t, int64_t, bool) override { fn_(module, l); }

private:
    std::function<void(const std::string&, Linear&)> fn_;
};

// ---- ERG --------------------------------------------------------------------------------------

// The official pipeline registers forward hooks that multiply the output of selected query
// projections (bias included, LoRA included) by tau; this is that, as an argument.
struct ErgScale {
    double tau = 1.0;
    int64_t begin = 0, end = 0;  // layer / block indices [begin, end)

    bool applies(int64_t layer) const { return tau != 1.0 && layer >= begin && layer < end; }
    static ErgScale none() { return {}; }
    // use_erg_lyric: lyric_encoder.encoders[4..5].self_attn.linear_q, tau 0.01.
    static ErgScale lyric() { return {0.01, 4, 6}; }
    // use_erg_diffusion: transformer_blocks[15..19].attn.to_q and .cross_attn.to_q, tau 0.01.
    static ErgScale diffusion() { return {0.01, 15, 20}; }
};

}  // namespace acestep
