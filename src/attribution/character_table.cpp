// The table of characters: their names and aliases, and matching them in the text.
#include <algorithm>
#include <cctype>

#include "attribution/characters_internal.h"
#include "attribution/name_forms.h"
#include "attribution/word_lists.h"
#include "common/ascii.h"

namespace troupe {
namespace {

std::string join_lower(const std::vector<Token>& tokens, std::size_t from, std::size_t count) {
  std::string key;
  for (std::size_t k = from; k < from + count; ++k) {
    if (k > from) key += ' ';  // no token is empty
    key += tokens[k].lower;
  }
  return key;
}

}  // namespace

namespace characters_internal {

// A name another can be a form of: "Thomas Ashby", "Mr. Ashby", "Tom"; not "I", "Y/N" nor a
// description ("The Voice", "A Short Stout Woman").
bool is_proper_name(const std::string& name) {
  auto tokens = tokenize(name);
  if (tokens.empty() || tokens.size() > 4) return false;
  if (tokens[0].lower == "the" || tokens[0].lower == "a" || tokens[0].lower == "an") return false;
  bool word = false;
  for (const auto& t : tokens) {
    if (!t.capitalized) return false;
    word = word || (t.text.size() > 1 && !is_person_title(t.text));
  }
  return word;
}

std::vector<std::string> surnames_after(const Character& c, const std::string& given) {
  std::vector<std::string> out;
  for (const auto& name : names_of(c)) {
    const auto parts = parse_name(name);
    if (parts.title.empty() && parts.words.size() >= 2 && is_proper_name(name) &&
        equals_icase(parts.words[0], given))
      out.push_back(parts.surname);
  }
  return out;
}

// only_fit's answer when a form fits more than one character ("Miss Bennet" of two sisters).
constexpr int kSeveral = CharacterTable::kSeveral;

// The one character of [from, to) the text's `form` can name: -1 if none, kSeveral if more than
// one. A name that is a character's own, as written, decides alone.
int only_fit(const CharacterTable& table, int from, int to, const std::string& form) {
  if (int exact = table.find(form); exact >= from && exact < to) return exact;
  int found = -1;
  for (int id = from; id < to; ++id) {
    const auto& c = table.characters[id];
    if (c.is_reader || c.is_group) continue;
    auto fits = [&](const std::string& name) {
      return is_proper_name(name) && is_form_of(form, name, c.gender);
    };
    if (!fits(c.name) && std::none_of(c.aliases.begin(), c.aliases.end(), fits)) continue;
    if (found >= 0) return kSeveral;
    found = id;
  }
  return found;
}

}  // namespace characters_internal

using characters_internal::is_no_named_person;
using characters_internal::is_proper_name;
using characters_internal::only_fit;

int CharacterTable::add(Character character) {
  int id = static_cast<int>(characters.size());
  characters.push_back(character);
  // A title ("The Bailiff" for Mr. Pimlott, "The Mariner") stands for its character however it
  // is written; a description many fit ("The Child", "The Old Woman", "The Doctor") only as
  // the alias of a named character.
  auto words = tokenize(character.name);
  bool common_noun = false;
  if (!words.empty()) gender_of_person_noun(words.back().lower, &common_noun);
  // A cast character called only "Sir" or "Madam" is nobody the text can name: every "Sir,"
  // in a quotation addresses someone else.
  const bool bare_address = words.size() == 1 && is_bare_address(words[0].text);
  if (!bare_address)
    add_alias(id, character.name,
              !words.empty() && !common_noun && !is_generic_person_noun(words.back().lower));
  for (const auto& alias : character.aliases) add_alias(id, alias, /*title_in_any_case=*/true);
  characters[id].aliases = character.aliases;
  return id;
}

int CharacterTable::add_unmatched(Character character) {
  characters.push_back(std::move(character));
  return static_cast<int>(characters.size()) - 1;
}

void CharacterTable::add_alias(int id, const std::string& alias, bool title_in_any_case) {
  auto tokens = tokenize(alias);
  if (tokens.empty()) return;
  // "The Dodo" is written "the Dodo" in running text, "A Canary" "a Canary": the name without
  // its article matches too.
  if (tokens.size() > 1 &&
      (tokens[0].lower == "the" || tokens[0].lower == "a" || tokens[0].lower == "an"))
    add_alias(id, alias.substr(tokens[1].begin), title_in_any_case);
  // "The Warden of Locks" is "the Warden" for short.
  for (std::size_t k = 1; k + 1 < tokens.size(); ++k)
    if (tokens[k].lower == "of") {
      add_alias(id, alias.substr(0, tokens[k - 1].end), title_in_any_case);
      break;
    }
  std::string key = join_lower(tokens, 0, tokens.size());
  if (names_.count(key)) return;  // the first holder keeps a name
  bool any_case = title_in_any_case && tokens.size() > 1 && tokens[0].lower == "the";
  any_case = any_case || std::none_of(alias.begin(), alias.end(), [](char c) {
               return std::isupper(static_cast<unsigned char>(c));
             });
  names_.emplace(key, Entry{id, any_case});
  int& longest = longest_from_[tokens[0].lower];
  longest = std::max(longest, static_cast<int>(tokens.size()));
  auto& aliases = characters[id].aliases;
  if (alias != characters[id].name &&
      std::find(aliases.begin(), aliases.end(), alias) == aliases.end())
    aliases.push_back(alias);
}

std::pair<const CharacterTable::Entry*, int> CharacterTable::entry_at(
    const std::vector<Token>& tokens, std::size_t i) const {
  auto longest = longest_from_.find(tokens[i].lower);
  if (longest == longest_from_.end()) return {nullptr, 0};
  for (int len = std::min<int>(longest->second, static_cast<int>(tokens.size() - i)); len >= 1;
       --len) {
    auto it = names_.find(join_lower(tokens, i, len));
    // A group speaks only where a tag says so: its name in the narration is no mention.
    if (it != names_.end() && (it->second.any_case || tokens[i].capitalized) &&
        (it->second.id == kShared || !characters[it->second.id].is_group))
      return {&it->second, len};
  }
  return {nullptr, 0};
}

std::pair<int, int> CharacterTable::match(const std::vector<Token>& tokens, std::size_t i) const {
  const auto [entry, length] = entry_at(tokens, i);
  if (!entry) return {-1, 0};
  if (entry->id != kShared) return {entry->id, length};
  // A shared name is whom its scene made it; where no scene did, the fallback, if any.
  if (tokens[i].person >= 0) return {tokens[i].person, length};
  const int fallback = shared_.at(join_lower(tokens, i, length)).fallback;
  return fallback >= 0 ? std::pair{fallback, length} : std::pair{-1, 0};
}

void CharacterTable::share(const std::string& name, std::vector<int> ids, int fallback) {
  auto tokens = tokenize(name);
  if (tokens.empty() || ids.size() < 2) return;
  const std::string key = join_lower(tokens, 0, tokens.size());
  bool any_case = std::none_of(name.begin(), name.end(),
                               [](char c) { return std::isupper(static_cast<unsigned char>(c)); });
  names_[key] = Entry{kShared, any_case};
  shared_[key] = SharedName{std::move(ids), fallback, 0};
  int& longest = longest_from_[tokens[0].lower];
  longest = std::max(longest, static_cast<int>(tokens.size()));
}

std::optional<CharacterTable::SharedName> CharacterTable::shared_at(
    const std::vector<Token>& tokens, std::size_t i) const {
  const auto [entry, length] = entry_at(tokens, i);
  if (!entry || entry->id != kShared) return std::nullopt;
  SharedName found = shared_.at(join_lower(tokens, i, length));
  found.length = length;
  return found;
}

std::pair<int, int> CharacterTable::match_description(const std::vector<Token>& tokens,
                                                      std::size_t i) const {
  if (i + 1 >= tokens.size()) return {-1, 0};
  const std::string& article = tokens[i].lower;
  if (article != "the" && article != "a" && article != "an") return {-1, 0};
  auto longest = longest_from_.find("the");
  int most = longest == longest_from_.end() ? 0 : longest->second;
  if (auto other = longest_from_.find(article); other != longest_from_.end())
    most = std::max(most, other->second);
  for (int len = std::min<int>(most, static_cast<int>(tokens.size() - i)); len >= 2; --len) {
    // "the child", "a man" alone describe anyone: a modifier or a noun of office is needed.
    if (len == 2 && is_generic_person_noun(tokens[i + 1].lower)) continue;
    std::string rest = join_lower(tokens, i + 1, len - 1);
    auto it = names_.find(article + " " + rest);
    if (it == names_.end() && article != "the" && len >= 3) it = names_.find("the " + rest);
    if (it != names_.end() && it->second.id >= 0 && !characters[it->second.id].is_group)
      return {it->second.id, len};
  }
  return {-1, 0};
}

int CharacterTable::find(const std::string& name) const {
  auto tokens = tokenize(name);
  if (tokens.empty()) return -1;
  auto it = names_.find(join_lower(tokens, 0, tokens.size()));
  return it == names_.end() || it->second.id == kShared ? -1 : it->second.id;
}

int CharacterTable::find_person(const std::string& name) {
  if (int exact = find(name); exact >= 0) return exact;
  if (auto tokens = tokenize(name); !tokens.empty())
    if (auto it = names_.find(join_lower(tokens, 0, tokens.size()));
        it != names_.end() && it->second.id == kShared)
      return kSeveral;
  const int fit = form_owner(name);
  if (fit >= 0) add_alias(fit, name);
  return fit;
}

int CharacterTable::form_owner(const std::string& name) const {
  if (cast_count > 0) return only_fit(*this, 0, cast_count, name);
  // Blind: "Janey" of "Janey Ashby", "Janey Ashby" of "Janey", the character voiced by that
  // name without a title; a surname alone only as the one family name of one character.
  const auto parts = parse_name(name);
  if (!parts.title.empty() || parts.words.empty()) return -1;
  if (parts.words.size() == 1)
    if (int owner = only_surname_owner(name); owner >= 0) return owner;
  int found = -1;
  for (int id = 0; id < static_cast<int>(characters.size()); ++id) {
    const auto& c = characters[id];
    if (is_no_named_person(c) || !is_proper_name(c.name)) continue;
    const auto own = parse_name(c.name);
    if (!own.title.empty() || !equals_icase(own.words[0], parts.words[0])) continue;
    if (!is_form_of(name, c.name, c.gender) && !is_form_of(c.name, name, c.gender)) continue;
    if (found >= 0) return -1;
    found = id;
  }
  return found;
}

// "Small" of "Jonathan Small": the one character any of whose names ends in that surname, titled
// or not; -1 if none or several (a family: "Ashby" of "Thomas Ashby" and "Mrs. Ashby"), or if
// another character may be called so by a given name ("Morgan" of "Morgan Lloyd" beside "Thomas
// Morgan"; "Sir Walter", "Uncle Ambrose", whose titles take a given name).
int CharacterTable::only_surname_owner(const std::string& surname) const {
  int found = -1;
  for (int id = 0; id < static_cast<int>(characters.size()); ++id) {
    const auto& c = characters[id];
    if (is_no_named_person(c)) continue;
    bool owns = false, given = false;
    for (const std::string& n : characters_internal::names_of(c)) {
      if (!is_proper_name(n)) continue;
      const auto own = parse_name(n);
      if (own.words.empty()) continue;
      const bool by_given_title = !own.title.empty() && title_takes_given_name(own.title);
      given =
          given || (own.words.size() + (by_given_title ? 1 : 0) >= 2 &&
                    (own.title.empty() || by_given_title) && equals_icase(own.words[0], surname));
      owns = owns || (!(by_given_title && own.words.size() == 1) &&
                      own.words.size() + (own.title.empty() ? 0 : 1) >= 2 &&
                      equals_icase(own.surname, surname));
    }
    if (!owns && !given) continue;
    if (found >= 0 || !owns) return -1;
    found = id;
  }
  return found;
}

void CharacterTable::reassign(const std::string& name, int id) {
  auto tokens = tokenize(name);
  if (tokens.empty()) return;
  const std::string key = join_lower(tokens, 0, tokens.size());
  auto it = names_.find(key);
  if (it == names_.end()) return;
  it->second.id = id;
  shared_.erase(key);
}

void CharacterTable::merge(int from, int into) {
  if (from == into) return;
  merged_.resize(characters.size(), false);
  merged_[from] = true;
  for (auto& [key, shared] : shared_) {
    std::replace(shared.ids.begin(), shared.ids.end(), from, into);
    if (shared.fallback == from) shared.fallback = into;
  }
  if (into < 0) return;  // its names name nobody
  for (auto& [key, entry] : names_)
    if (entry.id == from) entry.id = into;
  auto& aliases = characters[into].aliases;
  std::vector<std::string> names = characters[from].aliases;
  names.insert(names.begin(), characters[from].name);
  for (const auto& name : names)
    if (name != characters[into].name &&
        std::find(aliases.begin(), aliases.end(), name) == aliases.end())
      aliases.push_back(name);
}

void CharacterTable::remove_merged() {
  merged_.resize(characters.size(), false);
  std::vector<int> new_id(characters.size(), -1);
  std::vector<Character> kept;
  for (std::size_t id = 0; id < characters.size(); ++id)
    if (!merged_[id]) {
      new_id[id] = static_cast<int>(kept.size());
      kept.push_back(std::move(characters[id]));
    }
  characters = std::move(kept);
  for (auto it = names_.begin(); it != names_.end();) {
    if (it->second.id == kShared) {
      ++it;
      continue;
    }
    int id = new_id[it->second.id];
    if (id < 0) {
      it = names_.erase(it);
      continue;
    }
    it->second.id = id;
    ++it;
  }
  renumber_shared(new_id);
  merged_.assign(characters.size(), false);
}

// The sharers of every shared name under their new indices; a name left to one sharer is
// theirs alone, and one left to nobody names nobody.
void CharacterTable::renumber_shared(const std::vector<int>& new_id) {
  for (auto it = shared_.begin(); it != shared_.end();) {
    auto& shared = it->second;
    std::vector<int> kept;
    for (int id : shared.ids)
      if (id >= 0 && new_id[id] >= 0 &&
          std::find(kept.begin(), kept.end(), new_id[id]) == kept.end())
        kept.push_back(new_id[id]);
    shared.ids = std::move(kept);
    shared.fallback = shared.fallback >= 0 ? new_id[shared.fallback] : -1;
    if (shared.ids.size() >= 2) {
      ++it;
      continue;
    }
    if (shared.ids.empty())
      names_.erase(it->first);
    else
      names_[it->first].id = shared.ids[0];
    it = shared_.erase(it);
  }
}

}  // namespace troupe
