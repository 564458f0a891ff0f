// The audio codec: vocoder (ADaMoSHiFiGANV1), its log-mel front end, the DCAE and MusicDCAE against the
// official fixtures (fp32, relative L2 per the fixtures README), the overlapped decode's guarantees
// (model.md §5.7), and load errors that name the file and the key.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "acestep/error.h"
#include "acestep/resample.h"
#include "acestep/selftest.h"
#include "common/test_util.h"
#include "models/mel.h"
#include "models/music_dcae.h"
#include "models/shape_source.h"
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

// ---- DCAE and MusicDCAE ----------------------------------------------------------------------------------

namespace {

bool have_dcae() { return have_fixtures() && fs::exists(ckpt_dir() / "music_dcae_f8c8" / "config.json"); }
#define REQUIRE_DCAE() \
    if (!have_dcae()) GTEST_SKIP() << "no DCAE fixtures at " << test::fixtures_dir()

const MusicDcae& tiny_codec() {
    static std::unique_ptr<MusicDcae> m = MusicDcae::load_folders(
        (ckpt_dir() / "music_dcae_f8c8").string(), (ckpt_dir() / "music_vocoder").string(), at::kFloat, at::kCPU);
    return *m;
}

Audio audio_from(const at::Tensor& t /* [C, N] */, int sr) {
    Audio a;
    a.sample_rate = sr;
    a.channels = (int)t.size(0);
    a.frames = t.size(1);
    const at::Tensor c = t.to(at::kFloat).contiguous();
    a.samples.assign(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
    return a;
}

// Latents of W frames built from the fixture's 11 (tiled), so the DCAE sees realistic values.
at::Tensor long_latents(int64_t w) {
    Fixture fx(cases_dir(), "dcae_decode");
    const at::Tensor l = fx.tensor("latents");
    const int64_t reps = (w + l.size(3) - 1) / l.size(3);
    return l.repeat({1, 1, 1, reps}).slice(3, 0, w).contiguous();
}

}  // namespace

TEST(Dcae, EncoderAndDecoderMatchOfficial) {
    REQUIRE_DCAE();
    Fixture enc(cases_dir(), "dcae_encode_44k");
    const MusicDcae::Encoded e = tiny_codec().encode_audio(enc.tensor("audio"), 44100);
    EXPECT_LE(rel_l2(e.mel, enc.tensor("mel")), 1e-5);
    EXPECT_LE(rel_l2(e.latents, enc.tensor("latents")), 1e-5);
    EXPECT_TRUE(at::equal(e.latent_lengths, enc.tensor("latent_lengths")));
    Fixture dec(cases_dir(), "dcae_decode");
    at::Tensor raw;
    const at::Tensor mel = tiny_codec().latents_to_mel(dec.tensor("latents"), &raw);
    EXPECT_LE(rel_l2(raw, dec.tensor("dcae_decoder_out")), 1e-5);
    EXPECT_LE(rel_l2(mel, dec.tensor("mel")), 1e-5);
    EXPECT_LE(rel_l2(tiny_codec().mel_to_wav(mel), dec.tensor("wav_44k")), 1e-5);
}

TEST(MusicDcae, AudioCodecEncodeResamplesAnyRate) {
    REQUIRE_DCAE();
    Fixture fx(cases_dir(), "dcae_encode_48k");
    const pipeline::AudioCodec& codec = tiny_codec();
    const at::Tensor lat = codec.encode(audio_from(fx.tensor("audio")[0], 48000));
    EXPECT_EQ(lat.sizes(), fx.tensor("latents").sizes());
    EXPECT_LE(rel_l2(lat, fx.tensor("latents")), 1e-4);
}

TEST(MusicDcae, MonoIsDuplicatedToStereo) {
    REQUIRE_DCAE();
    Fixture fx(cases_dir(), "dcae_encode_44k");
    const at::Tensor left = fx.tensor("audio")[0].slice(0, 0, 1);  // [1, N]
    const at::Tensor mono = tiny_codec().encode(audio_from(left, 44100));
    const at::Tensor stereo = tiny_codec().encode(audio_from(left.repeat({2, 1}), 44100));
    EXPECT_TRUE(at::equal(mono, stereo));
}

TEST(MusicDcae, AudioCodecDecodeGives48kFp32OnCpu) {
    REQUIRE_DCAE();
    Fixture fx(cases_dir(), "dcae_decode");
    const pipeline::AudioCodec& codec = tiny_codec();
    pipeline::DecodeRequest req;
    std::vector<std::pair<int, int>> calls;
    req.progress = [&](int d, int t) { calls.emplace_back(d, t); };
    const auto out = codec.decode(fx.tensor("latents").repeat({2, 1, 1, 1}), req);
    ASSERT_EQ(out.size(), 2u);
    for (const auto& w : out) {
        EXPECT_EQ(w.scalar_type(), at::kFloat);
        EXPECT_TRUE(w.device().is_cpu());
        EXPECT_EQ(w.sizes(), fx.tensor("wav_48k").sizes());  // [2, ceil(4096·11·160/147)]
        EXPECT_LE(rel_l2(w, fx.tensor("wav_48k")), 1e-4);
    }
    EXPECT_EQ(calls, (std::vector<std::pair<int, int>>{{1, 2}, {2, 2}}));
}

TEST(MusicDcae, BadInputsAreErrorsNotCrashes) {
    REQUIRE_DCAE();
    const MusicDcae& m = tiny_codec();
    EXPECT_THROW(m.encode(audio_from(at::zeros({3, 5000}), 44100)), Error);
    EXPECT_THROW(m.encode(audio_from(at::zeros({2, 0}), 44100)), Error);
    EXPECT_THROW(m.encode(audio_from(at::zeros({2, 5000}), 0)), Error);
    EXPECT_THROW(m.encode_audio(at::zeros({2, 5000}), 44100), Error);
    pipeline::DecodeRequest req;
    EXPECT_THROW(m.decode(at::zeros({1, 8, 15, 4}), req), Error);
    EXPECT_THROW(m.decode(at::zeros({1, 8, 16, 0}), req), Error);
    EXPECT_THROW(m.decode(at::Tensor(), req), Error);
    EXPECT_THROW(m.dcae().encode(at::zeros({1, 2, 128, 12})), Error) << "time not a multiple of 8";
}

TEST(MusicDcae, CancelStopsTheDecode) {
    REQUIRE_DCAE();
    std::atomic<bool> cancel{true};
    pipeline::DecodeRequest req;
    req.cancel = &cancel;
    EXPECT_THROW(tiny_codec().decode(at::zeros({1, 8, 16, 4}), req), Cancelled);
    req.overlapped = true;
    EXPECT_THROW(tiny_codec().decode(at::zeros({1, 8, 16, 4}), req), Cancelled);
}

TEST(Dcae, MissingKeyNamesFileAndKey) {
    REQUIRE_DCAE();
    const DcaeConfig cfg = load_dcae_config((ckpt_dir() / "music_dcae_f8c8" / "config.json").string());
    auto sd = state_dict(ckpt_dir() / "music_dcae_f8c8" / "diffusion_pytorch_model.safetensors");
    ASSERT_TRUE(sd.erase("decoder.up_blocks.3.1.attn.to_qkv_multiscale.0.proj_out.weight"));
    TensorMapSource src(sd, at::kFloat, at::kCPU, "music_dcae_f8c8/diffusion_pytorch_model.safetensors");
    try {
        AutoencoderDC::load(cfg, src);
        FAIL() << "no error";
    } catch (const Error& e) {
        const std::string m = e.what();
        EXPECT_NE(m.find("music_dcae_f8c8/diffusion_pytorch_model.safetensors"), std::string::npos) << m;
        EXPECT_NE(m.find("decoder.up_blocks.3.1.attn.to_qkv_multiscale.0.proj_out.weight"), std::string::npos) << m;
    }
}

TEST(Dcae, WrongShapeNamesKeyAndShapes) {
    REQUIRE_DCAE();
    const DcaeConfig cfg = load_dcae_config((ckpt_dir() / "music_dcae_f8c8" / "config.json").string());
    auto sd = state_dict(ckpt_dir() / "music_dcae_f8c8" / "diffusion_pytorch_model.safetensors");
    sd["encoder.down_blocks.1.1.conv.weight"] = at::zeros({3, 3, 3, 3});
    TensorMapSource src(sd, at::kFloat, at::kCPU, "dcae.safetensors");
    try {
        AutoencoderDC::load(cfg, src);
        FAIL() << "no error";
    } catch (const Error& e) {
        const std::string m = e.what();
        EXPECT_NE(m.find("dcae.safetensors"), std::string::npos) << m;
        EXPECT_NE(m.find("encoder.down_blocks.1.1.conv.weight"), std::string::npos) << m;
        EXPECT_NE(m.find("[3, 3, 3, 3]"), std::string::npos) << m;
    }
}

TEST(Dcae, TinyCheckpointIsFullyUsed) {
    REQUIRE_DCAE();
    Weights w = Weights::open((ckpt_dir() / "music_dcae_f8c8" / "diffusion_pytorch_model.safetensors").string(), at::kFloat, at::kCPU);
    WeightsSource src(w);
    const DcaeConfig cfg = load_dcae_config((ckpt_dir() / "music_dcae_f8c8" / "config.json").string());
    const AutoencoderDC m = AutoencoderDC::load(cfg, src);
    EXPECT_TRUE(w.unused().empty()) << w.unused().front();
    int64_t stored = 0;
    for (const auto& t : w.file().tensors()) {
        int64_t n = 1;
        for (auto d : t.shape) n *= d;
        stored += n;
    }
    EXPECT_EQ(m.parameter_count(), stored);
}

// ---- overlapped decode (model.md §5.7) ----------------------------------------------------------------
// What the official decode_overlap guarantees: 8 mel frames per latent frame in order; a single DCAE
// window (W <= 512) is the one-shot decode; the waveform is stitched from whole vocoder windows joined
// by a linear cross-fade; the output is cut to int(4096·W·sr/44100) samples (floor, where the one-shot
// decode's resampler gives ceil).  It does not promise equality with the one-shot decode elsewhere (the
// DCAE's linear attention is global inside each window, and each window's convolutions see zero padding).

TEST(OverlappedDecode, SingleDcaeWindowIsTheOneShotDecode) {
    REQUIRE_DCAE();
    for (int64_t w : {11, 300}) {
        const at::Tensor lat = long_latents(w);
        EXPECT_EQ(MusicDcae::overlapped_dcae_windows(w), 1);
        EXPECT_TRUE(at::allclose(tiny_codec().overlapped_mel(lat), tiny_codec().latents_to_mel(lat), 0, 0)) << w;
    }
}

TEST(OverlappedDecode, DcaeWindowsGiveEightMelFramesPerLatentInOrder) {
    REQUIRE_DCAE();
    // Official geometry, W = 700: windows [0, 512) and [256, 700); keep mel [0, 3072) of the first and
    // [1024, 3552) of the second.
    const int64_t W = 700;
    const at::Tensor lat = long_latents(W);
    EXPECT_EQ(MusicDcae::overlapped_dcae_windows(W), 2);
    const at::Tensor mel = tiny_codec().overlapped_mel(lat);
    ASSERT_EQ(mel.sizes(), (std::vector<int64_t>{1, 2, 128, 8 * W}));
    const at::Tensor w0 = tiny_codec().latents_to_mel(lat.slice(3, 0, 512));
    const at::Tensor w1 = tiny_codec().latents_to_mel(lat.slice(3, 256, 700));
    EXPECT_TRUE(at::equal(mel.slice(3, 0, 3072), w0.slice(3, 0, 3072)));
    EXPECT_TRUE(at::equal(mel.slice(3, 3072), w1.slice(3, 1024)));
}

TEST(OverlappedDecode, VocoderWindowsAreJoinedByALinearCrossfade) {
    REQUIRE_DCAE();
    // A shrunk geometry (same algorithm): 16-frame vocoder windows, 1024-sample edges, 128-sample fade.
    OverlapGeometry g;
    g.vocoder_window = 16 * 512;
    const int64_t hop = g.vocoder_window - 2 * g.vocoder_overlap;  // 6144 samples = 12 mel frames
    Fixture fx(cases_dir(), "dcae_decode");
    const at::Tensor mel = fx.tensor("mel").slice(3, 0, 30);  // 30 frames -> windows at 0, 12, 24
    EXPECT_EQ(MusicDcae::overlapped_vocoder_windows(30, g), 3);
    const at::Tensor wav = tiny_codec().overlapped_wav(mel, g);
    auto window = [&](int64_t start) {
        at::Tensor b = mel[0].slice(2, start, std::min<int64_t>(start + 16, 30));
        if (b.size(2) < 16) b = at::constant_pad_nd(b, {0, 16 - b.size(2)}, 0);
        return tiny_codec().vocoder().decode(b).squeeze(1);  // [2, 8192]
    };
    const at::Tensor a = window(0), b = window(12), c = window(24);
    // Expected: a[:7040] | fade(a[7040:7168], b[896:1024]) | b[1024:7168-128] | fade | c[1024:]
    const int64_t ov = g.vocoder_overlap, cf = g.crossfade, n = g.vocoder_window;
    const at::Tensor up = at::linspace(0, 1, cf), down = at::linspace(1, 0, cf);
    const at::Tensor expect = at::cat({a.slice(1, 0, n - ov - cf),
                                       a.slice(1, n - ov - cf, n - ov) * down + b.slice(1, ov - cf, ov) * up,
                                       b.slice(1, ov, n - ov - cf),
                                       b.slice(1, n - ov - cf, n - ov) * down + c.slice(1, ov - cf, ov) * up,
                                       c.slice(1, ov)},
                                      1);
    ASSERT_EQ(wav.sizes(), expect.sizes());
    EXPECT_EQ(wav.size(1), (n - ov) + hop + (n - ov));  // first and last windows less one edge, a middle hop
    EXPECT_GE(wav.size(1), 30 * 512);
    EXPECT_LE((wav - expect).abs().max().item<double>(), 1e-6);
}

TEST(OverlappedDecode, LengthIsTheLatentLengthFloorAtTheOutputRate) {
    REQUIRE_DCAE();
    Fixture fx(cases_dir(), "dcae_decode");
    const at::Tensor lat = fx.tensor("latents");  // W = 11 -> 45,056 samples at 44.1 kHz
    OverlapGeometry g;
    g.vocoder_window = 96 * 512;  // one window covers the 88 mel frames (keeps the test fast)
    const auto w48 = tiny_codec().decode_overlapped(lat, 48000, {}, nullptr, g);
    EXPECT_EQ(w48.at(0).size(0), 2);
    EXPECT_EQ(w48.at(0).size(1), 49040);             // int(45056 · 48000 / 44100)
    EXPECT_EQ(fx.tensor("wav_48k").size(1), 49041);  // the one-shot decode: ceil
    EXPECT_EQ(w48.at(0).scalar_type(), at::kFloat);
    EXPECT_TRUE(w48.at(0).device().is_cpu());
    // Far from the zero-padded end (the vocoder's receptive field is finite, the resampler local) the
    // single-window waveform is the one-shot waveform.
    EXPECT_LE(rel_l2(w48.at(0).slice(1, 0, 8192), fx.tensor("wav_48k").slice(1, 0, 8192)), 1e-4);
}

TEST(OverlappedDecode, ProgressCountsEveryWindowAndNativeLengthIsExact) {
    REQUIRE_DCAE();
    OverlapGeometry g;
    g.dcae_window = 4;  // anchors 1, 3 for W = 6: windows [0, 4) and [2, 6)
    g.vocoder_window = 16 * 512;
    const at::Tensor lat = long_latents(6);
    std::vector<std::pair<int, int>> calls;
    const auto out = tiny_codec().decode_overlapped(lat, 0, [&](int d, int t) { calls.emplace_back(d, t); }, nullptr, g);
    EXPECT_EQ(MusicDcae::overlapped_dcae_windows(6, g), 2);
    EXPECT_EQ(MusicDcae::overlapped_vocoder_windows(48, g), 4);
    ASSERT_EQ(calls.size(), 6u);
    EXPECT_EQ(calls.back(), std::make_pair(6, 6));
    EXPECT_EQ(out.at(0).sizes(), (std::vector<int64_t>{2, 6 * 4096}));
    EXPECT_EQ(tiny_codec().overlapped_mel(lat, g).size(3), 48);
}

// ---- the real checkpoint's structure ------------------------------------------------------------------

TEST(Dcae, RealConfigTakesTheOfficialParameterCount) {
    ShapeSource src;
    AutoencoderDC::load(real_dcae_config(), src);
    EXPECT_EQ(src.count(), 156812426);  // model.md §1.1: encoder 77,668,232 + decoder 79,144,194
    auto taken = [&](const std::string& key) {
        return std::any_of(src.shapes.begin(), src.shapes.end(), [&](const auto& s) { return s.first == key; });
    };
    EXPECT_TRUE(taken("encoder.down_blocks.2.3.conv.weight"));
    EXPECT_TRUE(taken("decoder.up_blocks.3.2.conv_out.conv_point.weight"));
}

TEST(Vocoder, RealConfigTakesTheOfficialParameterCount) {
    ShapeSource src;
    Vocoder::load(real_vocoder_config(), src);
    EXPECT_EQ(src.count(), 103005138);  // model.md §1.1, weight-norm g and v counted
}
