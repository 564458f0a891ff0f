// LangSegment (juntaosun/LangSegment as vendored in acestep/language_segmentation, d612523) and
// ACEStepPipeline.get_lang, torch-free: the per-line language detection of the official lyric pipeline.
//
// The official setup: one LangSegment() with setfilters(language_filters.default) — the 97 py3langid
// codes in alphabetical order (so "fr"/"vi" are present, which turns on LangSegment's "preview" mode:
// Latin runs are classified by py3langid instead of being taken as English), and
//     def get_lang(self, text):
//         try:
//             _ = self.lang_segment.getTexts(text)
//             langCounts = self.lang_segment.getCounts()
//             lang = langCounts[0][0]
//             if len(langCounts) > 1 and lang == "en": lang = langCounts[1][0]
//         except Exception: lang = "en"
//         return lang
// This port follows the Python statement by statement, including what looks accidental and decides
// real results: filters compared as one "-"-joined string (substring tests), counts that keep
// segments later merged away or popped ("[verse]" -> zh), English segments re-spaced before upper-case
// letters, the ja-before-zh filter order for short Han runs, and CPython `re` semantics for every
// pattern (\w, \s, \d are CPython's Unicode classes, src/text/py_unicode.h).
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "text/langid.h"

namespace acestep::text {

class LangSegment {
public:
    explicit LangSegment(const std::filesystem::path& langid_model);
    explicit LangSegment(LanguageIdentifier id);
    ~LangSegment();

    struct Segment {
        std::string lang, text;
        double score;
    };
    struct Result {
        std::vector<Segment> segments;                   // getTexts(text)
        std::vector<std::pair<std::string, int>> counts; // getCounts()
    };
    // getTexts + getCounts on a fresh state (the official object's one-text cache never changes a result).
    Result segment(const std::string& text) const;
    // ACEStepPipeline.get_lang(text).
    std::string get_lang(const std::string& text) const;
    const LanguageIdentifier& identifier() const { return id_; }

private:
    LanguageIdentifier id_;
};

}  // namespace acestep::text
