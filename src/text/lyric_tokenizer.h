// ACEStepPipeline.tokenize_lyrics sequence assembly (torch-free), with the language override of
// include/acestep/lyrics.h.  Language detection and encoding come in as functions so that the assembly
// can be tested on its own (e.g. with the goldens' recorded detections).
#pragma once

#include <functional>
#include <string>

#include "acestep/lyrics.h"

namespace acestep::text {

// get_lang(line) -> raw code.
using DetectFn = std::function<std::string(const std::string& line)>;
// VoiceBpeTokenizer.encode(line, lang) filling info.cleaned / tokenizer_input / tokens / ids; throws
// acestep::Error where the Python raises (the line is then dropped) and MissingLyricData for missing
// data (propagated).
using EncodeFn = std::function<void(const std::string& line, const std::string& lang, LyricLineInfo& info)>;

// The official mapping of get_lang's result: outside the 17 -> "en"; "zh" in it -> "zh"; "spa" -> "es".
std::string map_language(const std::string& detected);
bool is_supported_language(const std::string& code);
// re.match(r"\[.*?\]", line): starts with '[' and a ']' follows on the line.
bool is_structure_line(const std::string& line);
// "[xx] text" with xx a supported code (or zh-cn), case-insensitive, and non-empty text after it:
// sets *lang and *rest and returns true.
bool parse_language_prefix(const std::string& line, std::string* lang, std::string* rest);

// tokenize_lyrics. `language` "" / "auto" = detect; `encode` null = languages only (no ids).
// Empty lyrics give [261, 2] here, as tokenize_lyrics("") does; the pipeline's __call__ replaces
// them by one masked token (LyricFrontEnd::tokenize does that).
LyricTokens assemble_lyrics(const std::string& lyrics, const std::string& language, const DetectFn& detect,
                            const EncodeFn& encode);

}  // namespace acestep::text
