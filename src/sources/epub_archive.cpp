#include "sources/epub_archive.h"

#include <libxml/uri.h>
#include <libxml/xmlmemory.h>
#include <zip.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <vector>

#include "common/errors.h"

namespace troupe {
namespace {

std::string zip_error_text(int code) {
  zip_error_t error;
  zip_error_init_with_code(&error, code);
  std::string text = zip_error_strerror(&error);
  zip_error_fini(&error);
  return text;
}

// A local file header's signature: a ZIP archive, even when its end is lost.
bool starts_like_zip(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char head[4] = {};
  in.read(head, sizeof head);
  return in.gcount() == 4 && std::string_view(head, 4) == "PK\x03\x04";
}

std::string megabytes(std::uint64_t bytes) { return std::to_string(bytes >> 20) + " MB"; }

// "%20" -> " " (libxml2's URI unescaping; a '%' not before two hex digits stays as it is).
std::string percent_decoded(std::string_view s) {
  const std::string escaped(s);
  char* decoded = xmlURIUnescapeString(escaped.c_str(), static_cast<int>(escaped.size()), nullptr);
  if (decoded == nullptr) throw std::bad_alloc();
  std::string out(decoded);
  xmlFree(decoded);
  return out;
}

}  // namespace

EpubArchive::EpubArchive(const std::string& path) : path_(path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) fail("", "no such file");
  int code = 0;
  zip_ = zip_open(path.c_str(), ZIP_RDONLY, &code);
  if (zip_ == nullptr) {
    if (code == ZIP_ER_NOZIP && starts_like_zip(path))
      fail("", "damaged ZIP archive: its directory is missing (cut short?)");
    if (code == ZIP_ER_NOZIP) fail("", "not an EPUB: the file is not a ZIP archive");
    if (code == ZIP_ER_OPEN || code == ZIP_ER_READ)
      fail("", "cannot read the file: " + zip_error_text(code));
    fail("", "damaged ZIP archive: " + zip_error_text(code));
  }
  try {
    check_sizes();
  } catch (...) {
    zip_discard(zip_);  // the destructor does not run for a constructor that throws
    throw;
  }
}

EpubArchive::~EpubArchive() {
  if (zip_ != nullptr) zip_discard(zip_);
}

void EpubArchive::fail(const std::string& entry, const std::string& what) const {
  throw input_error(path_, 0, entry.empty() ? what : entry + ": " + what);
}

// The caps, on the sizes the central directory declares: libzip never unpacks more than an
// entry declares (and checks its CRC), so nothing larger is ever inflated.
void EpubArchive::check_sizes() const {
  const zip_int64_t count = zip_get_num_entries(zip_, 0);
  if (count < 0) fail("", "damaged ZIP archive: no central directory");
  if (static_cast<std::uint64_t>(count) > kMaxEpubEntries)
    fail("", "refused: " + std::to_string(count) + " entries in the archive, more than " +
                 std::to_string(kMaxEpubEntries) + " (a ZIP bomb?)");
  std::uint64_t total = 0;
  for (zip_int64_t i = 0; i < count; ++i) {
    zip_stat_t st;
    if (zip_stat_index(zip_, static_cast<zip_uint64_t>(i), 0, &st) != 0)
      fail("", "damaged ZIP archive: entry " + std::to_string(i + 1) + " cannot be read");
    const std::string name = (st.valid & ZIP_STAT_NAME) ? st.name : "entry " + std::to_string(i);
    const std::uint64_t size = (st.valid & ZIP_STAT_SIZE) ? st.size : 0;
    if (size > kMaxEpubEntryBytes)
      fail(name, "refused: unpacks to " + megabytes(size) + ", more than the " +
                     megabytes(kMaxEpubEntryBytes) + " an entry may (a ZIP bomb?)");
    total += size;
    if (total > kMaxEpubTotalBytes)
      fail("", "refused: the archive unpacks to more than " + megabytes(kMaxEpubTotalBytes) +
                   " (a ZIP bomb?)");
  }
}

std::int64_t EpubArchive::index_of(const std::string& name) const {
  if (name.empty()) return -1;
  zip_int64_t index = zip_name_locate(zip_, name.c_str(), 0);
  if (index < 0) index = zip_name_locate(zip_, name.c_str(), ZIP_FL_NOCASE);
  return index;
}

bool EpubArchive::contains(const std::string& name) const { return index_of(name) >= 0; }

std::string EpubArchive::read(const std::string& name) const {
  const std::int64_t index = index_of(name);
  if (index < 0) fail(name, "missing from the archive");
  zip_stat_t st;
  if (zip_stat_index(zip_, static_cast<zip_uint64_t>(index), 0, &st) != 0)
    fail(name, "damaged ZIP entry");
  if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
    fail(name, "the entry is encrypted: troupe cannot read it");
  std::unique_ptr<zip_file_t, decltype(&zip_fclose)> file(
      zip_fopen_index(zip_, static_cast<zip_uint64_t>(index), 0), &zip_fclose);
  if (!file) fail(name, "damaged ZIP entry: " + std::string(zip_strerror(zip_)));
  std::string bytes;
  std::vector<char> buffer(1 << 16);
  while (true) {
    const zip_int64_t got = zip_fread(file.get(), buffer.data(), buffer.size());
    if (got < 0) fail(name, "damaged ZIP entry: " + std::string(zip_file_strerror(file.get())));
    if (got == 0) break;
    bytes.append(buffer.data(), static_cast<std::size_t>(got));
    if (bytes.size() > kMaxEpubEntryBytes)
      fail(name, "refused: unpacks to more than " + megabytes(kMaxEpubEntryBytes));
  }
  return bytes;
}

// The dot segments are resolved here, not by RFC 3986's merge (xmlBuildURI), which would clamp a
// ".." above the root where an archive's name must be refused.
std::string resolve_href(const std::string& base, std::string_view href) {
  href = href.substr(0, href.find('#'));
  href = href.substr(0, href.find('?'));
  const auto colon = href.find(':');
  if (colon != std::string_view::npos && href.find('/') > colon) return "";  // a scheme
  std::string joined = !href.empty() && href.front() == '/'
                           ? percent_decoded(href.substr(1))
                           : base.substr(0, base.rfind('/') + 1) + percent_decoded(href);
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= joined.size()) {
    std::size_t end = joined.find('/', start);
    if (end == std::string::npos) end = joined.size();
    const std::string part = joined.substr(start, end - start);
    if (part == "..") {
      if (parts.empty()) return "";
      parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    start = end + 1;
  }
  std::string name;
  for (const auto& part : parts) name += (name.empty() ? "" : "/") + part;
  return name;
}

std::string href_fragment(std::string_view href) {
  const auto hash = href.find('#');
  return hash == std::string_view::npos ? "" : percent_decoded(href.substr(hash + 1));
}

}  // namespace troupe
