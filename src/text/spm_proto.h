// sentencepiece ModelProto in protobuf wire format, read and written by hand (torch-free).
//
// The UMT5 checkpoint ships a Hugging Face tokenizer.json instead of spiece.model; Umt5Tokenizer
// rebuilds a ModelProto from it and loads that through the sentencepiece shim.  No protobuf library
// is linked on our side (the Debian one clashes with LibTorch's, build-notes.md §7), so this file
// speaks the wire format directly: only the fields sentencepiece reads for encoding are written;
// the reader keeps those and skips everything else.  Field numbers: sentencepiece_model.proto.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace acestep::spm {

// ModelProto.SentencePiece.Type
enum class PieceType : int { Normal = 1, Unknown = 2, Control = 3, UserDefined = 4, Unused = 5, Byte = 6 };

struct Piece {
    std::string piece;
    float score = 0.0f;
    PieceType type = PieceType::Normal;
};

struct Model {
    std::vector<Piece> pieces;
    // TrainerSpec
    int model_type = 1;  // 1 unigram, 2 bpe, 3 word, 4 char
    bool byte_fallback = false;
    int unk_id = 0, bos_id = 1, eos_id = 2, pad_id = -1;  // the proto's defaults
    // NormalizerSpec
    std::string normalizer_name;
    std::string precompiled_charsmap;  // raw bytes
    bool add_dummy_prefix = true;
    bool remove_extra_whitespaces = true;
    bool escape_whitespaces = true;
};

// Serialized ModelProto bytes.
std::string serialize(const Model& m);
// Parses serialized ModelProto bytes; throws acestep::Error("<what>: ...") on malformed input.
Model parse(std::string_view bytes, const std::string& what);

// RFC 4648 base64 (tokenizer.json stores the precompiled charsmap this way).
std::string base64_encode(std::string_view bytes);
// Throws acestep::Error("<what>: invalid base64") on bad input; padding is optional.
std::string base64_decode(std::string_view text, const std::string& what);

}  // namespace acestep::spm
