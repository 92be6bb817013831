#include "render/render.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <optional>

#include "audio/atomic_file.h"
#include "common/errors.h"
#include "render/chapter.h"
#include "render/hash.h"
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

bool file_exists(const fs::path& path) {
  std::error_code error;
  return fs::is_regular_file(path, error);
}

// A chapter rendered before from the same inputs, whose files are all still there.
bool still_fresh(const ManifestChapter& old, const ChapterTask& task) {
  if (old.inputs != task.inputs || old.file != task.audio || old.srt != task.srt ||
      old.vtt != task.vtt)
    return false;
  std::error_code error;
  const auto size = fs::file_size(fs::path(task.folder) / task.audio, error);
  return !error && size == old.bytes && file_exists(fs::path(task.folder) / task.srt) &&
         file_exists(fs::path(task.folder) / task.vtt);
}

// The book's own metadata (an EPUB's), and its cover written beside the chapters, for the
// outputs that can carry one (scripts/m4b).
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
  std::optional<Manifest> old;
  std::map<int, ManifestChapter> chapters;  // rendered now, or found up to date
  int sample_rate = 0;
  int pending = 0;  // tasks not finished yet
  bool finished = false;
  StoryOutcome outcome;
};

// The manifest, playlist and chapters file of a story, each rewritten only when it changes.
void finish_story(StoryState& state, const RenderOptions& options, RenderObserver* observer) {
  if (state.finished) return;
  state.finished = true;
  std::error_code error;
  if (fs::is_directory(state.folder, error)) {
    Manifest manifest;
    manifest.story = state.story->story.title;
    manifest.source = state.story->story.path;
    manifest.author = options.author.empty() ? state.story->story.metadata.author : options.author;
    add_book_metadata(manifest, state.story->story.metadata, state.folder);
    manifest.sample_rate = state.sample_rate > 0 ? state.sample_rate
                           : state.old           ? state.old->sample_rate
                                                 : kDefaultSampleRate;
    for (auto& [number, chapter] : state.chapters) manifest.chapters.push_back(chapter);
    manifest.cast = manifest_cast(*state.story);
    const fs::path folder(state.folder);
    state.outcome.manifest = (folder / kManifestFile).string();
    write_file_if_changed(state.outcome.manifest, manifest_json(manifest));
    write_file_if_changed((folder / kPlaylistFile).string(), playlist_m3u8(manifest));
    write_file_if_changed((folder / kChaptersFile).string(), ffmetadata(manifest));
    if (options.cache_bytes > 0 && state.outcome.rendered > 0)
      trim_cache((folder / kCacheFolder).string(), options.cache_bytes);
  }
  if (observer) observer->story_done(*state.story, state.outcome);
}

}  // namespace

