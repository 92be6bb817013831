#include "publish/read_along.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <set>
#include <stdexcept>

#include "render/chapter.h"
#include "render/hash.h"
#include "render/render.h"
#include "text/utf8.h"

namespace troupe {
namespace fs = std::filesystem;

namespace {

// Backgrounds for the span being read, light enough for dark text: the narrator's first, then
// the characters' in the cast's order (repeating after the last).
constexpr const char* kNarratorColour = "#fff0a0";
constexpr const char* kSpeakerColours[] = {"#ffc4c4", "#b8e6c8", "#c4d4ff", "#ffd49c",
                                           "#e2c4ff", "#a8e8e8", "#ffc4e8", "#d4eca0",
                                           "#ecd0b4", "#c4ccdc", "#f4dc9c", "#b4dcff"};

// A word shorter than this is spoken with the next: a clip needs a length.
constexpr double kMinWordSeconds = 0.001;

// A class for each speaker: "narrator", else the slug of the name, starting with a letter and
// unlike every other speaker's.
std::vector<ReadAlongSpeaker> speakers_of(const Manifest& manifest) {
  std::vector<std::string> names{kNarratorLabel};
  const auto add = [&](const std::string& name) {
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  };
  for (const auto& entry : manifest.cast) add(entry.speaker);
  for (const auto& chapter : manifest.chapters)
    for (const auto& utterance : chapter.utterances) add(utterance.speaker);
  std::vector<ReadAlongSpeaker> speakers;
  std::set<std::string> taken;
  std::size_t colour = 0;
  for (const std::string& name : names) {
    ReadAlongSpeaker speaker{name, kNarratorLabel, kNarratorColour};
    if (name != kNarratorLabel) {
      std::string base = slug(name);
      if (!std::isalpha(static_cast<unsigned char>(base[0]))) base = "speaker-" + base;
      speaker.css = base;
      for (int n = 2; taken.count(speaker.css) > 0; ++n)
        speaker.css = base + "-" + std::to_string(n);
      speaker.colour = kSpeakerColours[colour++ % std::size(kSpeakerColours)];
    }
    taken.insert(speaker.css);
    speakers.push_back(std::move(speaker));
  }
  return speakers;
}

// The written words of text: runs of characters other than spaces, as byte ranges.
std::vector<std::pair<std::size_t, std::size_t>> written_words(const std::string& text) {
  std::vector<std::pair<std::size_t, std::size_t>> words;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    const std::size_t begin = i;
    while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    if (i > begin) words.emplace_back(begin, i);
  }
  return words;
}

// When written word i of n begins, without word positions (a manifest written before they
// were kept): the spoken words' times stand at even steps through the cue, and a written word
// takes the time at its own step. The first word begins with the cue.
double interpolated_start(const ManifestCue& cue, std::size_t i, std::size_t n) {
  if (i == 0) return cue.start;
  const std::size_t m = cue.words.size();
  const double at = static_cast<double>(i) * static_cast<double>(m) / static_cast<double>(n);
  const auto j = static_cast<std::size_t>(at);
  const auto time = [&](std::size_t k) {
    return k == 0 ? cue.start : k < m ? std::clamp(cue.words[k], cue.start, cue.end) : cue.end;
  };
  return time(j) + (at - static_cast<double>(j)) * (time(j + 1) - time(j));
}

// A word compared with another: its letters and digits, ASCII ones in lower case ("" for a
// dash or other punctuation).
std::string word_key(std::string_view word) {
  std::string key;
  for (std::size_t i = 0; i < word.size();) {
    const std::size_t begin = i;
    const char32_t c = next_code_point(word, i);
    if (c < 0x80 && std::isalnum(static_cast<int>(c)))
      key += static_cast<char>(std::tolower(static_cast<int>(c)));
    else if (c >= 0x80 && is_letter(c))
      key += word.substr(begin, i - begin);
  }
  return key;
}

// The keys of the spoken words: the word of `spoken` at each code point offset (to the next
// space); "" for an offset past the end.
std::vector<std::string> spoken_keys(const std::string& spoken,
                                     const std::vector<std::size_t>& offsets) {
  std::vector<std::size_t> bytes;  // where each code point begins
  for (std::size_t i = 0; i < spoken.size();) {
    bytes.push_back(i);
    next_code_point(spoken, i);
  }
  std::vector<std::string> keys;
  for (std::size_t offset : offsets) {
    if (offset >= bytes.size()) {
      keys.emplace_back();
      continue;
    }
    const std::size_t begin = bytes[offset];
    std::size_t end = begin;
    while (end < spoken.size() && !std::isspace(static_cast<unsigned char>(spoken[end]))) ++end;
    keys.push_back(word_key(std::string_view(spoken).substr(begin, end - begin)));
  }
  return keys;
}

// The pairs (written, spoken) of the longest common subsequence of the two lists of keys, in
// order: the words said as written.
std::vector<std::pair<std::size_t, std::size_t>> said_as_written(
    const std::vector<std::string>& written, const std::vector<std::string>& spoken) {
  const std::size_t n = written.size(), m = spoken.size();
  std::vector<std::vector<int>> longest(n + 1, std::vector<int>(m + 1, 0));  // of the suffixes
  for (std::size_t i = n; i-- > 0;)
    for (std::size_t j = m; j-- > 0;)
      longest[i][j] = !written[i].empty() && written[i] == spoken[j]
                          ? longest[i + 1][j + 1] + 1
                          : std::max(longest[i + 1][j], longest[i][j + 1]);
  std::vector<std::pair<std::size_t, std::size_t>> pairs;
  for (std::size_t i = 0, j = 0; i < n && j < m;) {
    if (!written[i].empty() && written[i] == spoken[j]) {
      pairs.emplace_back(i++, j++);
    } else if (longest[i + 1][j] >= longest[i][j + 1]) {
      ++i;
    } else {
      ++j;
    }
  }
  return pairs;
}

// When each written word begins, from eSpeak NG's word events mapped back to the words as
// written: a written word said as itself takes its spoken word's time; a run of written words
// said otherwise (a respelled name, a number said in words, an abbreviation said in full), the
// times of the spoken words between the same neighbours, the run's first word the first of
// them and the others at even steps; a written word with no spoken word of its own (a dash)
// the time of the word before, which it joins. The first word begins with the cue.
std::vector<double> mapped_starts(const ManifestCue& cue, const std::string& spoken,
                                  const std::vector<std::pair<std::size_t, std::size_t>>& words) {
  std::vector<std::string> written;
  for (const auto& [begin, end] : words)
    written.push_back(word_key(cue.text.substr(begin, end - begin)));
  auto pairs = said_as_written(written, spoken_keys(spoken, cue.word_offsets));
  pairs.emplace_back(written.size(), cue.words.size());  // the end, as a pair
  std::vector<double> starts(written.size(), cue.start);
  std::size_t i = 0, j = 0;  // the first written and spoken words after the last pair
  for (const auto& [pair_i, pair_j] : pairs) {
    const std::size_t said = pair_j - j;
    const auto keyed = static_cast<std::size_t>(
        std::count_if(written.begin() + static_cast<std::ptrdiff_t>(i),
                      written.begin() + static_cast<std::ptrdiff_t>(pair_i),
                      [](const std::string& key) { return !key.empty(); }));
    for (std::size_t k = i, q = 0; k < pair_i; ++k) {
      const double before = k > 0 ? starts[k - 1] : cue.start;
      starts[k] = said == 0 || written[k].empty() ? before : cue.words[j + q++ * said / keyed];
    }
    if (pair_i < written.size()) starts[pair_i] = cue.words[pair_j];
    i = pair_i + 1;
    j = pair_j + 1;
  }
  double last = cue.start;
  for (double& start : starts) last = start = std::clamp(start, last, cue.end);
  if (!starts.empty()) starts[0] = cue.start;
  return starts;
}

// An utterance of the manifest, and what eSpeak NG was given to say it.
struct SpokenUtterance {
  const ManifestUtterance* entry;
  const SpokenLine* spoken;
};

// Builds one chapter's blocks and spans as its script lines come, its utterances (from
// spoken_lines, in step with the manifest's) giving each spoken line its cues.
class ChapterBuilder {
 public:
  ChapterBuilder(ReadAlongChapter& chapter, const std::map<std::string, std::string>& classes)
      : chapter_(chapter), classes_(classes) {}

