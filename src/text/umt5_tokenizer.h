// Umt5Tokenizer: the prompt (tags/caption) tokenizer of the UMT5 text encoder, torch-free.
//
// Reproduces the pipeline's `text_tokenizer(prompt, padding=True, truncation=True, max_length=256)`:
// input ids = the tokenizer's pieces followed by </s> (id 1), at most 256 ids, truncation keeping </s>;
// no BOS, no padding for one prompt (spec model.md §2.1-2.2).
//
// Two sources, picked from the checkpoint's umt5-base/ folder:
//   * spiece.model (the fixture checkpoint; google/umt5-base): plain sentencepiece encoding + </s>,
//     exactly the fixture's tokenizer (cases/umt5_tokenizer.json).
//   * tokenizer.json (what ACE-Step-v1-3.5B ships: T5TokenizerFast, Unigram, 256,384 pieces): the Hugging
//     Face pipeline is reproduced (added tokens, normalizer chain, Metaspace pre-tokenizer, post-processor,
//     see text/hf_tokenizer.h) and the Unigram model runs in sentencepiece on a ModelProto rebuilt from
//     the JSON's pieces and scores.
// sentencepiece lives in the module acestep_spm.so (it bundles a protobuf that crashes next to
// LibTorch's, build-notes.md §7), loaded once per process with dlopen(RTLD_NOW|RTLD_LOCAL|RTLD_DEEPBIND)
// from, in order: $ACESTEP_SPM_MODULE (a file path); <exe dir>/../lib/ and <exe dir>/; the folder of
// the library holding this code; the install lib dir.  A missing module is an acestep::Error that
// lists every place looked at.
//
// Usage (pipeline):
//     Umt5Tokenizer tok(find_checkpoint(dir));           // throws acestep::Error with the reason
//     std::vector<int64_t> ids = tok.encode(prompt);     // e.g. {44, 18, ..., 1}; mask = all ones
//     auto batch = tok.encode_batch({p1, p2});           // right-padded with <pad>=0, mask 1/0
// A constructed tokenizer is immutable; encode() may be called from several threads at once.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "acestep/checkpoint.h"

namespace acestep {

class Umt5Tokenizer {
public:
    static constexpr size_t kMaxLength = 256;  // the pipeline's text_max_length

    // umt5-base/spiece.model when present, else umt5-base/tokenizer.json; Error if neither exists.
    explicit Umt5Tokenizer(const CheckpointPaths& ckpt);
    static Umt5Tokenizer from_spiece(const std::filesystem::path& spiece_model);
    static Umt5Tokenizer from_tokenizer_json(const std::filesystem::path& tokenizer_json);
    // Same, from the text of a tokenizer.json (`what` names it in errors).
    static Umt5Tokenizer from_tokenizer_json_text(const std::string& text, const std::string& what);

    Umt5Tokenizer(Umt5Tokenizer&&) noexcept;
    Umt5Tokenizer& operator=(Umt5Tokenizer&&) noexcept;
    ~Umt5Tokenizer();

    // Input ids as the pipeline feeds them to UMT5: pieces + </s>, at most max_length ids (the pieces
    // are cut, </s> is kept).  The empty prompt gives {</s>}.
    std::vector<int64_t> encode(std::string_view text, size_t max_length = kMaxLength) const;
    // The pieces of `text` (no </s>, no truncation), for diagnostics and tests.
    std::vector<std::string> pieces(std::string_view text) const;

    struct Batch {
        int64_t batch = 0, length = 0;
        std::vector<int64_t> input_ids;       // [batch * length], row-major, right-padded with pad_id()
        std::vector<int64_t> attention_mask;  // [batch * length], 1 for tokens, 0 for padding
    };
    // Several prompts padded to the longest (padding=True), as the tokenizer call returns them.
    Batch encode_batch(const std::vector<std::string>& texts, size_t max_length = kMaxLength) const;

    int64_t vocab_size() const;
    int64_t eos_id() const;
    int64_t pad_id() const;
    const std::filesystem::path& source() const;  // the file it was built from

    // Where the sentencepiece module is looked for, in order.
    static std::vector<std::filesystem::path> module_search_path();

    struct Impl;

private:
    explicit Umt5Tokenizer(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace acestep