std::string slug(const std::string& title) {
  std::string out;
  bool hyphen = false;
  for (unsigned char c : title) {
    if (std::isalnum(c)) {
      if (hyphen && !out.empty()) out += '-';
      out += static_cast<char>(std::tolower(c));
      hyphen = false;
    } else {
      hyphen = true;
    }
  }
  return out.empty() ? "chapter" : out;
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

std::vector<StoryOutcome> render_stories(const std::vector<const PreparedStory*>& stories,
                                         const RenderOptions& options, RenderObserver* observer) {
  ChapterSettings settings;
  settings.rate_scale = options.rate_scale;
  settings.format = options.format;
  settings.loudness = options.loudness;
  settings.target = options.target;
  settings.target.peak_margin = peak_margin_for(audio_format_extension(options.format).c_str());
  settings.author = options.author;
  const std::string extension = audio_format_extension(options.format);

  std::vector<StoryState> states(stories.size());
  std::vector<ChapterTask> tasks;
  int up_to_date = 0;
  for (std::size_t s = 0; s < stories.size(); ++s) {
    StoryState& state = states[s];
    state.story = stories[s];
    state.folder = (fs::path(options.out_dir) / slug(state.story->story.title)).string();
    state.outcome.folder = state.folder;
    state.old = read_manifest((fs::path(state.folder) / kManifestFile).string());
    std::map<int, const ManifestChapter*> old_chapters;
    if (state.old)
      for (const auto& chapter : state.old->chapters) old_chapters[chapter.number] = &chapter;

    const auto& chapters = state.story->script.chapters;
    const int count = static_cast<int>(chapters.size());
    for (int n = 1; n <= count; ++n) {
      const auto& chapter = chapters[static_cast<std::size_t>(n - 1)];
      ChapterTask task;
      task.story = s;
      task.number = n;
      task.count = count;
      task.folder = state.folder;
      task.audio =
          chapter_file_name(n, count, chapter.title.empty() ? "chapter" : chapter.title, extension);
      const std::string stem = task.audio.substr(0, task.audio.rfind('.'));
      task.srt = stem + ".srt";
      task.vtt = stem + ".vtt";
      task.inputs = chapter_inputs_hash(*state.story, n, task.audio, settings);
      for (const auto& line : chapter.lines)
        if (!line.say.empty()) {
          ++task.utterances;
          task.chars += line.say.size();
        }
      const bool chosen = n >= options.first_chapter && n <= options.last_chapter &&
                          in_shard(state.story->story.title, n, options.shard, options.shards);
      const auto old = old_chapters.find(n);
      const bool fresh = old != old_chapters.end() && still_fresh(*old->second, task);
      if (chosen && (options.force || !fresh)) {
        tasks.push_back(std::move(task));
        ++state.pending;
      } else if (fresh) {
        state.chapters[n] = *old->second;
        if (chosen) {
          ++up_to_date;
          ++state.outcome.up_to_date;
        }
      }
    }
  }

  for (StoryState& state : states) {
    if (state.pending == 0) continue;
    std::error_code error;
    fs::create_directories(state.folder, error);
    if (error) throw RenderError(state.folder + ": cannot create the folder: " + error.message());
  }
  // The longest chapters first, so that no worker is left with a long one at the end.
  std::stable_sort(tasks.begin(), tasks.end(),
                   [](const ChapterTask& a, const ChapterTask& b) { return a.chars > b.chars; });
  if (observer) observer->planned(tasks, up_to_date);
  for (StoryState& state : states)
    if (state.pending == 0) finish_story(state, options, observer);

  const WorkerTask work = [&](std::size_t t, const std::function<void(std::size_t)>& progress) {
    const ChapterTask& task = tasks[t];
    ChapterSettings chapter_settings = settings;
    if (options.cache_bytes > 0)
      chapter_settings.cache_folder = (fs::path(task.folder) / kCacheFolder).string();
    ManifestChapter chapter = render_chapter(
        *stories[task.story], task.number,
        ChapterFiles{task.folder, task.audio, task.srt, task.vtt}, chapter_settings, progress);
    chapter.inputs = task.inputs;
    return std::to_string(Engine::instance().sample_rate()) + "\n" + chapter_json(chapter);
  };

  WorkerEvents events;
  events.progress = [&](std::size_t units) {
    if (observer) observer->progress(units);
  };
  events.done = [&](std::size_t t, const std::string& result) {
    const ChapterTask& task = tasks[t];
    StoryState& state = states[task.story];
    const auto newline = result.find('\n');
    ManifestChapter chapter;
    try {
      state.sample_rate = std::stoi(result.substr(0, newline));
      chapter = chapter_from_json(result.substr(newline + 1));
    } catch (const std::exception& e) {
      ++state.outcome.failed;
      if (observer)
        observer->chapter_failed(*state.story, task, std::string("garbled result: ") + e.what());
      if (--state.pending == 0) finish_story(state, options, observer);
      return;
    }
    ++state.outcome.rendered;
    if (observer) observer->chapter_done(*state.story, task, chapter);
    state.chapters[task.number] = std::move(chapter);
    if (--state.pending == 0) finish_story(state, options, observer);
  };
  events.failed = [&](std::size_t t, const std::string& message) {
    const ChapterTask& task = tasks[t];
    StoryState& state = states[task.story];
    ++state.outcome.failed;
    // A chapter that failed leaves no stale entry behind: its old files may be half replaced.
    state.chapters.erase(task.number);
    if (observer) observer->chapter_failed(*state.story, task, message);
    if (--state.pending == 0) finish_story(state, options, observer);
  };
  const int jobs = options.jobs > 0 ? options.jobs : available_cores();
  run_in_workers(tasks.size(), jobs, work, events);

  std::vector<StoryOutcome> outcomes;
  for (StoryState& state : states) {
    finish_story(state, options, observer);
    outcomes.push_back(state.outcome);
  }
  return outcomes;
}

}  // namespace troupe
