#include "render/render.h"

#include <fcntl.h>
#include <malloc.h>
#include <sys/stat.h>
#include <unicode/translit.h>
#include <unicode/unistr.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>

#include "audio/atomic_file.h"
#include "audio/folder_sync.h"
#include "common/errors.h"
#include "common/fd_io.h"
#include "publish/m4b.h"
#include "render/chapter.h"
#include "render/hash.h"
#include "render/interrupt.h"
#include "render/utterance_cache.h"
#include "render/workers.h"
#include "speech/engine.h"

namespace troupe {
namespace fs = std::filesystem;

namespace {

// eSpeak NG speaks at 22050 Hz; the workers report the rate they used, and this stands in
// for a book whose chapters were all up to date.
constexpr int kDefaultSampleRate = 22050;

std::vector<ManifestCastEntry> manifest_cast(const PreparedStory& story) {
  std::vector<ManifestCastEntry> entries;
  entries.push_back({kNarratorLabel, story.cast.narrator.profile, 'x', 0});
  for (const auto& info : speakers_of(story.script)) {
    ManifestCastEntry e;
    e.speaker = info.name;
    e.gender = gender_letter(info.gender);
    e.lines = info.lines;
    try {
      e.voice = story.cast.voice_for(info.name).profile;
    } catch (const std::out_of_range&) {
      e.voice = story.cast.narrator.profile;
    }
    entries.push_back(e);
  }
  return entries;
}

// A regular file, not followed through a link.
bool file_exists(const fs::path& path) {
  std::error_code error;
  return fs::symlink_status(path, error).type() == fs::file_type::regular;
}

// A manifest entry that describes the chapter's files as they are: its names are the chapter's
// names now, and its files are there with the audio's size.
bool agrees_with_files(const ManifestChapter& entry, const ChapterTask& task) {
  if (entry.number != task.number || entry.file != task.audio || entry.srt != task.srt ||
      entry.vtt != task.vtt || !file_exists(fs::path(task.folder) / task.audio))
    return false;
  std::error_code error;
  const auto size = fs::file_size(fs::path(task.folder) / task.audio, error);
  return !error && size == entry.bytes && file_exists(fs::path(task.folder) / task.srt) &&
         file_exists(fs::path(task.folder) / task.vtt);
}

// A chapter rendered before from the same inputs, whose files are all still there, recorded
// with its cues (a manifest from before they were recorded has none).
bool still_fresh(const ManifestEntry& old, const ChapterTask& task) {
  return old.head.inputs == task.inputs && !old.missing_cues && agrees_with_files(old.head, task);
}

// Lock files in a book's folder: one for the book's manifest, playlist and chapters file, one
// per chapter number, held while that chapter renders and until the manifest records it.
constexpr const char* kBookLock = ".troupe.lock";
std::string chapter_lock_path(const std::string& folder, int number) {
  return (fs::path(folder) / (".chapter-" + std::to_string(number) + ".lock")).string();
}

// The book's own metadata (an EPUB's), and its cover written beside the chapters, for the
// outputs that can carry one (scripts/m4b).
// An EPUB's cover in a form the M4B can carry (players show JPEG and PNG only).
bool m4b_cover_type(const StoryMetadata& metadata) {
  return metadata.cover_media_type == "image/jpeg" || metadata.cover_media_type == "image/png";
}

// The M4B's tags and cover: the options' where given, else what the book itself says.
BookInfo book_info(const StoryMetadata& metadata, const Manifest& manifest,
                   const RenderOptions& options) {
  return {manifest.story,
          options.author.empty() ? metadata.author : options.author,
          {},
          metadata.series,
          metadata.series_index,
          !options.cover.empty()     ? options.cover
          : m4b_cover_type(metadata) ? metadata.cover
                                     : ""};
}

void add_book_metadata(Manifest& manifest, const StoryMetadata& metadata, const fs::path& folder) {
  manifest.language = metadata.language;
  manifest.series = metadata.series;
  manifest.series_index = metadata.series_index;
  if (metadata.cover.empty()) return;
  const auto slash = metadata.cover_media_type.find('/');
  manifest.cover = "cover." + metadata.cover_media_type.substr(slash + 1);
  write_file_if_changed((folder / manifest.cover).string(), metadata.cover);
}

struct StoryState {
  const PreparedStory* story = nullptr;
  std::string folder;
  std::shared_ptr<const ManifestEntries> old;  // the manifest at the start
  std::vector<ChapterTask> all;                // every chapter's names and inputs, in order
  std::map<int, ManifestEntry> rendered;       // by this run
  std::map<int, FileLock> held;                // chapters this run renders
  std::vector<ChapterTask> busy;               // chapters another run is rendering
  int sample_rate = 0;
  int pending = 0;  // tasks not finished yet
  bool finished = false;
  StoryOutcome outcome;
};

// The book's folder made if missing; a symlink there (which anyone sharing the output folder
// could plant) is refused rather than followed.
void make_book_folder(const std::string& folder) {
  std::error_code error;
  fs::create_directories(folder, error);
  if (error) throw RenderError(folder + ": cannot create the folder: " + error.message());
  if (fs::symlink_status(folder, error).type() != fs::file_type::directory)
    throw RenderError(folder + ": is not a folder (a symbolic link?): not written into");
}

// Calls use() when chapter `number`'s files may be read or removed now, holding its lock:
// this run holds it already, or no other run does.
template <typename Use>
void with_chapter_lock(const StoryState& state, int number, Use use) {
  if (state.held.count(number) > 0) {
    use();
    return;
  }
  if (auto lock = FileLock::try_lock(chapter_lock_path(state.folder, number))) use();
}

// The chapters the manifest lists: those this run rendered, and every other chapter whose
// latest entry (the manifest on disk now, else the one read at the start) still describes its
// files. A chapter another run is rendering is left to that run's manifest.
std::vector<const ManifestEntry*> merged_chapters(const StoryState& state,
                                                  const ManifestEntries* on_disk) {
  std::map<int, const ManifestEntry*> recorded;
  for (const ManifestEntries* manifest : {state.old.get(), on_disk})
    if (manifest)
      for (const auto& chapter : manifest->chapters) recorded[chapter.head.number] = &chapter;
  std::vector<const ManifestEntry*> chapters;
  for (const ChapterTask& task : state.all) {
    if (auto mine = state.rendered.find(task.number); mine != state.rendered.end()) {
      chapters.push_back(&mine->second);
      continue;
    }
    const auto entry = recorded.find(task.number);
    if (entry == recorded.end()) continue;
    with_chapter_lock(state, task.number, [&] {
      if (agrees_with_files(entry->second->head, task)) chapters.push_back(entry->second);
    });
  }
  return chapters;
}

// "07-the-lake.wav" -> ("07-the-lake", 7) for the names troupe gives chapter files; nullopt
// for any other name.
std::optional<std::pair<std::string, int>> chapter_file_stem(const std::string& name) {
  static const std::regex pattern(R"(((\d{2,9})-[a-z0-9-]*)\.(wav|flac|ogg|opus|mp3|srt|vtt))");
  std::smatch m;
  if (!std::regex_match(name, m, pattern)) return std::nullopt;
  int number = 0;
  const std::string digits = m[2];
  std::from_chars(digits.data(), digits.data() + digits.size(), number);
  return std::make_pair(m[1].str(), number);
}

// Files left by an earlier render that no chapter has now: a chapter renamed, renumbered or
// gone, and temporary files of a killed run. Only regular files directly in the book's folder
// whose names are troupe's own are removed, whatever a manifest claims, and never those of a
// chapter another run is rendering.
void remove_stale_files(const StoryState& state) {
  std::error_code error;
  for (fs::directory_iterator it(state.folder, error), end; !error && it != end;
       it.increment(error)) {
    std::error_code e;
    if (it->symlink_status(e).type() != fs::file_type::regular) continue;
    std::string name = it->path().filename().string();
    static const std::regex temporary(R"(\.(.+)\.[A-Za-z0-9]{6}\.tmp)");
    std::smatch m;
    const bool is_temporary = std::regex_match(name, m, temporary);
    if (is_temporary) {
      name = m[1];
      if (name == kManifestFile || name == kPlaylistFile || name == kChaptersFile) {
        fs::remove(it->path(), e);  // under the book's lock: nobody is writing it
        continue;
      }
    }
    // A chapter's audio waiting for its gain, or its parts' utterances, when rendered without
    // a cache: left only by a render that stopped.
    static const std::regex pack(R"(((\d{2,9})-[a-z0-9-]*\.[a-z0-9]+)(\.part-\d+)?\.pack)");
    if (std::regex_match(name, m, pack)) {
      const int number = std::stoi(m[2].str());
      with_chapter_lock(state, number, [&] { fs::remove(it->path(), e); });
      continue;
    }
    const auto stem = chapter_file_stem(name);
    if (!stem) continue;
    const int number = stem->second;
    if (!is_temporary && number >= 1 && number <= static_cast<int>(state.all.size())) {
      const std::string& audio = state.all[static_cast<std::size_t>(number - 1)].audio;
      if (stem->first == audio.substr(0, audio.rfind('.'))) continue;  // any format's
    }
    with_chapter_lock(state, number, [&] { fs::remove(it->path(), e); });
  }
}

// The manifest, playlist and chapters file of a story, each rewritten only when it changes,
// under the book's lock; then the chapters' locks are let go.
void finish_story(StoryState& state, const RenderOptions& options, RenderObserver* observer) {
  if (state.finished) return;
  state.finished = true;
  std::error_code error;
  if (fs::symlink_status(state.folder, error).type() == fs::file_type::directory) {
    const fs::path folder(state.folder);
    const FileLock book = FileLock::lock((folder / kBookLock).string());
    FolderSyncBatch renames;  // the book's files' renames made durable by one fsync
    Manifest manifest;
    manifest.story = state.story->story.title;
    manifest.source = state.story->story.path;
    manifest.author = options.author.empty() ? state.story->story.metadata.author : options.author;
    add_book_metadata(manifest, state.story->story.metadata, state.folder);
    manifest.sample_rate = state.sample_rate > 0 ? state.sample_rate
                           : state.old           ? state.old->book.sample_rate
                                                 : kDefaultSampleRate;
    manifest.cast = manifest_cast(*state.story);
    state.outcome.manifest = (folder / kManifestFile).string();
    // The chapters as text, and their heads for the playlist, the chapters file and the M4B.
    std::string text;
    {
      const auto on_disk = read_manifest_entries(state.outcome.manifest);
      const auto chapters = merged_chapters(state, on_disk.get());
      text = manifest_json(manifest, chapters);
      for (const ManifestEntry* chapter : chapters) manifest.chapters.push_back(chapter->head);
    }
    // The manifest's text moved in, not copied: story 002's is 580 kB, of fresh memory.
    std::vector<std::pair<std::string, std::string>> files;
    files.emplace_back(state.outcome.manifest, std::move(text));
    files.emplace_back((folder / kPlaylistFile).string(), playlist_m3u8(manifest));
    files.emplace_back((folder / kChaptersFile).string(), ffmetadata(manifest));
    write_files_if_changed(files);
    const std::string& manifest_text = files.front().second;
    renames.sync();
    remove_stale_files(state);
    // Before the book's lock: whoever takes it next finds these chapters free to record.
    state.held.clear();
    // The M4B needs the whole book, so no shard writes it.
    if (options.m4b && options.shards == 1 && state.outcome.failed == 0 && !interrupted() &&
        manifest.chapters.size() == state.story->script.chapters.size())
      publish_m4b(state.folder, manifest, book_info(state.story->story.metadata, manifest, options),
                  [&](const std::string& path) {
                    if (observer) observer->writing(*state.story, path);
                  });
    // Like the manifest, from the chapters there are: a shard's part, completed by a full run.
    // From the manifest's text: the values its chapters came from (the workers' JSON).
    if (options.read_along != ReadAlongMode::kOff && !interrupted())
      publish_read_along(
          state.folder,
          read_along_book(*state.story, manifest_from_json(manifest_text), options.rate_scale),
          options.read_along);
    if (options.cache_bytes > 0 && state.outcome.rendered > 0)
      trim_cache((folder / kCacheFolder).string(), options.cache_bytes);
  }
  state.held.clear();
  if (observer) observer->story_done(*state.story, state.outcome);
}

// Short hex of a hash of text, to tell apart names that would otherwise collide.
std::string short_hash(const std::string& text) {
  Hasher hasher;
  hasher.add(text);
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hasher.low()));
  return std::string(hex, 8);
}

