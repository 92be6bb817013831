// Synthesised utterances kept on disk, so that a chapter rendered again after an edit speaks
// only what changed.
//
// Each chapter's utterances go into one pack file, OUTDIR/<story>/.cache/<chapter>.pack, as
// they are spoken; the pack is also where the chapter's audio waits for its loudness gain.
// Every utterance in a pack is found by a key: a hash of everything that shaped its audio (the
// words as said, the voice and delivery, eSpeak NG's version, the limiter). A chapter looks
// its utterances up in every pack of its book, so moved or renumbered text is found too.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "audio/atomic_file.h"
#include "audio/loudness.h"
#include "speech/engine.h"

namespace troupe {

struct CachedUtterance {
  std::vector<int16_t> samples;  // empty when loaded without them (see PackLibrary::load)
  std::size_t frames = 0;        // how many samples the utterance has
  // Loaded without the samples (see PackLibrary::load): what fast_checksum of them must be.
  // Their reader checks them with it, and so the words and blocks too.
  std::optional<std::uint64_t> samples_checksum;
  std::vector<WordTiming> words;
  UtteranceLevels levels;  // no blocks when rendered without loudness levelling
};

struct PackEntry {
  std::uint64_t offset = 0;  // of the utterance's data in the pack
  std::uint32_t samples = 0, words = 0, blocks = 0;
  float true_peak = 0;
  std::uint64_t checksum = 0;  // of the data
};

// The packs of a cache folder, for reading. A pack that cannot be read, or whose index is
// damaged, is left out; an entry whose data is damaged is a miss.
class PackLibrary {
 public:
  PackLibrary() = default;  // empty: never hits
  // Every pack in folder; with `before`, those not in it are this run's (see add).
  PackLibrary(const std::string& folder, int sample_rate,
              const std::set<std::string>* before = nullptr);
  ~PackLibrary();
  PackLibrary(const PackLibrary&) = delete;
  PackLibrary& operator=(const PackLibrary&) = delete;

  // Fills `into` (reusing its memory) and returns true on a hit. Without `samples`, an entry of
  // a pack added as this run's own (see add) is read without its samples (into.samples empty,
  // into.frames set): the join of a split chapter reads them once, levelled, rather than
  // twice. Its words and blocks are then unchecked until the samples read back (read_samples)
  // match into.samples_checksum, which their reader must check before using what it wrote.
  // Any other pack's entry is checked whole when loaded: with `samples` read into
  // into.samples; without, read through a small buffer and left there (into.samples empty,
  // into.frames set), its checksum checked all the same.
  bool load(const std::string& key, CachedUtterance& into, bool samples = true);
  // Samples [from, from + count) of the utterance under key, read again, unchecked (after a
  // load that checked them, or that left it to their reader: see samples_checksum). False when
  // they cannot be read.
  bool read_samples(const std::string& key, std::size_t from, int16_t* into, std::size_t count);
  // Whether the index lists key (its data is checked when loaded or read back).
  bool contains(const std::string& key) const { return index_.count(key) > 0; }
  // Whether an utterance was loaded from the pack at path.
  bool used(const std::string& path) const;
  // Adds the pack at path, unless it is in already; false when it cannot be read. this_run: the
  // pack was written by this run, moments ago (a part of the chapter being joined): its
  // entries are checked only as their samples are read back when loaded without them.
  bool add(const std::string& path, int sample_rate, bool this_run = false);
  std::size_t size() const { return index_.size(); }

 private:
  struct Pack {
    int fd = -1;
    std::string path;
    bool touched = false;
    bool this_run = false;
  };
  std::vector<Pack> packs_;
  std::unordered_map<std::string, std::pair<std::size_t, PackEntry>> index_;  // key -> pack
};

// The paths of the packs in folder now, as PackLibrary(folder, ...) names them.
std::set<std::string> pack_paths(const std::string& folder);

// One chapter's pack, written as the chapter is spoken to PATH.tmp, then renamed to PATH by
// commit() (or removed, when the cache is off). Every failure throws RenderError naming PATH:
// the pack also holds the chapter's audio until it is levelled.
class PackWriter {
 public:
  PackWriter(std::string path, int sample_rate);
  ~PackWriter();
  PackWriter(const PackWriter&) = delete;
  PackWriter& operator=(const PackWriter&) = delete;

  // Appends an utterance; returns its number in this pack.
  std::size_t add(const std::string& key, const CachedUtterance& utterance);
  // Reads samples [from, from + count) of utterance `entry` back.
  void read_samples(std::size_t entry, std::size_t from, int16_t* into, std::size_t count);
  // keep: write the index and move the pack into place; else remove it.
  void finish(bool keep);

 private:
  [[noreturn]] void fail(const std::string& what) const;

  std::string path_;
  std::optional<TempFile> temp_;  // a cache: not fsync'ed
  int fd_ = -1;                   // temp_'s; -1 once finished
  std::uint64_t end_ = 0;
  std::vector<std::pair<std::string, PackEntry>> entries_;
};

// Removes the least recently used packs of a cache folder until it holds at most 80% of
// max_bytes, when it holds more than max_bytes. Returns the bytes it holds afterwards.
std::uint64_t trim_cache(const std::string& folder, std::uint64_t max_bytes);

}  // namespace troupe
