// troupe's command line: a thin layer over the pipeline stages.
#include <CLI/CLI.hpp>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <regex>
#include <thread>

#include "audio/atomic_file.h"
#include "audio/heard.h"
#include "audio/wav_writer.h"
#include "casting/espeak_data.h"
#include "casting/voice_measure.h"
#include "common/errors.h"
#include "publish/m4b.h"
#include "publish/read_along.h"
#include "render/chapter.h"
#include "render/interrupt.h"
#include "render/prepare.h"
#include "render/progress.h"
#include "render/render.h"
#include "render/script_format.h"
#include "render/workers.h"
#include "sources/library_loader.h"
#include "speech/engine.h"

namespace troupe {
namespace {

constexpr int kExitRenderFailure = 1;
constexpr int kExitBadInput = 2;
constexpr int kExitInterrupted = 130;  // 128 + SIGINT, as shells report it

struct CommonOptions {
  std::string cast_path;
  std::string voices_dir;
  std::string reader_name;
  bool read_notes = false;
  std::string encoding;

  PrepareOptions prepare() const {
    return {cast_path, voices_dir, reader_name, read_notes, encoding};
  }
};

void add_common_options(CLI::App* command, CommonOptions& options) {
  command->add_option("--cast", options.cast_path,
                      "Cast file (default: STORY.cast.toml beside the story, or cast.toml in a "
                      "story folder)");
  command->add_option("--voices", options.voices_dir, "Folder of voice profiles (*.toml)");
  command->add_option("--reader", options.reader_name,
                      "Name spoken for Y/N and {{user}} (overrides the cast file's [reader] name)");
  command->add_flag("--read-notes", options.read_notes,
                    "Read metadata and author's notes aloud instead of skipping them");
  command->add_option("--encoding", options.encoding,
                      "Encoding of story files without a byte-order mark, when not UTF-8 "
                      "(cp1252, latin1, utf-16le ...)");
}

// One number of a --chapters range; a number too large for any book is an input error.
int chapter_number(const std::string& digits, const std::string& range) {
  int number = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), number);
  if (error != std::errc() || end != digits.data() + digits.size() || number >= (1 << 30))
    throw InputError("--chapters: chapter number too large in '" + range + "'");
  return number;
}

// "3-5", "4", "2-" -> first and last chapter numbers.
void parse_chapter_range(const std::string& text, RenderOptions& options) {
  static const std::regex range(R"((\d+)(?:-(\d*))?)");
  std::smatch m;
  if (!std::regex_match(text, m, range))
    throw InputError("--chapters: expected N or N-M (e.g. 3-5), got '" + text + "'");
  options.first_chapter = chapter_number(m[1], text);
  options.last_chapter = !m[2].matched        ? options.first_chapter
                         : m[2].str().empty() ? (1 << 30)
                                              : chapter_number(m[2], text);
  if (options.first_chapter < 1 || options.last_chapter < options.first_chapter)
    throw InputError("--chapters: empty range '" + text + "'");
}

// "2/5" -> shard 2 of 5.
void parse_shard(const std::string& text, RenderOptions& options) {
  static const std::regex shard(R"((\d{1,6})/(\d{1,6}))");
  std::smatch m;
  if (!std::regex_match(text, m, shard))
    throw InputError("--shard: expected K/N (e.g. 2/5), got '" + text + "'");
  options.shard = std::stoi(m[1]);
  options.shards = std::stoi(m[2]);
  if (options.shards < 1 || options.shard < 1 || options.shard > options.shards)
    throw InputError("--shard: K must be 1 to N, got '" + text + "'");
}

// "on", "off", or a target in LUFS ("-16").
void parse_loudness(const std::string& text, RenderOptions& options) {
  if (text == "on") return;
  if (text == "off") {
    options.loudness = false;
    return;
  }
  try {
    std::size_t used = 0;
    const double lufs = std::stod(text, &used);
    if (used == text.size() && lufs >= -40 && lufs <= -10) {
      options.target.integrated = lufs;
      return;
    }
  } catch (const std::exception&) {
  }
  throw InputError("--loudness: expected on, off or a target from -40 to -10 LUFS, got '" + text +
                   "'");
}

