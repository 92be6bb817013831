// Casting: a distinct voice profile for every speaker, chosen the same way on every run.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "casting/cast_file.h"
#include "casting/voice_profile.h"
#include "common/gender.h"
#include "speech/voice_params.h"

namespace troupe {

struct SpeakerInfo {
  std::string name;
  Gender gender = Gender::Unknown;
  int lines = 0;
  std::set<int> chapters;  // chapters where they speak
};

struct VoiceAssignment {
  std::string speaker;  // empty for the narrator
  std::string profile;
  VoiceParams params;   // the profile's, with pitch and rate offsets when shared
  bool shared = false;  // the profile also speaks for someone else
};

struct Cast {
  VoiceAssignment narrator;
  std::vector<VoiceAssignment> voices;  // most-heard speaker first

  // The voice of a speaker; throws std::out_of_range for a speaker not in the cast.
  const VoiceAssignment& voice_for(const std::string& speaker) const;
};

// Deterministic: the same speakers and profiles give the same cast, whatever their order.
//  - the narrator gets cast_file.narrator if given, else the profile "narrator", else the first
//    gender-x profile;
//  - a speaker pinned in the cast file (a character's or the reader's voice) gets that profile;
//  - the others, most lines first (ties by name), get an unused profile whose measured median F0
//    is at least 15% from the narrator's and from every voice cast for someone who speaks in a
//    chapter with them (chapters stand in for scenes): among those of their gender (or x), the
//    most expressive (F0 range and brightness); a speaker of unknown gender gets the one farthest
//    from the others, of any gender;
//  - where no profile is that far (or profiles are not measured), an unused profile of their
//    gender (x or unknown: any, alternating between female and male), the farthest in F0,
//    never the narrator's while others remain;
//  - when a gender's profiles run out, the least-heard share: first a profile whose holders never
//    speak in the same chapter, then the one with fewest holders; a shared voice gets pitch and
//    rate offsets so the holders still sound different.
// Ties are broken by a stable hash of speaker and profile name, so a character's voice depends
// little on who else is in the story. Unknown profiles named in cast_file throw InputError.
Cast assign_voices(const std::vector<SpeakerInfo>& speakers,
                   const std::vector<VoiceProfile>& profiles, const CastFile& cast_file);

}  // namespace troupe
