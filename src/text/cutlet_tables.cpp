// cutlet 0.5.0 mapping.py: the Hepburn table and add_dakuten(), transcribed entry by entry.
// Duplicate keys in the Python literal (う, ゐ, ゑ, こ) keep their last value, as a dict does.
#include "text/cutlet_tables.h"

namespace acestep::text::cutlet {

std::unordered_map<std::u32string, std::u32string> hepburn_table() {
    static const std::pair<const char32_t*, const char32_t*> kEntries[] = {
        // single characters
        {U"あ", U"a"}, {U"い", U"i"}, {U"う", U"u"}, {U"え", U"e"}, {U"お", U"o"},
        {U"か", U"ka"}, {U"き", U"ki"}, {U"く", U"ku"}, {U"け", U"ke"}, {U"こ", U"ko"},
        {U"が", U"ga"}, {U"ぎ", U"gi"}, {U"ぐ", U"gu"}, {U"げ", U"ge"}, {U"ご", U"go"},
        {U"さ", U"sa"}, {U"し", U"shi"}, {U"す", U"su"}, {U"せ", U"se"}, {U"そ", U"so"},
        {U"ざ", U"za"}, {U"じ", U"ji"}, {U"ず", U"zu"}, {U"ぜ", U"ze"}, {U"ぞ", U"zo"},
        {U"た", U"ta"}, {U"ち", U"chi"}, {U"つ", U"tsu"}, {U"て", U"te"}, {U"と", U"to"},
        {U"だ", U"da"}, {U"ぢ", U"zi"}, {U"づ", U"zu"}, {U"で", U"de"}, {U"ど", U"do"},
        {U"な", U"na"}, {U"に", U"ni"}, {U"ぬ", U"nu"}, {U"ね", U"ne"}, {U"の", U"no"},
        {U"は", U"ha"}, {U"ひ", U"hi"}, {U"ふ", U"fu"}, {U"へ", U"he"}, {U"ほ", U"ho"},
        {U"ば", U"ba"}, {U"び", U"bi"}, {U"ぶ", U"bu"}, {U"べ", U"be"}, {U"ぼ", U"bo"},
        {U"ぱ", U"pa"}, {U"ぴ", U"pi"}, {U"ぷ", U"pu"}, {U"ぺ", U"pe"}, {U"ぽ", U"po"},
        {U"ま", U"ma"}, {U"み", U"mi"}, {U"む", U"mu"}, {U"め", U"me"}, {U"も", U"mo"},
        {U"や", U"ya"}, {U"ゆ", U"yu"}, {U"よ", U"yo"},
        {U"ら", U"ra"}, {U"り", U"ri"}, {U"る", U"ru"}, {U"れ", U"re"}, {U"ろ", U"ro"},
        {U"わ", U"wa"}, {U"ゐ", U"yi"}, {U"う", U"u"}, {U"ゑ", U"ye"}, {U"を", U"wo"}, {U"ん", U"n"},
        // obsolete / unusual
        {U"ゑ", U"we"}, {U"ゐ", U"wi"}, {U"ゔ", U"vu"},
        {U"ヸ", U"vi"}, {U"ヷ", U"va"}, {U"わ\u3099", U"va"}, {U"ヹ", U"ve"}, {U"ゑ\u3099", U"ve"},
        {U"ヺ", U"vo"}, {U"を\u3099", U"vo"},
        // sutegana
        {U"ゃ", U"ya"}, {U"ゅ", U"yu"}, {U"ょ", U"yo"},
        {U"ぁ", U"a"}, {U"ぃ", U"i"}, {U"ぅ", U"u"}, {U"ぇ", U"e"}, {U"ぉ", U"o"},
        // unusual sutegana (Ainu, Taiwanese)
        {U"ゕ", U"ka"}, {U"ㇰ", U"k"}, {U"ゖ", U"ke"}, {U"ヶ", U"ga"}, {U"こ", U"ko"},
        {U"ㇱ", U"shi"}, {U"ㇲ", U"su"}, {U"ㇳ", U"to"}, {U"ㇴ", U"nu"}, {U"ㇵ", U"ha"},
        {U"ㇶ", U"hi"}, {U"ㇷ", U"fu"}, {U"ㇸ", U"he"}, {U"ㇹ", U"ho"}, {U"ㇺ", U"mu"},
        {U"ㇻ", U"ra"}, {U"ㇼ", U"ri"}, {U"ㇽ", U"ru"}, {U"ㇾ", U"re"}, {U"ㇿ", U"ro"},
        {U"ゎ", U"wa"}, {U"ㇷ\u309A", U"p"},
        // small kana extension
        {U"\U0001B150", U"wi"}, {U"\U0001B151", U"we"}, {U"\U0001B152", U"wo"},
        {U"\U0001B164", U"wi"}, {U"\U0001B165", U"we"}, {U"\U0001B166", U"wo"}, {U"\U0001B167", U"n"},
        // digraphs
        {U"しゃ", U"sha"}, {U"しゅ", U"shu"}, {U"しょ", U"sho"},
        {U"じゃ", U"ja"}, {U"じゅ", U"ju"}, {U"じょ", U"jo"},
        {U"ちゃ", U"cha"}, {U"ちゅ", U"chu"}, {U"ちょ", U"cho"},
        // symbols
        {U"ー", U"-"}, {U"。", U"."}, {U"、", U","}, {U"？", U"?"}, {U"！", U"!"},
        {U"「", U"\""}, {U"」", U"\""}, {U"『", U"\""}, {U"』", U"\""}, {U"：", U":"},
        {U"（", U"("}, {U"）", U")"}, {U"《", U"("}, {U"》", U")"}, {U"【", U"["}, {U"】", U"]"},
        {U"・", U"/"}, {U"，", U","},
        // lone combining (han)dakuten: discarded
        {U"\u309A", U""}, {U"\u3099", U""},
    };
    std::unordered_map<std::u32string, std::u32string> t;
    for (const auto& [k, v] : kEntries) t[k] = v;
    return t;
}

char32_t add_dakuten(char32_t kana) {
    static const std::u32string unvoiced = U"かきくけこさしすせそたちつてとはひふへほ";
    static const std::u32string voiced = U"がぎぐげござじずぜぞだぢづでどばびぶべぼ";
    const size_t i = unvoiced.find(kana);
    return i == std::u32string::npos ? 0 : voiced[i];
}

}  // namespace acestep::text::cutlet
