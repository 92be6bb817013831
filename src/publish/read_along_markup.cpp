#include "publish/read_along_markup.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace troupe {
namespace {

std::string span_markup(const ReadAlongSpan& span, bool words, bool page) {
  std::string out = "<span id=\"" + span.id + "\" class=\"" + span.speaker + "\"";
  if (page) {
    char times[64];
    std::snprintf(times, sizeof times, " data-start=\"%.3f\"", span.start);
    out += times;
  }
  out += ">";
  if (!words || span.words.empty()) return out + xml_escape(span.text) + "</span>";
  std::size_t at = 0;
  for (std::size_t w = 0; w < span.words.size(); ++w) {
    const ReadAlongWord& word = span.words[w];
    out += xml_escape(span.text.substr(at, word.begin - at));
    out += "<span id=\"" + span.id + "w" + std::to_string(w + 1) + "\">" +
           xml_escape(span.text.substr(word.begin, word.end - word.begin)) + "</span>";
    at = word.end;
  }
  return out + xml_escape(span.text.substr(at)) + "</span>";
}

}  // namespace

std::string xml_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string chapter_markup(const ReadAlongChapter& chapter, bool words, bool page) {
  std::string out;
  if (chapter.blocks.empty() || chapter.blocks.front().kind != BlockKind::kHeading)
    out += "<h1>" + xml_escape(chapter.title) + "</h1>\n";
  for (const ReadAlongBlock& block : chapter.blocks) {
    if (block.kind == BlockKind::kSceneBreak) {
      out += "<hr class=\"scene-break\"/>\n";
      continue;
    }
    const char* tag = block.kind == BlockKind::kHeading ? "h1" : "p";
    out += std::string("<") + tag + ">";
    for (const ReadAlongPiece& piece : block.pieces)
      out += piece.span < 0
                 ? xml_escape(piece.text)
                 : span_markup(chapter.spans[static_cast<std::size_t>(piece.span)], words, page);
    out += std::string("</") + tag + ">\n";
  }
  return out;
}

std::string speaker_css(const ReadAlongBook& book, const std::string& active_class) {
  std::string out;
  for (const ReadAlongSpeaker& speaker : book.speakers)
    out += "." + speaker.css + "." + active_class + ", ." + speaker.css + " ." + active_class +
           " { background-color: " + speaker.colour + "; }\n";
  return out;
}

std::string clock_value(double seconds) {
  const long long ms = std::llround(std::max(0.0, seconds) * 1000.0);
  char text[48];
  std::snprintf(text, sizeof text, "%lld:%02lld:%02lld.%03lld", ms / 3600000, ms / 60000 % 60,
                ms / 1000 % 60, ms % 1000);
  return text;
}

}  // namespace troupe
