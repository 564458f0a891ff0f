// Waveform and spectrogram view (see waveform.h).
#include "app/waveform.h"

#include <GL/gl.h>

#include <algorithm>
#include <cmath>
#include <complex>

#include "app/presets.h"
#include "app/widgets.h"

namespace acestep::app {

namespace {

// In-place radix-2 FFT (n a power of two).
void fft(std::vector<std::complex<float>>& a) {
    const size_t n = a.size();
    for (size_t i = 1, j = 0; i < n; ++i) {
        size_t bit = n >> 1;
        for (; j & bit; bit >>= 1) j ^= bit;
        j ^= bit;
        if (i < j) std::swap(a[i], a[j]);
    }
    for (size_t len = 2; len <= n; len <<= 1) {
        float ang = -2.0f * float(M_PI) / float(len);
        std::complex<float> wl(std::cos(ang), std::sin(ang));
        for (size_t i = 0; i < n; i += len) {
            std::complex<float> w(1.0f, 0.0f);
            for (size_t k = 0; k < len / 2; ++k) {
                auto u = a[i + k], v = a[i + k + len / 2] * w;
                a[i + k] = u + v;
                a[i + k + len / 2] = u - v;
                w *= wl;
            }
        }
    }
}

// Dark blue -> magenta -> orange -> pale yellow (a compact "magma"-like ramp).
void colormap(float t, uint8_t* rgba) {
    static const float stops[5][3] = {{0, 0, 4}, {60, 15, 110}, {180, 55, 120}, {250, 140, 60}, {252, 250, 190}};
    t = std::clamp(t, 0.0f, 1.0f) * 4.0f;
    int i = std::min(3, (int)t);
    float f = t - i;
    for (int c = 0; c < 3; ++c) rgba[c] = (uint8_t)(stops[i][c] + (stops[i + 1][c] - stops[i][c]) * f);
    rgba[3] = 255;
}

}  // namespace

WaveData analyze_audio(const Audio& a) {
    WaveData d;
    d.seconds = a.seconds();
    d.sample_rate = a.sample_rate;
    if (a.frames <= 0 || a.channels <= 0) return d;
    std::vector<float> mono(a.frames);
    for (int c = 0; c < a.channels; ++c) {
        const float* x = a.channel(c);
        for (int64_t i = 0; i < a.frames; ++i) mono[i] += x[i] / a.channels;
    }
    const int64_t nb = (a.frames + d.bucket - 1) / d.bucket;
    d.lo.assign(nb, 0.0f);
    d.hi.assign(nb, 0.0f);
    for (int64_t b = 0; b < nb; ++b) {
        float lo = 0, hi = 0;
        for (int64_t i = b * d.bucket, e = std::min<int64_t>(a.frames, (b + 1) * d.bucket); i < e; ++i) {
            lo = std::min(lo, mono[i]);
            hi = std::max(hi, mono[i]);
        }
        d.lo[b] = lo;
        d.hi[b] = hi;
        d.peak = std::max(d.peak, std::max(-lo, hi));
    }
    // Spectrogram: 2048-point Hann windows, up to 1024 columns, 160 log-spaced rows from 30 Hz to Nyquist.
    const int n = 2048;
    d.spec_w = (int)std::clamp<int64_t>(a.frames / 512, 1, 1024);
    d.spec_h = 160;
    d.spec_rgba.assign((size_t)d.spec_w * d.spec_h * 4, 0);
    std::vector<float> win(n);
    for (int i = 0; i < n; ++i) win[i] = 0.5f - 0.5f * std::cos(2.0f * float(M_PI) * i / n);
    std::vector<std::complex<float>> buf(n);
    std::vector<float> mag(n / 2);
    const double fmin = 30.0, fmax = a.sample_rate / 2.0;
    for (int col = 0; col < d.spec_w; ++col) {
        int64_t center = (int64_t)((col + 0.5) * a.frames / d.spec_w);
        for (int i = 0; i < n; ++i) {
            int64_t k = center - n / 2 + i;
            buf[i] = (k >= 0 && k < a.frames) ? mono[k] * win[i] : 0.0f;
        }
        fft(buf);
        for (int i = 0; i < n / 2; ++i) mag[i] = std::abs(buf[i]);
        for (int row = 0; row < d.spec_h; ++row) {
            double f0 = fmin * std::pow(fmax / fmin, double(row) / d.spec_h);
            double f1 = fmin * std::pow(fmax / fmin, double(row + 1) / d.spec_h);
            int b0 = std::clamp((int)(f0 / fmax * (n / 2)), 0, n / 2 - 1);
            int b1 = std::clamp((int)(f1 / fmax * (n / 2)), b0 + 1, n / 2);
            float m = 0;
            for (int b = b0; b < b1; ++b) m = std::max(m, mag[b]);
            float db = 20.0f * std::log10(m / (n / 4.0f) + 1e-9f);
            // rows are stored top = highest frequency
            colormap((db + 90.0f) / 90.0f, &d.spec_rgba[((size_t)(d.spec_h - 1 - row) * d.spec_w + col) * 4]);
        }
    }
    return d;
}

WaveformView::~WaveformView() {
    if (tex_) glDeleteTextures(1, &tex_);
}

void WaveformView::set_data(std::shared_ptr<const WaveData> d) {
    data_ = std::move(d);
    tex_dirty_ = true;
    fit();
}

void WaveformView::fit() {
    view_start_ = 0.0;
    view_len_ = data_ && data_->seconds > 0 ? data_->seconds : 1.0;
}

void WaveformView::zoom(double factor, double around) {
    double total = data_ && data_->seconds > 0 ? data_->seconds : 1.0;
    double len = std::clamp(view_len_ / factor, 0.05, total);
    double rel = view_len_ > 0 ? (around - view_start_) / view_len_ : 0.5;
    view_start_ = std::clamp(around - rel * len, 0.0, std::max(0.0, total - len));
    view_len_ = len;
}

void WaveformView::upload_texture() {
    tex_dirty_ = false;
    if (!data_ || data_->spec_w <= 0) return;
    if (!tex_) glGenTextures(1, &tex_);
    glBindTexture(GL_TEXTURE_2D, tex_);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, data_->spec_w, data_->spec_h, 0, GL_RGBA, GL_UNSIGNED_BYTE,
                 data_->spec_rgba.data());
}

