// tokenize_lyrics sequence assembly (the public API around it: lyric_front_end.cpp).
//
// Official code (acestep/pipeline_ace_step.py, d612523):
//     lines = lyrics.split("\n"); lyric_token_idx = [261]
//     for line in lines:
//         line = line.strip()
//         if not line: lyric_token_idx += [2]; continue
//         lang = self.get_lang(line)
//         if lang not in SUPPORT_LANGUAGES: lang = "en"
//         if "zh" in lang: lang = "zh"
//         if "spa" in lang: lang = "es"
//         try:
//             if structure_pattern.match(line): token_idx = self.lyric_tokenizer.encode(line, "en")
//             else: token_idx = self.lyric_tokenizer.encode(line, lang)
//             lyric_token_idx = lyric_token_idx + token_idx + [2]
//         except Exception as e: print(...)        # the line is dropped
// and in __call__: len(lyrics) == 0 -> lyric_token_idx = [[0]], lyric_mask = [[0]].
#include "text/lyric_tokenizer.h"

#include <cstdlib>
#include <mutex>

#include "acestep/error.h"
#include "text/preprocess.h"
#include "text/py_unicode.h"
#include "text/utf8.h"

namespace acestep {
namespace text {

namespace {
const std::vector<std::pair<std::string, int>>& support_table() {
    static const std::vector<std::pair<std::string, int>> t = {
        {"en", 259}, {"de", 260}, {"fr", 262}, {"es", 284},  {"it", 285},  {"pt", 286},  {"pl", 294},  {"tr", 295}, {"ru", 267},
        {"cs", 293}, {"nl", 297}, {"ar", 5022}, {"zh", 5023}, {"ja", 5412}, {"hu", 5753}, {"ko", 6152}, {"hi", 6680}};
    return t;
}

std::string ascii_lower(std::string s) {
    for (char& c : s)
        if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
    return s;
}
}  // namespace

bool is_supported_language(const std::string& code) {
    for (const auto& [c, id] : support_table())
        if (c == code) return true;
    return false;
}

std::string map_language(const std::string& detected) {
    std::string lang = is_supported_language(detected) ? detected : "en";
    if (lang.find("zh") != std::string::npos) lang = "zh";
    if (lang.find("spa") != std::string::npos) lang = "es";
    return lang;
}

bool is_structure_line(const std::string& line) {
    // '.' matches anything but '\n', and the split lines hold no '\n'.
    return !line.empty() && line[0] == '[' && line.find(']', 1) != std::string::npos;
}

bool parse_language_prefix(const std::string& line, std::string* lang, std::string* rest) {
    if (line.size() < 4 || line[0] != '[') return false;
    const size_t close = line.find(']');
    if (close == std::string::npos || close > 7) return false;
    std::string code = ascii_lower(line.substr(1, close - 1));
    if (code == "zh-cn") code = "zh";
    if (!is_supported_language(code)) return false;
    std::string r = utf8::encode(py::strip(utf8::decode(line.substr(close + 1))));
    if (r.empty()) return false;
    *lang = code;
    *rest = std::move(r);
    return true;
}

LyricTokens assemble_lyrics(const std::string& lyrics, const std::string& language, const DetectFn& detect,
                            const EncodeFn& encode) {
    std::string song_lang = ascii_lower(language);
    if (song_lang == "auto") song_lang.clear();
    if (song_lang == "zh-cn") song_lang = "zh";
    if (!song_lang.empty() && !is_supported_language(song_lang))
        throw Error("lyrics: language '" + language +
                    "' is not supported (use one of en de fr es it pt pl tr ru cs nl ar zh ja hu ko hi, or auto)");
    LyricTokens out;
    out.ids.push_back(261);
    size_t start = 0;
    while (true) {
        const size_t nl = lyrics.find('\n', start);
        LyricLineInfo info;
        info.raw = lyrics.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
        info.line = utf8::encode(py::strip(utf8::decode(info.raw)));
        if (info.line.empty()) {
            info.blank = true;
            out.ids.push_back(2);
        } else {
            // Where the detection does not decide the ids (overrides, structure tags) it is only shown,
            // so a missing detector model must not stop the line.
            auto shown_detection = [&](const std::string& s) {
                try {
                    return detect ? detect(s) : std::string();
                } catch (const MissingLyricData&) {
                    return std::string();
                }
            };
            std::string text = info.line, lang, prefixed_rest;
            if (parse_language_prefix(info.line, &lang, &prefixed_rest)) {
                text = prefixed_rest;
                info.overridden = true;
                info.detected = shown_detection(text);
            } else {
                info.structure_tag = is_structure_line(info.line);
                if (info.structure_tag) {
                    info.detected = shown_detection(info.line);
                    lang = "en";
                } else if (!song_lang.empty()) {
                    info.detected = shown_detection(info.line);
                    lang = song_lang;
                    info.overridden = true;
                } else {
                    if (detect) info.detected = detect(info.line);
                    lang = map_language(info.detected);
                }
            }
            info.language = lang;
            if (encode) {
                try {
                    encode(text, lang, info);
                    for (int id : info.ids) out.ids.push_back(id);
                    out.ids.push_back(2);
                } catch (const MissingLyricData&) {
                    throw;
                } catch (const std::exception& e) {
                    info.dropped = true;
                    info.error = e.what();
                    info.ids.clear();
                    info.tokens.clear();
                }
            }
        }
        out.lines.push_back(std::move(info));
        if (nl == std::string::npos) break;
        start = nl + 1;
    }
    out.mask.assign(out.ids.size(), 1);
    return out;
}

}  // namespace text

}  // namespace acestep
