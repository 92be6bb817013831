#include "render/chapter.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <system_error>
#include <thread>

#include "audio/atomic_file.h"
#include "audio/folder_sync.h"
#include "audio/subtitles.h"
#include "common/errors.h"
#include "render/hash.h"
#include "render/interrupt.h"
#include "render/utterance_cache.h"
#include "speech/engine.h"
#include "text/utf8.h"

namespace troupe {
namespace fs = std::filesystem;

namespace {

// Pauses, in milliseconds, chosen to sound like a person reading aloud.
constexpr int kPauseWithinParagraphMs = 250;
constexpr int kPauseBetweenParagraphsMs = 550;
constexpr int kPauseAfterTitleMs = 900;
constexpr int kPauseSceneBreakMs = 1400;
constexpr int kPauseEndOfChapterMs = 1200;

// A WAV chapter with more text than this might pass 4 GiB (at 80 words a minute, the slowest
// rate, a character of text is about 5.5 kB of audio): it is written as RF64 when its length
// is not known beforehand.
constexpr std::size_t kLargeChapterChars = 400'000;

// Bumped whenever the way a chapter is rendered from the same inputs changes. 3: speech groups
// of 3,000 to 8,000 characters (they were 8,000 to 20,000), which moves where eSpeak NG starts
// afresh, and so the samples.
constexpr int kRenderVersion = 3;

// Speech groups: a group closes at a paragraph boundary once it holds kGroupMinChars of text,
// where the next paragraph's hash says so (about one boundary in four), or at once past
// kGroupMaxChars. Boundaries chosen by content stay put when an edit elsewhere changes
// lengths, so an edit re-speaks its own group, and nothing else: the group's size is what an
// edit costs (and the most a part of a split chapter holds, so what evens out the workers).
// Each group costs one fork from the speech server, and the child then copies the pages of
// eSpeak NG's state it writes: some 10-25 ms of CPU on the development machine (a virtual
// machine, where copy-on-write faults are slow), against about 45 us of CPU per character
// spoken, so groups of 3,000 to 8,000 characters (4,500 on average) cost a few percent.
// Smaller groups were measured and not taken (session 11, load average 15-18, task-clock):
// groups of 1,000 to 2,500 characters (one boundary in three) took 29 forks instead of 14 on
// story 002, and the six-chapter bench book 3.19-3.38 s of CPU instead of 2.87-2.96 s, while
// the group its edit re-speaks shrank only from 3,600 to 2,600 characters (a novel's
// paragraphs are long, and a group ends only between them).
// Measured again in session 14 (task-clock, best of 4, interleaved): groups of 1,000 to 3,000
// characters took 22 forks instead of 12 on story 002, 1,945 ms of CPU instead of 1,821 (about
// 12 ms and 190 page faults a group), and the bench's edit still re-spoke 3,600 characters:
// the hash passed over the two paragraph boundaries after 1,000, so the group was the same.
// What a group costs besides its speech, measured in session 17 (the ring reused, the server
// writing less): a session that says one letter costs about 4 ms of CPU, but a group of a full
// render about 12-15 ms, most of it not the fork but the child's first change of voice (a new
// translator and dictionary) and the pages of eSpeak NG's state it writes. Groups of 1,500 to
// 4,000 characters gave story 002 six more groups and 71-94 ms more CPU, and the bench's
// re-render the same 0.35 s of CPU (its edited group no smaller). Earlier figures: README.
constexpr std::size_t kGroupMinChars = 3000;
constexpr std::size_t kGroupMaxChars = 8000;
constexpr std::uint64_t kGroupBoundaryOneIn = 4;

int clamp(int v, int lo, int hi) { return std::max(lo, std::min(hi, v)); }

// The factor on eSpeak NG's words a minute that makes its speech last 1/rate_scale as long.
// Faster, eSpeak NG shortens speech a little less than in proportion (some sounds have a
// minimum length), by how much depends on the text: at 2, story 002's chapter lasted 5.4% too
// long and story 001's 1%. Aiming between the two keeps both within 2.5%.
double espeak_speed_factor(double rate_scale) { return rate_scale * (1 + 0.03 * (rate_scale - 1)); }

// A whisper stays in the character's own voice: softer, a little slower and lower.
VoiceParams with_delivery(VoiceParams params, Delivery delivery, double rate_scale) {
  if (delivery == Delivery::Soft) {
    params.volume = params.volume * 55 / 100;
    params.rate = params.rate * 92 / 100;
    params.pitch -= 6;
    params.range = params.range * 70 / 100;
  } else if (delivery == Delivery::Loud) {
    params.volume = params.volume * 140 / 100;
    params.rate = params.rate * 106 / 100;
    params.pitch += 8;
    params.range += 15;
  }
  params.rate = static_cast<int>(std::lround(params.rate * espeak_speed_factor(rate_scale)));
  params.rate = clamp(params.rate, 80, 450);
  params.pitch = clamp(params.pitch, 0, 100);
  params.range = clamp(params.range, 0, 100);
  params.volume = clamp(params.volume, 0, 200);
  return params;
}

const VoiceAssignment& voice_for_line(const Cast& cast, const ScriptLine& line) {
  if (line.kind != LineKind::Quote) return cast.narrator;
  try {
    return cast.voice_for(line.speaker);
  } catch (const std::out_of_range&) {
    return cast.narrator;
  }
}

// Pauses follow --rate like the speech, so that a whole chapter lasts 1/rate as long.
int scaled_pause(int ms, double rate_scale) {
  return static_cast<int>(std::lround(ms / rate_scale));
}

int pause_before(const ScriptLine& line, bool first_in_chapter, LineKind previous) {
  if (first_in_chapter) return 0;
  if (previous == LineKind::Title) return kPauseAfterTitleMs;
  return line.paragraph_start ? kPauseBetweenParagraphsMs : kPauseWithinParagraphMs;
}

Hasher& add_voice(Hasher& hasher, const VoiceParams& voice) {
  return hasher.add(espeak_voice_name(voice))
      .add(voice.rate)
      .add(voice.pitch)
      .add(voice.range)
      .add(voice.volume);
}

// context: the hash of what its speech group said before it (see SpeechSession).
std::string utterance_key(const std::string& say, const VoiceParams& voice,
                          const ChapterSettings& settings, int sample_rate,
                          const std::string& context) {
  Hasher hasher;
  // troupe's version and kRenderVersion too: a cached utterance must be what this troupe would
  // speak now, not what an older one spoke (its synthesis may differ).
  hasher.add("utterance").add(kRenderVersion).add(TROUPE_VERSION).add(espeak_ng_version());
  hasher.add(sample_rate).add(context).add(say);
  add_voice(hasher, voice);
  hasher.add(settings.loudness ? limiter_headroom(settings.target) : -1000.0);
  return hasher.hex();
}

// An utterance is at most about this long, in bytes of spoken text (some 340 words: 45 s of
// speech and 2 MB of samples at the fastest rate, 4 minutes and 11 MB at the slowest): a longer
// line is said in pieces of whole sentences.
constexpr std::size_t kMaxUtteranceBytes = 2000;

// What a line says, in one piece or, when long, in pieces of whole sentences: each piece's
// spoken and written words, and its sentences (their spoken offsets in code points of the
// piece's spoken words, as eSpeak NG's word times count).
struct Piece {
  std::string say, written;
  std::vector<CueSentence> sentences;
};

std::vector<Piece> pieces_of(const ScriptLine& line, const std::vector<SentenceSpan>& spans) {
  std::vector<Piece> pieces;
  std::size_t piece_begin = 0, spoken_end = 0, written_begin = 0, written_end = 0;
  std::size_t byte = 0, code_point = 0;  // the last spoken offset counted, and its code point
  auto close_piece = [&] {
    if (pieces.empty()) return;
    Piece& piece = pieces.back();
    piece.say = line.say.substr(piece_begin, spoken_end - piece_begin);
    piece.written = line.text.substr(written_begin, written_end - written_begin);
  };
  std::size_t piece_code_point = 0;  // where the piece begins, in code points of line.say
  for (const SentenceSpan& span : spans) {
    if (span.spoken_begin == span.spoken_end) continue;  // nothing of it is spoken
    code_point +=
        code_point_count(std::string_view(line.say).substr(byte, span.spoken_begin - byte));
    byte = span.spoken_begin;
    if (pieces.empty() || span.spoken_end - piece_begin > kMaxUtteranceBytes) {
      close_piece();
      pieces.emplace_back();
      piece_begin = span.spoken_begin;
      piece_code_point = code_point;
      written_begin = span.written_begin;
    }
    pieces.back().sentences.push_back(
        {line.text.substr(span.written_begin, span.written_end - span.written_begin),
         code_point - piece_code_point});
    written_end = span.written_end;
    spoken_end = span.spoken_end;
  }
  close_piece();
  if (pieces.size() == 1) {  // the line in one piece: its words exactly
    pieces[0].say = line.say;
    pieces[0].written = line.text;
  }
  return pieces;
}

bool closes_group(std::size_t group_chars, const SpokenLine& next) {
  if (!next.line->paragraph_start && next.line->kind != LineKind::Title) return false;
  if (group_chars < kGroupMinChars) return false;
  if (group_chars >= kGroupMaxChars) return true;
  Hasher hasher;
  hasher.add(next.say);
  return hasher.low() % kGroupBoundaryOneIn == 0;
}

void mark_groups(std::vector<SpokenLine>& lines) {
  std::size_t group_chars = 0;
  bool first = true;
  for (SpokenLine& s : lines) {
    if (s.line == nullptr) continue;
    s.group_start = first || closes_group(group_chars, s);
    if (s.group_start) group_chars = 0;
    group_chars += s.say.size();
    first = false;
  }
}

// Where a chapter's utterances come from: its book's cache, or a speech session per group.
// A group is spoken whole whenever one of its lines is missing from the cache.
class UtteranceSource {
 public:
  UtteranceSource(const std::vector<SpokenLine>& lines, const ChapterSettings& settings,
                  int sample_rate, PackLibrary* library)
      : lines_(lines), settings_(settings), rate_(sample_rate), library_(library) {
    Hasher context;
    for (const SpokenLine& s : lines_) {
      if (s.line == nullptr) {
        keys_.emplace_back();
        continue;
      }
      if (s.group_start) context = Hasher();
      keys_.push_back(utterance_key(s.say, s.voice, settings_, rate_, context.hex()));
      add_voice(context.add(s.say), s.voice);
    }
  }

