#include "render/prepare.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string_view>
#include <system_error>
#include <thread>

#include "attribution/attribute.h"
#include "common/errors.h"
#include "sources/source.h"
#include "text/lexicon.h"
#include "text/romanisation.h"
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

bool is_word_byte(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || (static_cast<unsigned char>(c) & 0x80);
}

// Whether name stands in text as a whole word (or words).
bool has_whole_word(std::string_view text, std::string_view name) {
  for (std::size_t at = text.find(name); at != std::string_view::npos;
       at = text.find(name, at + 1)) {
    const std::size_t end = at + name.size();
    if ((at == 0 || !is_word_byte(text[at - 1])) &&
        (end == text.size() || !is_word_byte(text[end])))
      return true;
  }
  return false;
}

bool names_word(const std::string& name, const std::string& word) {
  std::istringstream words(name);
  for (std::string w; words >> w;)
    if (w == word) return true;
  return false;
}

// The one-word names of a Character tag that the story uses ("Mara" of "Mara Quill"), each
// unless another tag has it too: what the text calls them by, whose pronouns tell the gender.
std::vector<std::string> tag_aliases(const std::string& name, const std::vector<std::string>& tags,
                                     const Story& story) {
  std::vector<std::string> aliases;
  std::istringstream words(name);
  std::vector<std::string> parts;
  for (std::string w; words >> w;) parts.push_back(w);
  if (parts.size() < 2) return aliases;
  for (const std::string& word : parts) {
    const bool capitalised =
        word.size() >= 2 && (std::isupper(static_cast<unsigned char>(word[0])) ||
                             static_cast<unsigned char>(word[0]) >= 0x80);
    const bool shared = std::any_of(tags.begin(), tags.end(), [&](const std::string& other) {
      return other != name && names_word(other, word);
    });
    if (!capitalised || shared) continue;
    const bool used = std::any_of(story.chapters.begin(), story.chapters.end(), [&](const auto& c) {
      return std::any_of(c.paragraphs.begin(), c.paragraphs.end(), [&](const Paragraph& p) {
        return p.kind == ParagraphKind::Text && has_whole_word(p.text, word);
      });
    });
    if (used) aliases.push_back(word);
  }
  return aliases;
}

AttributionOptions attribution_options(const CastFile& cast, const Story& story) {
  AttributionOptions options;
  if (cast.reader.present) options.hints.characters.push_back(reader_from(cast.reader));
  for (const auto& spec : cast.characters) options.hints.characters.push_back(character_from(spec));
  // An AO3 download's Character tags name the story's people as a cast file does (their
  // genders from the text); a cast file that names characters overrides them.
  if (cast.characters.empty())
    for (const std::string& name : story.metadata.characters)
      options.hints.characters.push_back(character_from(
          CharacterSpec{name, tag_aliases(name, story.metadata.characters, story), {}, "", 0}));
  for (const auto& pin : cast.pins) options.pins.push_back({pin.quote, pin.speaker});
  return options;
}

// Korean and Japanese names said by their language's rules: the cast's `language` for the story
// or a character, else what the story's words point to.
void add_names_by_language(Lexicon& lexicon, const Script& script, const CastFile& cast) {
  std::string text = script.title + "\n";
  for (const auto& chapter : script.chapters) {
    text += chapter.title + "\n";
    for (const auto& line : chapter.lines) text += line.text + "\n";
  }
  for (const auto& [name, code] : cast.character_languages)
    for (const auto& spec : cast.characters)
      if (spec.name == name) {
        std::vector<std::string> names = spec.aliases;
        names.push_back(spec.name);
        add_story_names(lexicon, "", name_language_of(code), names);
      }
  if (cast.language.empty())
    add_story_names_in_their_language(lexicon, text);
  else
    add_story_names(lexicon, text, name_language_of(cast.language));
}

