// Classifier-free guidance variants of ACE-Step v1, exact to the official acestep/apg_guidance.py
// (spec model.md §8): plain CFG, APG (adaptive projected guidance with a momentum buffer, per-channel
// norm clipping and a float64 projection onto the conditional prediction), CFG-Zero* (cfg_star) and
// the double-condition (text / lyric) form.  Plus the guidance interval and its linear decay.
// Tensors are [B, 8, 16, W]; everything stays in the inputs' dtype except APG's float64 projection.
#pragma once

#include <ATen/ATen.h>

#include <cstdint>

namespace acestep::pipeline {

// R <- delta + momentum * R (R starts at 0); one buffer per diffusion call, updated only when APG runs.
class MomentumBuffer {
public:
    explicit MomentumBuffer(double momentum = -0.75) : momentum_(momentum) {}
    void update(const at::Tensor& delta);
    const at::Tensor& running_average() const { return running_; }
    bool empty() const { return !running_.defined(); }

private:
    double momentum_;
    at::Tensor running_;
};

// v = v_u + g (v_c - v_u)
at::Tensor cfg_forward(const at::Tensor& cond, const at::Tensor& uncond, double scale);

// APG: delta = v_c - v_u (through the momentum buffer when given), clipped to norm 2.5 per (item,
// channel) over (16, W), split into parts parallel / orthogonal to v_c in float64;
// v = v_c + (g - 1) (delta_orth + eta delta_par).
at::Tensor apg_forward(const at::Tensor& cond, const at::Tensor& uncond, double scale, MomentumBuffer* momentum,
                       double eta = 0.0, double norm_threshold = 2.5);

// CFG-Zero*: alpha = <v_c, v_u> / (|v_u|^2 + 1e-8) per item; zero output while i <= zero_steps.
at::Tensor cfg_zero_star(const at::Tensor& cond, const at::Tensor& uncond, double scale, int64_t i,
                         int64_t zero_steps = 1, bool use_zero_init = true);

// v = (1 - g_t) v_u + (g_t - g_l) v_text + g_l v_c
at::Tensor cfg_double_condition(const at::Tensor& cond, const at::Tensor& uncond, const at::Tensor& only_text_cond,
                                double scale_text, double scale_lyric);

// The loop indices [start, end) where guidance runs, and the scale at index i.
struct GuidanceInterval {
    int64_t start = 0, end = 0;
    bool contains(int64_t i) const { return start <= i && i < end; }
};
GuidanceInterval guidance_interval(int64_t num_inference_steps, double interval);
// gs - (gs - min) * (i - start) / (end - start - 1) * decay when decay > 0, else gs.  The official code
// divides by zero when the interval holds one step (Q34); here that step gets the full scale.
double guidance_scale_at(int64_t i, const GuidanceInterval& gi, double scale, double min_scale, double decay);

}  // namespace acestep::pipeline
