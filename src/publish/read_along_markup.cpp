#include "publish/read_along_markup.h"

#include <libxml/xmlwriter.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <memory>
#include <new>
#include <vector>

namespace troupe {

struct Markup::Buffer {
  xmlBufferPtr buffer = nullptr;
};

namespace {

const xmlChar* chars(const char* text) { return reinterpret_cast<const xmlChar*>(text); }

// HTML's elements that never have content, written "<hr/>" (HTML takes the slash too).
bool is_void(std::string_view name) {
  for (const char* v : {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                        "source", "track", "wbr"})
    if (name == v) return true;
  return false;
}

}  // namespace

Markup::Markup(Syntax syntax) : syntax_(syntax) {
  // Held until the writer is made: in troupe, the first call into libxml2 loads it, and throws
  // when it cannot (no destructor runs when a constructor throws).
  auto buffer = std::make_unique<Buffer>();
  buffer->buffer = xmlBufferCreate();
  if (buffer->buffer) writer_ = xmlNewTextWriterMemory(buffer->buffer, 0);
  if (!writer_) {
    if (buffer->buffer) xmlBufferFree(buffer->buffer);
    throw std::bad_alloc();
  }
  buffer_ = buffer.release();
}

Markup::~Markup() {
  xmlFreeTextWriter(writer_);
  xmlBufferFree(buffer_->buffer);
  delete buffer_;
}

void Markup::check(int result) {
  if (result < 0) throw std::bad_alloc();  // a memory writer fails for want of memory only
}

Markup& Markup::declaration() {
  // xmlTextWriter ends the declaration with a newline of its own.
  check(xmlTextWriterStartDocument(writer_, "1.0", "UTF-8", nullptr));
  return *this;
}

Markup& Markup::doctype() {
  check(xmlTextWriterWriteDTD(writer_, chars("html"), nullptr, nullptr, nullptr));
  return raw("\n");
}

Markup& Markup::open(const char* name) {
  check(xmlTextWriterStartElement(writer_, chars(name)));
  open_ += std::string(name) + ' ';
  return *this;
}

Markup& Markup::attribute(const char* name, const std::string& value) {
  check(xmlTextWriterWriteAttribute(writer_, chars(name), chars(value.c_str())));
  return *this;
}

Markup& Markup::text(std::string_view text) {
  if (!text.empty()) check(xmlTextWriterWriteString(writer_, chars(std::string(text).c_str())));
  return *this;
}

Markup& Markup::raw(std::string_view markup) {
  if (!markup.empty())
    check(xmlTextWriterWriteRawLen(writer_, reinterpret_cast<const xmlChar*>(markup.data()),
                                   static_cast<int>(markup.size())));
  return *this;
}

Markup& Markup::close() {
  const std::size_t space = open_.rfind(' ', open_.size() - 2);
  const std::size_t begin = space == std::string::npos ? 0 : space + 1;
  const std::string_view name(open_.data() + begin, open_.size() - 1 - begin);
  const bool full = syntax_ == Syntax::kHtml && !is_void(name);
  check(full ? xmlTextWriterFullEndElement(writer_) : xmlTextWriterEndElement(writer_));
  open_.resize(begin);
  return *this;
}

Markup& Markup::element(const char* name, const std::string& text) {
  return open(name).text(text).close();
}

std::string Markup::str() {
  while (!open_.empty()) close();
  check(xmlTextWriterEndDocument(writer_));
  check(xmlTextWriterFlush(writer_));
  return std::string(reinterpret_cast<const char*>(xmlBufferContent(buffer_->buffer)),
                     static_cast<std::size_t>(xmlBufferLength(buffer_->buffer)));
}

namespace {

bool is_word_byte(char c) {
  return static_cast<unsigned char>(c) >= 0x80 || std::isalnum(static_cast<unsigned char>(c));
}

enum class Mark : char { kNone, kOpen, kClose };

// The readers' italics marks in text (src/sources: "_Fast_"): an opening '_' after no word
// and before a non-space, paired with the first closing '_' after a non-space and before no
// word. A '_' inside a word ("snake_case"), or one left unpaired, is text.
std::vector<Mark> italic_marks(const std::string& text) {
  std::vector<Mark> marks(text.size(), Mark::kNone);
  const std::size_t n = text.size();
  for (std::size_t i = 0; i < n; ++i) {
    const bool opens = text[i] == '_' &&
                       (i == 0 || (!is_word_byte(text[i - 1]) && text[i - 1] != '_')) &&
                       i + 1 < n && text[i + 1] != ' ' && text[i + 1] != '_';
    if (!opens) continue;
    for (std::size_t j = i + 2; j < n; ++j) {
      if (text[j] != '_' || text[j - 1] == ' ' || (j + 1 < n && is_word_byte(text[j + 1])))
        continue;
      marks[i] = Mark::kOpen;
      marks[j] = Mark::kClose;
      i = j;
      break;
    }
  }
  return marks;
}

// Writes one block's text, piece by piece, with its italics as <em> elements: an <em> is
// closed before any element opens or closes inside the block and opened again after it, so
// the elements nest.
class BlockText {
 public:
  BlockText(Markup& out, const std::string& text) : out_(out), marks_(italic_marks(text)) {}

