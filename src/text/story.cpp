#include "text/story.h"

#include <algorithm>

namespace troupe {

int Paragraph::line_of(std::size_t offset) const {
  int result = line;
  for (const auto& [start, number] : line_starts) {
    if (start > offset) break;
    result = number;
  }
  return result;
}

}  // namespace troupe
