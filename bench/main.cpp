// acestep-bench: speed and memory of the ACE-Step engine on this machine (not a test).
//
// For a model — a checkpoint folder (--checkpoint) or the real/medium/tiny sizes with random weights
// made in memory (--size) — it times each stage (text encoder, lyric encoder, condition encoder,
// cross-attention K/V, one DiT pass at the duration's latent width), reports the DiT's achieved
// GFLOP/s against a matmul peak measured here in the same dtype, the peak RSS, and estimates the
// diffusion time of a whole generation from the pass count of the chosen steps / scheduler /
// guidance. --compare runs each fast-path change both ways in the same process and prints the time
// ratio and the output difference (fast vs plain). One table, or one JSON object with --json.
// See bench/README.md.
#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "acestep/checkpoint.h"
#include "acestep/config.h"
#include "acestep/error.h"
#include "acestep/version.h"
#include "bench_util.h"
#include "cli/args.h"
#include "models/device.h"
#include "models/dit.h"
#include "models/umt5.h"
#include "models/weights.h"
#include "pipeline/diffusion.h"
#include "pipeline/guidance.h"
#include "pipeline/model_store.h"
#include "pipeline/pipeline.h"
#include "op_profile.h"
#include "random_weights.h"

using namespace acestep;
using namespace acestep::bench;
using json = nlohmann::ordered_json;

