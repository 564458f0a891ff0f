// Ctrl-C handling for long CLI jobs: the first SIGINT/SIGTERM sets a flag the engine checks between
// steps (clean cancel: no partial file); a second one exits at once.
#pragma once

#include <atomic>

namespace acestep::cli {

// Installs the handlers (once) and returns the flag they set.
const std::atomic<bool>* cancel_on_interrupt();

// Progress line helper: rewrites one status line on a terminal, prints plain lines otherwise.
void status_line(const char* text, bool final_line = false);

}  // namespace acestep::cli
