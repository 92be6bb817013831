// The Markdown reader (CommonMark, parsed by libcmark): headings open chapters (a lone top
// heading above the text is the book's title, see block_book.h); *emphasis* is read as
// _italics_, **strong** as its words, a link as its text (never its address), a code span
// as its text, an image and an HTML comment not at all; raw HTML is read as HTML would be; a
// horizontal rule (---, ***) is a scene break; block quotes and lists are read as
// paragraphs. A paragraph's line is the line of the file it starts on. The file's bytes are
// decoded by decode_text (UTF-8, a byte-order mark, or --encoding).
#pragma once

#include <string>
#include <string_view>

#include "text/reader.h"
#include "text/story.h"

namespace troupe {

// A file named *.md, *.markdown, *.mdown or *.mkd.
bool is_markdown_file(const std::string& path);

// Throws InputError naming the file (and line) for invalid UTF-8, a binary file, an empty story.
Story read_markdown(const std::string& path, const ReadOptions& options = {});

// The same from text in memory; `path` names it in errors and chapters.
Story story_from_markdown(std::string_view text, const std::string& path,
                          const ReadOptions& options = {});

}  // namespace troupe
