// VoiceBpeTokenizer.preprocess_text and .encode (acestep/models/lyrics_utils/lyric_tokenizer.py), torch-free:
// the per-language cleaning dispatch and the "[lang]text" / "[SPACE]" string the BPE tokenizer sees.
//
//   ar cs de en es fr hu it nl pl pt ru tr zh ko -> multilingual_cleaners; then zh -> pypinyin TONE3,
//                                                   ko -> hangul_romanize (academic)
//   ja -> cutlet romaji, lowercased (no number/symbol expansion)
//   hi -> str.lower() + collapse whitespace (basic_cleaners)
//   anything else -> NotImplementedError in the Python; an acestep::Error here.
// The Chinese and Japanese converters need data (pinyin_dict.json + phrases_dict.json; MeCab + UniDic +
// cutlet_exceptions.tsv). They are loaded on first use; when that fails, require(lang) throws a
// MissingLyricData naming the file and the language, which the lyric tokenizer lets through (unlike
// the content errors the official code swallows by dropping the line).
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "acestep/error.h"
#include "acestep/lyrics.h"

namespace acestep::text {

// A data file (or library) that a language needs is missing: never swallowed by line dropping.
using MissingLyricData = LyricDataMissing;

class TextPreprocessor {
public:
    explicit TextPreprocessor(std::filesystem::path data_dir);
    ~TextPreprocessor();

    // Loads what `lang` needs; throws MissingLyricData naming the missing file and the language.
    void require(const std::string& lang) const;
    // preprocess_text(text, lang). Throws acestep::Error where the Python raises.
    std::string preprocess(const std::string& text, const std::string& lang) const;
    // The string VoiceBpeTokenizer.encode hands to the tokenizer: "[" + tag + "]" + cleaned, every
    // " " replaced by "[SPACE]"; tag is "zh-cn" for zh. `cleaned` receives preprocess()'s output.
    std::string tokenizer_input(const std::string& text, const std::string& lang, std::string* cleaned = nullptr) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace acestep::text
