// Fuzz target: the py3langid model reader (LZMA + the restricted pickle reader, src/text/langid.h) on
// arbitrary bytes: malformed, truncated or hostile files are acestep::Error, never a crash, a huge
// allocation or code execution. A model that parses is also used to classify, which exercises its
// bounds checks. The input is tried both as a raw pickle and as an xz/lzma stream.
#include <cstdint>
#include <string>

#include "acestep/error.h"
#include "text/langid.h"

namespace {
void use(const std::string& pickle) {
    try {
        acestep::text::LanguageIdentifier id(acestep::text::parse_langid_pickle(pickle, "model.plzma"));
        (void)id.classify("Hello world, 你好, こんにちは");
        (void)id.classify("");
    } catch (const acestep::Error&) {
    }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string bytes(reinterpret_cast<const char*>(data), size);
    use(bytes);
    try {
        use(acestep::text::lzma_decompress(bytes, "model.plzma", size_t(1) << 20));
    } catch (const acestep::Error&) {
    }
    return 0;
}
