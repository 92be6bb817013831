// What the HTML fuzz target does with one input, shared with the test that replays its corpus
// and crash files (tests/test_html.cpp): bad input may only be an InputError, the story and
// script invariants of fuzz_checks.h hold, and no paragraph or title holds markup (a tag or an
// entity written as text).
#pragma once

#include <string>
#include <string_view>

#include "fuzz_checks.h"
#include "sources/html_reader.h"
#include "sources/xhtml_text.h"

namespace troupe::fuzz {

inline void expect_no_markup(const std::string& text, const std::string& what) {
  expect(without_markup_residue(text) == text, what + " holds markup: " + text.substr(0, 200));
}

// HTML bytes -> story_from_html (a page or an AO3 download) -> attribute.
inline void run_html_input(std::string_view bytes) {
  Story story;
  try {
    story = story_from_html(bytes, "page.html");
  } catch (const InputError&) {
    return;
  }
  check_story(story);
  for (const Chapter& chapter : story.chapters) {
    expect_no_markup(chapter.title, "a chapter title");
    for (const Paragraph& p : chapter.paragraphs)
      if (p.kind == ParagraphKind::Text) expect_no_markup(p.text, "a paragraph");
  }
  check_script(attribute(story));
}

}  // namespace troupe::fuzz
