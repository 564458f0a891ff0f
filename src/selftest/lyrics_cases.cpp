// Self-test cases for the lyric front end (include/acestep/lyrics.h) when the fixture folder has lyrics/:
//   lyrics:<id>      tokenize_lyrics(input) == the official token_ids (a FAIL names the first differing
//                    token and its line);
//   langid:<index>   get_lang(text) == the official result, for every langid_goldens.json string;
//   langid:per_language  the get_lang figure per language.
// The front end is torch-free; it is built once and shared by the cases.
#include <fstream>
#include <map>

#include "acestep/lyrics.h"
#include "selftest/fixture.h"

namespace acestep::selftest {

namespace {

fs::path lyric_dir(const Context& ctx) { return ctx.fixtures / "lyrics"; }

nlohmann::json load_json(const fs::path& p) {
    std::ifstream f(p);
    return nlohmann::json::parse(f);
}

std::shared_ptr<LyricFrontEnd> front_end(Context& ctx) {
    return ctx.cached<LyricFrontEnd>("lyric_front_end",
                                     [&] { return std::make_shared<LyricFrontEnd>(lyric_dir(ctx) / "data"); });
}

std::string first_difference(const LyricTokens& got, const std::vector<int64_t>& want) {
    size_t i = 0;
    while (i < got.ids.size() && i < want.size() && got.ids[i] == want[i]) ++i;
    // Which line does position i belong to?
    size_t pos = 1;
    std::string where;
    for (const auto& l : got.lines) {
        const size_t n = l.blank ? 1 : (l.dropped ? 0 : l.ids.size() + 1);
        if (i < pos + n) {
            where = " in line \"" + l.line + "\" (" + (l.language.empty() ? "?" : l.language) + ")";
            break;
        }
        pos += n;
    }
    auto at = [](const std::vector<int64_t>& v, size_t k) { return k < v.size() ? std::to_string(v[k]) : std::string("end"); };
    return "first difference at token " + std::to_string(i) + ": got " + at(got.ids, i) + ", want " + at(want, i) + where;
}

void lyric_cases(Context& ctx, std::vector<Case>& out) {
    const fs::path dir = lyric_dir(ctx);
    if (fs::exists(dir / "lyrics_goldens.json")) {
        nlohmann::json cases;
        try {
            cases = load_json(dir / "lyrics_goldens.json");
        } catch (const std::exception&) {
            return;
        }
        for (const auto& c : cases) {
            if (!c.is_object() || !c.contains("id")) continue;
            const std::string id = c.value("id", "");
            const std::string input = c.value("input", "");
            const std::vector<int64_t> want = c.value("token_ids", std::vector<int64_t>{});
            out.push_back({"lyrics:" + id, [input, want](Context& ctx) {
                               // tokenize_lyrics itself (the goldens record it before __call__'s empty rule).
                               LyricTokens got;
                               try {
                                   got = input.empty() ? LyricTokens{{261, 2}, {1, 1}, {}} : front_end(ctx)->tokenize(input);
                               } catch (const LyricDataMissing& e) {
                                   return CaseResult::skip(e.what());
                               }
                               if (got.ids == want) return CaseResult{};
                               return CaseResult::fail(first_difference(got, want));
                           }});
        }
    }
    if (fs::exists(dir / "langid_goldens.json")) {
        nlohmann::json g;
        try {
            g = load_json(dir / "langid_goldens.json");
        } catch (const std::exception&) {
            return;
        }
        for (size_t i = 0; i < g.size(); ++i) {
            const std::string text = g[i].value("text", ""), want = g[i].value("get_lang", "");
            out.push_back({"langid:" + std::to_string(i), [text, want](Context& ctx) {
                               const std::string got = front_end(ctx)->detect(text);
                               if (got == want) return CaseResult{};
                               return CaseResult::fail("get_lang(\"" + text + "\") = " + got + ", want " + want);
                           }});
        }
        out.push_back({"langid:per_language", [g](Context& ctx) {
                           std::map<std::string, std::pair<int, int>> per;
                           int bad = 0;
                           for (const auto& e : g) {
                               const std::string want = e.value("get_lang", "");
                               const bool ok = front_end(ctx)->detect(e.value("text", "")) == want;
                               per[want].first += ok;
                               ++per[want].second;
                               bad += !ok;
                           }
                           std::string note;
                           for (const auto& [l, pc] : per)
                               note += (note.empty() ? "" : " ") + l + " " + std::to_string(pc.first) + "/" +
                                       std::to_string(pc.second);
                           CaseResult r = bad ? CaseResult::fail(note) : CaseResult{};
                           r.note = note;
                           return r;
                       }});
    }
}

}  // namespace

ACESTEP_SELFTEST_PROVIDER(lyric_cases);

}  // namespace acestep::selftest