  const std::string& key(std::size_t i) const { return keys_[i]; }
  PackLibrary* library() const { return library_; }

  // A hash of the keys of lines [from, to) that the cache does not hold: names the pack that
  // keeps what is spoken from line `from` on.
  std::string uncached_hash(std::size_t from, std::size_t to) const {
    Hasher hasher;
    for (std::size_t i = from; i < to && i < keys_.size(); ++i)
      if (!keys_[i].empty() && (library_ == nullptr || !library_->contains(keys_[i])))
        hasher.add(keys_[i]);
    return hasher.hex().substr(0, 16);
  }

  // Whether the cache holds every utterance of the group starting at line `start`, by the
  // index alone: an entry found damaged when loaded is spoken then (see get).
  bool all_cached(std::size_t start) const {
    if (library_ == nullptr) return false;
    for (std::size_t i = start; i < group_end_of(start); ++i)
      if (!library_->contains(keys_[i])) return false;
    return true;
  }

  // Whether the cache holds every utterance of lines [from, to), by the index alone.
  bool all_cached(std::size_t from, std::size_t to) const {
    if (library_ == nullptr) return false;
    for (std::size_t i = from; i < to && i < keys_.size(); ++i)
      if (!keys_[i].empty() && !library_->contains(keys_[i])) return false;
    return true;
  }

