#include "casting/voice_profile.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <tuple>

#include "casting/espeak_data.h"
#include "casting/toml_fields.h"
#include "casting/voice_measure.h"
#include "common/errors.h"

namespace troupe {
namespace {

namespace fs = std::filesystem;

struct ProfileReader {
  const TomlFile& file;
  VoiceProfile profile;
  int variant_line = 0;
  int espeak_line = 0;

  void read_key(const toml::key& key, const toml::node& node) {
    const std::string_view name = key.str();
    if (name == "name") profile.name = file.string_of(key, node);
    if (name == "espeak") profile.params.espeak_voice = file.string_of(key, node);
    if (name == "variant") profile.params.variant = file.string_of(key, node);
    if (name == "gender") profile.gender = file.gender_of(key, node);
    if (name == "rate") profile.params.rate = file.integer_in_range(key, node, 80, 450);
    if (name == "pitch") profile.params.pitch = file.integer_in_range(key, node, 0, 100);
    if (name == "range") profile.params.range = file.integer_in_range(key, node, 0, 100);
    if (name == "volume") profile.params.volume = file.integer_in_range(key, node, 0, 200);
    if (name == "espeak") espeak_line = TomlFile::line_of(node);
    if (name == "variant") variant_line = TomlFile::line_of(node);
  }
};

void require_keys(const TomlFile& file, const toml::table& table) {
  for (const char* key : {"name", "espeak", "gender"}) {
    if (!table.contains(key)) throw input_error(file.path(), 0, "missing key " + quoted_key(key));
  }
}

void check_installed(const TomlFile& file, const ProfileReader& reader) {
  const VoiceParams& params = reader.profile.params;
  if (params.espeak_voice.empty() || !espeak_voice_exists(params.espeak_voice)) {
    throw input_error(
        file.path(), reader.espeak_line,
        "unknown eSpeak NG voice '" + params.espeak_voice + "' (see espeak-ng --voices=en)");
  }
  if (!params.variant.empty() && !espeak_variant_exists(params.variant)) {
    throw input_error(file.path(), reader.variant_line,
                      "unknown eSpeak NG variant '" + params.variant + "' (not in " +
                          espeak_data_dir() + "/voices/!v)");
  }
}

bool is_profile_file(const fs::directory_entry& entry) {
  // measures.toml beside the profiles holds their measured figures, not a profile.
  return entry.is_regular_file() && entry.path().extension() == ".toml" &&
         entry.path().filename() != kMeasuresFile;
}

std::optional<std::string> existing_dir(const fs::path& dir) {
  std::error_code ignored;
  if (dir.empty() || !fs::is_directory(dir, ignored)) return std::nullopt;
  return dir.string();
}

fs::path beside_executable() {
  std::error_code error;
  const fs::path exe = fs::read_symlink("/proc/self/exe", error);
  if (error) return {};
  return (exe.parent_path() / ".." / "share" / "troupe" / "voices").lexically_normal();
}

// The places a voices folder is looked for when neither --voices nor TROUPE_VOICES names one.
std::vector<fs::path> voices_dir_candidates() {
  std::vector<fs::path> candidates;
  candidates.emplace_back("voices");
#ifdef TROUPE_INSTALLED_VOICES
  candidates.emplace_back(TROUPE_INSTALLED_VOICES);
#endif
  candidates.push_back(beside_executable());
#ifdef TROUPE_SOURCE_VOICES
  // Last: the source tree this binary was built from, so a build runs from any folder.
  candidates.emplace_back(TROUPE_SOURCE_VOICES);
#endif
  return candidates;
}

}  // namespace

// A profile file's shape (every key on its own line; only name, espeak and gender required):
//   name = "ember"
//   espeak = "en-us"     # eSpeak NG voice
//   variant = "f3"       # from espeak-ng-data/voices/!v
//   gender = "f"         # m, f or x
//   rate = 170           # 80-450 words per minute
//   pitch = 62           # 0-100
//   range = 55           # 0-100
//   volume = 100         # 0-200
VoiceProfile read_voice_profile(const std::string& path) {
  const TomlFile file(path);
  const toml::table table = file.parse();
  file.reject_unknown_keys(
      table, {"name", "espeak", "variant", "gender", "rate", "pitch", "range", "volume"},
      "a voice profile");
  require_keys(file, table);
  ProfileReader reader{file, VoiceProfile{}};
  for (auto&& [key, node] : table) reader.read_key(key, node);
  if (reader.profile.name.empty()) throw input_error(path, 0, "'name' must not be empty");
  check_installed(file, reader);
  reader.profile.file = path;
  return reader.profile;
}

std::vector<VoiceProfile> load_voice_profiles(const std::string& dir) {
  std::error_code error;
  fs::directory_iterator entries(dir, error);
  if (error) throw input_error(dir, 0, "cannot read the voices folder");
  std::vector<VoiceProfile> profiles;
  for (const fs::directory_entry& entry : entries) {
    if (is_profile_file(entry)) profiles.push_back(read_voice_profile(entry.path().string()));
  }
  std::sort(profiles.begin(), profiles.end(), [](const VoiceProfile& a, const VoiceProfile& b) {
    return std::tie(a.name, a.file) < std::tie(b.name, b.file);
  });
  for (size_t i = 1; i < profiles.size(); ++i) {
    if (profiles[i].name == profiles[i - 1].name) {
      throw input_error(
          profiles[i].file, 0,
          "profile name '" + profiles[i].name + "' is also used by " + profiles[i - 1].file);
    }
  }
  attach_measures(profiles, dir);
  return profiles;
}

std::string find_voices_dir(const std::string& cli_dir) {
  if (!cli_dir.empty()) {
    if (auto dir = existing_dir(cli_dir)) return *dir;
    throw input_error(cli_dir, 0, "the voices folder does not exist");
  }
  // A folder the user named is used or refused, never silently replaced by the defaults.
  if (const char* env = std::getenv("TROUPE_VOICES"); env != nullptr && *env != '\0') {
    if (auto dir = existing_dir(env)) return *dir;
    throw InputError(std::string("TROUPE_VOICES=") + env + ": the voices folder does not exist");
  }
  for (const fs::path& candidate : voices_dir_candidates()) {
    if (auto dir = existing_dir(candidate)) return *dir;
  }
  throw InputError(
      "no voices folder found: pass --voices DIR, set TROUPE_VOICES, or run from a folder with "
      "voices/");
}

}  // namespace troupe
