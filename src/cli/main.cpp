// acestep-cli: the headless front end of ACE-Step Desktop (same engine as the GUI).
// Subcommands register themselves (ACESTEP_CLI_COMMAND in src/cli/*.cpp); main only dispatches.
#include <cstdio>
#include <cstring>
#include <exception>

#include "acestep/error.h"
#include "acestep/version.h"
#include "cli/args.h"

using namespace acestep;

static void usage() {
    std::printf("acestep-cli %s: ACE-Step v1 music generation, headless\n\nusage: acestep-cli <command> [options]\n\ncommands:\n",
                ACESTEP_VERSION_STRING);
    for (const auto& c : cli::commands()) std::printf("  %-18s %s\n", c.name, c.summary);
    std::printf("\n'acestep-cli <command> -h' explains every option of a command.\n");
}

int main(int argc, char** argv) {
    if (argc < 2 || !std::strcmp(argv[1], "-h") || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "help")) {
        usage();
        return argc < 2 ? 2 : 0;
    }
    if (!std::strcmp(argv[1], "--version") || !std::strcmp(argv[1], "version")) {
        std::printf("acestep-cli %s\n", ACESTEP_VERSION_STRING);
        return 0;
    }
    for (const auto& c : cli::commands()) {
        if (std::strcmp(c.name, argv[1]) != 0) continue;
        try {
            return c.fn(argc - 1, argv + 1);
        } catch (const Cancelled&) {
            std::fprintf(stderr, "cancelled\n");
            return 130;
        } catch (const std::exception& e) {
            std::fprintf(stderr, "error: %s\n", e.what());
            return 1;
        }
    }
    std::fprintf(stderr, "error: unknown command '%s' (see acestep-cli --help)\n", argv[1]);
    return 2;
}
