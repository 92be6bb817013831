// The cast file a user writes beside a story: narrator, reader, characters, pronunciations, pins.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "casting/voice_profile.h"
#include "common/gender.h"

namespace troupe {

struct CharacterSpec {
  std::string name;
  std::vector<std::string> aliases;
  std::optional<Gender> gender;
  std::string voice;  // a profile name; empty: cast automatically
  int line = 0;
};

// The "you" of second-person fiction.
struct ReaderSpec {
  std::string name, last_name;
  std::vector<std::string> aliases;
  std::optional<Gender> gender;
  std::string voice;
  bool present = false;  // the file has a [reader] table
  int line = 0;          // of the [reader] table (added: for error messages)
};

// A correction: the quotation starting with `quote` is spoken by `speaker`.
struct Pin {
  std::string quote, speaker;
  int line = 0;
};

struct CastFile {
  std::string path;
  std::string narrator;  // a profile name
  std::string main_character;
  std::string language;  // the story's names: "ko", "ja" or "en"; empty: decided from the story
  // Characters whose names are said in a language of their own: name -> "ko", "ja" or "en".
  std::vector<std::pair<std::string, std::string>> character_languages;
  ReaderSpec reader;
  std::vector<CharacterSpec> characters;                       // in file order
  std::vector<std::pair<std::string, std::string>> pronounce;  // word -> respelling, in file order
  std::vector<Pin> pins;
  int narrator_line = 0;  // of the narrator key (added: for error messages)
};

// Errors: syntax error (file:line), unknown key (names key and line), gender not m/f/x, an alias
// claimed by two characters (or equal to another character's name). Every key is optional.
CastFile read_cast_file(const std::string& path);

// Writes the same format back (for `troupe cast --write`).
std::string cast_file_toml(const CastFile& cast);

// The text of the cast file at `path` updated to hold `cast`, for `troupe cast --write`: when
// the file exists and is a cast file, only what differs is changed (a value replaced on its
// line, a key added to its table, a table appended), so its comments, order and layout stay.
// A file that is missing or no cast file, or a value that cannot be edited on its line (an
// inline table, a value over several lines), gets cast_file_toml(cast) instead.
std::string cast_file_text_for(const std::string& path, const CastFile& cast);

// For a story file stories/X.txt: stories/X.cast.toml beside it; for a folder: folder/cast.toml.
// Empty string if none exists.
std::string find_cast_file(const std::string& story_path);

// Checks that every voice named in the cast (narrator, reader, characters) is one of profiles;
// throws InputError naming the cast file and line otherwise.
void check_cast_voices(const CastFile& cast, const std::vector<VoiceProfile>& profiles);

}  // namespace troupe
