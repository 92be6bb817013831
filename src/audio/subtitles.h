// Subtitles for a chapter: SRT and WebVTT cues that carry the speaker's name and the words.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace troupe {

struct Cue {
  double start = 0, end = 0;  // seconds from the start of the chapter's file
  std::string speaker, text;
  std::vector<double> words;  // when each spoken word in the cue begins (seconds), in order
  std::vector<std::size_t> word_offsets = {};  // where each is in the text spoken (code points)
};

// A word of an utterance: where it is in the text (Unicode code points) and when it starts.
struct TimedWord {
  std::size_t char_offset = 0, char_length = 0;
  double time = 0;  // seconds from the start of the chapter's file
};

// A sentence of an utterance: its words as written (what a cue shows), and where its spoken
// words begin in the text eSpeak NG was given, in code points (what word times index).
struct CueSentence {
  std::string written;
  std::size_t spoken_offset = 0;
};

// The cues of one utterance spoken from start to end: one per sentence, timed from the word
// that begins the sentence's spoken words; a sentence too short to read (under a little more
// than half a second) joins the cue before it, and a long one is split at a comma (or between
// words) so that no cue runs much past kCueChars characters, its time shared by length.
// Without word times the utterance is one cue. Each word's time goes to the cue it falls in.
constexpr std::size_t kCueChars = 84;
std::vector<Cue> utterance_cues(const std::vector<CueSentence>& sentences,
                                const std::string& speaker, const std::vector<TimedWord>& words,
                                double start, double end);

// "1\n00:00:01,830 --> 00:00:04,200\nSpeaker: words\n\n..."
std::string srt_text(const std::vector<Cue>& cues);
// "WEBVTT\n\n00:00:01.830 --> 00:00:04.200\n<v Speaker>words\n\n..."
std::string webvtt_text(const std::vector<Cue>& cues);

}  // namespace troupe
