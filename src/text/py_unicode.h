// CPython 3.11 str / re character semantics (Unicode 14.0.0), torch-free: what the official lyric
// cleaners got from str.lower(), str.strip() and re's Unicode-aware \w, \d, \s and \b.
// Tables: src/text/tables/py_unicode_tables.inc, generated from CPython by gen_py_unicode_tables.py.
#pragma once

#include <string>
#include <string_view>

namespace acestep::text::py {

// The Unicode version of the tables ("14.0.0").
const char* unicode_version();

// re \w (str.isalnum() or '_'), \d (str.isdecimal()), \s (str.isspace(), also str.strip()).
bool is_word(char32_t c);
bool is_decimal(char32_t c);
bool is_space(char32_t c);

// str.lower(): full case mappings (U+0130 -> "i\u0307") and CPython's final-sigma rule for U+03A3.
std::u32string lower(std::u32string_view s);
std::string lower_utf8(std::string_view s);

// str.strip() with no argument.
std::u32string strip(std::u32string_view s);

// re \b at position i of s (between s[i-1] and s[i]).
bool word_boundary(std::u32string_view s, size_t i);

}  // namespace acestep::text::py