  // The next `piece` of the block's text.
  void text(const std::string& piece) {
    std::string run;
    for (char c : piece) {
      const Mark mark = marks_[at_++];
      if (mark == Mark::kNone) {
        run += c;
        continue;
      }
      write(run);
      run.clear();
      boundary();
      italic_ = mark == Mark::kOpen;
    }
    write(run);
  }

  // An element opens or closes next.
  void boundary() {
    if (em_open_) out_.close();
    em_open_ = false;
  }

 private:
  void write(const std::string& run) {
    if (run.empty()) return;
    if (italic_ && !em_open_ && run.find_first_not_of(' ') != std::string::npos) {
      out_.open("em");
      em_open_ = true;
    }
    out_.text(run);
  }

  Markup& out_;
  std::vector<Mark> marks_;
  std::size_t at_ = 0;
  bool italic_ = false, em_open_ = false;
};

void write_span(Markup& out, BlockText& text, const ReadAlongSpan& span, bool words, bool page) {
  text.boundary();
  out.open("span").attribute("id", span.id).attribute("class", span.speaker);
  if (page) {
    char start[32];
    std::snprintf(start, sizeof start, "%.3f", span.start);
    out.attribute("data-start", start);
  }
  std::size_t at = 0;
  if (words)
    for (std::size_t w = 0; w < span.words.size(); ++w) {
      const ReadAlongWord& word = span.words[w];
      text.text(span.text.substr(at, word.begin - at));
      text.boundary();
      out.open("span").attribute("id", span.id + "w" + std::to_string(w + 1));
      text.text(span.text.substr(word.begin, word.end - word.begin));
      text.boundary();
      out.close();
      at = word.end;
    }
  text.text(span.text.substr(at));
  text.boundary();
  out.close();
}

std::string block_text(const ReadAlongChapter& chapter, const ReadAlongBlock& block) {
  std::string text;
  for (const ReadAlongPiece& piece : block.pieces)
    text += piece.span < 0 ? piece.text : chapter.spans[static_cast<std::size_t>(piece.span)].text;
  return text;
}

}  // namespace

void write_chapter(Markup& out, const ReadAlongChapter& chapter, bool words, bool page) {
  if (chapter.blocks.empty() || chapter.blocks.front().kind != BlockKind::kHeading) {
    BlockText title(out, chapter.title);
    out.open("h1");
    title.text(chapter.title);
    title.boundary();
    out.close().raw("\n");
  }
  for (const ReadAlongBlock& block : chapter.blocks) {
    if (block.kind == BlockKind::kSceneBreak) {
      out.open("hr").attribute("class", "scene-break").close().raw("\n");
      continue;
    }
    BlockText text(out, block_text(chapter, block));
    out.open(block.kind == BlockKind::kHeading ? "h1" : "p");
    for (const ReadAlongPiece& piece : block.pieces) {
      if (piece.span < 0)
        text.text(piece.text);
      else
        write_span(out, text, chapter.spans[static_cast<std::size_t>(piece.span)], words, page);
    }
    text.boundary();
    out.close().raw("\n");
  }
}

std::string without_italic_marks(const std::string& text) {
  const std::vector<Mark> marks = italic_marks(text);
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i)
    if (marks[i] == Mark::kNone) out += text[i];
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
