// `acestep-cli tokenize-lyrics`: shows, line by line, what the lyric front end does with a lyric —
// detected language, the language used, cleaned text, tokens and ids — the tool a user runs to see why
// a line sings wrong (include/acestep/lyrics.h; exact to the official tokenize_lyrics).
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "acestep/checkpoint.h"
#include "acestep/error.h"
#include "acestep/hub.h"
#include "acestep/lyrics.h"
#include "cli/args.h"

namespace acestep::cli {

namespace {

fs::path default_data_dir(const std::string& checkpoint) {
    fs::path fallback;
    std::vector<fs::path> candidates;
    if (!checkpoint.empty()) candidates.push_back(checkpoint);
    else candidates = default_checkpoint_search_path();
    for (const auto& c : candidates)
        if (auto cp = try_find_checkpoint(c)) return lyric_data_dir_near(cp->root);
    if (!checkpoint.empty()) return lyric_data_dir_near(checkpoint);
    return fallback;
}

std::string join_ids(const std::vector<int>& ids) {
    std::string s;
    for (size_t i = 0; i < ids.size(); ++i) s += (i ? " " : "") + std::to_string(ids[i]);
    return s;
}

int cmd_tokenize_lyrics(int argc, char** argv) {
    std::string lang, data, checkpoint, text;
    bool as_json = false, ids_only = false;
    std::vector<std::string> files;
    Args a("tokenize-lyrics", "[--lang XX] [--data DIR] (FILE | - | --text TEXT)",
           "Tokenizes lyrics exactly like the official ACE-Step pipeline and prints, per line, the detected\n"
           "language (get_lang), the language used, the cleaned text, the tokens and the ids, then the whole id\n"
           "sequence. A line may force its language with a prefix like \"[ja] ...\"; --lang forces every line.\n"
           "One trailing newline of a FILE is ignored. Data folder: --data, else $ACESTEP_LYRIC_DATA, else\n"
           "acestep-lyric-data next to the checkpoint.");
    a.option("--lang|--language", &lang, "XX", "force a language for every line (en de fr es it pt pl tr ru cs nl ar zh ja hu ko hi); default: detect per line");
    a.option("--data", &data, "DIR", "lyric data folder (vocab.json, py3langid_model.plzma, pinyin dicts, cutlet_exceptions.tsv)");
    a.option("--checkpoint", &checkpoint, "DIR", "checkpoint whose lyric data folder to use");
    a.option("--text", &text, "TEXT", "lyrics given on the command line instead of a file");
    a.flag("--json", &as_json, "print JSON (per line: detected, language, cleaned, tokenizer_input, tokens, ids)");
    a.flag("--ids", &ids_only, "print only the id sequence");
    a.positional("FILE", &files, "lyrics file ('-' = standard input)");
    if (!a.parse(argc, argv)) return 0;
    if (!a.given("--text")) {
        if (files.size() != 1) throw Error("tokenize-lyrics: give one lyrics FILE (or '-' or --text TEXT)");
        if (files[0] == "-") {
            std::ostringstream ss;
            ss << std::cin.rdbuf();
            text = ss.str();
        } else {
            std::ifstream f(files[0], std::ios::binary);
            if (!f) throw Error(files[0] + ": cannot open");
            std::ostringstream ss;
            ss << f.rdbuf();
            text = ss.str();
        }
        // A trailing newline of a file is not an extra blank line of the lyric.
        if (!text.empty() && text.back() == '\n') text.pop_back();
        if (!text.empty() && text.back() == '\r') text.pop_back();
    }
    fs::path dir = LyricFrontEnd::resolve_data_dir(data, fs::path());
    if (dir.empty()) dir = default_data_dir(checkpoint);
    if (dir.empty())
        throw Error("tokenize-lyrics: no lyric data folder (give --data DIR, set $ACESTEP_LYRIC_DATA, or run "
                    "`acestep-cli download --data-only`)");
    LyricFrontEnd fe(dir);
    const LyricTokens r = fe.tokenize(text, lang);
    if (ids_only) {
        for (size_t i = 0; i < r.ids.size(); ++i) std::printf("%s%lld", i ? " " : "", (long long)r.ids[i]);
        std::printf("\n");
        return 0;
    }
    if (as_json) {
        nlohmann::json j;
        j["ids"] = r.ids;
        j["mask"] = r.mask;
        j["lines"] = nlohmann::json::array();
        for (const auto& l : r.lines)
            j["lines"].push_back({{"line", l.line}, {"blank", l.blank}, {"detected", l.detected}, {"language", l.language},
                                  {"structure_tag", l.structure_tag}, {"overridden", l.overridden}, {"cleaned", l.cleaned},
                                  {"tokenizer_input", l.tokenizer_input}, {"tokens", l.tokens}, {"ids", l.ids},
                                  {"dropped", l.dropped}, {"error", l.error}});
        std::printf("%s\n", j.dump(1).c_str());
        return 0;
    }
    int n = 0;
    for (const auto& l : r.lines) {
        ++n;
        if (l.blank) {
            std::printf("%3d  (blank)  -> [SPACE] 2\n", n);
            continue;
        }
        std::string how = l.structure_tag ? "en (structure tag)"
                          : l.overridden ? l.language + " (forced)"
                                         : (l.detected == l.language ? l.language : l.language + " (unsupported detection)");
        std::printf("%3d  %s\n     language: %s (detected %s)\n", n, l.line.c_str(), how.c_str(),
                    l.detected.empty() ? "-" : l.detected.c_str());
        if (l.dropped) {
            std::printf("     DROPPED (the official code drops a line whose encoding raises): %s\n", l.error.c_str());
            continue;
        }
        std::string toks;
        for (size_t i = 0; i < l.tokens.size(); ++i) toks += (i ? " " : "") + l.tokens[i];
        std::printf("     cleaned:  %s\n     tokens:   %s\n     ids:      %s\n", l.cleaned.c_str(), toks.c_str(),
                    join_ids(l.ids).c_str());
    }
    std::printf("ids (%zu):", r.ids.size());
    for (auto id : r.ids) std::printf(" %lld", (long long)id);
    std::printf("\n");
    return 0;
}

}  // namespace

ACESTEP_CLI_COMMAND(tokenize_lyrics, "tokenize-lyrics", "show how lyrics become tokens: language, cleaned text, ids per line",
                    cmd_tokenize_lyrics);

}  // namespace acestep::cli
