#include "casting/espeak_data.h"

#include <espeak-ng/espeak_ng.h>
#include <espeak-ng/speak_lib.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <vector>

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

// Adds the values of a voice file's "language NAME [priority]" lines.
void add_declared_languages(const fs::path& file, std::set<std::string>& names) {
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string keyword, language;
    if (words >> keyword >> language && keyword == "language") names.insert(lower_ascii(language));
  }
}

std::set<std::string> scan_voice_names() {
  std::set<std::string> names;
  const std::string data_dir = espeak_data_dir();
  if (data_dir.empty()) return names;
  std::error_code error;
  for (fs::recursive_directory_iterator it(fs::path(data_dir) / "lang", error), end;
       !error && it != end; it.increment(error)) {
    if (!it->is_regular_file()) continue;
    names.insert(lower_ascii(it->path().filename().string()));
    add_declared_languages(it->path(), names);
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
