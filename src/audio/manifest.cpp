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
  json["cues"] = Json::array();
  for (const ManifestCue& cue : utterance.cues) {
    Json words = Json::array();
    for (double time : cue.words) words.push_back(to_milliseconds(time));
    json["cues"].push_back({{"start", to_milliseconds(cue.start)},
                            {"end", to_milliseconds(cue.end)},
                            {"text", cue.text},
                            {"words", std::move(words)},
                            {"word_offsets", cue.word_offsets}});
  }
  return json;
}

std::vector<ManifestCue> cues_of(const Json& json) {
  std::vector<ManifestCue> cues;
  for (const Json& c : json.value("cues", Json::array()))
    cues.push_back({c.value("start", 0.0), c.value("end", 0.0), c.value("text", ""),
                    c.value("words", std::vector<double>{}),
                    c.value("word_offsets", std::vector<std::size_t>{})});
  return cues;
}

double rounded(double value, double step) { return std::round(value / step) * step; }

Json to_json(const ManifestChapter& chapter) {
  Json json;
  json["number"] = chapter.number;
  json["title"] = chapter.title;
  json["file"] = chapter.file;
  json["duration"] = to_milliseconds(chapter.duration);
  json["srt"] = chapter.srt;
  json["vtt"] = chapter.vtt;
  json["inputs"] = chapter.inputs;
  json["bytes"] = chapter.bytes;
  if (chapter.loudness) {
    json["loudness"] = {{"integrated", rounded(chapter.loudness->integrated, 0.01)},
                        {"true_peak", rounded(chapter.loudness->true_peak, 0.01)},
                        {"gain", rounded(chapter.loudness->gain, 0.01)}};
  }
  json["utterances"] = Json::array();
  for (const auto& utterance : chapter.utterances) {
    json["utterances"].push_back(utterance_json(utterance));
  }
  return json;
}

ManifestChapter chapter_of(const Json& json) {
  ManifestChapter chapter;
  chapter.number = json.at("number").get<int>();
  chapter.title = json.value("title", "");
  chapter.file = json.at("file").get<std::string>();
  chapter.duration = json.value("duration", 0.0);
  chapter.srt = json.value("srt", "");
  chapter.vtt = json.value("vtt", "");
  chapter.inputs = json.value("inputs", "");
  chapter.bytes = json.value("bytes", std::uint64_t{0});
  if (json.contains("loudness")) {
    const Json& l = json["loudness"];
    chapter.loudness = ManifestLoudness{l.value("integrated", 0.0), l.value("true_peak", 0.0),
                                        l.value("gain", 0.0)};
  }
  for (const Json& u : json.value("utterances", Json::array())) {
    ManifestUtterance utterance;
    utterance.start = u.value("start", 0.0);
    utterance.end = u.value("end", 0.0);
    utterance.speaker = u.value("speaker", "");
    utterance.voice = u.value("voice", "");
    utterance.text = u.value("text", "");
    utterance.line = u.value("line", 0);
    utterance.cues = cues_of(u);
    chapter.utterances.push_back(std::move(utterance));
  }
  return chapter;
}

Json cast_entry_json(const ManifestCastEntry& entry) {
  Json json;
  json["speaker"] = entry.speaker;
  json["voice"] = entry.voice;
  json["gender"] = std::string(1, entry.gender);
  json["lines"] = entry.lines;
  return json;
}

std::string dump(const Json& json, int indent) {
  // Replace invalid UTF-8 rather than throw: a manifest is a record, not a gate.
  return json.dump(indent, ' ', /*ensure_ascii=*/false, Json::error_handler_t::replace);
}

// FFMETADATA escapes '=', ';', '#', '\' and newlines with a backslash.
std::string ffmeta_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '=' || c == ';' || c == '#' || c == '\\' || c == '\n') out += '\\';
    out += c;
  }
  return out;
}

std::string one_line(std::string text) {
  for (char& c : text)
    if (c == '\n' || c == '\r') c = ' ';
  return text;
}

}  // namespace

std::string manifest_json(const Manifest& manifest) {
  Json json;
  json["story"] = manifest.story;
  json["source"] = manifest.source;
  if (!manifest.author.empty()) json["author"] = manifest.author;
  if (!manifest.language.empty()) json["language"] = manifest.language;
  if (!manifest.series.empty()) json["series"] = manifest.series;
  if (!manifest.series_index.empty()) json["series_index"] = manifest.series_index;
  if (!manifest.cover.empty()) json["cover"] = manifest.cover;
  json["sample_rate"] = manifest.sample_rate;
  json["chapters"] = Json::array();
  for (const auto& chapter : manifest.chapters) json["chapters"].push_back(to_json(chapter));
  json["cast"] = Json::array();
  for (const auto& entry : manifest.cast) json["cast"].push_back(cast_entry_json(entry));
  return dump(json, 2) + "\n";
}

void write_manifest(const std::string& path, const Manifest& manifest) {
  write_file_atomically(path, manifest_json(manifest));
}

std::optional<Manifest> read_manifest(const std::string& path) {
  // Never through a symlink or from a FIFO someone put in the output folder.
  const std::optional<std::string> text = read_regular_file(path);
  if (!text) return std::nullopt;
  try {
    const Json json = Json::parse(*text);
    Manifest manifest;
    manifest.story = json.value("story", "");
    manifest.source = json.value("source", "");
    manifest.author = json.value("author", "");
    manifest.language = json.value("language", "");
    manifest.series = json.value("series", "");
    manifest.series_index = json.value("series_index", "");
    manifest.cover = json.value("cover", "");
    manifest.sample_rate = json.value("sample_rate", 22050);
    for (const Json& chapter : json.at("chapters"))
      manifest.chapters.push_back(chapter_of(chapter));
    for (const Json& entry : json.value("cast", Json::array())) {
      ManifestCastEntry cast;
      cast.speaker = entry.value("speaker", "");
      cast.voice = entry.value("voice", "");
      const std::string gender = entry.value("gender", "x");
      cast.gender = gender.empty() ? 'x' : gender[0];
      cast.lines = entry.value("lines", 0);
      manifest.cast.push_back(std::move(cast));
    }
    return manifest;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::string chapter_json(const ManifestChapter& chapter) { return dump(to_json(chapter), -1); }

ManifestChapter chapter_from_json(const std::string& text) { return chapter_of(Json::parse(text)); }

std::string playlist_m3u8(const Manifest& manifest) {
  std::string out = "#EXTM3U\n#PLAYLIST:" + one_line(manifest.story) + "\n";
  for (const auto& chapter : manifest.chapters) {
    out += "#EXTINF:" + std::to_string(static_cast<long long>(std::ceil(chapter.duration))) + "," +
           one_line(chapter.title.empty() ? manifest.story : chapter.title) + "\n" + chapter.file +
           "\n";
  }
  return out;
}

std::string ffmetadata(const Manifest& manifest) {
  std::string out = ";FFMETADATA1\ntitle=" + ffmeta_escape(manifest.story) +
                    "\nalbum=" + ffmeta_escape(manifest.story) + "\n";
  if (!manifest.author.empty()) out += "artist=" + ffmeta_escape(manifest.author) + "\n";
  out += "genre=Audiobook\n";
  long long at = 0;
  for (const auto& chapter : manifest.chapters) {
    const long long length = std::llround(chapter.duration * 1000.0);
    out += "\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=" + std::to_string(at) +
           "\nEND=" + std::to_string(at + length) +
           "\ntitle=" + ffmeta_escape(chapter.title.empty() ? manifest.story : chapter.title) +
           "\n";
    at += length;
  }
  return out;
}

}  // namespace troupe