// text in ASCII, transliterated by ICU ("Ünïcödé" -> "Unicode", "태용" -> "taeyong").
std::string to_ascii(const std::string& text) {
  // ASCII already (most titles): the transliterator would change nothing, and making it costs
  // more than the rest of a render that finds its book up to date (ICU builds its registry).
  if (std::all_of(text.begin(), text.end(), [](char c) { return (c & 0x80) == 0; })) return text;
  static const std::unique_ptr<icu::Transliterator> transliterator = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> made(
        icu::Transliterator::createInstance("Any-Latin; Latin-ASCII", UTRANS_FORWARD, status));
    return U_FAILURE(status) ? nullptr : std::move(made);
  }();
  if (!transliterator) return text;
  icu::UnicodeString unicode = icu::UnicodeString::fromUTF8(text);
  transliterator->transliterate(unicode);
  std::string out;
  unicode.toUTF8String(out);
  return out;
}

// The slug of text, possibly empty: lower-case ASCII letters and digits joined by hyphens,
// capped at kMaxSlug bytes (a long one ends in a hash of the whole text).
constexpr std::size_t kMaxSlug = 64;
std::string slug_or_empty(const std::string& text) {
  std::string out;
  bool hyphen = false;
  for (unsigned char c : to_ascii(text)) {
    if (std::isalnum(c) && c < 0x80) {
      if (hyphen && !out.empty()) out += '-';
      out += static_cast<char>(std::tolower(c));
      hyphen = false;
    } else {
      hyphen = true;
    }
  }
  if (out.size() > kMaxSlug) {
    out.resize(kMaxSlug - 9);
    while (!out.empty() && out.back() == '-') out.pop_back();
    out += "-" + short_hash(text);
  }
  return out;
}

