// A small backtracking regex matcher over code points with Python `re` semantics, for the fixed
// patterns of zh_num2words (zh_text_norm.cpp). Supports literals, `\d` `\D` (Unicode Nd, as Python's
// str patterns), escaped literals, `[...]` classes with ranges, capturing groups, `|`, and the
// greedy quantifiers `?` `+` `*` `{m}` `{m,n}`. Alternatives are tried left to right and
// quantifiers longest first, as sre does, so findall() returns what Python's re.findall returns.
// Recursion depth is bounded by the pattern, never by the text.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace acestep::text::zh {

class Regex {
public:
    explicit Regex(std::u32string_view pattern);  // throws acestep::Error on unsupported syntax
    ~Regex();
    Regex(Regex&&) noexcept;

    struct Match {
        size_t begin = 0, end = 0;
        std::vector<std::u32string> groups;  // group 1..n ("" when the group did not take part)
    };
    // re.findall over the whole text: non-overlapping matches, left to right.
    std::vector<Match> findall(std::u32string_view text) const;
    int group_count() const;

    struct Node;
    using Seq = std::vector<Node>;

private:
    std::unique_ptr<Seq> seq_;
    int groups_ = 0;
};

}  // namespace acestep::text::zh
