// SIGINT/SIGTERM -> cancel flag; terminal status line (see cancel.h).
#include "cli/cancel.h"

#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstring>

namespace acestep::cli {

namespace {
std::atomic<bool> g_cancel{false};

void on_signal(int sig) {
    if (g_cancel.exchange(true)) {
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    const char msg[] = "\ncancelling after the current step (press Ctrl-C again to quit at once)\n";
    (void)!write(2, msg, sizeof msg - 1);
}
}  // namespace

const std::atomic<bool>* cancel_on_interrupt() {
    static bool installed = false;
    if (!installed) {
        struct sigaction sa {};
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, nullptr);
        sigaction(SIGTERM, &sa, nullptr);
        installed = true;
    }
    return &g_cancel;
}

void status_line(const char* text, bool final_line) {
    static const bool tty = isatty(2);
    if (tty) {
        std::fprintf(stderr, "\r\033[K%s%s", text, final_line ? "\n" : "");
    } else {
        std::fprintf(stderr, "%s\n", text);
    }
    std::fflush(stderr);
}

}  // namespace acestep::cli
