// LoRA scale per module from a PEFT adapter file's ranks and metadata (see include/acestep/lora_config.h).
#include "acestep/lora_config.h"

#include <nlohmann/json.hpp>

#include <cctype>
#include <cmath>
#include <sstream>

#include "acestep/error.h"

namespace acestep {

namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() > suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string fmt(double x) {
    std::ostringstream o;
    o << x;
    return o.str();
}

// A parsed pattern: '^' anchor, then characters where '\0' stands for regex '.' (any character).
struct Pattern {
    bool anchored = false;
    std::string chars;
};

Pattern compile(const std::string& p) {
    Pattern out;
    size_t i = 0;
    if (i < p.size() && p[i] == '^') out.anchored = true, ++i;
    size_t end = p.size();
    if (end > i && p[end - 1] == '$') --end;  // "(K)$": a trailing '$' changes nothing
    for (; i < end; ++i) {
        const char c = p[i];
        if (c == '.') out.chars.push_back('\0');
        else if (c == '\\' && i + 1 < end && p[i + 1] == '.') out.chars.push_back('.'), ++i;
        else if (std::isalnum((unsigned char)c) || c == '_' || c == '-') out.chars.push_back(c);
        else
            throw Error("pattern '" + p + "' uses regular-expression syntax this app does not support (only module "
                        "names, '.', '\\.' and a leading '^')");
    }
    if (out.chars.empty()) throw Error("empty pattern '" + p + "'");
    return out;
}

bool matches_at(const Pattern& p, const std::string& m, size_t start) {
    if (m.size() - start != p.chars.size()) return false;
    for (size_t k = 0; k < p.chars.size(); ++k)
        if (p.chars[k] != '\0' && p.chars[k] != m[start + k]) return false;
    return true;
}

// re.match(rf"(.*\.)?({key})$", module): the key matches the whole module, or a tail of it after a '.'.
bool pattern_matches(const Pattern& p, const std::string& m) {
    if (p.anchored) return matches_at(p, m, 0);
    if (p.chars.size() > m.size()) return false;
    for (size_t s = 0; s + p.chars.size() <= m.size(); ++s)
        if ((s == 0 || m[s - 1] == '.') && matches_at(p, m, s)) return true;
    return false;
}

using Patterns = std::vector<std::pair<Pattern, double>>;  // in the metadata's order: the first match wins

const double* lookup(const Patterns& ps, const std::string& module) {
    for (const auto& [p, v] : ps)
        if (pattern_matches(p, module)) return &v;
    return nullptr;
}

Patterns read_patterns(const nlohmann::ordered_json& j, const char* name, const std::string& where) {
    Patterns out;
    if (!j.contains(name) || j[name].is_null()) return out;
    if (!j[name].is_object()) throw Error(where + ": '" + name + "' must be an object");
    for (const auto& [k, v] : j[name].items()) {
        if (!v.is_number()) throw Error(where + ": '" + name + "." + k + "' must be a number");
        try {
            out.emplace_back(compile(k), v.get<double>());
        } catch (const Error& e) {
            throw Error(where + ": '" + name + "': " + e.what());
        }
    }
    return out;
}

}  // namespace

LoraKey parse_lora_key(const std::string& key_in) {
    std::string key = key_in;
    for (const char* prefix : {"transformer.", "base_model.model."})
        if (key.rfind(prefix, 0) == 0) key = key.substr(std::string(prefix).size());
    static const std::string sa = ".lora_A.weight", sb = ".lora_B.weight";
    if (ends_with(key, sa)) return {key.substr(0, key.size() - sa.size()), 'A'};
    if (ends_with(key, sb)) return {key.substr(0, key.size() - sb.size()), 'B'};
    return {key, 0};
}

bool lora_pattern_matches(const std::string& pattern, const std::string& module) {
    return pattern_matches(compile(pattern), module);
}

LoraScaling lora_scaling(const std::vector<std::pair<std::string, int64_t>>& ranks, const std::string* metadata,
                         const std::string& file) {
    LoraScaling out;
    if (ranks.empty()) return out;
    for (const auto& [m, r] : ranks)
        if (r <= 0) throw Error(file + ": LoRA module '" + m + "' has rank " + std::to_string(r));

    if (metadata) {
        const std::string where = file + ": lora_adapter_metadata";
        const auto j = nlohmann::ordered_json::parse(*metadata, nullptr, false);
        if (j.is_discarded() || !j.is_object()) throw Error(where + " is not a JSON object");
        if (j.contains("use_dora") && j["use_dora"].is_boolean() && j["use_dora"].get<bool>())
            throw Error(where + ": DoRA adapters (use_dora) are not supported");
        auto number = [&](const char* name, double def) {
            if (!j.contains(name) || j[name].is_null()) return def;
            if (!j[name].is_number()) throw Error(where + ": '" + name + "' must be a number");
            return j[name].get<double>();
        };
        const double r = number("r", 8), alpha = number("lora_alpha", 8);  // peft's LoraConfig defaults
        if (!(r > 0) || !std::isfinite(alpha)) throw Error(where + ": r must be positive and lora_alpha finite");
        const Patterns rank_pattern = read_patterns(j, "rank_pattern", where);
        const Patterns alpha_pattern = read_patterns(j, "alpha_pattern", where);
        for (const auto& [m, rank] : ranks) {
            const double* rp = lookup(rank_pattern, m);
            const double* ap = lookup(alpha_pattern, m);
            const double rm = rp ? *rp : r, am = ap ? *ap : alpha;
            if (rm != (double)rank)
                throw Error(where + ": module '" + m + "' has rank " + std::to_string(rank) + " in the tensors but r " +
                            fmt(rm) + " in the metadata");
            out.factor[m] = am / rm;
        }
        out.rule = "adapter metadata: scale = weight x lora_alpha / r (" + fmt(alpha) + " / " + fmt(r) +
                   (rank_pattern.empty() && alpha_pattern.empty() ? std::string(")") : std::string(", with per-module patterns)"));
        return out;
    }

    // No metadata: diffusers 0.33's get_peft_kwargs + _maybe_adjust_config.
    const int64_t first = ranks.front().second;
    std::vector<std::pair<int64_t, int>> counts;  // rank -> count, in first-seen order (Counter.most_common ties)
    for (const auto& [m, rank] : ranks) {
        bool found = false;
        for (auto& c : counts)
            if (c.first == rank) ++c.second, found = true;
        if (!found) counts.emplace_back(rank, 1);
    }
    int64_t r = counts.front().first;
    int best = counts.front().second;
    for (const auto& c : counts)
        if (c.second > best) r = c.first, best = c.second;
    size_t odd = 0;
    for (const auto& [m, rank] : ranks) odd += rank != r ? 1 : 0;
    // More than one odd-rank module: lora_alpha = r and alpha_pattern = rank_pattern -> every factor is 1.
    const double alpha = odd > 1 ? (double)r : (double)first;
    for (const auto& [m, rank] : ranks) out.factor[m] = odd > 1 ? 1.0 : alpha / (double)rank;
    if (odd == 0) out.rule = "no adapter metadata: scale = weight (rank " + std::to_string(r) + ")";
    else if (odd > 1) out.rule = "no adapter metadata, mixed ranks: scale = weight";
    else out.rule = "no adapter metadata, one module of another rank: scale = weight x " + std::to_string(first) + " / rank";
    return out;
}

}  // namespace acestep
