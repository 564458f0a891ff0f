// zh_text_norm: placeholder (identity) until the Chinese number normaliser lands.
#include "text/cleaners.h"

namespace acestep::text {

std::string zh_text_norm(const std::string& text) { return text; }

}  // namespace acestep::text
