// Small tensor ops shared by the model components (LibTorch 1.13 lacks rms_norm and public SDPA).
#pragma once

#include <ATen/ATen.h>

namespace acestep::ops {

// y = x * rsqrt(mean(x^2, last dim) + eps), statistics in fp32, result cast back to x's dtype.
// (diffusers RMSNorm without affine / torch nn.RMSNorm.)  Multiply by a weight separately.
inline at::Tensor rms_norm(const at::Tensor& x, double eps) {
    at::Tensor xf = x.to(at::kFloat);
    at::Tensor var = xf.pow(2).mean(-1, /*keepdim=*/true);
    return (xf * at::rsqrt(var + eps)).to(x.scalar_type());
}

// gelu with the tanh approximation (transformers' gelu_new).
inline at::Tensor gelu_tanh(const at::Tensor& x) { return at::gelu(x, "tanh"); }

// Softmax attention: q [B,H,Lq,D], k,v [B,H,Lk,D]; additive mask broadcastable to [B,H,Lq,Lk] (or undefined).
inline at::Tensor attention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v, const at::Tensor& mask,
                            double scale) {
    at::Tensor s = at::matmul(q, k.transpose(-1, -2));
    if (scale != 1.0) s = s * scale;
    if (mask.defined()) s = s + mask;
    return at::matmul(at::softmax(s, -1), v);
}

}  // namespace acestep::ops