struct RenderArguments {
  std::vector<std::string> stories;
  std::string chapters, format = "wav", loudness = "on", shard, cover, read_along;
  long cache_mb = 1024;
  bool quiet = false;
};

int run_render(const RenderArguments& args, const CommonOptions& common, RenderOptions options) {
  keep_freed_memory_for_reuse();
  if (!args.chapters.empty()) parse_chapter_range(args.chapters, options);
  if (!args.shard.empty()) parse_shard(args.shard, options);
  parse_loudness(args.loudness, options);
  auto parsed = parse_audio_format(args.format);
  if (!parsed) throw InputError("--format: unknown audio format '" + args.format + "'");
  options.format = *parsed;
  options.cache_bytes = static_cast<std::uint64_t>(args.cache_mb) << 20;
  if (!args.cover.empty()) options.cover = read_cover_image(args.cover);
  if (!args.read_along.empty()) {
    options.read_along = read_along_mode(args.read_along);
    // The read-along book's libraries, loaded before any audio is rendered: a missing one is
    // reported now rather than once every chapter is spoken.
    load_libzip();
    load_libxml2();
  }

  // eSpeak NG is initialised (its data read, its voices listed: some 30 ms) on another core
  // while the stories are prepared, rather than by each worker once they are: the workers,
  // forked after the join below, inherit it ready. One thread only ever calls into eSpeak NG,
  // and none is left running when the workers are forked.
  // eSpeak NG's data folder is settled here, before any thread starts: finding it sets and
  // reads the library's data path, which the warm-up writes too, and the preparing threads
  // check voice files against it (espeak_data_dir keeps what it found).
  espeak_data_dir();
  std::jthread engine_warm_up([] {
    try {
      Engine::instance();
    } catch (const std::exception&) {
      // A worker tries again, and reports what went wrong on the chapter it could not render.
    }
  });

  // A single story's manifest, parsed (some 25 ms of CPU for a six-chapter novel) on another
  // core while the story is prepared, rather than after it: on a re-render it stood between
  // the preparing and the first worker.
  std::jthread manifest_warm_up([&] {
    try {
      if (args.stories.size() == 1) prefetch_book_manifest(args.stories[0], options.out_dir);
    } catch (const std::exception&) {
      // render_stories reads it again, and reports what is wrong with it.
    }
  });

  // Every story is read and checked before anything is rendered; a bad one is reported on
  // one line and left out, and the others render. They are prepared on as many threads as
  // --jobs has workers (these are not started yet).
  bool bad_input = false;
  std::vector<PreparedStory> prepared;
  prepared.reserve(args.stories.size());
  auto results = prepare_stories(args.stories, common.prepare(),
                                 options.jobs > 0 ? options.jobs : available_cores());
  for (std::size_t i = 0; i < args.stories.size(); ++i) {
    const std::string& story = args.stories[i];
    try {
      if (results[i].error) std::rethrow_exception(results[i].error);
      PreparedStory ready = std::move(*results[i].story);
      results[i].story.reset();
      const int count = static_cast<int>(ready.script.chapters.size());
      const bool open_end = options.last_chapter == (1 << 30);
      if (!args.chapters.empty() &&
          (options.first_chapter > count || (!open_end && options.last_chapter > count)))
        throw InputError(story + ": --chapters " + args.chapters + ": the story has " +
                         std::to_string(count) + (count == 1 ? " chapter" : " chapters"));
      prepared.push_back(std::move(ready));
    } catch (const InputError& e) {
      std::cerr << "troupe: " << e.what() << "\n";
      bad_input = true;
    }
  }
  if (prepared.empty()) return kExitBadInput;

  engine_warm_up.join();
  manifest_warm_up.join();
  install_interrupt_handlers();
  std::vector<const PreparedStory*> stories;
  for (const auto& story : prepared) stories.push_back(&story);
  warn_unmatched_pins(stories);
  ProgressReport report(ProgressReport::style_for(stderr, args.quiet));
  const auto outcomes = render_stories(stories, options, &report);
  bool failed = false;
  for (const auto& outcome : outcomes) {
    failed = failed || outcome.failed > 0;
    if (!outcome.manifest.empty()) std::cout << outcome.folder << "\n";
  }
  if (interrupted()) {
    std::cerr
        << "troupe: interrupted: finished chapters are kept, the next run goes on from there\n";
    return kExitInterrupted;
  }
  if (bad_input) return kExitBadInput;
  return failed ? kExitRenderFailure : 0;
}

