// multilingual_cleaners: placeholder (lowercase only) until the lyric cleaners land.
#include <algorithm>

#include "text/cleaners.h"

namespace acestep::text {

std::string multilingual_cleaners(const std::string& text, const std::string&) {
    std::string s = text;
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return (char)std::tolower(c); });
    return s;
}

}  // namespace acestep::text
