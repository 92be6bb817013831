#include "casting/cast_file.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <sstream>

#include "casting/toml_fields.h"
#include "common/ascii.h"
#include "common/errors.h"

namespace troupe {
namespace {

namespace fs = std::filesystem;

// ---- reading ----

ReaderSpec read_reader(const TomlFile& file, const toml::key& table_key, const toml::node& node) {
  const toml::table& table = file.table_of(table_key, node);
  file.reject_unknown_keys(table, {"name", "last_name", "aliases", "gender", "voice"}, "[reader]");
  ReaderSpec reader;
  reader.present = true;
  reader.line = TomlFile::line_of(node);
  for (auto&& [key, value] : table) {
    if (key == "name") reader.name = file.string_of(key, value);
    if (key == "last_name") reader.last_name = file.string_of(key, value);
    if (key == "aliases") reader.aliases = file.strings_of(key, value);
    if (key == "gender") reader.gender = file.gender_of(key, value);
    if (key == "voice") reader.voice = file.string_of(key, value);
  }
  return reader;
}

struct ParsedCharacter {
  CharacterSpec spec;
  int aliases_line = 0;
};

ParsedCharacter read_character(const TomlFile& file, const toml::key& name,
                               const toml::node& node) {
  const toml::table& table = file.table_of(name, node);
  const std::string where = "[characters." + std::string(name.str()) + "]";
  file.reject_unknown_keys(table, {"aliases", "gender", "voice"}, where);
  ParsedCharacter parsed;
  parsed.spec.name = std::string(name.str());
  parsed.spec.line = TomlFile::line_of(node);
  parsed.aliases_line = parsed.spec.line;
  for (auto&& [key, value] : table) {
    if (key == "aliases") parsed.spec.aliases = file.strings_of(key, value);
    if (key == "aliases") parsed.aliases_line = TomlFile::line_of(value);
    if (key == "gender") parsed.spec.gender = file.gender_of(key, value);
    if (key == "voice") parsed.spec.voice = file.string_of(key, value);
  }
  return parsed;
}

std::vector<ParsedCharacter> read_characters(const TomlFile& file, const toml::key& key,
                                             const toml::node& node) {
  std::vector<ParsedCharacter> characters;
  for (auto&& [name, value] : file.table_of(key, node)) {
    characters.push_back(read_character(file, name, value));
  }
  std::stable_sort(
      characters.begin(), characters.end(),
      [](const ParsedCharacter& a, const ParsedCharacter& b) { return a.spec.line < b.spec.line; });
  return characters;
}

using Pronunciation = std::pair<std::string, std::string>;

std::vector<Pronunciation> read_pronounce(const TomlFile& file, const toml::key& key,
                                          const toml::node& node) {
  std::vector<std::pair<int, Pronunciation>> lined;
  for (auto&& [word, value] : file.table_of(key, node)) {
    lined.push_back(
        {TomlFile::line_of(value), {std::string(word.str()), file.string_of(word, value)}});
  }
  std::stable_sort(lined.begin(), lined.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<Pronunciation> pronounce;
  for (auto& [line, entry] : lined) pronounce.push_back(std::move(entry));
  return pronounce;
}

Pin read_pin(const TomlFile& file, const toml::key& key, const toml::node& node) {
  const toml::table& table = file.table_of(key, node);
  file.reject_unknown_keys(table, {"quote", "speaker"}, "[[pin]]");
  Pin pin;
  pin.line = TomlFile::line_of(node);
  for (auto&& [name, value] : table) {
    if (name == "quote") pin.quote = file.string_of(name, value);
    if (name == "speaker") pin.speaker = file.string_of(name, value);
  }
  if (pin.quote.empty() || pin.speaker.empty()) {
    throw input_error(file.path(), pin.line, "a [[pin]] needs both 'quote' and 'speaker'");
  }
  return pin;
}

std::vector<Pin> read_pins(const TomlFile& file, const toml::key& key, const toml::node& node) {
  const toml::array* array = node.as_array();
  if (array == nullptr) {
    throw input_error(file.path(), TomlFile::line_of(node), "'pin' must be written as [[pin]]");
  }
  std::vector<Pin> pins;
  for (const toml::node& element : *array) pins.push_back(read_pin(file, key, element));
  return pins;
}

// Every name and alias (ignoring case) belongs to one character; the reader counts as one.
class NameClaims {
 public:
  explicit NameClaims(const TomlFile& file) : file_(file) {}

  void claim(const std::string& word, const std::string& owner, int line) {
    const auto [it, inserted] = owners_.emplace(lower_ascii(word), owner);
    if (inserted || it->second == owner) return;
    throw input_error(
        file_.path(), line,
        "alias '" + word + "' of '" + owner + "' is already taken by '" + it->second + "'");
  }

 private:
  const TomlFile& file_;
  std::map<std::string, std::string> owners_;
};

void check_aliases(const TomlFile& file, const std::vector<ParsedCharacter>& characters,
                   const ReaderSpec& reader) {
  NameClaims claims(file);
  for (const ParsedCharacter& c : characters) claims.claim(c.spec.name, c.spec.name, c.spec.line);
  for (const ParsedCharacter& c : characters) {
    for (const std::string& alias : c.spec.aliases)
      claims.claim(alias, c.spec.name, c.aliases_line);
  }
  const std::string reader_owner = reader.name.empty() ? "the reader" : reader.name;
  for (const std::string& alias : reader.aliases) claims.claim(alias, reader_owner, reader.line);
}

// ---- writing ----

std::string toml_string(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (byte < 0x20 || byte == 0x7f) {
      static const char* hex = "0123456789ABCDEF";
      out += "\\u00";
      out += hex[byte >> 4];
      out += hex[byte & 0xf];
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string toml_key(const std::string& key) {
  const bool bare = !key.empty() && std::all_of(key.begin(), key.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '_' || c == '-';
  });
  return bare ? key : toml_string(key);
}

std::string toml_list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i > 0 ? ", " : "") + toml_string(items[i]);
  return out + "]";
}

void write_string(std::ostream& out, const char* key, const std::string& value) {
  if (!value.empty()) out << key << " = " << toml_string(value) << "\n";
}

void write_common(std::ostream& out, const std::vector<std::string>& aliases,
                  const std::optional<Gender>& gender, const std::string& voice) {
  if (!aliases.empty()) out << "aliases = " << toml_list(aliases) << "\n";
  if (gender) out << "gender = \"" << gender_letter(*gender) << "\"\n";
  write_string(out, "voice", voice);
}

void write_reader(std::ostream& out, const ReaderSpec& reader) {
  if (!reader.present) return;
  out << "\n[reader]\n";
  write_string(out, "name", reader.name);
  write_string(out, "last_name", reader.last_name);
  write_common(out, reader.aliases, reader.gender, reader.voice);
}

void write_characters(std::ostream& out, const std::vector<CharacterSpec>& characters) {
  for (const CharacterSpec& c : characters) {
    out << "\n[characters." << toml_string(c.name) << "]\n";
    write_common(out, c.aliases, c.gender, c.voice);
  }
}

void write_pronounce(std::ostream& out, const std::vector<Pronunciation>& pronounce) {
  if (pronounce.empty()) return;
  out << "\n[pronounce]\n";
  for (const auto& [word, saying] : pronounce)
    out << toml_key(word) << " = " << toml_string(saying) << "\n";
}

void write_pins(std::ostream& out, const std::vector<Pin>& pins) {
  for (const Pin& pin : pins) {
    out << "\n[[pin]]\n";
    write_string(out, "quote", pin.quote);
    write_string(out, "speaker", pin.speaker);
  }
}

bool names_profile(const std::vector<VoiceProfile>& profiles, const std::string& name) {
  return std::any_of(profiles.begin(), profiles.end(),
                     [&name](const VoiceProfile& p) { return p.name == name; });
}

void check_voice(const CastFile& cast, const std::vector<VoiceProfile>& profiles,
                 const std::string& voice, int line, const std::string& who) {
  if (voice.empty() || names_profile(profiles, voice)) return;
  throw input_error(cast.path, line, "unknown voice profile '" + voice + "' for " + who);
}

}  // namespace

// A cast file's shape (every key optional):
//   narrator = "narrator"            # profile for narration
//   main_character = "Nam-jun"       # spoken for {{char}}
//   [reader]                         # name, last_name, aliases = [...], gender, voice
//   [characters."Mark"]              # aliases = [...], gender = "m"|"f"|"x", voice = "cedar"
//   [pronounce]                      # Word = "respelling" or "[[phonemes]]"
//   [[pin]]                          # quote = "words or their start", speaker = "Name"
CastFile read_cast_file(const std::string& path) {
  const TomlFile file(path);
  const toml::table table = file.parse();
  file.reject_unknown_keys(
      table, {"narrator", "main_character", "reader", "characters", "pronounce", "pin"},
      "the cast file");
  CastFile cast;
  cast.path = path;
  std::vector<ParsedCharacter> characters;
  for (auto&& [key, node] : table) {
    if (key == "narrator") cast.narrator = file.string_of(key, node);
    if (key == "narrator") cast.narrator_line = TomlFile::line_of(node);
    if (key == "main_character") cast.main_character = file.string_of(key, node);
    if (key == "reader") cast.reader = read_reader(file, key, node);
    if (key == "characters") characters = read_characters(file, key, node);
    if (key == "pronounce") cast.pronounce = read_pronounce(file, key, node);
    if (key == "pin") cast.pins = read_pins(file, key, node);
  }
  check_aliases(file, characters, cast.reader);
  for (ParsedCharacter& c : characters) cast.characters.push_back(std::move(c.spec));
  return cast;
}

std::string cast_file_toml(const CastFile& cast) {
  std::ostringstream out;
  write_string(out, "narrator", cast.narrator);
  write_string(out, "main_character", cast.main_character);
  write_reader(out, cast.reader);
  write_characters(out, cast.characters);
  write_pronounce(out, cast.pronounce);
  write_pins(out, cast.pins);
  std::string text = out.str();
  if (!text.empty() && text.front() == '\n') text.erase(0, 1);
  return text;
}

std::string find_cast_file(const std::string& story_path) {
  const fs::path story(story_path);
  std::error_code ignored;
  const fs::path cast = fs::is_directory(story, ignored)
                            ? story / "cast.toml"
                            : story.parent_path() / (story.stem().string() + ".cast.toml");
  return fs::is_regular_file(cast, ignored) ? cast.string() : std::string();
}

void check_cast_voices(const CastFile& cast, const std::vector<VoiceProfile>& profiles) {
  check_voice(cast, profiles, cast.narrator, cast.narrator_line, "the narrator");
  check_voice(cast, profiles, cast.reader.voice, cast.reader.line, "the reader");
  for (const CharacterSpec& c : cast.characters) {
    check_voice(cast, profiles, c.voice, c.line, "'" + c.name + "'");
  }
}

}  // namespace troupe