namespace {

struct Options {
    std::string checkpoint, size = "medium";
    double duration = 10;
    int64_t steps = 27;
    std::string scheduler = "euler", cfg_type = "apg";
    double guidance_scale = 15, guidance_interval = 0.5;
    std::string dtype = "auto", device = "cpu";
    int threads = 0;
    int passes = 3;
    int64_t text_tokens = 24, lyric_tokens = 128;
    std::string compare;
    bool json = false;
    bool profile = false;
    bool e2e = false;
    int64_t seed = 1;
};

struct Sizes {
    DitConfig dit;
    Umt5Config umt5;
    std::string label;
};

Sizes sizes_for(const std::string& size) {
    Sizes s;
    s.dit = real_dit_config();
    s.umt5 = real_umt5_config();
    if (size == "full") {
        s.label = "full (real config sizes, random weights)";
    } else if (size == "medium") {
        s.dit.num_layers = 4;
        s.umt5.vocab_size = 32128;
        s.label = "medium (real widths, 4 DiT blocks, UMT5 vocab 32128, random weights)";
    } else if (size == "tiny") {
        s.dit.num_layers = 20;
        s.dit.num_attention_heads = 2;
        s.dit.attention_head_dim = 32;
        s.dit.text_embedding_dim = 32;
        s.dit.lyric_hidden_size = 128;
        s.dit.ssl_latent_dims = {48, 32};
        s.dit.lyric_encoder = {128, 2, 256, 6};
        s.umt5.d_model = 32;
        s.umt5.d_kv = 16;
        s.umt5.num_heads = 2;
        s.umt5.d_ff = 64;
        s.umt5.vocab_size = 1000;
        s.label = "tiny (fixture sizes, random weights)";
    } else {
        throw Error("--size must be tiny, medium or full; got '" + size + "'");
    }
    return s;
}

// DiT evaluations of one generation (model.md §11.1): one per step (Heun: two but the last), plus one
// unconditional pass per step inside the guidance interval when guidance is on.
int64_t dit_evaluations(const Options& o) {
    const int64_t n = o.steps;
    int64_t evals = o.scheduler == "heun" ? 2 * n - 1 : n;
    if (o.guidance_scale > 1.0) {
        const auto gi = pipeline::guidance_interval(n, o.guidance_interval);
        for (int64_t i = 0; i < n; ++i) evals += gi.contains(i) ? 1 : 0;
    }
    return evals;
}

struct Model {
    std::shared_ptr<st::File> dit_image, umt5_image;  // random weights (kept to build other dtypes)
    std::optional<AceStepTransformer> dit;
    std::optional<Umt5Encoder> umt5;
};

Model load_model(const Options& o, const Sizes& sz, bool from_checkpoint, const CheckpointPaths* ck, at::ScalarType dtype,
                 at::Device device, const Model* images_from = nullptr) {
    Model m;
    if (from_checkpoint) {
        m.dit.emplace(AceStepTransformer::load_folder(ck->dit.dir.string(), dtype, device));
        m.umt5.emplace(Umt5Encoder::load(ck->umt5, dtype, device));
        return m;
    }
    if (images_from) {
        m.dit_image = images_from->dit_image;
        m.umt5_image = images_from->umt5_image;
    } else {
        ShapeList dit_shapes;
        for (auto& [k, s] : AceStepTransformer::parameter_shapes(sz.dit)) dit_shapes.emplace_back(k, s);
        m.dit_image = random_safetensors(dit_shapes, dtype, (uint64_t)o.seed, "random DiT (" + o.size + ")");
        m.umt5_image = random_safetensors(umt5_shapes(sz.umt5), dtype, (uint64_t)o.seed + 1, "random UMT5 (" + o.size + ")");
    }
    {
        Weights w(m.dit_image, dtype, device);
        WeightsSource src(w);
        m.dit.emplace(AceStepTransformer::load(sz.dit, src));
    }
    {
        Weights w(m.umt5_image, dtype, device);
        m.umt5.emplace(sz.umt5, w);
    }
    return m;
}

std::string fmt(const char* f, double v) {
    char b[64];
    std::snprintf(b, sizeof b, f, v);
    return b;
}

struct Row {
    std::string stage;
    double seconds;  // < 0: no time
    std::string note;
};

struct CompareRow {
    std::string name, plain, fast;
    double plain_s, fast_s, rel_l2;
    std::string note;
    double plain_cpu = 0, fast_cpu = 0;
};

int run(int argc, char** argv) {
    Options o;
    cli::Args a("acestep-bench", "acestep-bench [options]",
                "Times the ACE-Step engine's stages on this machine (see bench/README.md).");
    a.option("--checkpoint", &o.checkpoint, "DIR", "a checkpoint folder (else random weights of --size)");
    a.option("--size", &o.size, "S", "tiny | medium | full: random weights of that size");
    a.option("--duration", &o.duration, "SEC", "audio seconds (sets the latent width)");
    a.option("--steps", &o.steps, "N", "diffusion steps");
    a.option("--scheduler", &o.scheduler, "NAME", "euler | heun | pingpong (pass count)");
    a.option("--cfg-type", &o.cfg_type, "NAME", "apg | cfg | cfg_star");
    a.option("--guidance-scale", &o.guidance_scale, "X", "guidance scale (<= 1: no unconditional passes)");
    a.option("--guidance-interval", &o.guidance_interval, "X", "fraction of the steps that are guided");
    a.option("--dtype", &o.dtype, "T", "fp32 | bf16 | auto (bf16 on GPUs and CPUs with fast bf16)");
    a.option("--threads", &o.threads, "N", "CPU threads (0 = all cores)");
    a.option("--device", &o.device, "D", "cpu | cuda | cuda:N | auto");
    a.option("--passes", &o.passes, "N", "timed DiT passes (median; one more untimed warm-up)");
    a.option("--text-tokens", &o.text_tokens, "T", "prompt tokens fed to the text encoder");
    a.option("--lyric-tokens", &o.lyric_tokens, "L", "lyric tokens fed to the lyric encoder");
    a.option("--compare", &o.compare, "LIST",
             "run fast-path changes both ways: kvcache,consts,ftz,threads,bf16 or all (bf16 builds a second model)");
    a.option("--seed", &o.seed, "N", "seed of the random weights and inputs");
    a.flag("--json", &o.json, "print one JSON object instead of the table");
    a.flag("--profile", &o.profile, "also list the ATen operators one DiT pass spends its time in");
    a.flag("--e2e", &o.e2e, "with --checkpoint: also run one real generation through the model store and pipeline");
    if (!a.parse(argc, argv)) return 0;
    if (o.duration <= 0 || o.steps < 1 || o.passes < 1 || o.text_tokens < 1 || o.lyric_tokens < 1)
        throw Error("--duration, --steps, --passes, --text-tokens and --lyric-tokens must be positive");

    std::set<std::string> compare;
    {
        std::stringstream ss(o.compare);
        std::string item;
        while (std::getline(ss, item, ','))
            if (!item.empty()) {
                if (item == "all") compare.insert({"kvcache", "consts", "ftz", "threads", "bf16"});
                else if (item == "kvcache" || item == "consts" || item == "ftz" || item == "threads" || item == "bf16")
                    compare.insert(item);
                else throw Error("--compare: unknown item '" + item + "' (kvcache, consts, ftz, threads, bf16, all)");
            }
    }

    init_runtime(o.threads);
    const at::Device device = parse_device(o.device);
    const at::ScalarType dtype = parse_dtype(o.dtype, device);
    if (dtype != at::kFloat && dtype != at::kBFloat16) throw Error("the bench runs fp32 or bf16");
    const int threads = at::get_num_threads();

    const bool from_ck = !o.checkpoint.empty();
    std::optional<CheckpointPaths> ck;
    Sizes sz;
    if (from_ck) {
        ck = find_checkpoint(o.checkpoint);
        sz.dit = load_dit_config(ck->dit.config.string());
        sz.umt5 = load_umt5_config(ck->umt5.config.string());
        sz.label = "checkpoint " + ck->root.string();
    } else {
        sz = sizes_for(o.size);
    }

    const int64_t W = pipeline::frames_for_seconds(o.duration);
    if (W < 1) throw Error("--duration " + std::to_string(o.duration) + " s is shorter than one latent frame");
    const int64_t T = o.text_tokens, L = o.lyric_tokens, S_enc = 1 + T + L;
    const int64_t evals = dit_evaluations(o);

    std::vector<Row> rows;
    std::vector<CompareRow> cmp_rows;
    json j;

    // ---- machine ----
    const double peak_main = matmul_gflops(2048, dtype, device);
    const double peak_fp32 = dtype == at::kFloat ? peak_main : matmul_gflops(2048, at::kFloat, device);
    const double lin_dit = linear_gflops(W, sz.dit.inner_dim(), sz.dit.inner_dim(), dtype, device);

    // ---- load ----
    double t0 = now_s();
    Model m = load_model(o, sz, from_ck, ck ? &*ck : nullptr, dtype, device);
    rows.push_back({"load DiT + UMT5", now_s() - t0,
                    fmt("%.1f M DiT params", (double)m.dit->parameter_count() / 1e6) + (from_ck ? "" : ", random")});
    const double rss_loaded = current_rss_gib();

    // ---- inputs ----
    at::manual_seed(o.seed);
    const auto i64 = at::TensorOptions().dtype(at::kLong).device(device);
    at::Tensor text_ids = at::randint(2, std::max<int64_t>(3, sz.umt5.vocab_size), {1, T}, i64);
    text_ids.index_put_({0, T - 1}, sz.umt5.eos_token_id);
    const at::Tensor text_mask = at::ones({1, T}, i64);
    const at::Tensor lyric_ids = at::randint(0, sz.dit.lyric_encoder_vocab_size, {1, L}, i64);
    const at::Tensor lyric_mask = at::ones({1, L}, i64);
    const at::Tensor speaker = at::zeros({1, sz.dit.speaker_embedding_dim}, at::TensorOptions().device(device));
    const at::Tensor latent =
        at::randn({1, sz.dit.in_channels, sz.dit.patch_size[0], W}, at::TensorOptions().device(device)).to(dtype);
    const at::Tensor frame_mask = at::ones({1, W}, at::TensorOptions().dtype(dtype).device(device));
    const at::Tensor timestep = at::full({1}, 994.303f, at::TensorOptions().device(device));

    // ---- stages ----
    at::NoGradGuard no_grad;
    at::Tensor text_h;
    const double t_text = time_median([&] { text_h = m.umt5->forward(text_ids, text_mask); sync(device); }, 1, 1);
    rows.push_back({"text encoder (UMT5)", t_text, "T=" + std::to_string(T) + "; x2 per generation (cond + ERG null)"});
    at::Tensor lyr;
    const double t_lyric = time_median([&] { lyr = m.dit->forward_lyric_encoder(lyric_ids, lyric_mask); sync(device); }, 1, 1);
    rows.push_back({"lyric encoder", t_lyric, "L=" + std::to_string(L) + "; inside each condition encode"});
    DitCondition cond;
    const double t_enc = time_median([&] {
        cond = m.dit->encode(text_h, text_mask, speaker, lyric_ids, lyric_mask);
        sync(device);
    }, 1);
    rows.push_back({"condition encode (DiT.encode)", t_enc, "S_enc=" + std::to_string(S_enc) + "; x2 per generation"});
    DitConditionCache cache;
    const double t_kv = time_median([&] { cache = m.dit->cache_condition(cond); sync(device); }, 1);
    rows.push_back({"cross-attention K/V (once)", t_kv, "per condition, all blocks"});

    at::Tensor v_fast;
    const double t_pass = time_median([&] {
        v_fast = m.dit->decode(latent, frame_mask, cache, timestep);
        sync(device);
    }, o.passes, 1);
    const double flops = dit_pass_flops(sz.dit, 1, W, S_enc, false);
    const double gflops = flops / t_pass / 1e9;
    rows.push_back({"DiT pass (decode)", t_pass,
                    "median of " + std::to_string(o.passes) + "; W=" + std::to_string(W) + fmt("; %.0f GFLOP", flops / 1e9) +
                        fmt(", %.0f GFLOP/s", gflops) + fmt(" = %.0f%% of the matmul peak", 100 * gflops / peak_main)});
    const double t_dit_total = (double)evals * t_pass + 2 * (t_enc + t_kv);
    rows.push_back({"diffusion, estimated", t_dit_total,
                    std::to_string(evals) + " passes (" + std::to_string(o.steps) + " steps " + o.scheduler + "+" +
                        o.cfg_type + ") + 2 condition encodes"});
    rows.push_back({"DiT passes per second", -1, fmt("%.3f", 1.0 / t_pass)});

    // ---- comparisons (fast vs plain, same process, same inputs) ----
    // Plain and fast runs alternate (plain, fast, plain, fast, ...) after one warm-up each, and the
    // best time of each is kept: on a loaded machine that is fairer than two medians taken apart.
    const int reps = std::max(2, o.passes);
    // Process CPU time is kept too: on a shared machine it tracks the work done better than wall
    // time (exactly so with --threads 1; with more threads it includes OpenMP spin-waiting).
    std::vector<std::pair<double, double>> cpu_pairs;  // per comparison, in cmp_rows order
    auto ab = [&](const std::function<void()>& plain, const std::function<void()>& fast) {
        plain();
        fast();
        double best_p = 1e30, best_f = 1e30, cpu_p = 1e30, cpu_f = 1e30;
        for (int r = 0; r < reps; ++r) {
            double t = now_s(), c = cpu_s();
            plain();
            best_p = std::min(best_p, now_s() - t);
            cpu_p = std::min(cpu_p, cpu_s() - c);
            t = now_s();
            c = cpu_s();
            fast();
            best_f = std::min(best_f, now_s() - t);
            cpu_f = std::min(cpu_f, cpu_s() - c);
        }
        cpu_pairs.emplace_back(cpu_p, cpu_f);
        return std::make_pair(best_p, best_f);
    };
    // (plain, fast) CPU seconds of the last pushed row; `swap` when ab() ran them as (fast, plain).
    auto set_cpu = [&](std::pair<double, double> c, bool swap) {
        if (swap) std::swap(c.first, c.second);
        cmp_rows.back().plain_cpu = c.first;
        cmp_rows.back().fast_cpu = c.second;
    };
    auto fast_pass = [&] {
        v_fast = m.dit->decode(latent, frame_mask, cache, timestep);
        sync(device);
    };
    if (compare.count("kvcache")) {
        at::Tensor v_plain;
        auto [tp, tf] = ab([&] {
            v_plain = m.dit->decode(latent, frame_mask, cond, timestep);
            sync(device);
        }, fast_pass);
        cmp_rows.push_back({"kvcache", "K/V of the condition every pass", "K/V once per generation", tp, tf,
                            rel_l2(v_fast, v_plain),
                            "over " + std::to_string(evals) + " passes: " + fmt("%.1f s -> ", evals * tp) +
                                fmt("%.1f s", evals * tf + 2 * t_kv)});
        set_cpu(cpu_pairs.back(), false);
    }
    if (compare.count("consts")) {
        at::Tensor v_plain;
        auto [tp, tf] = ab([&] {
            m.dit->set_reference_path(true);
            v_plain = m.dit->decode(latent, frame_mask, cache, timestep);
            sync(device);
            m.dit->set_reference_path(false);
        }, fast_pass);
        cmp_rows.push_back({"consts", "reference op sequence per step", "step constants once, identity ops skipped", tp, tf,
                            rel_l2(v_fast, v_plain), "RoPE table, all-zero cross mask, all-one frame-mask products"});
        set_cpu(cpu_pairs.back(), false);
    }
    if (compare.count("ftz")) {
        at::Tensor v_plain;
        auto [tp, tf] = ab([&] {
            set_flush_denormal_all_threads(false);
            v_plain = m.dit->decode(latent, frame_mask, cache, timestep);
            sync(device);
            set_flush_denormal_all_threads(true);
        }, fast_pass);
        cmp_rows.push_back({"ftz", "denormals kept", "FTZ/DAZ in every compute thread", tp, tf, rel_l2(v_fast, v_plain), ""});
        set_cpu(cpu_pairs.back(), false);
    }
    if (compare.count("threads") && threads > 1) {
        at::Tensor v_plain;
        auto [tp, tf] = ab([&] {
            at::set_num_threads(1);
            v_plain = m.dit->decode(latent, frame_mask, cache, timestep);
            sync(device);
            at::set_num_threads(threads);
            set_flush_denormal_all_threads(true);
        }, fast_pass);
        cmp_rows.push_back({"threads", "1 thread (LibTorch's default here)", std::to_string(threads) + " threads", tp, tf,
                            rel_l2(v_fast, v_plain), "rel L2: reduction order differs"});
        set_cpu(cpu_pairs.back(), false);
    }
    if (compare.count("bf16")) {
        const at::ScalarType other = dtype == at::kFloat ? at::kBFloat16 : at::kFloat;
        Model m2 = load_model(o, sz, from_ck, ck ? &*ck : nullptr, other, device, &m);
        at::Tensor th2;
        const bool main_is_bf16 = dtype == at::kBFloat16;
        auto [t_text_o, t_text_m] = ab([&] { th2 = m2.umt5->forward(text_ids, text_mask); sync(device); },
                                       [&] { text_h = m.umt5->forward(text_ids, text_mask); sync(device); });
        DitCondition c2 = m2.dit->encode(th2, text_mask, speaker, lyric_ids, lyric_mask);
        DitConditionCache cc2 = m2.dit->cache_condition(c2);
        const at::Tensor latent2 = latent.to(other), mask2 = frame_mask.to(other);
        at::Tensor v2;
        auto [t_o, t_m] = ab([&] {
            v2 = m2.dit->decode(latent2, mask2, cc2, timestep);
            sync(device);
        }, fast_pass);
        const at::Tensor& v_bf = main_is_bf16 ? v_fast : v2;
        const at::Tensor& v_fp = main_is_bf16 ? v2 : v_fast;
        const at::Tensor& th_bf = main_is_bf16 ? text_h : th2;
        const at::Tensor& th_fp = main_is_bf16 ? th2 : text_h;
        cmp_rows.push_back({"bf16 (DiT pass)", "fp32", "bf16", main_is_bf16 ? t_o : t_m, main_is_bf16 ? t_m : t_o,
                            rel_l2(v_bf, v_fp), "rel L2 = bf16 output vs fp32 output, same weights and inputs"});
        set_cpu(cpu_pairs[cpu_pairs.size() - 1], !main_is_bf16);
        cmp_rows.push_back({"bf16 (text encoder)", "fp32", "bf16", main_is_bf16 ? t_text_o : t_text_m,
                            main_is_bf16 ? t_text_m : t_text_o, rel_l2(th_bf, th_fp), ""});
        set_cpu(cpu_pairs[cpu_pairs.size() - 2], !main_is_bf16);
    }

    std::vector<std::pair<std::string, OpStat>> prof;
    double prof_total = 0;
    if (o.profile) {
        profile_start();
        const double tp0 = now_s();
        fast_pass();
        prof_total = now_s() - tp0;
        prof = profile_stop();
        json pj = json::array();
        for (const auto& [name, st] : prof)
            pj.push_back({{"op", name}, {"seconds", st.seconds}, {"calls", st.calls}});
        j["profile"] = {{"pass_seconds", prof_total}, {"ops", pj}};
    }

    // ---- end to end (the real pipeline on a checkpoint) ----
    if (o.e2e) {
        if (!from_ck) throw Error("--e2e needs --checkpoint (the model store loads real folders)");
        m.dit.reset();  // free the component models first
        m.umt5.reset();
        pipeline::StoreOptions so;
        so.checkpoint = o.checkpoint;
        so.device = o.device;
        so.dtype = dtype_label(dtype);
        so.threads = threads;
        pipeline::ModelStore store(so);
        double te = now_s();
        store.load();
        const double t_load = now_s() - te;
        GenerationParams p;
        p.prompt = "pop, synth, upbeat";
        p.audio_duration = o.duration;
        p.infer_step = o.steps;
        p.scheduler_type = o.scheduler;
        p.cfg_type = o.cfg_type;
        p.guidance_scale = o.guidance_scale;
        p.guidance_interval = o.guidance_interval;
        p.manual_seeds = {o.seed};
        pipeline::PrepareOptions po;
        po.have_lyric_tokenizer = false;
        po.lyric_ids_given = true;
        const pipeline::Job job = pipeline::prepare_job(p, po);
        pipeline::RunOptions ro;
        std::vector<int64_t> ids(L);
        for (int64_t i = 0; i < L; ++i) ids[i] = lyric_ids[0][i].item<int64_t>();
        ro.overrides.lyric_ids = ids;
        ro.decode = pipeline::ModelStore::codec_available();
        te = now_s();
        const pipeline::RunResult r = pipeline::run_pipeline(store.components(), job, ro);
        const double t_run = now_s() - te;
        rows.push_back({"e2e: load (model store)", t_load, ""});
        rows.push_back({"e2e: text + lyric conditions", r.params.timecosts.preprocess, ""});
        rows.push_back({"e2e: diffusion", r.params.timecosts.diffusion, std::to_string(evals) + " DiT passes"});
        rows.push_back({"e2e: latents -> audio", r.params.timecosts.latent2audio,
                        ro.decode ? "DCAE + vocoder + resample" : "no codec in this build"});
        rows.push_back({"e2e: total", t_run, fmt("real-time factor %.3f (audio s / wall s)", o.duration / t_run)});
        j["e2e"] = {{"load_s", t_load}, {"preprocess_s", r.params.timecosts.preprocess},
                    {"diffusion_s", r.params.timecosts.diffusion}, {"latent2audio_s", r.params.timecosts.latent2audio},
                    {"total_s", t_run}, {"rtf", o.duration / t_run}, {"decoded", ro.decode}};
    }

    const double rss_peak = peak_rss_gib();

    // ---- output ----
    j["bench"] = "acestep-bench";
    j["version"] = ACESTEP_VERSION_STRING;
    j["machine"] = {{"cpu", cpu_model()},
                    {"cores", available_cores()},
                    {"fast_bf16", cpu_has_fast_bf16()},
                    {"load_average_at_end", load_average()},
                    {"mem_available_gib", mem_available_gib()}};
    j["config"] = {{"model", sz.label}, {"device", device.str()},        {"dtype", dtype_label(dtype)},
                   {"threads", threads},  {"duration_s", o.duration},      {"latent_frames", W},
                   {"text_tokens", T},    {"lyric_tokens", L},             {"steps", o.steps},
                   {"scheduler", o.scheduler}, {"cfg_type", o.cfg_type},  {"dit_evaluations", evals}};
    j["matmul_peak_gflops"] = {{"2048^3 " + dtype_label(dtype), peak_main}, {"2048^3 fp32", peak_fp32},
                               {"linear [" + std::to_string(W) + "x" + std::to_string(sz.dit.inner_dim()) + "]x[" +
                                    std::to_string(sz.dit.inner_dim()) + "]^2 " + dtype_label(dtype),
                                lin_dit}};
    json stages = json::array();
    for (const auto& r : rows) {
        json e = {{"stage", r.stage}};
        if (r.seconds >= 0) e["seconds"] = r.seconds;
        e["note"] = r.note;
        stages.push_back(e);
    }
    j["stages"] = stages;
    j["dit_pass"] = {{"seconds", t_pass}, {"gflop", flops / 1e9}, {"gflops_per_s", gflops},
                     {"fraction_of_peak", gflops / peak_main}, {"passes_per_second", 1.0 / t_pass}};
    j["memory_gib"] = {{"rss_after_load", rss_loaded}, {"peak_rss", rss_peak}};
    json cj = json::array();
    for (const auto& c : cmp_rows)
        cj.push_back({{"change", c.name}, {"plain", c.plain}, {"fast", c.fast}, {"plain_s", c.plain_s}, {"fast_s", c.fast_s},
                      {"speedup", c.plain_s / c.fast_s}, {"plain_cpu_s", c.plain_cpu}, {"fast_cpu_s", c.fast_cpu},
                      {"cpu_speedup", c.plain_cpu / c.fast_cpu}, {"rel_l2_fast_vs_plain", c.rel_l2}, {"note", c.note}});
    if (!cmp_rows.empty()) j["compare"] = cj;

    if (o.json) {
        std::printf("%s\n", j.dump(2).c_str());
        return 0;
    }
    std::printf("acestep-bench %s: %s\n", ACESTEP_VERSION_STRING, sz.label.c_str());
    std::printf("  %s, %s, %d threads, %.1f s audio (W=%lld), T=%lld, L=%lld, %lld steps %s+%s -> %lld DiT passes\n",
                device.str().c_str(), dtype_label(dtype).c_str(), threads, o.duration, (long long)W, (long long)T,
                (long long)L, (long long)o.steps, o.scheduler.c_str(), o.cfg_type.c_str(), (long long)evals);
    std::printf("  machine: %s, %d cores, fast bf16: %s, load average %s, MemAvailable %.1f GiB\n", cpu_model().c_str(),
                available_cores(), cpu_has_fast_bf16() ? "yes" : "no", load_average().c_str(), mem_available_gib());
    std::printf("  matmul 2048^3: %s %.0f GFLOP/s", dtype_label(dtype).c_str(), peak_main);
    if (dtype != at::kFloat) std::printf(", fp32 %.0f GFLOP/s", peak_fp32);
    std::printf("; DiT-shape linear [%lld x %lld]: %.0f GFLOP/s\n\n", (long long)W, (long long)sz.dit.inner_dim(), lin_dit);
    std::printf("  %-32s %10s   %s\n", "stage", "seconds", "notes");
    for (const auto& r : rows) {
        if (r.seconds >= 0) std::printf("  %-32s %10.3f   %s\n", r.stage.c_str(), r.seconds, r.note.c_str());
        else std::printf("  %-32s %10s   %s\n", r.stage.c_str(), "", r.note.c_str());
    }
    std::printf("  %-32s %10s   after load %.2f GiB, peak %.2f GiB\n", "RSS", "", rss_loaded, rss_peak);
    if (!cmp_rows.empty()) {
        std::printf("\n  %-20s %9s %9s %8s %9s %9s %8s %11s   %s\n", "fast path", "plain s", "fast s", "speedup",
                    "plain cpu", "fast cpu", "cpu x", "rel L2", "plain -> fast");
        std::printf("  (best of %d alternating runs each; cpu = process CPU seconds; rel L2 = ||fast - plain|| / ||plain||)\n",
                    reps);
        for (const auto& c : cmp_rows)
            std::printf("  %-20s %9.3f %9.3f %7.2fx %9.3f %9.3f %7.2fx %11.3e   %s -> %s%s%s\n", c.name.c_str(), c.plain_s,
                        c.fast_s, c.plain_s / c.fast_s, c.plain_cpu, c.fast_cpu, c.plain_cpu / c.fast_cpu, c.rel_l2,
                        c.plain.c_str(), c.fast.c_str(), c.note.empty() ? "" : "; ", c.note.c_str());
    }
    if (!prof.empty()) {
        std::printf("\n  one DiT pass by operator (outermost calls; %.3f s traced):\n", prof_total);
        double shown = 0;
        for (size_t i = 0; i < prof.size() && i < 20; ++i) {
            shown += prof[i].second.seconds;
            std::printf("  %-36s %8.3f s %5.1f%% %6lld calls\n", prof[i].first.c_str(), prof[i].second.seconds,
                        100 * prof[i].second.seconds / prof_total, (long long)prof[i].second.calls);
        }
        std::printf("  %-36s %8.3f s %5.1f%%\n", "(rest)", prof_total - shown, 100 * (prof_total - shown) / prof_total);
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "acestep-bench: error: %s\n", e.what());
        return 1;
    }
}
