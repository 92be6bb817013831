// Voice profiles: one voices/<name>.toml per profile, a named eSpeak NG voice for a character.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/gender.h"
#include "speech/voice_params.h"

namespace troupe {

// How a profile sounds, measured from its calibration sentences (see voice_measure.h).
struct VoiceMeasure {
  std::string key;        // what was measured: settings and eSpeak NG version, hashed
  double median_f0 = 0;   // Hz, over voiced frames
  double f0_range = 0;    // semitones between the 10th and 90th percentile of F0
  double brightness = 0;  // share of energy above 1 kHz, 0..1
};

struct VoiceProfile {
  std::string name;
  Gender gender = Gender::Unknown;
  VoiceParams params;
  std::string file;                     // where it was read from
  std::optional<VoiceMeasure> measure;  // from measures.toml when current, else none
};

// Reads every *.toml in dir, sorted by name. Validates: required keys name/espeak/gender, unknown
// keys are errors, rate 80-450, pitch 0-100, range 0-100, volume 0-200, gender m/f/x; the variant
// must exist in the installed espeak-ng-data voices/!v folder and the espeak voice must exist.
// Errors throw InputError naming the file and the line of the key. Each profile's measure comes
// from dir/measures.toml when it is current (see voice_measure.h).
std::vector<VoiceProfile> load_voice_profiles(const std::string& dir);
VoiceProfile read_voice_profile(const std::string& path);

// Where profiles are looked for, first match wins: cli_dir if non-empty, $TROUPE_VOICES, ./voices,
// then TROUPE_INSTALLED_VOICES (a compile definition), then "../share/troupe/voices" relative to
// the running executable. Throws InputError if none is found.
std::string find_voices_dir(const std::string& cli_dir);

}  // namespace troupe
