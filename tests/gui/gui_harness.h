// Harness for the GUI tests: a private Xvfb display, a private HOME whose .asoundrc routes ALSA to the
// null device (so PortAudio opens a real stream without a sound card), and a runner that starts the
// real build/bin/acestep with a UI script and reads back its JSON report.
#pragma once

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

namespace acestep::test::gui {

// Starts Xvfb once per process; "" when it is running, else why not (the tests skip with it).
std::string ensure_xvfb();
std::string display();

struct AppRun {
    int rc = -1;
    nlohmann::json report;    // {} when no report was written
    std::string log;          // stdout + stderr of the app
    std::filesystem::path dir;
};

// Runs the app in `dir` (created if needed) with `script`. dir/out is the output folder, dir/cfg the
// settings folder, dir/home the HOME. null_audio: write the ALSA null-device .asoundrc.
// extra_args are appended to the command line; extra_env ("NAME='value' ...") is added to the app's
// environment, which otherwise has no ACESTEP_CHECKPOINT / ACESTEP_EXAMPLES of the caller.
AppRun run_app(const std::filesystem::path& dir, const nlohmann::json& script, bool null_audio = true,
               const std::string& extra_args = "", int timeout_s = 900, const std::string& extra_env = "");

// Number of distinct colours in a PNG (ImageMagick); -1 if it cannot be read.
long png_colors(const std::filesystem::path& png);
std::string file_md5(const std::filesystem::path& p);
// Writes a 48 kHz stereo float WAV with a sine of `hz` and the given length.
void write_sine_wav(const std::filesystem::path& p, double seconds, double hz = 440.0, int sample_rate = 48000);
std::string sh(const std::string& cmd, int* rc = nullptr);  // runs a shell command, returns stdout

}  // namespace acestep::test::gui
