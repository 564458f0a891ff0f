// Small measuring helpers for acestep-bench: wall clock, resident memory, machine facts, the
// matmul peak, and the DiT's FLOP count.
#pragma once

#include <ATen/ATen.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "acestep/config.h"

namespace acestep::bench {

double now_s();
// Process CPU seconds (user + system, all threads).
double cpu_s();
// Median wall seconds of `reps` calls (after `warmup` untimed calls).
double time_median(const std::function<void()>& fn, int reps, int warmup = 0);

double peak_rss_gib();     // getrusage ru_maxrss
double current_rss_gib();  // /proc/self/statm
double mem_available_gib();  // MemAvailable from /proc/meminfo (-1 if unknown)
std::string load_average();  // first three fields of /proc/loadavg
std::string cpu_model();     // "model name" from /proc/cpuinfo

// Best-of-`reps` GFLOP/s of an n×n×n matmul in `dtype` on `device`.
double matmul_gflops(int64_t n, at::ScalarType dtype, at::Device device, int reps = 3);
// GFLOP/s of y = x Wᵀ with x [m, k], W [n, k] (the DiT's projection shape at sequence length m).
double linear_gflops(int64_t m, int64_t k, int64_t n, at::ScalarType dtype, at::Device device, int reps = 3);

// FLOPs (2 per multiply-add) of one DiT decode pass: batch B, S latent frames, S_enc condition tokens;
// `with_cross_kv` adds the cross-attention key/value projections of the condition (the plain path
// recomputes them every pass; the cached path does not). model.md §11.4.
double dit_pass_flops(const DitConfig& c, int64_t B, int64_t S, int64_t S_enc, bool with_cross_kv);

// Relative L2 ||a - b|| / ||b|| in double.
double rel_l2(const at::Tensor& a, const at::Tensor& b);

void sync(at::Device device);

}  // namespace acestep::bench