// The source a story was read from, as one comparable path.
std::string source_key(const std::string& path) {
  std::error_code error;
  const fs::path canonical = fs::weakly_canonical(path, error);
  return error ? path : canonical.lexically_normal().string();
}

// Whether OUTDIR/name may hold story: no book is there yet, or this same one (by the source
// its manifest names).
bool folder_is_for(const fs::path& folder, const PreparedStory& story) {
  const auto manifest = read_manifest_entries((folder / kManifestFile).string());
  if (!manifest) return true;
  return manifest->book.source == story.story.path ||
         source_key(manifest->book.source) == source_key(story.story.path);
}

// Takes chapter task to render: its lock, or when another run holds it, a failure at once
// (two renders of one chapter never interleave, and neither waits unseen for the other).
void claim_chapter(StoryState& state, ChapterTask task, std::vector<ChapterTask>& tasks) {
  if (state.held.empty() && state.busy.empty()) make_book_folder(state.folder);
  auto lock = FileLock::try_lock(chapter_lock_path(state.folder, task.number));
  if (!lock) {
    ++state.outcome.failed;
    state.busy.push_back(std::move(task));
    return;
  }
  state.held.emplace(task.number, std::move(*lock));
  tasks.push_back(std::move(task));
  ++state.pending;
}

// What the observer is told will be done: the tasks, and the chapters that fail at once
// because another run holds them (with nothing to say, so that the progress still ends).
std::vector<ChapterTask> planned_tasks(const std::vector<ChapterTask>& tasks,
                                       const std::vector<StoryState>& states) {
  std::vector<ChapterTask> planned = tasks;
  for (const StoryState& state : states)
    for (ChapterTask busy : state.busy) {
      busy.utterances = busy.chars = 0;
      planned.push_back(std::move(busy));
    }
  return planned;
}