// Calls say(chapter, line) for every line of the script, on up to `threads` threads at once
// (the calling one included): each line is said apart from the others.
template <typename Say>
void for_each_line(const Script& script, int threads, Say say) {
  std::vector<std::pair<std::size_t, std::size_t>> lines;
  for (std::size_t c = 0; c < script.chapters.size(); ++c)
    for (std::size_t l = 0; l < script.chapters[c].lines.size(); ++l) lines.emplace_back(c, l);
  std::atomic<std::size_t> next{0};
  std::vector<std::exception_ptr> failed(lines.size());  // what saying each line threw
  auto say_next = [&] {
    for (std::size_t i = next++; i < lines.size(); i = next++) {
      try {
        say(lines[i].first, lines[i].second);
      } catch (...) {
        failed[i] = std::current_exception();
      }
    }
  };
  {
    std::vector<std::jthread> pool;
    try {
      for (int t = 1; t < threads && static_cast<std::size_t>(t) < lines.size(); ++t)
        pool.emplace_back(say_next);
    } catch (const std::system_error&) {
      // No thread to spare: the calling one says what the others do not.
    }
    say_next();
  }  // joined
  // The first line's error in order, as when the lines were said one after another.
  for (const std::exception_ptr& error : failed)
    if (error) std::rethrow_exception(error);
}

// What each span says: reader names, the lexicon ([pronounce] over voices/lexicon/), markup
// and symbols made speakable. `text` stays as written. Lines are independent (the lexicon and
// the context are only read), so they are said on up to `threads` threads.
void fill_say(PreparedStory& prepared, const std::string& voices_dir, bool read_notes,
              int threads) {
  const CastFile& cast = prepared.cast_file;
  Lexicon lexicon;
  for (const auto& [word, say] : cast.pronounce) lexicon.add(word, say, /*user=*/true);
  lexicon.add_folder(voices_dir + "/lexicon");
  add_names_by_language(lexicon, prepared.script, cast);
  SpeakContext context;
  context.reader_name = cast.reader.name;
  context.reader_last_name = cast.reader.last_name;
  context.main_character = cast.main_character;
  context.lexicon = &lexicon;
  context.read_notes = read_notes;
  prepared.sentences.assign(prepared.script.chapters.size(), {});
  for (std::size_t c = 0; c < prepared.script.chapters.size(); ++c)
    prepared.sentences[c].resize(prepared.script.chapters[c].lines.size());
  for_each_line(prepared.script, threads, [&](std::size_t c, std::size_t l) {
    ChapterScript& chapter = prepared.script.chapters[c];
    ScriptLine& line = chapter.lines[l];
    SpokenText spoken;
    const bool unspoken =
        line.kind == LineKind::Title && is_unspoken_title(line.text, chapter.source);  // "000"
    if (line.kind != LineKind::Pause && line.kind != LineKind::Skipped && !unspoken)
      spoken = speakable_sentences(line.text, context);
    line.say = std::move(spoken.spoken);
    prepared.sentences[c][l] = std::move(spoken.sentences);
  });
}

// A pin's speaker must be someone: a character or the reader of the cast file (by a name or an
// alias), or a name the story itself writes.
bool is_known_speaker(const std::string& name, const CastFile& cast, const Story& story) {
  // The reader answers to Y/N, {{user}} and you even without a [reader] table.
  const Character reader = reader_from(cast.reader);
  if (name == reader.name ||
      std::find(reader.aliases.begin(), reader.aliases.end(), name) != reader.aliases.end())
    return true;
  for (const CharacterSpec& c : cast.characters)
    if (c.name == name || std::find(c.aliases.begin(), c.aliases.end(), name) != c.aliases.end())
      return true;
  for (const auto& chapter : story.chapters)
    for (const auto& p : chapter.paragraphs)
      if (has_whole_word(p.text, name)) return true;
  return false;
}

// Whether a quotation of the story starts with these words (as attribution matches a pin).
bool quotation_starts_with(const Story& story, const std::string& words) {
  for (const auto& chapter : story.chapters)
    for (const auto& p : chapter.paragraphs)
      for (const Quote& q : p.quotes)
        if (std::string_view(p.text).substr(q.begin, q.end - q.begin).starts_with(words))
          return true;
  return false;
}

