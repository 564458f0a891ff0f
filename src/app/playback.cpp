// PortAudio playback transport (see playback.h).
#include "app/playback.h"

#include <portaudio.h>

#include <algorithm>
#include <cmath>

#ifdef ACESTEP_HAVE_ALSA
#include <alsa/asoundlib.h>
static void quiet_alsa(const char*, int, const char*, int, const char*, ...) {}
#endif

namespace acestep::app {

static int pa_callback(const void*, void* out, unsigned long frames, const PaStreamCallbackTimeInfo*,
                       PaStreamCallbackFlags, void* self) {
    return ((Player*)self)->fill((float*)out, frames);
}

Player::Player() {
#ifdef ACESTEP_HAVE_ALSA
    // ALSA prints dozens of "cannot find card" lines on machines without a sound card.
    snd_lib_error_set_handler(quiet_alsa);
#endif
    PaError err = Pa_Initialize();
    if (err != paNoError) {
        message_ = std::string("audio output unavailable: ") + Pa_GetErrorText(err);
        return;
    }
    pa_ok_ = true;
    int n = Pa_GetDeviceCount();
    for (int i = 0; i < n; ++i) {
        const PaDeviceInfo* info = Pa_GetDeviceInfo(i);
        if (!info || info->maxOutputChannels < 1) continue;
        const PaHostApiInfo* host = Pa_GetHostApiInfo(info->hostApi);
        devices_.push_back(std::string(info->name) + " (" + (host ? host->name : "?") + ")");
        device_ids_.push_back(i);
    }
    if (devices_.empty())
        message_ = "No audio output device found: playback is off (generation and export still work).";
}

Player::~Player() {
    close_stream();
    if (pa_ok_) Pa_Terminate();
}

bool Player::select_device(const std::string& name) {
    bool was_playing = playing_;
    close_stream();
    device_id_ = -1;
    device_name_.clear();
    if (!name.empty()) {
        for (size_t i = 0; i < devices_.size(); ++i)
            if (devices_[i] == name) {
                device_id_ = device_ids_[i];
                device_name_ = name;
            }
        if (device_id_ < 0) {
            message_ = "audio device '" + name + "' is not present; using the default";
            return false;
        }
    }
    if (was_playing) play();
    return true;
}

void Player::set_source(int slot, std::shared_ptr<const Audio> audio, const std::string& label) {
    slot &= 1;
    double rms = 0;
    if (audio && audio->frames > 0) {
        double acc = 0;
        for (float v : audio->samples) acc += double(v) * v;
        rms = std::sqrt(acc / audio->samples.size());
    }
    bool restart = false;
    {
        std::lock_guard<std::mutex> lk(mu_);
        // Keep the playhead in seconds when the active source changes.
        if (slot == active_ && src_[slot] && audio && src_[slot]->sample_rate != audio->sample_rate)
            pos_ = int64_t(double(pos_) / src_[slot]->sample_rate * audio->sample_rate);
        if (slot == active_ && audio && pos_ >= audio->frames) pos_ = 0;
        src_[slot] = std::move(audio);
        labels_[slot] = label;
        rms_[slot] = rms;
        restart = slot == active_ && playing_ && src_[slot] && src_[slot]->sample_rate != stream_rate_;
    }
    if (slot == active_ && !src_[slot]) stop();
    if (restart) {
        close_stream();
        play();
    }
}

bool Player::has_source(int slot) const {
    std::lock_guard<std::mutex> lk(mu_);
    return (bool)src_[slot & 1];
}

void Player::set_active(int slot) {
    slot &= 1;
    if (slot == active_) return;
    double t = position();
    bool was = playing_;
    int old_rate = 0, new_rate = 0;
    {
        std::lock_guard<std::mutex> lk(mu_);
        if (!src_[slot]) return;
        old_rate = stream_rate_;
        new_rate = src_[slot]->sample_rate;
        active_ = slot;
        pos_ = std::min<int64_t>(int64_t(t * new_rate), src_[slot]->frames);
    }
    if (was && old_rate != new_rate) {
        close_stream();
        play();
    }
}

float Player::gain(int slot) const {
    slot &= 1;
    if (!level_match_ || slot == 0) return 1.0f;
    std::lock_guard<std::mutex> lk(mu_);
    if (rms_[0] <= 1e-9 || rms_[1] <= 1e-9) return 1.0f;
    return (float)std::clamp(rms_[0] / rms_[1], 0.1, 10.0);
}

bool Player::open_stream(int rate) {
    if (!available()) {
        if (message_.empty()) message_ = "No audio output device found: playback is off.";
        return false;
    }
    int dev = device_id_ >= 0 ? device_id_ : Pa_GetDefaultOutputDevice();
    if (dev < 0) dev = device_ids_.front();
    PaStreamParameters out{};
    out.device = dev;
    out.channelCount = 2;
    out.sampleFormat = paFloat32;
    const PaDeviceInfo* info = Pa_GetDeviceInfo(dev);
    out.suggestedLatency = info ? info->defaultHighOutputLatency : 0.1;
    PaStream* s = nullptr;
    PaError err = Pa_OpenStream(&s, nullptr, &out, rate, 512, paNoFlag, &pa_callback, this);
    if (err != paNoError) {
        message_ = std::string("cannot open the audio output: ") + Pa_GetErrorText(err);
        return false;
    }
    err = Pa_StartStream(s);
    if (err != paNoError) {
        Pa_CloseStream(s);
        message_ = std::string("cannot start the audio output: ") + Pa_GetErrorText(err);
        return false;
    }
    stream_ = s;
    stream_rate_ = rate;
    message_.clear();
    return true;
}

void Player::close_stream() {
    if (!stream_) return;
    PaStream* s = (PaStream*)stream_;
    stream_ = nullptr;
    Pa_AbortStream(s);
    Pa_CloseStream(s);
    stream_rate_ = 0;
}

void Player::play() {
    int rate;
    {
        std::lock_guard<std::mutex> lk(mu_);
        auto& s = src_[active_];
        if (!s || s->frames == 0) return;
        if (pos_ >= s->frames) pos_ = 0;
        rate = s->sample_rate;
    }
    if (stream_ && stream_rate_ != rate) close_stream();
    playing_ = true;
    if (!stream_ && !open_stream(rate)) playing_ = false;
}

void Player::pause() {
    playing_ = false;
    close_stream();
}

void Player::stop() {
    pause();
    pos_ = 0;
    if (loop_) seek(loop_a_);
}

void Player::seek(double seconds) {
    std::lock_guard<std::mutex> lk(mu_);
    auto& s = src_[active_];
    if (!s) return;
    pos_ = std::clamp<int64_t>(int64_t(seconds * s->sample_rate), 0, s->frames);
}

void Player::set_loop(bool on, double a, double b) {
    if (b < a) std::swap(a, b);
    loop_a_ = a;
    loop_b_ = b;
    loop_ = on && b - a > 0.01;
}

double Player::position() const {
    std::lock_guard<std::mutex> lk(mu_);
    auto& s = src_[active_];
    return s && s->sample_rate ? double(pos_) / s->sample_rate : 0.0;
}

void Player::reset_played_range() {
    std::lock_guard<std::mutex> lk(mu_);
    played_lo_ = played_hi_ = -1;
}

std::pair<double, double> Player::played_range() const {
    std::lock_guard<std::mutex> lk(mu_);
    auto& s = src_[active_];
    if (!s || !s->sample_rate || played_lo_ < 0) return {0.0, 0.0};
    return {double(played_lo_) / s->sample_rate, double(played_hi_ + 1) / s->sample_rate};
}

double Player::duration() const {
    std::lock_guard<std::mutex> lk(mu_);
    auto& s = src_[active_];
    return s ? s->seconds() : 0.0;
}


int Player::fill(float* out, unsigned long frames) {
    std::fill(out, out + frames * 2, 0.0f);
    if (!playing_) return paContinue;
    std::unique_lock<std::mutex> lk(mu_, std::try_to_lock);
    if (!lk.owns_lock()) return paContinue;
    int slot = active_;
    auto& s = src_[slot];
    if (!s || s->frames == 0) return paContinue;
    float g = 1.0f;
    if (level_match_ && slot == 1 && rms_[0] > 1e-9 && rms_[1] > 1e-9) g = (float)std::clamp(rms_[0] / rms_[1], 0.1, 10.0);
    int64_t pos = pos_;
    int64_t a = int64_t(loop_a_ * s->sample_rate), b = std::min<int64_t>(int64_t(loop_b_ * s->sample_rate), s->frames);
    const float* l = s->channel(0);
    const float* r = s->channel(s->channels > 1 ? 1 : 0);
    int64_t lo = played_lo_, hi = played_hi_;
    for (unsigned long i = 0; i < frames; ++i) {
        if (loop_ && b > a && pos >= b) pos = a;
        if (pos >= s->frames) {
            playing_ = false;
            pos = 0;
            break;
        }
        out[2 * i] = l[pos] * g;
        out[2 * i + 1] = r[pos] * g;
        if (lo < 0 || pos < lo) lo = pos;
        if (pos > hi) hi = pos;
        ++pos;
        ++delivered_;
    }
    played_lo_ = lo;
    played_hi_ = hi;
    pos_ = pos;
    return paContinue;
}

}  // namespace acestep::app
