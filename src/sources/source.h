// Reading a story from any kind of file into the one Story document (chapters of paragraphs,
// scene breaks, skipped matter, metadata). Everything after this stage is the same whatever
// the source: one reader per kind of file, chosen by what the file is.
#pragma once

#include <string>
#include <vector>

#include "text/reader.h"
#include "text/story.h"

namespace troupe {

struct SourceReader {
  const char* kind;                                            // "epub", "text"
  bool (*accepts)(const std::string& path);                    // whether this reader takes it
  Story (*read)(const std::string& path, const ReadOptions&);  // throws InputError
};

// The readers, most particular first; the last (plain text, a file or a folder) takes anything.
const std::vector<SourceReader>& source_readers();

// A folder as one book: its chapter files (story_files_in: *.txt, *.md, *.html ..., in natural
// name order) each read by its format's reader (Markdown, HTML, else plain text), one after
// the other; the folder's name titles it. Throws InputError for a folder without story files
// and for any file's bad input.
Story read_folder(const std::string& path, const ReadOptions& options = {});

// Reads a story: a folder by read_folder, a file with the first reader that accepts it. Throws
// InputError naming the file (and the line, or the entry inside an archive) for bad input.
Story read_source(const std::string& path, const ReadOptions& options = {});

}  // namespace troupe
