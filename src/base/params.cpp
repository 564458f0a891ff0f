// GenerationParams <-> sidecar JSON, seed lists, and parameter validation.
#include "acestep/params.h"

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>

#include "acestep/error.h"
#include "acestep/fs_util.h"
#include "base/json_util.h"

namespace acestep {

namespace {

std::string trim(const std::string& s) {
    size_t a = 0, b = s.size();
    while (a < b && std::isspace((unsigned char)s[a])) ++a;
    while (b > a && std::isspace((unsigned char)s[b - 1])) --b;
    return s.substr(a, b - a);
}

// One JSON number as a 64-bit integer: integers exactly (no trip through double, which rounds above
// 2^53), integral floats inside the int64 range; anything else names the key.
int64_t int64_value(const JsonFields& f, const char* key, const nlohmann::json& v) {
    if (v.is_number_unsigned()) {
        const uint64_t u = v.get<uint64_t>();
        if (u > (uint64_t)std::numeric_limits<int64_t>::max()) f.fail(key, "integer out of the 64-bit range");
        return (int64_t)u;
    }
    if (v.is_number_integer()) return v.get<int64_t>();
    const double d = v.get<double>();
    if (!std::isfinite(d) || d != std::floor(d)) f.fail(key, "expected integers");
    if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0)) f.fail(key, "integer out of the 64-bit range");
    return (int64_t)d;
}

// Seeds and oss_steps: an int, a "1,2,3" string, or a list of ints.
std::vector<int64_t> int_list_field(const JsonFields& f, const char* key) {
    auto v = f.get(key);
    if (!v) return {};
    if (v->is_number()) return {int64_value(f, key, *v)};
    if (v->is_string()) {
        try {
            return parse_seed_list(v->get<std::string>(), key);
        } catch (const Error& e) {
            f.fail(key, e.what());
        }
    }
    if (v->is_array()) {
        std::vector<int64_t> out;
        for (const auto& e : *v) {
            if (e.is_number()) {
                out.push_back(int64_value(f, key, e));
            } else if (e.is_string()) {
                auto l = parse_seed_list(e.get<std::string>(), key);
                out.insert(out.end(), l.begin(), l.end());
            } else {
                f.fail(key, "expected a list of integers");
            }
        }
        return out;
    }
    f.fail(key, "expected an integer, a list of integers or a \"1,2,3\" string");
}

std::optional<std::string> opt_text(const JsonFields& f, const char* key, std::optional<std::string> def) {
    auto v = f.get(key);
    if (!f.json().contains(key)) return def;
    if (!v) return std::nullopt;  // explicit null
    if (!v->is_string()) f.fail(key, "expected a string or null");
    return v->get<std::string>();
}

nlohmann::ordered_json opt_json(const std::optional<std::string>& s) {
    return s ? nlohmann::ordered_json(*s) : nlohmann::ordered_json(nullptr);
}

void check_range(const char* name, double v, double lo, double hi, const char* unit = "") {
    if (!std::isfinite(v)) throw Error(std::string(name) + " must be a finite number, got " + std::to_string(v));
    if (v < lo || v > hi) {
        std::ostringstream o;
        o << name << " must be in " << lo << ".." << hi << unit << ", got " << v;
        throw Error(o.str());
    }
}

}  // namespace

std::vector<int64_t> parse_seed_list(const std::string& text, const std::string& what) {
    std::vector<int64_t> out;
    std::string t = trim(text);
    if (t.empty() || t == "None" || t == "none" || t == "null") return out;
    std::stringstream ss(t);
    std::string item;
    while (std::getline(ss, item, ',')) {
        item = trim(item);
        if (item.empty()) continue;
        size_t pos = 0;
        long long v = 0;
        try {
            v = std::stoll(item, &pos);
        } catch (...) {
            pos = 0;
        }
        if (pos != item.size()) throw Error(what + ": '" + item + "' is not an integer");
        if (v < 0 || v > 4294967295ll) throw Error(what + ": " + item + " is outside 0..4294967295");
        out.push_back(v);
    }
    return out;
}

std::string seed_list_to_string(const std::vector<int64_t>& seeds) {
    std::string s;
    for (size_t i = 0; i < seeds.size(); ++i) s += (i ? "," : "") + std::to_string(seeds[i]);
    return s;
}

