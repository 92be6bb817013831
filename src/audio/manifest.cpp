#include "audio/manifest.h"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <nlohmann/json.hpp>
#include <stdexcept>

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

namespace {

// The book's fields and cast as JSON, with an empty "chapters" array where they go.
Json book_json(const Manifest& manifest) {
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
  json["cast"] = Json::array();
  for (const auto& entry : manifest.cast) json["cast"].push_back(cast_entry_json(entry));
  return json;
}

// What dump(book, 2) would write with `count` chapters in its array, chapter k's pretty JSON
// being chapter_text(k): the book dumped with none, and the chapters spliced in where nlohmann
// puts an array's elements (each line indented by two levels more). Every newline of a
// chapter's text is one of its lines: a string's newlines are written as \n.
template <typename ChapterText>
std::string spliced_manifest(const Manifest& manifest, std::size_t count, ChapterText chapter_text,
                             std::size_t chapters_bytes = 0) {
  const std::string book = dump(book_json(manifest), 2);
  const std::string empty = "\n  \"chapters\": []";
  const std::size_t at = book.find(empty);  // keys come first, unquoted: found once
  if (count == 0 || at == std::string::npos) return book + "\n";
  std::string out = book.substr(0, at + empty.size() - 1);
  // Room for the chapters' text and its indent at once (a long chapter's is some 600 kB, and
  // growing the string by doubling copied it several times).
  out.reserve(book.size() + chapters_bytes * 5 / 4 + 16 * count);
  for (std::size_t k = 0; k < count; ++k) {
    out += k == 0 ? "\n    " : ",\n    ";
    const std::string& text = chapter_text(k);
    std::size_t from = 0;
    for (std::size_t newline; (newline = text.find('\n', from)) != std::string::npos;
         from = newline + 1) {
      out.append(text, from, newline + 1 - from);
      out += "    ";
    }
    out.append(text, from, std::string::npos);
  }
  out += "\n  ]";
  out.append(book, at + empty.size(), std::string::npos);
  return out + "\n";
}

}  // namespace

std::string manifest_json(const Manifest& manifest) {
  std::string text;
  return spliced_manifest(manifest, manifest.chapters.size(),
                          [&](std::size_t k) -> const std::string& {
                            text = dump(to_json(manifest.chapters[k]), 2);
                            return text;
                          });
}

std::string manifest_json(const Manifest& book, const std::vector<const ManifestEntry*>& chapters) {
  std::size_t bytes = 0;
  for (const ManifestEntry* chapter : chapters) bytes += chapter->json.size();
  return spliced_manifest(
      book, chapters.size(), [&](std::size_t k) -> const std::string& { return chapters[k]->json; },
      bytes);
}

ManifestEntry manifest_entry(const ManifestChapter& chapter) {
  ManifestEntry entry;
  entry.json = dump(to_json(chapter), 2);
  entry.missing_cues = !chapter.utterances.empty() &&
                       std::none_of(chapter.utterances.begin(), chapter.utterances.end(),
                                    [](const ManifestUtterance& u) { return !u.cues.empty(); });
  entry.head = chapter;  // a copy of the utterances too: dropped below
  entry.head.utterances.clear();
  entry.head.utterances.shrink_to_fit();
  return entry;
}

void write_manifest(const std::string& path, const Manifest& manifest) {
  write_file_atomically(path, manifest_json(manifest));
}

namespace {

// The book's fields and cast (not its chapters) from a manifest's JSON.
Manifest book_of(const Json& json) {
  Manifest manifest;
  manifest.story = json.value("story", "");
  manifest.source = json.value("source", "");
  manifest.author = json.value("author", "");
  manifest.language = json.value("language", "");
  manifest.series = json.value("series", "");
  manifest.series_index = json.value("series_index", "");
  manifest.cover = json.value("cover", "");
  manifest.sample_rate = json.value("sample_rate", 22050);
  if (!json.at("chapters").is_array()) throw std::invalid_argument("chapters: not an array");
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
}

}  // namespace

Manifest manifest_from_json(const std::string& text) {
  const Json json = Json::parse(text);
  Manifest manifest = book_of(json);
  for (const Json& chapter : json.at("chapters")) manifest.chapters.push_back(chapter_of(chapter));
  return manifest;
}

std::optional<Manifest> read_manifest(const std::string& path) {
  // Never through a symlink or from a FIFO someone put in the output folder.
  const std::optional<std::string> text = read_regular_file(path);
  if (!text) return std::nullopt;
  try {
    return manifest_from_json(*text);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

namespace {

std::optional<ManifestEntries> parse_manifest_entries(const std::string& text) {
  ManifestEntries entries;
  // The parser calls back as it goes; each element of the top-level "chapters" array is made
  // an entry when it is whole, and dropped from the tree (depth 2: inside the book's object and
  // that array).
  bool in_chapters = false;
  const Json::parser_callback_t keep = [&](int depth, nlohmann::json::parse_event_t event,
                                           Json& parsed) {
    using Event = nlohmann::json::parse_event_t;
    if (depth == 1 && event == Event::key) in_chapters = parsed == "chapters";
    if (depth != 2 || event != Event::object_end || !in_chapters) return true;
    entries.chapters.push_back(manifest_entry(chapter_of(parsed)));
    return false;
  };
  try {
    const Json json = Json::parse(text, keep);
    entries.book = book_of(json);
    // Every chapter was an object, made an entry: one that was not is left in the tree.
    if (!json.at("chapters").empty()) return std::nullopt;
    return entries;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// The last manifest read, as text and entries. A render reads its book's manifest up to three
// times (whose folder it is, which chapters are up to date, what another run recorded
// meanwhile), most often unchanged: then its text is compared, not parsed again (a few tenths
// of a millisecond against some 30 ms for 640 kB). The bytes are compared, not the file's
// identity: the folder may be shared, and a file rewritten in place within one tick of the
// clock keeps its size and times.
struct LastManifest {
  std::mutex mutex;
  std::string text;
  std::optional<ManifestEntries> entries;
};
LastManifest& last_manifest() {
  static LastManifest last;
  return last;
}

}  // namespace

std::optional<ManifestEntries> read_manifest_entries(const std::string& path) {
  std::optional<std::string> text = read_regular_file(path);
  if (!text) return std::nullopt;
  LastManifest& last = last_manifest();
  const std::lock_guard<std::mutex> lock(last.mutex);
  if (*text != last.text) {  // at first: "", which is no manifest
    last.entries = parse_manifest_entries(*text);
    last.text = std::move(*text);
  }
  return last.entries;
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
