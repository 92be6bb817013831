#include "render/render.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "audio/manifest.h"
#include "common/errors.h"
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

class ChapterRenderer {
 public:
  ChapterRenderer(const PreparedStory& story, const RenderOptions& options)
      : story_(story), options_(options), engine_(Engine::instance()) {}

  ManifestChapter render(const ChapterScript& chapter, const std::string& path) {
    const int rate = engine_.sample_rate();
    ChapterWriter writer(path, rate, options_.format);
    ManifestChapter result;
    bool first = true;
    LineKind previous = LineKind::Title;
    for (const auto& line : chapter.lines) {
      if (line.kind == LineKind::Skipped) continue;
      if (line.kind == LineKind::Pause) {
        writer.write_silence(ms_to_samples(kPauseSceneBreakMs, rate));
        previous = LineKind::Pause;
        continue;
      }
      if (line.say.empty()) continue;
      writer.write_silence(ms_to_samples(pause_before(line, first, previous), rate));
      const auto& voice = voice_for_line(story_.cast, line);
      auto utterance = engine_.speak(line.say, with_delivery(voice.params, line.delivery, options_.rate_scale));
      ManifestUtterance entry;
      entry.start = static_cast<double>(writer.frames_written()) / rate;
      writer.write(utterance.samples.data(), utterance.samples.size());
      entry.end = static_cast<double>(writer.frames_written()) / rate;
      entry.speaker = line.kind == LineKind::Quote ? line.speaker : kNarratorLabel;
      entry.voice = voice.profile;
      entry.text = line.say;
      entry.line = line.line;
      result.utterances.push_back(std::move(entry));
      first = false;
      previous = line.kind;
    }
    writer.write_silence(ms_to_samples(kPauseEndOfChapterMs, rate));
    result.duration = static_cast<double>(writer.frames_written()) / rate;
    writer.commit();
    return result;
  }

 private:
  const PreparedStory& story_;
  const RenderOptions& options_;
  Engine& engine_;
};

std::vector<ManifestCastEntry> manifest_cast(const PreparedStory& story) {
  std::vector<ManifestCastEntry> entries;
  entries.push_back({kNarratorLabel, story.cast.narrator.profile, 'x', 0});
  for (const auto& info : speakers_of(story.script)) {
    ManifestCastEntry e;
    e.speaker = info.name;
    e.gender = gender_letter(info.gender);
    e.lines = info.lines;
    try {
      e.voice = story.cast.voice_for(info.name).profile;
    } catch (const std::out_of_range&) {
      e.voice = story.cast.narrator.profile;
    }
    entries.push_back(e);
  }
  return entries;
}

}  // namespace

std::string slug(const std::string& title) {
  std::string out;
  bool hyphen = false;
  for (unsigned char c : title) {
    if (std::isalnum(c)) {
      if (hyphen && !out.empty()) out += '-';
      out += static_cast<char>(std::tolower(c));
      hyphen = false;
    } else {
      hyphen = true;
    }
  }
  return out.empty() ? "chapter" : out;
}

std::string chapter_file_name(int number, int count, const std::string& title,
                              const std::string& extension) {
  int width = std::max<int>(2, static_cast<int>(std::to_string(count).size()));
  std::string digits = std::to_string(number);
  if (static_cast<int>(digits.size()) < width) digits.insert(0, width - digits.size(), '0');
  return digits + "-" + slug(title) + "." + extension;
}

RenderResult render_story(const PreparedStory& story, const RenderOptions& options,
                          const ChapterDone& on_chapter) {
  RenderResult result;
  result.folder = (fs::path(options.out_dir) / slug(story.story.title)).string();
  std::error_code ec;
  fs::create_directories(result.folder, ec);
  if (ec) throw RenderError(result.folder + ": cannot create the folder: " + ec.message());

  Manifest manifest;
  manifest.story = story.story.title;
  manifest.source = story.story.path;
  manifest.sample_rate = Engine::instance().sample_rate();
  manifest.cast = manifest_cast(story);

  const auto& chapters = story.script.chapters;
  const int count = static_cast<int>(chapters.size());
  ChapterRenderer renderer(story, options);
  for (int n = 1; n <= count; ++n) {
    if (n < options.first_chapter || n > options.last_chapter) continue;
    const auto& chapter = chapters[n - 1];
    std::string name = chapter_file_name(n, count, chapter.title.empty() ? "chapter" : chapter.title,
                                         audio_format_extension(options.format));
    std::string path = (fs::path(result.folder) / name).string();
    ManifestChapter done = renderer.render(chapter, path);
    done.number = n;
    done.title = chapter.title;
    done.file = name;
    RenderedChapter rendered{n, path, done.duration};
    result.chapters.push_back(rendered);
    manifest.chapters.push_back(std::move(done));
    if (on_chapter) on_chapter(rendered, count);
  }
  result.manifest = (fs::path(result.folder) / "manifest.json").string();
  write_manifest(result.manifest, manifest);
  return result;
}

}  // namespace troupe
