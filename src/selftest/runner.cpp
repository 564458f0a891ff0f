// Self-test runner: collects cases from every provider, runs the selected ones, prints one line each.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "acestep/error.h"
#include "acestep/fs_util.h"
#include "base/json_util.h"
#include "models/device.h"
#include "models/weights.h"
#include "selftest/fixture.h"

namespace acestep::selftest {

std::vector<std::pair<std::string, Provider>>& providers() {
    static std::vector<std::pair<std::string, Provider>> p;
    return p;
}

ProviderRegistrar::ProviderRegistrar(const char* name, Provider p) { providers().emplace_back(name, p); }

Fixture::Fixture(const fs::path& cases_dir, const std::string& name) : name_(name) {
    json_ = load_json_file((cases_dir / (name + ".json")).string());
    const fs::path st_path = cases_dir / (name + ".safetensors");
    std::error_code ec;
    if (fs::exists(st_path, ec)) file_ = st::File::open(st_path);
}

bool Fixture::has(const std::string& tensor) const { return file_ && file_->contains(tensor); }

at::Tensor Fixture::tensor(const std::string& tensor) const {
    if (!file_) throw Error(name_ + ": fixture has no .safetensors file");
    const auto& t = file_->at(tensor);
    return tensor_from_safetensors(t, file_, aten_dtype(t.dtype), at::Device(at::kCPU)).clone();
}

bool Context::has_case(const std::string& name) const {
    for (const auto& n : index)
        if (n == name) return true;
    return false;
}

double rel_l2(const at::Tensor& got, const at::Tensor& want) {
    if (got.sizes() != want.sizes()) return INFINITY;
    at::Tensor g = got.detach().to(at::kCPU).to(at::kDouble);
    at::Tensor w = want.detach().to(at::kCPU).to(at::kDouble);
    const double num = (g - w).norm().item<double>();
    const double den = w.norm().item<double>();
    if (den == 0.0) return num == 0.0 ? 0.0 : INFINITY;
    if (!std::isfinite(num)) return INFINITY;
    return num / den;
}

void Comparison::add(const std::string& name, const at::Tensor& got, const at::Tensor& want) {
    if (got.sizes() != want.sizes()) {
        note_ += (note_.empty() ? "" : "; ") + name + " shape " + shape_str(got.sizes()) + " vs " + shape_str(want.sizes());
        entries_.emplace_back(name, INFINITY);
        return;
    }
    const double e = rel_l2(got, want);
    entries_.emplace_back(name, std::isnan(e) ? INFINITY : e);
}

void Comparison::add_exact(const std::string& name, const at::Tensor& got, const at::Tensor& want) {
    at::Tensor g = got.to(at::kCPU).to(at::kLong).flatten(), w = want.to(at::kCPU).to(at::kLong).flatten();
    const int64_t n = std::min(g.numel(), w.numel());
    int64_t first = -1;
    auto ga = g.accessor<int64_t, 1>();
    auto wa = w.accessor<int64_t, 1>();
    for (int64_t i = 0; i < n && first < 0; ++i)
        if (ga[i] != wa[i]) first = i;
    if (first < 0 && g.numel() != w.numel()) first = n;
    if (first >= 0) {
        std::ostringstream o;
        o << name << " differs at " << first << ": got " << (first < g.numel() ? std::to_string(ga[first]) : "<end>")
          << ", want " << (first < w.numel() ? std::to_string(wa[first]) : "<end>");
        note_ += (note_.empty() ? "" : "; ") + o.str();
    }
    entries_.emplace_back(name, first < 0 ? 0.0 : 1.0);
}

CaseResult Comparison::result(double tolerance) const {
    CaseResult r;
    r.status = CaseResult::Pass;
    r.max_rel_l2 = 0.0;
    for (const auto& [n, e] : entries_)
        if (r.worst.empty() || e > r.max_rel_l2) {
            r.max_rel_l2 = e;
            r.worst = n;
        }
    if (entries_.empty()) return CaseResult::fail("nothing compared");
    if (!(r.max_rel_l2 <= tolerance)) r.status = CaseResult::Fail;
    r.note = note_;
    return r;
}

namespace {
std::string fmt_err(double e) {
    char b[32];
    std::snprintf(b, sizeof b, "%.3e", e);
    return b;
}
}  // namespace

Summary run(const Options& opt, std::ostream& out) {
    Context ctx;
    ctx.opt = opt;
    ctx.fixtures = opt.fixtures;
    ctx.cases_dir = opt.fixtures / "cases";
    ctx.checkpoint = opt.fixtures / "checkpoint";
    init_runtime(opt.threads);
    ctx.device = parse_device(opt.device);
    ctx.dtype = parse_dtype(opt.dtype, ctx.device);

    std::error_code ec;
    if (!fs::is_directory(opt.fixtures, ec)) throw Error(opt.fixtures.string() + ": no such fixture folder");
    const fs::path index_path = ctx.cases_dir / "index.json";
    if (fs::exists(index_path, ec)) {
        // ordered: keep the fixture author's case order
        auto idx = nlohmann::ordered_json::parse(read_file(index_path), nullptr, /*allow_exceptions=*/false);
        if (idx.is_discarded()) throw Error(index_path.string() + ": malformed JSON");
        if (idx.is_object())
            for (auto it = idx.begin(); it != idx.end(); ++it) ctx.index.push_back(it.key());
        else if (idx.is_array())
            for (const auto& e : idx)
                if (e.is_string()) ctx.index.push_back(e.get<std::string>());
    }

    std::vector<Case> cases;
    for (const auto& [pname, p] : providers()) {
        try {
            p(ctx, cases);
        } catch (const std::exception& e) {
            cases.push_back({"provider:" + pname, [msg = std::string(e.what())](Context&) { return CaseResult::fail(msg); }});
        }
    }
    std::set<std::string> claimed;
    for (const auto& c : cases) claimed.insert(c.name);
    for (const auto& n : ctx.index)
        if (!claimed.count(n)) {
            const std::string name = n;
            cases.push_back({name, [](Context&) { return CaseResult::skip("not implemented in this build"); }});
        }
    // Stable order: the index order first, then derived cases in provider order.
    std::vector<Case> ordered;
    std::set<std::string> placed;
    for (const auto& n : ctx.index)
        for (auto& c : cases)
            if (c.name == n && !placed.count(n)) {
                ordered.push_back(c);
                placed.insert(n);
            }
    for (auto& c : cases)
        if (!placed.count(c.name)) {
            ordered.push_back(c);
            placed.insert(c.name);
        }

    Summary s;
    for (auto& c : ordered) {
        if (!opt.filter.empty() && c.name.find(opt.filter) == std::string::npos) continue;
        CaseResult r;
        const auto t0 = std::chrono::steady_clock::now();
        try {
            r = c.run(ctx);
        } catch (const std::exception& e) {
            r = CaseResult::fail(std::string("error: ") + e.what());
        }
        const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        std::string line;
        switch (r.status) {
            case CaseResult::Pass:
                ++s.passed;
                line = "PASS " + c.name + " max_rel_l2=" + fmt_err(r.max_rel_l2);
                break;
            case CaseResult::Fail:
                ++s.failed;
                line = "FAIL " + c.name + " max_rel_l2=" + fmt_err(r.max_rel_l2);
                if (!r.worst.empty()) line += " worst=" + r.worst;
                break;
            case CaseResult::Skip:
                ++s.skipped;
                line = "SKIP " + c.name;
                break;
        }
        if (!r.note.empty()) line += (r.status == CaseResult::Skip ? " (" + r.note + ")" : " " + r.note);
        if (opt.verbose) {
            char b[32];
            std::snprintf(b, sizeof b, " [%.2fs]", secs);
            line += b;
        }
        out << line << "\n" << std::flush;
    }
    out << s.passed << " passed, " << s.failed << " failed, " << s.skipped << " skipped\n";
    return s;
}

}  // namespace acestep::selftest
