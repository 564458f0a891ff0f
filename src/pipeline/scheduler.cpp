// Flow-matching samplers (see scheduler.h): sigma tables and step rules, exact to the official code.
#include "pipeline/scheduler.h"

#include <cmath>

#include "acestep/error.h"

namespace acestep::pipeline {

namespace {

constexpr int64_t kTrainTimesteps = 1000;

// numpy.linspace(start, stop, num) in float64: i*step + start, the last element exactly `stop`.
std::vector<double> np_linspace(double start, double stop, int64_t num) {
    std::vector<double> y((size_t)std::max<int64_t>(num, 0));
    if (num <= 0) return y;
    const int64_t div = num - 1;
    if (div > 0) {
        const double step = (stop - start) / (double)div;
        for (int64_t i = 0; i < num; ++i) y[(size_t)i] = (double)i * step + start;
        y[(size_t)num - 1] = stop;
    } else {
        y[0] = start;
    }
    return y;
}

at::Tensor cpu_floats(const std::vector<float>& v) {
    at::Tensor t = at::empty({(int64_t)v.size()}, at::kFloat);
    std::copy(v.begin(), v.end(), t.data_ptr<float>());
    return t;
}

// torch: shift * sigmas / (1 + (shift - 1) * sigmas), fp32 tensor arithmetic.
at::Tensor shift_fp32(const at::Tensor& s, double shift) { return (s * shift) / ((s * (shift - 1.0)) + 1); }

// Mean-centred granularity scaling shared by Euler and Heun: dx' = (dx - mean(dx)) * omega' + mean(dx).
at::Tensor granular(const at::Tensor& dx, double omega_r) {
    at::Tensor m = dx.mean();
    return (dx - m) * omega_r + m;
}

class EulerScheduler : public Scheduler {
public:
    explicit EulerScheduler(double smax) : Scheduler(smax) {}
    const char* name() const override { return "euler"; }

    void set_timesteps(int64_t n) override {
        set_table(linspace_sigmas(n));
        num_inference_steps_ = n;
    }
    void set_sigmas(const std::vector<float>& s) override {
        // numpy float32: shift * sigmas / (1 + (shift - 1) * sigmas)
        std::vector<float> out(s.size());
        const float sh = (float)shift_, shm1 = (float)(shift_ - 1.0);
        for (size_t i = 0; i < s.size(); ++i) {
            const float num = sh * s[i];
            const float den = 1.0f + shm1 * s[i];  // shm1 * s is exact (x2), so contraction cannot matter
            out[i] = num / den;
        }
        set_table(cpu_floats(out));
        num_inference_steps_ = (int64_t)s.size();
    }

    at::Tensor step(const at::Tensor& v, const at::Tensor& t, const at::Tensor& sample, double omega,
                    const NoiseFn&) override {
        if (step_index_ < 0) init_step_index(t);
        const double omega_r = omega_rescale(omega);
        at::Tensor x = sample.to(at::kFloat);
        at::Tensor sigma = sigmas_[step_index_], sigma_next = sigmas_[step_index_ + 1];
        at::Tensor dx = (sigma_next - sigma) * v;  // 0-dim fp32 does not promote: model dtype (Q22)
        at::Tensor prev = x + granular(dx, omega_r);
        ++step_index_;
        return prev.to(v.scalar_type());
    }

protected:
    void set_table(const at::Tensor& sig) {
        timesteps_ = sig * (double)kTrainTimesteps;
        sigmas_ = at::cat({sig, at::zeros({1}, at::kFloat)});
        step_index_ = -1;
    }
};

class PingPongScheduler : public EulerScheduler {
public:
    explicit PingPongScheduler(double smax) : EulerScheduler(smax) {}
    const char* name() const override { return "pingpong"; }

    at::Tensor step(const at::Tensor& v, const at::Tensor& t, const at::Tensor& sample, double,
                    const NoiseFn& noise) override {
        if (step_index_ < 0) init_step_index(t);
        if (!noise) throw Error("pingpong scheduler: no noise source");
        at::Tensor x = sample.to(at::kFloat);
        at::Tensor sigma = sigmas_[step_index_], sigma_next = sigmas_[step_index_ + 1];
        at::Tensor denoised = x - sigma * v;
        at::Tensor eps = noise(x);  // drawn on every step, also the last one (sigma_next = 0)
        at::Tensor prev = (1 - sigma_next) * denoised + sigma_next * eps;
        ++step_index_;
        return prev.to(v.scalar_type());
    }
};

class HeunScheduler : public Scheduler {
public:
    explicit HeunScheduler(double smax) : Scheduler(smax) {}
    const char* name() const override { return "heun"; }
    bool accepts_custom_sigmas() const override { return false; }

    void set_timesteps(int64_t n) override {
        at::Tensor sig = linspace_sigmas(n);
        at::Tensor ts = sig * (double)kTrainTimesteps;
        timesteps_ = at::cat({ts.slice(0, 0, 1), ts.slice(0, 1).repeat_interleave(2)});
        at::Tensor s = at::cat({sig, at::zeros({1}, at::kFloat)});
        sigmas_ = at::cat({s.slice(0, 0, 1), s.slice(0, 1, s.size(0) - 1).repeat_interleave(2), s.slice(0, s.size(0) - 1)});
        num_inference_steps_ = n;
        prev_derivative_ = at::Tensor();
        dt_ = at::Tensor();
        stored_ = at::Tensor();
        step_index_ = -1;
    }

