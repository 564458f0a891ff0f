// Self-test cases for the audio codec (model.md §5, §6) against the official fixtures:
//   vocoder_logmel   ADaMoSHiFiGANV1.mel_transform on a 2-channel signal           (1e-5)
//   vocoder_decode   ADaMoSHiFiGANV1.decode(mel [1,128,F])                          (1e-5)
// The vocoder always runs in fp32 (vocoder.h), so its cases keep the fp32 tolerance under any --dtype;
// the mel front end follows the pipeline dtype (Q23), so with bf16 it only gets a sanity bound.
#include <filesystem>

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

void dcae_cases(Context& ctx, std::vector<Case>& out) {
    if (std::filesystem::exists(ctx.checkpoint / "music_vocoder" / "config.json")) {
        if (ctx.has_case("vocoder_logmel")) out.push_back({"vocoder_logmel", vocoder_logmel_case});
        if (ctx.has_case("vocoder_decode")) out.push_back({"vocoder_decode", vocoder_decode_case});
    }
}

}  // namespace

ACESTEP_SELFTEST_PROVIDER(dcae_cases);

}  // namespace acestep::selftest
