// GUI test harness (see gui_harness.h).
#include "gui/gui_harness.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "acestep/audio_io.h"
#include "common/test_util.h"

namespace acestep::test::gui {

namespace fs = std::filesystem;

namespace {

pid_t g_xvfb = 0;
int g_display = -1;
std::string g_error = "not started";

void stop_xvfb() {
    if (g_xvfb > 0) {
        kill(g_xvfb, SIGTERM);
        waitpid(g_xvfb, nullptr, 0);
        g_xvfb = 0;
    }
}

}  // namespace

std::string sh(const std::string& cmd, int* rc) {
    std::string out;
    FILE* f = popen(cmd.c_str(), "r");
    if (!f) {
        if (rc) *rc = -1;
        return out;
    }
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
    int st = pclose(f);
    if (rc) *rc = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return out;
}

std::string ensure_xvfb() {
    if (g_xvfb > 0) return "";
    if (g_display >= 0) return g_error;  // tried and failed
    if (sh("command -v Xvfb").empty()) {
        g_display = 0;
        return g_error = "Xvfb is not installed (apt-get install xvfb)";
    }
    // A display number nobody uses: from our pid, skipping ones that have a socket or lock.
    for (int tries = 0; tries < 50; ++tries) {
        int d = 200 + (getpid() + tries * 7) % 700;
        if (fs::exists("/tmp/.X11-unix/X" + std::to_string(d)) || fs::exists("/tmp/.X" + std::to_string(d) + "-lock")) continue;
        pid_t pid = fork();
        if (pid == 0) {
            setpgid(0, 0);
            freopen("/dev/null", "w", stdout);
            freopen("/dev/null", "w", stderr);
            std::string disp = ":" + std::to_string(d);
            execlp("Xvfb", "Xvfb", disp.c_str(), "-screen", "0", "1280x800x24", "-nolisten", "tcp", (char*)nullptr);
            _exit(127);
        }
        for (int i = 0; i < 100; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            if (fs::exists("/tmp/.X11-unix/X" + std::to_string(d))) {
                g_xvfb = pid;
                g_display = d;
                std::atexit(stop_xvfb);
                return "";
            }
            int st;
            if (waitpid(pid, &st, WNOHANG) == pid) break;  // died (display taken?)
        }
        kill(pid, SIGTERM);
        waitpid(pid, nullptr, 0);
    }
    g_display = 0;
    return g_error = "could not start Xvfb";
}

std::string display() { return ":" + std::to_string(g_display); }

AppRun run_app(const fs::path& dir, const nlohmann::json& script, bool null_audio, const std::string& extra_args,
               int timeout_s, const std::string& extra_env) {
    AppRun r;
    r.dir = dir;
    fs::create_directories(dir / "home");
    fs::create_directories(dir / "cfg");
    fs::create_directories(dir / "out");
    if (null_audio) std::ofstream(dir / "home" / ".asoundrc") << "pcm.!default { type null }\n";
    else fs::remove(dir / "home" / ".asoundrc");
    std::ofstream(dir / "script.json") << script.dump(2);
    fs::remove(dir / "report.json");
    fs::path app = build_dir() / "bin" / "acestep";
    // The lyric front end's data (vocab, langid model, ...) for runs on the fixture checkpoint.
    std::string lyric_data;
    if (fs::exists(fixtures_dir() / "lyrics" / "data" / "vocab.json"))
        lyric_data = " ACESTEP_LYRIC_DATA='" + (fixtures_dir() / "lyrics" / "data").string() + "'";
    std::string cmd = "cd '" + dir.string() + "' && env -u ACESTEP_CHECKPOINT -u ACESTEP_EXAMPLES " + extra_env + " DISPLAY=" + display() + " HOME='" + (dir / "home").string() +
                      "' HF_HOME='" + (dir / "home" / "hf").string() + "'" + lyric_data + " HF_HUB_OFFLINE=1 JACK_NO_START_SERVER=1 timeout " + std::to_string(timeout_s) + " '" + app.string() +
                      "' --config-dir cfg --output-dir out --script script.json --report report.json " + extra_args +
                      " > app.log 2>&1";
    int st = std::system(cmd.c_str());
    r.rc = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    std::ifstream lf(dir / "app.log");
    r.log.assign(std::istreambuf_iterator<char>(lf), {});
    std::ifstream rf(dir / "report.json");
    if (rf) {
        try {
            rf >> r.report;
        } catch (...) {
        }
    }
    return r;
}

long png_colors(const fs::path& png) {
    int rc = 0;
    std::string out = sh("convert '" + png.string() + "' -format %k info: 2>/dev/null", &rc);
    if (rc != 0 || out.empty()) return -1;
    return std::atol(out.c_str());
}

std::string file_md5(const fs::path& p) {
    std::string out = sh("md5sum '" + p.string() + "' 2>/dev/null");
    return out.substr(0, out.find(' '));
}

void write_sine_wav(const fs::path& p, double seconds, double hz, int sr) {
    Audio a = Audio::zeros(2, (int64_t)(seconds * sr), sr);
    for (int c = 0; c < 2; ++c)
        for (int64_t i = 0; i < a.frames; ++i) a.channel(c)[i] = 0.25f * (float)std::sin(2 * M_PI * hz * i / sr);
    AudioWriteOptions wo;
    wo.overwrite = Overwrite::Replace;
    write_audio(p, a, wo);
}

}  // namespace acestep::test::gui