// What a worker does: a chapter whole, or one part of a long chapter's speech, or the join of
// a split chapter's parts into its files.
struct WorkItem {
  enum Kind { kWhole, kPart, kJoin };
  std::size_t task = 0;  // the chapter, into the chapter tasks
  Kind kind = kWhole;
  std::size_t part = 0;   // kPart: which part; kJoin: how many parts
  std::size_t chars = 0;  // of text to say
};

// A chapter is split when there are several workers and it holds more than this share of the
// text of the run: then the others cannot keep every worker busy while it is spoken.
constexpr std::size_t kSplitShareOfPerWorker = 2;  // more than 1/(2 * jobs) of the text

// In the worker joining a chapter: reads what the calling process tells of the chapter's parts
// (a u32 part and a byte, 1 when it was spoken, 0 when it failed) until part `part` is
// spoken. Throws RenderError when a part failed, or when the run is interrupted.
void wait_for_part(int notices, std::vector<bool>& spoken, std::size_t part) {
  while (!spoken.at(part)) {
    char record[5];
    std::size_t got = 0;
    while (got < sizeof record) {
      const ssize_t n = ::read(notices, record + got, sizeof record - got);
      if (n < 0 && errno == EINTR) {
        throw_if_interrupted();
        continue;
      }
      if (n <= 0) throw RenderError("the parts of the chapter could not be waited for");
      got += static_cast<std::size_t>(n);
    }
    std::uint32_t which = 0;
    std::memcpy(&which, record, sizeof which);
    if (record[4] == 0) throw RenderError("a part of the chapter failed");
    if (which < spoken.size()) spoken[which] = true;
  }
}

// The work items of a run and the order they are handed out in: the longest first (parts of
// a chapter each on its own), then the last parts of split chapters, one per worker, the
// longest of them first. A split chapter's join is handed out once all its parts are, behind what
// is ready then, and goes to the front once they are spoken. Begun before that, on a worker that
// would otherwise wait, it takes the parts in order as they are spoken: reading, checking and
// subtitling them overlaps with speaking the chapter's last parts (hence those go last), and
// only the levelled write is left for the end. This process tells the join of each part on a
// pipe per split chapter (see wait_for_part). Items and pipes are made before the workers
// start: the workers know the items by number, and hold the pipes' read ends.
// The utterance cache of a chapter's book: OUTDIR/<story>/.cache.
std::string cache_folder_of(const ChapterTask& task) {
  return (fs::path(task.folder) / kCacheFolder).string();
}

class WorkPlan {
 public:
  WorkPlan(const std::vector<ChapterTask>& tasks, const std::vector<const PreparedStory*>& stories,
           const ChapterSettings& settings, int jobs, bool caching)
      : parts_(tasks.size(), 0),
        left_(tasks.size(), 0),
        unsent_(tasks.size(), 0),
        joins_(tasks.size(), 0),
        join_sent_(tasks.size(), false),
        join_failed_(tasks.size(), false),
        failure_(tasks.size()),
        notices_(tasks.size(), {-1, -1}),
        packs_before_(tasks.size()) {
    std::size_t total = 0;
    for (const ChapterTask& task : tasks) total += task.chars;
    std::vector<std::size_t> order, last;  // last: split chapters' last parts
    for (std::size_t t = 0; t < tasks.size(); ++t) {
      const ChapterTask& task = tasks[t];
      std::vector<ChapterPart> parts;
      if (jobs > 1 &&
          task.chars * kSplitShareOfPerWorker * static_cast<std::size_t>(jobs) > total) {
        ChapterSettings own = settings;
        if (caching) own.cache_folder = cache_folder_of(task);
        parts = parts_to_speak(*stories[task.story], task.number, own);
      }
      // Split only when two parts or more have something to speak (see parts_to_speak).
      if (std::count_if(parts.begin(), parts.end(),
                        [](const ChapterPart& part) { return part.chars > 0; }) < 2) {
        order.push_back(items_.size());
        items_.push_back({t, WorkItem::kWhole, 0, task.chars});
        continue;
      }
      for (std::size_t k = 0; k < parts.size(); ++k) {
        (k + static_cast<std::size_t>(jobs) >= parts.size() ? last : order)
            .push_back(items_.size());
        items_.push_back({t, WorkItem::kPart, k, parts[k].chars});
      }
      joins_[t] = items_.size();
      items_.push_back({t, WorkItem::kJoin, parts.size(), 0});
      if (caching)
        packs_before_[t] =
            std::make_shared<const std::set<std::string>>(pack_paths(cache_folder_of(task)));
      parts_[t] = left_[t] = unsent_[t] = parts.size();
      int fds[2];
      if (::pipe2(fds, O_CLOEXEC) == 0) notices_[t] = {fds[0], fds[1]};  // else joined after
    }
    const auto longest_first = [&](std::size_t a, std::size_t b) {
      return items_[a].chars > items_[b].chars;
    };
    std::stable_sort(order.begin(), order.end(), longest_first);
    // The last parts too: the first worker free takes the longest of them.
    std::stable_sort(last.begin(), last.end(), longest_first);
    order.insert(order.end(), last.begin(), last.end());
    ready_.assign(order.begin(), order.end());
  }
  ~WorkPlan() {
    for (const auto& [read_end, write_end] : notices_)
      for (int fd : {read_end, write_end})
        if (fd >= 0) ::close(fd);
  }
  WorkPlan(const WorkPlan&) = delete;
  WorkPlan& operator=(const WorkPlan&) = delete;

