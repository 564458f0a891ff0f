// Per-language text cleaning of the lyric front end (VoiceBpeTokenizer.preprocess_text), torch-free.
//
// preprocess_text(text, lang) (src/text/preprocess.cpp) dispatches to these pieces, each in its own file:
//   multilingual_cleaners   ar cs de en es fr hu it nl pl pt ru tr zh ko: quotes, lowercase, numbers
//                           (num2words 0.5.14 rules), abbreviations, symbols, whitespace
//                           (src/text/multilingual_cleaners.cpp, src/text/num2words*.cpp)
//   zh_text_norm            zh_num2words.TextNorm(): numbers/dates/money -> Han numerals (src/text/zh_text_norm.cpp)
//   Pinyin                  pypinyin TONE3, neutral tone 5, phrase segmentation (src/text/pinyin.cpp)
//   hangul_romanize         hangul_romanize Transliter(academic) (src/text/hangul_romanize.cpp)
//   Romaji                  cutlet (Hepburn) over MeCab + UniDic, then lower() (src/text/romaji.cpp)
#pragma once

#include <filesystem>
#include <memory>
#include <string>

namespace acestep::text {

// multilingual_cleaners(text, lang) of the official lyric tokenizer. For "zh" its number step is
// zh_text_norm(). Never throws for text input: a failing step keeps the text from before it, as the
// official try/except does.
std::string multilingual_cleaners(const std::string& text, const std::string& lang);

// zh_num2words.TextNorm()(text) with default options. Throws acestep::Error where the Python raises
// (a number with two dots); multilingual_cleaners then keeps the text from before the number step.
std::string zh_text_norm(const std::string& text);

// pypinyin.pinyin(text, style=TONE3, neutral_tone_with_five=True, heteronym=False), syllables joined
// without separators; non-Han text passes through. Data: pinyin_dict.json + phrases_dict.json.
class Pinyin {
public:
    explicit Pinyin(const std::filesystem::path& data_dir);  // throws acestep::Error naming a missing file
    ~Pinyin();
    std::string tone3(const std::string& text) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// hangul_romanize.Transliter(academic).translit(text). Throws acestep::Error on an empty text, as the
// Python raises there (the pipeline then drops the line).
std::string hangul_romanize(const std::string& text);

// cutlet.Cutlet() (hepburn, foreign spellings, ensure_ascii) .romaji(text).lower().
// Data: cutlet_exceptions.tsv in data_dir; MeCab with Debian's unidic-mecab dictionary.
class Romaji {
public:
    explicit Romaji(const std::filesystem::path& data_dir);  // throws acestep::Error naming what is missing
    ~Romaji();
    // Throws acestep::Error where cutlet raises (a kana its table lacks, e.g. "ヤッヾ"): the official
    // tokenize_lyrics then drops the line. Safe to call from several threads.
    std::string convert(const std::string& text) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace acestep::text
