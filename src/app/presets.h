// Data of the official Text2Music panel (acestep/ui/components.py @ d612523, product spec §1.1, §1.7, §4):
// default tags and lyrics, the 10 genre presets of #142 / PR #143, the structure tags of the lyrics
// palette, and the edit-type presets.  Data only; the panels decide what to do with it.
#pragma once

#include <array>
#include <utility>

namespace acestep::app {

inline constexpr const char* kDefaultTags =
    "funk, pop, soul, rock, melodic, guitar, drums, bass, keyboard, percussion, 105 BPM, energetic, upbeat, "
    "groovy, vibrant, dynamic";

inline constexpr const char* kDefaultLyrics =
    "[verse]\nNeon lights they flicker bright\nCity hums in dead of night\nRhythms pulse through concrete veins\n"
    "Lost in echoes of refrains\n\n[verse]\nBassline groovin' in my chest\nHeartbeats match the city's zest\n"
    "Electric whispers fill the air\nSynthesized dreams everywhere\n\n[chorus]\nTurn it up and let it flow\n"
    "Feel the fire let it grow\nIn this rhythm we belong\nHear the night sing out our song\n\n[verse]\n"
    "Guitar strings they start to weep\nWake the soul from silent sleep\nEvery note a story told\n"
    "In this night we\xE2\x80\x99re bold and gold\n\n[bridge]\nVoices blend in harmony\nLost in pure cacophony\n"
    "Timeless echoes timeless cries\nSoulful shouts beneath the skies\n\n[verse]\nKeyboard dances on the keys\n"
    "Melodies on evening breeze\nCatch the tune and hold it tight\nIn this moment we take flight\n";

// "Custom" first; choosing it keeps the user's tags (the official UI wiped them, §1.8).
inline constexpr std::array<std::pair<const char*, const char*>, 11> kGenrePresets = {{
    {"Custom", ""},
    {"Modern Pop", "pop, synth, drums, guitar, 120 bpm, upbeat, catchy, vibrant, female vocals, polished vocals"},
    {"Rock", "rock, electric guitar, drums, bass, 130 bpm, energetic, rebellious, gritty, male vocals, raw vocals"},
    {"Hip Hop", "hip hop, 808 bass, hi-hats, synth, 90 bpm, bold, urban, intense, male vocals, rhythmic vocals"},
    {"Country", "country, acoustic guitar, steel guitar, fiddle, 100 bpm, heartfelt, rustic, warm, male vocals, twangy vocals"},
    {"EDM", "edm, synth, bass, kick drum, 128 bpm, euphoric, pulsating, energetic, instrumental"},
    {"Reggae", "reggae, guitar, bass, drums, 80 bpm, chill, soulful, positive, male vocals, smooth vocals"},
    {"Classical", "classical, orchestral, strings, piano, 60 bpm, elegant, emotive, timeless, instrumental"},
    {"Jazz", "jazz, saxophone, piano, double bass, 110 bpm, smooth, improvisational, soulful, male vocals, crooning vocals"},
    {"Metal", "metal, electric guitar, double kick drum, bass, 160 bpm, aggressive, intense, heavy, male vocals, screamed vocals"},
    {"R&B", "r&b, synth, bass, drums, 85 bpm, sultry, groovy, romantic, female vocals, silky vocals"},
}};

// The lyrics palette: the structure tags the official examples use most (§4), one per line.
inline constexpr std::array<const char*, 9> kStructureTags = {
    "[verse]", "[chorus]", "[bridge]", "[pre-chorus]", "[intro]", "[outro]", "[hook]", "[inst]", "[instrumental]"};

inline constexpr const char* kRapLora = "ACE-Step/ACE-Step-v1-chinese-rap-LoRA";

// Latent frame length in seconds: 512 samples x 8 at 44.1 kHz (about 93 ms); regions snap to it.
inline constexpr double kLatentFrameSeconds = 512.0 * 8.0 / 44100.0;

}  // namespace acestep::app
