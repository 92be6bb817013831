// The EPUB reader (EPUB 2 and 3): the spine's content documents, in order, into one Story.
//
// Chapters: one per document, or one per table-of-contents entry where several point into the
// same document; titled from the navigation document or the NCX, else by the document's first
// heading; a document with neither continues the chapter before it (a chapter split over
// files). Front and back matter (cover, title page, copyright, contents, dedication, colophon,
// about the author, a Gutenberg licence ...) is recognised by epub:type, the landmarks or
// guide, linear="no" and, failing those, by its content, and kept as Skipped paragraphs.
// A paragraph's `line` is its 1-based index among its document's blocks and its `source` the
// document's name inside the archive. Metadata (title, author, language, series, cover) goes
// to Story::metadata.
#pragma once

#include <string>

#include "text/reader.h"
#include "text/story.h"

namespace troupe {

// A file named *.epub, or a ZIP whose first entry is EPUB's "mimetype".
bool is_epub_file(const std::string& path);

// Throws InputError "FILE: ENTRY: what" for bad input (see EpubArchive, read_package).
Story read_epub(const std::string& path, const ReadOptions& options = {});

}  // namespace troupe
