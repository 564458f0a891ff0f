// Self-test cases e2e_*: ACEStepPipeline.__call__ end to end on the tiny fixture checkpoint
// (fixtures README "End-to-end cases"; model.md §7-§10).
//
// Each case runs the real pipeline (model store: UMT5, DiT + lyric encoder, codec) with the case's
// call arguments, twice:
//   1. the recorded draws draw_NN fed in draw order (RecordedNoise), as the README asks;
//   2. the seeded generators from the recorded seeds, every draw checked bit for bit against draw_NN
//      (CPU fp32 only: the CUDA generator is another stream, bf16 draws are other numbers).
// Inputs the fixture fixes: the lyric token ids (lyric_token_idx_0/_1; the lyric strings are
// placeholders), the prompt token ids (text_input_ids_0/_1, also compared with our tokenizer), and the
// source audio (e2e_src_audio, written to a float32 WAV as the reference did).
// Compared: final_latents and, when this build has the MusicDCAE codec, src_latents_0 and audio_48k
// (relative L2 <= 1e-4 on fp32).  Without the codec the source latents come from src_latents_0 and
// the case checks latents only (its note says so).
#include <unistd.h>

#include <filesystem>

#include "acestep/audio_io.h"
#include "acestep/error.h"
#include "acestep/params.h"
#include "pipeline/model_store.h"
#include "pipeline/pipeline.h"
#include "pipeline/rng.h"
#include "selftest/fixture.h"

