#include "text/speakable.h"

namespace troupe {

std::string speakable(std::string_view text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == '_' || c == '*' || c == '~') continue;
    if (c == ' ' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

}  // namespace troupe
