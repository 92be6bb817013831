#include "sources/source.h"

#include "sources/epub_reader.h"

namespace troupe {
namespace {

bool accepts_anything(const std::string&) { return true; }

}  // namespace

const std::vector<SourceReader>& source_readers() {
  static const std::vector<SourceReader> readers = {
      {"epub", &is_epub_file, &read_epub},
      {"text", &accepts_anything, &read_story},
  };
  return readers;
}

Story read_source(const std::string& path, const ReadOptions& options) {
  for (const SourceReader& reader : source_readers())
    if (reader.accepts(path)) return reader.read(path, options);
  return read_story(path, options);
}

}  // namespace troupe
