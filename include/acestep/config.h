// Typed configuration of each checkpoint component, read from its config.json.
//
// Sizes always come from the file (the tiny fixture checkpoint and the real 3.5B model differ only
// in sizes); a missing or mistyped size is an error naming the file and the field.  Non-size options
// default to the official code's defaults when absent, as diffusers does.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace acestep {

// `lyric_encoder` inside ace_step_transformer: the official code hard-codes 1024/16/4096/6; the
// fixture checkpoint records its tiny sizes under "_refgen_lyric_encoder".
struct LyricEncoderConfig {
    int64_t output_size = 1024;
    int64_t attention_heads = 16;
    int64_t linear_units = 4096;
    int64_t num_blocks = 6;
};

struct DitConfig {  // ace_step_transformer/config.json (ACEStepTransformer2DModel)
    int64_t in_channels = 8;
    int64_t out_channels = 8;
    int64_t num_layers = 24;
    int64_t attention_head_dim = 128;
    int64_t num_attention_heads = 20;
    double mlp_ratio = 2.5;
    int64_t max_position = 32768;
    double rope_theta = 1e6;
    int64_t speaker_embedding_dim = 512;
    int64_t text_embedding_dim = 768;
    std::vector<int64_t> patch_size{16, 1};
    int64_t max_height = 16;
    int64_t max_width = 32768;
    int64_t lyric_encoder_vocab_size = 6693;
    int64_t lyric_hidden_size = 1024;
    std::vector<int64_t> ssl_latent_dims{1024, 768};
    LyricEncoderConfig lyric_encoder;

    int64_t inner_dim() const { return num_attention_heads * attention_head_dim; }
};

struct DcaeConfig {  // music_dcae_f8c8/config.json (diffusers AutoencoderDC)
    int64_t in_channels = 2;
    int64_t latent_channels = 8;
    int64_t attention_head_dim = 32;
    std::vector<std::string> encoder_block_types, decoder_block_types;
    std::vector<int64_t> encoder_block_out_channels, decoder_block_out_channels;
    std::vector<int64_t> encoder_layers_per_block, decoder_layers_per_block;
    std::vector<std::vector<int64_t>> encoder_qkv_multiscales, decoder_qkv_multiscales;
    std::string upsample_block_type = "pixel_shuffle";
    std::string downsample_block_type = "pixel_unshuffle";
    std::vector<std::string> decoder_norm_types;  // per block
    std::vector<std::string> decoder_act_fns;     // per block
    double scaling_factor = 1.0;                  // unused by ACE-Step (own 0.1786 / -1.9091)
    bool encoder_out_shortcut = true;             // z = conv_out(h) + channel-group mean(h)
    bool decoder_in_shortcut = true;              // h = conv_in(z) + repeat_interleave(z)
    std::string decoder_conv_act_fn = "relu";     // before decoder.conv_out
};

struct VocoderConfig {  // music_vocoder/config.json (ADaMoSHiFiGANV1)
    int64_t input_channels = 128;
    std::vector<int64_t> depths{3, 3, 9, 3};
    std::vector<int64_t> dims{128, 256, 384, 512};
    std::vector<int64_t> kernel_sizes{7};
    std::vector<int64_t> upsample_rates{4, 4, 2, 2, 2, 2, 2};
    std::vector<int64_t> upsample_kernel_sizes{8, 8, 4, 4, 4, 4, 4};
    std::vector<int64_t> resblock_kernel_sizes{3, 7, 11, 13};
    std::vector<std::vector<int64_t>> resblock_dilation_sizes{{1, 3, 5}, {1, 3, 5}, {1, 3, 5}, {1, 3, 5}};
    int64_t num_mels = 512;  // head input width (= backbone output)
    int64_t upsample_initial_channel = 1024;
    bool use_template = false;
    int64_t pre_conv_kernel_size = 13;
    int64_t post_conv_kernel_size = 13;
    int64_t sampling_rate = 44100;
    int64_t n_fft = 2048;
    int64_t win_length = 2048;
    int64_t hop_length = 512;
    double f_min = 40;
    double f_max = 16000;
    int64_t n_mels = 128;
};

struct Umt5Config {  // umt5-base/config.json (transformers UMT5EncoderModel)
    int64_t vocab_size = 256384;
    int64_t d_model = 768;
    int64_t d_kv = 64;
    int64_t d_ff = 2048;
    int64_t num_layers = 12;
    int64_t num_heads = 12;
    int64_t relative_attention_num_buckets = 32;
    int64_t relative_attention_max_distance = 128;
    double layer_norm_epsilon = 1e-6;
    std::string dense_act_fn = "gelu_new";
    bool is_gated_act = true;
    int64_t pad_token_id = 0;
    int64_t eos_token_id = 1;
};

// Each loader reads `<folder>/config.json`; errors name that file.
DitConfig load_dit_config(const std::string& config_json_path);
DcaeConfig load_dcae_config(const std::string& config_json_path);
VocoderConfig load_vocoder_config(const std::string& config_json_path);
Umt5Config load_umt5_config(const std::string& config_json_path);

// The same from JSON text already in memory (`where` names the source in errors); used by the
// loaders above and by the fuzzers.
DitConfig parse_dit_config(const std::string& json_text, const std::string& where);
DcaeConfig parse_dcae_config(const std::string& json_text, const std::string& where);
VocoderConfig parse_vocoder_config(const std::string& json_text, const std::string& where);
Umt5Config parse_umt5_config(const std::string& json_text, const std::string& where);

// The real ACE-Step-v1-3.5B configurations (for size tests and the benchmark's --size full).
DitConfig real_dit_config();
DcaeConfig real_dcae_config();
VocoderConfig real_vocoder_config();
Umt5Config real_umt5_config();

}  // namespace acestep
