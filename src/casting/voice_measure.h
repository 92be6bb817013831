// Voice profiles measured as a listener hears them: median F0, F0 range and brightness of a
// calibration sentence spoken with the profile by the process's eSpeak NG engine.
//
// The figures live in <voices dir>/measures.toml, one table per profile, each with the key of
// what it measured (the profile's voice settings, the eSpeak NG version, the calibration text
// and this measure's version). `troupe voices --measure` rewrites the file; renders only read
// it, so a render never synthesises a calibration sentence. A profile whose key does not match
// (edited, or another eSpeak NG) counts as unmeasured until measured again.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "casting/voice_profile.h"

namespace troupe {

inline constexpr const char* kMeasuresFile = "measures.toml";

// The key of a profile's measure: a hex hash of its voice settings and the eSpeak NG version.
std::string measure_key(const VoiceProfile& profile, const std::string& espeak_version);

// Speaks the calibration sentences with the profile and measures them (eSpeak NG in-process).
VoiceMeasure measure_profile(const VoiceProfile& profile);

// The measures of a measures.toml (absent file: none), by profile name. Throws InputError
// naming the file and line for a malformed one.
std::map<std::string, VoiceMeasure> read_measures(const std::string& path);
// The measures.toml text of the profiles' measures (profiles without one are left out).
std::string measures_toml(const std::vector<VoiceProfile>& profiles);

// Sets each profile's measure from dir/measures.toml where its key matches the profile and
// the installed eSpeak NG; the others keep none.
void attach_measures(std::vector<VoiceProfile>& profiles, const std::string& dir);

// 1.15 for two voices 15% apart in median F0: the higher over the lower.
double pitch_ratio(double a_hz, double b_hz);

}  // namespace troupe
