#include "casting/cast_file.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
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
  std::string language;
};

// A names' language: "ko", "ja" or "en".
std::string language_of(const TomlFile& file, const toml::key& key, const toml::node& node) {
  std::string code = file.string_of(key, node);
  if (code != "ko" && code != "ja" && code != "en")
    throw input_error(file.path(), TomlFile::line_of(node),
                      "language must be \"ko\", \"ja\" or \"en\", not \"" + code + "\"");
  return code;
}

ParsedCharacter read_character(const TomlFile& file, const toml::key& name,
                               const toml::node& node) {
  const toml::table& table = file.table_of(name, node);
  const std::string where = "[characters." + std::string(name.str()) + "]";
  file.reject_unknown_keys(table, {"aliases", "gender", "voice", "language"}, where);
  ParsedCharacter parsed;
  parsed.spec.name = std::string(name.str());
  parsed.spec.line = TomlFile::line_of(node);
  parsed.aliases_line = parsed.spec.line;
  for (auto&& [key, value] : table) {
    if (key == "aliases") parsed.spec.aliases = file.strings_of(key, value);
    if (key == "aliases") parsed.aliases_line = TomlFile::line_of(value);
    if (key == "gender") parsed.spec.gender = file.gender_of(key, value);
    if (key == "voice") parsed.spec.voice = file.string_of(key, value);
    if (key == "language") parsed.language = language_of(file, key, value);
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
//   language = "ko"                  # the names' language: "ko", "ja", "en" (also per character)
//   [reader]                         # name, last_name, aliases = [...], gender, voice
//   [characters."Mark"]              # aliases = [...], gender = "m"|"f"|"x", voice = "cedar"
//   [pronounce]                      # Word = "respelling" or "[[phonemes]]"
//   [[pin]]                          # quote = "words or their start", speaker = "Name"
CastFile read_cast_file(const std::string& path) {
  const TomlFile file(path);
  const toml::table table = file.parse();
  file.reject_unknown_keys(
      table, {"narrator", "main_character", "language", "reader", "characters", "pronounce", "pin"},
      "the cast file");
  CastFile cast;
  cast.path = path;
  std::vector<ParsedCharacter> characters;
  for (auto&& [key, node] : table) {
    if (key == "narrator") cast.narrator = file.string_of(key, node);
    if (key == "narrator") cast.narrator_line = TomlFile::line_of(node);
    if (key == "main_character") cast.main_character = file.string_of(key, node);
    if (key == "language") cast.language = language_of(file, key, node);
    if (key == "reader") cast.reader = read_reader(file, key, node);
    if (key == "characters") characters = read_characters(file, key, node);
    if (key == "pronounce") cast.pronounce = read_pronounce(file, key, node);
    if (key == "pin") cast.pins = read_pins(file, key, node);
  }
  check_aliases(file, characters, cast.reader);
  for (ParsedCharacter& c : characters) {
    if (!c.language.empty()) cast.character_languages.emplace_back(c.spec.name, c.language);
    cast.characters.push_back(std::move(c.spec));
  }
  return cast;
}

std::string cast_file_toml(const CastFile& cast) {
  std::ostringstream out;
  write_string(out, "narrator", cast.narrator);
  write_string(out, "main_character", cast.main_character);
  write_string(out, "language", cast.language);
  write_reader(out, cast.reader);
  write_characters(out, cast.characters);
  write_pronounce(out, cast.pronounce);
  write_pins(out, cast.pins);
  std::string text = out.str();
  if (!text.empty() && text.front() == '\n') text.erase(0, 1);
  return text;
}

namespace {

// ---- updating a cast file in place ----

// The byte offset of 1-based code point column `column` of line (toml++ counts columns in code
// points); npos past the line's end.
std::size_t byte_of_column(std::string_view line, std::size_t column) {
  std::size_t byte = 0;
  for (std::size_t c = 1; c < column; ++c) {
    if (byte >= line.size()) return std::string_view::npos;
    ++byte;
    while (byte < line.size() && (static_cast<unsigned char>(line[byte]) & 0xC0) == 0x80) ++byte;
  }
  return byte <= line.size() ? byte : std::string_view::npos;
}

bool is_comment_line(std::string_view line) {
  const std::size_t at = line.find_first_not_of(" \t");
  return at != std::string_view::npos && line[at] == '#';
}

// A cast file's lines, edited where they stand. Insertions are recorded against the original
// line numbers, so one edit does not move the places of the others.
class CastFileEditor {
 public:
  explicit CastFileEditor(std::string_view text) {
    std::size_t start = 0;
    while (start < text.size()) {
      std::size_t end = text.find('\n', start);
      if (end == std::string_view::npos) end = text.size();
      lines_.emplace_back(text.substr(start, end - start));
      start = end + 1;
    }
  }

  bool ok() const { return ok_; }
  void fail() { ok_ = false; }

  // Replaces a value that toml++ found on one line with another (in TOML).
  void replace_value(const toml::source_region& where, const std::string& value) {
    const auto line = static_cast<std::size_t>(where.begin.line);
    if (line < 1 || line > lines_.size() || where.end.line != where.begin.line) return fail();
    std::string& text = lines_[line - 1];
    const std::size_t from = byte_of_column(text, where.begin.column);
    const std::size_t to = byte_of_column(text, where.end.column);
    if (from == std::string::npos || to == std::string::npos || to < from) return fail();
    text.replace(from, to - from, value);
  }

  // Inserts text (whole lines) after 1-based line `after` (0: at the top), or at the end.
  void insert_after(int after, std::string text) { inserts_.emplace_back(after, std::move(text)); }
  void append(const std::string& text) { appended_ += text; }

  std::string text() const {
    std::vector<std::pair<int, std::string>> inserts = inserts_;
    std::stable_sort(inserts.begin(), inserts.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::string out;
    std::size_t next = 0;
    for (int line = 0; line <= static_cast<int>(lines_.size()); ++line) {
      if (line > 0) out += lines_[static_cast<std::size_t>(line - 1)] + "\n";
      while (next < inserts.size() && inserts[next].first == line) out += inserts[next++].second;
    }
    return out + appended_;
  }

  // The 1-based line of the first table header ([...]), moved up over the comments right
  // above it; the number of lines plus one when there is none.
  int first_header_line() const {
    for (std::size_t i = 0; i < lines_.size(); ++i) {
      const std::size_t at = lines_[i].find_first_not_of(" \t");
      if (at == std::string::npos || lines_[i][at] != '[') continue;
      std::size_t top = i;
      while (top > 0 && is_comment_line(lines_[top - 1])) --top;
      return static_cast<int>(top) + 1;
    }
    return static_cast<int>(lines_.size()) + 1;
  }

 private:
  std::vector<std::string> lines_;
  std::vector<std::pair<int, std::string>> inserts_;
  std::string appended_;
  bool ok_ = true;
};

// The last line that a table's own values take; 0 when it has none.
int last_value_line(const toml::table& table) {
  int last = 0;
  for (auto&& [key, node] : table)
    if (!node.is_table() && !node.is_array_of_tables())
      last = std::max(last, static_cast<int>(node.source().end.line));
  return last;
}

// Makes `table` (a [header] table, not an inline one) hold key = value (value in TOML).
void set_in_table(CastFileEditor& editor, const toml::table& table, const std::string& key,
                  const std::string& value) {
  if (table.is_inline()) return editor.fail();
  if (const toml::node* node = table.get(key)) return editor.replace_value(node->source(), value);
  const int header = static_cast<int>(table.source().begin.line);
  editor.insert_after(std::max(last_value_line(table), header),
                      toml_key(key) + " = " + value + "\n");
}

// Whether node holds what value (in TOML) says: a string or a list of strings.
bool holds(const toml::node* node, const std::string& value) {
  if (node == nullptr) return false;
  if (const auto* text = node->as_string()) return toml_string(text->get()) == value;
  const auto* array = node->as_array();
  if (array == nullptr) return false;
  std::vector<std::string> items;
  for (const toml::node& item : *array) {
    if (!item.is_string()) return false;
    items.push_back(item.as_string()->get());
  }
  return toml_list(items) == value;
}

using Fields = std::vector<std::pair<std::string, std::string>>;  // key -> value in TOML

// The keys of a [reader] or [characters."X"] table that the cast sets.
Fields person_fields(const std::vector<std::string>& aliases, const std::optional<Gender>& gender,
                     const std::string& voice) {
  Fields fields;
  if (!aliases.empty()) fields.emplace_back("aliases", toml_list(aliases));
  if (gender) fields.emplace_back("gender", toml_string(std::string(1, gender_letter(*gender))));
  if (!voice.empty()) fields.emplace_back("voice", toml_string(voice));
  return fields;
}

void set_fields(CastFileEditor& editor, const toml::table& table, const Fields& fields) {
  for (const auto& [key, value] : fields)
    if (!holds(table.get(key), value)) set_in_table(editor, table, key, value);
}

void update_root_key(CastFileEditor& editor, const toml::table& root, const std::string& key,
                     const std::string& value) {
  if (value.empty() || holds(root.get(key), toml_string(value))) return;
  if (const toml::node* node = root.get(key))
    return editor.replace_value(node->source(), toml_string(value));
  const std::string line = key + " = " + toml_string(value) + "\n";
  if (const int after = last_value_line(root); after > 0) return editor.insert_after(after, line);
  const int header = editor.first_header_line();
  editor.insert_after(header - 1, header > 1 ? line : line + "\n");
}

// Appends what cast_file_toml writes for a part of the cast: new tables at the end.
template <typename Write>
void append_written(CastFileEditor& editor, Write write) {
  std::ostringstream out;
  write(out);
  editor.append(out.str());
}

void update_reader(CastFileEditor& editor, const toml::table& root, const ReaderSpec& reader) {
  if (!reader.present) return;
  const toml::table* table = root["reader"].as_table();
  if (table == nullptr)
    return append_written(editor, [&](std::ostream& out) { write_reader(out, reader); });
  Fields fields;
  if (!reader.name.empty()) fields.emplace_back("name", toml_string(reader.name));
  if (!reader.last_name.empty()) fields.emplace_back("last_name", toml_string(reader.last_name));
  for (auto& field : person_fields(reader.aliases, reader.gender, reader.voice))
    fields.push_back(std::move(field));
  set_fields(editor, *table, fields);
}

void update_characters(CastFileEditor& editor, const toml::table& root,
                       const std::vector<CharacterSpec>& wanted) {
  const toml::table* characters = root["characters"].as_table();
  std::vector<CharacterSpec> added;
  for (const CharacterSpec& c : wanted) {
    const toml::table* table = characters ? (*characters)[c.name].as_table() : nullptr;
    if (table == nullptr)
      added.push_back(c);
    else
      set_fields(editor, *table, person_fields(c.aliases, c.gender, c.voice));
  }
  if (characters != nullptr && characters->is_inline() && !added.empty()) editor.fail();
  append_written(editor, [&](std::ostream& out) { write_characters(out, added); });
}

// Pronunciations and pins the file lacks are added; those it has stay as written.
void update_corrections(CastFileEditor& editor, const toml::table& root, const CastFile& cast,
                        const CastFile& before) {
  std::vector<Pronunciation> missing;
  for (const auto& entry : cast.pronounce)
    if (std::find(before.pronounce.begin(), before.pronounce.end(), entry) ==
        before.pronounce.end())
      missing.push_back(entry);
  const toml::table* pronounce = root["pronounce"].as_table();
  if (pronounce != nullptr) {
    for (const auto& [word, saying] : missing)
      set_in_table(editor, *pronounce, word, toml_string(saying));
  } else {
    append_written(editor, [&](std::ostream& out) { write_pronounce(out, missing); });
  }
  std::vector<Pin> pins;
  for (const Pin& pin : cast.pins)
    if (std::none_of(before.pins.begin(), before.pins.end(), [&](const Pin& p) {
          return p.quote == pin.quote && p.speaker == pin.speaker;
        }))
      pins.push_back(pin);
  append_written(editor, [&](std::ostream& out) { write_pins(out, pins); });
}

}  // namespace

std::string cast_file_text_for(const std::string& path, const CastFile& cast) {
  std::error_code ignored;
  if (!fs::is_regular_file(path, ignored)) return cast_file_toml(cast);
  CastFile before;
  toml::table root;
  try {
    before = read_cast_file(path);
    root = TomlFile(path).parse();
  } catch (const InputError&) {
    return cast_file_toml(cast);  // not a cast file: written afresh
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  CastFileEditor editor(text.str());
  update_root_key(editor, root, "narrator", cast.narrator);
  update_root_key(editor, root, "main_character", cast.main_character);
  update_reader(editor, root, cast.reader);
  update_characters(editor, root, cast.characters);
  update_corrections(editor, root, cast, before);
  return editor.ok() ? editor.text() : cast_file_toml(cast);
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
