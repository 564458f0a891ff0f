// py3langid (adbar/py3langid, the pinned model data/model.plzma) language identification, torch-free:
// LanguageIdentifier.from_pickled_model(MODEL_FILE, norm_probs=True).classify(text), as LangSegment
// calls it in the official lyric pipeline.
//
// Model file: an .xz stream (liblzma) of a Python pickle holding the tuple
//   (nb_ptc: array('f'), nb_pc: array('f'), nb_classes: list[str], tk_nextmove: array('H'),
//    tk_output: dict[int, tuple[int, ...]]).
// It is read by a small, bounds-checked pickle reader that knows exactly the opcodes and the two
// globals (array._array_reconstructor, array.array) this file uses; anything else is refused with an
// acestep::Error. Nothing is ever executed.
//
// Classification (naive Bayes over byte n-grams): walk the UTF-8 bytes through the DFA
// (state = nextmove[state*256 + byte]), collect the features of every state entered (tk_output),
// count them (uint32), pd = counts · nb_ptc + nb_pc in float64 (numpy's promotion of uint32 with
// float32), then norm_probs: p_i = 1 / Σ_j exp(pd_j − pd_i); the answer is argmax (first on ties).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace acestep::text {

struct LangIdModel {
    std::vector<float> nb_ptc;  // [num_feats][num_classes]
    std::vector<float> nb_pc;   // [num_classes]
    std::vector<std::string> classes;
    std::vector<uint16_t> nextmove;                 // [num_states][256]
    std::vector<std::vector<uint32_t>> output;      // per state: feature indices
    size_t num_feats() const { return classes.empty() ? 0 : nb_ptc.size() / classes.size(); }
};

// Parses the decompressed pickle bytes; `what` names the source in errors.
LangIdModel parse_langid_pickle(std::string_view pickle, const std::string& what);
// Decompresses an .xz stream (liblzma), refusing output beyond `max_out` bytes.
std::string lzma_decompress(std::string_view data, const std::string& what, size_t max_out = size_t(256) << 20);

class LanguageIdentifier {
public:
    explicit LanguageIdentifier(LangIdModel model);
    static LanguageIdentifier from_file(const std::filesystem::path& plzma);

    struct Result {
        std::string lang;
        double score;  // normalised probability of `lang`
    };
    Result classify(std::string_view utf8_text) const;
    const std::vector<std::string>& classes() const { return m_.classes; }

private:
    LangIdModel m_;
};

}  // namespace acestep::text
