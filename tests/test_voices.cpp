// The voice measure (YIN pitch, brightness), the shipped profiles' measures and casting by them.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <numbers>
#include <vector>

#include "audio/heard.h"
#include "audio/pitch.h"
#include "casting/voice_measure.h"
#include "casting/voice_profile.h"
#include "run_troupe.h"
#include "scratch_dir.h"
#include "speech/engine.h"

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

TEST_CASE("voices: a profile's measure repeats exactly and matches its cached figures") {
  const auto profiles = load_voice_profiles(std::string(kSourceDir) + "/voices");
  REQUIRE(!profiles.empty());
  const VoiceProfile& first = profiles.front();
  const VoiceMeasure measured = measure_profile(first);
  CHECK(measured.key == measure_key(first, Engine::instance().version()));
  REQUIRE(first.measure.has_value());
  CHECK(measured.median_f0 == first.measure->median_f0);
  CHECK(measured.f0_range == first.measure->f0_range);
  CHECK(measured.brightness == first.measure->brightness);
}

}  // namespace
}  // namespace troupe
