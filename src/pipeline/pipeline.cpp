// ACEStepPipeline.__call__ (see pipeline.h): job preparation and validation, then the official order
// of work: seeds (main, then retake), text embeddings (+ ERG-tag variant), lyric ids, source latents,
// the diffusion loop of the task, and the decode.  Progress is reported per stage and per step.
#include "pipeline/pipeline.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>

#include "acestep/error.h"
#include "acestep/resample.h"
#include "pipeline/diffusion.h"

namespace acestep::pipeline {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

std::string fmt(const char* f, double a, double b = 0, double c = 0) {
    char buf[256];
    std::snprintf(buf, sizeof buf, f, a, b, c);
    return buf;
}

bool task_uses_source(const std::string& t) { return t == "repaint" || t == "edit" || t == "extend"; }

int64_t latent_frames_of(const Audio& a) {
    const int64_t n44 = a.sample_rate == 44100 ? a.frames : resampled_length(a.frames, a.sample_rate, 44100);
    return (n44 + 4095) / 4096;
}

// Stage bookkeeping for Progress: each stage owns a slice of the job's 0..1 fraction.
class Reporter {
public:
    Reporter(const ProgressFn& fn, Clock::time_point t0) : fn_(fn), t0_(t0) {}
    void stage(const std::string& name, double f0, double f1, const std::string& msg) {
        name_ = name;
        f0_ = f0;
        f1_ = f1;
        emit(0, 0, 0.0, -1.0, msg);
    }
    void emit(int step, int total, double local, double eta, const std::string& msg) {
        if (!fn_) return;
        Progress p;
        p.stage = name_;
        p.step = step;
        p.total = total;
        p.fraction = f0_ + (f1_ - f0_) * std::min(1.0, std::max(0.0, local));
        p.elapsed_s = seconds_since(t0_);
        p.eta_s = eta;
        p.message = msg;
        fn_(p);
    }

private:
    const ProgressFn& fn_;
    Clock::time_point t0_;
    std::string name_;
    double f0_ = 0, f1_ = 0;
};

void check_cancel(const std::atomic<bool>* c) {
    if (c && c->load()) throw Cancelled();
}

at::Tensor ids_tensor(const std::vector<int64_t>& ids, at::Device dev) {
    at::Tensor t = at::empty({1, (int64_t)ids.size()}, at::kLong);
    std::copy(ids.begin(), ids.end(), t.data_ptr<int64_t>());
    return t.to(dev);
}

}  // namespace

GenerationParams sidecar_params(const GenerationParams& r) {
    GenerationParams s = r;
    if (r.task == "edit") {
        s.prompt = r.edit_target_prompt.value_or(r.prompt);
        s.lyrics = r.edit_target_lyrics.value_or(r.lyrics);
    }
    return s;
}

