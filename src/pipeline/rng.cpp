// Seeds and random draws (see rng.h).  The float32 CPU normal fill below reproduces torch 1.13's
// normal_fill_AVX2 bit for bit: the same uniforms from the generator, the same 16-value blocks, and a
// scalar transcription of avx_mathfun.h's log256_ps / sincos256_ps including the multiply-adds that
// GCC fuses in LibTorch's AVX2 build (checked against at::randn on 10^6 values).  Keep every fused
// step an explicit std::fmaf and every other product unfused: the remaining products feed no addition
// except exact ones (z * 0.5), so compiler contraction cannot change the result.
#include "pipeline/rng.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/core/DistributionsHelper.h>

#include <cmath>
#include <cstring>
#include <mutex>
#include <random>
#include <sstream>

#ifdef ACESTEP_HAS_CUDA
#include <ATen/cuda/CUDAGeneratorImpl.h>
#endif

#include "acestep/error.h"

namespace acestep::pipeline {

namespace {

inline float as_float(uint32_t u) {
    float f;
    std::memcpy(&f, &u, 4);
    return f;
}
inline uint32_t as_bits(float f) {
    uint32_t u;
    std::memcpy(&u, &f, 4);
    return u;
}

// log256_ps for one lane (argument in (0, 1]).
float cephes_logf(float x) {
    const bool invalid = !(x > 0.0f);
    x = std::max(x, as_float(0x00800000u));  // cut off denormals
    int32_t imm0 = (int32_t)(as_bits(x) >> 23);
    x = as_float((as_bits(x) & ~0x7f800000u) | as_bits(0.5f));  // mantissa in [0.5, 1)
    imm0 -= 0x7f;
    float e = (float)imm0;
    e = e + 1.0f;
    const bool mask = x < 0.707106781186547524f;
    const float tmp = mask ? x : 0.0f;
    x = x - 1.0f;
    e = e - (mask ? 1.0f : 0.0f);
    x = x + tmp;
    const float z = x * x;
    float y = 7.0376836292E-2f;
    y = std::fmaf(y, x, -1.1514610310E-1f);
    y = std::fmaf(y, x, 1.1676998740E-1f);
    y = std::fmaf(y, x, -1.2420140846E-1f);
    y = std::fmaf(y, x, 1.4249322787E-1f);
    y = std::fmaf(y, x, -1.6668057665E-1f);
    y = std::fmaf(y, x, 2.0000714765E-1f);
    y = std::fmaf(y, x, -2.4999993993E-1f);
    y = std::fmaf(y, x, 3.3333331174E-1f);
    y = y * x;
    y = std::fmaf(y, z, e * -2.12194440e-4f);
    y = y - z * 0.5f;
    x = x + y;
    x = std::fmaf(e, 0.693359375f, x);
    return invalid ? NAN : x;
}

// sincos256_ps for one lane.
void cephes_sincosf(float xin, float* s, float* c) {
    uint32_t sign_sin = as_bits(xin) & 0x80000000u;
    float x = as_float(as_bits(xin) & 0x7fffffffu);
    float y = x * 1.27323954473516f;  // 4 / pi
    int32_t j = (int32_t)y;           // truncation (cvttps)
    j = (j + 1) & ~1;
    y = (float)j;
    const uint32_t swap_sign_sin = (uint32_t)(j & 4) << 29;
    const bool poly_mask = (j & 2) == 0;
    x = std::fmaf(y, -0.78515625f, x);  // extended precision modular arithmetic
    x = std::fmaf(y, -2.4187564849853515625e-4f, x);
    x = std::fmaf(y, -3.77489497744594108e-8f, x);
    const uint32_t sign_cos = (uint32_t)((~(j - 2)) & 4) << 29;
    sign_sin ^= swap_sign_sin;
    const float z = x * x;
    float yc = 2.443315711809948E-005f;
    yc = std::fmaf(yc, z, -1.388731625493765E-003f);
    yc = std::fmaf(yc, z, 4.166664568298827E-002f);
    yc = yc * z;
    yc = std::fmaf(yc, z, -(z * 0.5f));
    yc = yc + 1.0f;
    float ys = -1.9515295891E-4f;
    ys = std::fmaf(ys, z, 8.3321608736E-3f);
    ys = std::fmaf(ys, z, -1.6666654611E-1f);
    ys = ys * z;
    ys = std::fmaf(ys, x, x);
    const float sin_part = poly_mask ? ys : 0.0f;
    const float cos_part = poly_mask ? 0.0f : yc;
    ys = ys - sin_part;
    yc = yc - cos_part;
    *s = as_float(as_bits(cos_part + sin_part) ^ sign_sin);
    *c = as_float(as_bits(yc + ys) ^ sign_cos);
}

// normal_fill_16_AVX2 with mean 0, std 1.
void box_muller_16(float* d) {
    const float two_pi = (float)(2.0f * c10::pi<double>);
    for (int j = 0; j < 8; ++j) {
        const float u1 = 1.0f - d[j], u2 = d[j + 8];
        const float radius = std::sqrt(-2.0f * cephes_logf(u1));
        const float theta = two_pi * u2;
        float sn, cs;
        cephes_sincosf(theta, &sn, &cs);
        d[j] = radius * cs;
        d[j + 8] = radius * sn;
    }
}

void normal_fill_f32(float* data, int64_t size, at::CPUGeneratorImpl* g) {
    std::lock_guard<std::mutex> lock(g->mutex_);
    for (int64_t i = 0; i < size; ++i) {
        at::uniform_real_distribution<float> uniform(0, 1);
        data[i] = uniform(g);
    }
    for (int64_t i = 0; i < size - 15; i += 16) box_muller_16(data + i);
    if (size % 16 != 0) {  // the last 16 values are recomputed from fresh uniforms
        float* tail = data + size - 16;
        for (int i = 0; i < 16; ++i) {
            at::uniform_real_distribution<float> uniform(0, 1);
            tail[i] = uniform(g);
        }
        box_muller_16(tail);
    }
}

// Fills `t` (any dtype/device) with N(0, 1) from `gen`, as Tensor.normal_(generator=gen).
void normal_inplace(at::Tensor& t, at::Generator& gen) {
    if (t.device().is_cpu() && t.scalar_type() == at::kFloat && t.is_contiguous() && t.numel() >= 16) {
        normal_fill_f32(t.data_ptr<float>(), t.numel(), at::check_generator<at::CPUGeneratorImpl>(gen));
        return;
    }
    t.normal_(0.0, 1.0, gen);
}

}  // namespace

int64_t random_seed() {
    static std::mutex m;
    static std::random_device rd;
    std::lock_guard<std::mutex> lock(m);
    return (int64_t)(uint32_t)rd();
}

SeedGenerators::SeedGenerators(const std::vector<int64_t>& seeds, int64_t batch, at::Device device) : device_(device) {
    for (int64_t i = 0; i < batch; ++i) {
        int64_t s;
        if (seeds.empty()) s = random_seed();
        else s = (size_t)i < seeds.size() ? seeds[(size_t)i] : seeds.back();
        seeds_.push_back(s);
        at::Generator g;
        if (device.is_cuda()) {
#ifdef ACESTEP_HAS_CUDA
            g = at::make_generator<at::CUDAGeneratorImpl>(device.index() < 0 ? 0 : device.index());
#else
            throw Error("CUDA random generators are not available in this CPU-only build");
#endif
        } else {
            g = at::make_generator<at::CPUGeneratorImpl>();
        }
        {
            std::lock_guard<std::mutex> lock(g.mutex());
            g.set_current_seed((uint64_t)s);
        }
        gens_.push_back(g);
    }
}

at::Tensor randn(at::IntArrayRef shape, at::Generator& gen, at::ScalarType dtype, at::Device device) {
    at::Tensor t = at::empty(shape, at::TensorOptions().dtype(dtype).device(device));
    normal_inplace(t, gen);
    return t;
}

at::Tensor normal_like(const at::Tensor& like, at::Generator& gen) {
    at::Tensor t = at::empty(like.sizes(), like.options());
    normal_inplace(t, gen);
    return t;
}

at::Tensor randn_tensor(at::IntArrayRef shape, SeedGenerators& gens, at::ScalarType dtype) {
    if (shape.empty()) throw Error("randn_tensor: empty shape");
    const int64_t b = shape[0];
    if (gens.size() == 1) return randn(shape, gens[0], dtype, gens.device());
    if ((int64_t)gens.size() != b)
        throw Error("randn_tensor: " + std::to_string(gens.size()) + " generators for a batch of " + std::to_string(b));
    std::vector<int64_t> one(shape.begin(), shape.end());
    one[0] = 1;
    std::vector<at::Tensor> parts;
    for (int64_t i = 0; i < b; ++i) parts.push_back(randn(one, gens[(size_t)i], dtype, gens.device()));
    return at::cat(parts, 0);
}

at::Tensor SeededNoise::randn(Stream s, at::IntArrayRef shape, at::ScalarType dtype, at::Device device) {
    return randn_tensor(shape, pick(s), dtype).to(device);
}

at::Tensor SeededNoise::normal_like(Stream s, const at::Tensor& like) {
    SeedGenerators& g = pick(s);
    if (like.device() == g.device()) return pipeline::normal_like(like, g[0]);
    return pipeline::normal_like(like.to(g.device()), g[0]).to(like.device());
}

at::Tensor RecordedNoise::next(at::IntArrayRef shape) {
    if (next_ >= draws_.size())
        throw Error("recorded noise: the pipeline asked for draw " + std::to_string(next_) + " but only " +
                    std::to_string(draws_.size()) + " were recorded");
    const at::Tensor& d = draws_[next_];
    if (d.sizes() != shape) {
        std::ostringstream o;
        o << "recorded noise: draw " << next_ << " has shape " << d.sizes() << ", the pipeline asked for " << shape;
        throw Error(o.str());
    }
    return draws_[next_++];
}

at::Tensor RecordedNoise::randn(Stream, at::IntArrayRef shape, at::ScalarType dtype, at::Device device) {
    return next(shape).to(device).to(dtype);
}

at::Tensor RecordedNoise::normal_like(Stream, const at::Tensor& like) {
    return next(like.sizes()).to(like.device()).to(like.scalar_type());
}

}  // namespace acestep::pipeline
