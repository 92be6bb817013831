#include "render/prepare.h"

#include <algorithm>
#include <map>

#include "attribution/attribute.h"
#include "sources/source.h"
#include "text/lexicon.h"
#include "text/speakable.h"

namespace troupe {
namespace {

Character character_from(const CharacterSpec& spec) {
  Character c;
  c.name = spec.name;
  c.aliases = spec.aliases;
  c.gender = spec.gender.value_or(Gender::Unknown);
  return c;
}

Character reader_from(const ReaderSpec& spec) {
  Character c;
  c.name = spec.name.empty() ? "Y/N" : spec.name;
  c.aliases = spec.aliases;
  for (const char* alias : {"Y/N", "{{user}}", "you"})
    if (c.name != alias && std::find(c.aliases.begin(), c.aliases.end(), alias) == c.aliases.end())
      c.aliases.push_back(alias);
  c.gender = spec.gender.value_or(Gender::Unknown);
  c.is_reader = true;
  return c;
}

AttributionOptions attribution_options(const CastFile& cast) {
  AttributionOptions options;
  if (cast.reader.present) options.hints.characters.push_back(reader_from(cast.reader));
  for (const auto& spec : cast.characters) options.hints.characters.push_back(character_from(spec));
  for (const auto& pin : cast.pins) options.pins.push_back({pin.quote, pin.speaker});
  return options;
}

const Character* character_named(const Script& script, const std::string& name) {
  for (const auto& c : script.characters)
    if (c.name == name) return &c;
  return nullptr;
}

// What each span says: reader names, the lexicon ([pronounce] over voices/lexicon/), markup
// and symbols made speakable. `text` stays as written.
void fill_say(Script& script, const CastFile& cast, const std::string& voices_dir,
              bool read_notes) {
  Lexicon lexicon;
  for (const auto& [word, say] : cast.pronounce) lexicon.add(word, say, /*user=*/true);
  lexicon.add_folder(voices_dir + "/lexicon");
  SpeakContext context;
  context.reader_name = cast.reader.name;
  context.reader_last_name = cast.reader.last_name;
  context.main_character = cast.main_character;
  context.lexicon = &lexicon;
  context.read_notes = read_notes;
  for (auto& chapter : script.chapters)
    for (auto& line : chapter.lines)
      line.say = line.kind == LineKind::Pause || line.kind == LineKind::Skipped
                     ? ""
                     : speakable(line.text, context);
}

}  // namespace

std::vector<SpeakerInfo> speakers_of(const Script& script) {
  std::map<std::string, SpeakerInfo> by_name;
  for (std::size_t ch = 0; ch < script.chapters.size(); ++ch)
    for (const auto& line : script.chapters[ch].lines) {
      if (line.kind != LineKind::Quote) continue;
      auto& info = by_name[line.speaker];
      info.name = line.speaker;
      ++info.lines;
      info.chapters.insert(static_cast<int>(ch) + 1);
    }
  std::vector<SpeakerInfo> speakers;
  for (auto& [name, info] : by_name) {
    if (const Character* c = character_named(script, name)) info.gender = c->gender;
    speakers.push_back(std::move(info));
  }
  std::stable_sort(speakers.begin(), speakers.end(),
                   [](const SpeakerInfo& a, const SpeakerInfo& b) { return a.lines > b.lines; });
  return speakers;
}

PreparedStory prepare_story(const std::string& story_path, const PrepareOptions& options) {
  PreparedStory prepared;
  prepared.story = read_source(story_path, ReadOptions{options.read_notes});
  std::string cast_path =
      options.cast_path.empty() ? find_cast_file(story_path) : options.cast_path;
  if (!cast_path.empty()) prepared.cast_file = read_cast_file(cast_path);
  if (!options.reader_name.empty()) {
    prepared.cast_file.reader.present = true;
    prepared.cast_file.reader.name = options.reader_name;
  }
  const std::string voices_dir = find_voices_dir(options.voices_dir);
  prepared.profiles = load_voice_profiles(voices_dir);
  check_cast_voices(prepared.cast_file, prepared.profiles);
  prepared.script = attribute(prepared.story, attribution_options(prepared.cast_file));
  fill_say(prepared.script, prepared.cast_file, voices_dir, options.read_notes);
  prepared.cast =
      assign_voices(speakers_of(prepared.script), prepared.profiles, prepared.cast_file);
  return prepared;
}

}  // namespace troupe