  // Line i's utterance into `into`; lines are asked for in order, from a group's start.
  // Returns whether it was spoken (not found in the cache).
  bool get(std::size_t i, CachedUtterance& into) {
    if (lines_[i].group_start) {
      session_.reset();
      if (!all_cached(i)) start_session(i, i);
    }
    // With levelling, the samples are read back from their pack when the chapter is written.
    if (!session_ && library_ != nullptr && library_->load(keys_[i], into, !settings_.loudness))
      return false;
    // A miss after all (the pack changed under us): speak the group up to this line again.
    if (!session_) start_session(group_start_of(i), i);
    session_->next(spoken_);
    std::swap(into.samples, spoken_.samples);  // both keep their memory for the next
    std::swap(into.words, spoken_.words);
    into.frames = into.samples.size();
    into.levels = {};
    into.samples_checksum.reset();
    if (settings_.loudness)
      into.levels = level_utterance(into.samples, rate_, limiter_headroom(settings_.target));
    return true;
  }

 private:
  std::size_t group_end_of(std::size_t start) const {
    std::size_t end = start + 1;
    while (end < lines_.size() && lines_[end].line != nullptr && !lines_[end].group_start) ++end;
    return end;
  }
  std::size_t group_start_of(std::size_t i) const {
    while (i > 0 && !lines_[i].group_start) --i;
    return i;
  }
  // Speaks the group starting at `start`, skipping what comes before line `from`.
  void start_session(std::size_t start, std::size_t from) {
    std::vector<SpeechRequest> requests;
    const std::size_t end = group_end_of(start);
    for (std::size_t i = start; i < end; ++i) requests.push_back({lines_[i].say, lines_[i].voice});
    Engine& engine = Engine::instance();
    // The rate was presumed when the cache held everything (see open_at_rate), and an entry
    // found damaged since is spoken after all: never at another rate than its neighbours'.
    if (engine.sample_rate() != rate_)
      throw RenderError("eSpeak NG speaks at " + std::to_string(engine.sample_rate()) +
                        " Hz, and the utterance cache holds audio at " + std::to_string(rate_) +
                        " Hz: remove its .cache folder");
    session_.emplace(engine, std::move(requests));
    for (std::size_t i = start; i < from; ++i) session_->next(spoken_);
  }

