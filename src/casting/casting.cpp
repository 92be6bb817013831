#include "casting/casting.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <tuple>

#include "attribution/script.h"
#include "casting/voice_measure.h"
#include "common/ascii.h"
#include "common/errors.h"

namespace troupe {
namespace {

constexpr int kPitchStep = 8;
constexpr int kRateStep = 10;
// Two voices this far apart in median F0 (the higher over the lower, 15% = 2.4 semitones) are
// told apart at once; closer, a listener follows the words to know who speaks.
constexpr double kDistinctRatio = 1.15;

// How clear and expressive a profile sounds: its F0 range in semitones, plus up to 5 for
// brightness (a voice with little energy above 1 kHz sounds muffled).
double expressiveness(const VoiceMeasure& measure) {
  return measure.f0_range + 20 * std::min(measure.brightness, 0.25);
}

// FNV-1a, then a splitmix64 finaliser so that similar names spread evenly.
std::uint64_t stable_hash(std::string_view text) {
  std::uint64_t hash = 14695981039346656037ull;
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  hash ^= hash >> 30;
  hash *= 0xbf58476d1ce4e5b9ull;
  hash ^= hash >> 27;
  hash *= 0x94d049bb133111ebull;
  return hash ^ (hash >> 31);
}

// How much a speaker "likes" a profile: the highest wins among equals (rendezvous hashing), so a
// speaker keeps their favourite whenever it is still free.
std::uint64_t affinity(const std::string& speaker, const std::string& profile) {
  return stable_hash(speaker + '\x1f' + profile);
}

bool names(const std::string& name, const std::vector<std::string>& aliases,
           const std::string& speaker) {
  return equals_icase(name, speaker) ||
         std::any_of(aliases.begin(), aliases.end(),
                     [&speaker](const std::string& alias) { return equals_icase(alias, speaker); });
}

const CharacterSpec* character_spec(const CastFile& cast_file, const std::string& speaker) {
  for (const CharacterSpec& spec : cast_file.characters) {
    if (names(spec.name, spec.aliases, speaker)) return &spec;
  }
  return nullptr;
}

bool is_reader(const CastFile& cast_file, const std::string& speaker) {
  const ReaderSpec& reader = cast_file.reader;
  return reader.present && names(reader.name, reader.aliases, speaker);
}

struct PinnedVoice {
  std::string profile;
  int line = 0;
};

std::optional<PinnedVoice> pinned_voice(const CastFile& cast_file, const std::string& speaker) {
  const CharacterSpec* spec = character_spec(cast_file, speaker);
  if (spec != nullptr && !spec->voice.empty()) return PinnedVoice{spec->voice, spec->line};
  if (is_reader(cast_file, speaker) && !cast_file.reader.voice.empty()) {
    return PinnedVoice{cast_file.reader.voice, cast_file.reader.line};
  }
  return std::nullopt;
}

// Speakers most heard first, ties by name, one entry per name, genders from the cast file.
std::vector<SpeakerInfo> casting_order(const std::vector<SpeakerInfo>& speakers,
                                       const CastFile& cast_file) {
  std::vector<SpeakerInfo> ordered = speakers;
  std::sort(ordered.begin(), ordered.end(), [](const SpeakerInfo& a, const SpeakerInfo& b) {
    return std::tie(b.lines, a.name) < std::tie(a.lines, b.name);
  });
  auto duplicate = [](const SpeakerInfo& a, const SpeakerInfo& b) { return a.name == b.name; };
  ordered.erase(std::unique(ordered.begin(), ordered.end(), duplicate), ordered.end());
  for (SpeakerInfo& speaker : ordered) {
    const CharacterSpec* spec = character_spec(cast_file, speaker.name);
    if (spec != nullptr && spec->gender) speaker.gender = *spec->gender;
    if (is_reader(cast_file, speaker.name) && cast_file.reader.gender) {
      speaker.gender = *cast_file.reader.gender;
    }
  }
  return ordered;
}

bool disjoint(const std::set<int>& a, const std::set<int>& b) {
  return std::none_of(a.begin(), a.end(), [&b](int chapter) { return b.count(chapter) > 0; });
}

// base + offset, or base - offset when that would leave [low, high].
int offset_within(int base, int offset, int low, int high) {
  const int value = base + offset;
  if (value >= low && value <= high) return value;
  return std::clamp(base - offset, low, high);
}

// The k-th extra holder of a profile (k >= 1): +1, -1, +2, -2, ... steps of pitch, rate opposite.
VoiceParams shared_params(VoiceParams params, int extra_holder) {
  const int step = (extra_holder + 1) / 2;
  const int sign = extra_holder % 2 == 1 ? 1 : -1;
  params.pitch = offset_within(params.pitch, sign * step * kPitchStep, 0, 100);
  params.rate = offset_within(params.rate, -sign * step * kRateStep, 80, 450);
  return params;
}

class Casting {
 public:
  Casting(const std::vector<VoiceProfile>& profiles, const CastFile& cast_file)
      : profiles_(profiles), cast_file_(cast_file), narrator_(&narrator_profile()) {}