// Which of the cast file's pins matched a quotation of the story (its words start with the
// pin's); a pin that matched one and names nobody known is an error naming its line.
std::vector<bool> check_pins(const CastFile& cast, const Story& story) {
  std::vector<bool> matched(cast.pins.size(), false);
  for (std::size_t i = 0; i < cast.pins.size(); ++i) {
    const Pin& pin = cast.pins[i];
    matched[i] = !pin.quote.empty() && quotation_starts_with(story, pin.quote);
    if (matched[i] && !is_known_speaker(pin.speaker, cast, story))
      throw input_error(cast.path, pin.line,
                        "[[pin]] speaker '" + pin.speaker +
                            "' is no character of the cast file, not the reader, and not named "
                            "in the story");
  }
  return matched;
}

}  // namespace

void warn_unmatched_pins(const std::vector<const PreparedStory*>& stories) {
  std::set<std::string> warned;  // cast files, each warned of once
  for (const PreparedStory* story : stories) {
    const CastFile& cast = story->cast_file;
    if (cast.pins.empty() || !warned.insert(cast.path).second) continue;
    for (std::size_t i = 0; i < cast.pins.size(); ++i) {
      const bool matched_somewhere =
          std::any_of(stories.begin(), stories.end(), [&](const PreparedStory* other) {
            return other->cast_file.path == cast.path && i < other->pin_matched.size() &&
                   other->pin_matched[i];
          });
      if (!matched_somewhere)
        std::cerr << "troupe: warning: " << cast.path << ":" << cast.pins[i].line
                  << ": [[pin]] quote \"" << cast.pins[i].quote
                  << "\" matches no quotation (a pin names the start of a quotation's words)\n";
    }
  }
}

void warn_unmatched_pins(const PreparedStory& story) { warn_unmatched_pins({&story}); }

const Character* character_named(const Script& script, const std::string& name) {
  for (const auto& c : script.characters)
    if (c.name == name) return &c;
  return nullptr;
}

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

namespace {

// prepare_story, its lines said on up to say_threads threads.
PreparedStory prepare_story_on(const std::string& story_path, const PrepareOptions& options,
                               int say_threads) {
  PreparedStory prepared;
  prepared.story = read_source(story_path, ReadOptions{options.read_notes, options.encoding});
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
  prepared.pin_matched = check_pins(prepared.cast_file, prepared.story);
  prepared.script =
      attribute(prepared.story, attribution_options(prepared.cast_file, prepared.story));
  fill_say(prepared, voices_dir, options.read_notes, say_threads);
  prepared.cast =
      assign_voices(speakers_of(prepared.script), prepared.profiles, prepared.cast_file);
  return prepared;
}

}  // namespace

PreparedStory prepare_story(const std::string& story_path, const PrepareOptions& options) {
  return prepare_story_on(story_path, options, 1);
}

std::vector<PreparedOrError> prepare_stories(const std::vector<std::string>& story_paths,
                                             const PrepareOptions& options, int threads) {
  std::vector<PreparedOrError> results(story_paths.size());
  // One story alone: the threads say its lines (the rest of preparing it is one thread's).
  const int say_threads = story_paths.size() == 1 ? threads : 1;
  std::atomic<std::size_t> next{0};
  auto prepare_next = [&] {
    for (std::size_t i = next++; i < story_paths.size(); i = next++) {
      try {
        results[i].story = prepare_story_on(story_paths[i], options, say_threads);
      } catch (...) {
        results[i].error = std::current_exception();
      }
    }
  };
  const auto helpers = std::min<std::size_t>(static_cast<std::size_t>(std::max(1, threads)) - 1,
                                             story_paths.empty() ? 0 : story_paths.size() - 1);
  {
    std::vector<std::jthread> pool;
    try {
      for (std::size_t t = 0; t < helpers; ++t) pool.emplace_back(prepare_next);
    } catch (const std::system_error&) {
      // No thread to spare: the calling one prepares what the others do not.
    }
    prepare_next();
  }  // joined: no thread is left running when the workers are forked
  return results;
}

}  // namespace troupe
