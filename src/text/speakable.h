// Text made speakable: what eSpeak NG is given for a span of the story.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace troupe {

class Lexicon;

// What speakable() needs to know besides the text.
struct SpeakContext {
  std::string reader_name;  // spoken for Y/N, (Y/N), [Y/N], y/n, Y/F/N, {{user}}; "you" when empty
  std::string reader_last_name;      // spoken for Y/L/N; dropped when empty
  std::string main_character;        // spoken for {{char}}; "they" when empty
  const Lexicon* lexicon = nullptr;  // [pronounce] and voices/lexicon/ entries; may be null
  bool read_notes = false;  // speak inline notes ([Footnote: ...]) instead of dropping them
};

// The words of a span as they should be spoken: plain text that eSpeak NG reads right, except
// that lexicon entries and some interjections become eSpeak NG phonemes in [[...]].
//  - the reader's placeholders (Y/N, {{user}}, Y/L/N, {{char}} ...) become names;
//  - markup (_x_, *x*, **x**, ~x~, HTML tags and entities, [editorial brackets]) loses its marks;
//    footnote marks ([1], †) and inline notes ([Footnote: ...], [Illustration: ...]) are dropped;
//  - ellipses and dashes become pauses eSpeak NG honours ("..." and ","); & reads "and";
//    numbers, years, times, ordinals, 6.5k and "NCT 127" become words; emoji and ornaments go;
//  - interjections (Hm, Mhm, Shh, Psst, Tsk ...) are spoken as sounds, not spelled out;
//  - lexicon words are replaced, whole-word and case-aware.
std::string speakable(std::string_view text, const SpeakContext& context);

// A sentence of a span: where its words stand as written, and where they stand in the spoken
// text (byte ranges). The two are kept apart: subtitles show the written words, eSpeak NG is
// given the spoken ones.
struct SentenceSpan {
  std::size_t written_begin = 0, written_end = 0;
  std::size_t spoken_begin = 0, spoken_end = 0;  // empty when nothing of it is spoken
};

// A span made speakable sentence by sentence: `spoken` is the sentences' spoken words joined
// by spaces, and `sentences` says which written sentence each part comes from.
struct SpokenText {
  std::string spoken;
  std::vector<SentenceSpan> sentences;
};
SpokenText speakable_sentences(std::string_view text, const SpeakContext& context);

// The sentences of written text, as byte ranges without the spaces between them. A sentence
// ends after . ! ? or … (and any closing quote, bracket or emphasis mark) before a space and a
// word that is not lower-case; never inside brackets, after a title (Mr., Dr.) or an initial.
// A sentence over 1000 bytes is cut between words, after a comma if it can be.
std::vector<std::pair<std::size_t, std::size_t>> sentences_of(std::string_view text);

// The same with no reader name, lexicon or main character.
std::string speakable(std::string_view text);

// Whether a word in capitals is read as a word (it is then given to eSpeak NG capitalised, "Neo")
// rather than spelled: it has a vowel (A E I O U), starts with a vowel or an English onset of
// two or three consonants (ST, TW, STR; not BT), has no more than three consonants together
// (Y is no consonant there), is not a spelled initialism of a short list (CEO, USA, OK, TV ...),
// and has two letters only when it is an English word (NO, GO, US). NEO, DIA, NASA, UNICEF are
// read; NCT, BTS, SM, JYP are spelled. A lexicon entry for the word wins.
bool capitals_read_as_word(std::string_view word);

// Whether a chapter title is not spoken: empty, only digits ("000"), or the story file's ID
// ("000_6874ef4b4f612f50", "6874ef4b4f612f50": digits, hex letters, '_' and '-' with a digit,
// found in the file's name). A word title taken from a file name ("idols") is spoken.
bool is_unspoken_title(std::string_view title, std::string_view file_name);

// Numbers as words, for speakable() and its tests.
std::string cardinal_words(std::uint64_t n);  // 127 -> "one hundred twenty-seven"
std::string ordinal_words(std::uint64_t n);   // 21 -> "twenty-first"
std::string year_words(int year);             // 1999 -> "nineteen ninety-nine"

}  // namespace troupe