  Cast run(const std::vector<SpeakerInfo>& speakers) {
    for (const SpeakerInfo& speaker : speakers) {
      if (auto pin = pinned_voice(cast_file_, speaker.name)) assign(speaker, find_pinned(*pin));
    }
    for (const SpeakerInfo& speaker : speakers) {
      if (pinned_voice(cast_file_, speaker.name)) continue;
      // The narrator of a third-person story saying "I said" speaks in the narration's voice.
      if (speaker.name == kNarratorLabel)
        assigned_[speaker.name] =
            VoiceAssignment{speaker.name, narrator_->name, narrator_->params, false};
      else
        assign_automatically(speaker);
    }
    return result(speakers);
  }

 private:
  const VoiceProfile& narrator_profile() const {
    if (profiles_.empty()) throw InputError("no voice profiles to cast from");
    if (!cast_file_.narrator.empty()) {
      if (const VoiceProfile* named = find(cast_file_.narrator)) return *named;
      throw input_error(cast_file_.path, cast_file_.narrator_line,
                        "unknown voice profile '" + cast_file_.narrator + "' for the narrator");
    }
    if (const VoiceProfile* named = find("narrator")) return *named;
    for (const VoiceProfile& profile : profiles_) {
      if (profile.gender == Gender::Unknown) return profile;
    }
    return profiles_.front();
  }

  const VoiceProfile* find(const std::string& name) const {
    for (const VoiceProfile& profile : profiles_) {
      if (profile.name == name) return &profile;
    }
    return nullptr;
  }

  const VoiceProfile& find_pinned(const PinnedVoice& pin) const {
    if (const VoiceProfile* profile = find(pin.profile)) return *profile;
    throw input_error(cast_file_.path, pin.line, "unknown voice profile '" + pin.profile + "'");
  }

  void assign(const SpeakerInfo& speaker, const VoiceProfile& profile) {
    holders_[profile.name].push_back(speaker);
    assigned_[speaker.name] = VoiceAssignment{speaker.name, profile.name, profile.params, false};
  }

  void assign_automatically(const SpeakerInfo& speaker) {
    const std::vector<Gender> genders = preferred_genders(speaker.gender);
    if (const VoiceProfile* apart = best_distinct_free(speaker, genders)) {
      return assign(speaker, *apart);
    }
    for (const Gender gender : genders) {
      if (const VoiceProfile* free = best_free(speaker, gender)) return assign(speaker, *free);
    }
    share(speaker, best_to_share(speaker, genders));
  }

  // The measured F0 of a speaker already cast, 0 when their profile has no measure.
  double f0_of(const std::string& speaker) const {
    const VoiceProfile* profile = find(assigned_.at(speaker).profile);
    return profile != nullptr && profile->measure ? profile->measure->median_f0 : 0;
  }

  // The smallest F0 ratio between the profile and the narrator or anyone cast who speaks in a
  // chapter with the speaker (chapters stand for scenes); 0 when a figure is missing.
  double closest_ratio(const SpeakerInfo& speaker, const VoiceProfile& profile) const {
    if (!profile.measure || !narrator_->measure) return 0;
    const double f0 = profile.measure->median_f0;
    double closest = pitch_ratio(f0, narrator_->measure->median_f0);
    for (const auto& [name, holders] : holders_) {
      for (const SpeakerInfo& holder : holders) {
        if (disjoint(holder.chapters, speaker.chapters)) continue;
        const double other = f0_of(holder.name);
        closest = std::min(closest, other > 0 ? pitch_ratio(f0, other) : 0.0);
      }
    }
    return closest;
  }

  // A free profile at least kDistinctRatio from the narrator and from everyone the speaker
  // meets: the most expressive for a speaker of known gender; for one of unknown gender, the
  // farthest from the others (distinctness, whatever the profile's gender).
  const VoiceProfile* best_distinct_free(const SpeakerInfo& speaker,
                                         const std::vector<Gender>& genders) const {
    const bool by_distance = speaker.gender == Gender::Unknown;
    const VoiceProfile* best = nullptr;
    double best_score = 0;
    for (const VoiceProfile& profile : profiles_) {
      if (!usable(profile, genders) || holders_.count(profile.name) > 0) continue;
      const double ratio = closest_ratio(speaker, profile);
      if (ratio < kDistinctRatio) continue;
      const double score = by_distance ? ratio : expressiveness(*profile.measure);
      if (best == nullptr || score > best_score ||
          (score == best_score && prefers(speaker.name, profile, *best))) {
        best = &profile;
        best_score = score;
      }
    }
    return best;
  }

  bool has_profiles_of(Gender gender) const {
    return std::any_of(profiles_.begin(), profiles_.end(), [&](const VoiceProfile& profile) {
      return profile.gender == gender && &profile != narrator_;
    });
  }