  const WorkItem& item(std::size_t i) const { return items_.at(i); }
  std::size_t parts_of(std::size_t task) const { return parts_[task]; }
  // The read end of the pipe telling the chapter's join of its parts; -1: none, the join
  // begins once they are all spoken.
  int notices_of(std::size_t task) const { return notices_[task].first; }
  // A split chapter's cache's packs before its parts are spoken (null without a cache).
  const std::shared_ptr<const std::set<std::string>>& packs_before(std::size_t task) const {
    return packs_before_[task];
  }

  long next() {
    if (ready_.empty()) return join_to_come() ? kNoTaskReady : kNoTaskLeft;
    const std::size_t i = ready_.front();
    ready_.pop_front();
    const WorkItem& item = items_[i];
    if (item.kind == WorkItem::kJoin) join_sent_[item.task] = true;
    if (item.kind == WorkItem::kPart && --unsent_[item.task] == 0 && notices_of(item.task) >= 0 &&
        !failure_[item.task])
      ready_.push_back(joins_[item.task]);
    return static_cast<long>(i);
  }

  // Part item i is done, or failed with `message`; its chapter's join is told. Once the
  // chapter has no part left going: its join is moved to the front, or the chapter's failure
  // is returned (the first part's, or its join's), unless its join is still going and will
  // tell.
  std::optional<std::string> part_finished(std::size_t i, const std::string& message) {
    const std::size_t task = items_.at(i).task;
    tell_join(task, items_[i].part, message.empty());
    if (!message.empty() && !failure_[task]) {
      failure_[task] = message;
      // Its parts not handed out yet are not spoken, nor its join if not handed out.
      const auto before = ready_.size();
      std::erase_if(ready_, [&](std::size_t j) {
        return items_[j].task == task && items_[j].kind == WorkItem::kPart;
      });
      left_[task] -= before - ready_.size();
      std::erase(ready_, joins_[task]);
    }
    if (--left_[task] > 0) return std::nullopt;
    if (join_sent_[task]) return join_failed_[task] ? failure_[task] : std::nullopt;
    if (failure_[task]) return failure_[task];
    std::erase(ready_, joins_[task]);
    ready_.push_front(joins_[task]);
    return std::nullopt;
  }

  // The chapter's join failed with `message`: the chapter's failure (its first part's, if one
  // failed), or nothing while parts are still spoken (part_finished returns it then: no part
  // is left writing when the chapter is reported).
  std::optional<std::string> join_failed(std::size_t task, const std::string& message) {
    if (!failure_[task]) failure_[task] = message;
    join_failed_[task] = true;
    if (left_[task] > 0) return std::nullopt;
    return failure_[task];
  }

 private:
  // Whether a split chapter's join may still become ready (it is not handed out, and none of
  // its parts failed). Once none may, a worker with nothing to do is let go at once: it stops
  // its speech server and exits while the others finish, not after the run.
  bool join_to_come() const {
    for (std::size_t t = 0; t < parts_.size(); ++t)
      if (parts_[t] > 0 && !join_sent_[t] && !failure_[t]) return true;
    return false;
  }

  void tell_join(std::size_t task, std::size_t part, bool spoken) {
    if (notices_[task].second < 0) return;
    char record[5];
    const auto which = static_cast<std::uint32_t>(part);
    std::memcpy(record, &which, sizeof which);
    record[4] = spoken ? 1 : 0;
    write_all(notices_[task].second, record, sizeof record);  // the join fails if it is lost
  }

  std::vector<WorkItem> items_;
  std::deque<std::size_t> ready_;
  // Per chapter task: its parts, those not finished, those not handed out, its join's item.
  std::vector<std::size_t> parts_, left_, unsent_, joins_;
  std::vector<bool> join_sent_, join_failed_;
  std::vector<std::optional<std::string>> failure_;
  std::vector<std::pair<int, int>> notices_;  // per split chapter: a pipe's read and write ends
  std::vector<std::shared_ptr<const std::set<std::string>>> packs_before_;  // per chapter task
};

