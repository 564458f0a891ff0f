// Peak-memory estimate of a generation job and the "will it fit" check (see include/acestep/resources.h).
#include "acestep/resources.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "acestep/error.h"

namespace acestep {

namespace {
constexpr uint64_t kRuntimeOverhead = 400ull << 20;  // LibTorch + libraries resident before any work
constexpr int64_t kOverlapWindowFrames = 512;         // §5.7 latent window of the overlapped decode
constexpr double kOverlapAboveSeconds = 48.0;

uint64_t u(double x) { return x <= 0 ? 0 : (uint64_t)std::ceil(x); }

// Rough token count of the lyrics after the BPE (at most one token per byte, plus tags per line).
int64_t lyric_tokens(const std::string& lyrics) {
    int64_t lines = 1 + (int64_t)std::count(lyrics.begin(), lyrics.end(), '\n');
    return std::min<int64_t>(8192, (int64_t)lyrics.size() + 2 * lines + 2);
}
}  // namespace

std::string human_bytes(uint64_t b) {
    char buf[32];
    if (b >= (1ull << 30)) std::snprintf(buf, sizeof buf, "%.1f GiB", b / double(1ull << 30));
    else std::snprintf(buf, sizeof buf, "%.0f MiB", b / double(1ull << 20));
    return buf;
}

uint64_t MemoryEstimate::total() const { return weights + std::max({dit, dcae, vocoder}) + kRuntimeOverhead; }

std::string MemoryEstimate::describe() const {
    const char* stage = "DiT";
    uint64_t big = dit;
    if (dcae > big) big = dcae, stage = "DCAE decode";
    if (vocoder > big) big = vocoder, stage = "vocoder";
    std::ostringstream o;
    o << "about " << human_bytes(total()) << " (weights " << human_bytes(weights) << ", largest stage: " << stage << " "
      << human_bytes(big) << ")";
    return o.str();
}

int64_t latent_frames(double seconds) {
    const double s = std::min(std::max(seconds, 0.0), 240.0);
    return std::max<int64_t>(1, (int64_t)(s * 44100.0 / 512.0 / 8.0));
}

MemoryEstimate estimate_job_memory(const GenerationParams& p, const ModelConfigs& cfg, int dtype_bytes,
                                   bool weights_loaded, bool overlapped_decode, double source_seconds) {
    MemoryEstimate e;
    const double seconds = source_seconds > 0 ? source_seconds : (p.audio_duration > 0 ? p.audio_duration : 240.0);
    double frames_seconds = seconds;
    if (p.task == "extend") frames_seconds = std::min(240.0, seconds + std::max(0.0, -p.repaint_start) +
                                                                std::max(0.0, p.repaint_end - seconds));
    const int64_t W = latent_frames(frames_seconds);
    const int64_t B = std::max<int64_t>(1, p.batch_size);
    const double bytes = dtype_bytes;

    // Weights (parameters needed at inference, in the compute dtype; UMT5 and the vocoder's
    // conv-transposes keep fp32 islands but are small).
    if (!weights_loaded) {
        const auto& d = cfg.dit;
        const double C = (double)d.inner_dim(), H = std::floor(C * d.mlp_ratio);
        const double per_block = 2 * 4 * (C * C + C) + (C * 2 * H + 2 * H) + (2 * H * 3 + 2 * H) + H * C + 6 * C;
        const auto& l = d.lyric_encoder;
        const double Dl = (double)l.output_size, U = (double)l.linear_units;
        const double lyric = d.lyric_encoder_vocab_size * (double)d.lyric_hidden_size + d.lyric_hidden_size * Dl + 3 * Dl +
                             l.num_blocks * (5 * Dl * Dl + 4 * Dl + 2 * Dl + 2 * Dl * U + U + Dl + 4 * Dl) + 2 * Dl + Dl * C + C;
        const double globals = 256 * C + C + C * C + C + 6 * C * C + 6 * C + (d.speaker_embedding_dim + 1) * C +
                               (d.text_embedding_dim + 1) * C + 2048.0 * d.in_channels * 16 + 3 * 2048 + C * 2048 + C +
                               128 * C + 128 + 2 * C;
        const double dit_params = d.num_layers * per_block + lyric + globals;
        const auto& t = cfg.umt5;
        const double inner = (double)t.num_heads * t.d_kv;
        const double t5 = (double)t.vocab_size * t.d_model +
                          t.num_layers * (4.0 * t.d_model * inner + 32.0 * t.num_heads + 2.0 * t.d_model + 3.0 * t.d_model * t.d_ff) +
                          t.d_model;
        double dcae_params = 0;
        for (const auto* chans : {&cfg.dcae.encoder_block_out_channels, &cfg.dcae.decoder_block_out_channels})
            for (size_t i = 0; i < chans->size(); ++i) {
                const double c = (double)(*chans)[i];
                dcae_params += 4 * (18 * c * c + 3 * c) + 3 * c * c + 3 * c * 25 + 3 * c * 32 + c * c * 2 + 8 * c * c + 8 * c * 11 + 4 * c * c;
            }
        double voc = 0;
        for (size_t i = 0; i < cfg.vocoder.dims.size(); ++i) {
            const double c = (double)cfg.vocoder.dims[i];
            voc += cfg.vocoder.depths[i] * (c * 7 + 8 * c * c + 8 * c) + c * c;
        }
        double ch = (double)cfg.vocoder.upsample_initial_channel;
        voc += cfg.vocoder.num_mels * ch * 13;
        for (size_t i = 0; i < cfg.vocoder.upsample_rates.size(); ++i) {
            const double k = (double)cfg.vocoder.upsample_kernel_sizes[i];
            voc += ch * (ch / 2) * k;
            ch /= 2;
            for (auto rk : cfg.vocoder.resblock_kernel_sizes) voc += 6 * ch * ch * (double)rk;
        }
        e.weights = u((dit_params + dcae_params + voc) * bytes + t5 * bytes);
    }

    // One DiT call: batch B (cond and uncond are separate calls; 2B if the engine batches them).
    {
        const auto& d = cfg.dit;
        const double C = (double)d.inner_dim(), H = std::floor(C * d.mlp_ratio);
        const double S = (double)W, Senc = 1 + 256 + (double)lyric_tokens(p.lyrics);
        const double Bx = 2.0 * B;
        const double per_token = 8 * C + 7 * H + 2.0 * d.num_attention_heads * Senc;
        const double kv_cache = 2.0 * C * Senc * d.num_layers * 3;  // cond, uncond, text-only condition caches
        e.dit = u(Bx * (S * per_token * 4.0 + kv_cache * bytes));
    }

    // DCAE: items run one at a time; the full-resolution ResBlocks hold ~5 maps of c0 x 128 x 8W and
    // the EfficientViT stage ~25 maps of c x 16 x W (fp32 attention).
    {
        const bool windows = overlapped_decode && frames_seconds > kOverlapAboveSeconds;
        const double w = windows ? (double)std::min<int64_t>(W, kOverlapWindowFrames) : (double)W;
        double c0 = 0, clast = 0;
        for (const auto* chans : {&cfg.dcae.encoder_block_out_channels, &cfg.dcae.decoder_block_out_channels})
            if (!chans->empty()) {
                c0 = std::max(c0, (double)chans->front());
                clast = std::max(clast, (double)chans->back());
            }
        const double res = 5 * c0 * 128 * 8 * w * bytes;
        const double vit = 25 * clast * 16 * w * 4.0;
        e.dcae = u(std::max(res, vit) + (double)B * 2 * 128 * 8 * W * 4.0);
    }

    // Vocoder (fp32 islands): ~6 live maps at its widest stage, per channel (or both channels per window).
    {
        const bool windows = overlapped_decode && frames_seconds > kOverlapAboveSeconds;
        const double T = windows ? 512.0 : 8.0 * W;  // mel frames (§5.7: windows of 512 mel frames)
        const double nb = windows ? 2 : 1;
        double ch = (double)cfg.vocoder.upsample_initial_channel, len = T, widest = ch * len;
        for (auto r : cfg.vocoder.upsample_rates) {
            ch /= 2;
            len *= (double)r;
            widest = std::max(widest, ch * len);
        }
        const double audio = (double)B * 2 * 4096 * W * 4.0 * 2.2;  // 44.1k + 48k copies of every take
        e.vocoder = u(6 * widest * 4.0 * nb + audio);
    }
    return e;
}

uint64_t parse_byte_size(const std::string& text, const std::string& what) {
    auto bad = [&]() {
        return Error(what + ": '" + text + "' is not a size (write e.g. 8GiB, 512MiB or a number of bytes)");
    };
    size_t i = 0;
    while (i < text.size() && std::isspace((unsigned char)text[i])) ++i;
    size_t j = i;
    while (j < text.size() && (std::isdigit((unsigned char)text[j]) || text[j] == '.')) ++j;
    if (j == i || std::count(text.begin() + (long)i, text.begin() + (long)j, '.') > 1) throw bad();
    const double value = std::strtod(text.substr(i, j - i).c_str(), nullptr);
    while (j < text.size() && std::isspace((unsigned char)text[j])) ++j;
    std::string unit;
    for (size_t k = j; k < text.size(); ++k)
        if (!std::isspace((unsigned char)text[k])) unit += (char)std::toupper((unsigned char)text[k]);
    struct Unit {
        const char* name;
        double mult;
    };
    static const Unit kUnits[] = {{"", 1.0},          {"B", 1.0},
                                  {"K", 0x1p10},      {"KB", 0x1p10}, {"KIB", 0x1p10},
                                  {"M", 0x1p20},      {"MB", 0x1p20}, {"MIB", 0x1p20},
                                  {"G", 0x1p30},      {"GB", 0x1p30}, {"GIB", 0x1p30},
                                  {"T", 0x1p40},      {"TB", 0x1p40}, {"TIB", 0x1p40}};
    double mult = 0;
    for (const Unit& u : kUnits)
        if (unit == u.name) mult = u.mult;
    const double bytes = value * mult;
    if (mult == 0 || !(bytes >= 1) || bytes > 1.8e19) throw bad();
    return (uint64_t)bytes;
}

uint64_t available_memory_bytes() {
    uint64_t avail = 0;
    std::ifstream mi("/proc/meminfo");
    std::string key;
    uint64_t kb = 0;
    std::string unit;
    while (mi >> key >> kb >> unit)
        if (key == "MemAvailable:") {
            avail = kb * 1024;
            break;
        }
    // cgroup v2 limit (containers).
    std::ifstream lim("/sys/fs/cgroup/memory.max"), cur("/sys/fs/cgroup/memory.current");
    std::string l;
    uint64_t used = 0;
    if (lim >> l && l != "max" && cur >> used) {
        const uint64_t limit = std::stoull(l);
        const uint64_t left = limit > used ? limit - used : 0;
        if (avail == 0 || left < avail) avail = left;
    }
    if (const char* cap = std::getenv("ACESTEP_MAX_MEMORY"); cap && *cap) {
        const uint64_t limit = parse_byte_size(cap, "ACESTEP_MAX_MEMORY");
        if (avail == 0 || limit < avail) avail = limit;
    }
    return avail;
}

void check_memory_fits(const MemoryEstimate& e, uint64_t available) {
    if (available == 0 || e.total() <= available) return;
    throw Error("this job needs " + e.describe() + " but only " + human_bytes(available) +
                " of memory are available: shorten the duration, lower the batch size, use --dtype bf16, "
                "or keep overlapped decode on");
}

}  // namespace acestep