  const std::vector<SpokenLine>& lines_;
  const ChapterSettings& settings_;
  int rate_;
  PackLibrary* library_;
  std::vector<std::string> keys_;
  std::optional<SpeechSession> session_;
  Utterance spoken_;
};

// The pack a render puts the utterances it speaks into, made when the first one is spoken
// (none when everything came from the cache). In the cache it is named by what it holds,
// FOLDER/<stem>.<hash>.pack: a group left unchanged by an edit keeps its pack, and the
// utterances the cache held are read from their own packs, never copied. Without a cache it
// is at a fixed path (a part's utterances for the join, or the audio waiting for its gain).
class SpokenPack {
 public:
  // In the cache: folder and stem. Else fixed_path (folder empty).
  SpokenPack(std::string folder, std::string stem, std::string fixed_path, int rate)
      : folder_(std::move(folder)),
        stem_(std::move(stem)),
        path_(std::move(fixed_path)),
        rate_(rate) {}

  // Makes the pack for what is spoken from line `from` up to line `to`.
  void open(const UtteranceSource& source, std::size_t from, std::size_t to) {
    if (writer_) return;
    if (!folder_.empty())
      path_ =
          (fs::path(folder_) / (stem_ + "." + source.uncached_hash(from, to) + ".pack")).string();
    writer_.emplace(path_, rate_);
  }
  // Adds line i's utterance; returns its entry.
  std::size_t add(const UtteranceSource& source, std::size_t i, std::size_t to,
                  const CachedUtterance& utterance) {
    open(source, i, to);
    return writer_->add(source.key(i), utterance);
  }
  void read_samples(std::size_t entry, std::size_t from, int16_t* into, std::size_t count) {
    writer_->read_samples(entry, from, into, count);
  }
  void finish(bool keep) {
    if (writer_) writer_->finish(keep);
  }
  // Where it was written, or empty.
  std::string path() const { return writer_ ? path_ : std::string(); }

 private:
  std::string folder_, stem_, path_;
  int rate_;
  std::optional<PackWriter> writer_;
};

// The chapter's packs in the cache (named <stem>.*.pack) that this render neither read from nor
// wrote: what an earlier render spoke of text that has changed since.
void remove_unused_packs(const std::string& folder, const std::string& stem,
                         const PackLibrary& library, const std::string& written) {
  std::error_code error;
  for (fs::directory_iterator it(folder, error), end; !error && it != end; it.increment(error)) {
    const std::string name = it->path().filename().string();
    if (name.size() <= stem.size() + 6 || name.compare(0, stem.size() + 1, stem + ".") != 0 ||
        name.compare(name.size() - 5, 5, ".pack") != 0)
      continue;
    const std::string path = it->path().string();
    std::error_code ignored;
    if (path != written && !library.used(path)) fs::remove(path, ignored);
  }
}

// An utterance of the chapter's audio: in this render's pack (spoken now) or in the cache.
struct Segment {
  std::size_t silence = 0;  // samples of silence before the utterance
  std::size_t samples = 0;
  std::size_t line = 0;  // into the chapter's spoken lines
  bool spoken = false;   // in this render's pack, at `entry`; else in the cache, by key
  std::size_t entry = 0;
  // From a part's pack, loaded without its samples: what fast_checksum of them must be.
  std::optional<std::uint64_t> checksum;
};

// The artist tag: --author, else the author the book names (an EPUB's dc:creator).
const std::string& artist_of(const PreparedStory& story, const ChapterSettings& settings) {
  return settings.author.empty() ? story.story.metadata.author : settings.author;
}

// The packs a chapter's utterances may come from at `rate`: its book's cache and its parts'
// packs. Returns the path of a part's pack that cannot be read at that rate, else "".
std::string open_library(std::optional<PackLibrary>& library, const ChapterSettings& settings,
                         int rate) {
  library.reset();
  if (!settings.cache_folder.empty()) {
    // The parts' packs are in it.
    library.emplace(settings.cache_folder, rate, settings.packs_before.get());
    return std::string();
  }
  if (!settings.part_packs.empty()) library.emplace();
  if (settings.wait_for_part)
    return std::string();  // each part's pack is added once the part is spoken
  for (const std::string& part : settings.part_packs)
    if (!library->add(part, rate, true)) return part;  // spoken by this run
  return std::string();
}

// The rate eSpeak NG speaks at as built: that of its phoneme data (22,050 Hz in every release
// of eSpeak NG; only MBROLA voices, which troupe does not use, differ).
constexpr int kPresumedSampleRate = 22050;

// The sample rate to render lines [from, to) of a chapter at, its library of packs opened at
// that rate. Starting eSpeak NG to ask it costs some 30 ms of CPU (its data, voice list and
// speech server), worth paying only when something is to be spoken: when the packs hold every
// utterance at the presumed rate (their keys and headers name it), that is the rate, and the
// engine is left alone. Throws RenderError when a part's pack is missing.
int open_at_rate(std::optional<PackLibrary>& library, const std::vector<SpokenLine>& lines,
                 std::size_t from, std::size_t to, const ChapterSettings& settings) {
  const bool has_packs = !settings.cache_folder.empty() || !settings.part_packs.empty();
  std::string missing = has_packs ? open_library(library, settings, kPresumedSampleRate) : "";
  if (has_packs && missing.empty() &&
      UtteranceSource(lines, settings, kPresumedSampleRate, &*library).all_cached(from, to))
    return kPresumedSampleRate;
  const int rate = Engine::instance().sample_rate();
  if (!has_packs) return rate;
  if (rate != kPresumedSampleRate || !missing.empty())
    missing = open_library(library, settings, rate);
  if (!missing.empty()) throw RenderError(missing + ": a part of the chapter is missing");
  return rate;
}

// The join of a split chapter begun while its parts are still spoken (wait_for_part set):
// before the first line of each part is used, waits for the part and adds its pack to the
// library: without a cache the part's own pack, with one the chapter's packs that have
// appeared in it since.
class PartArrivals {
 public:
  PartArrivals(const std::vector<SpokenLine>& lines, const ChapterSettings& settings,
               PackLibrary* library, std::string stem, int rate)
      : settings_(settings), library_(library), stem_(std::move(stem)), rate_(rate) {
    if (settings_.wait_for_part && library_ != nullptr)
      for (const ChapterPart& part : chapter_parts(lines)) starts_.push_back(part.begin);
  }

