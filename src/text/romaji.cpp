// Romaji: placeholder (identity) until the cutlet port lands.
#include "text/cleaners.h"

namespace acestep::text {

struct Romaji::Impl {};
Romaji::Romaji(const std::filesystem::path&) : impl_(std::make_unique<Impl>()) {}
Romaji::~Romaji() = default;
std::string Romaji::convert(const std::string& text) const { return text; }

}  // namespace acestep::text
