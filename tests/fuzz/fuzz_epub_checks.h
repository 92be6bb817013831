// What the EPUB fuzz target does with one input, shared with the test that replays its corpus
// and crash files (tests/test_epub.cpp): bad input may only be an InputError, and the story
// and script invariants of fuzz_checks.h must hold.
#pragma once

#include <string_view>

#include "fuzz_checks.h"
#include "sources/epub_reader.h"

namespace troupe::fuzz {

// EPUB bytes -> read_epub -> attribute.
inline void run_epub_input(std::string_view bytes) {
  static const ScratchFile file("book.epub");
  Story story;
  try {
    story = read_epub(file.write(bytes));
  } catch (const InputError&) {
    return;
  }
  check_story(story);
  check_script(attribute(story));
}

}  // namespace troupe::fuzz
