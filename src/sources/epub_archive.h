// An EPUB's ZIP container, read with libzip. Entries are looked up by name and read into
// memory; a name inside the archive is never used as a path on disk. A hostile archive stays
// harmless: the entry count, each entry's size and the total size are capped before anything
// is unpacked (a ZIP bomb is refused), and libzip checks every entry's CRC as it is read.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

struct zip;

namespace troupe {

inline constexpr std::uint64_t kMaxEpubEntries = 10'000;
inline constexpr std::uint64_t kMaxEpubEntryBytes = 128ull << 20;  // one entry, unpacked
inline constexpr std::uint64_t kMaxEpubTotalBytes = 1ull << 30;    // all entries, unpacked

class EpubArchive {
 public:
  // Opens the archive; throws InputError naming the file when it is not a ZIP archive, is
  // damaged or breaks a cap.
  explicit EpubArchive(const std::string& path);
  ~EpubArchive();
  EpubArchive(const EpubArchive&) = delete;
  EpubArchive& operator=(const EpubArchive&) = delete;

  const std::string& path() const { return path_; }
  bool contains(const std::string& name) const;
  // The entry's bytes; throws InputError naming the file and the entry when it is missing,
  // encrypted or damaged.
  std::string read(const std::string& name) const;
  // An InputError "FILE: ENTRY: what" (or "FILE: what" without an entry).
  [[noreturn]] void fail(const std::string& entry, const std::string& what) const;

 private:
  std::int64_t index_of(const std::string& name) const;
  void check_sizes() const;

  std::string path_;
  struct zip* zip_ = nullptr;
};

// An archive-relative name for `href` as written in the document `base` (both inside the
// archive): percent-escapes decoded, the #fragment dropped, "." and ".." folded. "" when the
// href leaves the archive (a scheme such as http:, or ".." above its root).
std::string resolve_href(const std::string& base, std::string_view href);

// The #fragment of an href, percent-decoded ("" without one).
std::string href_fragment(std::string_view href);

}  // namespace troupe