GenerationParams params_from_json(const nlohmann::json& j, const std::string& where) {
    JsonFields f(j, where);
    GenerationParams p;
    p.format = f.opt_str("format", p.format);
    p.lora_name_or_path = f.opt_str("lora_name_or_path", p.lora_name_or_path);
    p.lora_weight = f.opt_num("lora_weight", p.lora_weight);
    p.task = f.opt_str("task", p.task);
    p.prompt = f.opt_str("prompt", p.prompt);
    p.lyrics = f.opt_str("lyrics", p.lyrics);
    p.audio_duration = f.opt_num("audio_duration", p.audio_duration);
    p.infer_step = f.opt_int("infer_step", p.infer_step);
    p.guidance_scale = f.opt_num("guidance_scale", p.guidance_scale);
    p.scheduler_type = f.opt_str("scheduler_type", p.scheduler_type);
    p.cfg_type = f.opt_str("cfg_type", p.cfg_type);
    p.omega_scale = f.opt_num("omega_scale", p.omega_scale);
    p.guidance_interval = f.opt_num("guidance_interval", p.guidance_interval);
    p.guidance_interval_decay = f.opt_num("guidance_interval_decay", p.guidance_interval_decay);
    p.min_guidance_scale = f.opt_num("min_guidance_scale", p.min_guidance_scale);
    p.use_erg_tag = f.opt_bool("use_erg_tag", p.use_erg_tag);
    p.use_erg_lyric = f.opt_bool("use_erg_lyric", p.use_erg_lyric);
    p.use_erg_diffusion = f.opt_bool("use_erg_diffusion", p.use_erg_diffusion);
    p.oss_steps = int_list_field(f, "oss_steps");
    // A call-argument dump says manual_seeds; a saved sidecar says actual_seeds (the official
    // "Load" turns actual_seeds into the manual seeds).
    p.manual_seeds = f.has("manual_seeds") ? int_list_field(f, "manual_seeds") : int_list_field(f, "actual_seeds");
    p.retake_seeds = int_list_field(f, "retake_seeds");
    p.retake_variance = f.opt_num("retake_variance", p.retake_variance);
    p.guidance_scale_text = f.opt_num("guidance_scale_text", p.guidance_scale_text);
    p.guidance_scale_lyric = f.opt_num("guidance_scale_lyric", p.guidance_scale_lyric);
    p.repaint_start = f.opt_num("repaint_start", p.repaint_start);
    p.repaint_end = f.opt_num("repaint_end", p.repaint_end);
    p.edit_n_min = f.opt_num("edit_n_min", p.edit_n_min);
    p.edit_n_max = f.opt_num("edit_n_max", p.edit_n_max);
    p.edit_n_avg = f.opt_int("edit_n_avg", p.edit_n_avg);
    p.src_audio_path = opt_text(f, "src_audio_path", p.src_audio_path);
    p.edit_target_prompt = opt_text(f, "edit_target_prompt", p.edit_target_prompt);
    p.edit_target_lyrics = opt_text(f, "edit_target_lyrics", p.edit_target_lyrics);
    p.audio2audio_enable = f.opt_bool("audio2audio_enable", p.audio2audio_enable);
    p.ref_audio_strength = f.opt_num("ref_audio_strength", p.ref_audio_strength);
    p.ref_audio_input = opt_text(f, "ref_audio_input", p.ref_audio_input);
    p.batch_size = f.opt_int("batch_size", p.batch_size);
    p.lyrics_language = f.opt_str("lyrics_language", p.lyrics_language);
    p.actual_seeds = int_list_field(f, "actual_seeds");
    p.actual_retake_seeds = p.retake_seeds;
    if (auto tc = f.get("timecosts"); tc && tc->is_object()) {
        JsonFields t(*tc, where + ": timecosts");
        p.timecosts.preprocess = t.opt_num("preprocess", 0.0);
        p.timecosts.diffusion = t.opt_num("diffusion", 0.0);
        p.timecosts.latent2audio = t.opt_num("latent2audio", 0.0);
    }
    p.audio_path = f.opt_str("audio_path", "");
    return p;
}

GenerationParams load_params_file(const std::string& path) {
    return params_from_json(load_json_file(path), path);
}

nlohmann::ordered_json params_to_json(const GenerationParams& p) {
    nlohmann::ordered_json j;
    j["format"] = p.format;
    j["lora_name_or_path"] = p.lora_name_or_path;
    j["lora_weight"] = p.lora_weight;
    j["task"] = p.task;
    j["prompt"] = p.prompt;
    j["lyrics"] = p.lyrics;
    j["audio_duration"] = p.audio_duration;
    j["infer_step"] = p.infer_step;
    j["guidance_scale"] = p.guidance_scale;
    j["scheduler_type"] = p.scheduler_type;
    j["cfg_type"] = p.cfg_type;
    j["omega_scale"] = p.omega_scale;
    j["guidance_interval"] = p.guidance_interval;
    j["guidance_interval_decay"] = p.guidance_interval_decay;
    j["min_guidance_scale"] = p.min_guidance_scale;
    j["use_erg_tag"] = p.use_erg_tag;
    j["use_erg_lyric"] = p.use_erg_lyric;
    j["use_erg_diffusion"] = p.use_erg_diffusion;
    j["oss_steps"] = p.oss_steps;
    j["timecosts"] = {{"preprocess", p.timecosts.preprocess},
                      {"diffusion", p.timecosts.diffusion},
                      {"latent2audio", p.timecosts.latent2audio}};
    j["actual_seeds"] = p.actual_seeds.empty() ? p.manual_seeds : p.actual_seeds;
    j["retake_seeds"] = p.actual_retake_seeds.empty() ? p.retake_seeds : p.actual_retake_seeds;
    j["retake_variance"] = p.retake_variance;
    j["guidance_scale_text"] = p.guidance_scale_text;
    j["guidance_scale_lyric"] = p.guidance_scale_lyric;
    j["repaint_start"] = p.repaint_start;
    j["repaint_end"] = p.repaint_end;
    j["edit_n_min"] = p.edit_n_min;
    j["edit_n_max"] = p.edit_n_max;
    j["edit_n_avg"] = p.edit_n_avg;
    j["src_audio_path"] = opt_json(p.src_audio_path);
    j["edit_target_prompt"] = opt_json(p.edit_target_prompt);
    j["edit_target_lyrics"] = opt_json(p.edit_target_lyrics);
    j["audio2audio_enable"] = p.audio2audio_enable;
    j["ref_audio_strength"] = p.ref_audio_strength;
    j["ref_audio_input"] = opt_json(p.ref_audio_input);
    j["audio_path"] = p.audio_path;
    j["batch_size"] = p.batch_size;
    j["lyrics_language"] = p.lyrics_language;
    return j;
}

