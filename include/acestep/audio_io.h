// Audio file I/O with libsndfile (torch-free).
//
// Reading: wav/flac/ogg(vorbis/opus)/mp3/aiff/... -> planar float [channels][frames]; mono can be
// duplicated to stereo (as the official app does).  Writing: wav (float32 by default, or PCM 16/24),
// flac (16/24), ogg vorbis, mp3, opus (48 kHz only: other rates are resampled first).  Writes are
// atomic (temp file + rename) and never replace an existing file unless asked.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "acestep/fs_util.h"

namespace acestep {

struct Audio {
    int sample_rate = 0;
    int channels = 0;
    int64_t frames = 0;
    std::vector<float> samples;  // planar: channel c, frame i at samples[c * frames + i]

    float* channel(int c) { return samples.data() + (size_t)c * frames; }
    const float* channel(int c) const { return samples.data() + (size_t)c * frames; }
    double seconds() const { return sample_rate > 0 ? double(frames) / sample_rate : 0.0; }
    static Audio zeros(int channels, int64_t frames, int sample_rate);
};

enum class AudioFormat { Wav, Flac, Ogg, Mp3, Opus };

const char* audio_format_name(AudioFormat f);       // "wav", "flac", "ogg", "mp3", "opus"
bool parse_audio_format(const std::string& s, AudioFormat* out);  // case-insensitive name
std::vector<std::string> audio_format_names();

struct AudioReadOptions {
    bool to_stereo = true;           // mono -> two identical channels
    double max_seconds = 3600.0;     // refuse longer files instead of exhausting memory
};

struct AudioWriteOptions {
    AudioFormat format = AudioFormat::Wav;
    int bit_depth = 0;      // wav: 32 (float, default), 24 or 16 (PCM); flac: 16 (default) or 24; else ignored
    double quality = -1.0;  // ogg/opus/mp3: 0 (smallest) .. 1 (best); < 0 = codec default
    Overwrite overwrite = Overwrite::Never;
};

// Throws acestep::Error naming the file: missing, unreadable, unsupported format, > 2 channels, too long.
Audio read_audio(const std::filesystem::path& path, const AudioReadOptions& opt = {});
// Throws acestep::Error naming the file; on failure nothing is left at `path`.
void write_audio(const std::filesystem::path& path, const Audio& audio, const AudioWriteOptions& opt = {});

}  // namespace acestep
