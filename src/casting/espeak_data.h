// What the installed espeak-ng-data offers: variants (voices/!v) and voices (lang/).
// Read from the files directly, so checking a profile never touches the engine's global state.
#pragma once

#include <string>

namespace troupe {

// The espeak-ng-data folder ($ESPEAK_DATA_PATH, the usual install places, or the engine's own
// path); empty if none is found.
std::string espeak_data_dir();

// True if voices/!v/NAME exists (exact name, as eSpeak NG looks it up).
bool espeak_variant_exists(const std::string& variant);

// True if a file under lang/ is named so or declares the language, ignoring case ("en-gb-x-rp").
bool espeak_voice_exists(const std::string& voice);

}  // namespace troupe