  // Text the script skips (a Project Gutenberg licence, an author's notes) is left out.
  void add_line(const ScriptLine& line, const std::vector<SpokenUtterance>& utterances) {
    if (line.kind == LineKind::Skipped) return;
    if (line.kind == LineKind::Pause) {
      chapter_.blocks.push_back({BlockKind::kSceneBreak, {}});
      in_paragraph_ = false;
      return;
    }
    if (line.kind == LineKind::Title) {
      chapter_.blocks.push_back({BlockKind::kHeading, {}});
      in_paragraph_ = false;
    } else if (!in_paragraph_ || line.paragraph_start) {
      chapter_.blocks.push_back({BlockKind::kParagraph, {}});
      in_paragraph_ = true;
    }
    auto& pieces = chapter_.blocks.back().pieces;
    if (!pieces.empty()) pieces.push_back({-1, " "});
    const bool quote = line.kind == LineKind::Quote;
    if (quote) pieces.push_back({-1, "\u201C"});
    if (utterances.empty()) pieces.push_back({-1, line.text});
    bool first = true;
    for (const SpokenUtterance& utterance : utterances)
      for (const ManifestCue& cue : utterance.entry->cues) {
        if (!first) pieces.push_back({-1, " "});
        first = false;
        pieces.push_back({add_span(utterance, cue), {}});
      }
    if (quote) pieces.push_back({-1, "\u201D"});
    if (line.kind == LineKind::Title) in_paragraph_ = false;
  }

