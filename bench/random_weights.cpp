// Random weights for the benchmark (see random_weights.h).
#include "random_weights.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstring>
#include <map>

#include "acestep/error.h"
#include "models/shape_source.h"

namespace acestep::bench {

namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

double scale_for(const std::string& key, const std::vector<int64_t>& shape) {
    const bool is_weight = ends_with(key, ".weight");
    if (key == "lyric_embs.weight" || key == "shared.weight" || key == "encoder.embed_tokens.weight") return 1.0;
    if (ends_with(key, ".weight_g")) return 1.0;  // weight norm: g is the per-channel norm of the folded weight
    if (is_weight && shape.size() >= 2) {
        int64_t fan_in = 1;
        for (size_t i = 1; i < shape.size(); ++i) fan_in *= shape[i];
        return 1.0 / std::sqrt((double)std::max<int64_t>(1, fan_in));
    }
    return 0.02;
}

}  // namespace

std::shared_ptr<st::File> random_safetensors(const ShapeList& shapes, at::ScalarType dtype, uint64_t seed,
                                             const std::string& name) {
    if (dtype != at::kFloat && dtype != at::kBFloat16)
        throw Error("bench: random weights are made in fp32 or bf16, not " + std::string(c10::toString(dtype)));
    const size_t item = dtype == at::kFloat ? 4 : 2;
    const char* st_dtype = dtype == at::kFloat ? "F32" : "BF16";

    nlohmann::ordered_json header = nlohmann::ordered_json::object();
    header["__metadata__"] = {{"format", "pt"}};
    uint64_t cursor = 0;
    std::vector<uint64_t> offsets;
    for (const auto& [key, shape] : shapes) {
        int64_t numel = 1;
        for (int64_t d : shape) numel *= d;
        const uint64_t bytes = (uint64_t)numel * item;
        header[key] = {{"dtype", st_dtype}, {"shape", shape}, {"data_offsets", {cursor, cursor + bytes}}};
        offsets.push_back(cursor);
        cursor += (bytes + 63) / 64 * 64;
    }
    std::string hs = header.dump();
    while ((8 + hs.size()) % 64 != 0) hs.push_back(' ');
    const uint64_t data_start = 8 + hs.size();
    std::vector<uint8_t> image(data_start + cursor);
    const uint64_t hlen = hs.size();
    for (int i = 0; i < 8; ++i) image[i] = (uint8_t)(hlen >> (8 * i));
    std::memcpy(image.data() + 8, hs.data(), hs.size());

    const int64_t P = 1 << 22;
    at::manual_seed((uint64_t)seed);
    const at::Tensor pool = at::randn({P}, at::kFloat).to(at::kBFloat16).to(at::kFloat);  // bf16-representable
    std::map<double, at::Tensor> scaled;
    auto pool_for = [&](double s) -> const at::Tensor& {
        auto it = scaled.find(s);
        if (it == scaled.end()) it = scaled.emplace(s, (pool * s).to(dtype).contiguous()).first;
        return it->second;
    };
    int64_t window = (int64_t)(seed % (uint64_t)P);
    for (size_t i = 0; i < shapes.size(); ++i) {
        const auto& [key, shape] = shapes[i];
        int64_t numel = 1;
        for (int64_t d : shape) numel *= d;
        uint8_t* dst = image.data() + data_start + offsets[i];
        const bool norm_scale = shape.size() == 1 && ends_with(key, ".weight");
        if (norm_scale) {
            at::Tensor t = at::from_blob(dst, {numel}, at::TensorOptions().dtype(dtype));
            t.fill_(1.0);
            continue;
        }
        const auto* src = static_cast<const uint8_t*>(pool_for(scale_for(key, shape)).data_ptr());
        for (int64_t done = 0; done < numel;) {
            const int64_t start = (window + done * 7919) % P;
            const int64_t n = std::min(numel - done, P - start);
            std::memcpy(dst + done * item, src + start * item, (size_t)n * item);
            done += n;
        }
        window = (window + 104729) % P;
    }
    return st::File::from_memory(std::move(image), name);
}

ShapeList record_shapes(const std::function<void(TensorSource&)>& load) {
    ShapeSource r;
    load(r);
    return std::move(r.shapes);
}

ShapeList umt5_shapes(const Umt5Config& c) {
    const int64_t D = c.d_model, inner = c.num_heads * c.d_kv, F = c.d_ff;
    ShapeList s;
    s.push_back({"shared.weight", {c.vocab_size, D}});
    for (int64_t l = 0; l < c.num_layers; ++l) {
        const std::string p = "encoder.block." + std::to_string(l) + ".";
        s.push_back({p + "layer.0.layer_norm.weight", {D}});
        for (const char* n : {"q", "k", "v"}) s.push_back({p + "layer.0.SelfAttention." + n + ".weight", {inner, D}});
        s.push_back({p + "layer.0.SelfAttention.o.weight", {D, inner}});
        s.push_back({p + "layer.0.SelfAttention.relative_attention_bias.weight",
                     {c.relative_attention_num_buckets, c.num_heads}});
        s.push_back({p + "layer.1.layer_norm.weight", {D}});
        if (c.is_gated_act) {
            s.push_back({p + "layer.1.DenseReluDense.wi_0.weight", {F, D}});
            s.push_back({p + "layer.1.DenseReluDense.wi_1.weight", {F, D}});
        } else {
            s.push_back({p + "layer.1.DenseReluDense.wi.weight", {F, D}});
        }
        s.push_back({p + "layer.1.DenseReluDense.wo.weight", {D, F}});
    }
    s.push_back({"encoder.final_layer_norm.weight", {D}});
    return s;
}

}  // namespace acestep::bench