int run_script(const std::string& story, const CommonOptions& common, const std::string& format) {
  auto prepared = prepare_story(story, common.prepare());
  warn_unmatched_pins(prepared);
  if (format == "jsonl")
    write_script_jsonl(std::cout, prepared.script, prepared.cast);
  else
    write_script_text(std::cout, prepared.script, prepared.cast);
  return 0;
}

// The cast as a cast file: every speaker with their voice, so later runs cannot shift voices.
CastFile frozen_cast(const PreparedStory& prepared) {
  CastFile frozen = prepared.cast_file;
  frozen.narrator = prepared.cast.narrator.profile;
  for (const auto& info : speakers_of(prepared.script)) {
    if (info.name == kUnknownLabel) continue;
    const Character* character = character_named(prepared.script, info.name);
    std::string voice = prepared.cast.voice_for(info.name).profile;
    if (character && character->is_reader) {
      frozen.reader.present = true;
      if (frozen.reader.name.empty()) frozen.reader.name = info.name;
      frozen.reader.voice = voice;
      continue;
    }
    auto it = std::find_if(frozen.characters.begin(), frozen.characters.end(),
                           [&](const CharacterSpec& s) { return s.name == info.name; });
    if (it == frozen.characters.end()) {
      CharacterSpec spec;
      spec.name = info.name;
      if (character) {
        spec.aliases = character->aliases;
        if (character->gender != Gender::Unknown) spec.gender = character->gender;
      }
      frozen.characters.push_back(spec);
      it = frozen.characters.end() - 1;
    }
    it->voice = voice;
  }
  // An AO3 download's Character tags, when they were the cast: those who do not speak too.
  if (prepared.cast_file.characters.empty())
    for (const std::string& name : prepared.story.metadata.characters) {
      const bool listed = std::any_of(frozen.characters.begin(), frozen.characters.end(),
                                      [&](const CharacterSpec& s) { return s.name == name; });
      const Character* character = character_named(prepared.script, name);
      if (listed || character == nullptr) continue;
      CharacterSpec spec;
      spec.name = name;
      spec.aliases = character->aliases;
      if (character->gender != Gender::Unknown) spec.gender = character->gender;
      frozen.characters.push_back(spec);
    }
  return frozen;
}

int run_cast(const std::string& story, const CommonOptions& common, const std::string& write_to) {
  auto prepared = prepare_story(story, common.prepare());
  warn_unmatched_pins(prepared);
  std::printf("%-24s %6s  %-6s  %s\n", "speaker", "lines", "gender", "voice");
  std::printf("%-24s %6s  %-6s  %s\n", "narrator", "-", "-",
              prepared.cast.narrator.profile.c_str());
  for (const auto& info : speakers_of(prepared.script)) {
    const auto& voice = prepared.cast.voice_for(info.name);
    std::printf("%-24s %6d  %-6c  %s%s\n", info.name.c_str(), info.lines,
                gender_letter(info.gender), voice.profile.c_str(),
                voice.shared ? " (shared, shifted)" : "");
  }
  if (!write_to.empty()) {
    std::fflush(stdout);  // the table first, should FILE be standard output too
    write_file_atomically(write_to, cast_file_text_for(write_to, frozen_cast(prepared)),
                          Target::kUserFile);
    std::cerr << "troupe: wrote the cast to " << write_to << "\n";
  }
  return 0;
}

