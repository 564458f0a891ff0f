// The lyric BPE tokenizer: Hugging Face `tokenizers` encode() for ACE-Step's
// acestep/models/lyrics_utils/vocab.json (VoiceBpeTokenizer's `Tokenizer.from_file`), torch-free.
//
// What tokenizers does for this file and what this reproduces:
//   1. added tokens (`added_tokens`, all special, normalized false) are cut out of the raw text first,
//      exact and case-sensitive, leftmost then longest;
//   2. no normalizer; the rest goes through the Whitespace pre-tokenizer `\w+|[^\w\s]+`, where \w and \s
//      are the Unicode classes of tokenizers' regex engine (Word = Alphabetic + Mark + Nd + Pc +
//      Join_Control; White_Space), not CPython's (src/text/tables/regex_word_tables.inc);
//   3. each word is BPE'd from single code points: the adjacent pair with the lowest merge rank is
//      merged first (ties: leftmost), with tokenizers' priority-queue algorithm; a code point that is
//      not in the vocab becomes one unk token each (fuse_unk false); no dropout, no affixes.
// Only model.type "BPE" and pre_tokenizer Whitespace (or none) are accepted; anything else, or a
// malformed file, is an acestep::Error naming the file and the field.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace acestep::text {

class BpeTokenizer {
public:
    struct Encoding {
        std::vector<int> ids;
        std::vector<std::string> tokens;
    };

    // Parses a tokenizers JSON document; `what` names it in errors (usually the file path).
    BpeTokenizer(std::string_view json_text, const std::string& what);
    static BpeTokenizer from_file(const std::filesystem::path& path);

    Encoding encode(std::string_view text) const;
    // The id of a vocab entry or added token, or -1.
    int token_to_id(const std::string& token) const;
    // The string of an id ("" if the id is unknown).
    std::string id_to_token(int id) const;
    // One past the largest id (6693 for the ACE-Step vocab).
    int vocab_size() const { return vocab_size_; }

private:
    struct AddedToken {
        std::u32string content;
        int id;
    };
    struct Merge {
        int rank, new_id;
    };
    void bpe_word(std::u32string_view word, Encoding& out) const;

    std::string what_;
    std::unordered_map<std::string, int> vocab_;  // model.vocab (+ added tokens for token_to_id)
    std::unordered_map<int, std::string> ids_;
    std::unordered_map<uint64_t, Merge> merges_;  // (left id << 32 | right id) -> rank, merged id
    std::vector<AddedToken> added_;
    int unk_id_ = -1;
    bool whitespace_pretok_ = true;
    int vocab_size_ = 0;
};

// tokenizers' Whitespace pre-tokenizer classes (Oniguruma/Rust Unicode \w and \s).
bool regex_is_word(char32_t c);
bool regex_is_space(char32_t c);

}  // namespace acestep::text