  void before_line(std::size_t i) {
    if (next_ >= starts_.size() || starts_[next_] != i) return;
    settings_.wait_for_part(next_);
    if (settings_.cache_folder.empty()) {
      const std::string& pack = settings_.part_packs.at(next_);
      if (!library_->add(pack, rate_, true))
        throw RenderError(pack + ": a part of the chapter is missing");
    } else {
      add_chapter_packs();
    }
    ++next_;
  }

 private:
  void add_chapter_packs() {
    const std::string prefix = stem_ + ".";
    std::error_code error;
    for (fs::directory_iterator it(settings_.cache_folder, error), end; !error && it != end;
         it.increment(error)) {
      const std::string name = it->path().filename().string();
      if (!name.starts_with(prefix) || !name.ends_with(".pack")) continue;
      const std::string path = it->path().string();
      library_->add(path, rate_,
                    settings_.packs_before != nullptr && settings_.packs_before->count(path) == 0);
    }
  }

  const ChapterSettings& settings_;
  PackLibrary* library_;
  std::string stem_;
  int rate_;
  std::vector<std::size_t> starts_;  // each part's first line
  std::size_t next_ = 0;             // the part waited for next
};

// The name of a chapter's files without the extension ("03-chapter-iii").
std::string stem_of(const std::string& file_name) {
  return file_name.substr(0, file_name.find('.'));
}

}  // namespace

std::vector<ChapterPart> chapter_parts(const std::vector<SpokenLine>& lines) {
  std::vector<ChapterPart> parts;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].line == nullptr) continue;
    if (lines[i].group_start) parts.push_back({i, i, 0});
    parts.back().end = i + 1;
    parts.back().chars += lines[i].say.size();
  }
  return parts;
}

std::vector<ChapterPart> parts_to_speak(const PreparedStory& story, int number,
                                        const ChapterSettings& settings) {
  const ChapterScript& chapter = story.script.chapters.at(static_cast<std::size_t>(number - 1));
  const std::vector<SpokenLine> lines = spoken_lines(story, chapter, settings.rate_scale);
  std::vector<ChapterPart> parts = chapter_parts(lines);
  if (settings.cache_folder.empty()) return parts;
  // Only the index of each pack is read; a cache at another rate than the presumed one holds
  // nothing for this count, which is then the whole text (as without a cache).
  PackLibrary library(settings.cache_folder, kPresumedSampleRate);
  if (library.size() == 0) return parts;
  const UtteranceSource source(lines, settings, kPresumedSampleRate, &library);
  for (ChapterPart& part : parts) {
    part.chars = 0;
    // A group is spoken whole once one of its utterances is missing.
    if (!source.all_cached(part.begin, part.end))
      for (std::size_t i = part.begin; i < part.end; ++i) part.chars += lines[i].say.size();
  }
  return parts;
}

void speak_chapter_part(const PreparedStory& story, int number, std::size_t part,
                        const ChapterSettings& settings, const std::string& pack_path,
                        const std::function<void(std::size_t)>& progress) {
  const ChapterScript& chapter = story.script.chapters.at(static_cast<std::size_t>(number - 1));
  const std::vector<SpokenLine> lines = spoken_lines(story, chapter, settings.rate_scale);
  const ChapterPart range = chapter_parts(lines).at(part);
  ChapterSettings own = settings;
  own.part_packs.clear();  // a part reads from the cache only
  std::optional<PackLibrary> library;
  const int rate = open_at_rate(library, lines, range.begin, range.end, own);
  UtteranceSource source(lines, own, rate, library ? &*library : nullptr);
  if (source.all_cached(range.begin, range.end)) {  // nothing to load: the join will
    if (progress) progress(range.end - range.begin);
    return;
  }
  const fs::path pack_file(pack_path);
  SpokenPack pack(library ? pack_file.parent_path().string() : std::string(),
                  stem_of(pack_file.filename().string()), pack_path, rate);
  if (!library) pack.open(source, range.begin, range.end);  // the join looks for it
  CachedUtterance current;
  for (std::size_t i = range.begin; i < range.end; ++i) {
    throw_if_interrupted();  // unwinding removes the unfinished pack
    if (source.get(i, current)) pack.add(source, i, range.end, current);
    if (progress) progress(1);
  }
  pack.finish(true);
}

