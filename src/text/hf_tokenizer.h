// Hugging Face `tokenizer.json` (tokenizers' serialization) for Unigram models: the parts of
// T5TokenizerFast that run before and after the Unigram model, reproduced so that sentencepiece can
// do the model part (Umt5Tokenizer loads `to_spm_model()` through the sentencepiece shim).
//
// What tokenizers does on `encode(text)` and what this file reproduces:
//   1. added tokens (`added_tokens`: <pad>, </s>, <unk>, <extra_id_N>) are cut out of the raw text first,
//      leftmost-longest (lstrip/rstrip/single_word honoured);
//   2. each remaining segment goes through the `normalizer` chain: Precompiled (sentencepiece's charsmap,
//      applied per grapheme cluster like tokenizers, see PrecompiledCharsmap), Replace (string or regex),
//      Strip, Prepend;
//   3. then through the `pre_tokenizer` chain: Metaspace (replacement, add_prefix_space / prepend_scheme,
//      split), WhitespaceSplit;
//   4. every pre-token is encoded by the Unigram model on its own (here: sentencepiece with an identity
//      normalizer, since normalization already happened);
//   5. the `post_processor` TemplateProcessing adds its special tokens (T5: `$A </s>`).
// The order matters: tokenizers runs Replace/Strip/Metaspace on the charsmap's output, which
// sentencepiece's own fixed normalizer flags cannot express (e.g. a trailing space becomes a "▁" token
// in the 2023 T5 conversions, and is dropped by sentencepiece).  Unsupported component types are an
// error naming the component, never a silent approximation.
//
// Known residual differences from tokenizers (documented, not expected on real prompts): grapheme
// clusters are approximated (combining marks, variation selectors, ZWJ, CR LF); added tokens with
// `normalized: true` are matched on the raw text; sentencepiece accumulates Viterbi scores in float
// where tokenizers uses double, so near-ties may resolve differently.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "text/spm_proto.h"

namespace acestep::hf {

// sentencepiece's `precompiled_charsmap`: [u32 trie size][darts-clone double array][NUL-separated
// replacement strings].  normalize() follows tokenizers' Precompiled normalizer: for each grapheme
// cluster shorter than 6 bytes, the shortest trie prefix of the whole cluster replaces the cluster;
// otherwise each code point is looked up on its own.
class PrecompiledCharsmap {
public:
    PrecompiledCharsmap(std::string_view blob, const std::string& what);
    std::string normalize(std::string_view text) const;
    // The replacement of the shortest key that is a prefix of `chunk`, or false.
    bool transform(std::string_view chunk, std::string_view& out) const;

private:
    std::vector<uint32_t> units_;
    std::string normalized_;
};

struct CompiledRegex;  // std::regex, kept out of this header

// One step of the `normalizer` chain.
struct NormStep {
    enum Kind { Precompiled, Replace, Strip, Prepend } kind = Replace;
    std::shared_ptr<const PrecompiledCharsmap> charsmap;  // Precompiled
    std::string pattern, content;                         // Replace (literal pattern) / Prepend (content)
    std::shared_ptr<const CompiledRegex> regex;           // Replace with a {"Regex": ...} pattern
    bool left = false, right = false;                     // Strip
};

// One step of the `pre_tokenizer` chain.
struct PreTokStep {
    enum Kind { Metaspace, WhitespaceSplit } kind = Metaspace;
    std::string replacement = "\xE2\x96\x81";  // "▁"
    enum Prepend { Always, Never, First } prepend = Always;
    bool split = true;
};

struct AddedToken {
    int64_t id = 0;
    std::string content;
    bool single_word = false, lstrip = false, rstrip = false, normalized = false, special = false;
};

class UnigramTokenizerJson {
public:
    // Parses the text of a tokenizer.json; `what` names it in errors ("umt5-base/tokenizer.json").
    static UnigramTokenizerJson parse(const std::string& text, const std::string& what);
    static UnigramTokenizerJson load(const std::string& path);

    // Steps 1-3: the raw text as a list of model inputs: a fixed id (added token) or a pre-token string.
    struct Part {
        int64_t id = -1;  // >= 0: an added token
        std::string text;
    };
    std::vector<Part> pre_tokenize(std::string_view text) const;

    // A ModelProto with the same pieces, scores and unknown id, and an identity normalizer.
    spm::Model to_spm_model() const;

    const std::vector<std::pair<std::string, double>>& vocab() const { return vocab_; }
    int64_t unk_id() const { return unk_id_; }
    bool byte_fallback() const { return byte_fallback_; }
    const std::vector<AddedToken>& added_tokens() const { return added_; }
    // Special tokens the post-processor puts around a single sequence.
    const std::vector<int64_t>& prefix_ids() const { return prefix_ids_; }
    const std::vector<int64_t>& suffix_ids() const { return suffix_ids_; }
    // Id of a vocabulary piece or added token, -1 if absent.
    int64_t token_to_id(const std::string& s) const;
    const std::string& what() const { return what_; }

private:
    UnigramTokenizerJson() = default;
    std::string normalize(std::string_view segment) const;
    void split_pretokens(std::string normalized, bool at_start, std::vector<Part>& out) const;
    void parse_normalizer(const nlohmann::json& j);
    void parse_pre_tokenizer(const nlohmann::json& j);
    void parse_post_processor(const nlohmann::json& j);

    std::string what_;
    std::vector<std::pair<std::string, double>> vocab_;
    int64_t unk_id_ = -1;
    bool byte_fallback_ = false;
    std::vector<AddedToken> added_;
    std::array<std::vector<size_t>, 256> added_by_first_byte_;
    std::vector<NormStep> norm_;
    std::vector<PreTokStep> pretok_;
    std::vector<int64_t> prefix_ids_, suffix_ids_;
};

}  // namespace acestep::hf
