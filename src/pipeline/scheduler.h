// Flow-matching samplers of ACE-Step v1: Euler (default), Heun and PingPong, behind one small
// interface with a registry.  Exact to the official acestep/schedulers/*.py + diffusers'
// retrieve_timesteps (spec model.md §7), including their quirks:
//   - the double shift (Q9): the training table is shifted once, set_timesteps shifts its ends again,
//     so the last sigma is 0.008929, not 0.003;
//   - oss_steps: the selected timesteps are rounded to the pipeline dtype, divided by 1000 and shifted
//     once more (custom sigmas, float32 numpy arithmetic); Heun has no custom sigmas (Q11);
//   - retrieve_timesteps returns the requested N, not the length of Heun's 2N-1 table (Q10);
//   - updates keep the official dtype flow (Q22): products with 0-dim fp32 sigmas stay in the model
//     dtype, only the accumulation into the fp32 copy of x is fp32;
//   - omega (granularity) rescales the zero-mean part of each Euler/Heun update; PingPong ignores it.
// Scalar tables are computed with the same float64 (numpy) / float32 (torch) steps as the original.
#pragma once

#include <ATen/ATen.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace acestep::pipeline {

// Draws the fresh noise a stochastic sampler needs: a tensor shaped and typed like `like`
// (PingPong: torch.empty_like(sample).normal_(generator)).
using NoiseFn = std::function<at::Tensor(const at::Tensor& like)>;

// omega' = 0.9 + 0.2 / (1 + exp(-0.1 * omega)), the official logistic rescale (10 -> 1.0462117).
double omega_rescale(double omega);

class Scheduler {
public:
    virtual ~Scheduler() = default;
    virtual const char* name() const = 0;
    virtual bool accepts_custom_sigmas() const { return true; }

    // set_timesteps(N) through retrieve_timesteps: N evenly spaced (then shifted) sigmas.
    virtual void set_timesteps(int64_t num_inference_steps) = 0;
    // set_timesteps(sigmas=...) (oss_steps): the given sigmas are shifted once more.
    virtual void set_sigmas(const std::vector<float>& sigmas);

    // One update from the model output at the current entry of timesteps().  `timestep` is that entry
    // (the first call locates it like index_for_timestep: second match if duplicated).
    virtual at::Tensor step(const at::Tensor& model_output, const at::Tensor& timestep, const at::Tensor& sample,
                            double omega, const NoiseFn& noise = {}) = 0;

    const at::Tensor& timesteps() const { return timesteps_; }  // fp32 CPU, the loop's entries
    const at::Tensor& sigmas() const { return sigmas_; }        // fp32 CPU, entries + terminal 0
    // What retrieve_timesteps returned as num_inference_steps (requested N; len(sigmas) for custom).
    int64_t num_inference_steps() const { return num_inference_steps_; }
    // sigma_max / sigma_min of the (once shifted) training table, as Python floats.
    double sigma_max() const { return sigma_max_; }
    double sigma_min() const { return sigma_min_; }
    int64_t step_index() const { return step_index_; }
    // index_for_timestep: position of `timestep` in timesteps() (the second one when duplicated).
    int64_t index_for_timestep(const at::Tensor& timestep) const;

protected:
    explicit Scheduler(double sigma_max_param);
    // Shifted fp32 sigmas (no terminal zero) for N steps between sigma_max and sigma_min (float64 math).
    at::Tensor linspace_sigmas(int64_t n) const;
    void init_step_index(const at::Tensor& timestep);

    double shift_ = 3.0;
    double sigma_max_ = 1.0, sigma_min_ = 0.0;
    at::Tensor timesteps_, sigmas_;
    int64_t num_inference_steps_ = 0;
    int64_t step_index_ = -1;
};

// "euler" | "heun" | "pingpong"; sigma_max_param < 1 starts part-way (audio2audio).
// Throws acestep::Error for an unknown name, listing the known ones.
std::unique_ptr<Scheduler> make_scheduler(const std::string& type, double sigma_max_param = 1.0);
std::vector<std::string> scheduler_names();

// The official oss_steps remapping (text2music_diffusion_process): build the max(oss) schedule,
// pick timesteps[k-1] into a tensor of `dtype` (rounding), /1000, and set them as custom sigmas.
void apply_oss_steps(Scheduler& s, const std::vector<int64_t>& oss_steps, at::ScalarType dtype);

}  // namespace acestep::pipeline