std::vector<SpokenLine> spoken_lines(const PreparedStory& story, const ChapterScript& chapter,
                                     double rate_scale) {
  const auto chapter_index = static_cast<std::size_t>(&chapter - story.script.chapters.data());
  std::vector<SpokenLine> spoken;
  bool first = true;
  LineKind previous = LineKind::Title;
  int pending_ms = 0;  // scene breaks
  for (const auto& line : chapter.lines) {
    if (line.kind == LineKind::Skipped) continue;
    if (line.kind == LineKind::Pause) {
      pending_ms += kPauseSceneBreakMs;
      previous = LineKind::Pause;
      continue;
    }
    if (line.say.empty()) continue;
    const auto& voice = voice_for_line(story.cast, line);
    const auto at = static_cast<std::size_t>(&line - chapter.lines.data());
    for (Piece& piece : pieces_of(line, story.sentences.at(chapter_index).at(at))) {
      SpokenLine s;
      s.line = &line;
      s.say = std::move(piece.say);
      s.written = std::move(piece.written);
      s.sentences = std::move(piece.sentences);
      s.pause_ms = spoken.empty() || spoken.back().line != &line
                       ? scaled_pause(pending_ms + pause_before(line, first, previous), rate_scale)
                       : 0;
      s.speaker = line.kind == LineKind::Quote ? line.speaker : kNarratorLabel;
      s.profile = voice.profile;
      s.voice = with_delivery(voice.params, line.delivery, rate_scale);
      spoken.push_back(std::move(s));
    }
    pending_ms = 0;
    first = false;
    previous = line.kind;
  }
  SpokenLine end;
  end.pause_ms = scaled_pause(pending_ms + kPauseEndOfChapterMs, rate_scale);
  spoken.push_back(std::move(end));
  mark_groups(spoken);
  return spoken;
}

std::string chapter_inputs_hash(const PreparedStory& story, int number, const std::string& file,
                                const ChapterSettings& settings) {
  const ChapterScript& chapter = story.script.chapters.at(static_cast<std::size_t>(number - 1));
  Hasher hasher;
  hasher.add("chapter").add(kRenderVersion).add(TROUPE_VERSION).add(espeak_ng_version());
  hasher.add(file).add(chapter.title).add(story.story.title).add(artist_of(story, settings));
  hasher.add(static_cast<int>(settings.format)).add(settings.rate_scale);
  hasher.add(settings.loudness ? 1 : 0)
      .add(settings.target.integrated)
      .add(settings.target.true_peak);
  for (const SpokenLine& s : spoken_lines(story, chapter, settings.rate_scale)) {
    hasher.add(s.pause_ms);
    if (s.line == nullptr) continue;
    // The text as written too: the subtitles show it.
    hasher.add(s.say).add(s.written).add(s.line->line).add(s.speaker).add(s.profile);
    add_voice(hasher, s.voice);
  }
  return hasher.hex();
}

namespace {

// The levelled audio on its way to the writer: pauses and utterances gathered into one buffer
// (the utterances read back into it and scaled there), written a buffer at a time. Written as
// they came, a write for each pause and for each utterance's piece, story 002's chapter took
// some 2,000 writes, each a system call (dear on a virtual machine); 256 kB at a time, some 370.
class StagedAudio {
 public:
  explicit StagedAudio(ChapterWriter& writer) : writer_(writer), buffer_(kSamples) {}

  void add_silence(std::size_t count) {
    while (count > 0) {
      int16_t* into = nullptr;
      const std::size_t n = room(count, into);
      std::fill(into, into + n, int16_t{0});
      add(n);
      count -= n;
    }
  }
  // Where the next samples go, and how many of up to `wanted` (> 0) fit there (at least one).
  std::size_t room(std::size_t wanted, int16_t*& into) {
    into = buffer_.data() + used_;
    return std::min(wanted, buffer_.size() - used_);
  }
  // The next n samples are in place (see room).
  void add(std::size_t n) {
    used_ += n;
    if (used_ == buffer_.size()) flush();
  }
  void flush() {
    writer_.write(buffer_.data(), used_);
    used_ = 0;
  }