Job prepare_job(const GenerationParams& in, const PrepareOptions& opt) {
    Job job;
    GenerationParams& p = job.params;
    p = in;
    const bool has_ref = p.ref_audio_input && !p.ref_audio_input->empty();
    if (p.audio2audio_enable && has_ref) p.task = "audio2audio";
    if (p.task == "audio2audio") {
        if (!has_ref) throw Error("audio2audio needs ref_audio_input (the reference audio file)");
        p.audio2audio_enable = true;
    } else if (p.audio2audio_enable) {
        throw Error("audio2audio_enable is set but ref_audio_input (the reference audio file) is missing");
    }
    const bool uses_src = task_uses_source(p.task);
    {
        GenerationParams q = p;  // the duration of a source task is measured from the file
        if (uses_src) q.audio_duration = 60.0;
        validate_params(q);
    }
    if (p.scheduler_type == "heun" && !p.oss_steps.empty())
        throw Error("oss_steps cannot be used with the heun scheduler (the official code rejects it too); use euler or pingpong");

    if (uses_src) {
        if (!p.src_audio_path || p.src_audio_path->empty())
            throw Error("task " + p.task + " needs src_audio_path: the audio to " + (p.task == "edit" ? "edit" : p.task));
        job.src_audio = read_audio(*p.src_audio_path);
        job.src_frames = latent_frames_of(*job.src_audio);
        if (job.src_frames < 1) throw Error(*p.src_audio_path + ": the audio is empty");
        p.audio_duration = job.src_audio->seconds();
    }
    if (p.task == "audio2audio") {
        job.ref_audio = read_audio(*p.ref_audio_input);
        job.src_frames = latent_frames_of(*job.ref_audio);
        if (job.src_frames < 1) throw Error(*p.ref_audio_input + ": the audio is empty");
    }
    if (p.audio_duration <= 0) {
        // random.uniform(30, 240), as the official app does for audio_duration <= 0
        std::mt19937_64 rng(std::random_device{}());
        p.audio_duration = std::uniform_real_distribution<double>(30.0, 240.0)(rng);
    }
    const int64_t infer_steps = p.oss_steps.empty() ? p.infer_step : *std::max_element(p.oss_steps.begin(), p.oss_steps.end());

    if (p.task == "retake") {
        p.repaint_start = 0;
        p.repaint_end = p.audio_duration;
    } else if (p.task == "repaint") {
        const int64_t a = frames_for_seconds(p.repaint_start), b = frames_for_seconds(p.repaint_end);
        if (p.repaint_start < 0 || b > job.src_frames)
            throw Error(fmt("repaint range %.2f..%.2f s lies outside the source audio (%.2f s); use task extend to add audio",
                            p.repaint_start, p.repaint_end, job.src_audio->seconds()));
        if (b <= a)
            throw Error(fmt("repaint range %.2f..%.2f s: repaint_end must come after repaint_start by at least one latent "
                            "frame (0.093 s)",
                            p.repaint_start, p.repaint_end));
    } else if (p.task == "extend") {
        (void)plan_extend(job.src_frames, p.repaint_start, p.repaint_end);
    } else if (p.task == "edit") {
        if (!p.edit_target_prompt) p.edit_target_prompt = p.prompt;
        if (!p.edit_target_lyrics) p.edit_target_lyrics = p.lyrics;
        if (p.edit_n_min > p.edit_n_max)
            throw Error(fmt("edit_n_min (%.2f) must not exceed edit_n_max (%.2f)", p.edit_n_min, p.edit_n_max));
    } else if (p.task == "audio2audio") {
        if (p.ref_audio_strength >= 1.0 || (int64_t)((1 - p.ref_audio_strength) * (double)infer_steps) < 1)
            throw Error(fmt("ref_audio_strength %.2f leaves no diffusion step at %.0f steps: lower the strength or raise infer_step",
                            p.ref_audio_strength, (double)infer_steps));
    }

    if (!opt.have_lyric_tokenizer && !opt.lyric_ids_given) {
        const bool needs = !p.lyrics.empty() || (p.task == "edit" && !p.edit_target_lyrics->empty());
        if (needs)
            throw Error("lyrics: the lyric front end is not available in this build; give the token ids instead "
                        "(acestep-cli generate --lyric-ids FILE) or use empty lyrics");
    }
    return job;
}

