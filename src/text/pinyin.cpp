// Pinyin: placeholder (identity) until the pypinyin port lands.
#include "text/cleaners.h"

namespace acestep::text {

struct Pinyin::Impl {};
Pinyin::Pinyin(const std::filesystem::path&) : impl_(std::make_unique<Impl>()) {}
Pinyin::~Pinyin() = default;
std::string Pinyin::tone3(const std::string& text) const { return text; }

}  // namespace acestep::text
