// `acestep-cli selftest`: run the golden-fixture checks (see include/acestep/selftest.h).
#include <cstdlib>
#include <iostream>

#include "acestep/selftest.h"
#include "cli/args.h"

namespace acestep::cli {

static std::string default_fixtures() {
    if (const char* e = std::getenv("ACESTEP_FIXTURES"); e && *e) return e;
    return "../shared/fixtures";
}

static int cmd_selftest(int argc, char** argv) {
    selftest::Options opt;
    std::string fixtures = default_fixtures();
    Args a("selftest", "[--fixtures DIR] [--filter TEXT]",
           "Checks this build against golden outputs of the official Python implementation.\n"
           "Prints PASS/FAIL/SKIP per case and exits non-zero if any case failed.");
    a.option("--fixtures", &fixtures, "DIR", "fixture folder with checkpoint/ and cases/ ($ACESTEP_FIXTURES)");
    a.option("--filter", &opt.filter, "TEXT", "only run cases whose name contains TEXT");
    a.option("--device", &opt.device, "DEV", "cpu, cuda or cuda:N");
    a.option("--dtype", &opt.dtype, "T", "compute dtype: fp32 (exact) or bf16");
    a.option("--threads", &opt.threads, "N", "CPU threads (0 = all cores)");
    a.flag("--verbose|-v", &opt.verbose, "show the time of each case");
    if (!a.parse(argc, argv)) return 0;
    opt.fixtures = fixtures;
    auto s = selftest::run(opt, std::cout);
    return s.failed == 0 ? 0 : 1;
}

ACESTEP_CLI_COMMAND(selftest, "selftest", "check this build against the official golden fixtures", cmd_selftest);

}  // namespace acestep::cli
