// Backtracking matcher with Python `re` semantics for the zh_num2words patterns (see zh_regex.h).
#include "text/zh_regex.h"

#include <utility>

#include "acestep/error.h"
#include "text/cjk_unicode.h"
#include "text/utf8.h"

namespace acestep::text::zh {

struct Regex::Node {
    enum Kind { Literal, Digit, NonDigit, Class, Any, Group } kind = Literal;
    char32_t ch = 0;
    std::vector<std::pair<char32_t, char32_t>> ranges;  // Class
    int group = 0;                                      // Group: 1-based index
    std::vector<Seq> alts;                              // Group
    int min = 1, max = 1;                               // max < 0: unbounded

    bool test(char32_t c) const {
        switch (kind) {
            case Literal: return c == ch;
            case Digit: return cjk::is_decimal(c);
            case NonDigit: return !cjk::is_decimal(c);
            case Any: return c != U'\n';
            case Class:
                for (auto& r : ranges)
                    if (c >= r.first && c <= r.second) return true;
                return false;
            default: return false;
        }
    }
};

namespace {

using Node = Regex::Node;
using Seq = Regex::Seq;

[[noreturn]] void bad(std::u32string_view p, const char* what) {
    throw Error("zh_text_norm: unsupported regex syntax (" + std::string(what) + ") in " + utf8::encode(p));
}

struct Parser {
    std::u32string_view p;
    size_t i = 0;
    int groups = 0;

    std::vector<Seq> alts() {
        std::vector<Seq> out(1);
        while (i < p.size() && p[i] != U')') {
            if (p[i] == U'|') {
                ++i;
                out.emplace_back();
                continue;
            }
            out.back().push_back(atom());
        }
        return out;
    }

    int number() {
        int v = 0;
        bool any = false;
        while (i < p.size() && p[i] >= U'0' && p[i] <= U'9') v = v * 10 + (int)(p[i++] - U'0'), any = true;
        if (!any) bad(p, "quantifier");
        return v;
    }

    Node atom() {
        Node n;
        const char32_t c = p[i++];
        if (c == U'(') {
            n.kind = Node::Group;
            n.group = ++groups;
            n.alts = alts();
            if (i >= p.size() || p[i] != U')') bad(p, "unbalanced group");
            ++i;
        } else if (c == U'[') {
            n.kind = Node::Class;
            if (i < p.size() && p[i] == U'^') bad(p, "negated class");
            bool first = true;
            while (i < p.size() && (p[i] != U']' || first)) {
                char32_t a = p[i++];
                if (a == U'\\' && i < p.size()) a = p[i++];
                char32_t b = a;
                if (i + 1 < p.size() && p[i] == U'-' && p[i + 1] != U']') {
                    b = p[i + 1];
                    i += 2;
                }
                n.ranges.emplace_back(a, b);
                first = false;
            }
            if (i >= p.size()) bad(p, "unterminated class");
            ++i;
        } else if (c == U'\\') {
            if (i >= p.size()) bad(p, "trailing backslash");
            const char32_t e = p[i++];
            if (e == U'd') n.kind = Node::Digit;
            else if (e == U'D') n.kind = Node::NonDigit;
            else if ((e >= U'a' && e <= U'z') || (e >= U'A' && e <= U'Z')) bad(p, "escape");
            else n.ch = e;
        } else if (c == U'.') {
            n.kind = Node::Any;
        } else if (c == U'*' || c == U'+' || c == U'?' || c == U'{' || c == U'|') {
            bad(p, "misplaced operator");
        } else {
            n.ch = c;
        }
        if (i < p.size()) {
            const char32_t q = p[i];
            if (q == U'?') n.min = 0, n.max = 1, ++i;
            else if (q == U'+') n.min = 1, n.max = -1, ++i;
            else if (q == U'*') n.min = 0, n.max = -1, ++i;
            else if (q == U'{') {
                ++i;
                n.min = number();
                n.max = n.min;
                if (i < p.size() && p[i] == U',') {
                    ++i;
                    n.max = number();
                }
                if (i >= p.size() || p[i] != U'}') bad(p, "quantifier");
                ++i;
            }
            if (i < p.size() && (p[i] == U'?' || p[i] == U'+')) bad(p, "lazy/possessive quantifier");
        }
        return n;
    }
};

struct Matcher {
    std::u32string_view t;
    std::vector<std::pair<size_t, size_t>> caps;  // (npos, npos) when unset
    using Cont = std::function<bool(size_t)>;

