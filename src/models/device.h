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
// "fp32"/"float32", "bf16"/"bfloat16", "fp16"/"float16" (GPU only), "auto" (fast_dtype(device)).
at::ScalarType parse_dtype(const std::string& s, const at::Device& device);
// True when this CPU runs bf16 matmuls natively (/proc/cpuinfo flags avx512_bf16 or amx_bf16): there
// oneDNN's bf16 GEMM is ~2x the fp32 OpenBLAS one (build-notes §4). False elsewhere (AVX2-only CPUs
// emulate bf16 and are slower than fp32). ACESTEP_CPU_BF16=0/1 overrides the detection.
bool cpu_has_fast_bf16();
// The fast compute dtype of the DiT and the text encoder on `device`: bf16 on CUDA and on CPUs with
// fast bf16, else fp32. (DCAE and vocoder stay fp32 on CPU: LibTorch 1.13 lacks bf16 conv_transpose
// and reflection_pad1d.)
at::ScalarType fast_dtype(const at::Device& device);
std::string dtype_label(at::ScalarType t);
bool cuda_available();

// CPUs this process may run on (sched_getaffinity; hardware_concurrency() as a fallback), >= 1.
int available_cores();

// Sets or clears FTZ/DAZ (denormals flushed to zero) in the calling thread AND in every thread of
// the intra-op (OpenMP) pool, which OpenBLAS and oneDNN share; the MXCSR register is per thread, so
// setting it in the main thread alone leaves pool threads that already exist unflushed.
void set_flush_denormal_all_threads(bool on);

// Threads for intra-op parallelism (0 = all available cores), denormals flushed (FTZ/DAZ) in every
// compute thread, the official global numeric flags (TF32 matmul on CUDA, deterministic cuDNN).
// Idempotent.
void init_runtime(int threads = 0);

}  // namespace acestep
