// Playback transport over PortAudio: play / pause / stop, seek, loop a region, A/B between two takes
// at the same playhead and at matched loudness, and an output-device picker.
//
// Audio is played from memory (planar float, any rate; the stream follows the source's rate).  The
// PortAudio callback never blocks: it try-locks the source and plays silence on contention.  With no
// output device the player reports a clear message and every call is a harmless no-op.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "acestep/audio_io.h"

namespace acestep::app {

class Player {
public:
    Player();
    ~Player();
    Player(const Player&) = delete;
    Player& operator=(const Player&) = delete;

    // Output devices ("name (host API)"); empty when none. index -1 = system default.
    const std::vector<std::string>& devices() const { return devices_; }
    bool available() const { return pa_ok_ && !devices_.empty(); }
    const std::string& message() const { return message_; }   // last problem, "" if fine
    bool select_device(const std::string& name);               // "" = default
    const std::string& device() const { return device_name_; }

    // Slot 0 = A, 1 = B. The RMS of each is measured here for level matching.
    void set_source(int slot, std::shared_ptr<const Audio> audio, const std::string& label);
    const std::string& label(int slot) const { return labels_[slot & 1]; }
    bool has_source(int slot) const;
    void set_active(int slot);             // switch at the same playhead position
    int active() const { return active_; }
    void set_level_match(bool on) { level_match_ = on; }
    float gain(int slot) const;            // the gain applied to a slot (B is matched to A)

    void play();
    void pause();
    void stop();                           // pause + back to the start (or the loop start)
    void seek(double seconds);
    void set_loop(bool on, double a, double b);
    bool looping() const { return loop_; }

    bool playing() const { return playing_; }
    double position() const;               // seconds
    double duration() const;
    uint64_t frames_delivered() const { return delivered_; }
    // The lowest and highest source positions (seconds) delivered since the last reset: where the
    // playhead really went (a looped selection keeps both inside it). {0, 0} when nothing played.
    void reset_played_range();
    std::pair<double, double> played_range() const;

    // The audio thread's render function (PortAudio callback); not for the UI.
    int fill(float* out, unsigned long frames);

private:
    bool open_stream(int sample_rate);
    void close_stream();

    bool pa_ok_ = false;
    std::vector<std::string> devices_;
    std::vector<int> device_ids_;
    std::string device_name_;
    int device_id_ = -1;
    std::string message_;
    void* stream_ = nullptr;
    int stream_rate_ = 0;

    mutable std::mutex mu_;
    std::shared_ptr<const Audio> src_[2];
    std::string labels_[2];
    double rms_[2] = {0, 0};
    std::atomic<int> active_{0};
    std::atomic<bool> level_match_{true};
    std::atomic<bool> playing_{false};
    std::atomic<int64_t> pos_{0};  // frames in the active source's rate
    std::atomic<bool> loop_{false};
    std::atomic<double> loop_a_{0}, loop_b_{0};
    std::atomic<uint64_t> delivered_{0};
    std::atomic<int64_t> played_lo_{-1}, played_hi_{-1};  // frames, in the active source's rate
};

}  // namespace acestep::app
