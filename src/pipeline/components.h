// What the generation pipeline needs from the model components, as four small interfaces.
//
// The pipeline (tasks, guidance, schedulers, seeds) is written against these; the model store adapts
// the concrete models (UMT5 + its tokenizer, the DiT with its lyric encoder, MusicDCAE, the lyric
// front end) to them.  Tests drive the pipeline with cheap fakes.  All tensors are on the pipeline
// device; hidden states are in the pipeline dtype.
#pragma once

#include <ATen/ATen.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "acestep/audio_io.h"

namespace acestep::pipeline {

// UMT5 and its tokenizer (get_text_embeddings / get_text_embeddings_null).
class TextEncoder {
public:
    virtual ~TextEncoder() = default;
    // prompt -> input ids [1, T] int64 (</s> appended, at most 256 tokens) and attention mask [1, T].
    virtual void tokenize(const std::string& prompt, at::Tensor* ids, at::Tensor* mask) const = 0;
    // last_hidden_state [B, T, D]; erg: q-projection outputs of blocks 8 and 9 scaled by 0.01.
    virtual at::Tensor encode(const at::Tensor& ids, const at::Tensor& mask, bool erg) const = 0;
};

// Lyrics text -> token ids (ACEStepPipeline.tokenize_lyrics): [261, ...line tokens, 2 ...].
class LyricTokenizer {
public:
    virtual ~LyricTokenizer() = default;
    // `language` "" = detect per line, else force that language code for every line.
    virtual std::vector<int64_t> tokenize(const std::string& lyrics, const std::string& language) const = 0;
};

// A condition set E (transformer.encode): hidden [B, S_enc, C], mask [B, S_enc] (fp32).  `cache` lets
// the denoiser keep precomputed cross-attention keys/values with it.
struct Condition {
    at::Tensor hidden, mask;
    std::shared_ptr<void> cache;
};

// The DiT: encode() per condition set, decode() per step.
class Denoiser {
public:
    virtual ~Denoiser() = default;
    // text_hidden [B,T,D], text_mask [B,T], speaker [B,512], lyric_ids [B,L], lyric_mask [B,L];
    // erg_lyric: linear_q outputs of lyric-encoder layers 4 and 5 scaled by 0.01.
    virtual Condition encode(const at::Tensor& text_hidden, const at::Tensor& text_mask, const at::Tensor& speaker,
                             const at::Tensor& lyric_ids, const at::Tensor& lyric_mask, bool erg_lyric) const = 0;
    // x [B,8,16,W] (model dtype), attention_mask [B,W], timestep [B] fp32 (sigma * 1000);
    // erg_diffusion: to_q outputs of self- and cross-attention in blocks 15..19 scaled by 0.01.
    // Returns the velocity [B,8,16,W] in the model dtype.
    virtual at::Tensor decode(const at::Tensor& x, const at::Tensor& attention_mask, const Condition& cond,
                              const at::Tensor& timestep, bool erg_diffusion) const = 0;
    virtual int64_t speaker_dim() const { return 512; }
};

struct DecodeRequest {
    bool overlapped = false;                              // windowed decode (long audio)
    std::function<void(int done, int total)> progress;   // per DCAE / vocoder window
    const std::atomic<bool>* cancel = nullptr;
};

// MusicDCAE: audio <-> latents.
class AudioCodec {
public:
    virtual ~AudioCodec() = default;
    // One file's audio (any rate, mono duplicated) -> latents [1, 8, 16, W'] (pipeline dtype, device).
    virtual at::Tensor encode(const Audio& audio) const = 0;
    // latents [B, 8, 16, W] -> per item fp32 CPU [2, ceil(4096 W * 160/147)] at 48 kHz.
    virtual std::vector<at::Tensor> decode(const at::Tensor& latents, const DecodeRequest& req) const = 0;
};

// The loaded components the pipeline runs on (owned by the model store).
struct Components {
    const TextEncoder* text = nullptr;
    const LyricTokenizer* lyrics = nullptr;  // may be null: then lyric ids must be given
    const Denoiser* dit = nullptr;
    const AudioCodec* codec = nullptr;
    at::Device device{at::kCPU};
    at::ScalarType dtype = at::kFloat;
};

}  // namespace acestep::pipeline
