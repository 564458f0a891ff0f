// The audio codec: vocoder (ADaMoSHiFiGANV1), its log-mel front end, the DCAE and MusicDCAE against the
// official fixtures (fp32, relative L2 per the fixtures README), the overlapped decode's guarantees
// (model.md §5.7), and load errors that name the file and the key.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "acestep/error.h"
#include "acestep/resample.h"
#include "acestep/selftest.h"
#include "common/test_util.h"
#include "models/mel.h"
#include "models/vocoder.h"
#include "selftest/fixture.h"

namespace fs = std::filesystem;
using namespace acestep;
using selftest::Fixture;
using selftest::rel_l2;

namespace {

fs::path ckpt_dir() { return test::fixtures_dir() / "checkpoint"; }
fs::path cases_dir() { return test::fixtures_dir() / "cases"; }
bool have_fixtures() {
    return fs::exists(ckpt_dir() / "music_vocoder" / "config.json") && fs::exists(cases_dir() / "vocoder_decode.json");
}
#define REQUIRE_FIXTURES() \
    if (!have_fixtures()) GTEST_SKIP() << "no fixtures at " << test::fixtures_dir()

const Vocoder& tiny_vocoder() {
    static Vocoder v = Vocoder::load_folder((ckpt_dir() / "music_vocoder").string(), at::kCPU);
    return v;
}

std::map<std::string, at::Tensor> state_dict(const fs::path& file) {
    Weights w = Weights::open(file.string(), at::kFloat, at::kCPU);
    std::map<std::string, at::Tensor> m;
    for (const auto& t : w.file().tensors()) m[t.name] = w.take(t.name).clone();
    return m;
}

// Runs selftest cases whose names contain `filter`; returns the report.
std::string run_cases(const std::string& filter, int* failed, int* passed) {
    selftest::Options opt;
    opt.fixtures = test::fixtures_dir();
    opt.filter = filter;
    std::ostringstream out;
    auto s = selftest::run(opt, out);
    *failed = s.failed;
    *passed = s.passed;
    return out.str();
}

}  // namespace

// ---- vocoder ----------------------------------------------------------------------------------------

TEST(Vocoder, SelftestCasesPass) {
    REQUIRE_FIXTURES();
    int failed = 0, passed = 0;
    const std::string rep = run_cases("vocoder_", &failed, &passed);
    EXPECT_EQ(failed, 0) << rep;
    EXPECT_EQ(passed, 2) << rep;
}

TEST(Vocoder, DecodeMatchesOfficial) {
    REQUIRE_FIXTURES();
    Fixture fx(cases_dir(), "vocoder_decode");
    const at::Tensor wav = tiny_vocoder().decode(fx.tensor("mel"));
    EXPECT_EQ(wav.scalar_type(), at::kFloat);
    EXPECT_LE(rel_l2(wav, fx.tensor("wav")), 1e-5);
    // A bf16 mel is accepted; the vocoder itself stays fp32.
    EXPECT_EQ(tiny_vocoder().decode(fx.tensor("mel").to(at::kBFloat16)).scalar_type(), at::kFloat);
}

TEST(Vocoder, LogMelMatchesOfficial) {
    REQUIRE_FIXTURES();
    Fixture fx(cases_dir(), "vocoder_logmel");
    const LogMelSpectrogram mel = tiny_vocoder().mel_transform(at::kFloat);
    const at::Tensor out = mel(fx.tensor("audio"));
    EXPECT_EQ(out.sizes(), fx.tensor("logmel").sizes());
    EXPECT_LE(rel_l2(out, fx.tensor("logmel")), 1e-5);
    EXPECT_EQ(mel.frames(44100), 86);
}

TEST(Vocoder, ComputedFilterbankAndWindowEqualTheStoredBuffers) {
    REQUIRE_FIXTURES();
    auto sd = state_dict(ckpt_dir() / "music_vocoder" / "diffusion_pytorch_model.safetensors");
    ASSERT_TRUE(sd.count("mel_transform.mel_scale.fb"));
    const at::Tensor fb = melscale_fbanks_slaney(1025, 40, 16000, 128, 44100);
    EXPECT_LE(rel_l2(fb, sd["mel_transform.mel_scale.fb"]), 1e-7);
    EXPECT_TRUE(at::equal(at::hann_window(2048), sd["mel_transform.spectrogram.window"]));
}

