// Cheap stand-ins for the model components (pipeline/components.h), so the task logic, seeds,
// progress, cancellation and output handling can be tested in milliseconds without weights.
// They are deterministic functions of their inputs with the official shapes.
#pragma once

#include <atomic>

#include "pipeline/components.h"

namespace acestep::test {

struct FakeText : pipeline::TextEncoder {
    void tokenize(const std::string& prompt, at::Tensor* ids, at::Tensor* mask) const override {
        std::vector<int64_t> v;
        for (unsigned char ch : prompt) v.push_back(3 + ch % 50);
        v.push_back(1);
        *ids = at::tensor(v, at::kLong).unsqueeze(0);
        *mask = at::ones_like(*ids);
    }
    at::Tensor encode(const at::Tensor& ids, const at::Tensor&, bool erg) const override {
        at::Tensor f = ids.to(at::kFloat).unsqueeze(-1) * at::arange(1, 9, at::kFloat) * 0.01;
        return erg ? at::sin(f) * 0.5 : at::sin(f);
    }
};

struct FakeLyrics : pipeline::LyricTokenizer {
    std::vector<int64_t> tokenize(const std::string& lyrics, const std::string&) const override {
        std::vector<int64_t> v{261};
        for (unsigned char ch : lyrics) v.push_back(ch == '\n' ? 2 : 10 + ch % 90);
        v.push_back(2);
        return v;
    }
};

struct FakeDit : pipeline::Denoiser {
    mutable std::atomic<int> decodes{0};
    std::atomic<bool>* cancel_after = nullptr;  // set this flag after `cancel_at` decodes
    int cancel_at = -1;
    pipeline::Condition encode(const at::Tensor& text, const at::Tensor& tmask, const at::Tensor& spk, const at::Tensor& ids,
                               const at::Tensor& lmask, bool erg) const override {
        const int64_t b = text.size(0);
        at::Tensor l = at::cos(ids.to(at::kFloat).unsqueeze(-1) * at::arange(1, 9, at::kFloat) * 0.02) * (erg ? 0.1 : 1.0);
        at::Tensor s = spk.slice(1, 0, 8).unsqueeze(1) + 0.3;
        pipeline::Condition c;
        c.hidden = at::cat({s, text, l}, 1);
        c.mask = at::cat({at::ones({b, 1}), tmask.to(at::kFloat), lmask.to(at::kFloat)}, 1);
        return c;
    }
    at::Tensor decode(const at::Tensor& x, const at::Tensor&, const pipeline::Condition& c, const at::Tensor& t,
                      bool erg) const override {
        int n = ++decodes;
        if (cancel_after && n == cancel_at) cancel_after->store(true);
        at::Tensor m = (c.hidden * c.mask.unsqueeze(-1)).mean({1, 2}).view({-1, 1, 1, 1});
        return x * -0.7 + (t.view({-1, 1, 1, 1}) / 1000) * 0.9 + m * (erg ? 0.5 : 1.0);
    }
};

struct FakeCodec : pipeline::AudioCodec {
    at::Tensor encode(const Audio& a) const override {
        const int64_t w = (a.frames + 4095) / 4096;  // 44.1 kHz inputs only in these tests
        at::Tensor lat = at::arange(w, at::kFloat).view({1, 1, 1, w}).expand({1, 8, 16, w}) * 0.01;
        return (lat + (a.samples.empty() ? 0.0f : a.samples[0])).contiguous();
    }
    std::vector<at::Tensor> decode(const at::Tensor& latents, const pipeline::DecodeRequest& req) const override {
        std::vector<at::Tensor> out;
        const int64_t w = latents.size(-1), n = (4096 * w * 160 + 146) / 147;
        for (int64_t i = 0; i < latents.size(0); ++i) {
            if (req.progress) req.progress((int)i, (int)latents.size(0));
            out.push_back(at::full({2, n}, latents[i].mean().item<float>() * 0.01f));
        }
        if (req.progress) req.progress((int)latents.size(0), (int)latents.size(0));
        return out;
    }
};

struct FakeModels {
    FakeText text;
    FakeLyrics lyrics;
    FakeDit dit;
    FakeCodec codec;
    pipeline::Components components() {
        pipeline::Components c;
        c.text = &text;
        c.lyrics = &lyrics;
        c.dit = &dit;
        c.codec = &codec;
        return c;
    }
};

}  // namespace acestep::test
