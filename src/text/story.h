// Plain data for a story as read from text: chapters, paragraphs, quotations.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace troupe {

// One quotation inside a paragraph: [begin, end) is the byte span of the
// quoted words in Paragraph::text, without the quote marks.
struct Quote {
  std::size_t begin = 0;
  std::size_t end = 0;
  int line = 0;            // 1-based line of the opening mark in the source file
  bool closed = true;      // false: the paragraph ended before a closing mark
  bool continues = false;  // re-opened continuation of the previous paragraph's quotation
  // A paragraph without quote marks bridged inside a quotation left open before it (inset
  // verse, a letter read out), not the paragraph that closes the quotation.
  bool bridged = false;
  // Quotations quoted inside this one ("I said 'no,' you know"): byte spans in
  // Paragraph::text, marks included. The quoting speaker says them too.
  std::vector<std::pair<std::size_t, std::size_t>> nested;
};

// Whether byte `at` of a paragraph's text lies in one of the spans [begin, end).
inline bool in_spans(const std::vector<std::pair<std::size_t, std::size_t>>& spans,
                     std::size_t at) {
  for (const auto& [begin, end] : spans)
    if (at >= begin && at < end) return true;
  return false;
}

enum class ParagraphKind { Text, SceneBreak, Skipped };

struct Paragraph {
  ParagraphKind kind = ParagraphKind::Text;
  std::string text;  // source lines joined with single spaces
  int line = 0;      // 1-based line of the first character
  // Byte offset in `text` where each later source line begins, with its line number;
  // lets a byte offset be mapped back to its source line.
  std::vector<std::pair<std::size_t, int>> line_starts;
  std::vector<Quote> quotes;
  // The document inside an archive (an EPUB's content document) that `line` counts in, where
  // `line` is the paragraph's index in it; empty for a text file, where `line` is a line.
  std::string source;

  int line_of(std::size_t offset) const;
};

struct Chapter {
  std::string title;   // as written ("Chapter 3"); may be empty
  std::string source;  // the file the chapter was read from
  int line = 0;        // line of the heading (0 if none)
  std::vector<Paragraph> paragraphs;
};

// What a book says about itself (an EPUB's package metadata, an AO3 download's preface); empty
// for plain text.
struct StoryMetadata {
  std::string title, author, language, series, series_index;
  std::string fandom;                   // AO3's Fandom tags, ", " between them
  std::vector<std::string> characters;  // AO3's Character tags: the story's people
  std::string cover;                    // the cover image's bytes
  std::string cover_media_type;         // "image/jpeg", "image/png" ...
};

struct Story {
  std::string title;  // the book's own title, else from the file or folder name
  std::string path;   // what the user named
  std::vector<Chapter> chapters;
  StoryMetadata metadata = {};
};

}  // namespace troupe
