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

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "acestep/audio_io.h"
#include "acestep/checkpoint.h"
#include "acestep/config.h"
#include "acestep/error.h"
#include "acestep/resources.h"
#include "acestep/version.h"
#include "bench_util.h"
#include "cli/args.h"
#include "models/dcae.h"
#include "models/device.h"
#include "models/dit.h"
#include "models/music_dcae.h"
#include "models/umt5.h"
#include "models/vocoder.h"
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
    std::string e2e_out;
    int64_t seed = 1;
};

struct Sizes {
    DitConfig dit;
    Umt5Config umt5;
    DcaeConfig dcae;
    VocoderConfig vocoder;
    std::string label;
};

Sizes sizes_for(const std::string& size) {
    Sizes s;
    s.dit = real_dit_config();
    s.umt5 = real_umt5_config();
    s.dcae = real_dcae_config();
    s.vocoder = real_vocoder_config();
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
        // the fixture checkpoint's codec (music_dcae_f8c8 / music_vocoder config.json)
        s.dcae.encoder_block_out_channels = s.dcae.decoder_block_out_channels = {16, 32, 32, 64};
        s.dcae.encoder_layers_per_block = s.dcae.decoder_layers_per_block = {1, 1, 1, 2};
        s.vocoder.depths = {1, 1, 2, 1};
        s.vocoder.dims = {16, 16, 24, 32};
        s.vocoder.num_mels = 32;
        s.vocoder.upsample_initial_channel = 128;
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

// The random DiT + UMT5 weight images in `dtype` (seeded: every dtype gets the same draws).
void make_random_images(Model& m, const Options& o, const Sizes& sz, at::ScalarType dtype) {
    ShapeList dit_shapes;
    for (auto& [k, s] : AceStepTransformer::parameter_shapes(sz.dit)) dit_shapes.emplace_back(k, s);
    m.dit_image = random_safetensors(dit_shapes, dtype, (uint64_t)o.seed, "random DiT (" + o.size + ")");
    m.umt5_image = random_safetensors(umt5_shapes(sz.umt5), dtype, (uint64_t)o.seed + 1, "random UMT5 (" + o.size + ")");
}

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
        make_random_images(m, o, sz, dtype);
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


// ---- end to end -------------------------------------------------------------------------------------

struct E2eInputs {
    at::Tensor text_ids, text_mask, lyric_ids;
};

struct E2eTimes {
    double load = 0, text = 0, cond = 0, diffusion = 0, dcae = 0, vocoder = 0, resample = 0, write = 0, total = 0;
    int text_calls = 0, cond_calls = 0;
    std::vector<double> passes;
    double passes_total() const {
        double s = 0;
        for (double p : passes) s += p;
        return s;
    }
    double pass_median() const {
        if (passes.empty()) return 0;
        std::vector<double> v = passes;
        std::sort(v.begin(), v.end());
        return v[v.size() / 2];
    }
};

struct E2eResult {
    E2eTimes t;
    at::Tensor audio, latents;  // audio: fp32 [2, N] at 48 kHz
    std::string file;
};

// The pipeline's components, timed: each call forwards to the real one (the store's adapter).
class TimedText final : public pipeline::TextEncoder {
public:
    TimedText(const pipeline::TextEncoder& in, E2eTimes& t, at::Device d) : in_(in), t_(t), d_(d) {}
    void tokenize(const std::string& prompt, at::Tensor* ids, at::Tensor* mask) const override { in_.tokenize(prompt, ids, mask); }
    at::Tensor encode(const at::Tensor& ids, const at::Tensor& mask, bool erg) const override {
        const double t0 = now_s();
        at::Tensor r = in_.encode(ids, mask, erg);
        sync(d_);
        t_.text += now_s() - t0;
        ++t_.text_calls;
        return r;
    }

private:
    const pipeline::TextEncoder& in_;
    E2eTimes& t_;
    at::Device d_;
};

class TimedDenoiser final : public pipeline::Denoiser {
public:
    TimedDenoiser(const pipeline::Denoiser& in, E2eTimes& t, at::Device d) : in_(in), t_(t), d_(d) {}
    pipeline::Condition encode(const at::Tensor& text_hidden, const at::Tensor& text_mask, const at::Tensor& speaker,
                               const at::Tensor& lyric_ids, const at::Tensor& lyric_mask, bool erg_lyric) const override {
        const double t0 = now_s();
        pipeline::Condition c = in_.encode(text_hidden, text_mask, speaker, lyric_ids, lyric_mask, erg_lyric);
        sync(d_);
        t_.cond += now_s() - t0;
        ++t_.cond_calls;
        return c;
    }
    at::Tensor decode(const at::Tensor& x, const at::Tensor& attention_mask, const pipeline::Condition& cond,
                      const at::Tensor& timestep, bool erg_diffusion) const override {
        const double t0 = now_s();
        at::Tensor v = in_.decode(x, attention_mask, cond, timestep, erg_diffusion);
        sync(d_);
        t_.passes.push_back(now_s() - t0);
        return v;
    }
    int64_t speaker_dim() const override { return in_.speaker_dim(); }

private:
    const pipeline::Denoiser& in_;
    E2eTimes& t_;
    at::Device d_;
};

// One generation (text2music, the run's steps / scheduler / guidance, seed o.seed) through the model
// store and run_pipeline, then the file write the Engine does.  Random sizes: the store adopts models
// built in memory (DiT + UMT5 from m's images, made in `dtype` when m has none; DCAE + vocoder here).
E2eResult run_e2e(const Options& o, const Sizes& sz, bool from_ck, at::ScalarType dtype, at::Device device, Model& m,
                  const E2eInputs& in) {
    E2eResult res;
    pipeline::StoreOptions so;
    so.checkpoint = o.checkpoint;
    so.device = o.device;
    so.dtype = dtype_label(dtype);
    so.threads = at::get_num_threads();
    pipeline::ModelStore store(so);
    double t0 = now_s();
    if (from_ck) {
        store.load();
    } else {
        if (!m.dit_image) make_random_images(m, o, sz, dtype);
        Weights wd(m.dit_image, dtype, device);
        WeightsSource sd(wd);
        AceStepTransformer dit = AceStepTransformer::load(sz.dit, sd);
        Weights wu(m.umt5_image, dtype, device);
        Umt5Encoder umt5(sz.umt5, wu);
        const ShapeList dcae_shapes = record_shapes([&](TensorSource& s) { (void)AutoencoderDC::load(sz.dcae, s); });
        const ShapeList voc_shapes = record_shapes([&](TensorSource& s) { (void)Vocoder::load(sz.vocoder, s); });
        Weights wdc(random_safetensors(dcae_shapes, dtype, (uint64_t)o.seed + 2, "random DCAE (" + o.size + ")"), dtype, device);
        WeightsSource sdc(wdc);
        Weights wv(random_safetensors(voc_shapes, at::kFloat, (uint64_t)o.seed + 3, "random vocoder (" + o.size + ")"),
                   at::kFloat, device);
        WeightsSource sv(wv);
        auto codec = std::make_shared<MusicDcae>(AutoencoderDC::load(sz.dcae, sdc), Vocoder::load(sz.vocoder, sv));
        store.adopt(ModelConfigs{sz.dit, sz.dcae, sz.vocoder, sz.umt5}, std::move(umt5), std::move(dit), codec);
    }
    res.t.load = now_s() - t0;

    pipeline::Components c = store.components();
    if (!c.codec) throw Error("--e2e: this build has no audio codec");
    const auto* dcae = dynamic_cast<const MusicDcae*>(c.codec);
    TimedText tt(*c.text, res.t, device);
    TimedDenoiser td(*c.dit, res.t, device);
    c.text = &tt;
    c.dit = &td;

    GenerationParams p;
    p.prompt = "pop, synth, upbeat";  // tokenized ids come from the bench (random, same as the stage rows)
    p.lyrics = "";
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
    AudioWriteOptions wo;
    if (!parse_audio_format(job.params.format, &wo.format)) throw Error("--e2e: format '" + job.params.format + "'");
    pipeline::RunOptions ro;
    ro.overrides.text_ids = in.text_ids;
    ro.overrides.text_mask = in.text_mask;
    std::vector<int64_t> ids(in.lyric_ids.size(1));
    const at::Tensor li = in.lyric_ids.cpu().contiguous();
    for (size_t i = 0; i < ids.size(); ++i) ids[i] = li.data_ptr<int64_t>()[i];
    ro.overrides.lyric_ids = ids;

    t0 = now_s();
    pipeline::RunResult r = pipeline::run_pipeline(c, job, ro);
    res.t.diffusion = r.params.timecosts.diffusion;
    if (dcae) {
        const auto dt = dcae->last_decode_times();
        res.t.dcae = dt.dcae;
        res.t.vocoder = dt.vocoder;
        res.t.resample = dt.resample;
    }
    // The file write the Engine does (engine.cpp: fp32 [channels, samples] -> Audio -> write_audio).
    const double tw = now_s();
    namespace fs = std::filesystem;
    const bool keep = !o.e2e_out.empty();
    const fs::path dir = keep ? fs::path(o.e2e_out) : fs::temp_directory_path() / ("acestep-bench-" + std::to_string(getpid()));
    fs::create_directories(dir);
    const fs::path file = dir / ("bench_" + dtype_label(dtype) + "." + audio_format_name(wo.format));
    {
        const at::Tensor a = r.audio.at(0).detach().to(at::kCPU).to(at::kFloat).contiguous();
        Audio audio;
        audio.sample_rate = 48000;
        audio.channels = (int)a.size(0);
        audio.frames = a.size(1);
        audio.samples.assign(a.data_ptr<float>(), a.data_ptr<float>() + a.numel());
        std::error_code ec;
        fs::remove(file, ec);
        write_audio(file, audio, wo);
    }
    res.t.write = now_s() - tw;
    res.t.total = now_s() - t0;
    res.file = keep ? file.string() : std::to_string(fs::file_size(file) >> 10) + " KiB " + audio_format_name(wo.format);
    if (!keep) {
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
    res.audio = r.audio.at(0);
    res.latents = r.latents;
    return res;
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
    a.flag("--e2e", &o.e2e,
           "also run one real generation (model store + pipeline + file write); with --compare bf16: both dtypes, audio rel L2");
    a.option("--e2e-out", &o.e2e_out, "DIR", "keep the --e2e audio file in DIR (default: a temporary folder, removed)");
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
        sz.dcae = load_dcae_config(ck->dcae.config.string());
        sz.vocoder = load_vocoder_config(ck->vocoder.config.string());
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
    if (compare.count("bf16") && !o.e2e) {  // with --e2e: the end-to-end audio comparison below
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

    // ---- end to end: one real generation through the model store and the pipeline ----
    double rss_peak_e2e = -1;
    if (o.e2e) {
        m.dit.reset();  // free the stage models first (random images stay: the e2e models alias them)
        m.umt5.reset();
        E2eInputs in{text_ids, text_mask, lyric_ids};
        E2eResult r = run_e2e(o, sz, from_ck, dtype, device, m, in);
        rss_peak_e2e = peak_rss_gib();
        const E2eTimes& t = r.t;
        rows.push_back({"e2e: models ready", t.load, from_ck ? "model store load() from the checkpoint"
                                                            : "model store adopt(): random weights in memory"});
        rows.push_back({"e2e: text encoder (UMT5)", t.text, std::to_string(t.text_calls) + " calls (prompt + ERG-tag null)"});
        rows.push_back({"e2e: condition encode", t.cond,
                        std::to_string(t.cond_calls) + " calls: lyric encoder + projections + cross K/V"});
        rows.push_back({"e2e: DiT passes", t.passes_total(),
                        std::to_string(t.passes.size()) + fmt(" passes, median %.3f s", t.pass_median()) +
                            fmt(", %.0f GFLOP/s", flops / t.pass_median() / 1e9)});
        rows.push_back({"e2e: diffusion loop", t.diffusion, "conditions + passes + scheduler/guidance"});
        rows.push_back({"e2e: DCAE decode", t.dcae, ""});
        rows.push_back({"e2e: vocoder", t.vocoder, "fp32, both channels"});
        rows.push_back({"e2e: resample 44.1 -> 48 kHz", t.resample, ""});
        rows.push_back({"e2e: file write", t.write, r.file});
        rows.push_back({"e2e: total (generation)", t.total,
                        fmt("real-time factor %.3f (audio s / wall s)", o.duration / t.total) +
                            fmt("; %.1f s of audio", (double)r.audio.size(1) / 48000.0)});
        rows.push_back({"e2e: peak RSS", -1, fmt("%.2f GiB", rss_peak_e2e)});
        json ej = {{"load_s", t.load},          {"text_encoder_s", t.text},    {"text_encoder_calls", t.text_calls},
                   {"condition_encode_s", t.cond}, {"condition_calls", t.cond_calls}, {"dit_passes", (int64_t)t.passes.size()},
                   {"dit_passes_s", t.passes_total()}, {"dit_pass_median_s", t.pass_median()},
                   {"diffusion_s", t.diffusion}, {"dcae_s", t.dcae},           {"vocoder_s", t.vocoder},
                   {"resample_s", t.resample}, {"write_s", t.write},          {"total_s", t.total},
                   {"rtf", o.duration / t.total}, {"audio_samples_48k", r.audio.size(1)}, {"peak_rss_gib", rss_peak_e2e}};
        if (compare.count("bf16")) {
            // The other dtype, same weights (bf16-representable random values or the same checkpoint), same
            // seeds: rel L2 of the final 48 kHz audio.  Run after the first one is freed, so the peak is
            // the larger of the two, not their sum.
            const at::ScalarType other = dtype == at::kFloat ? at::kBFloat16 : at::kFloat;
            const at::Tensor audio_main = r.audio, lat_main = r.latents;
            r = E2eResult{};
            m.dit_image.reset();
            m.umt5_image.reset();
            E2eResult r2 = run_e2e(o, sz, from_ck, other, device, m, in);
            const bool main_bf16 = dtype == at::kBFloat16;
            const at::Tensor& a_bf = main_bf16 ? audio_main : r2.audio;
            const at::Tensor& a_fp = main_bf16 ? r2.audio : audio_main;
            const at::Tensor& l_bf = main_bf16 ? lat_main : r2.latents;
            const at::Tensor& l_fp = main_bf16 ? r2.latents : lat_main;
            const double rl_audio = rel_l2(a_bf, a_fp), rl_lat = rel_l2(l_bf, l_fp);
            rows.push_back({"e2e (" + dtype_label(other) + "): total", r2.t.total,
                            fmt("DiT pass median %.3f s", r2.t.pass_median()) + fmt(", DCAE %.2f s", r2.t.dcae) +
                                fmt(", vocoder %.2f s", r2.t.vocoder)});
            rows.push_back({"e2e: bf16 vs fp32 audio", -1,
                            fmt("rel L2 %.3e (final 48 kHz audio)", rl_audio) + fmt(", %.3e (final latents)", rl_lat)});
            ej["other_dtype"] = {{"dtype", dtype_label(other)}, {"total_s", r2.t.total}, {"dit_pass_median_s", r2.t.pass_median()},
                                 {"dcae_s", r2.t.dcae}, {"vocoder_s", r2.t.vocoder}};
            ej["bf16_vs_fp32_rel_l2"] = {{"audio", rl_audio}, {"latents", rl_lat}};
        }
        j["e2e"] = ej;
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
    if (rss_peak_e2e >= 0) j["memory_gib"]["peak_rss_after_e2e"] = rss_peak_e2e;
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
