// The speaker of each quotation troupe finds in made-up text, in order: what most attribution
// tests assert on.
#pragma once

#include <string>
#include <vector>

#include "attribution/attribute.h"
#include "text/reader.h"

namespace troupe {

inline std::vector<std::string> quote_speakers(const std::string& text,
                                               const AttributionOptions& options = {}) {
  std::vector<std::string> out;
  const Script script = attribute(story_from_text(text, "test.txt"), options);
  for (const auto& chapter : script.chapters)
    for (const auto& line : chapter.lines)
      if (line.kind == LineKind::Quote) out.push_back(line.speaker);
  return out;
}

}  // namespace troupe
