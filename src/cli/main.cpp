// troupe's command line: a thin layer over the pipeline stages.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <regex>

#include "audio/atomic_file.h"
#include "audio/wav_writer.h"
#include "common/errors.h"
#include "render/prepare.h"
#include "render/render.h"
#include "render/script_format.h"
#include "speech/engine.h"

namespace troupe {
namespace {

constexpr int kExitRenderFailure = 1;
constexpr int kExitBadInput = 2;

struct CommonOptions {
  std::string cast_path;
  std::string voices_dir;
  std::string reader_name;

  PrepareOptions prepare() const { return {cast_path, voices_dir, reader_name}; }
};

void add_common_options(CLI::App* command, CommonOptions& options) {
  command->add_option("--cast", options.cast_path,
                      "Cast file (default: STORY.cast.toml beside the story, or cast.toml in a "
                      "story folder)");
  command->add_option("--voices", options.voices_dir, "Folder of voice profiles (*.toml)");
  command->add_option("--reader", options.reader_name,
                      "Name spoken for Y/N and {{user}} (overrides the cast file's [reader] name)");
}

// "3-5", "4", "2-" -> first and last chapter numbers.
void parse_chapter_range(const std::string& text, RenderOptions& options) {
  static const std::regex range(R"((\d+)(?:-(\d*))?)");
  std::smatch m;
  if (!std::regex_match(text, m, range))
    throw InputError("--chapters: expected N or N-M (e.g. 3-5), got '" + text + "'");
  options.first_chapter = std::stoi(m[1]);
  options.last_chapter = !m[2].matched ? options.first_chapter
                         : m[2].str().empty() ? (1 << 30)
                                              : std::stoi(m[2]);
  if (options.first_chapter < 1 || options.last_chapter < options.first_chapter)
    throw InputError("--chapters: empty range '" + text + "'");
}

int run_render(const std::vector<std::string>& stories, const CommonOptions& common,
               RenderOptions options, const std::string& chapters, const std::string& format,
               bool quiet) {
  if (!chapters.empty()) parse_chapter_range(chapters, options);
  auto parsed = parse_audio_format(format);
  if (!parsed) throw InputError("--format: unknown audio format '" + format + "'");
  options.format = *parsed;
  // Every story is read and checked before anything is rendered.
  std::vector<PreparedStory> prepared;
  for (const auto& story : stories) prepared.push_back(prepare_story(story, common.prepare()));
  for (const auto& story : prepared) {
    auto result = render_story(story, options, [&](const RenderedChapter& c, int total) {
      if (!quiet)
        std::cerr << "troupe: chapter " << c.number << "/" << total << " -> " << c.file << " ("
                  << static_cast<int>(c.seconds / 60) << " min " << static_cast<int>(c.seconds) % 60
                  << " s)\n";
    });
    if (!quiet) std::cerr << "troupe: wrote " << result.chapters.size() << " chapter(s) to " << result.folder << "\n";
    std::cout << result.folder << "\n";
  }
  return 0;
}

int run_script(const std::string& story, const CommonOptions& common, const std::string& format) {
  auto prepared = prepare_story(story, common.prepare());
  if (format == "jsonl") write_script_jsonl(std::cout, prepared.script, prepared.cast);
  else write_script_text(std::cout, prepared.script, prepared.cast);
  return 0;
}

// The cast as a cast file: every speaker with their voice, so later runs cannot shift voices.
CastFile frozen_cast(const PreparedStory& prepared) {
  CastFile frozen = prepared.cast_file;
  frozen.narrator = prepared.cast.narrator.profile;
  for (const auto& info : speakers_of(prepared.script)) {
    if (info.name == kUnknownLabel) continue;
    const Character* character = nullptr;
    for (const auto& c : prepared.script.characters)
      if (c.name == info.name) character = &c;
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
  return frozen;
}

int run_cast(const std::string& story, const CommonOptions& common, const std::string& write_to) {
  auto prepared = prepare_story(story, common.prepare());
  std::printf("%-24s %6s  %-6s  %s\n", "speaker", "lines", "gender", "voice");
  std::printf("%-24s %6s  %-6s  %s\n", "narrator", "-", "-", prepared.cast.narrator.profile.c_str());
  for (const auto& info : speakers_of(prepared.script)) {
    const auto& voice = prepared.cast.voice_for(info.name);
    std::printf("%-24s %6d  %-6c  %s%s\n", info.name.c_str(), info.lines, gender_letter(info.gender),
                voice.profile.c_str(), voice.shared ? " (shared, shifted)" : "");
  }
  if (!write_to.empty()) {
    write_file_atomically(write_to, cast_file_toml(frozen_cast(prepared)));
    std::cerr << "troupe: wrote the cast to " << write_to << "\n";
  }
  return 0;
}

int run_voices(const CommonOptions& common, const std::string& say, const std::string& out) {
  auto profiles = load_voice_profiles(find_voices_dir(common.voices_dir));
  if (say.empty()) {
    for (const auto& p : profiles)
      std::printf("%-12s %c  %-16s rate %3d  pitch %3d  range %3d\n", p.name.c_str(),
                  gender_letter(p.gender), espeak_voice_name(p.params).c_str(), p.params.rate,
                  p.params.pitch, p.params.range);
    return 0;
  }
  if (out.empty()) throw InputError("voices --say: give -o FILE for the sample");
  auto& engine = Engine::instance();
  ChapterWriter writer(out, engine.sample_rate());
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
  std::vector<std::string> stories;
  std::string story, chapters, audio_format = "wav", script_format = "text", write_to, say, out;
  bool quiet = false;

  auto* render = app.add_subcommand("render", "Render stories into one audio file per chapter");
  render->add_option("STORY", stories, "Story files or folders (a folder is one book)")->required();
  render->add_option("-o,--output", render_options.out_dir, "Output folder (default: out)");
  render->add_option("--chapters", chapters, "Chapters to render, e.g. 3-5");
  render->add_option("--rate", render_options.rate_scale, "Speed every voice up or down, e.g. 1.2")
      ->check(CLI::Range(0.3, 3.0));
  render->add_option("--format", audio_format, "wav (default), flac, ogg or mp3");
  render->add_flag("-q,--quiet", quiet, "No progress on stderr");
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

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitBadInput;
  }
  if (*render) return run_render(stories, common, render_options, chapters, audio_format, quiet);
  if (*script) return run_script(story, common, script_format);
  if (*cast) return run_cast(story, common, write_to);
  return run_voices(common, say, out);
}

}  // namespace
}  // namespace troupe

int main(int argc, char** argv) {
  try {
    return troupe::run(argc, argv);
  } catch (const troupe::InputError& e) {
    std::cerr << "troupe: " << e.what() << "\n";
    return troupe::kExitBadInput;
  } catch (const troupe::RenderError& e) {
    std::cerr << "troupe: " << e.what() << "\n";
    return troupe::kExitRenderFailure;
  } catch (const std::exception& e) {
    std::cerr << "troupe: " << e.what() << "\n";
    return troupe::kExitRenderFailure;
  }
}
