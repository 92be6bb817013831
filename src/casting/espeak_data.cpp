#include "casting/espeak_data.h"

#include <espeak-ng/espeak_ng.h>
#include <espeak-ng/speak_lib.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <string_view>
#include <vector>

#include "audio/atomic_file.h"
#include "common/ascii.h"

namespace troupe {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> data_dir_candidates() {
  std::vector<fs::path> candidates;
  if (const char* env = std::getenv("ESPEAK_DATA_PATH"); env != nullptr && *env != '\0') {
    candidates.push_back(fs::path(env) / "espeak-ng-data");
  }
  candidates.insert(
      candidates.end(),
      {"/usr/lib/x86_64-linux-gnu/espeak-ng-data", "/usr/lib/aarch64-linux-gnu/espeak-ng-data",
       "/usr/share/espeak-ng-data", "/usr/local/share/espeak-ng-data"});
  // The data path the engine uses: Engine initialises with no path of its own, so this sets
  // the same one, whether or not the engine has been initialised yet.
  espeak_ng_InitializePath(nullptr);
  const char* engine_path = nullptr;
  espeak_Info(&engine_path);
  if (engine_path != nullptr && *engine_path != '\0') candidates.emplace_back(engine_path);
  return candidates;
}

std::string find_data_dir() {
  for (const fs::path& candidate : data_dir_candidates()) {
    std::error_code ignored;
    if (fs::is_directory(candidate / "voices" / "!v", ignored)) return candidate.string();
  }
  return {};
}

// Whitespace as `>>` skips it in the "C" locale.
bool is_blank(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

// The next whitespace-separated word of `line` from `at`, which moves past it; "" at the end.
std::string_view next_word(std::string_view line, std::size_t& at) {
  while (at < line.size() && is_blank(line[at])) ++at;
  const std::size_t start = at;
  while (at < line.size() && !is_blank(line[at])) ++at;
  return line.substr(start, at - start);
}

// Adds the values of a voice file's "language NAME [priority]" lines. The words are split by
// hand: an std::istringstream for each of the ~1,900 lines of the ~150 voice files cost some
// 3 M instructions in every run.
void add_declared_languages(const fs::path& file, std::set<std::string>& names) {
  const std::string text = read_regular_file(file.string()).value_or("");
  const std::string_view all(text);
  for (std::size_t from = 0; from < all.size();) {
    const std::size_t end = std::min(all.find('\n', from), all.size());
    const std::string_view line = all.substr(from, end - from);
    std::size_t at = 0;
    if (next_word(line, at) == "language") {
      const std::string_view language = next_word(line, at);
      if (!language.empty()) names.insert(lower_ascii(language));
    }
    from = end + 1;
  }
}

// The names of espeak-ng-data/lang's files (lang/ only: voices/!v's variants are looked up
// apart) and the languages they declare, in lower case.
std::set<std::string> scan_voice_names() {
  std::set<std::string> names;
  const std::string data_dir = espeak_data_dir();
  if (data_dir.empty()) return names;
  std::error_code error;
  for (fs::recursive_directory_iterator it(fs::path(data_dir) / "lang", error), end;
       !error && it != end; it.increment(error)) {
    if (!it->is_regular_file()) continue;
    names.insert(lower_ascii(it->path().filename().string()));
    // read_regular_file follows no symlink; a distribution may link its voice files.
    std::error_code unresolved;  // a link not resolved declares nothing
    add_declared_languages(
        it->is_symlink(unresolved) ? fs::canonical(it->path(), unresolved) : it->path(), names);
  }
  return names;
}

}  // namespace

std::string espeak_data_dir() {
  static const std::string dir = find_data_dir();
  return dir;
}

bool espeak_variant_exists(const std::string& variant) {
  const std::string data_dir = espeak_data_dir();
  if (data_dir.empty() || variant.empty() || variant.find('/') != std::string::npos) return false;
  std::error_code ignored;
  return fs::is_regular_file(fs::path(data_dir) / "voices" / "!v" / variant, ignored);
}

bool espeak_voice_exists(const std::string& voice) {
  static const std::set<std::string> names = scan_voice_names();
  return names.count(lower_ascii(voice)) > 0;
}

}  // namespace troupe
