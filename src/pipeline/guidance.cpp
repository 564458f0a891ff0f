// Guidance variants (see guidance.h), written op for op like acestep/apg_guidance.py so that the
// dtype flow (and hence the rounding) is the official one.  Tensor.norm(p=2, dim) is
// linalg.vector_norm in torch 1.13, and `scalar / tensor` is reciprocal()*scalar.
#include "pipeline/guidance.h"

namespace acestep::pipeline {

namespace {
const std::vector<int64_t> kDims = {-1, -2};
}

void MomentumBuffer::update(const at::Tensor& delta) {
    // running_average starts as the Python int 0: momentum * 0 = -0.0, and delta + -0.0 == delta.
    running_ = running_.defined() ? delta + running_ * momentum_ : delta + (momentum_ * 0.0);
}

at::Tensor cfg_forward(const at::Tensor& cond, const at::Tensor& uncond, double scale) {
    return uncond + scale * (cond - uncond);
}

at::Tensor apg_forward(const at::Tensor& cond, const at::Tensor& uncond, double scale, MomentumBuffer* momentum,
                       double eta, double norm_threshold) {
    at::Tensor diff = cond - uncond;
    if (momentum) {
        momentum->update(diff);
        diff = momentum->running_average();
    }
    if (norm_threshold > 0) {
        at::Tensor ones = at::ones_like(diff);
        at::Tensor norm = at::linalg_vector_norm(diff, 2, kDims, /*keepdim=*/true, c10::nullopt);
        // Python's `2.5 / tensor` is tensor.reciprocal() * 2.5, not a true division.
        at::Tensor factor = at::minimum(ones, norm.reciprocal() * norm_threshold);
        diff = diff * factor;
    }
    // project(diff, cond): float64, v1 = F.normalize(cond) = cond / max(|cond|, 1e-12)
    const auto dtype = diff.scalar_type();
    at::Tensor v0 = diff.to(at::kDouble), v1 = cond.to(at::kDouble);
    v1 = v1 / at::linalg_vector_norm(v1, 2, kDims, true, c10::nullopt).clamp_min(1e-12).expand_as(v1);
    at::Tensor par = (v0 * v1).sum(kDims, /*keepdim=*/true) * v1;
    at::Tensor orth = v0 - par;
    at::Tensor update = orth.to(dtype) + eta * par.to(dtype);
    return cond + (scale - 1) * update;
}

at::Tensor cfg_zero_star(const at::Tensor& cond, const at::Tensor& uncond, double scale, int64_t i, int64_t zero_steps,
                         bool use_zero_init) {
    const int64_t b = cond.size(0);
    at::Tensor pos = cond.reshape({b, -1}), neg = uncond.reshape({b, -1});
    at::Tensor dot = (pos * neg).sum(1, true);
    at::Tensor sq = (neg.pow(2)).sum(1, true) + 1e-8;
    at::Tensor alpha = (dot / sq).view({b, 1, 1, 1});
    if (i <= zero_steps && use_zero_init) return cond * 0.0;
    return uncond * alpha + scale * (cond - uncond * alpha);
}

at::Tensor cfg_double_condition(const at::Tensor& cond, const at::Tensor& uncond, const at::Tensor& only_text_cond,
                                double scale_text, double scale_lyric) {
    return (1 - scale_text) * uncond + (scale_text - scale_lyric) * only_text_cond + scale_lyric * cond;
}

GuidanceInterval guidance_interval(int64_t n, double gi) {
    // int(N * ((1 - gi) / 2)), int(N * (gi / 2 + 0.5)): Python truncation toward zero.
    GuidanceInterval r;
    r.start = (int64_t)((double)n * ((1 - gi) / 2));
    r.end = (int64_t)((double)n * (gi / 2 + 0.5));
    return r;
}

double guidance_scale_at(int64_t i, const GuidanceInterval& gi, double scale, double min_scale, double decay) {
    if (!(decay > 0)) return scale;
    const int64_t span = gi.end - gi.start - 1;
    if (span <= 0) return scale;  // official: ZeroDivisionError
    const double progress = (double)(i - gi.start) / (double)span;
    return scale - (scale - min_scale) * progress * decay;
}

}  // namespace acestep::pipeline
