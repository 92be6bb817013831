#include "sources/source.h"

#include <filesystem>

#include "common/errors.h"
#include "sources/epub_reader.h"
#include "sources/html_reader.h"
#include "sources/markdown_reader.h"
#include "text/quotes.h"

namespace troupe {
namespace {

bool accepts_anything(const std::string&) { return true; }

// One chapter file of a folder, read by its format: Markdown, HTML, else plain text.
std::vector<Chapter> chapters_of_file(const std::string& file, const ReadOptions& options) {
  if (is_markdown_file(file)) return read_markdown(file, options).chapters;
  if (is_html_file(file)) return read_html(file, options).chapters;
  return text_file_chapters(file, options);
}

}  // namespace

const std::vector<SourceReader>& source_readers() {
  static const std::vector<SourceReader> readers = {
      {"epub", &is_epub_file, &read_epub},
      {"markdown", &is_markdown_file, &read_markdown},
      {"html", &is_html_file, &read_html},
      {"text", &accepts_anything, &read_story},
  };
  return readers;
}

Story read_folder(const std::string& path, const ReadOptions& options) {
  const std::vector<std::string> files = story_files_in(path);
  if (files.empty())
    throw input_error(path, 0, "folder holds no story files (*.txt, *.md, *.html)");
  Story book;
  book.path = path;
  auto folder = std::filesystem::path(path).lexically_normal();
  if (folder.filename().empty()) folder = folder.parent_path();
  book.title = title_from_file_name(folder.filename().string() + ".dir");
  for (const std::string& file : files)
    for (Chapter& chapter : chapters_of_file(file, options))
      book.chapters.push_back(std::move(chapter));
  find_quotes(book);  // the book's quotation style, across its files
  return book;
}

Story read_source(const std::string& path, const ReadOptions& options) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return read_folder(path, options);
  for (const SourceReader& reader : source_readers())
    if (reader.accepts(path)) return reader.read(path, options);
  return read_story(path, options);
}

}  // namespace troupe
