// VoiceBpeTokenizer.preprocess_text dispatch and the encode() string; see preprocess.h.
#include "text/preprocess.h"

#include <mutex>
#include <optional>

#include "text/cleaner_steps.h"
#include "text/cleaners.h"
#include "text/py_unicode.h"

namespace acestep::text {

namespace {
bool is_multilingual(const std::string& l) {
    static const char* const k[] = {"ar", "cs", "de", "en", "es", "fr", "hu", "it",
                                    "nl", "pl", "pt", "ru", "tr", "zh", "ko"};
    for (const char* c : k)
        if (l == c) return true;
    return false;
}

std::string replace_spaces(const std::string& s) {
    std::string out;
    out.reserve(s.size() + s.size() / 2);
    for (char c : s) {
        if (c == ' ') out += "[SPACE]";
        else out += c;
    }
    return out;
}
}  // namespace

struct TextPreprocessor::Impl {
    std::filesystem::path dir;
    // Loaded once; a failed load is remembered and reported on every use.
    std::once_flag pinyin_once, romaji_once;
    std::unique_ptr<Pinyin> pinyin;
    std::unique_ptr<Romaji> romaji;
    std::string pinyin_error, romaji_error;

    const Pinyin& get_pinyin() {
        std::call_once(pinyin_once, [&] {
            try {
                pinyin = std::make_unique<Pinyin>(dir);
            } catch (const std::exception& e) {
                pinyin_error = e.what();
            }
        });
        if (!pinyin)
            throw MissingLyricData("lyric data: Chinese (zh) lyrics cannot be tokenized: " + pinyin_error +
                                   " (pinyin_dict.json and phrases_dict.json belong in " + dir.string() +
                                   "; `acestep-cli download --data-only` fetches them)");
        return *pinyin;
    }
    const Romaji& get_romaji() {
        std::call_once(romaji_once, [&] {
            try {
                romaji = std::make_unique<Romaji>(dir);
            } catch (const std::exception& e) {
                romaji_error = e.what();
            }
        });
        if (!romaji)
            throw MissingLyricData("lyric data: Japanese (ja) lyrics cannot be tokenized: " + romaji_error +
                                   " (needs MeCab with the UniDic dictionary, e.g. Debian's unidic-mecab, and "
                                   "cutlet_exceptions.tsv in " + dir.string() + ")");
        return *romaji;
    }
};

TextPreprocessor::TextPreprocessor(std::filesystem::path data_dir) : impl_(std::make_unique<Impl>()) {
    impl_->dir = std::move(data_dir);
}
TextPreprocessor::~TextPreprocessor() = default;

void TextPreprocessor::require(const std::string& lang) const {
    if (lang == "zh") impl_->get_pinyin();
    else if (lang == "ja") impl_->get_romaji();
}

std::string TextPreprocessor::preprocess(const std::string& text, const std::string& lang) const {
    if (is_multilingual(lang)) {
        std::string t = multilingual_cleaners(text, lang);
        if (lang == "zh") t = impl_->get_pinyin().tone3(t);
        else if (lang == "ko") t = hangul_romanize(t);
        return t;
    }
    if (lang == "ja") return impl_->get_romaji().convert(text);
    if (lang == "hi") return cleaner::collapse_whitespace(py::lower_utf8(text));
    throw Error("lyrics: language '" + lang + "' is not supported (preprocess_text raises NotImplementedError)");
}

std::string TextPreprocessor::tokenizer_input(const std::string& text, const std::string& lang,
                                              std::string* cleaned) const {
    // encode(): lang.split("-")[0], then the cleaners, then the tag.
    const std::string base = lang.substr(0, lang.find('-'));
    std::string t = preprocess(text, base);
    if (cleaned) *cleaned = t;
    const std::string tag = base == "zh" ? "zh-cn" : base;
    return replace_spaces("[" + tag + "]" + t);
}

}  // namespace acestep::text