// One line per profile: its settings, then its measured figures (or why there are none).
void print_profiles(const std::vector<VoiceProfile>& profiles) {
  std::printf("%-10s %c  %-24s %4s %5s %5s  %7s %6s %6s\n", "profile", 'g', "espeak", "rate",
              "pitch", "range", "F0 Hz", "F0 st", ">1kHz");
  for (const auto& p : profiles) {
    std::printf("%-10s %c  %-24s %4d %5d %5d  ", p.name.c_str(), gender_letter(p.gender),
                espeak_voice_name(p.params).c_str(), p.params.rate, p.params.pitch, p.params.range);
    if (p.measure)
      std::printf("%7.1f %6.1f %5.0f%%\n", p.measure->median_f0, p.measure->f0_range,
                  100 * p.measure->brightness);
    else
      std::printf("not measured (run troupe voices --measure)\n");
  }
}

// Measures every profile and writes the figures to the voices folder's measures.toml.
void measure_profiles(std::vector<VoiceProfile>& profiles, const std::string& dir) {
  for (auto& profile : profiles) profile.measure = measure_profile(profile);
  const std::string path = dir + "/" + kMeasuresFile;
  write_file_if_changed(path, measures_toml(profiles));
  std::cerr << "troupe: measured " << profiles.size() << " voices into " << path << "\n";
}

// The speakers of a rendered book as heard in its audio: lines, profile, median F0.
int print_heard(const std::string& book_dir) {
  std::printf("%-24s %-10s %6s %8s %6s\n", "speaker", "voice", "lines", "F0 Hz", "F0 st");
  for (const HeardSpeaker& heard : heard_speakers(book_dir)) {
    std::printf("%-24s %-10s %6d %8.1f %6.1f\n", heard.speaker.c_str(), heard.voice.c_str(),
                heard.lines, heard.median_f0, heard.f0_range);
  }
  return 0;
}

int run_voices(const CommonOptions& common, const std::string& say, const std::string& out,
               bool measure) {
  const std::string dir = find_voices_dir(common.voices_dir);
  auto profiles = load_voice_profiles(dir);
  if (measure) measure_profiles(profiles, dir);
  if (say.empty()) {
    print_profiles(profiles);
    return 0;
  }
  if (out.empty()) throw InputError("voices --say: give -o FILE for the sample");
  auto& engine = Engine::instance();
  ChapterWriter writer(out, engine.sample_rate(), AudioFormat::kWav, {}, false, Target::kUserFile);
  for (const auto& p : profiles) {
    auto intro = engine.speak(p.name + ".", p.params);
    writer.write(intro.samples.data(), intro.samples.size());
    auto sample = engine.speak(say, p.params);
    writer.write(sample.samples.data(), sample.samples.size());
    writer.write_silence(ms_to_samples(600, engine.sample_rate()));
  }
  writer.commit();
  std::cerr << "troupe: wrote a sample of " << profiles.size() << " voices to " << out << "\n";
  return 0;
}