TEST(Vocoder, ShortAudioIsAnErrorNotACrash) {
    REQUIRE_FIXTURES();
    const LogMelSpectrogram mel = tiny_vocoder().mel_transform(at::kFloat);
    EXPECT_THROW(mel(at::zeros({2, 100})), Error);
    EXPECT_THROW(mel(at::zeros({2, 3, 4096})), Error);
    EXPECT_THROW(tiny_vocoder().decode(at::zeros({1, 64, 10})), Error);
}

TEST(Vocoder, MissingKeyNamesFileAndKey) {
    REQUIRE_FIXTURES();
    const VocoderConfig cfg = load_vocoder_config((ckpt_dir() / "music_vocoder" / "config.json").string());
    auto sd = state_dict(ckpt_dir() / "music_vocoder" / "diffusion_pytorch_model.safetensors");
    sd.erase("head.ups.3.weight_g");
    TensorMapSource src(sd, at::kFloat, at::kCPU, "music_vocoder/diffusion_pytorch_model.safetensors");
    try {
        Vocoder::load(cfg, src);
        FAIL() << "no error";
    } catch (const Error& e) {
        const std::string m = e.what();
        EXPECT_NE(m.find("music_vocoder/diffusion_pytorch_model.safetensors"), std::string::npos) << m;
        EXPECT_NE(m.find("head.ups.3.weight_g"), std::string::npos) << m;
    }
}

TEST(Vocoder, WrongShapeNamesKeyAndShapes) {
    REQUIRE_FIXTURES();
    const VocoderConfig cfg = load_vocoder_config((ckpt_dir() / "music_vocoder" / "config.json").string());
    auto sd = state_dict(ckpt_dir() / "music_vocoder" / "diffusion_pytorch_model.safetensors");
    sd["backbone.stages.2.1.pwconv1.weight"] = at::zeros({5, 5});
    TensorMapSource src(sd, at::kFloat, at::kCPU, "vocoder.safetensors");
    try {
        Vocoder::load(cfg, src);
        FAIL() << "no error";
    } catch (const Error& e) {
        const std::string m = e.what();
        EXPECT_NE(m.find("vocoder.safetensors"), std::string::npos) << m;
        EXPECT_NE(m.find("backbone.stages.2.1.pwconv1.weight"), std::string::npos) << m;
        EXPECT_NE(m.find("[5, 5]"), std::string::npos) << m;
    }
}

TEST(Vocoder, CorruptSafetensorsIsAnError) {
    REQUIRE_FIXTURES();
    const fs::path dir = test::scratch_dir("vocoder_corrupt");
    fs::copy_file(ckpt_dir() / "music_vocoder" / "config.json", dir / "config.json");
    {
        std::ofstream f(dir / "diffusion_pytorch_model.safetensors", std::ios::binary);
        f << "\x10\x00\x00\x00\x00\x00\x00\x00{not json at all";
    }
    EXPECT_THROW(Vocoder::load_folder(dir.string(), at::kCPU), Error);
}

// ---- resampler as a tensor op -------------------------------------------------------------------------

TEST(Resample, KernelMatchesTheTorchFreeResampler) {
    int64_t width = 0;
    const at::Tensor k = sinc_resample_kernel(44100, 48000, std::nullopt, &width);
    const SincResampleKernel ref = make_sinc_resample_kernel(44100, 48000);
    EXPECT_EQ(width, ref.width);
    ASSERT_EQ(k.sizes(), (std::vector<int64_t>{ref.next, 1, ref.taps}));
    const at::Tensor r = at::from_blob((void*)ref.weights.data(), {ref.next, 1, ref.taps}, at::kFloat);
    EXPECT_LE((k - r).abs().max().item<double>(), 1e-7);
}

TEST(Resample, TensorResampleMatchesFixtureAndLength) {
    if (!fs::exists(cases_dir() / "dcae_decode.json")) GTEST_SKIP();
    Fixture fx(cases_dir(), "dcae_decode");
    const at::Tensor out = resample_audio(fx.tensor("wav_44k"), 44100, 48000);
    EXPECT_EQ(out.size(1), resampled_length(45056, 44100, 48000));
    EXPECT_LE(rel_l2(out, fx.tensor("wav_48k")), 1e-6);
    const at::Tensor same = fx.tensor("wav_44k");
    EXPECT_TRUE(resample_audio(same, 44100, 44100).is_same(same));
}
