// Device, dtype and threading setup shared by every engine entry point.
//
// Nothing in the engine assumes CPU: modules take an at::Device and an at::ScalarType.  On CPU the
// compute dtype is fp32 (exact path) or bf16 (fast path on CPUs with AVX-512 BF16); LibTorch 1.13
// has no CPU kernels for fp16 and no bf16 conv_transpose/stft, so those islands stay fp32.
#pragma once

#include <ATen/ATen.h>

#include <string>

namespace acestep {

// "cpu", "cuda", "cuda:1", "auto" (CUDA if available, else CPU). Throws acestep::Error with the
// reason when CUDA was asked for but this build or machine has none.
at::Device parse_device(const std::string& s);
// "fp32"/"float32", "bf16"/"bfloat16", "fp16"/"float16" (GPU only), "auto" (bf16 on GPU, fp32 on CPU).
at::ScalarType parse_dtype(const std::string& s, const at::Device& device);
std::string dtype_label(at::ScalarType t);
bool cuda_available();

// Threads for intra-op parallelism (0 = all cores), denormals flushed (FTZ/DAZ), the official
// global numeric flags (TF32 matmul on CUDA, deterministic cuDNN). Idempotent.
void init_runtime(int threads = 0);

}  // namespace acestep
