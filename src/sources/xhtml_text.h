// The text of an XHTML content document as blocks: paragraphs from block elements, <br><br>
// as a paragraph break (a single <br> as a space), <hr> and ornament-only blocks as scene
// breaks, <em>/<i> as _italics_, headings marked. Not read: footnote references and bodies
// (epub:type noteref/footnote..., <aside>), image alt text, <ruby> annotations (<rt>, <rp>),
// scripts and styles. Project Gutenberg's header and licence sections come out as skipped.
#pragma once

#include <libxml/tree.h>

#include <set>
#include <string>
#include <vector>

#include "text/story.h"

namespace troupe {

struct TextBlock {
  ParagraphKind kind = ParagraphKind::Text;
  std::string text;
  int index = 0;         // 1-based, among the document's blocks
  bool heading = false;  // <h1> ... <h6>
  std::string section;   // the id (one of `section_ids`) of an element that opens here, or ""
};

struct ContentDocument {
  std::vector<TextBlock> blocks;
  // epub:type and role tokens of <body> and of the elements around the first block
  // ("bodymatter", "chapter", "copyright-page", "doc-dedication" ...).
  std::set<std::string> types;
  int images = 0;
};

// The blocks of a parsed content document. `section_ids`: ids the table of contents points
// at, where a block is marked as opening a section.
ContentDocument content_blocks(const xmlDoc* doc, const std::set<std::string>& section_ids);

}  // namespace troupe
