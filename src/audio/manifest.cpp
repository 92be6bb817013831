#include "audio/manifest.h"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <nlohmann/json.hpp>
#include <span>
#include <stdexcept>
#include <string_view>

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

// With utterances = false, its head: "utterances" (the last key) an empty array.
Json to_json(const ManifestChapter& chapter, bool utterances = true) {
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
  if (!utterances) return json;
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

// Appends text to out with `indent` after each of its newlines: pretty JSON nested deeper.
void append_indented(std::string& out, const std::string& text, std::string_view indent) {
  std::size_t from = 0;
  for (std::size_t newline; (newline = text.find('\n', from)) != std::string::npos;
       from = newline + 1) {
    out.append(text, from, newline + 1 - from);
    out += indent;
  }
  out.append(text, from, std::string::npos);
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
  // growing the string by doubling copied it several times), and the text returned as it is
  // made: each copy of story 002's 580 kB manifest was fresh memory, every page of it a fault.
  out.reserve(book.size() + chapters_bytes + 16 * count);
  for (std::size_t k = 0; k < count; ++k) {
    out += k == 0 ? "\n    " : ",\n    ";
    append_indented(out, chapter_text(k), "    ");
  }
  out += "\n  ]";
  out.append(book, at + empty.size(), std::string::npos);
  out += '\n';
  return out;
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
  // The chapters' bytes as spliced: each line indented by four spaces more.
  std::size_t bytes = 0;
  for (const ManifestEntry* chapter : chapters)
    bytes +=
        chapter->json.size() + 4 * std::count(chapter->json.begin(), chapter->json.end(), '\n');
  return spliced_manifest(
      book, chapters.size(), [&](std::size_t k) -> const std::string& { return chapters[k]->json; },
      bytes);
}

namespace {
// Utterances of which none has cues: recorded before cues were.
bool lacks_cues(const std::vector<ManifestUtterance>& utterances) {
  return !utterances.empty() &&
         std::none_of(utterances.begin(), utterances.end(),
                      [](const ManifestUtterance& u) { return !u.cues.empty(); });
}
}  // namespace

std::string utterances_json(const std::vector<ManifestUtterance>& utterances) {
  Json array = Json::array();
  for (const auto& utterance : utterances) array.push_back(utterance_json(utterance));
  // One level deeper inside the chapter: every line but the first indented by two more.
  const std::string text = dump(array, 2);
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  append_indented(out, text, "  ");
  return out;
}

ManifestEntry manifest_entry(ManifestChapter chapter, const std::string& utterances) {
  ManifestEntry entry;
  // dump(to_json(chapter), 2) ends with the utterances' array: `"utterances": []` then "\n}"
  // with none, where utterances_json's text goes.
  entry.json = dump(to_json(chapter, false), 2);
  const std::string none = "[]\n}";
  if (!entry.json.ends_with(none)) return manifest_entry(chapter);
  entry.json.resize(entry.json.size() - none.size());
  entry.json += utterances;
  entry.json += "\n}";
  entry.missing_cues = lacks_cues(chapter.utterances);
  chapter.utterances.clear();
  chapter.utterances.shrink_to_fit();
  entry.head = std::move(chapter);
  return entry;
}

ManifestEntry manifest_entry(const ManifestChapter& chapter) {
  ManifestEntry entry;
  entry.json = dump(to_json(chapter), 2);
  entry.missing_cues = lacks_cues(chapter.utterances);
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

// The kinds of value a chapter of manifest.json holds where to_json puts them (see
// CanonicalChapterReader).
enum class Kind {
  kInt,         // int: "number", "line"
  kCount,       // std::uint64_t: "bytes", an element of "word_offsets"
  kSeconds,     // double written to the millisecond: times
  kDecibels,    // double written to the hundredth: loudness
  kText,        // string
  kLoudness,    // object
  kUtterance,   // object
  kCue,         // object
  kChapter,     // object
  kUtterances,  // arrays of their elements
  kCues,
  kSecondsList,
  kCountList,
};

struct Field {
  const char* key;
  Kind kind;
};
constexpr Field kChapterFields[] = {
    {"number", Kind::kInt},           {"title", Kind::kText},  {"file", Kind::kText},
    {"duration", Kind::kSeconds},     {"srt", Kind::kText},    {"vtt", Kind::kText},
    {"inputs", Kind::kText},          {"bytes", Kind::kCount}, {"loudness", Kind::kLoudness},
    {"utterances", Kind::kUtterances}};
constexpr Field kLoudnessFields[] = {
    {"integrated", Kind::kDecibels}, {"true_peak", Kind::kDecibels}, {"gain", Kind::kDecibels}};
constexpr Field kUtteranceFields[] = {{"start", Kind::kSeconds}, {"end", Kind::kSeconds},
                                      {"speaker", Kind::kText},  {"voice", Kind::kText},
                                      {"text", Kind::kText},     {"line", Kind::kInt},
                                      {"cues", Kind::kCues}};
constexpr Field kCueFields[] = {{"start", Kind::kSeconds},
                                {"end", Kind::kSeconds},
                                {"text", Kind::kText},
                                {"words", Kind::kSecondsList},
                                {"word_offsets", Kind::kCountList}};

std::span<const Field> fields_of(Kind object) {
  switch (object) {
    case Kind::kChapter:
      return kChapterFields;
    case Kind::kLoudness:
      return kLoudnessFields;
    case Kind::kUtterance:
      return kUtteranceFields;
    default:
      return kCueFields;
  }
}

Kind element_of(Kind array) {
  switch (array) {
    case Kind::kUtterances:
      return Kind::kUtterance;
    case Kind::kCues:
      return Kind::kCue;
    case Kind::kSecondsList:
      return Kind::kSeconds;
    default:
      return Kind::kCount;
  }
}

bool is_object(Kind kind) {
  return kind == Kind::kLoudness || kind == Kind::kUtterance || kind == Kind::kCue ||
         kind == Kind::kChapter;
}
bool is_array(Kind kind) {
  return kind == Kind::kUtterances || kind == Kind::kCues || kind == Kind::kSecondsList ||
         kind == Kind::kCountList;
}

// Reads manifest.json as nlohmann's SAX parser hands it over, without a tree of its chapters:
// each chapter whose keys come in the order to_json writes them, each with the type to_json
// gives it, is written out as dump(to_json(chapter_of(...)), 2) would write it (the same
// rounding, the same pretty form), as it is read, and its head kept; the book's other values go
// into a tree for book_of. Anything else (keys in another order or missing, a number where a
// string goes, an integer where a fraction goes, ...) makes it give up: the full parse then
// reads the manifest (and accepts or refuses it) as before, so this reader only ever gives what
// the full parse gives, faster (no tree of the utterances, made structs, made a tree and text).
//
//   {"story": ..., "chapters": [{"number": 1, ..., "utterances": [{..., "cues": [...]}]}],
//    "cast": [...]}
class CanonicalChapterReader : public nlohmann::json_sax<Json> {
 public:
  // The entries read, or nullopt when the reader gave up (or the text is no JSON).
  std::optional<ManifestEntries> take() {
    if (gave_up_ || !book_.is_object() || !chapters_done_) return std::nullopt;
    try {
      entries_.book = book_of(book_);
    } catch (const std::exception&) {
      return std::nullopt;
    }
    return std::move(entries_);
  }

  bool null() override { return book_value(nullptr); }
  bool boolean(bool value) override { return book_value(value); }
  bool number_integer(number_integer_t value) override {
    if (!in_chapters()) return book_value(value);
    const Kind kind = value_kind();
    if (kind == Kind::kInt) return write_int(static_cast<int>(value));
    if (kind == Kind::kCount) return write_count(static_cast<std::uint64_t>(value));
    return give_up();
  }
  bool number_unsigned(number_unsigned_t value) override {
    if (!in_chapters()) return book_value(value);
    const Kind kind = value_kind();
    if (kind == Kind::kInt) return write_int(static_cast<int>(value));
    if (kind == Kind::kCount) return write_count(value);
    return give_up();
  }
  bool number_float(number_float_t value, const string_t& /*text*/) override {
    if (!in_chapters()) return book_value(value);
    const Kind kind = value_kind();
    if (kind != Kind::kSeconds && kind != Kind::kDecibels) return give_up();
    // A large finite value can round to infinity (round(1e306 * 1000)): dump writes null for
    // it, which the next read refuses; the full parse makes that entry.
    const double written = kind == Kind::kSeconds ? to_milliseconds(value) : rounded(value, 0.01);
    if (!std::isfinite(written)) return give_up();
    head_value(value);
    char digits[64];
    char* end = nlohmann::detail::to_chars(digits, digits + sizeof digits, written);
    json_.append(digits, end);
    return true;
  }
  bool string(string_t& value) override {
    if (!in_chapters()) return book_value(std::move(value));
    if (value_kind() != Kind::kText) return give_up();
    // nlohmann writes valid UTF-8 (all a parsed string can be) as it is, but for '"', '\' and
    // control characters: only then is it asked to escape it.
    if (std::any_of(value.begin(), value.end(), [](char c) {
          return c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20;
        }))
      json_ += dump(Json(value), -1);
    else
      json_.append(1, '"').append(value).append(1, '"');
    head_text(std::move(value));
    return true;
  }
  bool binary(binary_t& /*value*/) override { return give_up(); }

  bool start_object(std::size_t /*elements*/) override {
    if (book_.is_null()) {  // the manifest itself
      book_ = Json::object();
      open_.push_back(&book_);
      return true;
    }
    if (!in_chapters()) return open_book_value(Json::object());
    const Kind kind = value_kind();
    if (!is_object(kind)) return give_up();
    if (kind == Kind::kChapter) entry_ = ManifestEntry();
    if (kind == Kind::kCue) has_cues_ = true;
    json_ += '{';
    frames_.push_back({kind});
    return true;
  }
  bool end_object() override {
    if (!in_chapters()) {
      open_.pop_back();
      return true;
    }
    Frame& frame = frames_.back();
    const Kind kind = frame.kind;  // frame is gone after pop_back
    const std::span<const Field> fields = fields_of(kind);
    if (frame.next < fields.size() && fields[frame.next].kind == Kind::kLoudness) ++frame.next;
    if (frame.next != fields.size()) return give_up();  // a key missing
    close(frame, '}');
    frames_.pop_back();
    if (kind == Kind::kChapter) {
      entry_.missing_cues = utterances_ > 0 && !has_cues_;
      entry_.json = std::move(json_);
      json_.clear();
      entries_.chapters.push_back(std::move(entry_));
      utterances_ = 0;
      has_cues_ = false;
    }
    return true;
  }
  bool start_array(std::size_t /*elements*/) override {
    if (chapters_next_) {
      chapters_next_ = false;
      in_chapters_ = true;
      return true;
    }
    if (!in_chapters()) return open_book_value(Json::array());
    if (frames_.empty()) return give_up();  // an array in the chapters' array
    const Kind kind = value_kind();
    if (!is_array(kind)) return give_up();
    json_ += '[';
    frames_.push_back({kind});
    return true;
  }
  bool end_array() override {
    if (in_chapters_ && frames_.empty()) {  // the chapters' array
      in_chapters_ = false;
      chapters_done_ = true;
      return book_value(Json::array());  // book_of checks it is one
    }
    if (!in_chapters()) {
      open_.pop_back();
      return true;
    }
    close(frames_.back(), ']');
    frames_.pop_back();
    return true;
  }
  bool key(string_t& key) override {
    if (!in_chapters()) {
      if (open_.size() == 1 && key == "chapters") {
        if (chapters_done_ || chapters_next_) return give_up();  // twice
        chapters_next_ = true;
      }
      key_ = std::move(key);
      return true;
    }
    Frame& frame = frames_.back();
    const std::span<const Field> fields = fields_of(frame.kind);
    // "loudness" is left out with --loudness off.
    if (frame.next < fields.size() && fields[frame.next].kind == Kind::kLoudness &&
        key != fields[frame.next].key)
      ++frame.next;
    if (frame.next >= fields.size() || key != fields[frame.next].key) return give_up();
    begin_member(frame);
    json_.append(1, '"').append(key).append("\": ");
    ++frame.next;
    return true;
  }
  bool parse_error(std::size_t /*position*/, const std::string& /*last_token*/,
                   const nlohmann::detail::exception& /*error*/) override {
    return give_up();
  }

 private:
  struct Frame {
    Kind kind;
    std::size_t next = 0;  // an object's next field; an array's elements so far
  };

  bool give_up() {
    gave_up_ = true;
    return false;
  }
  bool in_chapters() const { return in_chapters_; }

  // The kind of the value that comes next in the chapter.
  Kind value_kind() {
    if (frames_.empty()) return Kind::kChapter;  // an element of the chapters' array
    Frame& frame = frames_.back();
    if (is_array(frame.kind)) {
      begin_member(frame);
      ++frame.next;
      if (frame.kind == Kind::kUtterances) ++utterances_;
      return element_of(frame.kind);
    }
    return fields_of(frame.kind)[frame.next - 1].kind;  // its key came first
  }

  // Where nlohmann's pretty form starts a member of the innermost container: a new line,
  // indented two spaces a level.
  void begin_member(const Frame& frame) {
    json_ += frame.next == 0 ? "\n" : ",\n";
    json_.append(2 * frames_.size(), ' ');
  }
  void close(const Frame& frame, char bracket) {
    if (frame.next > 0) {
      json_ += '\n';
      json_.append(2 * (frames_.size() - 1), ' ');
    }
    json_ += bracket;
  }

  bool write_int(int value) {
    head_value(value);
    json_ += std::to_string(value);
    return true;
  }
  bool write_count(std::uint64_t value) {
    if (frames_.size() == 1) entry_.head.bytes = value;
    json_ += std::to_string(value);
    return true;
  }

  // The chapter's head, from its own keys (and its loudness's).
  const char* head_key() const {
    const Frame& frame = frames_.back();
    return fields_of(frame.kind)[frame.next - 1].key;
  }
  void head_value(double value) {
    if (frames_.size() == 2 && frames_.back().kind == Kind::kLoudness) {
      ManifestLoudness& loudness =
          entry_.head.loudness ? *entry_.head.loudness : entry_.head.loudness.emplace();
      const std::string_view key = head_key();
      (key == "integrated"  ? loudness.integrated
       : key == "true_peak" ? loudness.true_peak
                            : loudness.gain) = value;
    } else if (frames_.size() == 1) {
      entry_.head.duration = value;
    }
  }
  void head_value(int value) {
    if (frames_.size() == 1) entry_.head.number = value;
  }
  void head_text(std::string value) {
    if (frames_.size() != 1) return;
    const std::string_view key = head_key();
    ManifestChapter& head = entry_.head;
    (key == "title"  ? head.title
     : key == "file" ? head.file
     : key == "srt"  ? head.srt
     : key == "vtt"  ? head.vtt
                     : head.inputs) = std::move(value);
  }

  // The book's values outside "chapters", into a tree as nlohmann's own parser makes it (a key
  // given twice keeps the last value, where the first stood).
  bool book_value(Json value) {
    // Only the chapters' array may follow their key; and the manifest is an object.
    if (in_chapters_ || chapters_next_ || open_.empty()) return give_up();
    Json& parent = *open_.back();
    if (parent.is_object())
      parent[key_] = std::move(value);
    else
      parent.push_back(std::move(value));
    return true;
  }
  bool open_book_value(Json empty) {
    if (!book_value(std::move(empty))) return false;
    Json& parent = *open_.back();
    open_.push_back(parent.is_object() ? &parent[key_] : &parent.back());
    return true;
  }

  ManifestEntries entries_;
  bool gave_up_ = false;
  // The book outside its chapters.
  Json book_;
  std::vector<Json*> open_;  // its objects and arrays being read, innermost last
  std::string key_;
  bool chapters_next_ = false, in_chapters_ = false, chapters_done_ = false;
  // The chapter being read.
  ManifestEntry entry_;
  std::string json_;
  std::vector<Frame> frames_;
  std::size_t utterances_ = 0;
  bool has_cues_ = false;
};

// The entries of a manifest whose chapters are in the form troupe writes (any spacing), read by
// CanonicalChapterReader; nullopt when it gave up, or failed (out of memory, ...) as the full
// parse would have: that then fails the same way or reads it.
std::optional<ManifestEntries> read_canonical_entries(const std::string& text) {
  try {
    CanonicalChapterReader reader;
    if (!Json::sax_parse(text, &reader)) return std::nullopt;
    return reader.take();
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// The last manifest read, as text and entries. A render reads its book's manifest up to four
// times (ahead, on another core while the story is prepared: prefetch_book_manifest; then whose
// folder it is, which chapters are up to date, what another run recorded meanwhile), most
// often unchanged: then its text is compared, not parsed again (a few tenths
// of a millisecond against some 30 ms for 640 kB). The bytes are compared, not the file's
// identity: the folder may be shared, and a file rewritten in place within one tick of the
// clock keeps its size and times.
struct LastManifest {
  std::mutex mutex;
  std::string text;
  std::shared_ptr<const ManifestEntries> entries;
};
LastManifest& last_manifest() {
  static LastManifest last;
  return last;
}

}  // namespace

std::shared_ptr<const ManifestEntries> read_manifest_entries(const std::string& path) {
  // Its chapters are kept as up to date and merged into the manifest written: another user's
  // file (planted in a shared folder) is no manifest of ours, as the utterance cache's packs.
  std::optional<std::string> text = read_regular_file(path, FileOwner::kMe);
  if (!text) return nullptr;
  LastManifest& last = last_manifest();
  const std::lock_guard<std::mutex> lock(last.mutex);
  if (*text != last.text) {  // at first: "", which is no manifest
    std::optional<ManifestEntries> entries = read_canonical_entries(*text);
    if (!entries) entries = parse_manifest_entries(*text);
    last.entries = entries ? std::make_shared<const ManifestEntries>(std::move(*entries)) : nullptr;
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
