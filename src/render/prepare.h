// Everything a story needs before audio: text read, cast file, voices, attribution, casting.
#pragma once

#include <exception>
#include <optional>
#include <string>
#include <vector>

#include "attribution/script.h"
#include "casting/cast_file.h"
#include "casting/casting.h"
#include "casting/voice_profile.h"
#include "text/speakable.h"
#include "text/story.h"

namespace troupe {

struct PrepareOptions {
  std::string cast_path;    // --cast; empty: found beside the story
  std::string voices_dir;   // --voices; empty: looked for as usual
  std::string reader_name;  // --reader: overrides the cast file's [reader] name
  bool read_notes = false;  // --read-notes: read metadata and notes instead of skipping them
  std::string encoding;     // --encoding: a story file's encoding when not UTF-8
};

struct PreparedStory {
  Story story;
  CastFile cast_file;
  std::vector<VoiceProfile> profiles;
  Script script;
  Cast cast;
  // For each chapter of the script, for each of its lines: the line's sentences, where they
  // stand in its text (as written) and in its say (as spoken).
  std::vector<std::vector<std::vector<SentenceSpan>>> sentences;
  // For each of cast_file.pins: whether it matched a quotation of this story.
  std::vector<bool> pin_matched;
};

// Reads and checks everything; throws InputError naming the file at fault.
PreparedStory prepare_story(const std::string& story_path, const PrepareOptions& options);

// prepare_story of each path, in the order given, on up to `threads` threads at once (the
// calling one included): stories are independent, and a batch of them is read and attributed
// before any is rendered, while the cores would otherwise wait (a single story's lines are made
// speakable on them instead). Each result is the story, or
// what prepare_story threw for it (rethrow it to report it).
struct PreparedOrError {
  std::optional<PreparedStory> story;
  std::exception_ptr error;
};
std::vector<PreparedOrError> prepare_stories(const std::vector<std::string>& story_paths,
                                             const PrepareOptions& options, int threads);

// Warns on stderr, naming the cast file and line, of every [[pin]] that matched no quotation in
// any of the stories (those sharing its cast file); the exit code is not changed.
void warn_unmatched_pins(const std::vector<const PreparedStory*>& stories);
void warn_unmatched_pins(const PreparedStory& story);

// The script's character of that name, or nullptr.
const Character* character_named(const Script& script, const std::string& name);

// How often each speaker speaks and in which chapters, most-heard first.
std::vector<SpeakerInfo> speakers_of(const Script& script);

}  // namespace troupe
