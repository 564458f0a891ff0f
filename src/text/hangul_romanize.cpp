// hangul_romanize: placeholder (identity) until the port lands.
#include "text/cleaners.h"

namespace acestep::text {

std::string hangul_romanize(const std::string& text) { return text; }

}  // namespace acestep::text