int run(int argc, char** argv) {
  CLI::App app{"troupe: stories into audiobooks performed by a troupe of voices"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("troupe ") + TROUPE_VERSION);

  CommonOptions common;
  RenderOptions render_options;
  RenderArguments render_args;
  std::string story, script_format = "text", write_to, say, out;

  auto* render = app.add_subcommand("render", "Render stories into one audio file per chapter");
  render->add_option("STORY", render_args.stories, "Story files or folders (a folder is one book)")
      ->required();
  render->add_option("-o,--output", render_options.out_dir, "Output folder (default: out)");
  render->add_option("--chapters", render_args.chapters, "Chapters to render, e.g. 3-5");
  render->add_option("--rate", render_options.rate_scale, "Speed every voice up or down, e.g. 1.2")
      ->check(CLI::Validator(
          [](std::string& value) -> std::string {
            // CLI11's Range lets nan through (every comparison with it is false).
            const double x = std::strtod(value.c_str(), nullptr);
            if (std::isfinite(x) && x >= kMinRateScale && x <= kMaxRateScale) return "";
            return std::string("must be a number from ") + kRateScaleRange + ", not " + value;
          },
          "FACTOR", "rate"));
  render->add_option("--format", render_args.format, "wav (default), flac, ogg, opus or mp3")
      ->check(CLI::IsMember({"wav", "flac", "ogg", "opus", "mp3"}));
  render->add_option("--loudness", render_args.loudness,
                     "on (default: -18 LUFS, true peak -3 dBTP), off, or a target in LUFS");
  render->add_option("-j,--jobs", render_options.jobs, "Worker processes (default: one per core)")
      ->check(CLI::Range(1, 1024));
  render->add_flag("--force", render_options.force, "Render chapters that are up to date too");
  render->add_option("--shard", render_args.shard,
                     "Render only the K-th of N parts of the chapters, e.g. 2/5");
  render
      ->add_option("--cache-size", render_args.cache_mb,
                   "Bound of each book's utterance cache in MB (default 1024; 0: no cache)")
      ->check(CLI::Range(0L, 1L << 30));
  render->add_option("--author", render_options.author, "Author, for the files' artist tag");
  auto* m4b = render->add_flag("--m4b", render_options.m4b,
                               "Also write BOOK.m4b per book: AAC, chapter marks, cover, tags");
  render->add_option("--cover", render_args.cover, "Cover image (JPEG or PNG) for the M4B")
      ->needs(m4b);
  render
      ->add_option("--read-along", render_args.read_along,
                   "Also write BOOK.epub (EPUB 3 with Media Overlays) and BOOK.html per book, "
                   "highlighting each sentence or word as it is read: sentences or words")
      ->check(CLI::IsMember({"sentences", "words"}));
  render->add_flag("-q,--quiet", render_args.quiet, "No progress on stderr");
  add_common_options(render, common);

  auto* script = app.add_subcommand("script", "Print who says what, before any audio");
  script->add_option("STORY", story, "Story file or folder")->required();
  script->add_option("--format", script_format, "text (default) or jsonl")
      ->check(CLI::IsMember({"text", "jsonl"}));
  add_common_options(script, common);

  auto* cast = app.add_subcommand("cast", "Show the cast: speakers, lines, gender, voice");
  cast->add_option("STORY", story, "Story file or folder")->required();
  cast->add_option("--write", write_to, "Freeze the cast into this cast file");
  add_common_options(cast, common);

  auto* voices = app.add_subcommand("voices", "List the voice profiles, or speak a sample");
  voices->add_option("--say", say, "Text each profile speaks");
  voices->add_option("-o,--output", out, "WAV file for the --say sample");
  voices->add_option("--voices", common.voices_dir, "Folder of voice profiles (*.toml)");
  bool measure = false;
  std::string heard;
  voices->add_option("--heard", heard,
                     "A rendered book's folder: every speaker's median F0 as heard in its audio");
  voices->add_flag("--measure", measure,
                   "Measure every profile (F0, range, brightness) into the folder's measures.toml");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // One line, like every other error.
    std::string message = e.what();
    for (char& c : message)
      if (c == '\n') c = ' ';
    std::cerr << "troupe: " << message << " (see --help)\n";
    return kExitBadInput;
  }
  if (*render) return run_render(render_args, common, render_options);
  if (*script) return run_script(story, common, script_format);
  if (*cast) return run_cast(story, common, write_to);
  if (!heard.empty()) return print_heard(heard);
  return run_voices(common, say, out, measure);
}

int run_reporting_errors(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const InputError& e) {
    std::cerr << "troupe: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const RenderError& e) {
    std::cerr << "troupe: " << e.what() << "\n";
    return kExitRenderFailure;
  } catch (const std::exception& e) {
    std::cerr << "troupe: " << e.what() << "\n";
    return kExitRenderFailure;
  }
}

// Flushes standard output and says whether everything written to it arrived (a full disk, a
// closed pipe or /dev/full must not pass as success).
bool standard_output_written() {
  std::cout.flush();
  errno = 0;
  const bool flushed = std::fflush(stdout) == 0;
  const int error = errno;
  if (flushed && std::cout.good() && !std::ferror(stdout)) return true;
  // stdio keeps no reason for an earlier failed write: only the last flush's is known.
  std::cerr << "troupe: standard output: could not write"
            << (!flushed && error != 0 ? std::string(": ") + std::strerror(error)
                                       : std::string(" all of it"))
            << "\n";
  return false;
}

}  // namespace
}  // namespace troupe

int main(int argc, char** argv) {
  const int code = troupe::run_reporting_errors(argc, argv);
  if (!troupe::standard_output_written() && code == 0) return troupe::kExitRenderFailure;
  return code;
}