 private:
  static constexpr std::size_t kSamples = std::size_t{1} << 17;
  ChapterWriter& writer_;
  std::vector<int16_t> buffer_;
  std::size_t used_ = 0;
};

// Writes the chapter's audio levelled by `levelling`: each utterance read back from where it
// is (this render's pack, or the cache) and scaled by the chapter's gain and its limiter. An
// utterance of a part's pack, loaded without its samples (its words and blocks unchecked till
// now), is checked as it is read: damaged, the chapter fails before it is committed. (The
// cache's others were checked when loaded.)
void write_levelled(ChapterWriter& writer, const std::vector<Segment>& segments,
                    const ChapterLevelling& levelling, SpokenPack& pack, UtteranceSource& source) {
  StagedAudio staged(writer);
  for (std::size_t u = 0; u < segments.size(); ++u) {
    const Segment& segment = segments[u];
    staged.add_silence(segment.silence);
    const float gain = static_cast<float>(levelling.gain) * levelling.factors[u];
    FastChecksum checksum;
    for (std::size_t done = 0; done < segment.samples;) {
      int16_t* into = nullptr;
      const std::size_t n = staged.room(segment.samples - done, into);
      if (segment.spoken) {
        pack.read_samples(segment.entry, done, into, n);
      } else {
        if (!source.library()->read_samples(source.key(segment.line), done, into, n))
          throw RenderError("the utterance cache could not be read back (a pack removed?)");
        if (segment.checksum) checksum.add(into, n * 2);
      }
      if (gain != 1.0f) scale_samples(into, n, gain);  // 1 leaves every sample
      staged.add(n);
      done += n;
    }
    if (segment.checksum && checksum.value() != *segment.checksum)
      throw RenderError(
          "an utterance read back from the utterance cache is damaged (its pack changed?)");
  }
  staged.flush();
}

// The utterance's entry in the manifest, its cues added to `cues`.
ManifestUtterance manifest_utterance(const SpokenLine& s, const CachedUtterance& utterance,
                                     std::size_t start, int rate, std::vector<Cue>& cues) {
  auto seconds = [rate](std::size_t samples) { return static_cast<double>(samples) / rate; };
  ManifestUtterance entry;
  entry.start = seconds(start);
  entry.end = seconds(start + utterance.frames);
  entry.speaker = s.speaker;
  entry.voice = s.profile;
  entry.text = s.written;  // the words as written, as the subtitles show them
  entry.line = s.line->line;
  std::vector<TimedWord> words;
  words.reserve(utterance.words.size());
  for (const WordTiming& w : utterance.words)
    words.push_back(
        {w.char_offset, w.char_length, seconds(start + static_cast<std::size_t>(w.sample))});
  for (Cue& cue : utterance_cues(s.sentences, s.speaker, words, entry.start, entry.end)) {
    entry.cues.push_back({cue.start, cue.end, cue.text, cue.words, cue.word_offsets});
    cues.push_back(std::move(cue));
  }
  return entry;
}

// The characters of text a chapter's lines say (pauses say none).
std::size_t spoken_chars(const std::vector<SpokenLine>& lines) {
  std::size_t chars = 0;
  for (const SpokenLine& s : lines)
    if (s.line != nullptr) chars += s.say.size();
  return chars;
}

// A chapter's entry before anything is spoken: its number, title and file names.
ManifestChapter chapter_entry(int number, const ChapterScript& chapter, const ChapterFiles& files) {
  ManifestChapter result;
  result.number = number;
  result.title = chapter.title;
  result.file = files.audio;
  result.srt = files.srt;
  result.vtt = files.vtt;
  return result;
}

// Puts the chapter's audio, pack and subtitles in place, made durable by one folder fsync.
// The subtitles are staged before the audio's fsync, so they are mostly on disk by then and
// their own fsyncs wait for little.
void commit_chapter_files(ChapterWriter& writer, SpokenPack& pack, bool caching,
                          const ChapterFiles& files, const std::vector<Cue>& cues) {
  FolderSyncBatch renames;
  const auto srt = staged_file((fs::path(files.folder) / files.srt).string(), srt_text(cues));
  const auto vtt = staged_file((fs::path(files.folder) / files.vtt).string(), webvtt_text(cues));
  writer.commit();
  pack.finish(caching);
  srt->commit();
  vtt->commit();
  renames.sync();
}

// Once the chapter's new files are durable, the packs it no longer needs and its parts' packs
// go: after a crash between the two, the removals could outlive renames not yet on disk.
void remove_superseded_packs(const ChapterSettings& settings, const std::string& stem,
                             std::optional<PackLibrary>& library, const SpokenPack& pack) {
  if (!settings.cache_folder.empty())
    remove_unused_packs(settings.cache_folder, stem, *library, pack.path());
  library.reset();
  for (const std::string& part : settings.part_packs) {
    std::error_code ignored;
    fs::remove(part, ignored);  // without a cache: the chapter is written, they are done with
  }
}

// The chapter's utterances' JSON made on a thread of its own, when settings ask for it (see
// ChapterSettings::utterances_json): the worker's CPU would otherwise wait on the audio's
// fsync, and the JSON be made after it (some 20 ms on story 002's 36-minute chapter). When no
// thread can be started (std::system_error, EAGAIN), it is made here and now.
std::jthread start_utterances_json(const std::vector<ManifestUtterance>& utterances,
                                   const ChapterSettings& settings) {
  std::string* into = settings.utterances_json;
  if (into == nullptr) return {};
  into->clear();
  auto make = [&utterances, into] {
    try {
      *into = utterances_json(utterances);
    } catch (...) {
      into->clear();  // made the usual way then
    }
  };
  try {
    return std::jthread(make);
  } catch (const std::system_error&) {
    make();
    return {};
  }
}

}  // namespace

