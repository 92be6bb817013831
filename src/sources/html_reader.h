// The HTML reader: a page saved from the web (a Tumblr post, a FanFiction.net chapter, a
// Project Gutenberg HTML book) or an Archive of Our Own HTML download (see ao3_layout.h).
//
// The page's encoding (decode_text in text/encoding.h does the decoding): a byte-order mark
// (UTF-8, UTF-16, UTF-32) always wins; then --encoding (ReadOptions::encoding); then UTF-8 when
// the bytes are valid UTF-8; then the charset its <meta> declares (Latin-1 and ASCII read as
// Windows-1252, as browsers do); then the encoding the bytes look like (Windows-1252 for most).
// Bytes the chosen encoding does not define (a page declaring UTF-8 that is not) are bad input:
// one line naming the file, the line and the encoding to try. libxml2's HTML parser reads the
// text, recovering from tag soup. The story is the main
// text block: the deepest element that holds most of the page's prose (text outside links);
// navigation, scripts, styles, comments, forms, sidebars, reblog and note lists are not read.
// Its headings open chapters (block_book.h). A paragraph's line is the line of the file its
// first words stand on.
#pragma once

#include <string>
#include <string_view>

#include "text/reader.h"
#include "text/story.h"

namespace troupe {

// A file named *.html, *.htm, *.xhtml, or one whose text opens with "<!DOCTYPE html" or "<html".
bool is_html_file(const std::string& path);

// Throws InputError naming the file for a page with no story text in it.
Story read_html(const std::string& path, const ReadOptions& options = {});

// The same from bytes in memory; `path` names the page in errors and chapters.
Story story_from_html(std::string_view bytes, const std::string& path,
                      const ReadOptions& options = {});

}  // namespace troupe
