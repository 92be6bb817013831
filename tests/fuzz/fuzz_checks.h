// What the fuzz targets do with one input, shared with the regression test
// (tests/test_fuzz_regressions.cpp) so that every corpus and crash file runs through the same
// code in the normal test build.
//
// Bad input may throw troupe::InputError; anything else (another exception, a broken invariant
// reported as std::logic_error, a sanitizer report) is a bug.
#pragma once

#include <unistd.h>

#include <cstddef>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <string_view>

#include "attribution/attribute.h"
#include "casting/cast_file.h"
#include "common/errors.h"
#include "text/encoding.h"
#include "text/reader.h"
#include "text/utf8.h"

namespace troupe::fuzz {

inline void expect(bool ok, const std::string& what) {
  if (!ok) throw std::logic_error("fuzz invariant broken: " + what);
}

inline void expect_utf8(std::string_view text, const std::string& what) {
  expect(!first_invalid_utf8(text).has_value(), what + " is not valid UTF-8");
}

// Quotation spans lie inside their paragraph, in order, on code point boundaries.
inline void check_story(const Story& story) {
  for (const Chapter& chapter : story.chapters) {
    expect_utf8(chapter.title, "a chapter title");
    for (const Paragraph& p : chapter.paragraphs) {
      expect_utf8(p.text, "a paragraph");
      expect(p.line >= 1, "a paragraph's line is " + std::to_string(p.line));
      std::size_t previous_end = 0;
      for (const Quote& q : p.quotes) {
        expect(q.begin <= q.end && q.end <= p.text.size(), "a quotation span is out of range");
        expect(q.begin >= previous_end, "quotations overlap");
        expect_utf8(std::string_view(p.text).substr(q.begin, q.end - q.begin), "a quotation");
        expect(q.line >= p.line, "a quotation's line is before its paragraph");
        previous_end = q.end;
      }
    }
  }
}

inline void check_script(const Script& script) {
  for (const ChapterScript& chapter : script.chapters) {
    for (const ScriptLine& line : chapter.lines) {
      expect_utf8(line.text, "a script line");
      expect(line.kind == LineKind::Pause || line.kind == LineKind::Title || line.line >= 1,
             "a script line's line is " + std::to_string(line.line));
      if (line.kind == LineKind::Quote)
        expect(!line.speaker.empty(), "a quotation without speaker");
    }
  }
}

// Story bytes -> decode_text (byte-order marks, UTF-16) -> story_from_text -> attribute.
inline void run_story_input(std::string_view bytes) {
  Story story;
  try {
    story = story_from_text(decode_text(bytes, "fuzz.txt"), "fuzz.txt");
  } catch (const InputError&) {
    return;
  }
  check_story(story);
  check_script(attribute(story));
}

// A scratch file of this process, removed at exit.
class ScratchFile {
 public:
  explicit ScratchFile(const std::string& name)
      : path_((std::filesystem::temp_directory_path() /
               ("troupe-fuzz-" + std::to_string(::getpid()) + "-" + name))
                  .string()) {}
  ~ScratchFile() { std::remove(path_.c_str()); }
  ScratchFile(const ScratchFile&) = delete;
  ScratchFile& operator=(const ScratchFile&) = delete;

  const std::string& write(std::string_view bytes) const {
    std::ofstream out(path_, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    expect(out.good(), "cannot write " + path_);
    return path_;
  }

 private:
  std::string path_;
};

inline bool same_cast(const CastFile& a, const CastFile& b) {
  if (a.narrator != b.narrator || a.main_character != b.main_character) return false;
  if (a.reader.present != b.reader.present || a.reader.name != b.reader.name ||
      a.reader.last_name != b.reader.last_name || a.reader.aliases != b.reader.aliases ||
      a.reader.gender != b.reader.gender || a.reader.voice != b.reader.voice)
    return false;
  if (a.characters.size() != b.characters.size() || a.pronounce != b.pronounce ||
      a.pins.size() != b.pins.size())
    return false;
  for (std::size_t i = 0; i < a.characters.size(); ++i) {
    const CharacterSpec &x = a.characters[i], &y = b.characters[i];
    if (x.name != y.name || x.aliases != y.aliases || x.gender != y.gender || x.voice != y.voice)
      return false;
  }
  for (std::size_t i = 0; i < a.pins.size(); ++i)
    if (a.pins[i].quote != b.pins[i].quote || a.pins[i].speaker != b.pins[i].speaker) return false;
  return true;
}

// Cast file bytes -> read_cast_file; a cast that reads must also survive cast_file_toml and
// read back the same.
inline void run_cast_input(std::string_view bytes) {
  static const ScratchFile file("cast.toml");
  static const ScratchFile copy("cast-copy.toml");
  CastFile cast;
  try {
    cast = read_cast_file(file.write(bytes));
  } catch (const InputError&) {
    return;
  }
  CastFile again;
  const std::string written = cast_file_toml(cast);
  try {
    again = read_cast_file(copy.write(written));
  } catch (const InputError& e) {
    throw std::logic_error(std::string("cast_file_toml wrote a file that does not read back: ") +
                           e.what() + "\n" + written);
  }
  expect(same_cast(cast, again), "cast_file_toml does not round-trip:\n" + written);
}

}  // namespace troupe::fuzz