WaveInteraction WaveformView::draw(const char* id, ImVec2 size, double playhead, double* sel_a, double* sel_b,
                                   bool show_spec, bool snap) {
    WaveInteraction res;
    if (tex_dirty_) upload_texture();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImVec2 p0 = ImGui::GetCursorScreenPos();
    if (size.x < 50) size.x = 50;
    if (size.y < 40) size.y = 40;
    ImGui::InvisibleButton(id, size, ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight);
    ui::remember_rect("waveform");
    ImVec2 p1(p0.x + size.x, p0.y + size.y);
    dl->AddRectFilled(p0, p1, IM_COL32(18, 18, 24, 255));
    if (!data_ || data_->seconds <= 0) {
        dl->AddText(ImVec2(p0.x + 10, p0.y + size.y / 2 - 8), IM_COL32(150, 150, 160, 255),
                    "No take selected: generate one, pick one in the history, or drop an audio file here.");
        return res;
    }
    const WaveData& d = *data_;
    const float wave_h = show_spec && tex_ ? size.y * 0.45f : size.y;
    auto x_of = [&](double t) { return p0.x + float((t - view_start_) / view_len_) * size.x; };
    auto t_of = [&](float x) { return std::clamp(view_start_ + double(x - p0.x) / size.x * view_len_, 0.0, d.seconds); };
    auto snap_t = [&](double t) {
        return snap ? std::clamp(std::round(t / kLatentFrameSeconds) * kLatentFrameSeconds, 0.0, d.seconds) : t;
    };

    // Waveform: min/max per pixel column. Quiet takes are drawn with a display gain (shown), so their
    // shape stays visible; the audio itself is untouched.
    const float mid = p0.y + wave_h / 2;
    const float gain = d.peak > 1e-6f && d.peak < 0.25f ? 0.9f / d.peak : 1.0f;
    const double bucket_s = double(d.bucket) / d.sample_rate;
    for (int px = 0; px < (int)size.x; ++px) {
        double t0 = view_start_ + double(px) / size.x * view_len_, t1 = view_start_ + double(px + 1) / size.x * view_len_;
        int64_t b0 = (int64_t)(t0 / bucket_s), b1 = std::max<int64_t>(b0 + 1, (int64_t)(t1 / bucket_s));
        float lo = 0, hi = 0;
        for (int64_t b = b0; b < b1 && b < (int64_t)d.lo.size(); ++b) {
            lo = std::min(lo, d.lo[b]);
            hi = std::max(hi, d.hi[b]);
        }
        float y0 = mid - std::clamp(hi * gain, -1.0f, 1.0f) * wave_h / 2, y1 = mid - std::clamp(lo * gain, -1.0f, 1.0f) * wave_h / 2;
        dl->AddLine(ImVec2(p0.x + px + 0.5f, y0), ImVec2(p0.x + px + 0.5f, y1 + 1), IM_COL32(110, 190, 255, 255));
    }
    dl->AddLine(ImVec2(p0.x, mid), ImVec2(p1.x, mid), IM_COL32(60, 60, 80, 255));
    if (gain > 1.0f) {
        char g[48];
        std::snprintf(g, sizeof g, "display +%.0f dB", 20.0f * std::log10(gain));
        dl->AddText(ImVec2(p1.x - 110, p0.y + wave_h - 16), IM_COL32(200, 200, 120, 200), g);
    }
    if (show_spec && tex_) {
        float u0 = float(view_start_ / d.seconds), u1 = float((view_start_ + view_len_) / d.seconds);
        dl->AddImage((ImTextureID)(intptr_t)tex_, ImVec2(p0.x, p0.y + wave_h + 2), p1, ImVec2(u0, 0), ImVec2(u1, 1));
    }
    // Time ruler ticks every "nice" interval.
    double step = 1.0;
    for (double s : {0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0})
        if (view_len_ / s <= 12) { step = s; break; }
    for (double t = std::ceil(view_start_ / step) * step; t <= view_start_ + view_len_; t += step) {
        float x = x_of(t);
        dl->AddLine(ImVec2(x, p0.y), ImVec2(x, p0.y + 6), IM_COL32(200, 200, 200, 160));
        char buf[32];
        std::snprintf(buf, sizeof buf, step < 1 ? "%.2f" : "%.0f", t);
        dl->AddText(ImVec2(x + 2, p0.y), IM_COL32(200, 200, 200, 160), buf);
    }
    // Selection.
    if (*sel_b > *sel_a) {
        float xa = std::max(p0.x, x_of(*sel_a)), xb = std::min(p1.x, x_of(*sel_b));
        if (xb > xa) {
            dl->AddRectFilled(ImVec2(xa, p0.y), ImVec2(xb, p1.y), IM_COL32(255, 200, 60, 50));
            dl->AddLine(ImVec2(xa, p0.y), ImVec2(xa, p1.y), IM_COL32(255, 200, 60, 220), 1.5f);
            dl->AddLine(ImVec2(xb, p0.y), ImVec2(xb, p1.y), IM_COL32(255, 200, 60, 220), 1.5f);
        }
    }
    // Playhead.
    if (playhead >= view_start_ && playhead <= view_start_ + view_len_) {
        float x = x_of(playhead);
        dl->AddLine(ImVec2(x, p0.y), ImVec2(x, p1.y), IM_COL32(255, 80, 80, 255), 2.0f);
    }

    // Interaction: drag = select, click = seek, right click = clear, wheel = zoom.
    ImGuiIO& io = ImGui::GetIO();
    if (ImGui::IsItemActivated() && ImGui::IsMouseDown(ImGuiMouseButton_Left)) {
        dragging_ = true;
        press_x_ = io.MousePos.x;
        drag_from_ = snap_t(t_of(io.MousePos.x));
    }
    if (dragging_ && ImGui::IsMouseDown(ImGuiMouseButton_Left) && std::fabs(io.MousePos.x - press_x_) > 3) {
        double t = snap_t(t_of(io.MousePos.x));
        *sel_a = std::min(drag_from_, t);
        *sel_b = std::max(drag_from_, t);
        res.selection_changed = true;
    }
    if (dragging_ && !ImGui::IsMouseDown(ImGuiMouseButton_Left)) {
        dragging_ = false;
        if (std::fabs(io.MousePos.x - press_x_) <= 3) {
            res.seek = true;
            res.seek_to = t_of(io.MousePos.x);
        }
    }
    if (ImGui::IsItemHovered() && ImGui::IsMouseClicked(ImGuiMouseButton_Right)) {
        *sel_a = *sel_b = 0.0;
        res.selection_changed = true;
    }
    if (ImGui::IsItemHovered() && io.MouseWheel != 0.0f) {
        if (io.KeyShift) {
            double total = d.seconds;
            view_start_ = std::clamp(view_start_ - io.MouseWheel * view_len_ * 0.1, 0.0, std::max(0.0, total - view_len_));
        } else {
            zoom(io.MouseWheel > 0 ? 1.25 : 0.8, t_of(io.MousePos.x));
        }
    }
    if (ImGui::IsItemHovered()) {
        ImGui::BeginTooltip();
        ImGui::Text("%.2f s", t_of(io.MousePos.x));
        ImGui::TextDisabled("drag: select   click: seek   right-click: clear   wheel: zoom   shift+wheel: scroll");
        ImGui::EndTooltip();
    }
    return res;
}

}  // namespace acestep::app