ManifestChapter render_chapter(const PreparedStory& story, int number, const ChapterFiles& files,
                               const ChapterSettings& settings,
                               const std::function<void(std::size_t)>& progress) {
  const ChapterScript& chapter = story.script.chapters.at(static_cast<std::size_t>(number - 1));
  const std::vector<SpokenLine> lines = spoken_lines(story, chapter, settings.rate_scale);
  const bool caching = !settings.cache_folder.empty();
  std::optional<PackLibrary> library;
  const int rate = open_at_rate(library, lines, 0, lines.size(), settings);
  const AudioTags tags{chapter.title.empty() ? story.story.title : chapter.title,
                       artist_of(story, settings), story.story.title};
  const std::string audio_path = (fs::path(files.folder) / files.audio).string();

  // What is spoken now: kept for the cache, and without one, kept until it is levelled.
  const std::string stem = stem_of(files.audio);
  SpokenPack pack(caching ? settings.cache_folder : std::string(), stem, audio_path + ".pack",
                  rate);
  const bool packing = caching || settings.loudness;
  // Without levelling the audio goes straight to the file.
  std::optional<ChapterWriter> writer;
  if (!settings.loudness)
    writer.emplace(audio_path, rate, settings.format, tags,
                   spoken_chars(lines) > kLargeChapterChars);

  ManifestChapter result = chapter_entry(number, chapter, files);
  std::vector<Cue> cues;
  std::vector<Segment> segments;
  std::vector<UtteranceLevels> levels;
  std::size_t frames = 0;
  std::size_t end_silence = 0;
  CachedUtterance current;  // reused from utterance to utterance
  UtteranceSource source(lines, settings, rate, library ? &*library : nullptr);
  PartArrivals arrivals(lines, settings, library ? &*library : nullptr, stem, rate);

  for (std::size_t i = 0; i < lines.size(); ++i) {
    const SpokenLine& s = lines[i];
    const std::size_t silence = ms_to_samples(s.pause_ms, rate);
    frames += silence;
    if (s.line == nullptr) {
      end_silence = silence;
      break;
    }
    if (writer) writer->write_silence(silence);
    throw_if_interrupted();  // unwinding removes this chapter's temporary files
    arrivals.before_line(i);

    const bool spoken = source.get(i, current);
    const std::size_t entry = spoken && packing ? pack.add(source, i, lines.size(), current) : 0;
    result.utterances.push_back(manifest_utterance(s, current, frames, rate, cues));
    const std::size_t count = current.frames;
    if (writer) {
      writer->write(current.samples.data(), count);
    } else {
      segments.push_back({silence, count, i, spoken, entry, current.samples_checksum});
      levels.push_back(std::move(current.levels));
    }
    frames += count;
    if (progress) progress(1);
  }

  // Joined before `result` goes, however this ends; nothing below changes its utterances.
  std::jthread utterances_json = start_utterances_json(result.utterances, settings);
  if (settings.loudness) {
    const ChapterLevelling levelling = level_chapter(levels, settings.target);
    levels.clear();
    result.loudness =
        ManifestLoudness{levelling.integrated, levelling.true_peak, to_db(levelling.gain)};
    const bool large = settings.format == AudioFormat::kWav &&
                       std::uint64_t{frames} * 2 + (1 << 20) > kWavLimitBytes;
    writer.emplace(audio_path, rate, settings.format, tags, large);
    write_levelled(*writer, segments, levelling, pack, source);
  }
  writer->write_silence(end_silence);
  commit_chapter_files(*writer, pack, caching, files, cues);
  remove_superseded_packs(settings, stem, library, pack);
  result.duration = static_cast<double>(frames) / rate;
  result.sample_rate = rate;
  std::error_code error;
  result.bytes = fs::file_size(audio_path, error);
  if (utterances_json.joinable()) utterances_json.join();
  return result;
}

}  // namespace troupe
