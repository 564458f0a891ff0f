// acestep::LyricFrontEnd — lyrics text -> lyric token ids exactly as ACEStepPipeline.tokenize_lyrics
// (official ACE-Step v1, commit d612523), with no Python and no torch.  Torch-free public API: the GUI
// shows per-line languages from it, the pipeline adapts it to its LyricTokenizer interface.
//
// The official chain, per line of `lyrics.split("\n")` (stripped):
//   blank -> [SPACE]=2;  else lang = get_lang(line) (LangSegment + py3langid), mapped to one of the 17
//   supported codes (anything else -> "en");  a line matching ^\[.*?\] (starts with '[' and has a ']'
//   later) is encoded as "en";  encode = per-language cleaning -> "[lang]" prefix -> " " -> "[SPACE]" ->
//   BPE (vocab.json);  append the ids and [SPACE].  The sequence starts with [START]=261.  A line whose
//   encoding raises in the Python is dropped silently (nothing appended).  Empty lyrics give ids [0]
//   with mask [0] (one fully masked token).
//
// Language override (not in the official app; detection errors change the sound, so users can fix it):
//   * per song:  tokenize(lyrics, "ja") encodes every non-structure line as Japanese ("" or "auto" =
//     detect per line, the official behaviour);
//   * per line:  a line that starts with a supported code in brackets followed by text, e.g.
//     "[ja] 君の名前" or "[zh]我爱你", is encoded in that language with the prefix removed.  The code is
//     one of  en de fr es it pt pl tr ru cs nl ar zh ja hu ko hi  (also "zh-cn"), case-insensitive.  A
//     line that is only "[en]" (no text after it) stays an ordinary structure-tag line.  A per-line
//     prefix wins over the per-song language.
//   Structure-tag lines ([verse], [chorus], ...) are always encoded as "en", as in the official code.
//   With no override in play the ids are exactly the official ones.
//
// Data files (a folder; see resolve_data_dir): vocab.json (every language), py3langid_model.plzma
// (automatic detection), pinyin_dict.json + phrases_dict.json (zh), cutlet_exceptions.tsv + MeCab/UniDic
// (ja).  The constructor needs vocab.json; the others load on first use, and a missing one is an
// acestep::Error naming the file and the languages that cannot work (never a silently dropped line).
//
// Thread safety: const methods may be called from several threads.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "acestep/error.h"

namespace acestep {

// A data file (or MeCab/UniDic) that a language needs is missing. The message names the file and the
// languages that cannot work. Never turned into a silently dropped line.
class LyricDataMissing : public Error {
public:
    explicit LyricDataMissing(const std::string& msg) : Error(msg) {}
};

struct LyricLineInfo {
    std::string raw;             // the line as split from the input
    std::string line;            // after str.strip()
    bool blank = false;          // empty after stripping: contributes [SPACE]
    std::string detected;        // get_lang(line) as returned (e.g. "xh", "zh"); "" when not detected
    std::string language;        // the language the line was encoded with ("en" for structure tags)
    bool structure_tag = false;  // matched ^\[.*?\] (and was not a language override)
    bool overridden = false;     // the language came from a per-song or per-line override
    std::string cleaned;         // preprocess_text output, without the tag
    std::string tokenizer_input; // "[lang]..." with [SPACE]s: the exact BPE input
    std::vector<std::string> tokens;
    std::vector<int> ids;        // encode() result (without the trailing [SPACE])
    bool dropped = false;        // encoding raised: the line contributes nothing
    std::string error;           // why it was dropped
};

struct LyricTokens {
    std::vector<int64_t> ids;   // [261, ...] or [0] for empty lyrics
    std::vector<int64_t> mask;  // all 1, or [0] for empty lyrics
    std::vector<LyricLineInfo> lines;
};

class LyricFrontEnd {
public:
    // Loads vocab.json from `data_dir` (the rest lazily). Throws acestep::Error naming a missing file.
    explicit LyricFrontEnd(const std::filesystem::path& data_dir);
    ~LyricFrontEnd();
    LyricFrontEnd(const LyricFrontEnd&) = delete;
    LyricFrontEnd& operator=(const LyricFrontEnd&) = delete;

    // `explicit_dir` if not empty, else $ACESTEP_LYRIC_DATA if set, else `fallback` (the pipeline passes
    // hub.h's lyric_data_dir_near(checkpoint root)).
    static std::filesystem::path resolve_data_dir(const std::filesystem::path& explicit_dir,
                                                  const std::filesystem::path& fallback);

    // tokenize_lyrics(lyrics); `language` "" / "auto" = detect per line, else a supported code.
    LyricTokens tokenize(const std::string& lyrics, const std::string& language = "") const;
    // Just the ids (what the pipeline feeds the lyric encoder).
    std::vector<int64_t> ids(const std::string& lyrics, const std::string& language = "") const;
    // get_lang(line): the raw detected code (may be outside the supported 17, e.g. "xh").
    std::string detect(const std::string& line) const;
    // Per line: detected and used language, without encoding (cheap enough to call on every edit).
    std::vector<LyricLineInfo> languages(const std::string& lyrics, const std::string& language = "") const;

    // The 17 codes the lyric tokenizer supports, in the official SUPPORT_LANGUAGES order.
    static const std::vector<std::string>& supported_languages();
    // The language-tag token id of a supported code (en 259 ... hi 6680), or -1.
    int language_token(const std::string& code) const;
    const std::filesystem::path& data_dir() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace acestep
