// acestep::LyricFrontEnd (include/acestep/lyrics.h): the lyric data folder, the BPE tokenizer, the
// cleaners and LangSegment detection put together behind tokenize_lyrics (lyric_tokenizer.cpp).
#include <cstdlib>
#include <mutex>

#include "acestep/error.h"
#include "acestep/lyrics.h"
#include "text/bpe_tokenizer.h"
#include "text/lang_segment.h"
#include "text/lyric_tokenizer.h"
#include "text/preprocess.h"

namespace acestep {

struct LyricFrontEnd::Impl {
    std::filesystem::path dir;
    text::BpeTokenizer bpe;
    text::TextPreprocessor pre;
    std::once_flag seg_once;
    std::unique_ptr<text::LangSegment> seg;
    std::string seg_error;

    Impl(const std::filesystem::path& d)
        : dir(d), bpe(text::BpeTokenizer::from_file(d / "vocab.json")), pre(d) {}

    const text::LangSegment& segmenter() {
        std::call_once(seg_once, [&] {
            try {
                seg = std::make_unique<text::LangSegment>(dir / "py3langid_model.plzma");
            } catch (const std::exception& e) {
                seg_error = e.what();
            }
        });
        if (!seg)
            throw text::MissingLyricData("lyric data: automatic language detection cannot work: " + seg_error +
                                         " (py3langid_model.plzma belongs in " + dir.string() +
                                         "; or give the language explicitly)");
        return *seg;
    }

    text::DetectFn detector() {
        return [this](const std::string& line) { return segmenter().get_lang(line); };
    }
    text::EncodeFn encoder() {
        return [this](const std::string& line, const std::string& lang, LyricLineInfo& info) {
            pre.require(lang);
            info.tokenizer_input = pre.tokenizer_input(line, lang, &info.cleaned);
            auto enc = bpe.encode(info.tokenizer_input);
            info.ids = std::move(enc.ids);
            info.tokens = std::move(enc.tokens);
        };
    }
};

LyricFrontEnd::LyricFrontEnd(const std::filesystem::path& data_dir) {
    if (!std::filesystem::exists(data_dir / "vocab.json"))
        throw Error((data_dir / "vocab.json").string() +
                    ": missing: the lyric tokenizer cannot work for any language (`acestep-cli download --data-only` "
                    "fetches the lyric data; $ACESTEP_LYRIC_DATA points at another folder)");
    impl_ = std::make_unique<Impl>(data_dir);
}
LyricFrontEnd::~LyricFrontEnd() = default;

std::filesystem::path LyricFrontEnd::resolve_data_dir(const std::filesystem::path& explicit_dir,
                                                      const std::filesystem::path& fallback) {
    if (!explicit_dir.empty()) return explicit_dir;
    if (const char* e = std::getenv("ACESTEP_LYRIC_DATA"); e && *e) return e;
    return fallback;
}

LyricTokens LyricFrontEnd::tokenize(const std::string& lyrics, const std::string& language) const {
    // ACEStepPipeline.__call__: len(lyrics) == 0 -> one fully masked token.
    if (lyrics.empty()) {
        LyricTokens out;
        out.ids = {0};
        out.mask = {0};
        return out;
    }
    // Detection is needed only where no override applies; the detector loads its model lazily.
    return text::assemble_lyrics(lyrics, language, impl_->detector(), impl_->encoder());
}

std::vector<int64_t> LyricFrontEnd::ids(const std::string& lyrics, const std::string& language) const {
    return tokenize(lyrics, language).ids;
}

std::string LyricFrontEnd::detect(const std::string& line) const { return impl_->segmenter().get_lang(line); }

std::vector<LyricLineInfo> LyricFrontEnd::languages(const std::string& lyrics, const std::string& language) const {
    return text::assemble_lyrics(lyrics, language, impl_->detector(), nullptr).lines;
}

const std::vector<std::string>& LyricFrontEnd::supported_languages() {
    static const std::vector<std::string> v = {"en", "de", "fr", "es", "it", "pt", "pl", "tr", "ru",
                                               "cs", "nl", "ar", "zh", "ja", "hu", "ko", "hi"};
    return v;
}

int LyricFrontEnd::language_token(const std::string& code) const {
    return impl_->bpe.token_to_id("[" + std::string(code == "zh" ? "zh-cn" : code) + "]");
}

const std::filesystem::path& LyricFrontEnd::data_dir() const { return impl_->dir; }

}  // namespace acestep
