#include "audio/heard.h"

#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>

#include "audio/manifest.h"
#include "audio/pitch.h"
#include "common/errors.h"

namespace troupe {
namespace {

namespace fs = std::filesystem;

struct MonoAudio {
  std::vector<float> samples;
  int sample_rate = 0;
};

// The file's first channel as floats; libsndfile reads WAV, FLAC and Ogg alike.
MonoAudio read_mono(const std::string& path) {
  SF_INFO info{};
  SNDFILE* file = sf_open(path.c_str(), SFM_READ, &info);
  if (file == nullptr)
    throw input_error(path, 0, std::string("cannot read: ") + sf_strerror(nullptr));
  const int channels = std::max(1, info.channels);
  std::vector<float> interleaved(static_cast<std::size_t>(info.frames) * channels);
  const sf_count_t read = sf_readf_float(file, interleaved.data(), info.frames);
  sf_close(file);
  MonoAudio audio;
  audio.sample_rate = info.samplerate;
  audio.samples.resize(static_cast<std::size_t>(std::max<sf_count_t>(read, 0)));
  for (std::size_t i = 0; i < audio.samples.size(); ++i) {
    audio.samples[i] = interleaved[i * static_cast<std::size_t>(channels)];
  }
  return audio;
}

struct Gathered {
  std::string voice;
  int lines = 0;
  std::vector<double> f0s;
};

void gather_chapter(const ManifestChapter& chapter, const MonoAudio& audio,
                    std::map<std::string, Gathered>& by_speaker) {
  const auto sample_at = [&](double seconds) {
    const auto index = static_cast<long>(std::lround(seconds * audio.sample_rate));
    return static_cast<std::size_t>(
        std::clamp<long>(index, 0, static_cast<long>(audio.samples.size())));
  };
  for (const ManifestUtterance& utterance : chapter.utterances) {
    const std::size_t begin = sample_at(utterance.start), end = sample_at(utterance.end);
    if (end <= begin) continue;
    const std::vector<float> cut(audio.samples.begin() + static_cast<long>(begin),
                                 audio.samples.begin() + static_cast<long>(end));
    Gathered& gathered = by_speaker[utterance.speaker.empty() ? "narrator" : utterance.speaker];
    if (gathered.voice.empty()) gathered.voice = utterance.voice;
    ++gathered.lines;
    const std::vector<double> f0s = track_pitch(cut, audio.sample_rate);
    gathered.f0s.insert(gathered.f0s.end(), f0s.begin(), f0s.end());
  }
}

}  // namespace

std::vector<HeardSpeaker> heard_speakers(const std::string& book_dir) {
  const std::string path = (fs::path(book_dir) / "manifest.json").string();
  const std::optional<Manifest> manifest = read_manifest(path);
  if (!manifest) throw input_error(path, 0, "no rendered book's manifest here");
  std::map<std::string, Gathered> by_speaker;
  for (const ManifestChapter& chapter : manifest->chapters) {
    const MonoAudio audio = read_mono((fs::path(book_dir) / chapter.file).string());
    gather_chapter(chapter, audio, by_speaker);
  }
  std::vector<HeardSpeaker> heard;
  for (const auto& [speaker, gathered] : by_speaker) {
    heard.push_back(HeardSpeaker{speaker, gathered.voice, gathered.lines,
                                 quantile(gathered.f0s, 0.5), semitone_spread(gathered.f0s)});
  }
  std::stable_sort(heard.begin(), heard.end(),
                   [](const HeardSpeaker& a, const HeardSpeaker& b) { return a.lines > b.lines; });
  return heard;
}

}  // namespace troupe
