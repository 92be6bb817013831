// One page's blocks (an HTML page's main text, a Markdown file) as a story's chapters:
// headings open chapters, a lone heading above everything is the book's title, a contents
// list is skipped, notes are skipped unless read, Project Gutenberg's header and licence too.
#pragma once

#include <string>
#include <vector>

#include "sources/xhtml_text.h"
#include "text/reader.h"
#include "text/story.h"

namespace troupe {

// Project Gutenberg's header and licence, when the book carries them as text: every block up
// to "*** START OF THE PROJECT GUTENBERG EBOOK ..." and from "*** END OF ..." on, as Skipped.
void skip_gutenberg_text(std::vector<TextBlock>& blocks);

// Whether a chapter holds a paragraph of story text (not only skipped records and breaks).
bool has_text(const Chapter& chapter);

// What a chapter's records' lines count in: the lines of the chapter's file (a page, a Markdown
// file), or the blocks of the archive document each record names as its source (an EPUB).
enum class RecordLines { InTheFile, InDocuments };

// Chapters without text (a contents page, a part's title page) hand their records on to the
// next chapter, their title first as a skipped record; after the last chapter, to the one
// before. InTheFile: only a title read from a heading is carried (line > 0), and the records
// stay in line order before the next chapter's title. InDocuments: the title record names its
// chapter's document, and a chapter taking records opens with its title (its line set to 0).
std::vector<Chapter> carry_empty_chapters(std::vector<Chapter> chapters, RecordLines lines);

struct PageChapters {
  std::vector<Chapter> chapters;
  std::string title;  // the lone top heading above the text (the book's title), or ""
};

// The chapters of a page's blocks, read from the file `path` (each paragraph's line is its
// block's source line); `default_title` names a chapter without a heading. Chapters open at
// the headings of the shallowest level that is not the book's title; deeper headings right
// after a chapter's heading join its title, deeper ones after text are read as text.
PageChapters chapters_of_page(std::vector<TextBlock> blocks, const std::string& path,
                              const std::string& default_title, const ReadOptions& options);

}  // namespace troupe
