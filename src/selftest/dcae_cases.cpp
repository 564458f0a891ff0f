// Self-test cases for the audio codec (model.md §5, §6) against the official fixtures:
//   vocoder_logmel   ADaMoSHiFiGANV1.mel_transform on a 2-channel signal           (1e-5)
//   vocoder_decode   ADaMoSHiFiGANV1.decode(mel [1,128,F])                          (1e-5)
//   dcae_encode_44k  MusicDCAE.encode(sr=44100): mel of the padded audio, latents     (1e-5)
//   dcae_encode_48k  MusicDCAE.encode(sr=48000): includes Resample(48000 -> 44100)    (1e-4, resampled)
//   dcae_decode      MusicDCAE.decode: dcae_decoder_out, mel, wav_44k (1e-5); wav_48k (1e-4)
// The vocoder always runs in fp32 (vocoder.h), so its cases keep the fp32 tolerance under any --dtype;
// the mel front end follows the pipeline dtype (Q23), so with bf16 it only gets a sanity bound.
#include <filesystem>

#include "models/music_dcae.h"
#include "models/vocoder.h"
#include "selftest/fixture.h"

namespace acestep::selftest {

namespace {

std::shared_ptr<Vocoder> vocoder(Context& ctx) {
    return ctx.cached<Vocoder>("vocoder", [&] {
        return std::make_shared<Vocoder>(Vocoder::load_folder((ctx.checkpoint / "music_vocoder").string(), ctx.device));
    });
}

CaseResult vocoder_logmel_case(Context& ctx) {
    auto fx = ctx.fixture("vocoder_logmel");
    const LogMelSpectrogram mel = vocoder(ctx)->mel_transform(ctx.dtype);
    Comparison cmp;
    cmp.add("logmel", mel(fx.tensor("audio").to(ctx.device, ctx.dtype)).to(at::kCPU, at::kFloat), fx.tensor("logmel"));
    return cmp.result(ctx.dtype == at::kFloat ? 1e-5 : 5e-2);
}

CaseResult vocoder_decode_case(Context& ctx) {
    auto fx = ctx.fixture("vocoder_decode");
    Comparison cmp;
    cmp.add("wav", vocoder(ctx)->decode(fx.tensor("mel").to(ctx.device)).to(at::kCPU), fx.tensor("wav"));
    return cmp.result(1e-5);
}

std::shared_ptr<MusicDcae> codec(Context& ctx) {
    return ctx.cached<MusicDcae>("music_dcae", [&] {
        return std::shared_ptr<MusicDcae>(MusicDcae::load_folders((ctx.checkpoint / "music_dcae_f8c8").string(),
                                                                  (ctx.checkpoint / "music_vocoder").string(), ctx.dtype,
                                                                  ctx.device));
    });
}

// fp32 is the fixtures' precision; the bf16 DCAE only gets a sanity bound.
double tol(const Context& ctx, double fp32_tol) { return ctx.dtype == at::kFloat ? fp32_tol : 0.2; }

at::Tensor cpu(const at::Tensor& t) { return t.to(at::kCPU, at::kFloat); }

CaseResult dcae_encode_case(Context& ctx, const std::string& name, double latent_tol) {
    auto fx = ctx.fixture(name);
    const int64_t sr = fx.json().at("sr").get<int64_t>();
    const MusicDcae::Encoded e = codec(ctx)->encode_audio(fx.tensor("audio"), sr);
    Comparison cmp;
    if (fx.has("mel")) cmp.add("mel", cpu(e.mel), fx.tensor("mel"));
    cmp.add("latents", cpu(e.latents), fx.tensor("latents"));
    if (fx.has("latent_lengths")) cmp.add_exact("latent_lengths", e.latent_lengths.cpu(), fx.tensor("latent_lengths"));
    return cmp.result(tol(ctx, latent_tol));
}

CaseResult dcae_decode_case(Context& ctx) {
    auto fx = ctx.fixture("dcae_decode");
    auto m = codec(ctx);
    const at::Tensor latents = fx.tensor("latents");
    at::Tensor raw;
    const at::Tensor mel = m->latents_to_mel(latents, &raw);
    const at::Tensor wav44 = m->mel_to_wav(mel);
    Comparison exact, resampled;
    exact.add("dcae_decoder_out", cpu(raw), fx.tensor("dcae_decoder_out"));
    exact.add("mel", cpu(mel), fx.tensor("mel"));
    exact.add("wav_44k", wav44, fx.tensor("wav_44k"));
    // wav_48k through the whole MusicDCAE.decode(sr=48000) path, as the pipeline calls it.
    resampled.add("wav_48k", m->decode_latents(latents, 48000).at(0), fx.tensor("wav_48k"));
    CaseResult a = exact.result(tol(ctx, 1e-5)), b = resampled.result(tol(ctx, 1e-4));
    CaseResult r = a.max_rel_l2 >= b.max_rel_l2 ? a : b;
    if (a.status == CaseResult::Fail || b.status == CaseResult::Fail) {
        r = a.status == CaseResult::Fail ? a : b;
        r.status = CaseResult::Fail;
    }
    return r;
}

void dcae_cases(Context& ctx, std::vector<Case>& out) {
    if (std::filesystem::exists(ctx.checkpoint / "music_vocoder" / "config.json")) {
        if (ctx.has_case("vocoder_logmel")) out.push_back({"vocoder_logmel", vocoder_logmel_case});
        if (ctx.has_case("vocoder_decode")) out.push_back({"vocoder_decode", vocoder_decode_case});
        if (std::filesystem::exists(ctx.checkpoint / "music_dcae_f8c8" / "config.json")) {
            if (ctx.has_case("dcae_encode_44k"))
                out.push_back({"dcae_encode_44k", [](Context& c) { return dcae_encode_case(c, "dcae_encode_44k", 1e-5); }});
            if (ctx.has_case("dcae_encode_48k"))
                out.push_back({"dcae_encode_48k", [](Context& c) { return dcae_encode_case(c, "dcae_encode_48k", 1e-4); }});
            if (ctx.has_case("dcae_decode")) out.push_back({"dcae_decode", dcae_decode_case});
        }
    }
}

}  // namespace

ACESTEP_SELFTEST_PROVIDER(dcae_cases);

}  // namespace acestep::selftest
