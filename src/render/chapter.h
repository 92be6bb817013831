// One chapter end to end, inside a worker process: its lines spoken (or found in the cache),
// streamed to disk, levelled to the loudness target, and written as audio and subtitles.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "audio/loudness.h"
#include "audio/manifest.h"
#include "audio/subtitles.h"
#include "audio/wav_writer.h"
#include "render/prepare.h"

namespace troupe {

// --rate's range. eSpeak NG's speech lasts in proportion to 1/rate from about 100 words a
// minute (at its slowest, 80, it is 7% too short) up, once corrected for what it does not
// shorten (see espeak_speed_factor in chapter.cpp). The voice profiles run at 140 to 188 and
// deliveries change that by -8% and +6%, so from 0.8 to 2 every line stays between 100 and
// 450, and a chapter (its pauses scaled too) lasts 1/rate as long, within 5%.
constexpr double kMinRateScale = 0.8;
constexpr double kMaxRateScale = 2.0;
constexpr const char* kRateScaleRange = "0.8 to 2";

struct ChapterSettings {
  double rate_scale = 1.0;  // --rate
  AudioFormat format = AudioFormat::kWav;
  bool loudness = true;  // --loudness off: false
  LoudnessTarget target;
  std::string cache_folder;  // empty: no utterance cache
  std::string author;        // the artist tag
  // Packs of utterances spoken by the parts of a split chapter (see speak_chapter_part),
  // without a cache: render_chapter takes its utterances from them and removes them once the
  // chapter is written. With a cache, the parts' packs are in it and stay there.
  std::vector<std::string> part_packs;
  // Set for a join begun while its parts are still spoken: waits until part k (0-based) is
  // spoken, or throws RenderError when it failed. Each part's pack is looked for only then.
  std::function<void(std::size_t part)> wait_for_part;
  // A split chapter's join, with a cache: the cache's packs before the parts were spoken. The
  // others are the parts': their utterances are read without their samples until the chapter is
  // written (see PackLibrary::load). Null: every pack is read whole.
  std::shared_ptr<const std::set<std::string>> packs_before;
  // Set: filled with utterances_json of the chapter's utterances by render_chapter, on a thread
  // of its own while the audio is levelled, written and synced (left empty if that failed).
  std::string* utterances_json = nullptr;
};

// What is said in a chapter, in order: utterances with the voice that says them, and the
// silence before each. A line whose spoken words are long is said as several utterances, whole
// sentences each, one after another without a pause: memory does not grow with a line's length.
struct SpokenLine {
  const ScriptLine* line = nullptr;    // nullptr: the silence at the end of the chapter
  std::string say;                     // what eSpeak NG says: line->say, or a piece of it
  std::string written;                 // the words of `say` as written: line->text, or a piece
  std::vector<CueSentence> sentences;  // the sentences of `written`, for the subtitles
  int pause_ms = 0;                    // silence before the utterance
  std::string speaker;                 // label in the manifest and subtitles
  std::string profile;                 // voice profile name
  VoiceParams voice;                   // with delivery and --rate applied
  // The first utterance of a speech group: a run of whole paragraphs spoken by one eSpeak NG
  // session from its initial state (see SpeechSession). Where groups start depends only on the
  // chapter's text, so every line sounds the same however the book is split, cached or resumed.
  bool group_start = false;
};
std::vector<SpokenLine> spoken_lines(const PreparedStory& story, const ChapterScript& chapter,
                                     double rate_scale);

// A long chapter is spoken in parts, by several workers at once, then joined in order by
// render_chapter. A part is one speech group: where parts begin depends only on the chapter's
// text, and the utterances are the same whoever speaks them, so the files are too.
struct ChapterPart {
  std::size_t begin = 0, end = 0;  // indices into the chapter's spoken_lines
  std::size_t chars = 0;           // of text to say
};
std::vector<ChapterPart> chapter_parts(const std::vector<SpokenLine>& lines);

// chapter_parts of chapter `number`, each part's chars counting only the text that the cache
// (settings.cache_folder; none: nothing is cached) does not hold: what speaking it costs. A
// re-render after an edit finds one part to speak and the rest cached, and is better done by
// one worker than split (a second worker would only check the cache and wait).
std::vector<ChapterPart> parts_to_speak(const PreparedStory& story, int number,
                                        const ChapterSettings& settings);

// Speaks part `part` of chapter `number`: the utterances the cache (settings.cache_folder) does
// not hold go into a pack for render_chapter to join: without a cache at pack_path
// (settings.part_packs), with one beside it, named by what it holds (FOLDER/<stem>.<hash>.pack,
// <stem> being pack_path's name up to its first dot), and none when the cache holds it all.
// progress(n) is told of n more utterances done. Throws RenderError.
void speak_chapter_part(const PreparedStory& story, int number, std::size_t part,
                        const ChapterSettings& settings, const std::string& pack_path,
                        const std::function<void(std::size_t)>& progress = {});

// Hash of everything the chapter's files are made from (see render_chapter).
std::string chapter_inputs_hash(const PreparedStory& story, int number, const std::string& file,
                                const ChapterSettings& settings);

// Where a chapter's files go.
struct ChapterFiles {
  std::string folder;           // OUTDIR/<story>
  std::string audio, srt, vtt;  // file names inside folder
};

// Renders chapter `number` (1-based) of story: FOLDER/AUDIO, FOLDER/SRT and FOLDER/VTT, each
// written to a temporary file and renamed. progress(n) is told of n more utterances done.
// Throws RenderError. Uses the process's eSpeak NG engine, started only when the cache (or the
// parts' packs) does not hold every utterance; the result's sample_rate is the audio's.
ManifestChapter render_chapter(const PreparedStory& story, int number, const ChapterFiles& files,
                               const ChapterSettings& settings,
                               const std::function<void(std::size_t)>& progress = {});

}  // namespace troupe