// Where part `part` of a chapter leaves its utterances: its book's cache, else beside the
// chapter's audio (removed by the join, or as a stale file).
std::string part_pack_path(const ChapterTask& task, const ChapterSettings& settings,
                           std::size_t part) {
  const std::string suffix = ".part-" + std::to_string(part + 1) + ".pack";
  if (settings.cache_folder.empty())
    return (fs::path(task.folder) / (task.audio + suffix)).string();
  const std::string stem = task.audio.substr(0, task.audio.rfind('.'));
  return (fs::path(settings.cache_folder) / (stem + suffix)).string();
}

// The slug of the name of the file or folder a story is read from, without its extension.
std::string source_file_slug(const std::string& story_path) {
  fs::path source = fs::path(story_path).lexically_normal();
  if (source.filename().empty()) source = source.parent_path();
  return slug_or_empty(source.stem().string());
}

}  // namespace

std::string slug(const std::string& title) {
  const std::string out = slug_or_empty(title);
  return out.empty() ? "chapter" : out;
}

std::vector<std::string> book_folder_names(const std::vector<const PreparedStory*>& stories,
                                           const std::string& out_dir) {
  std::vector<std::string> names;
  for (const PreparedStory* story : stories) {
    const std::string by_title = slug_or_empty(story->story.title);
    const std::string by_file = source_file_slug(story->story.path);
    const std::string base = !by_title.empty() ? by_title : !by_file.empty() ? by_file : "book";
    std::string chosen = base + "-" + short_hash(source_key(story->story.path));
    for (const std::string& candidate : {by_title, by_file}) {
      if (candidate.empty() || std::count(names.begin(), names.end(), candidate) > 0 ||
          !folder_is_for(fs::path(out_dir) / candidate, *story))
        continue;
      chosen = candidate;
      break;
    }
    names.push_back(chosen);
  }
  return names;
}

void prefetch_book_manifest(const std::string& story_path, const std::string& out_dir) {
  const std::string name = source_file_slug(story_path);
  if (!name.empty()) read_manifest_entries((fs::path(out_dir) / name / kManifestFile).string());
}

std::string chapter_file_name(int number, int count, const std::string& title,
                              const std::string& extension) {
  int width = std::max<int>(2, static_cast<int>(std::to_string(count).size()));
  std::string digits = std::to_string(number);
  if (static_cast<int>(digits.size()) < width) digits.insert(0, width - digits.size(), '0');
  return digits + "-" + slug(title) + "." + extension;
}

bool in_shard(const std::string& story_title, int number, int shard, int shards) {
  if (shards <= 1) return true;
  Hasher hasher;
  hasher.add(story_title);
  const auto offset = static_cast<int>(hasher.low() % static_cast<std::uint64_t>(shards));
  return (number - 1 + offset) % shards == shard - 1;
}

namespace {

ChapterSettings chapter_settings(const RenderOptions& options) {
  ChapterSettings settings;
  settings.rate_scale = options.rate_scale;
  settings.format = options.format;
  settings.loudness = options.loudness;
  settings.target = options.target;
  settings.target.peak_margin = peak_margin_for(audio_format_extension(options.format).c_str());
  settings.author = options.author;
  return settings;
}

// Chapter n of the state's story: its files' names, its inputs and how much it says.
ChapterTask chapter_task(const StoryState& state, std::size_t s, int n,
                         const ChapterSettings& settings) {
  const auto& chapters = state.story->script.chapters;
  const auto& chapter = chapters[static_cast<std::size_t>(n - 1)];
  ChapterTask task;
  task.story = s;
  task.number = n;
  task.count = static_cast<int>(chapters.size());
  task.folder = state.folder;
  task.audio = chapter_file_name(n, task.count, chapter.title.empty() ? "chapter" : chapter.title,
                                 audio_format_extension(settings.format));
  const std::string stem = task.audio.substr(0, task.audio.rfind('.'));
  task.srt = stem + ".srt";
  task.vtt = stem + ".vtt";
  task.inputs = chapter_inputs_hash(*state.story, n, task.audio, settings);
  for (const auto& line : chapter.lines)
    if (!line.say.empty()) {
      ++task.utterances;
      task.chars += line.say.size();
    }
  return task;
}

// Every chapter of story s into state.all; those chosen and not up to date claimed into
// tasks. Returns how many chosen chapters are up to date.
int plan_story(StoryState& state, std::size_t s, const RenderOptions& options,
               const ChapterSettings& settings, std::vector<ChapterTask>& tasks) {
  state.old = read_manifest_entries((fs::path(state.folder) / kManifestFile).string());
  std::map<int, const ManifestEntry*> old_chapters;
  if (state.old)
    for (const auto& chapter : state.old->chapters) old_chapters[chapter.head.number] = &chapter;
  int up_to_date = 0;
  const int count = static_cast<int>(state.story->script.chapters.size());
  for (int n = 1; n <= count; ++n) {
    ChapterTask task = chapter_task(state, s, n, settings);
    const bool chosen = n >= options.first_chapter && n <= options.last_chapter &&
                        in_shard(state.story->story.title, n, options.shard, options.shards);
    state.all.push_back(task);
    const auto old = old_chapters.find(n);
    const bool fresh = old != old_chapters.end() && still_fresh(*old->second, task);
    if (chosen && (options.force || !fresh)) {
      claim_chapter(state, std::move(task), tasks);
    } else if (fresh && chosen) {
      ++up_to_date;
      ++state.outcome.up_to_date;
    }
  }
  return up_to_date;
}

// One render_stories run once its chapters are planned: what the workers do with each work
// item, and what the calling process does with what they report.
class RenderRun {
 public:
  RenderRun(const std::vector<const PreparedStory*>& stories, const RenderOptions& options,
            RenderObserver* observer, const ChapterSettings& settings,
            std::vector<StoryState>& states, const std::vector<ChapterTask>& tasks, int jobs)
      : stories_(stories),
        options_(options),
        observer_(observer),
        settings_(settings),
        states_(states),
        tasks_(tasks),
        plan_(tasks, stories, settings, jobs, options.cache_bytes > 0) {}

