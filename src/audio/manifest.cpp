#include "audio/manifest.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "audio/atomic_file.h"

namespace troupe {
namespace {

// ordered_json keeps keys in insertion order, so the output is stable and readable.
using Json = nlohmann::ordered_json;

double to_milliseconds(double seconds) { return std::round(seconds * 1000.0) / 1000.0; }

Json utterance_json(const ManifestUtterance& utterance) {
  Json json;
  json["start"] = to_milliseconds(utterance.start);
  json["end"] = to_milliseconds(utterance.end);
  json["speaker"] = utterance.speaker;
  json["voice"] = utterance.voice;
  json["text"] = utterance.text;
  json["line"] = utterance.line;
  return json;
}

Json chapter_json(const ManifestChapter& chapter) {
  Json json;
  json["number"] = chapter.number;
  json["title"] = chapter.title;
  json["file"] = chapter.file;
  json["duration"] = to_milliseconds(chapter.duration);
  json["utterances"] = Json::array();
  for (const auto& utterance : chapter.utterances) {
    json["utterances"].push_back(utterance_json(utterance));
  }
  return json;
}

Json cast_entry_json(const ManifestCastEntry& entry) {
  Json json;
  json["speaker"] = entry.speaker;
  json["voice"] = entry.voice;
  json["gender"] = std::string(1, entry.gender);
  json["lines"] = entry.lines;
  return json;
}

}  // namespace

std::string manifest_json(const Manifest& manifest) {
  Json json;
  json["story"] = manifest.story;
  json["source"] = manifest.source;
  json["sample_rate"] = manifest.sample_rate;
  json["chapters"] = Json::array();
  for (const auto& chapter : manifest.chapters) json["chapters"].push_back(chapter_json(chapter));
  json["cast"] = Json::array();
  for (const auto& entry : manifest.cast) json["cast"].push_back(cast_entry_json(entry));
  // Replace invalid UTF-8 rather than throw: a manifest is a record, not a gate.
  return json.dump(2, ' ', /*ensure_ascii=*/false, Json::error_handler_t::replace) + "\n";
}

void write_manifest(const std::string& path, const Manifest& manifest) {
  write_file_atomically(path, manifest_json(manifest));
}

}  // namespace troupe
