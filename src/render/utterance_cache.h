// Synthesised utterances kept on disk, so that a chapter rendered again after an edit speaks
// only what changed.
//
// Each chapter's utterances go into one pack file, OUTDIR/<story>/.cache/<chapter>.pack, as
// they are spoken; the pack is also where the chapter's audio waits for its loudness gain.
// Every utterance in a pack is found by a key: a hash of everything that shaped its audio (the
// words as said, the voice and delivery, eSpeak NG's version, the limiter). A chapter looks
// its utterances up in every pack of its book, so moved or renumbered text is found too.
//
// A chapter spoken whole without levelling (--loudness off, WAV) has in its audio file exactly
// the samples its pack would hold: its pack keeps only the words of each utterance, and finds
// the samples in a hard link to the chapter's WAV beside it (PACK.wav, the pack's "audio
// file"), instead of a second copy of some 90 MB (story 002). The link keeps the audio the
// cache needs when the chapter's file is replaced or removed; a file changed in place fails
// the entries' checksums, which are misses.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "audio/atomic_file.h"
#include "audio/loudness.h"
#include "speech/engine.h"

namespace troupe {

struct CachedUtterance {
  std::vector<int16_t> samples;
  std::vector<WordTiming> words;
  UtteranceLevels levels;  // no blocks when rendered without loudness levelling
};

struct PackEntry {
  std::uint64_t offset = 0;      // of the utterance's words and blocks in the pack
  std::uint64_t samples_at = 0;  // of its samples, in the pack or in its audio file
  std::uint32_t samples = 0, words = 0, blocks = 0;
  float true_peak = 0;
  std::uint64_t checksum = 0;  // of the data
};

// The packs of a cache folder, for reading. A pack that cannot be read, or whose index is
// damaged, is left out; an entry whose data is damaged is a miss.
class PackLibrary {
 public:
  PackLibrary() = default;  // empty: never hits
  // Every pack in folder.
  PackLibrary(const std::string& folder, int sample_rate);
  ~PackLibrary();
  PackLibrary(const PackLibrary&) = delete;
  PackLibrary& operator=(const PackLibrary&) = delete;

  // Fills `into` (reusing its memory) and returns true on a hit.
  bool load(const std::string& key, CachedUtterance& into);
  // Samples [from, from + count) of the utterance under key, read again (after a load that
  // checked them); false when the pack cannot be read.
  bool read_samples(const std::string& key, std::size_t from, int16_t* into, std::size_t count);
  // Whether the index lists key (its data is checked by load only).
  bool contains(const std::string& key) const { return index_.count(key) > 0; }
  // Whether an utterance was loaded from the pack at path.
  bool used(const std::string& path) const;
  // Adds the pack at path, unless it is in already; false when it cannot be read.
  bool add(const std::string& path, int sample_rate);
  std::size_t size() const { return index_.size(); }

 private:
  struct Pack {
    int fd = -1;
    int samples_fd = -1;  // the pack's, or its audio file's
    std::string path;
    bool touched = false;
  };
  std::vector<Pack> packs_;
  std::unordered_map<std::string, std::pair<std::size_t, PackEntry>> index_;  // key -> pack
};

// The audio file of the pack at pack_path, when its samples are in one (see above).
std::string pack_audio_path(const std::string& pack_path);

// One chapter's pack, written as the chapter is spoken to PATH.tmp, then renamed to PATH by
// commit() (or removed, when the cache is off). Every failure throws RenderError naming PATH:
// the pack also holds the chapter's audio until it is levelled.
class PackWriter {
 public:
  // samples_elsewhere: the utterances' samples are left out, to be found in the chapter's WAV
  // (add's `frame`, finish_linked).
  PackWriter(std::string path, int sample_rate, bool samples_elsewhere = false);
  ~PackWriter();
  PackWriter(const PackWriter&) = delete;
  PackWriter& operator=(const PackWriter&) = delete;

  // Appends an utterance; returns its number in this pack. frame: where its samples begin in
  // the chapter's WAV, for a pack whose samples are elsewhere.
  std::size_t add(const std::string& key, const CachedUtterance& utterance,
                  std::uint64_t frame = 0);
  // Reads samples [from, from + count) of utterance `entry` back.
  void read_samples(std::size_t entry, std::size_t from, int16_t* into, std::size_t count);
  // keep: write the index and move the pack into place; else remove it.
  void finish(bool keep);
  // For a pack whose samples are elsewhere: links wav (the chapter's file, in place, holding
  // `frames` frames of 16-bit mono samples at its end) as the pack's audio file, then finishes
  // the pack. When the link cannot be made, the pack is removed: only a cache.
  void finish_linked(const std::string& wav, std::uint64_t frames);

 private:
  [[noreturn]] void fail(const std::string& what) const;
  void write_index(std::uint64_t samples_base);

  std::string path_;
  std::optional<TempFile> temp_;  // a cache: not fsync'ed
  int fd_ = -1;                   // temp_'s; -1 once finished
  std::uint64_t end_ = 0;
  bool samples_elsewhere_ = false;
  std::vector<std::pair<std::string, PackEntry>> entries_;
};

// Removes the pack at path and its audio file, if it has one.
void remove_pack(const std::string& path);

// Removes the least recently used packs (with their audio files) of a cache folder until it
// holds at most 80% of max_bytes, when it holds more than max_bytes. Returns the bytes it
// holds afterwards.
std::uint64_t trim_cache(const std::string& folder, std::uint64_t max_bytes);

}  // namespace troupe