  void run(int jobs) {
    WorkerEvents events;
    events.progress = [&](std::size_t units) {
      if (observer_) observer_->progress(units);
    };
    events.done = [&](std::size_t i, std::string& result) { item_done(i, result); };
    events.failed = [&](std::size_t i, const std::string& message) { item_failed(i, message); };
    run_in_workers(
        jobs, [&] { return plan_.next(); },
        [&](std::size_t i, const std::function<void(std::size_t)>& progress) {
          return work(i, progress);
        },
        events);
  }

 private:
  // In a worker: work item i, and what it hands back.
  std::string work(std::size_t i, const std::function<void(std::size_t)>& progress) const {
    const WorkItem& item = plan_.item(i);
    const ChapterTask& task = tasks_[item.task];
    ChapterSettings chapter_settings = settings_;
    if (options_.cache_bytes > 0) chapter_settings.cache_folder = cache_folder_of(task);
    if (item.kind == WorkItem::kPart) {
      speak_chapter_part(*stories_[task.story], task.number, item.part, chapter_settings,
                         part_pack_path(task, chapter_settings, item.part), progress);
      return std::string();
    }
    if (item.kind == WorkItem::kJoin) {
      for (std::size_t part = 0; part < item.part; ++part)
        chapter_settings.part_packs.push_back(part_pack_path(task, chapter_settings, part));
      chapter_settings.packs_before = plan_.packs_before(item.task);
      if (const int notices = plan_.notices_of(item.task); notices >= 0) {
        auto spoken = std::make_shared<std::vector<bool>>(item.part, false);
        chapter_settings.wait_for_part = [notices, spoken](std::size_t part) {
          wait_for_part(notices, *spoken, part);
        };
      }
    }
    std::string utterances;
    chapter_settings.utterances_json = &utterances;
    ManifestChapter chapter = render_chapter(
        *stories_[task.story], task.number,
        ChapterFiles{task.folder, task.audio, task.srt, task.vtt}, chapter_settings,
        item.kind == WorkItem::kJoin ? std::function<void(std::size_t)>() : progress);
    chapter.inputs = task.inputs;
    const int rate = chapter.sample_rate;
    return chapter_result(rate, utterances.empty()
                                    ? manifest_entry(chapter)
                                    : manifest_entry(std::move(chapter), utterances));
  }

  // A chapter's result, made in the worker: "RATE MISSING_CUES HEAD_BYTES\n", the entry's head
  // as JSON (no utterances), then the entry's JSON as manifest.json holds it. The calling
  // process parses the small head only and keeps the rest as it is: parsing a long chapter's
  // utterances there and writing them out again cost it some 15 ms of CPU after the last join,
  // while nothing else ran (story 002, --jobs 2).
  static std::string chapter_result(int sample_rate, const ManifestEntry& entry) {
    const std::string head = chapter_json(entry.head);
    return std::to_string(sample_rate) + " " + (entry.missing_cues ? "1" : "0") + " " +
           std::to_string(head.size()) + "\n" + head + entry.json;
  }

  // The worker's result back into the rate and the chapter's manifest entry, which takes the
  // result's text (not a copy: half a megabyte of fresh memory for story 002).
  static ManifestEntry parse_chapter_result(std::string& result, int& sample_rate) {
    const auto newline = result.find('\n');
    if (newline == std::string::npos) throw std::runtime_error("no first line");
    int missing_cues = 0;
    std::size_t head_bytes = 0;
    std::istringstream first(result.substr(0, newline));
    if (!(first >> sample_rate >> missing_cues >> head_bytes) ||
        head_bytes > result.size() - newline - 1)
      throw std::runtime_error("a bad first line");
    ManifestEntry entry;
    entry.head = chapter_from_json(result.substr(newline + 1, head_bytes));
    entry.missing_cues = missing_cues != 0;
    result.erase(0, newline + 1 + head_bytes);
    entry.json = std::move(result);
    return entry;
  }

