// The attributed script: every span of a story, in order, with who speaks it.
#pragma once

#include <string>
#include <vector>

#include "common/gender.h"

namespace troupe {

enum class LineKind { Title, Narration, Quote, Pause, Skipped };
enum class PauseKind { None, SceneBreak };
// How a line is delivered, from its speech tag ("she whispered", "he shouted").
enum class Delivery { Normal, Soft, Loud };

inline constexpr const char* kNarratorLabel = "narrator";
inline constexpr const char* kUnknownLabel = "unknown";  // a speaker nobody could be found for

struct ScriptLine {
  LineKind kind = LineKind::Narration;
  int line = 0;         // 1-based line in Chapter source of the first character
  std::string speaker;  // kNarratorLabel for narration and titles
  std::string text;     // as written (quotes without their marks)
  std::string say;      // as it will be spoken (filled after attribution; see
                        // render/prepare); "" for pauses and skipped text
  std::string rule;     // for quotes: which rule decided the speaker
  Delivery delivery = Delivery::Normal;
  PauseKind pause = PauseKind::None;
  bool paragraph_start = false;  // first span of a paragraph (a longer pause before it)
  std::string source;            // Paragraph::source: the archive's document `line` counts in
};

struct ChapterScript {
  std::string title;
  std::string source;
  std::vector<ScriptLine> lines;
};

struct Character {
  std::string name;                  // the label it is voiced as
  std::vector<std::string> aliases;  // other names that refer to it
  Gender gender = Gender::Unknown;
  bool is_reader = false;        // "you" of second-person fiction
  bool is_first_person = false;  // "I" of first-person fiction
  bool is_group = false;         // "the girls", several speaking at once: never in turns
};

struct Script {
  std::string title;
  std::vector<Character> characters;
  std::vector<ChapterScript> chapters;
};

}  // namespace troupe
