// Reading story files into plain Story data: lines, paragraphs, chapters, scene breaks.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "text/story.h"

namespace troupe {

// Reads a story: a file, or a folder whose *.txt/*.md files are its chapters in natural
// name order ("2" before "10"). Finds quotations too. Throws InputError naming the file
// (and line) for a missing file, a folder without stories, an empty story, invalid UTF-8,
// a binary file or an over-long line.
Story read_story(const std::string& path);

// The same, from text already in memory; `source` names it in errors and in Chapter::source.
Story story_from_text(std::string_view text, const std::string& source);

// The lines of a file's text, checked: BOM removed, CRLF/CR folded, UTF-8 validated.
std::vector<std::string> split_checked_lines(std::string_view text, const std::string& source);

// "Chapter 3", "CHAPTER IV.", "# Title", "Part Two" ...: the heading's words, or "" if the
// line is not a chapter heading.
std::string chapter_heading(std::string_view line);

// A readable title from a file name: "03_the-lake.txt" -> "03 the lake"; id-like tokens dropped.
std::string title_from_file_name(const std::string& path);

// Whether hard-wrapped paragraphs (Project Gutenberg) rather than one paragraph per line.
bool looks_hard_wrapped(const std::vector<std::string>& lines);

}  // namespace troupe