  // The profile genders a speaker may take, best first. Gender-x profiles suit anyone. Speakers
  // of unknown gender alternate which gender is tried first where nothing is measured.
  std::vector<Gender> preferred_genders(Gender gender) {
    if (gender != Gender::Unknown && has_profiles_of(gender)) return {gender, Gender::Unknown};
    const bool female_first = unknown_speakers_++ % 2 == 0;
    if (female_first) return {Gender::Female, Gender::Male, Gender::Unknown};
    return {Gender::Male, Gender::Female, Gender::Unknown};
  }

  bool usable(const VoiceProfile& profile, const std::vector<Gender>& genders) const {
    return &profile != narrator_ &&
           std::find(genders.begin(), genders.end(), profile.gender) != genders.end();
  }

  // A free profile of the gender when none is distinct enough: the farthest from the others
  // where measured, else the speaker's favourite.
  const VoiceProfile* best_free(const SpeakerInfo& speaker, Gender gender) const {
    const VoiceProfile* best = nullptr;
    double best_ratio = 0;
    for (const VoiceProfile& profile : profiles_) {
      if (!usable(profile, {gender}) || holders_.count(profile.name) > 0) continue;
      const double ratio = closest_ratio(speaker, profile);
      if (best == nullptr || ratio > best_ratio ||
          (ratio == best_ratio && prefers(speaker.name, profile, *best))) {
        best = &profile;
        best_ratio = ratio;
      }
    }
    return best;
  }

  static bool prefers(const std::string& speaker, const VoiceProfile& a, const VoiceProfile& b) {
    return std::tuple(affinity(speaker, a.name), b.name) >
           std::tuple(affinity(speaker, b.name), a.name);
  }

  // Lower is better: holders who share a chapter with the speaker, then the number of holders.
  std::tuple<bool, size_t> sharing_cost(const SpeakerInfo& speaker,
                                        const VoiceProfile& profile) const {
    const auto it = holders_.find(profile.name);
    if (it == holders_.end()) return {false, 0};
    const bool meets = std::any_of(it->second.begin(), it->second.end(), [&](const SpeakerInfo& h) {
      return !disjoint(h.chapters, speaker.chapters);
    });
    return {meets, it->second.size()};
  }

  const VoiceProfile& best_to_share(const SpeakerInfo& speaker, std::vector<Gender> genders) const {
    if (std::none_of(profiles_.begin(), profiles_.end(),
                     [&](const VoiceProfile& p) { return usable(p, genders); })) {
      genders = {Gender::Female, Gender::Male, Gender::Unknown};
    }
    const VoiceProfile* best = nullptr;
    for (const VoiceProfile& profile : profiles_) {
      if (!usable(profile, genders)) continue;
      if (best == nullptr || better_to_share(speaker, profile, *best)) best = &profile;
    }
    return best != nullptr ? *best : *narrator_;
  }

  bool better_to_share(const SpeakerInfo& speaker, const VoiceProfile& a,
                       const VoiceProfile& b) const {
    const auto cost_a = sharing_cost(speaker, a);
    const auto cost_b = sharing_cost(speaker, b);
    if (cost_a != cost_b) return cost_a < cost_b;
    return prefers(speaker.name, a, b);
  }

  void share(const SpeakerInfo& speaker, const VoiceProfile& profile) {
    std::vector<SpeakerInfo>& holders = holders_[profile.name];
    const int extra_holder = static_cast<int>(holders.size());
    holders.push_back(speaker);
    assigned_[speaker.name] = VoiceAssignment{speaker.name, profile.name,
                                              shared_params(profile.params, extra_holder), true};
    for (const SpeakerInfo& holder : holders) assigned_[holder.name].shared = true;
  }

  Cast result(const std::vector<SpeakerInfo>& speakers) const {
    Cast cast;
    cast.narrator = VoiceAssignment{"", narrator_->name, narrator_->params, false};
    for (const SpeakerInfo& speaker : speakers) cast.voices.push_back(assigned_.at(speaker.name));
    return cast;
  }

  const std::vector<VoiceProfile>& profiles_;
  const CastFile& cast_file_;
  const VoiceProfile* narrator_;
  std::map<std::string, std::vector<SpeakerInfo>> holders_;  // profile name -> its speakers
  std::map<std::string, VoiceAssignment> assigned_;          // speaker name -> voice
  int unknown_speakers_ = 0;
};

}  // namespace

const VoiceAssignment& Cast::voice_for(const std::string& speaker) const {
  for (const VoiceAssignment& voice : voices) {
    if (voice.speaker == speaker) return voice;
  }
  throw std::out_of_range("no voice cast for speaker '" + speaker + "'");
}

Cast assign_voices(const std::vector<SpeakerInfo>& speakers,
                   const std::vector<VoiceProfile>& profiles, const CastFile& cast_file) {
  return Casting(profiles, cast_file).run(casting_order(speakers, cast_file));
}

}  // namespace troupe