  void item_done(std::size_t i, std::string& result) {
    const WorkItem& item = plan_.item(i);
    if (item.kind != WorkItem::kPart) return chapter_done(item.task, result);
    if (observer_) {
      const ChapterTask& task = tasks_[item.task];
      observer_->part_done(*stories_[task.story], task, item.part, plan_.parts_of(item.task));
    }
    if (auto failure = plan_.part_finished(i, "")) chapter_failed(item.task, *failure);
  }

  void item_failed(std::size_t i, const std::string& message) {
    const WorkItem& item = plan_.item(i);
    if (item.kind == WorkItem::kJoin) {
      if (auto failure = plan_.join_failed(item.task, message)) chapter_failed(item.task, *failure);
      return;
    }
    if (item.kind != WorkItem::kPart) return chapter_failed(item.task, message);
    // The chapter fails once its last part has finished: no part is left writing then.
    if (auto failure = plan_.part_finished(i, message.empty() ? "a part failed" : message))
      chapter_failed(item.task, *failure);
  }

  // A worker's result (see chapter_result). It is kept as the chapter's entry (text), not as
  // structs: a long book's would take several times more.
  void chapter_done(std::size_t t, std::string& result) {
    const ChapterTask& task = tasks_[t];
    StoryState& state = states_[task.story];
    ManifestEntry entry;
    try {
      entry = parse_chapter_result(result, state.sample_rate);
    } catch (const std::exception& e) {
      return chapter_failed(t, std::string("garbled result: ") + e.what());
    }
    ++state.outcome.rendered;
    if (observer_) observer_->chapter_done(*state.story, task, entry.head);
    state.rendered[task.number] = std::move(entry);
    if (--state.pending == 0) finish_story(state, options_, observer_);
  }

  void chapter_failed(std::size_t t, const std::string& message) {
    const ChapterTask& task = tasks_[t];
    StoryState& state = states_[task.story];
    ++state.outcome.failed;
    // A chapter that failed is listed only if its files still agree with its old entry.
    state.rendered.erase(task.number);
    if (observer_) observer_->chapter_failed(*state.story, task, message);
    if (--state.pending == 0) finish_story(state, options_, observer_);
  }

  const std::vector<const PreparedStory*>& stories_;
  const RenderOptions& options_;
  RenderObserver* observer_;
  const ChapterSettings& settings_;
  std::vector<StoryState>& states_;
  const std::vector<ChapterTask>& tasks_;
  WorkPlan plan_;
};

}  // namespace

// glibc's malloc hands out blocks from 128 kB (more once such a block is freed) as mappings of
// their own, and gives the top of the heap back to the system past 128 kB free: each such
// block, made again (a 640 kB manifest read four times, a long utterance's samples in a
// worker), was fresh memory, every page of it faulted in anew (some 10 us a fault on the
// development machine, a virtual one). Up to 32 MiB from the heap, kept up to 64 MiB free: a
// re-render of the bench's six-chapter book took 2,690 page faults in the main process
// instead of 3,190 and 2,025 in the worker instead of 2,390; story 002 5,710 instead of 6,450,
// its largest resident set 0.4 MB more. render_stories still gives back what preparing freed
// before the workers are forked (malloc_trim).
void keep_freed_memory_for_reuse() {
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 64 << 20);
}

std::vector<StoryOutcome> render_stories(const std::vector<const PreparedStory*>& stories,
                                         const RenderOptions& options, RenderObserver* observer) {
  const ChapterSettings settings = chapter_settings(options);
  std::vector<StoryState> states(stories.size());
  std::vector<ChapterTask> tasks;
  int up_to_date = 0;
  const std::vector<std::string> folders = book_folder_names(stories, options.out_dir);
  for (std::size_t s = 0; s < stories.size(); ++s) {
    StoryState& state = states[s];
    state.story = stories[s];
    state.folder = (fs::path(options.out_dir) / folders[s]).string();
    state.outcome.folder = state.folder;
    up_to_date += plan_story(state, s, options, settings, tasks);
  }

  // The longest chapters first, so that no worker is left with a long one at the end.
  std::stable_sort(tasks.begin(), tasks.end(),
                   [](const ChapterTask& a, const ChapterTask& b) { return a.chars > b.chars; });
  if (observer) observer->planned(planned_tasks(tasks, states), up_to_date);
  for (StoryState& state : states) {
    for (const ChapterTask& task : state.busy)
      if (observer)
        observer->chapter_failed(*state.story, task,
                                 "another troupe is rendering it into " + state.folder +
                                     " now: run again when it is done");
    if (state.pending == 0) finish_story(state, options, observer);
  }

  const int jobs = options.jobs > 0 ? options.jobs : available_cores();
  RenderRun run(stories, options, observer, settings, states, tasks, jobs);
  // What preparing the stories freed goes back to the system before the workers are forked:
  // else each worker's allocations land in those pages, each one copied into the worker. With
  // nothing to render no worker is forked, and the trim (some 60 madvise calls on the bench's
  // six-chapter book) would only cost the run.
  if (!tasks.empty()) ::malloc_trim(0);
  run.run(jobs);

  std::vector<StoryOutcome> outcomes;
  for (StoryState& state : states) {
    finish_story(state, options, observer);
    outcomes.push_back(state.outcome);
  }
  return outcomes;
}

}  // namespace troupe
