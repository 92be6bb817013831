// The voice measure (YIN pitch, brightness), the shipped profiles' measures and casting by them.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <numbers>
#include <set>
#include <vector>

#include "audio/heard.h"
#include "audio/pitch.h"
#include "casting/casting.h"
#include "casting/voice_measure.h"
#include "casting/voice_profile.h"
#include "run_troupe.h"
#include "scratch_dir.h"
#include "speech/engine.h"
#include "text/reader.h"

namespace troupe {
namespace {

#ifdef TROUPE_SOURCE_DIR
const char* const kSourceDir = TROUPE_SOURCE_DIR;
#else
const char* const kSourceDir = "/work/main";
#endif

constexpr int kRate = 22050;

// A tone of f0 with the given harmonic amplitudes (1st = the fundamental), 0.5 s.
std::vector<float> harmonic_tone(double f0, const std::vector<double>& amplitudes) {
  std::vector<float> samples(kRate / 2);
  for (std::size_t i = 0; i < samples.size(); ++i) {
    double value = 0;
    for (std::size_t h = 0; h < amplitudes.size(); ++h) {
      value += amplitudes[h] * std::sin(2 * std::numbers::pi * f0 * (h + 1) * i / kRate);
    }
    samples[i] = static_cast<float>(0.3 * value);
  }
  return samples;
}

double median_pitch(const std::vector<float>& samples) {
  const std::vector<double> f0s = track_pitch(samples, kRate);
  REQUIRE(!f0s.empty());
  return quantile(f0s, 0.5);
}

TEST_CASE("pitch: YIN finds the F0 of pure sines across the speaking range") {
  for (const double f0 : {70.0, 98.0, 123.5, 180.0, 220.0, 310.0, 440.0}) {
    CAPTURE(f0);
    CHECK(median_pitch(harmonic_tone(f0, {1.0})) == doctest::Approx(f0).epsilon(0.01));
  }
}

TEST_CASE("pitch: YIN finds the fundamental of harmonic tones, even a weak or missing one") {
  CHECK(median_pitch(harmonic_tone(110, {1.0, 0.8, 0.6, 0.4})) ==
        doctest::Approx(110).epsilon(0.01));
  CHECK(median_pitch(harmonic_tone(200, {0.2, 1.0, 0.7})) == doctest::Approx(200).epsilon(0.01));
  // No energy at the fundamental itself: the ear still hears 150 Hz, and so does YIN.
  CHECK(median_pitch(harmonic_tone(150, {0.0, 1.0, 1.0, 1.0})) ==
        doctest::Approx(150).epsilon(0.01));
}

TEST_CASE("pitch: silence and noise have no pitch") {
  CHECK(track_pitch(std::vector<float>(kRate, 0.0f), kRate).empty());
  std::vector<float> noise(kRate);
  unsigned state = 12345;
  for (float& x : noise) {
    state = state * 1103515245u + 12345u;
    x = static_cast<float>((state >> 8) % 2001) / 1000.0f - 1.0f;
  }
  CHECK(track_pitch(noise, kRate).size() < noise.size() / 220 / 10);
}

TEST_CASE("pitch: quantiles interpolate between order statistics") {
  CHECK(quantile({}, 0.5) == 0);
  CHECK(quantile({3, 1, 2}, 0.5) == 2);
  CHECK(quantile({1, 2, 3, 4}, 0.5) == doctest::Approx(2.5));
  CHECK(quantile({1, 2, 3, 4}, 0.0) == 1);
  CHECK(quantile({1, 2, 3, 4}, 1.0) == 4);
}

TEST_CASE("pitch: brightness is the share of energy above 1 kHz") {
  CHECK(energy_share_above(harmonic_tone(200, {1.0}), kRate) < 0.01);
  CHECK(energy_share_above(harmonic_tone(3000, {1.0}), kRate) > 0.97);
  // Equal power at 200 Hz and 3 kHz: half above.
  std::vector<float> mix = harmonic_tone(200, {1.0});
  const std::vector<float> high = harmonic_tone(3000, {1.0});
  for (std::size_t i = 0; i < mix.size(); ++i) mix[i] += high[i];
  CHECK(energy_share_above(mix, kRate) == doctest::Approx(0.5).epsilon(0.05));
}

TEST_CASE("voices: every shipped profile has a current measure in voices/measures.toml") {
  const auto profiles = load_voice_profiles(std::string(kSourceDir) + "/voices");
  for (const VoiceProfile& profile : profiles) {
    CAPTURE(profile.name);
    REQUIRE_MESSAGE(profile.measure.has_value(),
                    "stale or missing: run `troupe voices --measure` after editing a profile");
    CHECK(profile.measure->median_f0 > 60);
    CHECK(profile.measure->median_f0 < 400);
  }
}

// eSpeak NG keeps a little state from the voice spoken before, so a measure repeats to within
// a fraction of a hertz, not to the bit.
TEST_CASE("voices: a profile's measure repeats and matches its cached figures") {
  const auto profiles = load_voice_profiles(std::string(kSourceDir) + "/voices");
  REQUIRE(!profiles.empty());
  const VoiceProfile& first = profiles.front();
  const VoiceMeasure measured = measure_profile(first);
  CHECK(measured.key == measure_key(first, Engine::instance().version()));
  REQUIRE(first.measure.has_value());
  CHECK(measured.median_f0 == doctest::Approx(first.measure->median_f0).epsilon(0.01));
  CHECK(measured.f0_range == doctest::Approx(first.measure->f0_range).epsilon(0.1));
  CHECK(measured.brightness == doctest::Approx(first.measure->brightness).epsilon(0.05));
}

VoiceProfile measured(const std::string& name, Gender gender, double f0, double range = 4,
                      double brightness = 0.25) {
  VoiceProfile profile;
  profile.name = name;
  profile.gender = gender;
  profile.measure = VoiceMeasure{"k", f0, range, brightness};
  return profile;
}

SpeakerInfo speaker(const std::string& name, Gender gender, int lines, std::set<int> chapters) {
  return SpeakerInfo{name, gender, lines, std::move(chapters)};
}

// A narrator at 100 Hz; men at 80, 95 (too near it), 120 and 140; women at 190, 200, 240, 280.
std::vector<VoiceProfile> ladder() {
  return {measured("narrator", Gender::Unknown, 100),    measured("m80", Gender::Male, 80),
          measured("m95", Gender::Male, 95, 9),          measured("m120", Gender::Male, 120),
          measured("m140", Gender::Male, 140, 6),        measured("f190", Gender::Female, 190, 5),
          measured("f200", Gender::Female, 200, 7),      measured("f240", Gender::Female, 240),
          measured("f280", Gender::Female, 280, 2, 0.05)};
}

double f0_cast(const std::vector<VoiceProfile>& profiles, const std::string& name) {
  for (const VoiceProfile& profile : profiles) {
    if (profile.name == name) return profile.measure->median_f0;
  }
  FAIL("no profile ", name);
  return 0;
}

TEST_CASE("voices: casting keeps everyone in a chapter 15% apart and 15% from the narrator") {
  const std::vector<VoiceProfile> profiles = ladder();
  const std::vector<SpeakerInfo> speakers = {
      speaker("Ann", Gender::Female, 50, {1}), speaker("Bea", Gender::Female, 40, {1}),
      speaker("Carl", Gender::Male, 30, {1}), speaker("Dan", Gender::Male, 20, {1})};
  const Cast cast = assign_voices(speakers, profiles, CastFile{});
  std::vector<double> f0s = {f0_cast(profiles, cast.narrator.profile)};
  for (const VoiceAssignment& voice : cast.voices) f0s.push_back(f0_cast(profiles, voice.profile));
  for (std::size_t a = 0; a < f0s.size(); ++a) {
    for (std::size_t b = a + 1; b < f0s.size(); ++b) CHECK(pitch_ratio(f0s[a], f0s[b]) >= 1.15);
  }
  // The most heard woman gets the most expressive of the voices that fit; m95 sits at the
  // narrator's pitch and is never taken while another man's voice fits.
  CHECK(cast.voice_for("Ann").profile == "f200");
  CHECK(cast.voice_for("Carl").profile == "m140");
  CHECK(cast.voice_for("Dan").profile != "m95");
}

TEST_CASE("voices: speakers in different chapters may sit close in pitch") {
  const std::vector<VoiceProfile> profiles = ladder();
  const Cast cast = assign_voices(
      {speaker("Ann", Gender::Female, 50, {1}), speaker("Bea", Gender::Female, 40, {2})}, profiles,
      CastFile{});
  CHECK(cast.voice_for("Ann").profile == "f200");
  CHECK(cast.voice_for("Bea").profile == "f190");  // the next most expressive
}

TEST_CASE("voices: a speaker of unknown gender gets the voice farthest from the others") {
  const std::vector<VoiceProfile> profiles = ladder();
  const Cast cast = assign_voices(
      {speaker("Ann", Gender::Female, 50, {1}), speaker("Carl", Gender::Male, 40, {1}),
       speaker("Crowd", Gender::Unknown, 5, {1})},
      profiles, CastFile{});
  // Ann f200, Carl m140, narrator 100: the farthest free voice is m80 or f280 (1.25 and 1.4).
  CHECK(cast.voice_for("Crowd").profile == "f280");
  const Cast alone =
      assign_voices({speaker("Voice", Gender::Unknown, 5, {1})}, profiles, CastFile{});
  CHECK(alone.voice_for("Voice").profile == "f280");  // farthest from the narrator's 100 Hz
}

TEST_CASE("voices: a cast file's voice still wins over the measure") {
  const std::vector<VoiceProfile> profiles = ladder();
  CastFile cast_file;
  cast_file.characters.push_back(CharacterSpec{});
  cast_file.characters.back().name = "Carl";
  cast_file.characters.back().voice = "m95";
  const Cast cast = assign_voices({speaker("Carl", Gender::Male, 40, {1})}, profiles, cast_file);
  CHECK(cast.voice_for("Carl").profile == "m95");
}

std::vector<ParagraphKind> kinds_of(const std::string& text) {
  const Story story = story_from_text(text, "story.txt", ReadOptions{});
  std::vector<ParagraphKind> kinds;
  for (const Chapter& chapter : story.chapters) {
    for (const Paragraph& paragraph : chapter.paragraphs) kinds.push_back(paragraph.kind);
  }
  return kinds;
}

TEST_CASE("pauses: a blank line in one-paragraph-per-line text is a scene break") {
  using K = ParagraphKind;
  const std::string text =
      "She opened the door and looked out at the rain for a long while.\n"
      "Nobody was on the road, and the lamps were already lit.\n"
      "She closed the door again.\n"
      "\n"
      "The next morning the rain had stopped and the road was busy.\n"
      "A cart went by, then another, loaded with hay for the town.\n";
  CHECK(kinds_of(text) ==
        std::vector<K>{K::Text, K::Text, K::Text, K::SceneBreak, K::Text, K::Text});
  // Several blank lines are one break; an ornament is one break, not two.
  CHECK(kinds_of("One line of text here.\nAnother line.\n\n\n\nA third line.\nA fourth.\n") ==
        std::vector<K>{K::Text, K::Text, K::SceneBreak, K::Text, K::Text});
  CHECK(kinds_of("One line of text here.\nAnother line.\n\n* * *\n\nA third line.\nA fourth.\n") ==
        std::vector<K>{K::Text, K::Text, K::SceneBreak, K::Text, K::Text});
}

TEST_CASE("pauses: blank lines between every paragraph are paragraph breaks") {
  using K = ParagraphKind;
  const std::string text =
      "She opened the door and looked out at the rain.\n\nNobody was on the road.\n\n"
      "She closed the door again.\n\nThe next morning the rain had stopped.\n";
  CHECK(kinds_of(text) == std::vector<K>{K::Text, K::Text, K::Text, K::Text});
}

// One scene: two women, two men and the narrator, each character with several lines.
constexpr const char* kOneScene =
    "The kitchen was warm when they all came in from the rain.\n"
    "\"Put the kettle on,\" Margaret said, shaking out her coat.\n"
    "\"It is already on,\" Thomas said. \"I put it on before you came.\"\n"
    "\"Then where are the cups?\" Eleanor asked, looking along the shelf.\n"
    "\"In the cupboard by the door, where they always are,\" Robert said.\n"
    "Margaret laughed and sat down at the table.\n"
    "\"You never know where anything is, Eleanor,\" Margaret said.\n"
    "\"I know where the biscuits are,\" Eleanor said. \"That is what matters tonight.\"\n"
    "\"Nobody touches the biscuits until the tea is poured,\" Thomas said.\n"
    "\"Then pour it quickly, because I am starving,\" Robert said.\n";

constexpr const char* kOneSceneCast =
    "[characters.\"Margaret\"]\ngender = \"f\"\n"
    "[characters.\"Eleanor\"]\ngender = \"f\"\n"
    "[characters.\"Thomas\"]\ngender = \"m\"\n"
    "[characters.\"Robert\"]\ngender = \"m\"\n";

TEST_CASE("voices: in one scene every voice heard is 15% from the narrator and from each other") {
  troupe_test::ScratchDir scratch;
  const std::string story = scratch.write("kitchen.txt", kOneScene);
  scratch.write("kitchen.cast.toml", kOneSceneCast);
  const std::filesystem::path out = scratch.path() / "out";
  const troupe_test::Run run =
      troupe_test::troupe(scratch, {"render", story, "-o", out.string(), "-q"});
  INFO(run.err);
  REQUIRE(run.code == 0);
  std::vector<std::filesystem::path> books;
  for (const auto& entry : std::filesystem::directory_iterator(out)) books.push_back(entry.path());
  REQUIRE(books.size() == 1);
  std::map<std::string, double> f0_of;
  for (const HeardSpeaker& heard : heard_speakers(books.front().string())) {
    MESSAGE(heard.speaker, " (", heard.voice, "): ", heard.lines, " lines, ", heard.median_f0,
            " Hz");
    f0_of[heard.speaker] = heard.median_f0;
  }
  REQUIRE(f0_of.size() == 5);
  REQUIRE(f0_of.count("narrator") == 1);
  for (const auto& [a, a_f0] : f0_of) {
    for (const auto& [b, b_f0] : f0_of) {
      if (a >= b) continue;
      CAPTURE(a);
      CAPTURE(b);
      CHECK(pitch_ratio(a_f0, b_f0) >= 1.15);
    }
  }
}

}  // namespace
}  // namespace troupe
