// Seeds and random draws, bit-faithful to the official pipeline (spec model.md §10.3):
//   - one torch generator per batch item, seeded like ACEStepPipeline.set_seeds (given seeds, the last
//     one repeated when short; missing seeds drawn at random);
//   - randn_tensor (diffusers): per item torch.randn((1, ...), generator=g_i) concatenated along the
//     batch, in the pipeline dtype; Tensor.normal_(generator=generators[0]) for PingPong / flow-edit.
//
// On the CPU the generator is LibTorch's own CPUGeneratorImpl (mt19937) and the uniform stream is
// taken from it.  float32 draws of >= 16 contiguous values go through a portable copy of torch 1.13's
// AVX2 normal fill (Box-Muller on 16-value blocks with avx_mathfun's log/sincos polynomials, the tail
// block recomputed from fresh uniforms), so the values equal those of the official app on an AVX2 CPU
// -- the fixtures' draws -- whatever CPU kernel LibTorch would pick here.  Other dtypes (bf16: scalar
// Box-Muller in bf16) and CUDA (Philox) use LibTorch's kernels directly, which are what PyTorch runs.
#pragma once

#include <ATen/ATen.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace acestep::pipeline {

// The generators of one seed list (main seeds or retake seeds).
class SeedGenerators {
public:
    // `seeds` as given (empty = random per item); `batch` generators on `device`.
    SeedGenerators(const std::vector<int64_t>& seeds, int64_t batch, at::Device device);
    const std::vector<int64_t>& seeds() const { return seeds_; }  // actual seeds, one per item
    at::Generator& operator[](size_t i) { return gens_.at(i); }
    size_t size() const { return gens_.size(); }
    at::Device device() const { return device_; }

private:
    std::vector<int64_t> seeds_;
    std::vector<at::Generator> gens_;
    at::Device device_;
};

// A random seed in 0 .. 2^32-1 (the official app draws torch.randint(0, 2**32) from its global RNG).
int64_t random_seed();

// torch.randn(shape, generator=gen, dtype, device) with the official CPU numerics (see above).
at::Tensor randn(at::IntArrayRef shape, at::Generator& gen, at::ScalarType dtype, at::Device device);
// torch.empty_like(like).normal_(generator=gen)
at::Tensor normal_like(const at::Tensor& like, at::Generator& gen);
// diffusers randn_tensor(shape, generator=list): per item draws of shape (1, ...) concatenated.
at::Tensor randn_tensor(at::IntArrayRef shape, SeedGenerators& gens, at::ScalarType dtype);

// Where the pipeline's random tensors come from: the seeded generators, or (self-test) tensors
// recorded from the official run, consumed in draw order.
enum class Stream { Main, Retake };
class NoiseSource {
public:
    virtual ~NoiseSource() = default;
    // randn_tensor(shape, generators of `s`, dtype) on `device`
    virtual at::Tensor randn(Stream s, at::IntArrayRef shape, at::ScalarType dtype, at::Device device) = 0;
    // empty_like(like).normal_(generator = generators of `s`[0])
    virtual at::Tensor normal_like(Stream s, const at::Tensor& like) = 0;
};

class SeededNoise final : public NoiseSource {
public:
    SeededNoise(SeedGenerators& main, SeedGenerators& retake) : main_(main), retake_(retake) {}
    at::Tensor randn(Stream s, at::IntArrayRef shape, at::ScalarType dtype, at::Device device) override;
    at::Tensor normal_like(Stream s, const at::Tensor& like) override;

private:
    SeedGenerators& pick(Stream s) { return s == Stream::Main ? main_ : retake_; }
    SeedGenerators& main_;
    SeedGenerators& retake_;
};

// Recorded draws, in order; a shape mismatch or running out is an error naming the draw.
class RecordedNoise final : public NoiseSource {
public:
    explicit RecordedNoise(std::vector<at::Tensor> draws) : draws_(std::move(draws)) {}
    at::Tensor randn(Stream s, at::IntArrayRef shape, at::ScalarType dtype, at::Device device) override;
    at::Tensor normal_like(Stream s, const at::Tensor& like) override;
    size_t used() const { return next_; }
    size_t size() const { return draws_.size(); }

private:
    at::Tensor next(at::IntArrayRef shape);
    std::vector<at::Tensor> draws_;
    size_t next_ = 0;
};

}  // namespace acestep::pipeline
