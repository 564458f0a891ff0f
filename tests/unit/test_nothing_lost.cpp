// "Nothing lost": a kill or a full disk in the middle of writing a take never leaves a half file under
// the final name and never damages the take that was there; the leftovers of a killed writer are
// hidden and removed later. Each case runs the writer in a forked child and kills or starves it.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <thread>

#include "acestep/audio_io.h"
#include "acestep/error.h"
#include "acestep/fs_util.h"
#include "common/test_util.h"

using namespace acestep;

namespace {

Audio tone(double seconds, float amp) {
    Audio a = Audio::zeros(2, int64_t(seconds * 48000), 48000);
    for (int c = 0; c < 2; ++c)
        for (int64_t i = 0; i < a.frames; ++i) a.channel(c)[i] = amp * std::sin(0.01f * float(i) * float(c + 1));
    return a;
}

bool has_partial(const fs::path& dir) {
    for (const auto& e : fs::directory_iterator(dir))
        if (is_partial_file(e.path())) return true;
    return false;
}

// The take that must survive: a short wav and its sidecar.
void write_good_take(const fs::path& dir, Audio* audio) {
    *audio = tone(1.0, 0.25f);
    write_audio(dir / "take.wav", *audio);
    write_file_atomic(dir / "take_input_params.json", "{\"prompt\": \"good\"}");
}

void expect_good_take(const fs::path& dir, const Audio& want) {
    Audio got = read_audio(dir / "take.wav");
    ASSERT_EQ(got.frames, want.frames);
    EXPECT_EQ(got.samples, want.samples) << "the existing take was damaged";
    EXPECT_EQ(read_file(dir / "take_input_params.json"), "{\"prompt\": \"good\"}");
}

}  // namespace

TEST(NothingLost, KillDuringWriteLeavesTheOldTakeAndNoHalfFile) {
    auto dir = test::scratch_dir("lost_kill");
    Audio good;
    write_good_take(dir, &good);
    const Audio big = tone(240.0, 0.5f);  // a long flac takes a while to encode: time to kill it
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        AudioWriteOptions o;
        o.format = AudioFormat::Flac;
        o.overwrite = Overwrite::Replace;
        try {
            write_audio(dir / "take.wav", big, o);
            write_file_atomic(dir / "take_input_params.json", "{\"prompt\": \"new\"}");
        } catch (...) {
        }
        _exit(0);
    }
    // Kill as soon as the writer has started its temp file.
    const auto t0 = std::chrono::steady_clock::now();
    while (!has_partial(dir) && std::chrono::steady_clock::now() - t0 < std::chrono::seconds(30))
        std::this_thread::sleep_for(std::chrono::microseconds(200));
    ASSERT_TRUE(has_partial(dir)) << "the writer never started";
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    ::kill(pid, SIGKILL);
    int st = 0;
    ::waitpid(pid, &st, 0);
    ASSERT_TRUE(WIFSIGNALED(st)) << "the writer finished before it could be killed";
    expect_good_take(dir, good);
    EXPECT_TRUE(has_partial(dir)) << "the killed writer's temp file is expected (hidden)";
    EXPECT_EQ(remove_stale_partials(dir, 3600.0), 0) << "a fresh partial may belong to a live writer";
    EXPECT_EQ(remove_stale_partials(dir, 0.0), 1);
    EXPECT_FALSE(has_partial(dir));
    expect_good_take(dir, good);
}

TEST(NothingLost, FullDiskKeepsTheOldTakeAndLeavesNothing) {
    auto dir = test::scratch_dir("lost_full");
    Audio good;
    write_good_take(dir, &good);
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        // The file-size limit makes write(2) fail with EFBIG past 256 KiB, as a full disk does with ENOSPC.
        ::signal(SIGXFSZ, SIG_IGN);
        rlimit lim{256 * 1024, 256 * 1024};
        ::setrlimit(RLIMIT_FSIZE, &lim);
        int code = 0;
        try {
            AudioWriteOptions o;
            o.overwrite = Overwrite::Replace;
            write_audio(dir / "take.wav", tone(10.0, 0.5f), o);
            code |= 1;  // must have failed
        } catch (const Error& e) {
            if (std::string(e.what()).find("take.wav") == std::string::npos) code |= 2;  // names the file
        }
        try {
            write_file_atomic(dir / "take_input_params.json", std::string(512 * 1024, 'x'));
            code |= 4;
        } catch (const Error&) {
        }
        _exit(code);
    }
    int st = 0;
    ::waitpid(pid, &st, 0);
    ASSERT_TRUE(WIFEXITED(st));
    EXPECT_EQ(WEXITSTATUS(st) & 1, 0) << "writing past the limit did not fail";
    EXPECT_EQ(WEXITSTATUS(st) & 2, 0) << "the error does not name the file";
    EXPECT_EQ(WEXITSTATUS(st) & 4, 0) << "the sidecar write did not fail";
    expect_good_take(dir, good);
    EXPECT_FALSE(has_partial(dir)) << "a failed write must clean up its temp file";
}

TEST(NothingLost, PartialNamesAreRecognised) {
    EXPECT_TRUE(is_partial_file(".take.wav.part-0123456789ab"));
    EXPECT_FALSE(is_partial_file("take.wav"));
    EXPECT_FALSE(is_partial_file(".take.wav.part-12"));
    EXPECT_FALSE(is_partial_file("take.wav.part-0123456789ab"));
}
