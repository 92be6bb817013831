#include "sources/source.h"

#include <fstream>
#include <sstream>

#include "common/errors.h"
#include "sources/epub_reader.h"
#include "sources/html_reader.h"
#include "sources/markdown_reader.h"

namespace troupe {
namespace {

bool accepts_anything(const std::string&) { return true; }

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

std::string read_source_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw input_error(path, 0, "cannot open the file");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) throw input_error(path, 0, "could not read the file");
  return buffer.str();
}

Story read_source(const std::string& path, const ReadOptions& options) {
  for (const SourceReader& reader : source_readers())
    if (reader.accepts(path)) return reader.read(path, options);
  return read_story(path, options);
}

}  // namespace troupe
