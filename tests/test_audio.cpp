#include <doctest/doctest.h>
#include <ebur128.h>
#include <sndfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "audio/atomic_file.h"
#include "audio/loudness.h"
#include "audio/manifest.h"
#include "audio/subtitles.h"
#include "audio/wav_writer.h"
#include "common/errors.h"
#include "skip.h"

namespace troupe {
namespace {

namespace fs = std::filesystem;

// A fresh folder under the system's temp folder, removed afterwards.
class ScratchDir {
 public:
  ScratchDir() {
    static int counter = 0;
    path_ = fs::temp_directory_path() /
            ("troupe-test-audio-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

struct ReadBack {
  SF_INFO info{};
  std::vector<int16_t> samples;
};

ReadBack read_audio(const std::string& path) {
  ReadBack result;
  SNDFILE* file = sf_open(path.c_str(), SFM_READ, &result.info);
  REQUIRE(file != nullptr);
  result.samples.resize(static_cast<std::size_t>(result.info.frames));
  CHECK(sf_read_short(file, result.samples.data(), result.info.frames) == result.info.frames);
  sf_close(file);
  return result;
}

std::vector<int16_t> ramp(std::size_t count) {
  std::vector<int16_t> samples(count);
  for (std::size_t i = 0; i < count; ++i)
    samples[i] = static_cast<int16_t>((i % 200) * 100 - 10000);
  return samples;
}

// Speech-like test signal: bursts of a few harmonics with a vibrato, and pauses.
std::vector<int16_t> bursts(double seconds, double amplitude, int rate = 22050) {
  std::vector<int16_t> samples(static_cast<std::size_t>(seconds * rate));
  for (std::size_t i = 0; i < samples.size(); ++i) {
    const double t = static_cast<double>(i) / rate;
    const double envelope = std::fmod(t, 1.3) < 0.9 ? 1.0 : 0.0;
    const double f = 140 + 20 * std::sin(2 * M_PI * 3 * t);
    double x = 0;
    for (int h = 1; h <= 6; ++h) x += std::sin(2 * M_PI * f * h * t + h) / h;
    samples[i] = static_cast<int16_t>(std::lrint(amplitude * envelope * x / 2.5 * 32767));
  }
  return samples;
}

struct Reference {
  double integrated, true_peak;
};

// Measured as in a chapter, with half a second of silence before and after.
Reference libebur128(const std::vector<int16_t>& samples, int rate = 22050) {
  ebur128_state* state =
      ebur128_init(1, static_cast<unsigned long>(rate), EBUR128_MODE_I | EBUR128_MODE_TRUE_PEAK);
  REQUIRE(state != nullptr);
  const std::vector<int16_t> pause(static_cast<std::size_t>(rate / 2), 0);
  ebur128_add_frames_short(state, pause.data(), pause.size());
  ebur128_add_frames_short(state, samples.data(), samples.size());
  ebur128_add_frames_short(state, pause.data(), pause.size());
  Reference r{};
  double peak = 0;
  ebur128_loudness_global(state, &r.integrated);
  ebur128_true_peak(state, 0, &peak);
  r.true_peak = 20 * std::log10(peak);
  ebur128_destroy(&state);
  return r;
}

}  // namespace

TEST_CASE("loudness: gated loudness agrees with libebur128") {
  for (double amplitude : {0.05, 0.3, 0.9}) {
    CAPTURE(amplitude);
    const auto signal = bursts(6.0, amplitude);
    const double ours = gated_loudness(loudness_blocks(signal.data(), signal.size(), 22050));
    CHECK(std::abs(ours - libebur128(signal).integrated) < 0.1);
  }
  const std::vector<int16_t> silence(22050, 0);
  CHECK(gated_loudness(loudness_blocks(silence.data(), silence.size(), 22050)) <= -70);
}

TEST_CASE("loudness: true peak finds the peaks between samples") {
  // A sine at a quarter of the sample rate, sampled 45 degrees off its peaks: every sample is
  // at 0.707 of the peak, which lies between them.
  std::vector<int16_t> signal(4000);
  for (std::size_t i = 0; i < signal.size(); ++i)
    signal[i] = static_cast<int16_t>(std::lrint(20000 * std::sin(M_PI / 2 * i + M_PI / 4)));
  const double ours = to_db(true_peak(signal.data(), signal.size()));
  const double sample_peak = to_db(20000 * std::sqrt(0.5) / 32768);
  CHECK(ours > sample_peak + 2.5);
  CHECK(std::abs(ours - libebur128(signal).true_peak) < 0.3);
  const auto speech = bursts(3.0, 0.8);
  const double mine = to_db(true_peak(speech.data(), speech.size()));
  const double reference = libebur128(speech).true_peak;
  int speech_peak = 0;
  for (int16_t s : speech) speech_peak = std::max(speech_peak, std::abs(int{s}));
  CAPTURE(mine);
  CAPTURE(reference);
  // Never below libebur128's figure (nor the sample peak): a limit kept by ours is kept by it.
  CHECK(mine >= reference - 0.05);
  CHECK(mine >= to_db(speech_peak / 32768.0) - 1e-6);
  CHECK(mine <= reference + 1.0);
}

TEST_CASE("loudness: true peak is the same wherever the samples lie") {
  // Made-up noise with quiet ends, also holding -32768 (whose |x| takes 17 bits): silence added
  // before or after it moves its samples across true_peak's blocks of 64 and the steps of its
  // vector tests, and changes no figure.
  std::uint32_t state = 12345;
  auto noise = [&] {
    state = state * 1664525u + 1013904223u;
    return static_cast<int>(state >> 16) - 32768;
  };
  for (const bool full_scale : {false, true}) {
    std::vector<int16_t> signal(1000, 0);
    for (std::size_t i = 10; i + 10 < signal.size(); ++i)
      signal[i] =
          static_cast<int16_t>(std::clamp(noise() / (1 + static_cast<int>(i % 3)), -32767, 32767));
    signal[500] = 32767;
    signal[501] = full_scale ? -32768 : -32767;
    const float expected = true_peak(signal.data(), signal.size());
    CAPTURE(full_scale);
    for (std::size_t before = 1; before < 70; before += 3) {
      std::vector<int16_t> moved(before, 0);
      moved.insert(moved.end(), signal.begin(), signal.end());
      moved.resize(moved.size() + before % 17, 0);
      CAPTURE(before);
      CHECK(true_peak(moved.data(), moved.size()) == expected);
    }
  }
}

// true_peak's rule written plainly: the sample peak, and the four interpolated points of the
// intervals on both sides of every local maximum of |x| at or above half of it.
float plain_true_peak(const std::vector<int16_t>& x, std::size_t count) {
  int sample_peak = 0;
  for (std::size_t i = 0; i < count; ++i) sample_peak = std::max(sample_peak, std::abs(int{x[i]}));
  if (sample_peak == 0) return 0.0f;
  auto at = [&](long i) { return i >= 0 && i < static_cast<long>(count) ? float(x[i]) : 0.0f; };
  auto interval = [&](long n) {  // between samples n and n + 1
    float peak = 0;
    for (int p = 0; p < 4; ++p) {
      float y = 0;
      for (int k = 0; k < 12; ++k) y += kTruePeakPhases[p][k] * at(n - 5 + k);
      peak = std::max(peak, std::abs(y));
    }
    return peak;
  };
  float peak = static_cast<float>(sample_peak);
  for (long i = 0; i < static_cast<long>(count); ++i) {
    const int a = std::abs(int{x[i]});
    if (a < sample_peak / 2 || std::abs(at(i - 1)) > a || std::abs(at(i + 1)) > a) continue;
    if (i > 0) peak = std::max(peak, interval(i - 1));
    peak = std::max(peak, interval(i));
  }
  return peak / 32768.0f;
}

TEST_CASE("loudness: true peak follows its rule at every length, -32768 included") {
  // A made-up tone clipped at full scale (-32768 among its samples), and made-up noise; every
  // length from 0 to 200 and a few longer, so the ends fall everywhere in the blocks of 64 and
  // the vector steps of 16.
  std::vector<int16_t> tone(1100), noise(1100);
  std::uint32_t state = 777;
  for (std::size_t i = 0; i < tone.size(); ++i) {
    tone[i] =
        static_cast<int16_t>(std::clamp(std::lrint(45000 * std::sin(0.05 * i)), -32768L, 32767L));
    state = state * 1664525u + 1013904223u;
    noise[i] = static_cast<int16_t>(static_cast<int>(state >> 16) - 32768);
  }
  for (const auto* signal : {&tone, &noise}) {
    std::vector<std::size_t> lengths;
    for (std::size_t n = 0; n <= 200; ++n) lengths.push_back(n);
    for (std::size_t n : {1000, 1001, 1007, 1011, 1024, 1039, 1100}) lengths.push_back(n);
    std::size_t wrong = 0;
    for (std::size_t n : lengths)
      if (true_peak(signal->data(), n) != plain_true_peak(*signal, n)) ++wrong;
    CHECK(wrong == 0);
  }
  CHECK(true_peak(tone.data(), tone.size()) > 1.1f);  // between clipped samples
}

TEST_CASE("loudness: the limiter keeps an utterance's peaks within its headroom") {
  auto signal = bursts(4.0, 0.95);
  // Spikes far above the rest, as eSpeak NG's plosives can be.
  for (std::size_t i = 5000; i < signal.size(); i += 7919) signal[i] = 32000;
  const double before = gated_loudness(loudness_blocks(signal.data(), signal.size(), 22050));
  const UtteranceLevels levels = level_utterance(signal, 22050, 10.0);
  const Reference after = libebur128(signal);
  CHECK(after.true_peak <= before + 10.0 + 0.1);
  CHECK(std::abs(to_db(levels.true_peak) - after.true_peak) < 0.2);
  // The limiter takes peaks off, not loudness; and the blocks say what is left.
  CHECK(after.integrated > before - 1.5);
  CHECK(std::abs(gated_loudness(levels.blocks) - after.integrated) < 0.2);
}

// FNV-1a over the bytes of a vector's values.
template <typename T>
std::uint64_t fnv1a(const std::vector<T>& values, std::uint64_t h = 14695981039346656037ull) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(values.data());
  for (std::size_t i = 0; i < values.size() * sizeof(T); ++i) h = (h ^ bytes[i]) * 1099511628211ull;
  return h;
}

// The hash of what level_utterance makes of signal: its samples, blocks and true peak.
std::uint64_t levelled_hash(std::vector<int16_t> signal, double headroom_db) {
  const UtteranceLevels levels = level_utterance(signal, 22050, headroom_db);
  std::uint64_t h = fnv1a(signal);
  h = fnv1a(levels.blocks, h);
  return fnv1a(std::vector<float>{levels.true_peak}, h);
}

TEST_CASE("loudness: the limiter's samples, blocks and true peak are pinned") {
  // Bursts with spikes of many heights at uneven distances: the gain dips and comes back to 1
  // between them, so the limiter's walks skip runs of 1 between dips that start on every sample
  // of a step, and its energy sums see sub-blocks touched at any offset.
  auto bursty = bursts(3.0, 0.9);
  std::uint32_t state = 99;
  for (std::size_t i = 700; i + 1 < bursty.size(); i += 900 + state % 700) {
    state = state * 1664525u + 1013904223u;
    bursty[i] = static_cast<int16_t>((state >> 20) % 2 ? 32767 : -32768);
    bursty[i + 1] = static_cast<int16_t>(static_cast<int>(state >> 17) % 30000);
  }
  // A steady tone with equal spikes, each a step (8 samples) further from the one before: the
  // run of 1s between two dips takes every length from none up, 1, 2, 3 points included.
  std::vector<int16_t> spiked;
  for (std::size_t distance = 60 * 8; distance <= 260 * 8; distance += 8) {
    const std::size_t from = spiked.size();
    for (std::size_t i = 0; i < distance; ++i)
      spiked.push_back(static_cast<int16_t>(std::lrint(3000 * std::sin(0.057 * (from + i)))));
    spiked.back() = 32767;
  }
  // Set from the output of cpu16's limiter (which gives a plain loop's figures): a change to
  // any sample, block or peak must be one meant.
  CHECK(levelled_hash(bursty, 12.0) == 18058936579811136507ull);
  CHECK(levelled_hash(spiked, 12.0) == 1962099222768099845ull);
}

TEST_CASE("loudness: level_utterance's true peak is that of the samples it returns") {
  // level_utterance finds each 64-sample block's peak again only over the samples the limiter
  // changed: a block left out (or one too few at either end) would give a stale true peak.
  // Signals of lengths around a block and with tails not a multiple of 8 or 64, spikes near
  // their start, their middle and their last samples.
  std::uint32_t state = 7;
  auto spike = [&](std::vector<int16_t>& x, std::size_t at) {
    state = state * 1664525u + 1013904223u;
    if (at < x.size()) x[at] = static_cast<int16_t>((state >> 20) % 2 ? 32767 : -32768);
  };
  for (const double amplitude : {0.3, 0.9}) {
    const std::vector<int16_t> speech = bursts(3.0, amplitude);
    for (const std::size_t length : {1u, 63u, 65u, 130u, 4099u, 22087u, 40001u, 66149u}) {
      std::vector<int16_t> signal(speech.begin(), speech.begin() + length);
      for (std::size_t at : {length / 7, length / 2, length - 1, length - 2, length - 70})
        spike(signal, at);
      for (const double headroom : {6.0, 10.0, 13.8}) {
        INFO("amplitude " << amplitude << ", " << length << " samples, headroom " << headroom);
        std::vector<int16_t> out = signal;
        const UtteranceLevels levels = level_utterance(out, 22050, headroom);
        CHECK(levels.true_peak == true_peak(out.data(), out.size()));
        // A stale block peak is higher than the samples' (the limiter only lowers them), so it
        // shows as a needless turn-down after the limiter: a spike over the threshold is
        // brought down to within a step's attack (about 1.1 dB) and the margin of it.
        const std::vector<float> blocks = loudness_blocks(signal.data(), length, 22050);
        const double loudness = gated_loudness(blocks);
        const float threshold = static_cast<float>(from_db(loudness + headroom));
        CHECK(levels.true_peak <= threshold);
        if (loudness > -70 && true_peak(signal.data(), length) > threshold)
          CHECK(levels.true_peak > threshold * static_cast<float>(from_db(-2.0)));
      }
    }
  }
}

TEST_CASE("loudness: the SSE K-weighting filter gives the AVX filter's bits") {
  // Where the CPU has no AVX both runs take the 4-lane filter and this compares it to itself.
  std::uint32_t state = 3;
  std::vector<int16_t> noisy = bursts(2.5, 0.7);
  for (auto& x : noisy) {
    state = state * 1664525u + 1013904223u;
    x = static_cast<int16_t>(x / 2 + static_cast<int>(state >> 20) % 4000 - 2000);
  }
  for (const auto& signal : {bursts(3.0, 0.9), noisy}) {
    for (const std::size_t length : {1u, 100u, 2205u, 4411u, 22050u, 55125u}) {
      INFO(length << " samples");
      std::vector<int16_t> avx(signal.begin(), signal.begin() + length), sse = avx;
      allow_avx_filter(false);
      const std::vector<float> sse_blocks = loudness_blocks(sse.data(), length, 22050);
      const UtteranceLevels sse_levels = level_utterance(sse, 22050, 10.0);
      allow_avx_filter(true);
      CHECK(loudness_blocks(avx.data(), length, 22050) == sse_blocks);
      const UtteranceLevels avx_levels = level_utterance(avx, 22050, 10.0);
      CHECK(avx_levels.blocks == sse_levels.blocks);
      CHECK(avx == sse);
    }
  }
}

TEST_CASE("loudness: a chapter of utterances is levelled to the target") {
  // Three utterances at very different levels, joined with pauses as a chapter is.
  std::vector<std::vector<int16_t>> utterances = {bursts(3.0, 0.1), bursts(2.0, 0.5),
                                                  bursts(4.0, 0.9)};
  LoudnessTarget target;
  std::vector<UtteranceLevels> levels;
  for (auto& u : utterances) levels.push_back(level_utterance(u, 22050, limiter_headroom(target)));
  const ChapterLevelling levelling = level_chapter(levels, target);
  std::vector<int16_t> chapter;
  for (std::size_t u = 0; u < utterances.size(); ++u) {
    chapter.insert(chapter.end(), 11025, 0);
    for (int16_t s : utterances[u])
      chapter.push_back(
          round_to_int16(s * static_cast<float>(levelling.gain) * levelling.factors[u]));
  }
  const Reference measured = libebur128(chapter);
  // Within 0.2 LU of the target and of what the manifest will say (the real error is below
  // 0.17 LU): a gain off by 5% (0.45 LU) must fail.
  CHECK(std::abs(measured.integrated - target.integrated) < 0.2);
  CHECK(measured.true_peak <= target.true_peak);
  CHECK(std::abs(levelling.integrated - measured.integrated) < 0.2);
}

TEST_CASE("round_to_int16 rounds to the nearest and clamps") {
  CHECK(round_to_int16(1.4f) == 1);
  CHECK(round_to_int16(1.6f) == 2);
  CHECK(round_to_int16(-1.6f) == -2);
  CHECK(round_to_int16(40000.0f) == 32767);
  CHECK(round_to_int16(-40000.0f) == -32768);
}

TEST_CASE("scale_samples gives round_to_int16 of every sample times the gain") {
  // Every 16-bit value, and a few more.
  std::vector<int16_t> all;
  for (int v = -32768; v <= 32767; ++v) all.push_back(static_cast<int16_t>(v));
  all.insert(all.end(), {-32768, 5, 32767, 7, -9, 11, -13, 15, -17, 19, 21});
  // A gain of 1, ties (0.5 and 1.5 land on halves), clamping, and gains that round off; counts
  // that leave 3 past the last sixteen (the plain loop) and 11 (SSE's eight, even with AVX2).
  for (const std::size_t count : {all.size() - 8, all.size()})
    for (float gain : {1.0f, 0.5f, 1.5f, 3.0f, -1.0f, 0.7071f, 1.2589f, 1e-3f}) {
      std::vector<int16_t> scaled(all.begin(), all.begin() + static_cast<long>(count));
      scale_samples(scaled.data(), scaled.size(), gain);
      std::size_t wrong = 0;
      for (std::size_t i = 0; i < count; ++i)
        if (scaled[i] != round_to_int16(all[i] * gain)) ++wrong;
      CAPTURE(count);
      CAPTURE(gain);
      CHECK(wrong == 0);
    }
}

TEST_CASE("subtitles: an utterance is cut into sentences timed from its words") {
  const std::string text = "It was late. The rain had stopped, and the street was quiet again.";
  // Word starts, in code points, half a second apart.
  std::vector<TimedWord> words;
  double t = 10.0;
  for (std::size_t i = 0; i < text.size(); ++i)
    if (text[i] != ' ' && (i == 0 || text[i - 1] == ' ')) {
      words.push_back({i, 1, t});
      t += 0.5;
    }
  const auto cues =
      utterance_cues({{"It was late.", 0}, {text.substr(13), 13}}, "Ann", words, 9.8, t);
  REQUIRE(cues.size() == 2);
  CHECK(cues[0].text == "It was late.");
  CHECK(cues[0].start == doctest::Approx(9.8));
  CHECK(cues[0].end == doctest::Approx(11.5));
  CHECK(cues[1].text == "The rain had stopped, and the street was quiet again.");
  CHECK(cues[1].end == doctest::Approx(t));
  CHECK(srt_text(cues).rfind("1\n00:00:09,800 --> 00:00:11,500\nAnn: It was late.\n\n2\n", 0) == 0);
  CHECK(webvtt_text({{1.0, 2.5, "A<b>", "x & y", {}}}) ==
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.500\n<v A&lt;b&gt;>x &amp; y\n\n");
  // Without word times an utterance is one cue.
  CHECK(utterance_cues({{"Hello.", 0}}, "narrator", {}, 0, 1).size() == 1);
}

TEST_CASE("a manifest written from its chapters' entries is the manifest's JSON") {
  Manifest manifest;
  manifest.story = "The \"Lake\"\n  \"chapters\": []";
  manifest.source = "lake.txt";
  manifest.cast.push_back({"narrator", "cedar", 'x', 0});
  ManifestChapter one;
  one.number = 1;
  one.title = "One";
  one.file = "01-one.wav";
  one.duration = 61.5004;
  one.loudness = ManifestLoudness{-18.02, -3.4, 2.5};
  one.utterances.push_back({0.0, 1.5, "narrator", "cedar", "It was\ndark.", 3, {}});
  one.utterances.push_back(
      {1.5, 2.25, "Ann", "cedar", "Yes.", 4, {{1.5, 2.25, "Yes.", {1.5, 1.75}, {0, 2}}}});
  ManifestChapter two = one;
  two.number = 2;
  two.utterances.clear();
  // Spliced from the entries, it is nlohmann's pretty form of the whole book, byte for byte.
  for (std::size_t count : {0, 1, 2}) {
    Manifest book = manifest;
    book.chapters.assign({one, two});
    book.chapters.resize(count);
    const std::string text = manifest_json(book);
    CHECK(nlohmann::ordered_json::parse(text).dump(2) + "\n" == text);
    std::vector<ManifestEntry> entries;
    for (const ManifestChapter& chapter : book.chapters) entries.push_back(manifest_entry(chapter));
    std::vector<const ManifestEntry*> pointers;
    for (const ManifestEntry& entry : entries) pointers.push_back(&entry);
    CHECK(manifest_json(manifest, pointers) == text);
    ScratchDir dir;
    write_file_atomically(dir.file("manifest.json"), text);
    const auto back = read_manifest_entries(dir.file("manifest.json"));
    REQUIRE(back != nullptr);
    CHECK(back->book.story == manifest.story);
    REQUIRE(back->chapters.size() == count);
    pointers.clear();
    for (const ManifestEntry& entry : back->chapters) pointers.push_back(&entry);
    CHECK(manifest_json(back->book, pointers) == text);
  }
  const ManifestEntry entry = manifest_entry(one);
  CHECK(entry.head.utterances.empty());
  CHECK(entry.head.duration == one.duration);
  CHECK_FALSE(entry.missing_cues);
  one.utterances[1].cues.clear();
  CHECK(manifest_entry(one).missing_cues);
  CHECK_FALSE(manifest_entry(two).missing_cues);
}

TEST_CASE("the manifest reads back and a playlist and FFMETADATA come from it") {
  Manifest manifest;
  manifest.story = "The Lake";
  manifest.author = "A = B";
  ManifestChapter one;
  one.number = 1;
  one.title = "Chapter One";
  one.file = "01-chapter-one.flac";
  one.duration = 61.5;
  one.srt = "01-chapter-one.srt";
  one.inputs = "abc";
  one.bytes = 1234;
  one.loudness = ManifestLoudness{-18.02, -3.4, 2.5};
  one.utterances.push_back({0.0, 1.5, "narrator", "cedar", "It was dark.", 3, {}});
  ManifestChapter two = one;
  two.number = 2;
  two.title = "Two; or, #2";
  two.file = "02-two.flac";
  two.duration = 10.25;
  two.loudness.reset();
  manifest.chapters = {one, two};
  ScratchDir dir;
  write_manifest(dir.file("manifest.json"), manifest);
  const auto back = read_manifest(dir.file("manifest.json"));
  REQUIRE(back.has_value());
  CHECK(manifest_json(*back) == manifest_json(manifest));
  CHECK(back->chapters[0].loudness->integrated == doctest::Approx(-18.02));
  CHECK_FALSE(back->chapters[1].loudness.has_value());
  CHECK(chapter_from_json(chapter_json(one)).bytes == 1234);
  CHECK_FALSE(read_manifest(dir.file("missing.json")).has_value());
  write_file_atomically(dir.file("bad.json"), "{\"chapters\": 3}");
  CHECK_FALSE(read_manifest(dir.file("bad.json")).has_value());
  CHECK(read_manifest_entries(dir.file("bad.json")) == nullptr);
  write_file_atomically(dir.file("bad.json"), "{\"chapters\": [3]}");
  CHECK(read_manifest_entries(dir.file("bad.json")) == nullptr);
  CHECK(read_manifest_entries(dir.file("missing.json")) == nullptr);

  CHECK(playlist_m3u8(manifest) ==
        "#EXTM3U\n#PLAYLIST:The Lake\n#EXTINF:62,Chapter One\n01-chapter-one.flac\n"
        "#EXTINF:11,Two; or, #2\n02-two.flac\n");
  const std::string meta = ffmetadata(manifest);
  CHECK(meta.rfind(";FFMETADATA1\ntitle=The Lake\n", 0) == 0);
  CHECK(meta.find("artist=A \\= B\n") != std::string::npos);
  CHECK(meta.find("START=0\nEND=61500\ntitle=Chapter One\n") != std::string::npos);
  CHECK(meta.find("START=61500\nEND=71750\ntitle=Two\\; or, \\#2\n") != std::string::npos);
}

TEST_CASE("write_file_if_changed leaves an unchanged file alone") {
  ScratchDir dir;
  const std::string path = dir.file("a.txt");
  CHECK(write_file_if_changed(path, "one"));
  const auto time = fs::last_write_time(path);
  CHECK_FALSE(write_file_if_changed(path, "one"));
  CHECK(fs::last_write_time(path) == time);
  CHECK(write_file_if_changed(path, "two"));
  CHECK(read_text(path) == "two");
}

TEST_CASE("write_file_if_changed compares files of several chunks, empty ones and links") {
  ScratchDir dir;
  std::string content;
  for (int i = 0; content.size() < 200'000; ++i) content += "line " + std::to_string(i) + "\n";
  const std::string big = dir.file("big.txt");
  CHECK(write_file_if_changed(big, content));
  CHECK_FALSE(write_file_if_changed(big, content));
  std::string late_change = content;
  late_change[150'000] = '#';  // the same size, a byte changed in the third 64 kB piece
  CHECK(write_file_if_changed(big, late_change));
  CHECK(read_text(big) == late_change);
  CHECK(write_file_if_changed(big, late_change + "more"));
  CHECK(write_file_if_changed(big, content.substr(0, 70'000)));
  CHECK(read_text(big) == content.substr(0, 70'000));
  const std::string empty = dir.file("empty.txt");
  CHECK(write_file_if_changed(empty, ""));
  CHECK_FALSE(write_file_if_changed(empty, ""));
  // A link to a file holding the same text is replaced by a file, never followed.
  const std::string target = dir.file("target.txt"), link = dir.file("link.txt");
  write_file_atomically(target, "same");
  fs::create_symlink(target, link);
  CHECK(write_file_if_changed(link, "same"));
  CHECK_FALSE(fs::is_symlink(link));
  CHECK(read_text(link) == "same");
}

// A FIFO is opened without blocking and never read: the write is refused (a name troupe chose
// itself is never written into a FIFO), and the FIFO is left as it was.
TEST_CASE("write_file_if_changed refuses a FIFO at the path without blocking on it") {
  ScratchDir dir;
  const std::string pipe = dir.file("pipe.txt");
  REQUIRE(::mkfifo(pipe.c_str(), 0644) == 0);
  CHECK_THROWS_AS(write_file_if_changed(pipe, "text"), RenderError);
  CHECK(fs::is_fifo(pipe));
  CHECK_FALSE(read_regular_file(pipe).has_value());
}

// A file another user put in a shared output folder is never taken as already written: it is
// replaced by this user's file, even when it holds the same text.
TEST_CASE("write_file_if_changed rewrites a file of another user holding the same text") {
  ScratchDir dir;
  const std::string path = dir.file("theirs.txt");
  write_file_atomically(path, "same");
  if (::geteuid() != 0) {
    troupe_test::skip_test("giving a file to another user needs root (CI runs as root)");
    return;
  }
  const uid_t nobody = 65534;
  REQUIRE_MESSAGE(::chown(path.c_str(), nobody, nobody) == 0, std::strerror(errno));
  CHECK(write_file_if_changed(path, "same"));
  struct stat seen {};
  REQUIRE(::stat(path.c_str(), &seen) == 0);
  CHECK(seen.st_uid == ::geteuid());
  CHECK(read_text(path) == "same");
  CHECK_FALSE(write_file_if_changed(path, "same"));
}

TEST_CASE("read_regular_file reads a file of several chunks whole, and an empty one as empty") {
  ScratchDir dir;
  std::string content;
  for (int i = 0; content.size() < 200'000; ++i) content += "line " + std::to_string(i) + "\n";
  const std::string big = dir.file("big.txt"), empty = dir.file("empty.txt");
  write_file_atomically(big, content);
  write_file_atomically(empty, "");
  CHECK(read_regular_file(big) == content);
  CHECK(read_regular_file(empty) == std::string());
  CHECK_FALSE(read_regular_file(dir.file("missing.txt")).has_value());
}

TEST_CASE("write_files_if_changed writes the changed files only, and leaves no temporary file") {
  ScratchDir dir;
  const std::string same = dir.file("same.txt"), changed = dir.file("changed.txt"),
                    fresh = dir.file("fresh.txt");
  write_file_atomically(same, "kept");
  write_file_atomically(changed, "before");
  const auto time = fs::last_write_time(same);
  CHECK(write_files_if_changed({{same, "kept"}, {changed, "after"}, {fresh, "new"}}) == 2);
  CHECK(fs::last_write_time(same) == time);
  CHECK(read_text(changed) == "after");
  CHECK(read_text(fresh) == "new");
  const fs::path folder = fs::path(same).parent_path();
  CHECK(std::distance(fs::directory_iterator(folder), fs::directory_iterator()) == 3);
}

TEST_CASE("write_files_if_changed writes nothing when a later path cannot be written") {
  ScratchDir dir;
  const std::string first = dir.file("first.txt"), folder = dir.file("folder");
  write_file_atomically(first, "before");
  fs::create_directory(folder);
  const auto time = fs::last_write_time(first);
  CHECK_THROWS_AS(write_files_if_changed({{first, "after"}, {folder, "into a folder"}}),
                  RenderError);
  CHECK(read_text(first) == "before");
  CHECK(fs::last_write_time(first) == time);
  const fs::path parent = fs::path(first).parent_path();
  CHECK(std::distance(fs::directory_iterator(parent), fs::directory_iterator()) == 2);
}

TEST_CASE("ChapterWriter writes Opus at 48000 Hz and MP3, with tags") {
  ScratchDir dir;
  const std::vector<int16_t> speech = bursts(2.0, 0.5);
  for (AudioFormat format : {AudioFormat::kOpus, AudioFormat::kMp3}) {
    const std::string path = dir.file("chapter." + audio_format_extension(format));
    {
      ChapterWriter writer(path, 22050, format, AudioTags{"One", "Someone", "A Book"});
      writer.write(speech.data(), speech.size());
      writer.write_silence(2205);
      CHECK(writer.frames_written() == speech.size() + 2205);
      writer.commit();
    }
    SF_INFO info{};
    SNDFILE* file = sf_open(path.c_str(), SFM_READ, &info);
    REQUIRE(file != nullptr);
    CHECK(info.samplerate == file_sample_rate(format, 22050));
    const char* title = sf_get_string(file, SF_STR_TITLE);
    const char* artist = sf_get_string(file, SF_STR_ARTIST);
    CHECK(std::string(title ? title : "") == "One");
    CHECK(std::string(artist ? artist : "") == "Someone");
    std::vector<float> buffer(4096);
    sf_count_t frames = 0;
    for (sf_count_t n; (n = sf_read_float(file, buffer.data(), 4096)) > 0;) frames += n;
    sf_close(file);
    CHECK(static_cast<double>(frames) / info.samplerate == doctest::Approx(2.1).epsilon(0.05));
  }
}

TEST_CASE("ChapterWriter writes a large WAV as RF64, which stays a WAV while small") {
  ScratchDir dir;
  const std::string path = dir.file("big.wav");
  const std::vector<int16_t> speech = ramp(3000);
  {
    ChapterWriter writer(path, 22050, AudioFormat::kWav, {}, /*large=*/true);
    writer.write(speech.data(), speech.size());
    writer.commit();
  }
  const ReadBack back = read_audio(path);
  CHECK(back.samples == speech);
  // Downgraded to a WAV (WAVEFORMATEXTENSIBLE), as libsndfile does for a small RF64.
  CHECK(((back.info.format & SF_FORMAT_TYPEMASK) == SF_FORMAT_WAV ||
         (back.info.format & SF_FORMAT_TYPEMASK) == SF_FORMAT_WAVEX));
}

TEST_CASE("ms_to_samples") {
  CHECK(ms_to_samples(1000, 22050) == 22050);
  CHECK(ms_to_samples(250, 22050) == 5512);
  CHECK(ms_to_samples(0, 22050) == 0);
  CHECK(ms_to_samples(-5, 22050) == 0);
}

TEST_CASE("ChapterWriter writes a WAV libsndfile reads back the same") {
  ScratchDir dir;
  const std::string path = dir.file("chapter-01.wav");
  const std::vector<int16_t> speech = ramp(3000);
  {
    ChapterWriter writer(path, 22050);
    writer.write(speech.data(), speech.size());
    writer.write_silence(10000);
    CHECK(writer.frames_written() == 13000);
    // Only the hidden temporary file, .chapter-01.wav.XXXXXX.tmp, until commit().
    CHECK(std::distance(fs::directory_iterator(fs::path(path).parent_path()),
                        fs::directory_iterator()) == 1);
    CHECK_FALSE(fs::exists(path));
    writer.commit();
  }
  CHECK(std::distance(fs::directory_iterator(fs::path(path).parent_path()),
                      fs::directory_iterator()) == 1);
  const ReadBack back = read_audio(path);
  CHECK(back.info.frames == 13000);
  CHECK(back.info.samplerate == 22050);
  CHECK(back.info.channels == 1);
  CHECK(back.info.format == (SF_FORMAT_WAV | SF_FORMAT_PCM_16));
  CHECK(std::equal(speech.begin(), speech.end(), back.samples.begin()));
  CHECK(std::all_of(back.samples.begin() + 3000, back.samples.end(),
                    [](int16_t s) { return s == 0; }));
}

TEST_CASE("ChapterWriter destroyed without commit leaves nothing behind") {
  ScratchDir dir;
  const std::string path = dir.file("unfinished.wav");
  {
    ChapterWriter writer(path, 22050);
    writer.write_silence(500);
  }
  CHECK_FALSE(fs::exists(path));
  CHECK(fs::is_empty(fs::path(path).parent_path()));
}

TEST_CASE("ChapterWriter into a missing folder throws a RenderError naming the file") {
  ScratchDir dir;
  const std::string path = dir.file("no/such/folder/chapter.wav");
  try {
    ChapterWriter writer(path, 22050);
    FAIL("expected a RenderError");
  } catch (const RenderError& error) {
    CHECK(std::string(error.what()).find(path) != std::string::npos);
  }
}

TEST_CASE("ChapterWriter refuses writes after commit") {
  ScratchDir dir;
  ChapterWriter writer(dir.file("done.wav"), 22050);
  writer.commit();
  CHECK_THROWS_AS(writer.write_silence(1), RenderError);
}

TEST_CASE("ChapterWriter writes FLAC too") {
  ScratchDir dir;
  const std::string path = dir.file("chapter.flac");
  const std::vector<int16_t> speech = ramp(5000);
  {
    ChapterWriter writer(path, 22050, AudioFormat::kFlac);
    writer.write(speech.data(), speech.size());
    writer.commit();
  }
  const ReadBack back = read_audio(path);
  CHECK((back.info.format & SF_FORMAT_TYPEMASK) == SF_FORMAT_FLAC);
  CHECK(back.samples == speech);
}

TEST_CASE("audio formats parse from their names") {
  CHECK(parse_audio_format("flac") == AudioFormat::kFlac);
  CHECK(parse_audio_format("wav") == AudioFormat::kWav);
  CHECK(parse_audio_format("opus") == AudioFormat::kOpus);
  CHECK(parse_audio_format("mp3") == AudioFormat::kMp3);
  CHECK_FALSE(parse_audio_format("aiff").has_value());
  CHECK(audio_format_extension(AudioFormat::kOgg) == "ogg");
}

TEST_CASE("write_file_atomically replaces the file and leaves no .tmp") {
  ScratchDir dir;
  const std::string path = dir.file("notes.txt");
  write_file_atomically(path, "first");
  write_file_atomically(path, "second");
  CHECK(read_text(path) == "second");
  CHECK(std::distance(fs::directory_iterator(fs::path(path).parent_path()),
                      fs::directory_iterator()) == 1);
}

TEST_CASE("write_file_atomically into a missing folder names the file") {
  ScratchDir dir;
  const std::string path = dir.file("missing/notes.txt");
  try {
    write_file_atomically(path, "x");
    FAIL("expected a RenderError");
  } catch (const RenderError& error) {
    CHECK(std::string(error.what()).rfind(path + ": could not write: ", 0) == 0);
  }
}

TEST_CASE("write_file_atomically reports a failed rename and leaves no temporary file") {
  // The final name is taken by a folder with a file in it: rename() fails (EISDIR).
  ScratchDir dir;
  const std::string path = dir.file("taken");
  fs::create_directories(fs::path(path) / "inside");
  CHECK_THROWS_AS(write_file_atomically(path, "x"), RenderError);
  CHECK(fs::is_directory(path));
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(fs::path(path).parent_path()))
    ++entries;
  CHECK(entries == 1);  // the folder, and no temporary file beside it
}

TEST_CASE("the manifest round-trips through JSON with every key") {
  Manifest manifest;
  manifest.story = "The Lighthouse";
  manifest.source = "stories/lighthouse.txt";
  ManifestChapter chapter;
  chapter.number = 1;
  chapter.title = "Chapter One";
  chapter.file = "01-chapter-one.wav";
  chapter.duration = 12.3456;
  chapter.utterances.push_back({0.0, 1.5, "narrator", "cedar", "It was dark.", 3, {}});
  chapter.utterances.push_back({1.5, 2.25, "Mark", "ember", "Hey, \"Lexie\".", 4, {}});
  manifest.chapters.push_back(chapter);
  manifest.cast.push_back({"Mark", "ember", 'm', 1});

  ScratchDir dir;
  const std::string path = dir.file("manifest.json");
  write_manifest(path, manifest);
  const std::string text = read_text(path);
  CHECK(text == manifest_json(manifest));
  CHECK(text.find("\n  \"story\"") != std::string::npos);  // 2-space indent

  const auto json = nlohmann::json::parse(text);
  CHECK(json["story"] == "The Lighthouse");
  CHECK(json["source"] == "stories/lighthouse.txt");
  CHECK(json["sample_rate"] == 22050);
  const auto& first = json["chapters"][0];
  CHECK(first["number"] == 1);
  CHECK(first["title"] == "Chapter One");
  CHECK(first["file"] == "01-chapter-one.wav");
  CHECK(first["duration"] == doctest::Approx(12.346));
  const auto& said = first["utterances"][1];
  for (const char* key : {"start", "end", "speaker", "voice", "text", "line"}) {
    CHECK_MESSAGE(said.contains(key), key);
  }
  CHECK(said["text"] == "Hey, \"Lexie\".");
  CHECK(said["line"] == 4);
  CHECK(said["end"] == doctest::Approx(2.25));
  const auto& cast = json["cast"][0];
  CHECK(cast["speaker"] == "Mark");
  CHECK(cast["voice"] == "ember");
  CHECK(cast["gender"] == "m");
  CHECK(cast["lines"] == 1);
  // Keys come in a stable, readable order.
  CHECK(text.find("\"story\"") < text.find("\"chapters\""));
  CHECK(text.find("\"chapters\"") < text.find("\"cast\""));
}

TEST_CASE("invalid UTF-8 in a manifest does not throw") {
  Manifest manifest;
  manifest.story = std::string("bad \xff byte");
  CHECK_NOTHROW(manifest_json(manifest));
}

}  // namespace troupe
