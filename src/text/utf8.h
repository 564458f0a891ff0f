// UTF-8 <-> code points, shared by the tokenizers and the lyric front end (torch-free).
// Invalid bytes decode to U+FFFD one byte at a time, so hostile input never stalls or over-reads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace acestep::utf8 {

// Decodes the code point at s[i], advancing i (by 1 on invalid input, yielding U+FFFD).
char32_t next(std::string_view s, size_t& i);
std::u32string decode(std::string_view s);
void append(std::string& out, char32_t cp);
std::string encode(std::u32string_view s);
std::string encode(char32_t cp);
// Number of code points (Python's len()).
size_t length(std::string_view s);

}  // namespace acestep::utf8
