// The text of an XHTML content document as blocks: paragraphs from block elements, <br><br>
// as a paragraph break (a single <br> as a space), <hr> and ornament-only blocks as scene
// breaks, <em>/<i> as _italics_, headings marked. Not read: footnote references and bodies
// (epub:type noteref/footnote..., <aside>), image alt text, <ruby> annotations (<rt>, <rp>),
// scripts and styles. Project Gutenberg's header and licence sections come out as skipped.
#pragma once

#include <libxml/tree.h>

#include <functional>
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
  int level = 0;         // the heading's level, 1 to 6 (0: not a heading)
  int source_line = 0;   // the line of the document its first words stand on (0: unknown)
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

// Elements a page reader leaves out on top of those never read (a page's navigation, a post's
// notes list): true for an element whose content is not read.
using UnreadElement = std::function<bool(const xmlNode*)>;

// The blocks of one element and what it holds, markup left in its text removed (see
// without_markup_residue).
ContentDocument element_blocks(const xmlNode* element, const UnreadElement& unread = {});

// Whether text has a letter or a digit (not only an ornament: "* * *", "⁂").
bool has_letter_or_digit(std::string_view text);

// Text with what a broken page leaves of markup in it taken out: tags written as text
// ("&lt;p class=x&gt;" read as "<p class=x>") removed, entities escaped twice ("&amp;ldquo;"
// read as "&ldquo;") decoded, white space folded.
std::string without_markup_residue(std::string_view text);

}  // namespace troupe
