// `acestep-cli generate`: one generation job from flags and/or an official sidecar JSON, through the
// same Engine the GUI uses.  Every GenerationParams field has a flag (named after its official key);
// `--params FILE.json` loads a sidecar or call dump first and the flags given override it.  Progress
// with ETA goes to stderr, the written audio paths to stdout (one per line).  Ctrl-C cancels between
// steps and leaves no file; bad parameters give one error line, a non-zero exit and write nothing.
#include <cstdio>
#include <cstring>
#include <iostream>
#include <sstream>

#include "acestep/engine.h"
#include "acestep/error.h"
#include "acestep/fs_util.h"
#include "acestep/params.h"
#include "acestep/safetensors.h"
#include "cli/args.h"
#include "cli/cancel.h"

namespace acestep::cli {

namespace {

std::string eta_text(double s) {
    if (s < 0) return "--";
    char buf[32];
    if (s >= 3600) std::snprintf(buf, sizeof buf, "%dh%02dm", (int)s / 3600, ((int)s % 3600) / 60);
    else std::snprintf(buf, sizeof buf, "%dm%02ds", (int)s / 60, (int)s % 60);
    return buf;
}

// Token ids from a text file ("261 12 13 2", commas/brackets allowed) or a safetensors tensor
// ("FILE.safetensors[:NAME]", NAME defaulting to the only integer tensor / lyric_token_idx_0).
std::vector<int64_t> read_token_ids(const std::string& spec) {
    std::string path = spec, name;
    const auto pos = spec.find(".safetensors:");
    if (pos != std::string::npos) {
        path = spec.substr(0, pos + 12);
        name = spec.substr(pos + 13);
    }
    std::vector<int64_t> ids;
    if (path.size() > 12 && path.compare(path.size() - 12, 12, ".safetensors") == 0) {
        auto f = st::File::open(path);
        const st::TensorInfo* t = nullptr;
        if (!name.empty()) t = &f->at(name);
        else if (f->contains("lyric_token_idx_0")) t = &f->at("lyric_token_idx_0");
        else
            for (const auto& x : f->tensors())
                if (x.dtype == st::DType::I64 || x.dtype == st::DType::I32) {
                    if (t) throw Error(path + ": several integer tensors; name one as FILE.safetensors:NAME");
                    t = &x;
                }
        if (!t) throw Error(path + ": no integer tensor with token ids");
        if (t->dtype == st::DType::I64) {
            for (int64_t i = 0; i < t->numel(); ++i) {
                int64_t v;
                std::memcpy(&v, t->data + 8 * i, 8);
                ids.push_back(v);
            }
        } else if (t->dtype == st::DType::I32) {
            for (int64_t i = 0; i < t->numel(); ++i) {
                int32_t v;
                std::memcpy(&v, t->data + 4 * i, 4);
                ids.push_back(v);
            }
        } else {
            throw Error(path + ": tensor '" + t->name + "' is not an integer tensor");
        }
    } else {
        std::string text = read_file(path, 64ull << 20);
        for (auto& c : text)
            if (c == ',' || c == '[' || c == ']') c = ' ';
        std::istringstream in(text);
        std::string tok;
        while (in >> tok) {
            size_t used = 0;
            long long v = 0;
            try {
                v = std::stoll(tok, &used);
            } catch (...) {
                used = 0;
            }
            if (used == 0 || used != tok.size() || v < 0) throw Error(path + ": '" + tok + "' is not a token id");
            ids.push_back(v);
        }
    }
    if (ids.empty()) throw Error(spec + ": no token ids");
    for (int64_t v : ids)
        if (v < 0 || v > 1000000) throw Error(spec + ": token id " + std::to_string(v) + " out of range");
    return ids;
}

// --params is applied before the other flags, wherever it stands.
std::string prescan_params(int argc, char** argv) {
    std::string file;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--params" && i + 1 < argc) file = argv[++i];
        else if (a.rfind("--params=", 0) == 0) file = a.substr(9);
    }
    return file;
}

void opt_text(Args& a, const std::string& names, std::optional<std::string>* out, const std::string& meta, const std::string& help) {
    a.custom(names, meta, help, out->value_or("none"), [out](const std::string& v) { *out = v; });
}

int cmd_generate(int argc, char** argv) {
    GenerationParams p;
    const std::string params_file = prescan_params(argc, argv);
    if (!params_file.empty()) p = load_params_file(params_file);

    EngineOptions eo;
    OutputOptions oo;
    std::string params_dummy = params_file, lyrics_file, target_lyrics_file, lyric_ids_file, target_lyric_ids_file;
    bool quiet = false, no_sidecar = false;

    Args a("generate", "[options]",
           "Generates music with ACE-Step v1 and writes <out>/output_<time>_<i>.<format> plus its\n"
           "<stem>_input_params.json sidecar (the official keys). Every parameter of the official pipeline has a\n"
           "flag; --params loads a saved sidecar (or a call dump) first and the flags given override it.\n"
           "Progress goes to stderr, the written audio paths to stdout. Ctrl-C cancels cleanly (no file is left).");
    a.option("--params", &params_dummy, "FILE.json", "load parameters from a sidecar / call-argument JSON (flags override)");
    // ---- model and machine ----
    a.option("--checkpoint", &eo.checkpoint, "DIR", "checkpoint folder (default: $ACESTEP_CHECKPOINT, ./models, ~/.cache/ace-step/checkpoints, the HF cache)");
    a.option("--device", &eo.device, "DEV", "auto, cpu, cuda or cuda:N (CUDA unavailable: CPU with a warning)");
    a.option("--dtype", &eo.dtype, "T", "auto (bf16 on GPU and on CPUs with fast bf16, else fp32), fp32, bf16, fp16 (GPU)");
    a.option("--threads", &eo.threads, "N", "CPU threads (0 = all cores)");
    a.option("--overlapped-decode", &eo.overlapped_decode, "BOOL", "windowed DCAE/vocoder decode for audio over 48 s (less memory)");
    // ---- output ----
    a.option("--out|--out-dir", &oo.out_dir, "DIR", "output folder");
    a.option("--name", &oo.file_stem, "STEM", "file name stem instead of output_<time>_<i> (never overwrites: _2, _3, ... are added)");
    a.option("--format", &p.format, "FMT", "wav (float32), flac (16-bit), ogg, mp3, opus");
    a.option("--bit-depth", &oo.bit_depth, "N", "wav: 32 (float), 24 or 16; flac: 16 or 24; 0 = the format's default");
    a.option("--quality", &oo.quality, "Q", "ogg/opus/mp3 quality 0..1 (< 0 = codec default)");
    a.flag("--no-sidecar", &no_sidecar, "do not write <stem>_input_params.json");
    a.flag("--quiet|-q", &quiet, "no progress on stderr");
    // ---- what to make ----
    a.option("--task", &p.task, "TASK", "text2music, retake, repaint, edit, extend, audio2audio");
    a.option("--prompt|--tags", &p.prompt, "TEXT", "tags / description (UMT5, at most 256 tokens)");
    a.option("--lyrics", &p.lyrics, "TEXT", "lyrics ([verse] / [chorus] lines; empty = instrumental)");
    a.option("--lyrics-file", &lyrics_file, "FILE", "read the lyrics from a UTF-8 text file");
    a.option("--lyrics-language", &p.lyrics_language, "CODE", "force one language for every lyric line (e.g. en, zh, ja); empty = detect per line");
    a.option("--lyric-ids", &lyric_ids_file, "FILE", "lyric token ids instead of the lyric front end (text file of ints, or FILE.safetensors[:NAME])");
    a.option("--target-lyric-ids", &target_lyric_ids_file, "FILE", "token ids of edit_target_lyrics (same formats)");
    a.option("--duration|--audio-duration", &p.audio_duration, "SEC", "length in seconds, 1..240 (<= 0 = random 30..240)");
    a.option("--steps|--infer-step", &p.infer_step, "N", "diffusion steps");
    a.option("--scheduler|--scheduler-type", &p.scheduler_type, "NAME", "euler, heun or pingpong");
    a.option("--cfg-type", &p.cfg_type, "NAME", "apg, cfg or cfg_star");
    a.option("--guidance-scale", &p.guidance_scale, "G", "guidance scale (0 or 1 = no guidance)");
    a.option("--omega-scale", &p.omega_scale, "W", "granularity (euler/heun)");
    a.option("--guidance-interval", &p.guidance_interval, "F", "central fraction of the steps that get guidance");
    a.option("--guidance-interval-decay", &p.guidance_interval_decay, "F", "linear decay of the scale inside the interval (0 = none)");
    a.option("--min-guidance-scale", &p.min_guidance_scale, "G", "floor of the decay");
    a.option("--use-erg-tag", &p.use_erg_tag, "BOOL", "ERG on the tag embeddings (needs --use-erg-lyric)");
    a.option("--use-erg-lyric", &p.use_erg_lyric, "BOOL", "ERG lyric null condition");
    a.option("--use-erg-diffusion", &p.use_erg_diffusion, "BOOL", "ERG on the unconditional DiT pass");
    a.custom("--oss-steps", "LIST", "custom step subset, e.g. 16,29,52 (euler/pingpong)", seed_list_to_string(p.oss_steps),
             [&p](const std::string& v) { p.oss_steps = parse_seed_list(v, "oss_steps"); });
    a.custom("--seed|--seeds|--manual-seeds", "LIST", "seed, or one per batch item: 1,2,3 (empty = random)",
             seed_list_to_string(p.manual_seeds), [&p](const std::string& v) {
                 p.manual_seeds = parse_seed_list(v, "seeds");
                 p.actual_seeds.clear();
             });
    a.custom("--retake-seeds", "LIST", "seeds of the variation noise (retake/repaint/extend/edit)", seed_list_to_string(p.retake_seeds),
             [&p](const std::string& v) {
                 p.retake_seeds = parse_seed_list(v, "retake_seeds");
                 p.actual_retake_seeds.clear();
             });
    a.option("--retake-variance", &p.retake_variance, "F", "variation amount 0..1 (retake/repaint)");
    a.option("--guidance-scale-text", &p.guidance_scale_text, "G", "double-condition text scale (> 1 with --guidance-scale-lyric > 1)");
    a.option("--guidance-scale-lyric", &p.guidance_scale_lyric, "G", "double-condition lyric scale");
    a.option("--repaint-start", &p.repaint_start, "SEC", "repaint: region start; extend: negative = seconds added on the left");
    a.option("--repaint-end", &p.repaint_end, "SEC", "repaint: region end; extend: beyond the source = seconds added on the right");
    opt_text(a, "--src-audio|--src-audio-path", &p.src_audio_path, "FILE", "source audio for repaint, edit, extend");
    opt_text(a, "--edit-target-prompt", &p.edit_target_prompt, "TEXT", "edit: the new tags (none = keep the prompt)");
    opt_text(a, "--edit-target-lyrics", &p.edit_target_lyrics, "TEXT", "edit: the new lyrics (none = keep the lyrics)");
    a.option("--edit-target-lyrics-file", &target_lyrics_file, "FILE", "edit: read the new lyrics from a file");
    a.option("--edit-n-min", &p.edit_n_min, "F", "edit: flow-edit start fraction (only_lyrics 0.6, remix 0.2)");
    a.option("--edit-n-max", &p.edit_n_max, "F", "edit: flow-edit end fraction (only_lyrics 1.0, remix 0.4)");
    a.option("--edit-n-avg", &p.edit_n_avg, "N", "edit: noise samples averaged per flow-edit step");
    a.option("--audio2audio|--audio2audio-enable", &p.audio2audio_enable, "BOOL", "audio2audio from --ref-audio");
    opt_text(a, "--ref-audio|--ref-audio-input", &p.ref_audio_input, "FILE", "audio2audio reference audio");
    a.option("--ref-audio-strength", &p.ref_audio_strength, "F", "audio2audio: how much of the reference is kept, 0..1");
    a.option("--lora|--lora-name-or-path", &p.lora_name_or_path, "PATH", "PEFT LoRA folder / pytorch_lora_weights.safetensors / cached HF repo id, or none");
    a.option("--lora-weight", &p.lora_weight, "W", "LoRA scale");
    a.option("--batch|--batch-size", &p.batch_size, "N", "takes, one seed each");
    if (!a.parse(argc, argv)) return 0;

    if (!lyrics_file.empty()) p.lyrics = read_file(lyrics_file, 16ull << 20);
    if (!target_lyrics_file.empty()) p.edit_target_lyrics = read_file(target_lyrics_file, 16ull << 20);
    if (no_sidecar) oo.write_sidecar = false;
    GivenTokens tokens;
    if (!lyric_ids_file.empty()) tokens.lyric_ids = read_token_ids(lyric_ids_file);
    if (!target_lyric_ids_file.empty()) tokens.target_lyric_ids = read_token_ids(target_lyric_ids_file);
    // A loaded sidecar records what ran: with no seeds given on the command line, its actual seeds are reused.
    if (p.manual_seeds.empty() && !p.actual_seeds.empty()) p.manual_seeds = p.actual_seeds;
    if (p.retake_seeds.empty() && !p.actual_retake_seeds.empty()) p.retake_seeds = p.actual_retake_seeds;
    p.actual_seeds.clear();
    p.actual_retake_seeds.clear();

    const auto* cancel = cancel_on_interrupt();
    Engine engine(eo);
    bool warned = false;
    ProgressFn progress = [&](const Progress& pr) {
        if (!warned) {
            warned = true;
            const std::string w = engine.status().warning;
            if (!w.empty()) std::fprintf(stderr, "warning: %s\n", w.c_str());
        }
        if (quiet) return;
        char line[512];
        std::snprintf(line, sizeof line, "[%3.0f%%] %-9s %s  elapsed %s  ETA %s", pr.fraction * 100.0, pr.stage.c_str(),
                      pr.message.c_str(), eta_text(pr.elapsed_s).c_str(), eta_text(pr.eta_s).c_str());
        status_line(line, pr.stage == "write" && pr.fraction >= 1.0);
    };
    const std::vector<Take> takes =
        engine.generate(p, oo, progress, cancel, tokens.lyric_ids || tokens.target_lyric_ids ? &tokens : nullptr);
    for (const auto& t : takes) {
        std::printf("%s\n", t.audio_path.c_str());
        if (!quiet) {
            std::string seeds = seed_list_to_string(t.params.actual_seeds);
            std::fprintf(stderr, "wrote %s (%.2f s, seeds %s)%s%s\n", t.audio_path.c_str(), t.seconds, seeds.c_str(),
                         t.params_path.empty() ? "" : " + ", t.params_path.c_str());
        }
    }
    return 0;
}

}  // namespace

ACESTEP_CLI_COMMAND(generate, "generate", "generate music (every pipeline parameter as a flag, or --params FILE.json)", cmd_generate);

}  // namespace acestep::cli
