// Self-test cases scheduler_{euler,heun,pingpong}_*: the official schedulers driven by the recorded
// toy model v = a*x + b*(t/1000) from x0; timesteps, sigmas, every state and model output must match
// (relative L2 <= 1e-6).  PingPong's noise is fed from the recorded draws, in order.
#include "pipeline/scheduler.h"
#include "selftest/fixture.h"

namespace acestep::selftest {

namespace {

CaseResult run_scheduler_case(Context& ctx, const std::string& name) {
    auto fx = ctx.fixture(name);
    const auto& j = fx.json();
    const std::string type = j.at("scheduler").get<std::string>();
    const double smax = j.contains("sigma_max") && !j["sigma_max"].is_null() ? j["sigma_max"].get<double>() : 1.0;
    const int64_t n = j.at("num_inference_steps").get<int64_t>();
    const double omega = j.value("omega", 10.0), a = j.at("a").get<double>(), b = j.at("b").get<double>();

    auto sched = pipeline::make_scheduler(type, smax);
    sched->set_timesteps(n);
    at::Tensor draws = fx.has("noise_draws") ? fx.tensor("noise_draws") : at::Tensor();
    int64_t next_draw = 0;
    pipeline::NoiseFn noise = [&](const at::Tensor& like) {
        if (!draws.defined() || next_draw >= draws.size(0)) throw std::runtime_error("more noise drawn than recorded");
        return draws[next_draw++].to(like.scalar_type());
    };

    const at::Tensor& ts = sched->timesteps();
    std::vector<at::Tensor> states{fx.tensor("x0")}, outputs;
    for (int64_t i = 0; i < ts.size(0); ++i) {
        at::Tensor t = ts[i];
        at::Tensor x = states.back();
        at::Tensor v = x * a + (t / 1000) * b;
        outputs.push_back(v);
        states.push_back(sched->step(v, t, x, omega, noise));
    }
    Comparison cmp;
    cmp.add("timesteps", ts, fx.tensor("timesteps"));
    cmp.add("sigmas", sched->sigmas(), fx.tensor("sigmas"));
    cmp.add("states", at::stack(states), fx.tensor("states"));
    cmp.add("model_outputs", at::stack(outputs), fx.tensor("model_outputs"));
    if (draws.defined() && next_draw != draws.size(0)) return CaseResult::fail("used " + std::to_string(next_draw) + " of " +
                                                                              std::to_string(draws.size(0)) + " noise draws");
    return cmp.result(1e-6);
}

void scheduler_cases(Context& ctx, std::vector<Case>& out) {
    for (const auto& name : ctx.index)
        if (name.rfind("scheduler_", 0) == 0)
            out.push_back({name, [name](Context& c) { return run_scheduler_case(c, name); }});
}

}  // namespace

ACESTEP_SELFTEST_PROVIDER(scheduler_cases);

}  // namespace acestep::selftest
