// MusicDcae: MusicDCAE.encode / decode / decode_overlap op for op (see music_dcae.h).
#include "models/music_dcae.h"

#include <algorithm>
#include <chrono>

#include "acestep/error.h"

namespace acestep {

namespace {

void require(bool ok, const std::string& what) {
    if (!ok) throw Error("music_dcae: " + what);
}

void check_cancel(const std::atomic<bool>* cancel) {
    if (cancel && cancel->load()) throw Cancelled();
}

double now_s() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

constexpr int64_t kLatentToMel = 8;
constexpr int64_t kSamplesPerMel = 512;

std::vector<int64_t> dcae_anchors(int64_t latent_len, const OverlapGeometry& g) {
    const int64_t offset = g.dcae_window / 4, hop = g.dcae_window / 2;
    std::vector<int64_t> a;
    for (int64_t x = offset; x < latent_len - offset; x += hop) a.push_back(x);
    if (a.empty()) a.push_back(offset);
    return a;
}

void check_geometry(const OverlapGeometry& g) {
    require(g.dcae_window >= 4 && g.dcae_window % 4 == 0, "overlapped decode: DCAE window must be a positive multiple of 4");
    require(g.vocoder_window > 0 && g.vocoder_window % kSamplesPerMel == 0,
            "overlapped decode: vocoder window must be a positive multiple of 512 samples");
    require(g.vocoder_overlap >= g.crossfade && g.crossfade >= 0 && g.vocoder_window > 2 * g.vocoder_overlap,
            "overlapped decode: need window > 2 * overlap >= 2 * crossfade");
}

}  // namespace

MusicDcae::MusicDcae(AutoencoderDC dcae, Vocoder vocoder)
    : dcae_(std::move(dcae)), vocoder_(std::move(vocoder)), mel_(vocoder_.mel_transform(dcae_.dtype())) {
    require(vocoder_.config().n_mels == vocoder_.config().input_channels,
            "vocoder n_mels (" + std::to_string(vocoder_.config().n_mels) + ") differs from its input_channels (" +
                std::to_string(vocoder_.config().input_channels) + ")");
    require(dcae_.config().in_channels == 2, "the DCAE must take a 2-channel (stereo) mel, config in_channels is " +
                                                 std::to_string(dcae_.config().in_channels));
    require(vocoder_.config().n_mels % dcae_.down_factor() == 0, "mel bins are not a multiple of the DCAE down factor");
    require(vocoder_.config().sampling_rate == kSampleRate && vocoder_.hop_length() == kSamplesPerMel &&
                dcae_.down_factor() == kLatentToMel,
            "only the f8 DCAE with a 44.1 kHz, hop-512 vocoder is supported (MusicDCAE hard-codes these)");
}

std::unique_ptr<MusicDcae> MusicDcae::load(const CheckpointPaths& ckpt, at::ScalarType dtype, at::Device device) {
    return std::make_unique<MusicDcae>(AutoencoderDC::load(ckpt.dcae, dtype, device), Vocoder::load(ckpt.vocoder, device));
}

std::unique_ptr<MusicDcae> MusicDcae::load_folders(const std::string& dcae_folder, const std::string& vocoder_folder,
                                                   at::ScalarType dtype, at::Device device) {
    return std::make_unique<MusicDcae>(AutoencoderDC::load_folder(dcae_folder, dtype, device),
                                       Vocoder::load_folder(vocoder_folder, device));
}

// ---- encode -------------------------------------------------------------------------------------------

MusicDcae::Encoded MusicDcae::encode_audio(const at::Tensor& audios_in, int64_t sr) const {
    require(audios_in.defined() && audios_in.dim() == 3 && audios_in.size(1) == 2 && at::isFloatingType(audios_in.scalar_type()),
            "encode: expected floating-point audio [B, 2, N], got " +
                (audios_in.defined() ? shape_str(audios_in.sizes()) : std::string("<none>")));
    require(audios_in.size(0) > 0 && audios_in.size(2) > 0, "encode: the audio is empty");
    require(sr > 0, "encode: sample rate must be positive, got " + std::to_string(sr));
    at::NoGradGuard ng;
    const at::Tensor audios = audios_in.to(device(), dtype());
    const int64_t B = audios.size(0), N = audios.size(2);
    const at::Tensor audio_lengths = at::full({B}, N, at::TensorOptions().dtype(at::kLong).device(device()));

    at::Tensor audio = resample_audio(audios, sr, kSampleRate);  // identity at 44.1 kHz
    const int64_t len = audio.size(-1), block = kLatentToMel * kSamplesPerMel;
    if (len % block != 0) audio = at::constant_pad_nd(audio, {0, block - len % block}, 0);

    std::vector<at::Tensor> mels;
    for (int64_t i = 0; i < B; ++i) mels.push_back(mel_(audio[i]));
    Encoded e;
    e.mel = at::stack(mels);
    at::Tensor m = (e.mel - kMinMel) / (kMaxMel - kMinMel);
    m = (m - 0.5) / 0.5;  // torchvision Normalize(0.5, 0.5)
    std::vector<at::Tensor> lat;
    for (int64_t i = 0; i < B; ++i) lat.push_back(dcae_.encode(m[i].unsqueeze(0)));
    e.latents = (at::cat(lat, 0) - kShiftFactor) * kScaleFactor;
    e.latent_lengths = (audio_lengths / sr * kSampleRate / kSamplesPerMel / kLatentToMel).to(at::kLong);
    return e;
}

at::Tensor MusicDcae::encode(const Audio& a) const {
    require(a.sample_rate > 0, "encode: the audio has no sample rate");
    require(a.channels == 1 || a.channels == 2,
            "encode: audio with " + std::to_string(a.channels) + " channels is not supported (mono or stereo)");
    require(a.frames > 0 && (int64_t)a.samples.size() >= a.frames * a.channels, "encode: the audio is empty");
    at::Tensor x = at::from_blob(const_cast<float*>(a.samples.data()), {a.channels, a.frames}, at::kFloat).clone();
    if (a.channels == 1) x = x.repeat({2, 1});  // the official load_audio duplicates mono
    return encode_audio(x.unsqueeze(0), a.sample_rate).latents;
}

// ---- decode -------------------------------------------------------------------------------------------

at::Tensor MusicDcae::check_latents(const at::Tensor& latents) const {
    const auto& c = dcae_.config();
    const int64_t h = vocoder_.config().n_mels / dcae_.down_factor();
    require(latents.defined() && latents.dim() == 4 && latents.size(1) == c.latent_channels && latents.size(2) == h,
            "decode: expected latents [B, " + std::to_string(c.latent_channels) + ", " + std::to_string(h) + ", W], got " +
                (latents.defined() ? shape_str(latents.sizes()) : std::string("<none>")));
    require(latents.size(0) > 0 && latents.size(3) > 0, "decode: the latents are empty " + shape_str(latents.sizes()));
    require(at::isFloatingType(latents.scalar_type()), "decode: latents must be floating point");
    return latents.to(device(), dtype());
}

at::Tensor MusicDcae::latents_to_mel(const at::Tensor& latent_in, at::Tensor* decoder_out) const {
    at::Tensor latent = latent_in.dim() == 3 ? latent_in.unsqueeze(0) : latent_in;
    latent = check_latents(latent);
    require(latent.size(0) == 1, "latents_to_mel: one item at a time");
    at::NoGradGuard ng;
    const at::Tensor z = latent / kScaleFactor + kShiftFactor;
    at::Tensor mels = dcae_.decode(z);
    if (decoder_out) *decoder_out = mels;
    mels = mels * 0.5 + 0.5;
    return mels * (kMaxMel - kMinMel) + kMinMel;
}

at::Tensor MusicDcae::mel_to_wav(const at::Tensor& mels) const {
    require(mels.defined() && mels.dim() == 4 && mels.size(0) == 1 && mels.size(1) == 2,
            "mel_to_wav: expected a mel [1, 2, n_mels, T], got " + (mels.defined() ? shape_str(mels.sizes()) : std::string("<none>")));
    // Per channel to reduce memory, as the reference: decode(mels[:, c]) -> [1, 1, S] -> squeeze(1) -> cpu.
    const at::Tensor w0 = vocoder_.decode(mels.select(1, 0)).squeeze(1).cpu();
    const at::Tensor w1 = vocoder_.decode(mels.select(1, 1)).squeeze(1).cpu();
    return at::cat({w0, w1}, 0);
}

std::vector<at::Tensor> MusicDcae::decode_latents(const at::Tensor& latents_in, int64_t sr,
                                                  const std::function<void(int, int)>& progress,
                                                  const std::atomic<bool>* cancel) const {
    const at::Tensor latents = check_latents(latents_in);
    require(sr >= 0, "decode: sample rate must be positive");
    std::vector<at::Tensor> out;
    const int total = (int)latents.size(0);
    times_ = {};
    for (int64_t i = 0; i < latents.size(0); ++i) {
        check_cancel(cancel);
        double t = now_s();
        const at::Tensor mel = latents_to_mel(latents[i].unsqueeze(0));
        times_.dcae += now_s() - t;
        t = now_s();
        at::Tensor wav = mel_to_wav(mel);
        times_.vocoder += now_s() - t;
        t = now_s();
        if (sr > 0) wav = resample_audio(wav.to(at::kFloat), kSampleRate, sr);
        out.push_back(wav.contiguous());
        times_.resample += now_s() - t;
        if (progress) progress((int)i + 1, total);
    }
    return out;
}

int64_t MusicDcae::overlapped_dcae_windows(int64_t latent_frames, const OverlapGeometry& g) {
    return (int64_t)dcae_anchors(latent_frames, g).size();
}

int64_t MusicDcae::overlapped_vocoder_windows(int64_t mel_frames, const OverlapGeometry& g) {
    const int64_t hop = g.vocoder_window - 2 * g.vocoder_overlap;
    const int64_t total = mel_frames * kSamplesPerMel;
    int64_t n = 1;
    for (int64_t p = hop; p < total; p += hop) {
        if (p / kSamplesPerMel >= mel_frames) break;
        ++n;
    }
    return n;
}

at::Tensor MusicDcae::overlapped_mel(const at::Tensor& latent, const OverlapGeometry& g, const std::function<void()>& tick,
                                     const std::atomic<bool>* cancel) const {
    check_geometry(g);
    const at::Tensor lat = check_latents(latent.dim() == 3 ? latent.unsqueeze(0) : latent);
    require(lat.size(0) == 1, "overlapped decode: one item at a time");
    at::NoGradGuard ng;
    const int64_t offset = g.dcae_window / 4, mel_overlap = g.dcae_window * kLatentToMel / 4;
    const at::Tensor cur = lat / kScaleFactor + kShiftFactor;
    const int64_t len = cur.size(3);
    const std::vector<int64_t> anchors = dcae_anchors(len, g);
    std::vector<at::Tensor> segs;
    for (size_t i = 0; i < anchors.size(); ++i) {
        check_cancel(cancel);
        const int64_t s = std::max<int64_t>(0, anchors[i] - offset), e = std::min(len, s + g.dcae_window);
        if (e <= s) continue;
        const at::Tensor full = dcae_.decode(cur.slice(3, s, e));
        const bool first = i == 0, last = i + 1 == anchors.size();
        const int64_t F = full.size(3);
        at::Tensor keep;
        if (first && last) keep = full.slice(3, 0, std::min((e - s) * kLatentToMel, F));
        else if (first) keep = full.slice(3, 0, std::max<int64_t>(0, F - mel_overlap));
        else if (last) keep = full.slice(3, std::min(mel_overlap, F));
        else keep = full.slice(3, std::min(mel_overlap, F), std::max<int64_t>(0, F - mel_overlap));
        if (keep.size(3) > 0) segs.push_back(keep);
        if (tick) tick();
    }
    require(!segs.empty(), "overlapped decode: no mel frames produced");
    at::Tensor mels = at::cat(segs, 3);
    mels = mels * 0.5 + 0.5;
    return mels * (kMaxMel - kMinMel) + kMinMel;
}

at::Tensor MusicDcae::overlapped_wav(const at::Tensor& mels, const OverlapGeometry& g, const std::function<void()>& tick,
                                     const std::atomic<bool>* cancel) const {
    check_geometry(g);
    require(mels.defined() && mels.dim() == 4 && mels.size(0) == 1 && mels.size(3) > 0,
            "overlapped decode: expected a mel [1, C, n_mels, T], got " + (mels.defined() ? shape_str(mels.sizes()) : std::string("<none>")));
    at::NoGradGuard ng;
    const int64_t M = mels.size(3), ov = g.vocoder_overlap, hop = g.vocoder_window - 2 * ov;
    const int64_t block_frames = g.vocoder_window / kSamplesPerMel;
    const auto fopt = at::TensorOptions().dtype(at::kFloat).device(vocoder_.device());
    const at::Tensor cf_tail = at::linspace(1, 0, g.crossfade, fopt).view({1, 1, -1});
    const at::Tensor cf_head = at::linspace(0, 1, g.crossfade, fopt).view({1, 1, -1});
    // Both stereo channels as a batch: mel[0] is [C, n_mels, T].
    auto block = [&](int64_t start) {
        at::Tensor b = mels[0].slice(2, start, std::min(start + block_frames, M));
        if (b.size(2) > 0 && b.size(2) < block_frames) b = at::constant_pad_nd(b, {0, block_frames - b.size(2)}, 0);
        return b;
    };
    check_cancel(cancel);
    at::Tensor audio = vocoder_.decode(block(0));  // [C, 1, S]
    audio = audio.slice(2, 0, audio.size(2) - ov);
    if (tick) tick();
    const int64_t total_len = M * kSamplesPerMel;
    for (int64_t p = hop; p < total_len; p += hop) {
        const int64_t start = p / kSamplesPerMel;
        if (start >= M) break;
        check_cancel(cancel);
        const at::Tensor win = vocoder_.decode(block(start));
        const int64_t cf = std::min({g.crossfade, audio.size(2), win.size(2) - (ov - g.crossfade)});
        if (cf > 0) {
            const at::Tensor tail = audio.slice(2, audio.size(2) - cf);
            const at::Tensor head = win.slice(2, ov - cf, ov);
            const at::Tensor mixed = tail * cf_tail.slice(2, 0, cf) + head * cf_head.slice(2, 0, cf);
            audio = at::cat({audio.slice(2, 0, audio.size(2) - cf), mixed}, 2);
        }
        const bool final_append = p + hop >= total_len;
        audio = at::cat({audio, final_append ? win.slice(2, ov) : win.slice(2, ov, win.size(2) - ov)}, 2);
        if (tick) tick();
    }
    return audio.squeeze(1);  // [C, S]
}

std::vector<at::Tensor> MusicDcae::decode_overlapped(const at::Tensor& latents_in, int64_t sr,
                                                     const std::function<void(int, int)>& progress,
                                                     const std::atomic<bool>* cancel, const OverlapGeometry& g) const {
    check_geometry(g);
    const at::Tensor latents = check_latents(latents_in);
    require(sr >= 0, "decode: sample rate must be positive");
    const int64_t out_sr = sr > 0 ? sr : kSampleRate;

    // Progress in windows: every DCAE and vocoder window of every item.
    const int64_t W = latents.size(3);
    const int64_t per_item = overlapped_dcae_windows(W, g) + overlapped_vocoder_windows(W * kLatentToMel, g);
    const int total = (int)(per_item * latents.size(0));
    int done = 0;
    const std::function<void()> tick = [&] {
        ++done;
        if (progress) progress(done, total);
    };

    std::vector<at::Tensor> out;
    times_ = {};
    for (int64_t item = 0; item < latents.size(0); ++item) {
        double t = now_s();
        const at::Tensor mel = overlapped_mel(latents[item].unsqueeze(0), g, tick, cancel);
        times_.dcae += now_s() - t;
        t = now_s();
        at::Tensor wav = overlapped_wav(mel, g, tick, cancel);
        times_.vocoder += now_s() - t;
        t = now_s();
        // torchaudio Resample(44100, sr, dtype=float32): the kernel is built in fp32 arithmetic; on the CPU.
        if (out_sr != kSampleRate && wav.numel() > 0) wav = resample_audio(wav.cpu(), kSampleRate, out_sr, at::kFloat);
        // Truncate to the latent length at the output rate: int(W·8·512·sr/44100).
        const int64_t native = W * kLatentToMel * kSamplesPerMel;
        const int64_t max_len = (int64_t)((double)(native * out_sr) / (double)kSampleRate);
        const int64_t target = std::max<int64_t>(0, std::min(max_len, wav.size(1)));
        out.push_back(wav.slice(1, 0, target).cpu().contiguous());
        times_.resample += now_s() - t;
    }
    return out;
}

std::vector<at::Tensor> MusicDcae::decode(const at::Tensor& latents, const pipeline::DecodeRequest& req) const {
    if (req.overlapped) return decode_overlapped(latents, kOutputRate, req.progress, req.cancel, OverlapGeometry{});
    return decode_latents(latents, kOutputRate, req.progress, req.cancel);
}

}  // namespace acestep
