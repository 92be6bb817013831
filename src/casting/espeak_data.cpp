#include "casting/espeak_data.h"

#include <espeak-ng/espeak_ng.h>
#include <espeak-ng/speak_lib.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <map>
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

// espeak-ng-data/lang's files (lang/ only: voices/!v's variants are looked up apart), by their
// names in lower case; a link is resolved (read_regular_file follows none; a distribution may
// link its voice files). Only the folders are read, not the files.
using VoiceFiles = std::multimap<std::string, fs::path>;
VoiceFiles list_voice_files() {
  VoiceFiles files;
  const std::string data_dir = espeak_data_dir();
  if (data_dir.empty()) return files;
  std::error_code error;
  for (fs::recursive_directory_iterator it(fs::path(data_dir) / "lang", error), end;
       !error && it != end; it.increment(error)) {
    if (!it->is_regular_file()) continue;
    std::error_code unresolved;  // a link not resolved declares nothing
    files.emplace(lower_ascii(it->path().filename().string()),
                  it->is_symlink(unresolved) ? fs::canonical(it->path(), unresolved) : it->path());
  }
  return files;
}

const VoiceFiles& voice_files() {
  static const VoiceFiles files = list_voice_files();
  return files;
}

// The languages all of lang/'s files declare, in lower case: 131 files read (~800 system
// calls, 1.1 ms), once done by every render and `troupe script` on its main thread.
std::set<std::string> scan_declared_languages() {
  std::set<std::string> names;
  for (const auto& [name, file] : voice_files()) add_declared_languages(file, names);
  return names;
}

// Whether a file named as one of the voice's shorter forms declares it ("en-gb" of
// lang/gmw/en): where a voice that is no file's name is most often declared.
bool declared_by_shorter_form(const std::string& voice) {
  for (std::size_t dash = voice.rfind('-'); dash != std::string::npos && dash > 0;
       dash = voice.rfind('-', dash - 1)) {
    const auto [first, last] = voice_files().equal_range(voice.substr(0, dash));
    for (auto it = first; it != last; ++it) {
      std::set<std::string> declared;
      add_declared_languages(it->second, declared);
      if (declared.count(voice) > 0) return true;
    }
  }
  return false;
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

// A file's name or a language one declares. The file names (folders only) are looked at first,
// then the files named as the voice's shorter forms; every file is read only when these miss:
// the answer is the same, but the usual profiles ("en-us", "en-gb") need no file read or one.
bool espeak_voice_exists(const std::string& voice) {
  const std::string name = lower_ascii(voice);
  if (voice_files().count(name) > 0 || declared_by_shorter_form(name)) return true;
  static const std::set<std::string> declared = scan_declared_languages();
  return declared.count(name) > 0;
}

}  // namespace troupe
