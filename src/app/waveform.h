// Waveform + spectrogram view of one take, with playhead, region selection by dragging, click to
// seek, and zoom (mouse wheel around the cursor, or the buttons).
//
// analyze() runs on a loader thread (peaks at 256-sample resolution and a log-frequency magnitude
// spectrogram); the view only aggregates peaks per pixel column and draws a texture, so a frame stays
// cheap for a 4-minute take.  Regions snap to latent frames (512 x 8 samples at 44.1 kHz, ~93 ms),
// the resolution at which repaint / extend masks work.
#pragma once

#include <imgui.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "acestep/audio_io.h"

namespace acestep::app {

struct WaveData {
    double seconds = 0.0;
    int sample_rate = 0;
    int bucket = 256;                    // samples per peak bucket
    std::vector<float> lo, hi;           // per bucket, mono mix
    float peak = 0.0f;                   // max |sample| of the mix
    int spec_w = 0, spec_h = 0;          // spectrogram columns x rows (row 0 = lowest frequency)
    std::vector<uint8_t> spec_rgba;      // spec_w * spec_h * 4
};

WaveData analyze_audio(const Audio& a);

struct WaveInteraction {
    bool seek = false;
    double seek_to = 0.0;
    bool selection_changed = false;
};

class WaveformView {
public:
    ~WaveformView();
    void set_data(std::shared_ptr<const WaveData> d);  // resets zoom; texture uploaded on the next draw
    const WaveData* data() const { return data_.get(); }

    // Draws into a region of `size`. sel_a/sel_b: the selection in seconds (sel_b <= sel_a = none).
    WaveInteraction draw(const char* id, ImVec2 size, double playhead, double* sel_a, double* sel_b,
                         bool show_spectrogram, bool snap);
    void zoom(double factor, double around_s);
    void fit();
    double view_start() const { return view_start_; }
    double view_len() const { return view_len_; }

private:
    void upload_texture();
    std::shared_ptr<const WaveData> data_;
    unsigned int tex_ = 0;
    bool tex_dirty_ = false;
    double view_start_ = 0.0, view_len_ = 1.0;
    bool dragging_ = false;
    double drag_from_ = 0.0;
    float press_x_ = 0.0f;
};

}  // namespace acestep::app
