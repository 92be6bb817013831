// Names by their language: Korean (Revised Romanisation and fan spellings) and Japanese (Hepburn
// romaji) names read by syllable rules into eSpeak NG phonemes, and which names of a story are
// Korean or Japanese.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace troupe {

class Lexicon;

enum class NameLanguage { None, Korean, Japanese };

// "ko", "ja" (or "korean", "japanese") -> the language; anything else -> None.
NameLanguage name_language_of(std::string_view code);

// eSpeak NG phonemes (without [[ ]]) for a Korean name in romanisation, or nullopt when the word
// is not a run of Korean syllables. Syllables: onset? vowel coda?, parsed with the fewest
// syllables. Vowels a A:, eo V, o oU, u u:, eu U, i i:, ae/e E, oe/we/wae wE, wi wi:, ui i:,
// ya jA:, yeo jV, yo joU, yu ju:, ye/yae jE, wa wA:, wo wV; fan spellings oo/woo u:, ee i:,
// yoo ju:, you(ng) jV(N); "yu" before ng and "hyu" before any final are jV (Kyung, Jaehyun,
// Hyuk), "u" before ng is V (Jung, Sung); "ng" before a vowel is the final ng (Jeongin).
// Park and Choi, spelled by no romanisation, are listed; "ck" is a final k (Donghyuck).
// Consonants g k d t b p j dZ ch tS s (S before i) h m n r l; doubled kk tt pp ss jj one
// consonant; finals k/ck k, t t, p/b p, n, m, ng N, l. The first syllable is stressed.
std::optional<std::string> korean_phonemes(std::string_view word);

// eSpeak NG phonemes (without [[ ]]) for a Japanese name in Hepburn romaji, or nullopt. Morae:
// (consonant)(y) vowel, or n; a e i o u are A: E i: oU u, a final e is said (Sasuke), long
// vowels (ō, ou, oo, ū, uu, ii, ei) are oU u: i: eI; a doubled consonant is said once. Only
// Hepburn morae count (shi not si, tsu not tu, fu only). The first mora is stressed.
std::optional<std::string> japanese_phonemes(std::string_view word);

// The name language a story's words point to: Korean surnames beside a capitalised word, a
// given name of two single Korean syllables joined by a hyphen (Nam-jun) and Korean fandom words
// (oppa, hyung, idol ...) against Japanese ones (senpai, -chan, Tanaka
// beside a name ...), each distinct piece counted once (a hyphenated name twice). None unless
// one side has more than the other and at least two pieces, and at least one per hundred of
// the story's name mentions (words capitalised in mid-sentence), so a long English novel's few
// chance look-alikes (Song, Park, So-so) do not count.
NameLanguage story_name_language(std::string_view text);

// The names of a story (words written with a capital in mid-sentence, or the language's common
// surnames, at least as often as in lower case) that read as `language`: added to `lexicon` as
// shipped entries in lower case, so they match in any case, in titles and narration; a cast's
// [pronounce] entry still wins. `extra_names` (a cast's characters set to that language) are
// added whatever the story says.
void add_story_names(Lexicon& lexicon, std::string_view text, NameLanguage language,
                     const std::vector<std::string>& extra_names = {});

// add_story_names(lexicon, text, story_name_language(text)), the text's words found once (story
// 002's took 1.8 M instructions each time); returns that language.
NameLanguage add_story_names_in_their_language(Lexicon& lexicon, std::string_view text);

}  // namespace troupe