namespace acestep::selftest {

namespace {

const char* const kCases[] = {"e2e_t2m_euler_apg", "e2e_t2m_euler_cfg", "e2e_t2m_heun_cfg", "e2e_t2m_pingpong_apg",
                              "e2e_t2m_euler_cfgstar_noerg", "e2e_retake", "e2e_repaint", "e2e_extend_left",
                              "e2e_extend_right", "e2e_edit_only_lyrics", "e2e_edit_remix", "e2e_audio2audio"};

double tolerance(const Context& ctx) { return ctx.dtype == at::kFloat ? 1e-4 : 1e-1; }

// The source audio as a float32 WAV in a private temp folder (removed with the context).
struct SourceWav {
    fs::path dir, path;
    ~SourceWav() {
        std::error_code ec;
        if (!dir.empty()) fs::remove_all(dir, ec);
    }
};

std::shared_ptr<SourceWav> source_wav(Context& ctx) {
    return ctx.cached<SourceWav>("e2e_src_wav", [&] {
        auto fx = ctx.fixture("e2e_src_audio");
        at::Tensor a = fx.tensor("src_audio").to(at::kFloat).contiguous();  // [2, N] @ 44.1 kHz
        if (a.dim() != 2) throw Error("e2e_src_audio: src_audio must be [channels, samples]");
        Audio audio;
        audio.sample_rate = fx.json().value("sample_rate", 44100);
        audio.channels = (int)a.size(0);
        audio.frames = a.size(1);
        audio.samples.assign(a.data_ptr<float>(), a.data_ptr<float>() + a.numel());
        auto s = std::make_shared<SourceWav>();
        s->dir = fs::temp_directory_path() / ("acestep-selftest-" + std::to_string(::getpid()));
        fs::create_directories(s->dir);
        s->path = s->dir / "e2e_src_audio.wav";
        AudioWriteOptions wo;
        wo.overwrite = Overwrite::Replace;  // wav float32 by default: exact
        write_audio(s->path, audio, wo);
        return s;
    });
}

std::shared_ptr<pipeline::ModelStore> store(Context& ctx) {
    return ctx.cached<pipeline::ModelStore>("e2e_store", [&] {
        pipeline::StoreOptions so;
        so.checkpoint = ctx.checkpoint.string();
        so.device = ctx.opt.device;
        so.dtype = ctx.opt.dtype;
        so.threads = ctx.opt.threads;
        auto s = std::make_shared<pipeline::ModelStore>(so);
        s->load();
        return s;
    });
}

// Until the codec is in the build: encode() returns the reference's infer_latents of the source.
class RecordedCodec final : public pipeline::AudioCodec {
public:
    explicit RecordedCodec(at::Tensor latents) : latents_(std::move(latents)) {}
    at::Tensor encode(const Audio&) const override { return latents_; }
    std::vector<at::Tensor> decode(const at::Tensor&, const pipeline::DecodeRequest&) const override {
        throw Error("no audio codec in this build");
    }

private:
    at::Tensor latents_;
};

// Seeded draws, each checked bit for bit against the recorded one.
class VerifyingNoise final : public pipeline::NoiseSource {
public:
    VerifyingNoise(pipeline::NoiseSource& inner, std::vector<at::Tensor> recorded, Comparison& cmp)
        : inner_(inner), recorded_(std::move(recorded)), cmp_(cmp) {}
    at::Tensor randn(pipeline::Stream s, at::IntArrayRef shape, at::ScalarType dtype, at::Device device) override {
        return check(inner_.randn(s, shape, dtype, device));
    }
    at::Tensor normal_like(pipeline::Stream s, const at::Tensor& like) override { return check(inner_.normal_like(s, like)); }
    size_t used() const { return next_; }

private:
    at::Tensor check(at::Tensor t) {
        char name[48];
        std::snprintf(name, sizeof name, "draw_%02zu(seeded)", next_);
        if (next_ < recorded_.size()) {
            const at::Tensor want = recorded_[next_].contiguous();
            const at::Tensor got = t.to(at::kCPU).to(at::kFloat).contiguous();
            if (got.sizes() == want.sizes()) cmp_.add_exact(name, got.view(at::kInt), want.view(at::kInt));  // bit for bit
            else cmp_.add(name, got, want);
        } else {
            cmp_.add_exact(std::string(name) + " (not recorded)", at::zeros({1}), at::ones({1}));
        }
        ++next_;
        return t;
    }
    pipeline::NoiseSource& inner_;
    std::vector<at::Tensor> recorded_;
    Comparison& cmp_;
    size_t next_ = 0;
};

std::vector<int64_t> id_list(const at::Tensor& t) {
    at::Tensor f = t.to(at::kLong).flatten().contiguous();
    return std::vector<int64_t>(f.data_ptr<int64_t>(), f.data_ptr<int64_t>() + f.numel());
}

CaseResult e2e_case(Context& ctx, const std::string& name) {
    auto fx = ctx.fixture(name);
    const auto& j = fx.json();
    auto st = store(ctx);
    const bool real_codec = pipeline::ModelStore::codec_available();

    GenerationParams params = params_from_json(j, name + ".json");
    const bool uses_source = j.contains("src_audio_file");
    if (uses_source) {
        const std::string wav = source_wav(ctx)->path.string();
        if (params.src_audio_path) params.src_audio_path = wav;
        if (params.ref_audio_input) params.ref_audio_input = wav;
    }
    std::vector<at::Tensor> draws;
    for (int k = 0;; ++k) {
        char d[16];
        std::snprintf(d, sizeof d, "draw_%02d", k);
        if (!fx.has(d)) break;
        draws.push_back(fx.tensor(d));
    }

    pipeline::Overrides ov;
    ov.text_ids = fx.tensor("text_input_ids_0");
    ov.text_mask = fx.tensor("text_attention_mask_0");
    ov.lyric_ids = id_list(fx.tensor("lyric_token_idx_0"));
    if (fx.has("text_input_ids_1")) {
        ov.target_text_ids = fx.tensor("text_input_ids_1");
        ov.target_text_mask = fx.tensor("text_attention_mask_1");
    }
    if (fx.has("lyric_token_idx_1")) ov.target_lyric_ids = id_list(fx.tensor("lyric_token_idx_1"));

    pipeline::PrepareOptions po;
    po.have_lyric_tokenizer = false;
    po.lyric_ids_given = true;
    const pipeline::Job job = pipeline::prepare_job(params, po);

    Comparison cmp;
    pipeline::Components comps = st->components();

    // The prompt tokenizer and the text encoder against the recorded inputs of the run.
    {
        at::Tensor ids, mask;
        comps.text->tokenize(params.prompt, &ids, &mask);
        cmp.add_exact("text_input_ids_0(tokenizer)", ids, fx.tensor("text_input_ids_0"));
        const at::Tensor tid = ov.text_ids.to(st->device()), tm = ov.text_mask.to(st->device());
        cmp.add("text_hidden_states_0", comps.text->encode(tid, tm, false), fx.tensor("text_hidden_states_0"));
        if (fx.has("text_hidden_states_null"))
            cmp.add("text_hidden_states_null", comps.text->encode(tid, tm, true), fx.tensor("text_hidden_states_null"));
    }

    std::shared_ptr<pipeline::AudioCodec> recorded_codec;
    if (!real_codec && uses_source) recorded_codec = std::make_shared<RecordedCodec>(fx.tensor("src_latents_0").to(st->device()).to(st->dtype()));
    if (recorded_codec) comps.codec = recorded_codec.get();
    if (real_codec && uses_source)
        cmp.add("src_latents_0", comps.codec->encode(read_audio(source_wav(ctx)->path)), fx.tensor("src_latents_0"));

    // 1. recorded draws
    pipeline::RecordedNoise recorded(draws);
    pipeline::RunOptions ro;
    ro.noise = &recorded;
    ro.overrides = ov;
    ro.decode = real_codec;
    pipeline::RunResult r = pipeline::run_pipeline(comps, job, ro);
    if (recorded.used() != recorded.size())
        return CaseResult::fail("the pipeline drew " + std::to_string(recorded.used()) + " random tensors, the reference " +
                                std::to_string(recorded.size()));
    cmp.add("final_latents", r.latents, fx.tensor("final_latents"));
    if (real_codec) {
        if (r.audio.size() != 1) return CaseResult::fail("expected one take");
        cmp.add("audio_48k", r.audio[0], fx.tensor("audio_48k"));
    }

    // 2. seeded draws (official CPU streams), checked bit for bit
    std::string note = real_codec ? "" : "latents only: no MusicDCAE codec in this build (audio_48k not checked)";
    if (st->device().is_cpu() && st->dtype() == at::kFloat) {
        pipeline::SeedGenerators main_gens(params.manual_seeds, params.batch_size, st->device());
        pipeline::SeedGenerators retake_gens(params.retake_seeds, params.batch_size, st->device());
        pipeline::SeededNoise seeded(main_gens, retake_gens);
        VerifyingNoise verify(seeded, draws, cmp);
        pipeline::RunOptions so = ro;
        so.noise = &verify;
        so.decode = false;
        pipeline::RunResult s = pipeline::run_pipeline(comps, job, so);
        cmp.add("final_latents(seeded)", s.latents, fx.tensor("final_latents"));
        if (verify.used() != draws.size())
            cmp.add_exact("seeded draw count", at::tensor({(int64_t)verify.used()}), at::tensor({(int64_t)draws.size()}));
    } else {
        note += std::string(note.empty() ? "" : "; ") + "seeded draws not checked (the fixture's streams are CPU fp32)";
    }
    CaseResult res = cmp.result(tolerance(ctx));
    if (!note.empty()) res.note = res.note.empty() ? note : res.note + "; " + note;
    return res;
}

void e2e_cases(Context& ctx, std::vector<Case>& out) {
    if (!std::filesystem::exists(ctx.checkpoint / "ace_step_transformer" / "config.json")) return;
    for (const char* n : kCases) {
        const std::string name = n;
        if (!ctx.has_case(name)) continue;
        out.push_back({name, [name](Context& c) { return e2e_case(c, name); }});
    }
}

}  // namespace

ACESTEP_SELFTEST_PROVIDER(e2e_cases);

}  // namespace acestep::selftest
