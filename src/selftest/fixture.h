// Self-test internals: fixture access, tensor comparison, and the provider registry.
//
// A provider looks at the fixture folder and contributes the cases it can run:
//
//     static void my_cases(selftest::Context& ctx, std::vector<selftest::Case>& out) {
//         if (!ctx.has_case("vocoder_decode")) return;
//         out.push_back({"vocoder_decode", [](selftest::Context& ctx) {
//             auto fx = ctx.fixture("vocoder_decode");
//             selftest::Comparison cmp;
//             cmp.add("wav", run_vocoder(fx.tensor("mel")), fx.tensor("wav"));
//             return cmp.result(1e-5);
//         }});
//     }
//     ACESTEP_SELFTEST_PROVIDER(my_cases);
//
// Cases listed in cases/index.json that no provider claims are reported as SKIP.
#pragma once

#include <ATen/ATen.h>

#include <any>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "acestep/safetensors.h"
#include "acestep/selftest.h"

namespace acestep::selftest {

namespace fs = std::filesystem;

struct CaseResult {
    enum Status { Pass, Fail, Skip } status = Pass;
    double max_rel_l2 = 0.0;
    std::string worst;  // name of the worst tensor
    std::string note;   // extra text (first differing token, skip reason, error)

    static CaseResult skip(std::string why) { return {Skip, 0.0, "", std::move(why)}; }
    static CaseResult fail(std::string why) { return {Fail, 0.0, "", std::move(why)}; }
};

// One recorded case: NAME.json + NAME.safetensors (the latter optional).
class Fixture {
public:
    Fixture(const fs::path& cases_dir, const std::string& name);
    const std::string& name() const { return name_; }
    const nlohmann::json& json() const { return json_; }
    bool has(const std::string& tensor) const;
    at::Tensor tensor(const std::string& tensor) const;  // CPU, stored dtype (float32 / int64), owned copy

private:
    std::string name_;
    nlohmann::json json_;
    std::shared_ptr<st::File> file_;
};

struct Context {
    Options opt;
    fs::path fixtures;    // root
    fs::path cases_dir;   // fixtures/cases
    fs::path checkpoint;  // fixtures/checkpoint
    std::vector<std::string> index;  // case names from cases/index.json
    at::Device device{at::kCPU};
    at::ScalarType dtype = at::kFloat;
    std::map<std::string, std::any> cache;  // shared objects (loaded models) between cases

    bool has_case(const std::string& name) const;
    Fixture fixture(const std::string& name) const { return Fixture(cases_dir, name); }

    // Returns the cached object of type T under `key`, creating it with make() the first time.
    template <class T, class F>
    std::shared_ptr<T> cached(const std::string& key, F make) {
        auto it = cache.find(key);
        if (it != cache.end()) return std::any_cast<std::shared_ptr<T>>(it->second);
        std::shared_ptr<T> v = make();
        cache[key] = v;
        return v;
    }
};

struct Case {
    std::string name;
    std::function<CaseResult(Context&)> run;
};

using Provider = void (*)(Context& ctx, std::vector<Case>& out);

struct ProviderRegistrar {
    ProviderRegistrar(const char* name, Provider p);
};
std::vector<std::pair<std::string, Provider>>& providers();

#define ACESTEP_SELFTEST_PROVIDER(fn) \
    static ::acestep::selftest::ProviderRegistrar acestep_selftest_registrar_##fn(#fn, fn)

// ||a - b|| / ||b|| in float64 (0 when both are zero; inf on shape mismatch).
double rel_l2(const at::Tensor& got, const at::Tensor& want);

// Collects per-tensor relative L2 errors and decides the case.
class Comparison {
public:
    // Compares got to want; a shape mismatch counts as an infinite error with a note.
    void add(const std::string& name, const at::Tensor& got, const at::Tensor& want);
    // Exact comparison of integer tensors (token ids): error 0 or 1, note shows the first difference.
    void add_exact(const std::string& name, const at::Tensor& got, const at::Tensor& want);
    CaseResult result(double tolerance) const;
    const std::vector<std::pair<std::string, double>>& entries() const { return entries_; }

private:
    std::vector<std::pair<std::string, double>> entries_;
    std::string note_;
};

}  // namespace acestep::selftest
