#include "casting/voice_measure.h"

#include <cmath>
#include <filesystem>
#include <sstream>

#include "audio/pitch.h"
#include "casting/toml_fields.h"
#include "common/errors.h"
#include "render/hash.h"
#include "speech/engine.h"

namespace troupe {
namespace {

// Statements and a question, as a character's lines mostly are.
constexpr const char* kCalibration =
    "I told you already, the train leaves at nine and we will all be on it. "
    "Nobody in the house has heard the news yet. Are you sure that is what she said?";
// Bumped whenever the measure itself changes, so old figures count as stale.
constexpr int kMeasureVersion = 1;

// Rounded to 1/per_unit (10: one decimal), dividing last so that the figure prints short.
double rounded(double value, double per_unit) { return std::round(value * per_unit) / per_unit; }

double number_of(const TomlFile& file, const toml::key& key, const toml::node& node) {
  const std::optional<double> value = node.value<double>();
  if (!value || !std::isfinite(*value) || *value < 0) {
    throw input_error(file.path(), TomlFile::line_of(node),
                      quoted_key(key.str()) + " must be a number of zero or more");
  }
  return *value;
}

VoiceMeasure read_measure(const TomlFile& file, const toml::table& table) {
  file.reject_unknown_keys(table, {"key", "median_f0", "f0_range", "brightness"}, "a measure");
  VoiceMeasure measure;
  for (auto&& [key, node] : table) {
    const std::string_view name = key.str();
    if (name == "key") measure.key = file.string_of(key, node);
    if (name == "median_f0") measure.median_f0 = number_of(file, key, node);
    if (name == "f0_range") measure.f0_range = number_of(file, key, node);
    if (name == "brightness") measure.brightness = number_of(file, key, node);
  }
  return measure;
}

}  // namespace

std::string measure_key(const VoiceProfile& profile, const std::string& espeak_version) {
  const VoiceParams& p = profile.params;
  Hasher hasher;
  hasher.add(kMeasureVersion).add(kCalibration).add(espeak_version);
  hasher.add(p.espeak_voice).add(p.variant).add(p.rate).add(p.pitch).add(p.range).add(p.volume);
  return hasher.hex().substr(0, 16);
}

VoiceMeasure measure_profile(const VoiceProfile& profile) {
  Engine& engine = Engine::instance();
  // eSpeak NG carries some state over from the voice spoken before (a first sentence with the
  // profile does not clear it): the same plain voice first, so that a profile's figures do not
  // depend on which profile was measured before it.
  engine.speak("Yes.", VoiceParams{});
  const Utterance spoken = engine.speak(kCalibration, profile.params);
  const std::vector<float> samples = to_float(spoken.samples.data(), spoken.samples.size());
  const std::vector<double> f0s = track_pitch(samples, engine.sample_rate());
  VoiceMeasure measure;
  measure.key = measure_key(profile, engine.version());
  measure.median_f0 = rounded(quantile(f0s, 0.5), 10);
  measure.f0_range = rounded(semitone_spread(f0s), 10);
  measure.brightness = rounded(energy_share_above(samples, engine.sample_rate()), 1000);
  return measure;
}

// The file's shape: one table per profile.
//   [ember]
//   key = "3f9c0a51d2e4b871"   # measure_key() of what was measured
//   median_f0 = 212.4          # Hz
//   f0_range = 6.1             # semitones, 10th to 90th percentile
//   brightness = 0.231         # share of energy above 1 kHz
std::map<std::string, VoiceMeasure> read_measures(const std::string& path) {
  std::map<std::string, VoiceMeasure> measures;
  std::error_code error;
  if (!std::filesystem::exists(path, error)) return measures;
  const TomlFile file(path);
  const toml::table table = file.parse();
  for (auto&& [key, node] : table) {
    const VoiceMeasure measure = read_measure(file, file.table_of(key, node));
    if (measure.key.empty()) {
      throw input_error(path, TomlFile::line_of(node), "measure without a 'key'");
    }
    measures[std::string(key.str())] = measure;
  }
  return measures;
}

std::string measures_toml(const std::vector<VoiceProfile>& profiles) {
  toml::table table;
  for (const VoiceProfile& profile : profiles) {
    if (!profile.measure) continue;
    const VoiceMeasure& m = *profile.measure;
    table.insert(profile.name, toml::table{{"key", m.key},
                                           {"median_f0", m.median_f0},
                                           {"f0_range", m.f0_range},
                                           {"brightness", m.brightness}});
  }
  std::ostringstream out;
  out << "# Voice profiles as measured by `troupe voices --measure` (do not edit: run it again\n"
         "# after changing a profile). median_f0 in Hz, f0_range in semitones (10th to 90th\n"
         "# percentile), brightness = share of energy above 1 kHz; key = what was measured.\n\n"
      << toml::toml_formatter{table, toml::toml_formatter::default_flags |
                                         toml::format_flags::relaxed_float_precision}
      << "\n";
  return out.str();
}

void attach_measures(std::vector<VoiceProfile>& profiles, const std::string& dir) {
  const auto measures = read_measures((std::filesystem::path(dir) / kMeasuresFile).string());
  const std::string version = espeak_ng_version();
  for (VoiceProfile& profile : profiles) {
    const auto it = measures.find(profile.name);
    if (it != measures.end() && it->second.key == measure_key(profile, version)) {
      profile.measure = it->second;
    }
  }
}

double pitch_ratio(double a_hz, double b_hz) {
  const double low = std::min(a_hz, b_hz), high = std::max(a_hz, b_hz);
  return low > 0 ? high / low : 0;
}

}  // namespace troupe
