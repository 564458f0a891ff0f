// The diffusion loops (see diffusion.h), statement for statement like text2music_diffusion_process /
// flowedit_diffusion_process so that every intermediate keeps the official dtype (0-dim fp32 sigma
// tensors times model-dtype latents stay in the model dtype; Q22).
#include "pipeline/diffusion.h"

#include <cmath>

#include "acestep/error.h"
#include "pipeline/guidance.h"
#include "pipeline/scheduler.h"

namespace acestep::pipeline {

namespace {

void check_cancel(const LoopHooks& h) {
    if (h.cancel && h.cancel->load()) throw Cancelled();
}

void report(const LoopHooks& h, StepInfo& s, int64_t index, int64_t evals) {
    s.index = index + 1;
    s.evals_done += evals;
    if (h.on_step) h.on_step(s);
}

at::Tensor last_dim(const at::Tensor& t, int64_t from, int64_t to) { return t.slice(-1, from, to); }

}  // namespace

int64_t frames_for_seconds(double seconds) { return (int64_t)(seconds * 44100 / 512 / 8); }

ExtendPlan plan_extend(int64_t src_frames, double repaint_start, double repaint_end) {
    ExtendPlan e;
    e.src_frames = src_frames;
    const int64_t a = frames_for_seconds(repaint_start), b = frames_for_seconds(repaint_end);
    e.pad_left = a < 0 ? -a : 0;
    e.pad_right = b > src_frames ? b - src_frames : 0;  // relative to the source (Q17 fixed)
    if (e.pad_left == 0 && e.pad_right == 0)
        throw Error("extend: nothing to extend: repaint_start must be negative (add before) or repaint_end must lie "
                    "beyond the end of the source (add after), by at least one latent frame (0.093 s)");
    const int64_t full = src_frames + e.pad_left + e.pad_right;
    if (full > kMaxFrames) {
        if (e.pad_left > 0 && e.pad_right > 0)
            throw Error("extend: extending both sides past the 240 s window is not supported; extend one side at a time");
        if (e.pad_left > kMaxFrames || e.pad_right > kMaxFrames)
            throw Error("extend: the added part may be at most 240 s long");
        if (e.pad_left > 0) e.trim_right = full - kMaxFrames;  // source tail outside the window, re-attached after
        else e.trim_left = full - kMaxFrames;                   // source head outside the window, re-attached before
    }
    return e;
}

at::Tensor text2music_diffusion(const Components& c, const GenerationParams& p, const Text2MusicInputs& in,
                                NoiseSource& noise, const LoopHooks& hooks) {
    const at::ScalarType dtype = c.dtype;
    const at::Device dev = c.device;
    const bool do_cfg = !(p.guidance_scale == 0.0 || p.guidance_scale == 1.0);
    const bool do_double = p.guidance_scale_text > 1.0 && p.guidance_scale_lyric > 1.0;
    const int64_t bsz = in.text_hidden.size(0);

    auto scheduler = make_scheduler(p.scheduler_type);
    int64_t frame_length = frames_for_seconds(in.duration);
    if (in.src_latents.defined()) frame_length = in.src_latents.size(-1);
    if (in.ref_latents.defined()) frame_length = in.ref_latents.size(-1);

    int64_t infer_steps = p.infer_step;
    if (!p.oss_steps.empty()) {
        infer_steps = *std::max_element(p.oss_steps.begin(), p.oss_steps.end());
        apply_oss_steps(*scheduler, p.oss_steps, dtype);
    } else {
        scheduler->set_timesteps(infer_steps);
    }
    int64_t num_inference_steps = scheduler->num_inference_steps();

    at::Tensor target = noise.randn(Stream::Main, {bsz, 8, 16, frame_length}, dtype, dev);

    bool is_repaint = false, is_extend = false;
    int64_t n_min = 0;
    at::Tensor x0, z0, zt_edit, repaint_mask, outside_left, outside_right;
    if (in.add_retake_noise) {
        n_min = (int64_t)((double)infer_steps * (1 - p.retake_variance));
        const at::Tensor theta = at::scalar_tensor(p.retake_variance * M_PI / 2, at::kFloat).to(dev).to(dtype);  // Q18
        at::Tensor retake = noise.randn(Stream::Retake, {bsz, 8, 16, frame_length}, dtype, dev);
        const int64_t a = frames_for_seconds(in.repaint_start), b = frames_for_seconds(in.repaint_end);
        is_repaint = b - a != frame_length;
        is_extend = a < 0 || b > frame_length;
        if (is_extend) is_repaint = true;
        if (!in.src_latents.defined() && is_repaint)
            throw Error("repaint/extend needs the source audio (src_audio_path)");
        if (!is_repaint) {
            target = at::cos(theta) * target + at::sin(theta) * retake;
        } else if (!is_extend) {
            x0 = in.src_latents;
            repaint_mask = at::zeros({bsz, 8, 16, frame_length}, at::TensorOptions().dtype(dtype).device(dev));
            repaint_mask.slice(-1, a, b).fill_(1.0);
            at::Tensor repaint_noise = at::cos(theta) * target + at::sin(theta) * retake;
            repaint_noise = at::where(repaint_mask == 1.0, repaint_noise, target);
            zt_edit = x0.clone();
            z0 = repaint_noise;
        } else {
            const ExtendPlan e = plan_extend(frame_length, in.repaint_start, in.repaint_end);
            const int64_t w0 = frame_length, full = w0 + e.pad_left + e.pad_right;
            at::Tensor padded = at::constant_pad_nd(in.src_latents, {e.pad_left, e.pad_right}, 0);
            outside_left = last_dim(padded, 0, e.trim_left);
            outside_right = last_dim(padded, full - e.trim_right, full);
            x0 = last_dim(padded, e.trim_left, full - e.trim_right).contiguous();
            frame_length = x0.size(-1);
            repaint_mask = at::zeros({bsz, 8, 16, frame_length}, at::TensorOptions().dtype(dtype).device(dev));
            if (e.pad_left > 0) repaint_mask.slice(-1, 0, e.pad_left).fill_(1.0);
            if (e.pad_right > 0) repaint_mask.slice(-1, frame_length - e.pad_right, frame_length).fill_(1.0);
            // Q16: the official noise for the new frames is sliced from a W0-frame tensor; a longer
            // extension continues the retake stream instead of failing.
            at::Tensor retake_long = retake;
            const int64_t need = std::max(e.pad_left, e.pad_right);
            if (need > w0)
                retake_long = at::cat({retake, noise.randn(Stream::Retake, {bsz, 8, 16, need - w0}, dtype, dev)}, -1);
            std::vector<at::Tensor> parts;
            if (e.pad_left > 0) parts.push_back(last_dim(e.pad_left <= w0 ? retake : retake_long, 0, e.pad_left));
            parts.push_back(last_dim(target, e.trim_left, w0 - e.trim_right));
            if (e.pad_right > 0) {
                const at::Tensor& r = e.pad_right <= w0 ? retake : retake_long;
                parts.push_back(last_dim(r, r.size(-1) - e.pad_right, r.size(-1)));
            }
            target = at::cat(parts, -1);
            zt_edit = x0.clone();
            z0 = target;
        }
    }

    if (p.audio2audio_enable && in.ref_latents.defined()) {
        // add_latents_noise: a scheduler starting at sigma_max = 1 - strength, N' = int(sigma_max * N)
        const double smax = 1 - p.ref_audio_strength;
        scheduler = make_scheduler(p.scheduler_type, smax);
        const int64_t n2 = (int64_t)(smax * (double)infer_steps);
        if (n2 < 1) throw Error("ref_audio_strength " + std::to_string(p.ref_audio_strength) + " leaves no diffusion step at " +
                                std::to_string(infer_steps) + " steps: lower the strength or raise infer_step");
        scheduler->set_timesteps(n2);
        num_inference_steps = scheduler->num_inference_steps();
        const double s1 = scheduler->sigma_max();  // once shifted, while the first model sigma is twice shifted (Q12)
        target = in.ref_latents * (1 - s1) + target * s1;
    }

    const at::Tensor attention_mask = at::ones({bsz, frame_length}, at::TensorOptions().dtype(dtype).device(dev));
    const GuidanceInterval gi = guidance_interval(num_inference_steps, p.guidance_interval);
    MomentumBuffer momentum;

    const Denoiser& dit = *c.dit;
    const at::Tensor zero_speaker = at::zeros_like(in.speaker);
    Condition cond = dit.encode(in.text_hidden, in.text_mask, in.speaker, in.lyric_ids, in.lyric_mask, false);
    Condition null_cond, no_lyric;
    if (do_cfg) {
        if (p.use_erg_lyric)
            null_cond = dit.encode(in.text_hidden_null.defined() ? in.text_hidden_null : at::zeros_like(in.text_hidden),
                                   in.text_mask, zero_speaker, in.lyric_ids, in.lyric_mask, true);
        else
            null_cond = dit.encode(at::zeros_like(in.text_hidden), in.text_mask, zero_speaker, at::zeros_like(in.lyric_ids),
                                   in.lyric_mask, false);
        null_cond.mask = cond.mask;  // the official loop passes the conditional mask to every branch
        if (do_double) {
            if (p.use_erg_lyric)
                no_lyric = dit.encode(in.text_hidden, in.text_mask, zero_speaker, in.lyric_ids, in.lyric_mask, true);
            else
                no_lyric = dit.encode(in.text_hidden, in.text_mask, zero_speaker, at::zeros_like(in.lyric_ids), in.lyric_mask, false);
            no_lyric.mask = cond.mask;
        }
    }

    const at::Tensor& timesteps = scheduler->timesteps();
    const int64_t entries = timesteps.size(0);
    StepInfo info;
    info.total = entries;
    for (int64_t i = 0; i < entries; ++i) {
        const bool skipped = is_repaint && i < n_min;
        info.evals_total += skipped ? 0 : (gi.contains(i) && do_cfg ? (do_double ? 3 : 2) : 1);
    }
    NoiseFn step_noise = [&](const at::Tensor& like) { return noise.normal_like(Stream::Main, like); };

    bool any_step = false;
    for (int64_t i = 0; i < entries; ++i) {
        check_cancel(hooks);
        const at::Tensor t = timesteps[i];
        if (is_repaint) {
            if (i < n_min) {
                report(hooks, info, i, 0);
                continue;
            }
            if (i == n_min) {
                const at::Tensor t_i = t / 1000;
                at::Tensor zt_src = (1 - t_i) * x0 + t_i * z0;
                target = zt_edit + zt_src - x0;
            }
        }
        any_step = true;
        const at::Tensor latents = target;
        const at::Tensor timestep = t.expand({bsz}).to(dev);
        at::Tensor v;
        int64_t evals = 1;
        if (gi.contains(i) && do_cfg) {
            const double scale = guidance_scale_at(i, gi, p.guidance_scale, p.min_guidance_scale, p.guidance_interval_decay);
            at::Tensor v_c = dit.decode(latents, attention_mask, cond, timestep, false);
            at::Tensor v_t;
            if (do_double) v_t = dit.decode(latents, attention_mask, no_lyric, timestep, false);
            at::Tensor v_u = dit.decode(latents, attention_mask, null_cond, timestep, p.use_erg_diffusion);
            evals = do_double ? 3 : 2;
            if (do_double) v = cfg_double_condition(v_c, v_u, v_t, p.guidance_scale_text, p.guidance_scale_lyric);
            else if (p.cfg_type == "apg") v = apg_forward(v_c, v_u, scale, &momentum);
            else if (p.cfg_type == "cfg") v = cfg_forward(v_c, v_u, scale);
            else if (p.cfg_type == "cfg_star") v = cfg_zero_star(v_c, v_u, scale, i);
            else throw Error("cfg_type must be apg, cfg or cfg_star; got '" + p.cfg_type + "'");
        } else {
            v = dit.decode(latents, attention_mask, cond, timestep, false);
        }

        if (is_repaint && i >= n_min) {
            // plain Euler whatever the scheduler (Q13, Q14), then re-impose the known region
            const at::Tensor t_i = t / 1000;
            const at::Tensor t_im1 = i + 1 < entries ? timesteps[i + 1] / 1000 : at::zeros_like(t_i);
            at::Tensor prev = target.to(at::kFloat) + (t_im1 - t_i) * v;
            target = prev.to(dtype);
            at::Tensor zt_src = (1 - t_im1) * x0 + t_im1 * z0;
            target = at::where(repaint_mask == 1.0, target, zt_src);
        } else {
            target = scheduler->step(v, t, target, p.omega_scale, step_noise);
        }
        report(hooks, info, i, evals);
    }
    // retake_variance so small that no step runs: the official loop returns the raw noise; keep the source.
    if (is_repaint && !any_step) target = x0.clone();

    if (is_extend && (outside_left.size(-1) > 0 || outside_right.size(-1) > 0))  // Q15 fixed: the true source parts
        target = at::cat({outside_left.to(target.scalar_type()), target, outside_right.to(target.scalar_type())}, -1);
    return target;
}

at::Tensor flowedit_diffusion(const Components& c, const GenerationParams& p, const FlowEditInputs& in, NoiseSource& noise,
                              const LoopHooks& hooks) {
    const at::ScalarType dtype = c.dtype;
    const at::Device dev = c.device;
    const Denoiser& dit = *c.dit;
    const bool do_cfg = !(p.guidance_scale == 0.0 || p.guidance_scale == 1.0);
    const double gs = p.guidance_scale, target_gs = p.guidance_scale;
    const int64_t bsz = in.text_hidden.size(0);
    const bool pingpong = p.scheduler_type == "pingpong";

    auto scheduler = make_scheduler("euler");  // flow-edit always uses the Euler table
    scheduler->set_timesteps(p.infer_step);
    const int64_t w = in.src_latents.size(-1);
    at::Tensor attention_mask = at::ones({bsz, w}, at::TensorOptions().dtype(dtype).device(dev));

    at::Tensor th = in.text_hidden, tm = in.text_mask, sp = in.speaker, li = in.lyric_ids, lm = in.lyric_mask;
    at::Tensor tth = in.target_text_hidden, ttm = in.target_text_mask, tsp = in.speaker.clone();
    at::Tensor tli = in.target_lyric_ids, tlm = in.target_lyric_mask;
    if (do_cfg) {
        // uncond half: zero text states (real mask), zero speaker, zero lyric ids AND zero lyric mask (Q8)
        attention_mask = at::cat({attention_mask, attention_mask}, 0);
        th = at::cat({th, at::zeros_like(th)}, 0);
        tm = at::cat({tm, tm}, 0);
        tth = at::cat({tth, at::zeros_like(tth)}, 0);
        ttm = at::cat({ttm, ttm}, 0);
        sp = at::cat({sp, at::zeros_like(sp)}, 0);
        tsp = at::cat({tsp, at::zeros_like(tsp)}, 0);
        li = at::cat({li, at::zeros_like(li)}, 0);
        lm = at::cat({lm, at::zeros_like(lm)}, 0);
        tli = at::cat({tli, at::zeros_like(tli)}, 0);
        tlm = at::cat({tlm, at::zeros_like(tlm)}, 0);
    }
    // The official calls the full forward (encode + decode) every time; the encoding does not depend on
    // the latents, so it is done once per condition set.
    const Condition cond_src = dit.encode(th, tm, sp, li, lm, false);
    const Condition cond_tar = dit.encode(tth, ttm, tsp, tli, tlm, false);

    MomentumBuffer momentum, momentum_tar;
    auto predict = [&](const at::Tensor& z, const Condition& cond, const at::Tensor& t, double scale, MomentumBuffer* mb) {
        at::Tensor input = do_cfg ? at::cat({z, z}, 0) : z;
        at::Tensor v = dit.decode(input.to(dtype), attention_mask, cond, t.expand({input.size(0)}).to(dev), false);
        if (!do_cfg) return v;
        auto halves = v.chunk(2, 0);
        return apg_forward(halves[0], halves[1], scale, mb);  // calc_v always uses APG (cfg_type is not passed)
    };

    const at::Tensor x_src = in.src_latents;
    at::Tensor zt_edit = x_src.clone(), xt_tar;
    const int64_t n_min = (int64_t)((double)p.infer_step * p.edit_n_min);
    const int64_t n_max = (int64_t)((double)p.infer_step * p.edit_n_max);
    const double inv_avg = 1.0 / (double)p.edit_n_avg;

    const at::Tensor& timesteps = scheduler->timesteps();
    const int64_t entries = timesteps.size(0);
    StepInfo info;
    info.total = entries;
    for (int64_t i = 0; i < entries; ++i)
        if (i >= n_min) info.evals_total += (i < n_max ? 2 * p.edit_n_avg : 1) * (do_cfg ? 2 : 1);

    for (int64_t i = 0; i < entries; ++i) {
        check_cancel(hooks);
        if (i < n_min) {
            report(hooks, info, i, 0);
            continue;
        }
        const at::Tensor t = timesteps[i];
        const at::Tensor t_i = t / 1000;
        const at::Tensor t_im1 = i + 1 < entries ? timesteps[i + 1] / 1000 : at::zeros_like(t_i);
        int64_t evals = 0;
        if (i < n_max) {
            at::Tensor v_delta = at::zeros_like(x_src);
            for (int64_t k = 0; k < p.edit_n_avg; ++k) {
                at::Tensor fwd = noise.randn(Stream::Retake, x_src.sizes(), dtype, dev);
                at::Tensor zt_src = (1 - t_i) * x_src + t_i * fwd;
                at::Tensor zt_tar = zt_edit + zt_src - x_src;
                at::Tensor v_src = predict(zt_src, cond_src, t, gs, &momentum);
                at::Tensor v_tar = predict(zt_tar, cond_tar, t, target_gs, nullptr);  // no momentum here (Q20)
                v_delta.add_(inv_avg * (v_tar - v_src));
                evals += do_cfg ? 4 : 2;
            }
            zt_edit = zt_edit.to(at::kFloat);
            if (!pingpong) {
                zt_edit = (zt_edit + (t_im1 - t_i) * v_delta).to(dtype);
            } else {
                // Q19: the official computes a re-noised sample and never uses it; only the draw remains.
                (void)noise.normal_like(Stream::Retake, zt_edit);
            }
        } else {
            if (i == n_max) {
                at::Tensor fwd = noise.randn(Stream::Retake, x_src.sizes(), dtype, dev);
                const at::Tensor sigma = scheduler->sigmas()[scheduler->index_for_timestep(t)];
                at::Tensor xt_src = sigma * fwd + (1.0 - sigma) * x_src;
                xt_tar = zt_edit + xt_src - x_src;
            }
            at::Tensor v_tar = predict(xt_tar, cond_tar, t, target_gs, &momentum_tar);
            evals += do_cfg ? 2 : 1;
            xt_tar = xt_tar.to(at::kFloat);
            if (!pingpong) {
                xt_tar = (xt_tar + (t_im1 - t_i) * v_tar).to(dtype);
            } else {
                at::Tensor prev = xt_tar - t_i * v_tar;
                at::Tensor eps = noise.normal_like(Stream::Retake, zt_edit);
                xt_tar = (1 - t_im1) * prev + t_im1 * eps;
            }
        }
        report(hooks, info, i, evals);
    }
    return xt_tar.defined() ? xt_tar : zt_edit;
}

}  // namespace acestep::pipeline