RunResult run_pipeline(const Components& c, const Job& job, const RunOptions& opt) {
    if (!c.text || !c.dit || (!c.codec && (opt.decode || job.src_audio || job.ref_audio)))
        throw Error("the generation pipeline is missing a model component");
    const GenerationParams& p = job.params;
    const at::Device dev = c.device;
    const at::ScalarType dtype = c.dtype;
    const int64_t bsz = p.batch_size;
    const auto t_start = Clock::now();
    Reporter rep(opt.progress, t_start);
    RunResult out;
    out.params = p;

    // ---- preprocess: seeds, text, lyrics ----
    rep.stage("text", 0.0, 0.03, "encoding the prompt");
    SeedGenerators main_gens(p.manual_seeds, bsz, dev);
    SeedGenerators retake_gens(p.retake_seeds, bsz, dev);
    out.params.actual_seeds = main_gens.seeds();
    out.params.actual_retake_seeds = retake_gens.seeds();
    SeededNoise seeded(main_gens, retake_gens);
    NoiseSource& noise = opt.noise ? *opt.noise : seeded;

    auto text_states = [&](const std::string& prompt, const at::Tensor& ids_in, const at::Tensor& mask_in, bool erg,
                           at::Tensor* hidden, at::Tensor* mask, at::Tensor* hidden_null) {
        at::Tensor ids = ids_in, m = mask_in;
        if (!ids.defined()) c.text->tokenize(prompt, &ids, &m);
        if (!m.defined()) m = at::ones_like(ids);
        ids = ids.to(dev);
        m = m.to(dev);
        *hidden = c.text->encode(ids, m, false).repeat({bsz, 1, 1});
        *mask = m.repeat({bsz, 1});
        if (hidden_null && erg) *hidden_null = c.text->encode(ids, m, true).repeat({bsz, 1, 1});
    };
    at::Tensor text_h, text_mask, text_h_null;
    // The ERG-tag embeddings only matter for the ERG-lyric null condition of a guided run (Q7).
    const bool guided = !(p.guidance_scale == 0.0 || p.guidance_scale == 1.0);
    const bool need_null_text = p.use_erg_tag && p.use_erg_lyric && guided && p.task != "edit";
    text_states(p.prompt, opt.overrides.text_ids, opt.overrides.text_mask, need_null_text, &text_h, &text_mask, &text_h_null);
    check_cancel(opt.cancel);
    const at::Tensor speaker = at::zeros({bsz, c.dit->speaker_dim()}).to(dev).to(dtype);

    rep.stage("lyrics", 0.03, 0.04, "tokenizing the lyrics");
    auto lyric_tensors = [&](const std::string& lyrics, const std::optional<std::vector<int64_t>>& given, at::Tensor* ids,
                             at::Tensor* mask) {
        std::vector<int64_t> v;
        if (given) v = *given;
        else if (!lyrics.empty()) {
            if (!c.lyrics) throw Error("lyrics: the lyric front end is not available; give token ids (--lyric-ids)");
            v = c.lyrics->tokenize(lyrics, p.lyrics_language);
        }
        if (v.empty()) {  // no lyrics: one fully masked [STOP] token
            *ids = at::zeros({bsz, 1}, at::kLong).to(dev);
            *mask = at::zeros({bsz, 1}, at::kLong).to(dev);
            return;
        }
        *ids = ids_tensor(v, dev).repeat({bsz, 1});
        *mask = at::ones({bsz, (int64_t)v.size()}, at::kLong).to(dev);
    };
    at::Tensor lyric_ids, lyric_mask;
    lyric_tensors(p.lyrics, opt.overrides.lyric_ids, &lyric_ids, &lyric_mask);
    check_cancel(opt.cancel);
    out.params.timecosts.preprocess = seconds_since(t_start);
    const auto t_diff = Clock::now();

    // ---- source / reference latents ----
    at::Tensor src_latents, ref_latents;
    if (job.src_audio || job.ref_audio) {
        rep.stage("source", 0.04, 0.08, "encoding the source audio");
        const Audio& a = job.src_audio ? *job.src_audio : *job.ref_audio;
        at::Tensor lat = c.codec->encode(a).repeat({bsz, 1, 1, 1});
        (job.src_audio ? src_latents : ref_latents) = lat;
        check_cancel(opt.cancel);
    }

    // ---- diffusion ----
    rep.stage("diffusion", 0.08, 0.90, "diffusion");
    const auto t_loop = Clock::now();
    LoopHooks hooks;
    hooks.cancel = opt.cancel;
    hooks.on_step = [&](const StepInfo& s) {
        const double el = seconds_since(t_loop);
        double eta = -1.0;
        if (s.evals_done > 0) eta = el / (double)s.evals_done * (double)(s.evals_total - s.evals_done);
        const double local = s.evals_total > 0 ? (double)s.evals_done / (double)s.evals_total : (double)s.index / (double)s.total;
        rep.emit((int)s.index, (int)s.total, local, eta,
                 "diffusion step " + std::to_string(s.index) + "/" + std::to_string(s.total));
    };
    if (p.task == "edit") {
        FlowEditInputs fi;
        fi.text_hidden = text_h;
        fi.text_mask = text_mask;
        fi.speaker = speaker;
        fi.lyric_ids = lyric_ids;
        fi.lyric_mask = lyric_mask;
        text_states(*p.edit_target_prompt, opt.overrides.target_text_ids, opt.overrides.target_text_mask, false,
                    &fi.target_text_hidden, &fi.target_text_mask, nullptr);
        lyric_tensors(*p.edit_target_lyrics, opt.overrides.target_lyric_ids, &fi.target_lyric_ids, &fi.target_lyric_mask);
        fi.src_latents = src_latents;
        out.latents = flowedit_diffusion(c, p, fi, noise, hooks);
    } else {
        Text2MusicInputs ti;
        ti.duration = p.audio_duration;
        ti.add_retake_noise = p.task == "retake" || p.task == "repaint" || p.task == "extend";
        ti.repaint_start = p.repaint_start;
        ti.repaint_end = p.repaint_end;
        ti.text_hidden = text_h;
        ti.text_mask = text_mask;
        ti.text_hidden_null = text_h_null;
        ti.speaker = speaker;
        ti.lyric_ids = lyric_ids;
        ti.lyric_mask = lyric_mask;
        ti.src_latents = src_latents;
        ti.ref_latents = ref_latents;
        out.latents = text2music_diffusion(c, p, ti, noise, hooks);
    }
    // Release everything the loop held before the decoder allocates its activations.
    text_h = text_mask = text_h_null = lyric_ids = lyric_mask = src_latents = ref_latents = at::Tensor();
    out.params.timecosts.diffusion = seconds_since(t_diff);
    check_cancel(opt.cancel);

    // ---- decode ----
    if (opt.decode) {
        const auto t_dec = Clock::now();
        rep.stage("decode", 0.90, 0.99, "decoding the latents to audio");
        DecodeRequest req;
        req.overlapped = opt.overlapped_decode && p.audio_duration > 48.0;
        req.cancel = opt.cancel;
        req.progress = [&](int done, int total) {
            const double el = seconds_since(t_dec);
            const double eta = done > 0 ? el / done * (total - done) : -1.0;
            rep.emit(done, total, total > 0 ? (double)done / total : 0.0, eta,
                     "decoding " + std::to_string(done) + "/" + std::to_string(total));
        };
        out.audio = c.codec->decode(out.latents, req);
        out.params.timecosts.latent2audio = seconds_since(t_dec);
    }
    return out;
}

}  // namespace acestep::pipeline
