// MusicDcae: ACE-Step's audio codec (official MusicDCAE: music_dcae_f8c8 AutoencoderDC + music_vocoder),
// audio <-> latents exactly as music_dcae_pipeline.py does it (model.md §5.1, §5.2, §5.7, §6.4), and the
// pipeline's AudioCodec.
//
//   encode: audio [B, 2, N] @ sr -> Resample(sr -> 44.1k) -> right-pad to a multiple of 4096 -> log-mel per
//           item (the vocoder's mel_transform) -> ((m + 11)/14 - 0.5)/0.5 -> dcae.encoder ->
//           (z + 1.9091)·0.1786 = latents [B, 8, 16, N'/4096]
//   decode: z = latents/0.1786 - 1.9091 -> dcae.decoder -> mel = (x·0.5 + 0.5)·14 - 11 -> vocoder per
//           channel -> [2, 4096·W] @ 44.1k -> Resample(44.1k -> sr) when sr is given (the pipeline: 48k).
//           No trimming to the requested duration (Q24).
//   decode_overlapped (decode_overlap, used by the pipeline for > 48 s with overlapped_decode): DCAE in
//           512-frame latent windows hopping 256 (anchors 128, 384, ... < W-128), keeping each window's
//           middle 2048 mel frames (first: its head too, last: its tail too); vocoder in 512-mel-frame
//           windows (both channels as a batch of 2) hopping 260,096 samples, 1024-sample edges dropped
//           and joined with a 128-sample linear cross-fade; resample (kernel in fp32 arithmetic, as the
//           reference asks torchaudio for dtype=float32) and cut to int(4096·W·sr/44100) samples.
//           It is NOT equal to decode(): window edges see zero padding inside the convolutions.  What
//           it guarantees is the length, W·8 mel frames in order, and continuity across the joins.
//
// Precision: the DCAE and the mel front end run in the pipeline dtype (buffers rounded to it, Q23); the
// vocoder always runs in fp32 (no bf16 conv_transpose1d on CPU in LibTorch 1.13; see vocoder.h), so
// the decoded waveform is fp32 whatever the dtype.  Returned audio is fp32 on the CPU.
#pragma once

#include <ATen/ATen.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "acestep/checkpoint.h"
#include "models/dcae.h"
#include "models/vocoder.h"
#include "pipeline/components.h"

namespace acestep {

// Window sizes of decode_overlap.  The defaults are the official constants; tests shrink them to check the
// stitching cheaply.  All lengths in frames of their own domain (latent / mel / 44.1 kHz samples).
struct OverlapGeometry {
    int64_t dcae_window = 512;        // latent frames per DCAE window (offset = /4, hop = /2, mel overlap = 8·/4)
    int64_t vocoder_window = 262144;  // samples per vocoder window (a multiple of 512 = mel frames · 512)
    int64_t vocoder_overlap = 1024;   // samples dropped at each interior window edge
    int64_t crossfade = 128;          // linear cross-fade length at each join
};

class MusicDcae final : public pipeline::AudioCodec {
public:
    static constexpr double kScaleFactor = 0.1786;
    static constexpr double kShiftFactor = -1.9091;
    static constexpr double kMinMel = -11.0;
    static constexpr double kMaxMel = 3.0;
    static constexpr int64_t kSampleRate = 44100;  // the model's internal rate
    static constexpr int64_t kOutputRate = 48000;  // what the pipeline saves

    MusicDcae(AutoencoderDC dcae, Vocoder vocoder);
    // music_dcae_f8c8 in `dtype` on `device`, music_vocoder in fp32 on `device`.
    static std::unique_ptr<MusicDcae> load(const CheckpointPaths& ckpt, at::ScalarType dtype, at::Device device);
    static std::unique_ptr<MusicDcae> load_folders(const std::string& dcae_folder, const std::string& vocoder_folder,
                                                   at::ScalarType dtype, at::Device device);

