// cutlet 0.5.0's Hepburn mapping table (cutlet/mapping.py) and add_dakuten(), for romaji.cpp.
#pragma once

#include <string>
#include <unordered_map>

namespace acestep::text::cutlet {

// HEPBURN as a Python dict after all its literal entries (later duplicates win).
std::unordered_map<std::u32string, std::u32string> hepburn_table();
// mapping.add_dakuten: か -> が ...; 0 when the kana has no voiced form.
char32_t add_dakuten(char32_t kana);

}  // namespace acestep::text::cutlet
