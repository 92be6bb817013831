// The manifest: a JSON record of what was rendered, chapter by chapter and line by line.
#pragma once

#include <string>
#include <vector>

namespace troupe {

struct ManifestUtterance {
  double start = 0, end = 0;  // seconds from the start of the chapter file
  std::string speaker, voice, text;
  int line = 0;  // 1-based line in the source
};

struct ManifestChapter {
  int number = 0;
  std::string title, file;
  double duration = 0;  // seconds
  std::vector<ManifestUtterance> utterances;
};

struct ManifestCastEntry {
  std::string speaker, voice;
  char gender = 'x';  // m, f or x
  int lines = 0;
};

struct Manifest {
  std::string story, source;
  int sample_rate = 22050;
  std::vector<ManifestChapter> chapters;
  std::vector<ManifestCastEntry> cast;
};

// Pretty JSON (2-space indent, keys in the order of the structs above), ending in a newline.
// Times are rounded to milliseconds; invalid UTF-8 in text becomes U+FFFD.
//
//   {"story": ..., "source": ..., "sample_rate": 22050,
//    "chapters": [{"number": 1, "title": ..., "file": ..., "duration": 12.345,
//                  "utterances": [{"start", "end", "speaker", "voice", "text", "line"}]}],
//    "cast": [{"speaker", "voice", "gender": "f", "lines": 3}]}
std::string manifest_json(const Manifest& manifest);

// Writes manifest_json(manifest) to path atomically; throws RenderError naming path.
void write_manifest(const std::string& path, const Manifest& manifest);

}  // namespace troupe
