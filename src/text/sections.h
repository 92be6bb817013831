// Section numbers and scene breaks: where a new scene starts inside a chapter.
#pragma once

#include <string_view>

#include "text/story.h"

namespace troupe {

// Whether a paragraph is only a section number, as a centred "II." or a bracketed "[III]" that
// opens a new section inside a chapter: a roman numeral in capitals or up to three digits, with
// an optional dot, in optional brackets. Defined in reader.cpp.
bool is_section_number(std::string_view text);

// Whether a new scene starts at this paragraph: a break line ("* * *", a blank-line gap the
// format marks) or a section number.
inline bool opens_scene(const Paragraph& p) {
  return p.kind == ParagraphKind::SceneBreak ||
         (p.kind == ParagraphKind::Text && p.quotes.empty() && is_section_number(p.text));
}

}  // namespace troupe
