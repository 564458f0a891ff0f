// libsndfile-based audio reading and atomic writing; see include/acestep/audio_io.h.
#include "acestep/audio_io.h"

#include <sndfile.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <memory>

#include "acestep/error.h"
#include "acestep/resample.h"

namespace acestep {

Audio Audio::zeros(int channels, int64_t frames, int sample_rate) {
    Audio a;
    a.channels = channels;
    a.frames = frames;
    a.sample_rate = sample_rate;
    a.samples.assign((size_t)channels * frames, 0.0f);
    return a;
}

namespace {
struct Fmt {
    AudioFormat f;
    const char* name;
};
constexpr Fmt kFormats[] = {{AudioFormat::Wav, "wav"}, {AudioFormat::Flac, "flac"}, {AudioFormat::Ogg, "ogg"},
                            {AudioFormat::Mp3, "mp3"}, {AudioFormat::Opus, "opus"}};

struct SfCloser {
    void operator()(SNDFILE* f) const {
        if (f) sf_close(f);
    }
};
using SfPtr = std::unique_ptr<SNDFILE, SfCloser>;
}  // namespace

const char* audio_format_name(AudioFormat f) {
    for (auto& x : kFormats)
        if (x.f == f) return x.name;
    return "?";
}

bool parse_audio_format(const std::string& s, AudioFormat* out) {
    std::string l = s;
    std::transform(l.begin(), l.end(), l.begin(), [](unsigned char c) { return std::tolower(c); });
    if (!l.empty() && l[0] == '.') l.erase(0, 1);
    for (auto& x : kFormats)
        if (l == x.name) {
            *out = x.f;
            return true;
        }
    return false;
}

std::vector<std::string> audio_format_names() {
    std::vector<std::string> v;
    for (auto& x : kFormats) v.push_back(x.name);
    return v;
}

Audio read_audio(const std::filesystem::path& path, const AudioReadOptions& opt) {
    const std::string p = path.string();
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) throw Error(p + ": no such file");
    if (std::filesystem::is_directory(path, ec)) throw Error(p + ": is a folder, not an audio file");
    SF_INFO info{};
    SfPtr f(sf_open(p.c_str(), SFM_READ, &info));
    if (!f) throw Error(p + ": unsupported or unreadable audio (" + sf_strerror(nullptr) + ")");
    if (info.channels < 1 || info.samplerate < 1) throw Error(p + ": invalid audio header");
    if (info.channels > 2)
        throw Error(p + ": has " + std::to_string(info.channels) + " channels; only mono and stereo are supported");
    if (info.samplerate > 384000) throw Error(p + ": implausible sample rate " + std::to_string(info.samplerate));
    if (info.frames < 0 || double(info.frames) / info.samplerate > opt.max_seconds)
        throw Error(p + ": longer than " + std::to_string((int)opt.max_seconds) + " s");
    sf_command(f.get(), SFC_SET_NORM_FLOAT, nullptr, SF_TRUE);

    // Read interleaved in blocks; frame counts of compressed formats can be estimates, so grow as needed.
    std::vector<float> inter;
    const int ch = info.channels;
    const int64_t block = 1 << 16;
    std::vector<float> buf((size_t)block * ch);
    const int64_t max_frames = (int64_t)(opt.max_seconds * info.samplerate) + 1;
    if (info.frames > 0) inter.reserve((size_t)std::min<int64_t>(info.frames, max_frames) * ch);
    for (;;) {
        sf_count_t got = sf_readf_float(f.get(), buf.data(), block);
        if (got <= 0) break;
        inter.insert(inter.end(), buf.begin(), buf.begin() + got * ch);
        if ((int64_t)(inter.size() / ch) > max_frames) throw Error(p + ": longer than " + std::to_string((int)opt.max_seconds) + " s");
    }
    if (sf_error(f.get()) != SF_ERR_NO_ERROR) throw Error(p + ": read error (" + sf_strerror(f.get()) + ")");
    const int64_t frames = (int64_t)(inter.size() / ch);
    if (frames == 0) throw Error(p + ": contains no audio samples");

    const int out_ch = (ch == 1 && opt.to_stereo) ? 2 : ch;
    Audio a = Audio::zeros(out_ch, frames, info.samplerate);
    for (int c = 0; c < out_ch; ++c) {
        float* dst = a.channel(c);
        const int src_c = std::min(c, ch - 1);
        for (int64_t i = 0; i < frames; ++i) dst[i] = inter[(size_t)i * ch + src_c];
    }
    return a;
}

