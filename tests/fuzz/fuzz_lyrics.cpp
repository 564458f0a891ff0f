// Fuzz target: the lyric front end (include/acestep/lyrics.h) on arbitrary bytes — language detection
// (LangSegment + py3langid), every language's cleaners, the BPE tokenizer — never crashes and only throws
// acestep::Error. The first byte picks the language (0 = detect, 1..17 = forced, 0xFF = the rest is a
// vocab.json for the BPE reader). Data: $ACESTEP_FIXTURES/lyrics/data (skipped when absent).
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "acestep/error.h"
#include "acestep/lyrics.h"
#include "text/bpe_tokenizer.h"

namespace {
std::unique_ptr<acestep::LyricFrontEnd> make() {
    const char* env = std::getenv("ACESTEP_FIXTURES");
    std::filesystem::path dir = std::filesystem::path(env && *env ? env : "../shared/fixtures") / "lyrics" / "data";
    try {
        return std::make_unique<acestep::LyricFrontEnd>(dir);
    } catch (const acestep::Error&) {
        return nullptr;
    }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const std::unique_ptr<acestep::LyricFrontEnd> fe = make();
    if (size == 0) return 0;
    const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
    if (data[0] == 0xFF) {
        try {
            acestep::text::BpeTokenizer t(text, "vocab.json");
            (void)t.encode("hello [UNK] wo3 \xC3\xBC\xE2\x82\xAC");
        } catch (const acestep::Error&) {
        }
        return 0;
    }
    if (!fe) return 0;
    const auto& langs = acestep::LyricFrontEnd::supported_languages();
    const size_t pick = data[0] % (langs.size() + 1);
    try {
        (void)fe->tokenize(text, pick == 0 ? std::string() : langs[pick - 1]);
    } catch (const acestep::Error&) {  // missing data (e.g. no UniDic for ja) is the only expected error
    }
    try {
        (void)fe->detect(text);
    } catch (const acestep::Error&) {
    }
    return 0;
}
