#include "render/utterance_cache.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "audio/atomic_file.h"
#include "common/errors.h"
#include "render/hash.h"

namespace troupe {
namespace fs = std::filesystem;

namespace {

// A pack, in the machine's byte order (a foreign pack fails its checks):
//   "TRPK" u32 version u32 sample_rate
//   each utterance: samples x i16, words x (u32 char_offset, u32 char_length, u32 sample),
//                   blocks x f32
//   index: per utterance: key (32 hex chars), u64 offset, u32 samples, u32 words, u32 blocks,
//          f32 true_peak, u64 checksum of its data
//   trailer: u64 index offset, u32 utterances, u64 checksum of the index, "KPRT"
constexpr char kMagic[4] = {'T', 'R', 'P', 'K'};
constexpr char kEndMagic[4] = {'K', 'P', 'R', 'T'};
constexpr std::uint32_t kVersion = 1;
constexpr std::size_t kHeader = 12;
constexpr std::size_t kKey = 32;
constexpr std::size_t kIndexEntry = kKey + 8 + 4 + 4 + 4 + 4 + 8;
constexpr std::size_t kTrailer = 8 + 4 + 8 + 4;

template <typename T>
void put(std::string& out, const T& value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof value);
}

template <typename T>
T get(const char* data, std::size_t& at) {
  T value;
  std::memcpy(&value, data + at, sizeof value);
  at += sizeof value;
  return value;
}

bool pread_all(int fd, void* data, std::size_t size, std::uint64_t offset) {
  char* p = static_cast<char*>(data);
  while (size > 0) {
    const ssize_t n = ::pread(fd, p, size, static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    size -= static_cast<std::size_t>(n);
    offset += static_cast<std::uint64_t>(n);
  }
  return true;
}

bool write_parts(int fd, iovec* parts, int count) {
  std::size_t total = 0;
  for (int i = 0; i < count; ++i) total += parts[i].iov_len;
  int first = 0;
  while (total > 0) {
    const ssize_t n = ::writev(fd, parts + first, count - first);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    total -= static_cast<std::size_t>(n);
    std::size_t done = static_cast<std::size_t>(n);
    while (first < count && done >= parts[first].iov_len) done -= parts[first++].iov_len;
    if (first < count) {
      parts[first].iov_base = static_cast<char*>(parts[first].iov_base) + done;
      parts[first].iov_len -= done;
    }
  }
  return true;
}

// An utterance's data_checksum combines its samples' checksum with its words' and blocks'.
constexpr std::uint64_t kTailWeight = 0x9e3779b97f4a7c15ULL;

std::uint64_t data_checksum(const std::vector<int16_t>& samples, const std::string& tail) {
  return fast_checksum(samples.data(), samples.size() * 2) ^
         (fast_checksum(tail.data(), tail.size()) * kTailWeight);
}

// What fast_checksum of an utterance's samples is when its data_checksum is `data` and the
// words and blocks after them are `tail`: if either was damaged, the samples' checksum differs.
std::uint64_t samples_checksum(std::uint64_t data, const std::string& tail) {
  return data ^ (fast_checksum(tail.data(), tail.size()) * kTailWeight);
}

// fast_checksum of `size` bytes at `offset` in fd, read a piece at a time (not kept: an
// utterance's samples read into a vector of their own only to be checked cost its pages, some
// 1,100 page faults in the join of the bench book's chapter III from the cache); nullopt when they
// cannot be read.
std::optional<std::uint64_t> streamed_checksum(int fd, std::uint64_t offset, std::size_t size) {
  thread_local std::vector<char> piece(std::size_t{1} << 17);  // its memory kept
  FastChecksum checksum;
  for (std::size_t done = 0; done < size;) {
    const std::size_t n = std::min(size - done, piece.size());
    if (!pread_all(fd, piece.data(), n, offset + done)) return std::nullopt;
    checksum.add(piece.data(), n);
    done += n;
  }
  return checksum.value();
}

// The words and blocks of an utterance, as stored after its samples.
std::string tail_of(const CachedUtterance& utterance) {
  std::string tail;
  tail.reserve(utterance.words.size() * 12 + utterance.levels.blocks.size() * 4);
  for (const WordTiming& word : utterance.words) {
    put(tail, static_cast<std::uint32_t>(word.char_offset));
    put(tail, static_cast<std::uint32_t>(word.char_length));
    put(tail, static_cast<std::uint32_t>(word.sample));
  }
  tail.append(reinterpret_cast<const char*>(utterance.levels.blocks.data()),
              utterance.levels.blocks.size() * 4);
  return tail;
}

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

std::set<std::string> pack_paths(const std::string& folder) {
  std::set<std::string> paths;
  std::error_code error;
  for (fs::directory_iterator it(folder, error), end; !error && it != end; it.increment(error)) {
    const std::string path = it->path().string();
    if (ends_with(path, ".pack")) paths.insert(path);
  }
  return paths;
}

PackLibrary::PackLibrary(const std::string& folder, int sample_rate,
                         const std::set<std::string>* before) {
  for (const std::string& path : pack_paths(folder))
    add(path, sample_rate, before != nullptr && before->count(path) == 0);
}

bool PackLibrary::add(const std::string& path, int sample_rate, bool this_run) {
  for (const Pack& pack : packs_)
    if (pack.path == path) return true;
  // Only a regular file of ours: no symlink followed, and no FIFO or device planted at a pack's
  // name can block the open or the reads (the main process opens packs before any worker runs).
  const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat info {};
  char head[kHeader], trailer[kTrailer];
  bool ok = ::fstat(fd, &info) == 0 && S_ISREG(info.st_mode) && info.st_uid == ::geteuid() &&
            info.st_size >= static_cast<off_t>(kHeader + kTrailer) &&
            pread_all(fd, head, kHeader, 0) &&
            pread_all(fd, trailer, kTrailer, static_cast<std::uint64_t>(info.st_size) - kTrailer);
  std::size_t at = 4;
  ok = ok && std::memcmp(head, kMagic, 4) == 0 && get<std::uint32_t>(head, at) == kVersion &&
       get<std::uint32_t>(head, at) == static_cast<std::uint32_t>(sample_rate) &&
       std::memcmp(trailer + kTrailer - 4, kEndMagic, 4) == 0;
  std::string index;
  std::uint32_t count = 0;
  if (ok) {
    at = 0;
    const auto offset = get<std::uint64_t>(trailer, at);
    count = get<std::uint32_t>(trailer, at);
    const auto checksum = get<std::uint64_t>(trailer, at);
    ok = offset + std::uint64_t{count} * kIndexEntry + kTrailer ==
         static_cast<std::uint64_t>(info.st_size);
    if (ok) {
      index.resize(std::size_t{count} * kIndexEntry);
      ok = pread_all(fd, index.data(), index.size(), offset) &&
           fast_checksum(index.data(), index.size()) == checksum;
    }
  }
  if (!ok) {
    ::close(fd);
    return false;
  }
  const std::size_t pack = packs_.size();
  packs_.push_back({fd, path, false, this_run});
  at = 0;
  for (std::uint32_t i = 0; i < count; ++i) {
    std::string key(index.data() + at, kKey);
    at += kKey;
    PackEntry entry;
    entry.offset = get<std::uint64_t>(index.data(), at);
    entry.samples = get<std::uint32_t>(index.data(), at);
    entry.words = get<std::uint32_t>(index.data(), at);
    entry.blocks = get<std::uint32_t>(index.data(), at);
    entry.true_peak = get<float>(index.data(), at);
    entry.checksum = get<std::uint64_t>(index.data(), at);
    index_.emplace(std::move(key), std::make_pair(pack, entry));
  }
  return true;
}

PackLibrary::~PackLibrary() {
  for (Pack& pack : packs_) {
    // Recently used: trim_cache removes the oldest packs first.
    if (pack.touched) ::futimens(pack.fd, nullptr);
    ::close(pack.fd);
  }
}

bool PackLibrary::load(const std::string& key, CachedUtterance& into, bool samples) {
  const auto found = index_.find(key);
  if (found == index_.end()) return false;
  Pack& pack = packs_[found->second.first];
  const PackEntry& entry = found->second.second;
  // Without samples, for a pack this run wrote (the join reads its parts' samples once, when
  // it writes the chapter): the words and blocks are read now and the samples' checksum kept,
  // for the reader of the samples to check them and, through it, the words and blocks too.
  // Without samples from another pack, the entry is checked now, its samples read through a
  // small buffer and left there.
  const bool whole = samples || !pack.this_run;
  into.samples.resize(samples ? entry.samples : 0);
  into.frames = entry.samples;
  std::string tail(std::size_t{entry.words} * 12 + std::size_t{entry.blocks} * 4, '\0');
  const std::uint64_t tail_offset = entry.offset + std::uint64_t{entry.samples} * 2;
  bool read = pread_all(pack.fd, tail.data(), tail.size(), tail_offset);
  into.samples_checksum.reset();
  if (read && samples)
    read = pread_all(pack.fd, into.samples.data(), std::size_t{entry.samples} * 2, entry.offset) &&
           data_checksum(into.samples, tail) == entry.checksum;
  else if (read && whole)
    read = streamed_checksum(pack.fd, entry.offset, std::size_t{entry.samples} * 2) ==
           samples_checksum(entry.checksum, tail);
  else if (read)
    into.samples_checksum = samples_checksum(entry.checksum, tail);
  if (!read) {
    index_.erase(found);  // damaged: spoken again, and stored in the new pack
    return false;
  }
  std::size_t at = 0;
  into.words.clear();
  for (std::uint32_t i = 0; i < entry.words; ++i) {
    WordTiming word{};
    word.char_offset = get<std::uint32_t>(tail.data(), at);
    word.char_length = get<std::uint32_t>(tail.data(), at);
    word.sample = static_cast<int>(get<std::uint32_t>(tail.data(), at));
    into.words.push_back(word);
  }
  into.levels.blocks.resize(entry.blocks);
  // No blocks (--loudness off): data() may be null, which memcpy must not be given.
  if (entry.blocks > 0)
    std::memcpy(into.levels.blocks.data(), tail.data() + at, std::size_t{entry.blocks} * 4);
  into.levels.true_peak = entry.true_peak;
  pack.touched = true;
  return true;
}

bool PackLibrary::read_samples(const std::string& key, std::size_t from, int16_t* into,
                               std::size_t count) {
  const auto found = index_.find(key);
  if (found == index_.end()) return false;
  const PackEntry& entry = found->second.second;
  if (from + count > entry.samples) return false;
  return pread_all(packs_[found->second.first].fd, into, count * 2,
                   entry.offset + std::uint64_t{from} * 2);
}

bool PackLibrary::used(const std::string& path) const {
  return std::any_of(packs_.begin(), packs_.end(),
                     [&](const Pack& pack) { return pack.touched && pack.path == path; });
}

PackWriter::PackWriter(std::string path, int sample_rate) : path_(std::move(path)) {
  std::error_code ignored;
  const fs::path folder = fs::path(path_).parent_path();
  fs::create_directories(folder, ignored);
  // A link planted in place of the cache folder would take the packs elsewhere.
  if (fs::symlink_status(folder, ignored).type() != fs::file_type::directory)
    fail("the cache folder is not a folder (a symbolic link?)");
  temp_.emplace(path_, Target::kOwnFile, /*durable=*/false);
  fd_ = temp_->fd();
  std::string head(kMagic, 4);
  put(head, kVersion);
  put(head, static_cast<std::uint32_t>(sample_rate));
  iovec part{head.data(), head.size()};
  if (!write_parts(fd_, &part, 1)) fail(std::strerror(errno));
  end_ = head.size();
}

PackWriter::~PackWriter() = default;  // an unfinished pack's TempFile removes it

void PackWriter::fail(const std::string& what) const {
  throw RenderError(path_ + ": could not write: " + what);
}

std::size_t PackWriter::add(const std::string& key, const CachedUtterance& utterance) {
  if (fd_ < 0) fail("the pack is already finished");
  std::string tail = tail_of(utterance);
  PackEntry entry;
  entry.offset = end_;
  entry.samples = static_cast<std::uint32_t>(utterance.samples.size());
  entry.words = static_cast<std::uint32_t>(utterance.words.size());
  entry.blocks = static_cast<std::uint32_t>(utterance.levels.blocks.size());
  entry.true_peak = utterance.levels.true_peak;
  entry.checksum = data_checksum(utterance.samples, tail);
  iovec parts[2] = {{const_cast<int16_t*>(utterance.samples.data()), utterance.samples.size() * 2},
                    {tail.data(), tail.size()}};
  if (!write_parts(fd_, parts, 2)) fail(std::strerror(errno));
  end_ += utterance.samples.size() * 2 + tail.size();
  entries_.emplace_back(key.substr(0, kKey), entry);
  entries_.back().first.resize(kKey, '0');
  return entries_.size() - 1;
}

void PackWriter::read_samples(std::size_t entry, std::size_t from, int16_t* into,
                              std::size_t count) {
  const PackEntry& e = entries_.at(entry).second;
  if (!pread_all(fd_, into, count * 2, e.offset + std::uint64_t{from} * 2))
    throw RenderError(path_ + ": could not read back the chapter's audio");
}

void PackWriter::finish(bool keep) {
  if (fd_ < 0) return;
  if (keep) {
    std::string index;
    index.reserve(entries_.size() * kIndexEntry + kTrailer);
    for (const auto& [key, e] : entries_) {
      index += key;
      put(index, e.offset);
      put(index, e.samples);
      put(index, e.words);
      put(index, e.blocks);
      put(index, e.true_peak);
      put(index, e.checksum);
    }
    const std::uint64_t checksum = fast_checksum(index.data(), index.size());
    put(index, end_);
    put(index, static_cast<std::uint32_t>(entries_.size()));
    put(index, checksum);
    index.append(kEndMagic, 4);
    iovec part{index.data(), index.size()};
    const bool written = write_parts(fd_, &part, 1);
    fd_ = -1;
    try {
      if (written) temp_->commit();
    } catch (const RenderError&) {
      // Only a cache: the chapter is whole without it.
    }
  }
  fd_ = -1;
  temp_.reset();  // removes the pack unless it was committed
}

std::uint64_t trim_cache(const std::string& folder, std::uint64_t max_bytes) {
  struct Entry {
    fs::path path;
    std::uint64_t size;
    fs::file_time_type used;
  };
  std::vector<Entry> entries;
  std::uint64_t total = 0;
  std::error_code error;
  for (fs::directory_iterator it(folder, error), end; !error && it != end; it.increment(error)) {
    std::error_code e;
    if (!it->is_regular_file(e) || !ends_with(it->path().string(), ".pack")) continue;
    const std::uint64_t size = it->file_size(e);
    if (e) continue;
    entries.push_back({it->path(), size, it->last_write_time(e)});
    total += size;
  }
  if (total <= max_bytes) return total;
  std::sort(entries.begin(), entries.end(),
            [](const Entry& a, const Entry& b) { return a.used < b.used; });
  const std::uint64_t goal = max_bytes / 10 * 8;
  for (const Entry& entry : entries) {
    if (total <= goal) break;
    std::error_code e;
    if (fs::remove(entry.path, e)) total -= entry.size;
  }
  return total;
}

}  // namespace troupe