std::string params_to_json_text(const GenerationParams& p) {
    return params_to_json(p).dump(4, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

void validate_params(const GenerationParams& p) {
    static const char* kTasks[] = {"text2music", "retake", "repaint", "edit", "extend", "audio2audio"};
    bool task_ok = false;
    for (auto t : kTasks) task_ok |= p.task == t;
    if (!task_ok) throw Error("task must be one of text2music, retake, repaint, edit, extend, audio2audio; got '" + p.task + "'");
    if (p.scheduler_type != "euler" && p.scheduler_type != "heun" && p.scheduler_type != "pingpong")
        throw Error("scheduler_type must be euler, heun or pingpong; got '" + p.scheduler_type + "'");
    if (p.cfg_type != "apg" && p.cfg_type != "cfg" && p.cfg_type != "cfg_star")
        throw Error("cfg_type must be apg, cfg or cfg_star; got '" + p.cfg_type + "'");
    static const char* kFormats[] = {"wav", "flac", "ogg", "mp3", "opus"};
    bool fmt_ok = false;
    for (auto f : kFormats) fmt_ok |= p.format == f;
    if (!fmt_ok) throw Error("format must be wav, flac, ogg, mp3 or opus; got '" + p.format + "'");
    if (!std::isfinite(p.audio_duration)) throw Error("audio_duration must be a finite number");
    if (p.audio_duration > 0) check_range("audio_duration", p.audio_duration, kMinDurationSeconds, kMaxDurationSeconds, " s (or <= 0 for random)");
    if (p.infer_step < 1 || p.infer_step > kMaxInferSteps)
        throw Error("infer_step must be in 1.." + std::to_string(kMaxInferSteps) + ", got " + std::to_string(p.infer_step));
    if (p.batch_size < 1 || p.batch_size > kMaxBatchSize)
        throw Error("batch_size must be in 1.." + std::to_string(kMaxBatchSize) + ", got " + std::to_string(p.batch_size));
    check_range("guidance_scale", p.guidance_scale, 0, 200);
    check_range("omega_scale", p.omega_scale, -1000, 1000);
    check_range("guidance_interval", p.guidance_interval, 0, 1);
    check_range("guidance_interval_decay", p.guidance_interval_decay, 0, 1);
    check_range("min_guidance_scale", p.min_guidance_scale, 0, 200);
    check_range("guidance_scale_text", p.guidance_scale_text, 0, 200);
    check_range("guidance_scale_lyric", p.guidance_scale_lyric, 0, 200);
    check_range("retake_variance", p.retake_variance, 0, 1);
    check_range("repaint_start", p.repaint_start, -kMaxDurationSeconds, 2 * 3600);
    check_range("repaint_end", p.repaint_end, -kMaxDurationSeconds, 2 * 3600);
    check_range("edit_n_min", p.edit_n_min, 0, 1);
    check_range("edit_n_max", p.edit_n_max, 0, 1);
    if (p.edit_n_avg < 1 || p.edit_n_avg > 64) throw Error("edit_n_avg must be in 1..64, got " + std::to_string(p.edit_n_avg));
    check_range("ref_audio_strength", p.ref_audio_strength, 0, 1);
    check_range("lora_weight", p.lora_weight, -10, 10);
    for (auto s : p.oss_steps)
        if (s < 1 || s > kMaxInferSteps) throw Error("oss_steps entries must be in 1.." + std::to_string(kMaxInferSteps) + ", got " + std::to_string(s));
    for (auto s : p.manual_seeds)
        if (s < 0 || s > 4294967295ll) throw Error("seeds must be in 0..4294967295, got " + std::to_string(s));
    for (auto s : p.retake_seeds)
        if (s < 0 || s > 4294967295ll) throw Error("retake_seeds must be in 0..4294967295, got " + std::to_string(s));
    if (p.prompt.size() > 64 * 1024) throw Error("prompt is longer than 64 KiB");
    if (p.lyrics.size() > 256 * 1024) throw Error("lyrics are longer than 256 KiB");
}

}  // namespace acestep
