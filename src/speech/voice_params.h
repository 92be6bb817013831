// What the eSpeak NG engine needs to speak with one voice.
#pragma once

#include <string>

namespace troupe {

struct VoiceParams {
  std::string espeak_voice = "en-us";  // eSpeak NG voice (language), e.g. "en-us", "en-gb"
  std::string variant;                 // eSpeak NG variant from voices/!v, e.g. "f3"; may be empty
  int rate = 170;                      // words per minute (80-450)
  int pitch = 50;                      // 0-100
  int range = 50;                      // 0-100
  int volume = 100;                    // 0-200
};

}  // namespace troupe
