// Text made speakable: what eSpeak NG is given for a span of the story.
#pragma once

#include <string>
#include <string_view>

namespace troupe {

// Markup marks (_, *, ~) dropped, white space folded.
std::string speakable(std::string_view text);

}  // namespace troupe
