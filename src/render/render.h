// Rendering prepared stories into audio files: one per chapter with its subtitles, plus per
// book a manifest, an M3U8 playlist and an FFMETADATA chapters file. Chapters are spread over
// worker processes; chapters whose inputs have not changed are not rendered again.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "audio/loudness.h"
#include "audio/manifest.h"
#include "audio/wav_writer.h"
#include "publish/read_along.h"
#include "render/prepare.h"

namespace troupe {

struct RenderOptions {
  std::string out_dir = "out";
  int first_chapter = 1;       // 1-based, inclusive
  int last_chapter = 1 << 30;  // inclusive
  double rate_scale = 1.0;     // --rate: speeds every voice up or down
  AudioFormat format = AudioFormat::kWav;
  bool loudness = true;       // --loudness off: false
  LoudnessTarget target;      // -18 LUFS, -3 dBTP
  int jobs = 0;               // worker processes; 0: one per core
  bool force = false;         // render even chapters that are up to date
  int shard = 1, shards = 1;  // --shard K/N: render only the K-th of N parts
  std::uint64_t cache_bytes = std::uint64_t{1} << 30;  // utterance cache bound; 0: no cache
  std::string author;                                  // the artist tag
  bool m4b = false;   // --m4b: one M4B per book (src/publish), from unsharded runs only
  std::string cover;  // --cover: the M4B's cover image (bytes); empty: none
  ReadAlongMode read_along = ReadAlongMode::kOff;  // --read-along: BOOK.epub and BOOK.html
};

// The files of a book, beside its chapters.
inline constexpr const char* kManifestFile = "manifest.json";
inline constexpr const char* kPlaylistFile = "playlist.m3u8";
inline constexpr const char* kChaptersFile = "chapters.ffmeta";
inline constexpr const char* kCacheFolder = ".cache";

// One chapter of one story to render (or found up to date).
struct ChapterTask {
  std::size_t story = 0;  // index into the stories given to render_stories
  int number = 0;         // 1-based
  int count = 0;          // chapters in the story
  std::string folder, audio, srt, vtt, inputs;
  std::size_t utterances = 0, chars = 0;  // how much there is to say
};

struct StoryOutcome {
  std::string folder;    // OUTDIR/<story>
  std::string manifest;  // its manifest's path; empty if none was written
  int rendered = 0, up_to_date = 0, failed = 0;
};

// What happens, as it happens (in the calling process). All optional.
class RenderObserver {
 public:
  virtual ~RenderObserver() = default;
  // Before any rendering: the chapters to render and how many utterances they hold, and the
  // chapters found up to date.
  virtual void planned(const std::vector<ChapterTask>& /*to_render*/, int /*up_to_date*/) {}
  virtual void progress(std::size_t /*utterances*/) {}
  // A long chapter is spoken in parts by several workers: part (0-based) of parts is spoken.
  virtual void part_done(const PreparedStory& /*story*/, const ChapterTask& /*task*/,
                         std::size_t /*part*/, std::size_t /*parts*/) {}
  // A chapter is written; `chapter` is its manifest entry's head (its utterances left out).
  virtual void chapter_done(const PreparedStory& /*story*/, const ChapterTask& /*task*/,
                            const ManifestChapter& /*chapter*/) {}
  virtual void chapter_failed(const PreparedStory& /*story*/, const ChapterTask& /*task*/,
                              const std::string& /*message*/) {}
  virtual void story_done(const PreparedStory& /*story*/, const StoryOutcome& /*outcome*/) {}
  // Before a book file that takes a while to write (the M4B) is written.
  virtual void writing(const PreparedStory& /*story*/, const std::string& /*path*/) {}
};

// Sets glibc's malloc to keep the memory a render frees for reuse (blocks up to 32 MiB from the
// heap, up to 64 MiB of it kept free) rather than give it back and fault it in anew. Called
// first thing by the render command, before any thread starts; the workers, the speech server
// and its children, forked later, inherit it.
void keep_freed_memory_for_reuse();

// Renders the chosen chapters of every story. A chapter that fails is reported to the observer
// and counted; the others go on. Throws RenderError only when no output can be written at all.
std::vector<StoryOutcome> render_stories(const std::vector<const PreparedStory*>& stories,
                                         const RenderOptions& options,
                                         RenderObserver* observer = nullptr);

// Whether chapter `number` of the story called `story_title` falls in shard K of N (1-based K):
// the chapters of each story are dealt round-robin, starting at a shard chosen by a hash of
// the story's title, so each shard gets an even share of every story and the split does not
// depend on which other stories are given.
bool in_shard(const std::string& story_title, int number, int shard, int shards);

// "Chapter 3: The Lake" -> "chapter-3-the-lake": transliterated to ASCII by ICU, lower-case
// letters and digits joined by hyphens, at most 64 bytes (a longer one is cut and ends in a
// hash of the whole title); "chapter" when nothing is left.
std::string slug(const std::string& title);

// The folder name of each story's book in out_dir, all different: the slug of its title, else
// of its source file's name, else that slug and a short hash of the source's path. A name whose
// folder holds another source's book (by its manifest) is passed over.
std::vector<std::string> book_folder_names(const std::vector<const PreparedStory*>& stories,
                                           const std::string& out_dir);

// Reads the manifest of the book that story_path would have in out_dir when named after its
// source file (the folder book_folder_names gives most text files and folders): on another
// core while the story is prepared, so that render_stories finds it parsed (the last manifest
// read is kept). Any other name, or no manifest there, and nothing is gained or lost.
void prefetch_book_manifest(const std::string& story_path, const std::string& out_dir);

// "07-chapter-7.wav": number zero-padded to the width of the count, at least two digits.
std::string chapter_file_name(int number, int count, const std::string& title,
                              const std::string& extension);

}  // namespace troupe
