// The steps of multilingual_cleaners (src/text/multilingual_cleaners.cpp), exposed for tests and
// for debugging against the goldens' per-stage values (fixtures/lyrics cleaner_stages).
#pragma once

#include <string>

namespace acestep::text::cleaner {

// Delete '"', the Turkish capitals (tr), then str.lower().
std::string lowercase_step(const std::string& text, const std::string& lang);
// expand_numbers_multilingual; throws where the official function raises.
std::string expand_numbers(const std::string& text, const std::string& lang);
// expand_abbreviations_multilingual / expand_symbols_multilingual; throw on an unknown language.
std::string expand_abbreviations(const std::string& text, const std::string& lang);
std::string expand_symbols(const std::string& text, const std::string& lang);
// re.sub(r"\s+", " ", text)
std::string collapse_whitespace(const std::string& text);

struct Stages {
    std::string lowercased, numbers, abbreviations, symbols, collapsed;
};
// Every stage, each failing step keeping the text from before it (what multilingual_cleaners returns
// is `collapsed`).
Stages stages(const std::string& text, const std::string& lang);

}  // namespace acestep::text::cleaner
