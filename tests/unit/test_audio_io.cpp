// Audio I/O: round trips in every format, mono -> stereo, errors, atomic writes.
#include <gtest/gtest.h>

#include <cmath>

#include "acestep/audio_io.h"
#include "acestep/error.h"
#include "common/test_util.h"

using namespace acestep;

namespace {
Audio sine(int sr, double seconds, int channels = 2) {
    Audio a = Audio::zeros(channels, (int64_t)(sr * seconds), sr);
    for (int c = 0; c < channels; ++c)
        for (int64_t i = 0; i < a.frames; ++i) a.channel(c)[i] = 0.5f * std::sin(2 * M_PI * (440.0 + 110 * c) * i / sr);
    return a;
}
double rms_diff(const Audio& a, const Audio& b, int64_t offset = 0) {
    double s = 0;
    int64_t n = std::min(a.frames, b.frames - offset);
    for (int c = 0; c < a.channels; ++c)
        for (int64_t i = 0; i < n; ++i) {
            double d = a.channel(c)[i] - b.channel(c)[i + offset];
            s += d * d;
        }
    return std::sqrt(s / (n * a.channels));
}
}  // namespace

TEST(AudioIO, WavFloatIsBitExact) {
    auto dir = test::scratch_dir("aio_wav");
    Audio a = sine(48000, 0.5);
    a.channel(0)[10] = 1.7f;  // float wav keeps values beyond full scale (no clipping, as the official app)
    write_audio(dir / "a.wav", a);
    Audio b = read_audio(dir / "a.wav");
    ASSERT_EQ(b.channels, 2);
    ASSERT_EQ(b.frames, a.frames);
    EXPECT_EQ(b.sample_rate, 48000);
    EXPECT_EQ(a.samples, b.samples);
}

TEST(AudioIO, PcmAndFlacRoundTrips) {
    auto dir = test::scratch_dir("aio_pcm");
    Audio a = sine(44100, 0.3);
    struct Case {
        AudioFormat f;
        int bits;
        double tol;
        const char* name;
    } cases[] = {{AudioFormat::Wav, 16, 1e-4, "a16.wav"}, {AudioFormat::Wav, 24, 1e-6, "a24.wav"},
                 {AudioFormat::Flac, 16, 1e-4, "a16.flac"}, {AudioFormat::Flac, 24, 1e-6, "a24.flac"}};
    for (const auto& c : cases) {
        AudioWriteOptions o;
        o.format = c.f;
        o.bit_depth = c.bits;
        write_audio(dir / c.name, a, o);
        Audio b = read_audio(dir / c.name);
        EXPECT_EQ(b.frames, a.frames) << c.name;
        EXPECT_LT(rms_diff(a, b), c.tol) << c.name;
    }
}

TEST(AudioIO, LossyFormatsRoundTrip) {
    auto dir = test::scratch_dir("aio_lossy");
    Audio a = sine(48000, 1.0);
    for (auto [f, name] : {std::pair{AudioFormat::Ogg, "a.ogg"}, {AudioFormat::Mp3, "a.mp3"}, {AudioFormat::Opus, "a.opus"}}) {
        AudioWriteOptions o;
        o.format = f;
        write_audio(dir / name, a, o);
        Audio b = read_audio(dir / name);
        EXPECT_EQ(b.channels, 2) << name;
        EXPECT_EQ(b.sample_rate, 48000) << name;
        EXPECT_NEAR((double)b.frames, (double)a.frames, 48000 * 0.1) << name;
        // Lossy codecs keep the signal's energy.
        double e = 0;
        for (int64_t i = 0; i < b.frames; ++i) e += b.channel(0)[i] * b.channel(0)[i];
        EXPECT_NEAR(std::sqrt(e / b.frames), 0.5 / std::sqrt(2.0), 0.05) << name;
    }
}

TEST(AudioIO, OpusAt44kIsResampledTo48k) {
    auto dir = test::scratch_dir("aio_opus");
    AudioWriteOptions o;
    o.format = AudioFormat::Opus;
    write_audio(dir / "a.opus", sine(44100, 0.5), o);
    EXPECT_EQ(read_audio(dir / "a.opus").sample_rate, 48000);
}

TEST(AudioIO, MonoBecomesStereo) {
    auto dir = test::scratch_dir("aio_mono");
    write_audio(dir / "m.wav", sine(22050, 0.2, 1));
    Audio b = read_audio(dir / "m.wav");
    ASSERT_EQ(b.channels, 2);
    for (int64_t i = 0; i < b.frames; ++i) ASSERT_EQ(b.channel(0)[i], b.channel(1)[i]);
    AudioReadOptions keep;
    keep.to_stereo = false;
    EXPECT_EQ(read_audio(dir / "m.wav", keep).channels, 1);
}

TEST(AudioIO, NeverOverwritesUnlessAsked) {
    auto dir = test::scratch_dir("aio_over");
    write_audio(dir / "t.wav", sine(48000, 0.1));
    EXPECT_THROW(write_audio(dir / "t.wav", sine(48000, 0.2)), Error);
    EXPECT_EQ(read_audio(dir / "t.wav").frames, 4800);
    AudioWriteOptions o;
    o.overwrite = Overwrite::Replace;
    write_audio(dir / "t.wav", sine(48000, 0.2), o);
    EXPECT_EQ(read_audio(dir / "t.wav").frames, 9600);
}

TEST(AudioIO, UnsupportedInputIsAClearError) {
    auto dir = test::scratch_dir("aio_bad");
    write_file_atomic(dir / "x.wav", "this is not audio at all, just some text");
    try {
        read_audio(dir / "x.wav");
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("x.wav: unsupported or unreadable audio"), std::string::npos) << e.what();
    }
    EXPECT_THROW(read_audio(dir / "missing.wav"), Error);
    EXPECT_THROW(read_audio(dir), Error);
    // Bad write settings fail before anything is created.
    AudioWriteOptions o;
    o.format = AudioFormat::Flac;
    o.bit_depth = 32;
    EXPECT_THROW(write_audio(dir / "y.flac", sine(48000, 0.1), o), Error);
    EXPECT_FALSE(fs::exists(dir / "y.flac"));
}

TEST(AudioIO, MultichannelIsRefused) {
    auto dir = test::scratch_dir("aio_multi");
    write_audio(dir / "q.wav", sine(48000, 0.1, 4));
    try {
        read_audio(dir / "q.wav");
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("4 channels"), std::string::npos);
    }
}

TEST(AudioIO, FormatNames) {
    AudioFormat f;
    EXPECT_TRUE(parse_audio_format("FLAC", &f));
    EXPECT_EQ(f, AudioFormat::Flac);
    EXPECT_TRUE(parse_audio_format(".mp3", &f));
    EXPECT_EQ(f, AudioFormat::Mp3);
    EXPECT_FALSE(parse_audio_format("aac", &f));
    EXPECT_STREQ(audio_format_name(AudioFormat::Opus), "opus");
}
