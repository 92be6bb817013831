// One person under several names: forms of a cast character's name, and shorter forms of a
// fuller name found in the text ("Tom" of "Thomas Ashby"), become one character.
#include <algorithm>

#include "attribution/characters_internal.h"
#include "attribution/name_forms.h"
#include "attribution/word_lists.h"
#include "common/ascii.h"

namespace troupe::characters_internal {

// A given character "Bounderby" with no aliases nor gender, beside a "Mr. Bounderby": the bare
// surname means the man, as it does when troupe finds the names itself.
void redirect_bare_surnames(CharacterTable& table) {
  const int count = static_cast<int>(table.characters.size());
  for (int id = 0; id < count; ++id) {
    const auto& c = table.characters[id];
    if (!c.aliases.empty() || c.gender != Gender::Unknown || c.name.find(' ') != std::string::npos)
      continue;
    int mister = table.find("Mr. " + c.name);
    if (mister >= 0 && mister != id) table.reassign(c.name, mister);
  }
}

// With a cast file the cast is the list of people: a name found in the text that is a form of
// a cast character's name is that character ("Bill" of "Bill Sikes"), and one that fits several
// ("Elliot" of a family of Elliots) is none of them.
void fold_into_cast(CharacterTable& table, int cast_count) {
  for (int id = cast_count; id < static_cast<int>(table.characters.size()); ++id) {
    const auto& c = table.characters[id];
    if (c.is_reader || c.is_first_person || c.is_group) continue;
    if (int fit = only_fit(table, 0, cast_count, c.name); fit != -1) table.merge(id, fit);
  }
  table.remove_merged();
}

namespace {

// Whether every name of the character is one word without a title ("Tom", not "Tom Bertram").
bool goes_by_one_word(const Character& c) {
  auto one_word = [](const std::string& name) {
    auto tokens = tokenize(name);
    return tokens.size() == 1 && !is_person_title(tokens[0].text);
  };
  return one_word(c.name) && std::all_of(c.aliases.begin(), c.aliases.end(), one_word);
}

std::vector<std::string> names_of(const Character& c) {
  std::vector<std::string> names = c.aliases;
  names.insert(names.begin(), c.name);
  return names;
}

// Whether a character of [first, end) other than `a` and `b` goes by a titled name that `form`
// (a's name) can also be ("Mrs. Ashby" beside "Ashby" and "Thomas Ashby": a family's name), or
// the text puts `title` before a full name of that surname ("Mr. John Knightley": "Mr.
// Knightley" is another man).
bool someone_else_titled(const CharacterTable& table, int first, int a, int b,
                         const std::string& form, const std::string& surname,
                         const std::string& title) {
  for (int id = first; id < static_cast<int>(table.characters.size()); ++id) {
    if (table.is_merged(id)) continue;
    for (const auto& name : names_of(table.characters[id])) {
      const auto parts = parse_name(name);
      if (parts.title.empty() || !equals_icase(parts.surname, surname)) continue;
      if (id != a && id != b && is_form_of(form, name, Gender::Unknown)) return true;
      if (!title.empty() && parts.words.size() >= 2 &&
          is_form_of(title + " " + surname, name, Gender::Unknown))
        return true;
    }
  }
  return false;
}

bool is_married_title(const std::string& title) {
  return title == "Mrs." || title == "Mrs" || title == "Missus" || title == "Madame" ||
         title == "Mme.";
}

// Whether `name` is a full name: a given name and a surname, with or without a title.
bool is_full_name(const std::string& name) {
  return is_proper_name(name) && parse_name(name).words.size() >= 2;
}

// Whether a character whose names include a full name cannot be the one called `titled` ("Mr.
// Elliot", "Miss Dashwood"): another title of their surname that does not fit it says so ("Sir
// Walter Elliot" is no "Mr. Elliot"), and so does "Miss" before their given name ("Miss
// Marianne" is a younger sister: "Miss Dashwood" is the eldest, "Lady Bertram" a wife).
bool goes_by_another_title(const Character& other, const NameParts& titled) {
  const bool family_name = gender_of_first_name(titled.surname) == Gender::Unknown;
  const bool miss_or_lady =
      family_name && (equals_icase(titled.title, "Miss") || equals_icase(titled.title, "Lady"));
  for (const auto& name : names_of(other)) {
    const auto parts = parse_name(name);
    if (parts.title.empty()) continue;
    if (miss_or_lady && equals_icase(parts.title, "Miss") && parts.words.size() == 1 &&
        !equals_icase(parts.words[0], titled.surname))
      return true;
    if (parts.words.size() >= 2 && equals_icase(parts.surname, titled.surname) &&
        !is_form_of(titled.title + " " + titled.surname, name, Gender::Unknown))
      return true;
  }
  return false;
}

// The one other character found in the text that character `a` is a shorter form of: "Tom",
// "Ashby" or "Mr. Ashby" of "Thomas Ashby", "Countess Olenska" of an earlier "Madame Olenska";
// -1 if none or several. A surname names no one where someone else goes by it with a title: a
// family shares it.
int fuller_form_of(const CharacterTable& table, int first, int a) {
  const Character& c = table.characters[a];
  const auto parts = parse_name(c.name);
  if (!parts.title.empty() && parts.words.size() >= 2) {
    // "Mr. Frank Churchill" is whoever is called "Frank Churchill"
    std::string untitled;
    for (const auto& w : parts.words) untitled += (untitled.empty() ? "" : " ") + w;
    const int owner = table.find(untitled);
    return owner >= first && owner != a && !table.is_merged(owner) ? owner : -1;
  }
  const bool word = goes_by_one_word(c);
  // "Mr. Crawford" is Henry Crawford, "Miss Crawford" Mary; "Mrs. Crawford" is rather their
  // mother than a woman the text calls by her given name, and "Captain" says no gender.
  const bool titled = !parts.title.empty() && parts.words.size() == 1 &&
                      parts.title_gender != Gender::Unknown && !is_married_title(parts.title);
  if (!word && !titled) return -1;
  int found = -1;
  for (int b = first; b < static_cast<int>(table.characters.size()); ++b) {
    const Character& other = table.characters[b];
    if (b == a || table.is_merged(b) || other.is_reader || other.is_first_person || other.is_group)
      continue;
    if (!is_proper_name(other.name)) continue;
    if (titled && other.gender != parts.title_gender) continue;
    if (titled && goes_by_another_title(other, parts)) continue;
    const auto fuller = [&](const std::string& name) {
      return is_full_name(name) && is_form_of(c.name, name, other.gender) &&
             !(titled && !parse_name(name).title.empty());
    };
    const auto names = names_of(other);
    const auto full = std::find_if(names.begin(), names.end(), fuller);
    bool fits = full != names.end();
    if (fits && (titled || is_surname_of(c.name, *full)) &&
        someone_else_titled(table, first, a, b, c.name, parts.surname, parts.title))
      return -1;
    // one woman of rank under two titles: the earlier name stays
    if (!fits && titled && b < a) {
      const auto own = parse_name(other.name);
      fits = !own.title.empty() && own.title != parts.title &&
             is_form_of(c.name, other.name, c.gender) &&
             is_form_of(other.name, c.name, other.gender);
    }
    if (!fits) continue;
    if (found >= 0) return -1;
    found = b;
  }
  return found;
}

}  // namespace

// How often the story writes `name`: a word alone, a title and name, or two name words.
int times_named(const NameStats& stats, const std::string& name) {
  const auto parts = parse_name(name);
  std::string words;
  for (const auto& w : parts.words) words += (words.empty() ? "" : " ") + w;
  if (!parts.title.empty()) {
    auto it = stats.titled.find({parts.title, words});
    return it == stats.titled.end() ? 0 : it->second;
  }
  if (parts.words.size() == 1)
    return count_of(stats.bare, words) + count_of(stats.bare_initial, words);
  if (parts.words.size() == 2) {
    auto it = stats.full.find({parts.words[0], parts.words[1]});
    return it == stats.full.end() ? 0 : it->second;
  }
  return 0;
}

// The other character called by the untitled full name of one of `a`'s titled full names ("James
// Harthouse" of "Mr. James Harthouse"), or -1.
int untitled_owner(const CharacterTable& table, int first, int a) {
  for (const auto& name : names_of(table.characters[a])) {
    const auto parts = parse_name(name);
    if (parts.title.empty() || parts.words.size() < 2) continue;
    std::string untitled;
    for (const auto& w : parts.words) untitled += (untitled.empty() ? "" : " ") + w;
    const int owner = table.find(untitled);
    if (owner < first || owner == a || table.is_merged(owner)) continue;
    const auto& other = table.characters[owner];
    if (other.is_reader || other.is_first_person || other.is_group) continue;
    // "Mrs. John Dashwood" is his wife
    if (is_form_of(name, untitled, other.gender)) return owner;
  }
  return -1;
}

// One person found under several names is one character, voiced by the fullest name.
void merge_name_forms(CharacterTable& table, int first, const NameStats& stats) {
  // "Mr. James Harthouse" and "James Harthouse" are one man, voiced by the name the story
  // calls him by more often ("Mr. Harthouse", "Edmund").
  for (int a = first; a < static_cast<int>(table.characters.size()); ++a) {
    if (table.is_merged(a)) continue;
    if (int owner = untitled_owner(table, first, a); owner >= 0) {
      const bool owner_named_more = times_named(stats, table.characters[owner].name) >
                                    times_named(stats, table.characters[a].name);
      table.merge(owner_named_more ? a : owner, owner_named_more ? owner : a);
    }
  }
  for (int a = first; a < static_cast<int>(table.characters.size()); ++a) {
    const auto& c = table.characters[a];
    if (c.is_reader || c.is_first_person || c.is_group) continue;
    if (int into = fuller_form_of(table, first, a); into >= 0) {
      table.merge(a, into);
      auto& fuller = table.characters[into];
      if (fuller.gender == Gender::Unknown) fuller.gender = table.characters[a].gender;
    }
  }
  table.remove_merged();
}

}  // namespace troupe::characters_internal
