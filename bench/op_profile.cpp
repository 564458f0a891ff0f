// RecordFunction-based operator profile (see op_profile.h).
#include "op_profile.h"

#include <ATen/record_function.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <thread>

namespace acestep::bench {

namespace {

struct Ctx : at::ObserverContext {
    std::chrono::steady_clock::time_point t0;
    bool outermost = false;
};

std::map<std::string, OpStat> g_stats;
std::thread::id g_thread;
thread_local int t_depth = 0;
std::optional<at::CallbackHandle> g_handle;

std::unique_ptr<at::ObserverContext> on_start(const at::RecordFunction&) {
    auto c = std::make_unique<Ctx>();
    if (std::this_thread::get_id() != g_thread) return c;
    c->outermost = t_depth++ == 0;
    c->t0 = std::chrono::steady_clock::now();
    return c;
}

void on_end(const at::RecordFunction& fn, at::ObserverContext* ctx) {
    if (std::this_thread::get_id() != g_thread || !ctx) return;
    --t_depth;
    auto* c = static_cast<Ctx*>(ctx);
    if (!c->outermost) return;
    OpStat& s = g_stats[fn.name()];
    s.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - c->t0).count();
    ++s.calls;
}

}  // namespace

void profile_start() {
    g_stats.clear();
    g_thread = std::this_thread::get_id();
    t_depth = 0;
    g_handle = at::addGlobalCallback(
        at::RecordFunctionCallback(on_start, on_end).scopes({at::RecordScope::FUNCTION}));
}

std::vector<std::pair<std::string, OpStat>> profile_stop() {
    if (g_handle) at::removeCallback(*g_handle);
    g_handle.reset();
    std::vector<std::pair<std::string, OpStat>> out(g_stats.begin(), g_stats.end());
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.second.seconds > b.second.seconds; });
    return out;
}

}  // namespace acestep::bench
