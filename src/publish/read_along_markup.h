// What the read-along EPUB and page share: markup written through libxml2's xmlTextWriter
// (which escapes every text and attribute value), the chapters' text as XHTML elements (valid
// HTML too), and the speakers' colours as CSS.
#pragma once

#include <string>
#include <string_view>

#include "publish/read_along.h"

typedef struct _xmlTextWriter xmlTextWriter;

namespace troupe {

// A document written front to back into memory. Xml: an element with no content is written
// empty ("<hr/>"); Html: only the void elements are, every other gets its end tag
// ("<audio></audio>"). Throws std::bad_alloc when libxml2 cannot write.
class Markup {
 public:
  enum class Syntax { kXml, kHtml };
  explicit Markup(Syntax syntax);
  ~Markup();
  Markup(const Markup&) = delete;
  Markup& operator=(const Markup&) = delete;

  Markup& declaration();  // <?xml version="1.0" encoding="UTF-8"?>
  Markup& doctype();      // <!DOCTYPE html>
  Markup& open(const char* name);
  Markup& attribute(const char* name, const std::string& value);
  Markup& text(std::string_view text);
  // Markup troupe made itself, as it is: a stylesheet, a script, a newline between elements.
  Markup& raw(std::string_view markup);
  Markup& close();
  // <name>text</name>
  Markup& element(const char* name, const std::string& text);

  // The document, every element closed.
  std::string str();

 private:
  void check(int result);

  xmlTextWriter* writer_ = nullptr;
  struct Buffer;
  Buffer* buffer_ = nullptr;
  Syntax syntax_;
  std::string open_;  // the names of the open elements, each followed by ' '
};

// The chapter's blocks: <h1> headings (the chapter's title when the script has none), <p>
// paragraphs and <hr class="scene-break"/>, each span in
// <span id="ID" class="SPEAKER">text</span>; with words, each word of a span in its own
// <span id="IDwN">; page: each span also carries its start (data-start) for the page's clicks.
// The readers' _italics_ marks become <em> elements.
void write_chapter(Markup& out, const ReadAlongChapter& chapter, bool words, bool page);

// text without the readers' _italics_ marks: for titles shown as plain text.
std::string without_italic_marks(const std::string& text);

// For every speaker: `.SPEAKER.ACTIVE, .SPEAKER .ACTIVE { background-color: COLOUR }`.
std::string speaker_css(const ReadAlongBook& book, const std::string& active_class);

// "0:01:02.345": a SMIL clock value, to the millisecond.
std::string clock_value(double seconds);

}  // namespace troupe
