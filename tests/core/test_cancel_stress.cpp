// Cancel stress (hardening issue): 100 generations on the tiny fixture checkpoint, each cancelled at a
// random diffusion step, in one process and one Engine. No crash, no file left behind, memory back to
// its baseline, and the next generation is bit-identical to one made before the stress.
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <random>
#include <string>

#include "acestep/audio_io.h"
#include "acestep/engine.h"
#include "acestep/error.h"
#include "common/test_util.h"

using namespace acestep;

namespace {

double rss_mib() {
    std::ifstream f("/proc/self/status");
    std::string line;
    while (std::getline(f, line))
        if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
    return 0.0;
}

GenerationParams stress_params() {
    GenerationParams p;
    p.prompt = "pop, rock, upbeat";
    p.lyrics = "";  // no lyric front end needed: the stress is on the diffusion loop
    p.audio_duration = 2.0;
    p.infer_step = 8;
    p.manual_seeds = {4242};
    return p;
}

size_t files_in(const fs::path& dir) {
    size_t n = 0;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) ++n;  // hidden ones too
    return n;
}

}  // namespace

TEST(CancelStress, HundredRandomCancelsLeaveNoTraceAndTheNextTakeIsUnchanged) {
    const fs::path ckpt = test::fixtures_dir() / "checkpoint";
    if (!fs::exists(ckpt)) GTEST_SKIP() << "no fixture checkpoint at " << ckpt;
    EngineOptions eo;
    eo.checkpoint = ckpt.string();
    eo.device = "cpu";
    eo.dtype = "fp32";
    Engine engine(eo);
    engine.load();

    const auto out_dir = test::scratch_dir("cancel_stress");
    OutputOptions out;
    out.out_dir = (out_dir / "before").string();
    const auto before = engine.generate(stress_params(), out);
    ASSERT_EQ(before.size(), 1u);
    const Audio ref = read_audio(before[0].audio_path);

    // Warm up allocator caches with one more cancelled run before taking the baseline.
    std::mt19937 rng(7);
    auto cancelled_run = [&](int at_step) {
        std::atomic<bool> cancel{false};
        OutputOptions o;
        o.out_dir = (out_dir / "cancelled").string();
        try {
            engine.generate(stress_params(), o,
                            [&](const Progress& pr) {
                                if (pr.stage == "diffusion" && pr.step >= at_step) cancel = true;
                            },
                            &cancel);
        } catch (const Cancelled&) {
            return true;
        }
        return false;
    };
    ASSERT_TRUE(cancelled_run(2)) << "a cancel during diffusion must end the job with Cancelled";
    const double baseline = rss_mib();

    int cancelled = 0;
    for (int i = 0; i < 100; ++i) cancelled += cancelled_run(std::uniform_int_distribution<int>(0, 7)(rng)) ? 1 : 0;
    EXPECT_EQ(cancelled, 100);
    EXPECT_EQ(files_in(out_dir / "cancelled"), 0u) << "a cancelled job left a file behind";
    const double after = rss_mib();
    EXPECT_LT(after - baseline, 64.0) << "RSS grew from " << baseline << " MiB to " << after << " MiB over 100 cancels";

    out.out_dir = (out_dir / "after").string();
    const auto again = engine.generate(stress_params(), out);
    ASSERT_EQ(again.size(), 1u);
    const Audio got = read_audio(again[0].audio_path);
    ASSERT_EQ(got.frames, ref.frames);
    EXPECT_EQ(got.samples, ref.samples) << "the take after 100 cancels differs from the one before";
}
