#include "render/chapter.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <optional>

#include "audio/atomic_file.h"
#include "audio/subtitles.h"
#include "common/errors.h"
#include "render/hash.h"
#include "render/interrupt.h"
#include "render/utterance_cache.h"
#include "speech/engine.h"

namespace troupe {
namespace fs = std::filesystem;

namespace {

// Pauses, in milliseconds, chosen to sound like a person reading aloud.
constexpr int kPauseWithinParagraphMs = 250;
constexpr int kPauseBetweenParagraphsMs = 550;
constexpr int kPauseAfterTitleMs = 900;
constexpr int kPauseSceneBreakMs = 1400;
constexpr int kPauseEndOfChapterMs = 1200;

// A WAV chapter with more text than this might pass 4 GiB (at 80 words a minute, the slowest
// rate, a character of text is about 5.5 kB of audio): it is written as RF64 when its length
// is not known beforehand.
constexpr std::size_t kLargeChapterChars = 400'000;

// Bumped whenever the way a chapter is rendered from the same inputs changes.
constexpr int kRenderVersion = 1;

int clamp(int v, int lo, int hi) { return std::max(lo, std::min(hi, v)); }

// A whisper stays in the character's own voice: softer, a little slower and lower.
VoiceParams with_delivery(VoiceParams params, Delivery delivery, double rate_scale) {
  if (delivery == Delivery::Soft) {
    params.volume = params.volume * 55 / 100;
    params.rate = params.rate * 92 / 100;
    params.pitch -= 6;
    params.range = params.range * 70 / 100;
  } else if (delivery == Delivery::Loud) {
    params.volume = params.volume * 140 / 100;
    params.rate = params.rate * 106 / 100;
    params.pitch += 8;
    params.range += 15;
  }
  params.rate = static_cast<int>(params.rate * rate_scale);
  params.rate = clamp(params.rate, 80, 450);
  params.pitch = clamp(params.pitch, 0, 100);
  params.range = clamp(params.range, 0, 100);
  params.volume = clamp(params.volume, 0, 200);
  return params;
}

const VoiceAssignment& voice_for_line(const Cast& cast, const ScriptLine& line) {
  if (line.kind != LineKind::Quote) return cast.narrator;
  try {
    return cast.voice_for(line.speaker);
  } catch (const std::out_of_range&) {
    return cast.narrator;
  }
}

int pause_before(const ScriptLine& line, bool first_in_chapter, LineKind previous) {
  if (first_in_chapter) return 0;
  if (previous == LineKind::Title) return kPauseAfterTitleMs;
  return line.paragraph_start ? kPauseBetweenParagraphsMs : kPauseWithinParagraphMs;
}

Hasher& add_voice(Hasher& hasher, const VoiceParams& voice) {
  return hasher.add(espeak_voice_name(voice))
      .add(voice.rate)
      .add(voice.pitch)
      .add(voice.range)
      .add(voice.volume);
}

std::string utterance_key(const std::string& say, const VoiceParams& voice,
                          const ChapterSettings& settings, int sample_rate) {
  Hasher hasher;
  hasher.add("utterance").add(espeak_ng_version()).add(sample_rate).add(say);
  add_voice(hasher, voice);
  hasher.add(settings.loudness ? limiter_headroom(settings.target) : -1000.0);
  return hasher.hex();
}

struct Segment {
  std::size_t silence = 0;  // samples of silence before the utterance
  std::size_t samples = 0;
  std::size_t entry = 0;  // in the chapter's pack
};

// The artist tag: --author, else the author the book names (an EPUB's dc:creator).
const std::string& artist_of(const PreparedStory& story, const ChapterSettings& settings) {
  return settings.author.empty() ? story.story.metadata.author : settings.author;
}

}  // namespace

std::vector<SpokenLine> spoken_lines(const PreparedStory& story, const ChapterScript& chapter,
                                     double rate_scale) {
  std::vector<SpokenLine> spoken;
  bool first = true;
  LineKind previous = LineKind::Title;
  int pending_ms = 0;  // scene breaks
  for (const auto& line : chapter.lines) {
    if (line.kind == LineKind::Skipped) continue;
    if (line.kind == LineKind::Pause) {
      pending_ms += kPauseSceneBreakMs;
      previous = LineKind::Pause;
      continue;
    }
    if (line.say.empty()) continue;
    const auto& voice = voice_for_line(story.cast, line);
    SpokenLine s;
    s.line = &line;
    s.pause_ms = pending_ms + pause_before(line, first, previous);
    s.speaker = line.kind == LineKind::Quote ? line.speaker : kNarratorLabel;
    s.profile = voice.profile;
    s.voice = with_delivery(voice.params, line.delivery, rate_scale);
    spoken.push_back(std::move(s));
    pending_ms = 0;
    first = false;
    previous = line.kind;
  }
  SpokenLine end;
  end.pause_ms = pending_ms + kPauseEndOfChapterMs;
  spoken.push_back(std::move(end));
  return spoken;
}

std::string chapter_inputs_hash(const PreparedStory& story, int number, const std::string& file,
                                const ChapterSettings& settings) {
  const ChapterScript& chapter = story.script.chapters.at(static_cast<std::size_t>(number - 1));
  Hasher hasher;
  hasher.add("chapter").add(kRenderVersion).add(TROUPE_VERSION).add(espeak_ng_version());
  hasher.add(file).add(chapter.title).add(story.story.title).add(artist_of(story, settings));
  hasher.add(static_cast<int>(settings.format)).add(settings.rate_scale);
  hasher.add(settings.loudness ? 1 : 0)
      .add(settings.target.integrated)
      .add(settings.target.true_peak);
  for (const SpokenLine& s : spoken_lines(story, chapter, settings.rate_scale)) {
    hasher.add(s.pause_ms);
    if (s.line == nullptr) continue;
    hasher.add(s.line->say).add(s.line->line).add(s.speaker).add(s.profile);
    add_voice(hasher, s.voice);
  }
  return hasher.hex();
}

ManifestChapter render_chapter(const PreparedStory& story, int number, const ChapterFiles& files,
                               const ChapterSettings& settings,
                               const std::function<void(std::size_t)>& progress) {
  Engine& engine = Engine::instance();
  const int rate = engine.sample_rate();
  const ChapterScript& chapter = story.script.chapters.at(static_cast<std::size_t>(number - 1));
  const std::vector<SpokenLine> lines = spoken_lines(story, chapter, settings.rate_scale);
  const bool caching = !settings.cache_folder.empty();
  std::optional<PackLibrary> library;
  if (caching) library.emplace(settings.cache_folder, rate);
  const double headroom = limiter_headroom(settings.target);
  const AudioTags tags{chapter.title.empty() ? story.story.title : chapter.title,
                       artist_of(story, settings), story.story.title};
  const std::string audio_path = (fs::path(files.folder) / files.audio).string();

  std::size_t text_chars = 0;
  for (const SpokenLine& s : lines)
    if (s.line != nullptr) text_chars += s.line->say.size();

  // The chapter's pack: its utterances for the cache, and its audio until it is levelled.
  const std::string stem = files.audio.substr(0, files.audio.rfind('.'));
  std::optional<PackWriter> pack;
  if (caching)
    pack.emplace((fs::path(settings.cache_folder) / (stem + ".pack")).string(), rate);
  else if (settings.loudness)
    pack.emplace(audio_path + ".pack", rate);
  // Without levelling the audio goes straight to the file.
  std::optional<ChapterWriter> writer;
  if (!settings.loudness)
    writer.emplace(audio_path, rate, settings.format, tags, text_chars > kLargeChapterChars);

  ManifestChapter result;
  result.number = number;
  result.title = chapter.title;
  result.file = files.audio;
  result.srt = files.srt;
  result.vtt = files.vtt;
  std::vector<Cue> cues;
  std::vector<Segment> segments;
  std::vector<UtteranceLevels> levels;
  std::size_t frames = 0;
  std::size_t end_silence = 0;
  CachedUtterance current;  // reused from utterance to utterance
  Utterance spoken;
  auto seconds = [rate](std::size_t samples) { return static_cast<double>(samples) / rate; };

  for (const SpokenLine& s : lines) {
    const std::size_t silence = ms_to_samples(s.pause_ms, rate);
    frames += silence;
    if (s.line == nullptr) {
      end_silence = silence;
      break;
    }
    if (writer) writer->write_silence(silence);
    throw_if_interrupted();  // unwinding removes this chapter's temporary files

    const std::string key = utterance_key(s.line->say, s.voice, settings, rate);
    if (!library || !library->load(key, current)) {
      engine.speak(s.line->say, s.voice, spoken);
      std::swap(current.samples, spoken.samples);  // both keep their memory for the next
      std::swap(current.words, spoken.words);
      current.levels = {};
      if (settings.loudness) current.levels = level_utterance(current.samples, rate, headroom);
    }
    const CachedUtterance* cached = &current;
    const std::size_t pack_entry = pack ? pack->add(key, current) : 0;

    const std::size_t start = frames;
    const std::size_t count = cached->samples.size();
    ManifestUtterance entry;
    entry.start = seconds(start);
    entry.end = seconds(start + count);
    entry.speaker = s.speaker;
    entry.voice = s.profile;
    // Words given to eSpeak NG as phonemes ([[...]]) are shown as the story writes them.
    const bool has_phonemes = s.line->say.find("[[") != std::string::npos;
    entry.text = has_phonemes ? s.line->text : s.line->say;
    entry.line = s.line->line;
    std::vector<TimedWord> words;
    words.reserve(cached->words.size());
    for (const WordTiming& w : cached->words)
      words.push_back(
          {w.char_offset, w.char_length, seconds(start + static_cast<std::size_t>(w.sample))});
    if (has_phonemes) words.clear();  // timings index the phonemes: one cue for the line
    for (Cue& cue : utterance_cues(entry.text, s.speaker, words, entry.start, entry.end))
      cues.push_back(std::move(cue));
    result.utterances.push_back(std::move(entry));

    if (writer) {
      writer->write(cached->samples.data(), count);
    } else {
      segments.push_back({silence, count, pack_entry});
      levels.push_back(std::move(current.levels));
    }
    frames += count;
    if (progress) progress(1);
  }

  if (settings.loudness) {
    const ChapterLevelling levelling = level_chapter(levels, settings.target);
    levels.clear();
    result.loudness =
        ManifestLoudness{levelling.integrated, levelling.true_peak, to_db(levelling.gain)};
    const bool large = settings.format == AudioFormat::kWav &&
                       std::uint64_t{frames} * 2 + (1 << 20) > kWavLimitBytes;
    writer.emplace(audio_path, rate, settings.format, tags, large);
    std::vector<int16_t> buffer(1 << 16);
    for (std::size_t u = 0; u < segments.size(); ++u) {
      writer->write_silence(segments[u].silence);
      const float gain = static_cast<float>(levelling.gain) * levelling.factors[u];
      for (std::size_t done = 0; done < segments[u].samples;) {
        const std::size_t n = std::min(segments[u].samples - done, buffer.size());
        pack->read_samples(segments[u].entry, done, buffer.data(), n);
        for (std::size_t i = 0; i < n; ++i) buffer[i] = round_to_int16(buffer[i] * gain);
        writer->write(buffer.data(), n);
        done += n;
      }
    }
  }
  writer->write_silence(end_silence);
  writer->commit();
  if (pack) pack->finish(caching);

  write_file_atomically((fs::path(files.folder) / files.srt).string(), srt_text(cues));
  write_file_atomically((fs::path(files.folder) / files.vtt).string(), webvtt_text(cues));
  result.duration = seconds(frames);
  std::error_code error;
  result.bytes = fs::file_size(audio_path, error);
  return result;
}

}  // namespace troupe
