// config.json readers for the four checkpoint components, plus the real model's configurations.
#include "acestep/config.h"

#include "acestep/fs_util.h"
#include "base/json_util.h"

namespace acestep {

namespace {
void require_positive(const JsonFields& f, const char* key, int64_t v) {
    if (v <= 0) f.fail(key, "must be positive, found " + std::to_string(v));
}
void require_len(const JsonFields& f, const char* key, size_t have, size_t want) {
    if (have != want)
        f.fail(key, "expected " + std::to_string(want) + " entries, found " + std::to_string(have));
}
}  // namespace

DitConfig load_dit_config(const std::string& path) { return parse_dit_config(read_file(path, 64ull << 20), path); }

DitConfig parse_dit_config(const std::string& text, const std::string& path) {
    const auto j = parse_json_text(text, path);
    JsonFields f(j, path);
    DitConfig c;
    c.in_channels = f.req_int("in_channels");
    c.out_channels = f.opt_int("out_channels", c.in_channels);
    c.num_layers = f.req_int("num_layers");
    c.attention_head_dim = f.req_int("attention_head_dim");
    c.num_attention_heads = f.req_int("num_attention_heads");
    c.mlp_ratio = f.opt_num("mlp_ratio", 4.0);
    c.max_position = f.opt_int("max_position", 32768);
    c.rope_theta = f.opt_num("rope_theta", 1e6);
    c.speaker_embedding_dim = f.req_int("speaker_embedding_dim");
    c.text_embedding_dim = f.req_int("text_embedding_dim");
    c.patch_size = f.opt_int_list("patch_size", {16, 1});
    c.max_height = f.opt_int("max_height", 16);
    c.max_width = f.opt_int("max_width", 32768);
    c.lyric_encoder_vocab_size = f.req_int("lyric_encoder_vocab_size");
    c.lyric_hidden_size = f.req_int("lyric_hidden_size");
    c.ssl_latent_dims = f.opt_int_list("ssl_latent_dims", {1024, 768});
    for (auto k : {"in_channels", "out_channels", "num_layers", "attention_head_dim", "num_attention_heads",
                   "speaker_embedding_dim", "text_embedding_dim", "lyric_encoder_vocab_size", "lyric_hidden_size"})
        require_positive(f, k, f.has(k) ? f.req_int(k) : 1);
    require_len(f, "patch_size", c.patch_size.size(), 2);
    if (c.mlp_ratio <= 0) f.fail("mlp_ratio", "must be positive");
    if (auto le = f.get("_refgen_lyric_encoder")) {
        JsonFields l(*le, path + ": _refgen_lyric_encoder");
        c.lyric_encoder.output_size = l.req_int("output_size");
        c.lyric_encoder.attention_heads = l.req_int("attention_heads");
        c.lyric_encoder.linear_units = l.req_int("linear_units");
        c.lyric_encoder.num_blocks = l.req_int("num_blocks");
        for (auto k : {"output_size", "attention_heads", "linear_units", "num_blocks"}) require_positive(l, k, l.req_int(k));
    } else {
        c.lyric_encoder = LyricEncoderConfig{};
    }
    if (c.lyric_encoder.output_size % c.lyric_encoder.attention_heads != 0)
        f.fail("_refgen_lyric_encoder", "output_size is not a multiple of attention_heads");
    return c;
}

DcaeConfig load_dcae_config(const std::string& path) { return parse_dcae_config(read_file(path, 64ull << 20), path); }

DcaeConfig parse_dcae_config(const std::string& text, const std::string& path) {
    const auto j = parse_json_text(text, path);
    JsonFields f(j, path);
    DcaeConfig c;
    c.in_channels = f.req_int("in_channels");
    c.latent_channels = f.req_int("latent_channels");
    c.attention_head_dim = f.opt_int("attention_head_dim", 32);
    c.encoder_block_out_channels = f.req_int_list("encoder_block_out_channels");
    c.decoder_block_out_channels = f.req_int_list("decoder_block_out_channels");
    const size_t ne = c.encoder_block_out_channels.size(), nd = c.decoder_block_out_channels.size();
    c.encoder_block_types = f.opt_str_or_list("encoder_block_types", ne, "ResBlock");
    c.decoder_block_types = f.opt_str_or_list("decoder_block_types", nd, "ResBlock");
    c.encoder_layers_per_block = f.req_int_list("encoder_layers_per_block");
    c.decoder_layers_per_block = f.req_int_list("decoder_layers_per_block");
    require_len(f, "encoder_layers_per_block", c.encoder_layers_per_block.size(), ne);
    require_len(f, "decoder_layers_per_block", c.decoder_layers_per_block.size(), nd);
    c.encoder_qkv_multiscales = f.has("encoder_qkv_multiscales") ? f.req_int_list_list("encoder_qkv_multiscales")
                                                                 : std::vector<std::vector<int64_t>>(ne);
    c.decoder_qkv_multiscales = f.has("decoder_qkv_multiscales") ? f.req_int_list_list("decoder_qkv_multiscales")
                                                                 : std::vector<std::vector<int64_t>>(nd);
    require_len(f, "encoder_qkv_multiscales", c.encoder_qkv_multiscales.size(), ne);
    require_len(f, "decoder_qkv_multiscales", c.decoder_qkv_multiscales.size(), nd);
    c.upsample_block_type = f.opt_str("upsample_block_type", "pixel_shuffle");
    c.downsample_block_type = f.opt_str("downsample_block_type", "pixel_unshuffle");
    c.decoder_norm_types = f.opt_str_or_list("decoder_norm_types", nd, "rms_norm");
    c.decoder_act_fns = f.opt_str_or_list("decoder_act_fns", nd, "silu");
    c.scaling_factor = f.opt_num("scaling_factor", 1.0);
    c.encoder_out_shortcut = f.opt_bool("encoder_out_shortcut", true);
    c.decoder_in_shortcut = f.opt_bool("decoder_in_shortcut", true);
    c.decoder_conv_act_fn = f.opt_str("decoder_conv_act_fn", "relu");
    for (auto v : c.encoder_block_out_channels) require_positive(f, "encoder_block_out_channels", v);
    for (auto v : c.decoder_block_out_channels) require_positive(f, "decoder_block_out_channels", v);
    for (const auto& t : c.encoder_block_types)
        if (t != "ResBlock" && t != "EfficientViTBlock") f.fail("encoder_block_types", "unknown block type '" + t + "'");
    for (const auto& t : c.decoder_block_types)
        if (t != "ResBlock" && t != "EfficientViTBlock") f.fail("decoder_block_types", "unknown block type '" + t + "'");
    return c;
}

VocoderConfig load_vocoder_config(const std::string& path) { return parse_vocoder_config(read_file(path, 64ull << 20), path); }

VocoderConfig parse_vocoder_config(const std::string& text, const std::string& path) {
    const auto j = parse_json_text(text, path);
    JsonFields f(j, path);
    VocoderConfig c;
    c.input_channels = f.req_int("input_channels");
    c.depths = f.req_int_list("depths");
    c.dims = f.req_int_list("dims");
    require_len(f, "dims", c.dims.size(), c.depths.size());
    c.kernel_sizes = f.opt_int_list("kernel_sizes", {7});
    c.upsample_rates = f.req_int_list("upsample_rates");
    c.upsample_kernel_sizes = f.req_int_list("upsample_kernel_sizes");
    require_len(f, "upsample_kernel_sizes", c.upsample_kernel_sizes.size(), c.upsample_rates.size());
    c.resblock_kernel_sizes = f.req_int_list("resblock_kernel_sizes");
    c.resblock_dilation_sizes = f.req_int_list_list("resblock_dilation_sizes");
    require_len(f, "resblock_dilation_sizes", c.resblock_dilation_sizes.size(), c.resblock_kernel_sizes.size());
    c.num_mels = f.req_int("num_mels");
    c.upsample_initial_channel = f.req_int("upsample_initial_channel");
    c.use_template = f.opt_bool("use_template", false);
    c.pre_conv_kernel_size = f.opt_int("pre_conv_kernel_size", 13);
    c.post_conv_kernel_size = f.opt_int("post_conv_kernel_size", 13);
    c.sampling_rate = f.opt_int("sampling_rate", 44100);
    c.n_fft = f.opt_int("n_fft", 2048);
    c.win_length = f.opt_int("win_length", c.n_fft);
    c.hop_length = f.opt_int("hop_length", 512);
    c.f_min = f.opt_num("f_min", 40);
    c.f_max = f.opt_num("f_max", 16000);
    c.n_mels = f.opt_int("n_mels", 128);
    if (c.use_template) f.fail("use_template", "true is not supported (the released vocoder has no noise template)");
    for (auto k : {"input_channels", "num_mels", "upsample_initial_channel", "n_fft", "hop_length", "n_mels"})
        require_positive(f, k, f.has(k) ? f.req_int(k) : 1);
    return c;
}

Umt5Config load_umt5_config(const std::string& path) { return parse_umt5_config(read_file(path, 64ull << 20), path); }

Umt5Config parse_umt5_config(const std::string& text, const std::string& path) {
    const auto j = parse_json_text(text, path);
    JsonFields f(j, path);
    Umt5Config c;
    c.vocab_size = f.req_int("vocab_size");
    c.d_model = f.req_int("d_model");
    c.d_kv = f.req_int("d_kv");
    c.d_ff = f.req_int("d_ff");
    c.num_layers = f.req_int("num_layers");
    c.num_heads = f.req_int("num_heads");
    c.relative_attention_num_buckets = f.opt_int("relative_attention_num_buckets", 32);
    c.relative_attention_max_distance = f.opt_int("relative_attention_max_distance", 128);
    c.layer_norm_epsilon = f.opt_num("layer_norm_epsilon", 1e-6);
    const std::string ffp = f.opt_str("feed_forward_proj", "gated-gelu");
    c.is_gated_act = f.opt_bool("is_gated_act", ffp.rfind("gated-", 0) == 0);
    c.dense_act_fn = f.opt_str("dense_act_fn", ffp == "gated-gelu" ? "gelu_new" : "relu");
    c.pad_token_id = f.opt_int("pad_token_id", 0);
    c.eos_token_id = f.opt_int("eos_token_id", 1);
    for (auto k : {"vocab_size", "d_model", "d_kv", "d_ff", "num_layers", "num_heads"}) require_positive(f, k, f.req_int(k));
    if (c.dense_act_fn != "gelu_new" && c.dense_act_fn != "relu" && c.dense_act_fn != "gelu")
        f.fail("dense_act_fn", "unsupported activation '" + c.dense_act_fn + "'");
    return c;
}

DitConfig real_dit_config() { return DitConfig{}; }

DcaeConfig real_dcae_config() {
    DcaeConfig c;
    c.encoder_block_types = c.decoder_block_types = {"ResBlock", "ResBlock", "ResBlock", "EfficientViTBlock"};
    c.encoder_block_out_channels = c.decoder_block_out_channels = {128, 256, 512, 1024};
    c.encoder_layers_per_block = {2, 2, 3, 3};
    c.decoder_layers_per_block = {3, 3, 3, 3};
    c.encoder_qkv_multiscales = c.decoder_qkv_multiscales = {{}, {}, {5}, {5}};
    c.upsample_block_type = "interpolate";
    c.downsample_block_type = "Conv";
    c.decoder_norm_types = {"rms_norm", "rms_norm", "rms_norm", "rms_norm"};
    c.decoder_act_fns = {"silu", "silu", "silu", "silu"};
    c.scaling_factor = 0.41407;
    return c;
}

VocoderConfig real_vocoder_config() { return VocoderConfig{}; }
Umt5Config real_umt5_config() { return Umt5Config{}; }

}  // namespace acestep