    bool seq(const Seq& s, size_t i, size_t pos, const Cont& k) {
        if (i == s.size()) return k(pos);
        const Node& n = s[i];
        if (n.kind != Node::Group) {
            size_t cnt = 0;
            const size_t limit = n.max < 0 ? t.size() - pos : (size_t)n.max;
            while (cnt < limit && pos + cnt < t.size() && n.test(t[pos + cnt])) ++cnt;
            if (cnt < (size_t)n.min) return false;
            for (size_t c = cnt + 1; c-- > (size_t)n.min;)
                if (seq(s, i + 1, pos + c, k)) return true;
            return false;
        }
        return group(n, s, i, pos, 0, k);
    }

    bool group(const Node& n, const Seq& s, size_t i, size_t pos, int count, const Cont& k) {
        if (n.max < 0 || count < n.max) {
            for (const Seq& alt : n.alts) {
                const auto saved = caps[n.group];
                const bool ok = seq(alt, 0, pos, [&](size_t e) {
                    if (e == pos && count >= n.min) return false;  // an empty extra iteration adds nothing
                    caps[n.group] = {pos, e};
                    if (group(n, s, i, e, count + 1, k)) return true;
                    caps[n.group] = saved;
                    return false;
                });
                if (ok) return true;
            }
        }
        if (count >= n.min) return seq(s, i + 1, pos, k);
        return false;
    }
};

// The first atom every match must start with, when it repeats without bound: a failed attempt at
// position s then also fails at every later position of the same run (their continuations are a
// subset), so findall may skip the run. Keeps `\D+(...)` linear on long lines.
const Node* lead_atom(const Seq& s) {
    if (s.empty()) return nullptr;
    const Node& n = s[0];
    if (n.kind == Node::Group) {
        if (n.alts.size() == 1 && n.min == 1 && n.max == 1) return lead_atom(n.alts[0]);
        return nullptr;
    }
    return (n.min >= 1 && n.max < 0) ? &n : nullptr;
}

}  // namespace

Regex::Regex(std::u32string_view pattern) {
    Parser ps{pattern};
    auto alts = ps.alts();
    if (ps.i != pattern.size()) bad(pattern, "unbalanced ')'");
    Node top;
    top.kind = Node::Group;
    top.group = 0;
    top.alts = std::move(alts);
    seq_ = std::make_unique<Seq>();
    seq_->push_back(std::move(top));
    groups_ = ps.groups;
}

Regex::~Regex() = default;
Regex::Regex(Regex&&) noexcept = default;

int Regex::group_count() const { return groups_; }

std::vector<Regex::Match> Regex::findall(std::u32string_view text) const {
    std::vector<Match> out;
    Matcher m{text, {}};
    const Node* lead = lead_atom(*seq_);
    size_t start = 0;
    while (start <= text.size()) {
        bool found = false;
        for (size_t s = start; s <= text.size(); ++s) {
            m.caps.assign(groups_ + 1, {std::u32string::npos, std::u32string::npos});
            size_t end = 0;
            if (m.seq(*seq_, 0, s, [&](size_t e) {
                    end = e;
                    return true;
                })) {
                Match r;
                r.begin = s;
                r.end = end;
                for (int g = 1; g <= groups_; ++g) {
                    const auto [a, b] = m.caps[g];
                    r.groups.push_back(a == std::u32string::npos ? std::u32string() : std::u32string(text.substr(a, b - a)));
                }
                out.push_back(std::move(r));
                start = end > s ? end : end + 1;
                found = true;
                break;
            }
            if (lead && s < text.size() && lead->test(text[s]))
                while (s + 1 < text.size() && lead->test(text[s + 1])) ++s;
        }
        if (!found) break;
    }
    return out;
}

}  // namespace acestep::text::zh