    // ---- pipeline::AudioCodec ----
    // One file's audio at any rate (mono duplicated, > 2 channels refused) -> latents [1, 8, 16, W'] in the
    // DCAE dtype on its device.
    at::Tensor encode(const Audio& audio) const override;
    // latents [B, 8, 16, W] -> per item fp32 CPU [2, N] at 48 kHz (req.overlapped: the windowed decode).
    std::vector<at::Tensor> decode(const at::Tensor& latents, const pipeline::DecodeRequest& req) const override;

    // ---- MusicDCAE, tensor level ----
    struct Encoded {
        at::Tensor latents;         // [B, 8, 16, W]
        at::Tensor latent_lengths;  // [B] int64: (N / sr · 44100 / 512 / 8) in float32, truncated
        at::Tensor mel;             // [B, 2, 128, 8W] log-mel of the padded 44.1 kHz audio (before normalising)
    };
    // audios [B, 2, N] at `sr` (cast to the DCAE dtype first, as the pipeline does).
    Encoded encode_audio(const at::Tensor& audios, int64_t sr) const;
    // One item's latents [1, 8, 16, W] (or [8, 16, W]) -> denormalised log-mel [1, 2, 128, 8W];
    // `decoder_out` receives the raw dcae.decoder output.
    at::Tensor latents_to_mel(const at::Tensor& latent, at::Tensor* decoder_out = nullptr) const;
    // mel [1, 2, 128, T] -> waveform [2, 512·T] fp32 on the CPU at 44.1 kHz (vocoder per channel).
    at::Tensor mel_to_wav(const at::Tensor& mel) const;
    // MusicDCAE.decode(latents, sr): per item fp32 CPU [2, 4096·W] at 44.1 kHz when sr == 0, else
    // resampled to sr.
    std::vector<at::Tensor> decode_latents(const at::Tensor& latents, int64_t sr,
                                           const std::function<void(int, int)>& progress = {},
                                           const std::atomic<bool>* cancel = nullptr) const;
    // MusicDCAE.decode_overlap(latents, sr) (sr == 0: 44.1 kHz).
    std::vector<at::Tensor> decode_overlapped(const at::Tensor& latents, int64_t sr,
                                              const std::function<void(int, int)>& progress = {},
                                              const std::atomic<bool>* cancel = nullptr,
                                              const OverlapGeometry& geo = {}) const;
    // Its two stages for one item: latents [1, 8, 16, W] -> denormalised mel [1, 2, 128, 8W] from the
    // DCAE windows; mel [1, 2, 128, M] -> waveform [2, S >= 512·M] (44.1 kHz, before the final cut).
    at::Tensor overlapped_mel(const at::Tensor& latent, const OverlapGeometry& geo = {},
                              const std::function<void()>& tick = {}, const std::atomic<bool>* cancel = nullptr) const;
    at::Tensor overlapped_wav(const at::Tensor& mel, const OverlapGeometry& geo = {},
                              const std::function<void()>& tick = {}, const std::atomic<bool>* cancel = nullptr) const;
    // Window counts of the two stages (for progress).
    static int64_t overlapped_dcae_windows(int64_t latent_frames, const OverlapGeometry& geo = {});
    static int64_t overlapped_vocoder_windows(int64_t mel_frames, const OverlapGeometry& geo = {});

    // Wall seconds per stage of the last decode_latents() / decode_overlapped() (all items): what the
    // benchmark's table shows.  Instrumentation only; like the rest of the class, not for concurrent decodes.
    struct DecodeTimes {
        double dcae = 0, vocoder = 0, resample = 0;
    };
    DecodeTimes last_decode_times() const { return times_; }

    const AutoencoderDC& dcae() const { return dcae_; }
    const Vocoder& vocoder() const { return vocoder_; }
    at::ScalarType dtype() const { return dcae_.dtype(); }
    at::Device device() const { return dcae_.device(); }

private:
    at::Tensor check_latents(const at::Tensor& latents) const;

    AutoencoderDC dcae_;
    Vocoder vocoder_;
    LogMelSpectrogram mel_;
    mutable DecodeTimes times_;
};

}  // namespace acestep