 private:
  int add_span(const SpokenUtterance& utterance, const ManifestCue& cue) {
    ReadAlongSpan span;
    span.id =
        "c" + std::to_string(chapter_.number) + "s" + std::to_string(chapter_.spans.size() + 1);
    const auto found = classes_.find(utterance.entry->speaker);
    span.speaker = found != classes_.end() ? found->second : kNarratorLabel;
    span.text = cue.text;
    span.start = cue.start;
    span.end = cue.end;
    span.words = read_along_words(cue, utterance.spoken->say);
    chapter_.spans.push_back(std::move(span));
    return static_cast<int>(chapter_.spans.size()) - 1;
  }

  ReadAlongChapter& chapter_;
  const std::map<std::string, std::string>& classes_;
  bool in_paragraph_ = false;
};

// Whether the manifest's chapter was rendered from this script chapter: its utterances are the
// ones spoken_lines gives now, in order, with the same words, and each has its cues.
bool matches(const std::vector<SpokenLine>& spoken, const ManifestChapter& chapter) {
  if (spoken.size() != chapter.utterances.size() + 1) return false;  // + the closing silence
  for (std::size_t i = 0; i < chapter.utterances.size(); ++i) {
    const ManifestUtterance& u = chapter.utterances[i];
    if (spoken[i].written != u.text || spoken[i].speaker != u.speaker) return false;
    if (u.cues.empty() && written_words(u.text).size() > 0) return false;
  }
  return true;
}

std::string uuid_of(const std::string& text) {
  Hasher hasher;
  hasher.add("read-along").add(text);
  std::string hex = hasher.hex();
  hex[12] = '5';  // a name-based UUID's version and variant digits
  hex[16] = "89ab"[hex[16] % 4];
  return "urn:uuid:" + hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20, 12);
}

