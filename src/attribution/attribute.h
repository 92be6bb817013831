// Attribution: turns a Story into a Script where every quotation has a speaker.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "attribution/characters.h"
#include "attribution/script.h"
#include "text/story.h"

namespace troupe {

struct SpeakerPin {
  std::string quote;    // the quotation's words, or their start
  std::string speaker;  // who says it
};

struct AttributionOptions {
  CastHints hints;
  std::vector<SpeakerPin> pins;
};

Script attribute(const Story& story, const AttributionOptions& options = {});

}  // namespace troupe