    at::Tensor step(const at::Tensor& v, const at::Tensor& t, const at::Tensor& sample, double omega,
                    const NoiseFn&) override {
        if (step_index_ < 0) init_step_index(t);
        const double omega_r = omega_rescale(omega);
        at::Tensor x = sample.to(at::kFloat);
        const bool first_order = !dt_.defined();
        at::Tensor sigma = first_order ? sigmas_[step_index_] : sigmas_[step_index_ - 1];
        at::Tensor sigma_next = first_order ? sigmas_[step_index_ + 1] : sigmas_[step_index_];
        at::Tensor sigma_hat = sigma * 1.0;  // s_churn = 0: gamma = 0, no noise is ever drawn
        at::Tensor derivative, dt;
        if (first_order) {
            at::Tensor denoised = x - v * sigma;
            derivative = (x - denoised) / sigma_hat;
            dt = sigma_next - sigma_hat;
            prev_derivative_ = derivative;
            dt_ = dt;
            stored_ = x;
        } else {
            at::Tensor denoised = x - v * sigma_next;
            derivative = (x - denoised) / sigma_next;
            derivative = 0.5 * (prev_derivative_ + derivative);
            dt = dt_;
            x = stored_;
            prev_derivative_ = at::Tensor();
            dt_ = at::Tensor();
            stored_ = at::Tensor();
        }
        at::Tensor prev = x + granular(derivative * dt, omega_r);
        ++step_index_;
        return prev.to(v.scalar_type());
    }

private:
    at::Tensor prev_derivative_, dt_, stored_;
};

}  // namespace

double omega_rescale(double omega) {
    const double L = 0.9, U = 1.1, k = 0.1, x0 = 0.0;
    return L + (U - L) / (1 + std::exp(-k * (omega - x0)));
}

Scheduler::Scheduler(double sigma_max_param) {
    if (!(sigma_max_param > 0.0) || sigma_max_param > 1.0 || !std::isfinite(sigma_max_param))
        throw Error("scheduler: sigma_max must be in (0, 1], got " + std::to_string(sigma_max_param));
    // np.linspace(1, sigma_max * 1000, 1000, dtype=float32)[::-1], / 1000, shifted once (torch fp32).
    std::vector<double> lin = np_linspace(1.0, sigma_max_param * (double)kTrainTimesteps, kTrainTimesteps);
    std::vector<float> rev(lin.size());
    for (size_t i = 0; i < lin.size(); ++i) rev[i] = (float)lin[lin.size() - 1 - i];
    at::Tensor sig = shift_fp32(cpu_floats(rev) / (double)kTrainTimesteps, shift_);
    sigma_max_ = (double)sig[0].item<float>();
    sigma_min_ = (double)sig[-1].item<float>();
    timesteps_ = sig * (double)kTrainTimesteps;
    sigmas_ = sig;
}

void Scheduler::set_sigmas(const std::vector<float>&) {
    throw Error(std::string("the ") + name() + " scheduler does not support oss_steps (custom sigmas); use euler or pingpong");
}

at::Tensor Scheduler::linspace_sigmas(int64_t n) const {
    if (n < 1) throw Error("scheduler: the number of steps must be at least 1, got " + std::to_string(n));
    std::vector<double> ts = np_linspace(sigma_max_ * (double)kTrainTimesteps, sigma_min_ * (double)kTrainTimesteps, n);
    std::vector<float> out(ts.size());
    for (size_t i = 0; i < ts.size(); ++i) {
        const double s = ts[i] / (double)kTrainTimesteps;
        out[i] = (float)(shift_ * s / (1 + (shift_ - 1) * s));
    }
    return cpu_floats(out);
}

void Scheduler::init_step_index(const at::Tensor& timestep) { step_index_ = index_for_timestep(timestep); }

int64_t Scheduler::index_for_timestep(const at::Tensor& timestep) const {
    // exact equality; the second match when the value occurs more than once
    const float t = timestep.to(at::kCPU).to(at::kFloat).item<float>();
    const float* ts = timesteps_.data_ptr<float>();
    std::vector<int64_t> hits;
    for (int64_t i = 0; i < timesteps_.size(0); ++i)
        if (ts[i] == t) hits.push_back(i);
    if (hits.empty()) throw Error(std::string(name()) + " scheduler: timestep " + std::to_string(t) + " is not in the schedule");
    return hits.size() > 1 ? hits[1] : hits[0];
}

std::unique_ptr<Scheduler> make_scheduler(const std::string& type, double sigma_max_param) {
    if (type == "euler") return std::make_unique<EulerScheduler>(sigma_max_param);
    if (type == "heun") return std::make_unique<HeunScheduler>(sigma_max_param);
    if (type == "pingpong") return std::make_unique<PingPongScheduler>(sigma_max_param);
    throw Error("scheduler_type must be euler, heun or pingpong; got '" + type + "'");
}

std::vector<std::string> scheduler_names() { return {"euler", "heun", "pingpong"}; }

void apply_oss_steps(Scheduler& s, const std::vector<int64_t>& oss, at::ScalarType dtype) {
    if (oss.empty()) return;
    if (!s.accepts_custom_sigmas())
        throw Error(std::string("oss_steps cannot be used with the ") + s.name() + " scheduler (use euler or pingpong)");
    int64_t n = 0;
    for (auto k : oss) {
        if (k < 1) throw Error("oss_steps entries must be >= 1, got " + std::to_string(k));
        n = std::max(n, k);
    }
    s.set_timesteps(n);
    const at::Tensor& ts = s.timesteps();
    at::Tensor picked = at::zeros({(int64_t)oss.size()}, at::TensorOptions().dtype(dtype));
    for (size_t i = 0; i < oss.size(); ++i) picked[(int64_t)i] = ts[oss[i] - 1];  // rounds to dtype
    at::Tensor sig = (picked / 1000).to(at::kFloat).contiguous();
    std::vector<float> v(sig.data_ptr<float>(), sig.data_ptr<float>() + sig.numel());
    s.set_sigmas(v);
}

}  // namespace acestep::pipeline