void write_audio(const std::filesystem::path& path, const Audio& audio_in, const AudioWriteOptions& opt) {
    const std::string p = path.string();
    if (audio_in.channels < 1 || audio_in.channels > 8 || audio_in.frames < 0 ||
        audio_in.samples.size() != (size_t)audio_in.channels * audio_in.frames || audio_in.sample_rate <= 0)
        throw Error(p + ": invalid audio buffer");
    const Audio* audio = &audio_in;
    Audio resampled;
    SF_INFO info{};
    int major = 0, sub = 0;
    switch (opt.format) {
        case AudioFormat::Wav:
            major = SF_FORMAT_WAV;
            sub = opt.bit_depth == 16 ? SF_FORMAT_PCM_16 : opt.bit_depth == 24 ? SF_FORMAT_PCM_24 : SF_FORMAT_FLOAT;
            if (opt.bit_depth != 0 && opt.bit_depth != 16 && opt.bit_depth != 24 && opt.bit_depth != 32)
                throw Error(p + ": wav bit depth must be 16, 24 or 32 (float), not " + std::to_string(opt.bit_depth));
            break;
        case AudioFormat::Flac:
            major = SF_FORMAT_FLAC;
            if (opt.bit_depth != 0 && opt.bit_depth != 16 && opt.bit_depth != 24)
                throw Error(p + ": flac bit depth must be 16 or 24, not " + std::to_string(opt.bit_depth));
            sub = opt.bit_depth == 24 ? SF_FORMAT_PCM_24 : SF_FORMAT_PCM_16;
            if (audio->sample_rate > 655350) throw Error(p + ": sample rate too high for flac");
            break;
        case AudioFormat::Ogg:
            major = SF_FORMAT_OGG;
            sub = SF_FORMAT_VORBIS;
            break;
        case AudioFormat::Mp3:
            major = SF_FORMAT_MPEG;
            sub = SF_FORMAT_MPEG_LAYER_III;
            if (audio->sample_rate != 48000 && audio->sample_rate != 44100 && audio->sample_rate != 32000) {
                resampled = resample(*audio, 48000);
                audio = &resampled;
            }
            break;
        case AudioFormat::Opus:
            major = SF_FORMAT_OGG;
            sub = SF_FORMAT_OPUS;
            // libsndfile's Opus encoder only takes 8/12/16/24/48 kHz (sf_format_check wrongly accepts 44.1).
            if (audio->sample_rate != 48000) {
                resampled = resample(*audio, 48000);
                audio = &resampled;
            }
            break;
    }
    info.samplerate = audio->sample_rate;
    info.channels = audio->channels;
    info.format = major | sub;
    if (!sf_format_check(&info))
        throw Error(p + ": libsndfile cannot write " + audio_format_name(opt.format) + " with these settings");

    AtomicFile af(path, opt.overwrite);
    {
        SfPtr f(sf_open(af.temp_path().c_str(), SFM_WRITE, &info));
        if (!f) throw Error(p + ": cannot write " + audio_format_name(opt.format) + " (" + sf_strerror(nullptr) + ")");
        if (sub == SF_FORMAT_PCM_16 || sub == SF_FORMAT_PCM_24) sf_command(f.get(), SFC_SET_CLIPPING, nullptr, SF_TRUE);
        if (opt.quality >= 0.0 && (opt.format == AudioFormat::Ogg || opt.format == AudioFormat::Opus || opt.format == AudioFormat::Mp3)) {
            double level = 1.0 - std::clamp(opt.quality, 0.0, 1.0);  // libsndfile: 0 = best quality
            sf_command(f.get(), SFC_SET_COMPRESSION_LEVEL, &level, sizeof level);
        }
        const int ch = audio->channels;
        const int64_t block = 1 << 15;
        std::vector<float> buf((size_t)block * ch);
        for (int64_t i0 = 0; i0 < audio->frames; i0 += block) {
            const int64_t n = std::min(block, audio->frames - i0);
            for (int64_t i = 0; i < n; ++i)
                for (int c = 0; c < ch; ++c) buf[(size_t)(i * ch + c)] = audio->channel(c)[i0 + i];
            if (sf_writef_float(f.get(), buf.data(), n) != n)
                throw Error(p + ": write failed (" + sf_strerror(f.get()) + ")");
        }
        sf_write_sync(f.get());
        SNDFILE* raw = f.release();
        if (sf_close(raw) != 0) throw Error(p + ": write failed while finishing the file");
    }
    af.commit();
}

}  // namespace acestep