std::string folder_name(const std::string& book_folder) {
  const fs::path folder = fs::path(book_folder).lexically_normal();
  return folder.has_filename() ? folder.filename().string()
                               : folder.parent_path().filename().string();
}

}  // namespace

ReadAlongMode read_along_mode(const std::string& name) {
  if (name == "sentences") return ReadAlongMode::kSentences;
  if (name == "words") return ReadAlongMode::kWords;
  throw std::invalid_argument("read-along mode must be sentences or words, not " + name);
}

std::vector<ReadAlongWord> read_along_words(const ManifestCue& cue, const std::string& spoken) {
  const auto words = written_words(cue.text);
  const bool positions = !cue.words.empty() && cue.word_offsets.size() == cue.words.size();
  std::vector<double> starts;
  if (positions) starts = mapped_starts(cue, spoken, words);
  for (std::size_t i = 0; !positions && i < words.size(); ++i)
    starts.push_back(interpolated_start(cue, i, words.size()));
  std::vector<ReadAlongWord> timed;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const double start = starts[i];
    if (!timed.empty() && start - timed.back().start < kMinWordSeconds) {
      timed.back().end = words[i].second;
      continue;
    }
    if (!timed.empty()) timed.back().stop = start;
    timed.push_back({words[i].first, words[i].second, start, cue.end});
  }
  if (!timed.empty() && timed.back().stop - timed.back().start < kMinWordSeconds &&
      timed.size() > 1) {
    timed[timed.size() - 2].end = timed.back().end;
    timed.pop_back();
    timed.back().stop = cue.end;
  }
  return timed;
}

ReadAlongBook read_along_book(const PreparedStory& story, const Manifest& manifest,
                              double rate_scale) {
  ReadAlongBook book;
  book.title = manifest.story;
  book.author = manifest.author;
  book.language = manifest.language.empty() ? "en" : manifest.language;
  book.identifier = uuid_of(story.story.path + "\n" + manifest.story);
  const StoryMetadata& metadata = story.story.metadata;
  if (metadata.cover_media_type == "image/jpeg" || metadata.cover_media_type == "image/png" ||
      metadata.cover_media_type == "image/gif" || metadata.cover_media_type == "image/svg+xml") {
    book.cover = metadata.cover;
    book.cover_media_type = metadata.cover_media_type;
  }
  book.speakers = speakers_of(manifest);
  std::map<std::string, std::string> classes;
  for (const auto& speaker : book.speakers) classes[speaker.name] = speaker.css;

  for (const ManifestChapter& entry : manifest.chapters) {
    if (entry.number < 1 || entry.number > static_cast<int>(story.script.chapters.size())) continue;
    const ChapterScript& script = story.script.chapters[static_cast<std::size_t>(entry.number - 1)];
    const std::vector<SpokenLine> spoken = spoken_lines(story, script, rate_scale);
    if (!matches(spoken, entry)) continue;
    ReadAlongChapter chapter;
    chapter.number = entry.number;
    chapter.title = entry.title.empty() ? "Chapter " + std::to_string(entry.number) : entry.title;
    chapter.audio = entry.file;
    chapter.inputs = entry.inputs;
    chapter.bytes = entry.bytes;
    chapter.duration = entry.duration;
    ChapterBuilder builder(chapter, classes);
    std::size_t next = 0;  // the next utterance
    for (const ScriptLine& line : script.lines) {
      std::vector<SpokenUtterance> utterances;
      for (; next < entry.utterances.size() && spoken[next].line == &line; ++next)
        utterances.push_back({&entry.utterances[next], &spoken[next]});
      builder.add_line(line, utterances);
    }
    book.chapters.push_back(std::move(chapter));
  }
  return book;
}

std::string read_along_epub_path(const std::string& book_folder) {
  return (fs::path(book_folder) / (folder_name(book_folder) + ".epub")).string();
}

std::string read_along_html_path(const std::string& book_folder) {
  return (fs::path(book_folder) / (folder_name(book_folder) + ".html")).string();
}

}  // namespace troupe
