// Reading story files into plain Story data: lines, paragraphs, chapters, scene breaks.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "text/story.h"

namespace troupe {

// How a story is read.
struct ReadOptions {
  // Read metadata and notes (word count:, warnings:, a/n:, #tags, [Illustration: ...] ...) as
  // story text instead of marking them ParagraphKind::Skipped. The Project Gutenberg licence is
  // skipped either way.
  bool read_notes = false;
  // --encoding: what a story file without a byte-order mark is written in, when not UTF-8
  // ("cp1252", "latin1" ...; see decode_text in text/encoding.h). Empty: UTF-8.
  std::string encoding;
};

// Reads a story from a plain text file (a folder of chapter files: read_source in
// sources/source.h). Finds quotations too. The bytes are decoded by decode_text (UTF-8, UTF-16
// with a byte-order mark, or options.encoding). Throws InputError naming the file (and line) for
// a missing file, a folder, an empty story, text not in its encoding, a binary file or an
// over-long line.
Story read_story(const std::string& path, const ReadOptions& options = {});

// A file's bytes; throws InputError naming it when it cannot be opened or read.
std::string read_file_bytes(const std::string& path);

// What a folder's chapter files are named: text, Markdown and HTML files.
inline constexpr std::string_view kChapterFileExtensions[] = {
    ".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml"};

// A folder's chapter files (kChapterFileExtensions, in any case) in natural name order: "2"
// before "10", letters without regard to case.
std::vector<std::string> story_files_in(const std::string& folder);

// The chapters of one chapter file of a folder read as plain text (its name titles a chapter
// without a heading; no title line is taken, no quotations found). Throws InputError for an
// empty file and as read_story does.
std::vector<Chapter> text_file_chapters(const std::string& file, const ReadOptions& options);

// The same, from text already in memory; `source` names it in errors and in Chapter::source.
Story story_from_text(std::string_view text, const std::string& source,
                      const ReadOptions& options = {});

// The lines of a file's text, checked: BOM removed, CRLF/CR folded, UTF-8 validated; tabs and
// other control characters become spaces.
std::vector<std::string> split_checked_lines(std::string_view text, const std::string& source);

// "Chapter 3", "CHAPTER IV.", "# Title", "Part Two" ...: the heading's words, or "" if the
// line is not a chapter heading.
std::string chapter_heading(std::string_view line);

// A readable title from a file name: "03_the-lake.txt" -> "03 the lake"; id-like tokens dropped.
std::string title_from_file_name(const std::string& path);

// Whether a paragraph is metadata or a note rather than story: a Tumblr/AO3 header or footer
// ("word count: 6.5k", "warnings:", "genre:", "pairing:", "a/n:", "author's note", "tw:"), a
// line of #tags, a line that starts with the bullet ❧, a Project Gutenberg [Illustration: ...],
// [Footnote ...] or transcriber's note.
bool is_note_paragraph(std::string_view text);

// Whether hard-wrapped paragraphs (Project Gutenberg) rather than one paragraph per line.
bool looks_hard_wrapped(const std::vector<std::string>& lines);

}  // namespace troupe
