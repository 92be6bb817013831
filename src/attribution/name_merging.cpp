// One person under several names: forms of a cast character's name, and shorter forms of a
// fuller name found in the text ("Tom" of "Thomas Ashby"), become one character.
#include <algorithm>
#include <cctype>
#include <map>

#include "attribution/characters_internal.h"
#include "attribution/name_forms.h"
#include "attribution/word_lists.h"
#include "common/ascii.h"

namespace troupe::characters_internal {

// A given character "Gribble" with no aliases nor gender, beside a "Mr. Gribble": the bare
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

namespace {

// Whether `bare` ("Rollo", "Short", "Mr. Radley": a name of one word, after a man's title if
// any) is written as a word of the fuller name `full`: its first word when untitled, or its
// surname, as written ("Nell" is no word of "Nell's Sister" nor of "Nell’s Cat").
bool is_word_of_full_name(const NameParts& bare, const std::string& full) {
  const auto parts = parse_name(full);
  if (parts.words.size() < 2 || !is_proper_name(full)) return false;
  // "Short, Dark, Brisk Man" describes a man: no name of his.
  bool person_noun = false;
  gender_of_person_noun(lower_ascii(parts.words.back()), &person_noun);
  if (person_noun) return false;
  const std::string& word = bare.words[0];
  const auto tokens = tokenize(full);
  const std::size_t title_tokens = tokens.size() - parts.words.size();
  const auto written = [&](std::size_t at) {
    return equals_icase(word, parts.words[at]) && title_tokens + at < tokens.size() &&
           !tokens[title_tokens + at].possessive;
  };
  if (written(parts.words.size() - 1)) return true;
  return bare.title.empty() && parts.title.empty() && written(0);
}

// Whether a fuller name of the woman `d` can take the name `bare` of a character whose gender
// the cast left open: only a title says so ("Miss Dacre"); a surname alone ("Dacre" beside
// "Edith Dacre") is how a man is called.
bool may_be_hers(const NameParts& bare, Gender bare_gender, const Character& d) {
  return bare_gender != Gender::Unknown || d.gender != Gender::Female || !bare.title.empty();
}

// The one cast character other than `id` that a fuller name of fits `bare`: -1 if none,
// CharacterTable::kSeveral if more than one. `full` gets the fuller name.
int fuller_cast_owner(const CharacterTable& table, int id, const NameParts& bare,
                      std::string& full) {
  const Gender gender = table.characters[id].gender;
  int found = -1;
  for (int other = 0; other < table.cast_count; ++other) {
    const auto& d = table.characters[other];
    if (other == id || is_no_named_person(d)) continue;
    if (gender != Gender::Unknown && gender != d.gender) continue;
    if (!may_be_hers(bare, gender, d)) continue;
    const auto names = names_of(d);
    const auto fits = std::find_if(names.begin(), names.end(), [&](const std::string& n) {
      return is_word_of_full_name(bare, n);
    });
    if (fits == names.end()) continue;
    if (found >= 0) return CharacterTable::kSeveral;
    found = other;
    full = *fits;
  }
  return found;
}

// A word as a name is compared: lower case, without a title's full stop ("Mr" of "Mr.").
std::string name_word(const Token& t) {
  std::string w = t.lower;
  if (!w.empty() && w.back() == '.') w.pop_back();
  return w;
}

// Where `name` is written in the narration of `tokens` (the even `stretches`: outside the
// quotations) as whole words, capitalised as in it ("Short", not "short"): the index of each
// first word.
std::vector<std::size_t> narrated_at(const std::vector<Token>& tokens,
                                     const std::vector<int>& stretches,
                                     const std::vector<Token>& name) {
  std::vector<std::size_t> at;
  for (std::size_t i = 0; !name.empty() && i + name.size() <= tokens.size(); ++i) {
    std::size_t k = 0;
    while (k < name.size() && stretches[i + k] % 2 == 0 &&
           tokens[i + k].capitalized == name[k].capitalized &&
           name_word(tokens[i + k]) == name_word(name[k]))
      ++k;
    if (k == name.size()) at.push_back(i);
  }
  return at;
}

// Whether the narration tells `bare` ("Mr. Corwen") from the fuller name `full` ("Orrin
// Corwen"): a paragraph writes the bare name before the full one (the full name brings in someone
// not named yet: "Mr. Corwen sat with his son Orrin Corwen"). What the speakers say tells
// nothing: "Ann, my brother, and Mr. Pettigrew!" before the narration's "John Pettigrew" are one
// man.
bool text_tells_apart(const Story& story, const NameParts& bare, const std::string& full) {
  const auto bare_name = tokenize((bare.title.empty() ? "" : bare.title + " ") + bare.words[0]);
  const auto full_name = tokenize(full);
  for (const auto& chapter : story.chapters)
    for (const auto& p : chapter.paragraphs) {
      if (p.kind != ParagraphKind::Text) continue;
      const auto tokens = tokenize(p.text);
      const auto stretches = stretches_of(p, tokens);
      const auto fulls = narrated_at(tokens, stretches, full_name);
      if (fulls.empty()) continue;
      for (std::size_t at : narrated_at(tokens, stretches, bare_name))
        if (at + bare_name.size() <= fulls.front()) return true;
    }
  return false;
}

}  // namespace

void yield_bare_forms(const Story& story, CharacterTable& table) {
  for (int id = 0; id < table.cast_count; ++id) {
    const auto& c = table.characters[id];
    if (!c.aliases.empty() || is_no_named_person(c)) continue;
    // "Mrs. Moorcroft" beside "Harriet Moorcroft" is her mother, "Miss Ashdown" the eldest
    // daughter: only a man's title, or none, names the one fuller character.
    const auto parts = parse_name(c.name);
    if (parts.words.size() != 1 || !is_proper_name(c.name)) continue;
    if (!parts.title.empty() && parts.title_gender != Gender::Male) continue;
    std::string full;
    const int owner = fuller_cast_owner(table, id, parts, full);
    if (owner >= 0 && !text_tells_apart(story, parts, full)) table.reassign(c.name, owner);
  }
}

// Whether the cast calls `c` by `given` and a surname: "John Beckett" of "John".
bool cast_name_starts_with(const Character& c, const std::string& given) {
  const auto parts = parse_name(c.name);
  return parts.title.empty() && parts.words.size() >= 2 && is_proper_name(c.name) &&
         equals_icase(parts.words[0], given);
}

// "John" the cast gives John Beckett beside a cast "John Andrew": an alias of one word that
// is the given name of the cast names of its owner and of others is shared by them, the alias's
// owner where no scene says otherwise. A full name among another's aliases ("Tom Pinchard" of
// the father beside a "Young Thomas" called "Tom") leaves the alias to its owner.
void share_cast_given_names(CharacterTable& table) {
  const int cast = table.cast_count;
  for (int id = 0; id < cast; ++id) {
    const auto& c = table.characters[id];
    if (is_no_named_person(c)) continue;
    for (const auto& alias : c.aliases) {
      const auto parts = parse_name(alias);
      if (!parts.title.empty() || parts.words.size() != 1 || table.find(alias) != id ||
          !cast_name_starts_with(c, parts.words[0]))
        continue;
      std::vector<int> ids{id};
      for (int other = 0; other < cast; ++other) {
        const auto& d = table.characters[other];
        if (other != id && !is_no_named_person(d) && cast_name_starts_with(d, parts.words[0]))
          ids.push_back(other);
      }
      table.share(alias, ids, id);
    }
  }
}

void give_unowned_given_names(CharacterTable& table, const NameStats& stats) {
  std::map<std::string, std::vector<int>> starting;  // given name -> cast names it starts
  for (int id = 0; id < table.cast_count; ++id) {
    const auto& c = table.characters[id];
    if (is_no_named_person(c)) continue;
    const auto parts = parse_name(c.name);
    if (!parts.words.empty() && cast_name_starts_with(c, parts.words[0]))
      starting[parts.words[0]].push_back(id);
  }
  for (const auto& [given, ids] : starting) {
    if (ids.size() < 2 || table.find(given) >= 0 || table.shared_at(tokenize(given), 0)) continue;
    std::vector<int> husbands;
    for (int id : ids)
      if (is_husbands_name(stats, {given, parse_name(table.characters[id].name).surname}))
        husbands.push_back(id);
    if (husbands.size() == 1)
      table.add_alias(husbands[0], given);
    else
      table.share(given, ids, -1);
  }
}

// With a cast file the cast is the list of people: a name found in the text that is a form of
// a cast character's name is that character ("Bill" of "Bill Tuck"), and one that fits several
// ("Ashdown" of a family of Ashdowns) is none of them.
void fold_into_cast(CharacterTable& table, int cast_count) {
  for (int id = cast_count; id < static_cast<int>(table.characters.size()); ++id) {
    const auto& c = table.characters[id];
    if (is_no_named_person(c)) continue;
    if (int fit = only_fit(table, 0, cast_count, c.name); fit != -1) table.merge(id, fit);
  }
  table.remove_merged();
}

namespace {

// How many paragraphs tell the two brothers apart before the younger's full name counts as
// another man's.
constexpr int kToldApartMin = 3;

// Whether `text` holds `words` as whole words from `at` on: the offset, or npos.
std::size_t find_words(const std::string& text, const std::string& words, std::size_t at = 0) {
  const auto is_letter = [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; };
  for (at = text.find(words, at); at != std::string::npos; at = text.find(words, at + 1)) {
    const std::size_t end = at + words.size();
    if ((at == 0 || !is_letter(text[at - 1])) && (end == text.size() || !is_letter(text[end])))
      return at;
  }
  return std::string::npos;
}

// The sentence of `text` around the offset `at`.
std::string sentence_around(const std::string& text, std::size_t at) {
  const std::size_t before = text.find_last_of(".!?", at);
  const std::size_t start = before == std::string::npos ? 0 : before + 1;
  const std::size_t end = text.find_first_of(".!?", at);
  return text.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

// Whether the narration speaks of several daughters of the family ("the two Miss Penroses", "the
// elder Miss Penrose"): then plain "Miss Penrose" is the eldest, and "Miss Clara Penrose" a younger
// sister, however seldom the two names meet in a paragraph. A sentence that names the sister
// `given` beside it ("Clara was the elder Miss Penrose") may say she is the eldest: no evidence.
bool names_sisters(const Story& story, const std::string& title, const std::string& surname,
                   const std::string& given) {
  if (!equals_icase(title, "Miss")) return false;
  const std::string bare = title + " " + surname;
  std::vector<std::string> phrases;
  for (const auto& plural : family_plurals(surname)) phrases.push_back(title + " " + plural);
  for (const char* rank : {"elder ", "eldest ", "younger ", "youngest "})
    phrases.push_back(rank + bare);
  for (const auto& chapter : story.chapters)
    for (const auto& p : chapter.paragraphs) {
      if (p.kind != ParagraphKind::Text) continue;
      for (const auto& phrase : phrases)
        for (auto at = find_words(p.text, phrase); at != std::string::npos;
             at = find_words(p.text, phrase, at + 1))
          if (find_words(sentence_around(p.text, at), given) == std::string::npos) return true;
    }
  return false;
}

}  // namespace

std::set<std::string> sister_surnames(const Story& story,
                                      const std::vector<Character>& characters) {
  std::set<std::string> bare, sisters;
  for (const auto& c : characters)
    for (const auto& name : names_of(c)) {
      const auto parts = parse_name(name);
      if (equals_icase(parts.title, "Miss") && parts.words.size() == 1)
        bare.insert(lower_ascii(parts.surname));
    }
  for (const auto& c : characters)
    for (const auto& name : names_of(c)) {
      const auto parts = parse_name(name);
      if (equals_icase(parts.title, "Miss") && parts.words.size() >= 2 &&
          bare.count(lower_ascii(parts.surname)) &&
          names_sisters(story, "Miss", parts.surname, parts.words.front()))
        sisters.insert(lower_ascii(parts.surname));
    }
  return sisters;
}

void count_told_apart(const Story& story, NameStats& stats) {
  for (const auto& [key, count] : stats.titled) {
    const auto& [title, name] = key;
    const auto space = name.find(' ');
    if (space == std::string::npos) continue;
    const std::string surname = name.substr(space + 1);
    if (!stats.titled.count({title, surname})) continue;
    if (names_sisters(story, title, surname, name.substr(0, space))) {
      stats.told_apart[key] = kToldApartMin;
      continue;
    }
    if (count < 2) continue;
    const std::string full = title + " " + name;
    const std::string bare = title + " " + surname;
    int paragraphs = 0;
    for (const auto& chapter : story.chapters)
      for (const auto& p : chapter.paragraphs)
        if (p.kind == ParagraphKind::Text && find_words(p.text, full) != std::string::npos &&
            find_words(p.text, bare) != std::string::npos)
          ++paragraphs;
    if (paragraphs > 0) stats.told_apart[key] = paragraphs;
  }
}

bool is_told_apart(const NameStats& stats, const std::string& title, const std::string& name) {
  const auto it = stats.told_apart.find({title, name});
  return it != stats.told_apart.end() && it->second >= kToldApartMin;
}

int times_named(const NameStats& stats, const std::string& name);

namespace {

// Whether every name of the character is one word without a title ("Tom", not "Tom Penrose").
bool goes_by_one_word(const Character& c) {
  auto one_word = [](const std::string& name) {
    auto tokens = tokenize(name);
    return tokens.size() == 1 && !is_person_title(tokens[0].text);
  };
  return one_word(c.name) && std::all_of(c.aliases.begin(), c.aliases.end(), one_word);
}

// A name's words without its title: "John Hollis" of "Mr. John Hollis".
std::string untitled_words(const NameParts& parts) {
  std::string out;
  for (const auto& w : parts.words) out += (out.empty() ? "" : " ") + w;
  return out;
}

// Whether a character of [first, end) other than `a` and `b` goes by a titled name that `form`
// (a's name) can also be ("Mrs. Ashby" beside "Ashby" and "Thomas Ashby": a family's name), or
// the text puts `title` before a full name of that surname ("Mr. John Hollis": "Mr.
// Hollis" is another man), unless that full name is b's own and the text never tells it
// apart from the title and surname (is_told_apart: "Miss Clara Penrose" is the "Miss Penrose" of
// a story that never sets the two names side by side).
bool someone_else_titled(const CharacterTable& table, int first, int a, int b,
                         const std::string& form, const std::string& surname,
                         const std::string& title, const NameStats& stats) {
  for (int id = first; id < static_cast<int>(table.characters.size()); ++id) {
    if (table.is_merged(id)) continue;
    for (const auto& name : names_of(table.characters[id])) {
      const auto parts = parse_name(name);
      if (parts.title.empty() || !equals_icase(parts.surname, surname)) continue;
      const bool told_apart = is_told_apart(stats, parts.title, untitled_words(parts));
      // a younger sister ("Miss Clara Penrose" beside "the Miss Penroses") is no "Miss Penrose"
      if (id != b && told_apart && equals_icase(title, "Miss") && equals_icase(parts.title, "Miss"))
        continue;
      // "General Fenwick" kept apart from the family's "Mr. Fenwick" by discovery is no rival
      if (id != a && id != b && is_form_of(form, name, Gender::Unknown) &&
          is_military_rank(title) == is_military_rank(parts.title))
        return true;
      if (id == b && !told_apart) continue;
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

// Whether the story writes "Miss" and `given` before a surname other than `surname` ("Miss
// Clara Ward" beside the Penroses' Clara): that "Miss Clara" is rather the other family's.
bool miss_given_of_other_family(const NameStats& stats, const std::string& given,
                                const std::string& surname) {
  // Compared exactly, not with equals_icase: stats.titled is keyed and ordered by the title as
  // the story writes it, so lower_bound reaches only the "Miss" keys, as the file's other
  // look-ups in it (find, count) match the title as written.
  for (auto it = stats.titled.lower_bound({"Miss", given + " "});
       it != stats.titled.end() && it->first.first == "Miss" &&
       it->first.second.starts_with(given + " ");
       ++it) {
    const auto parts = parse_name("Miss " + it->first.second);
    if (parts.words.size() == 2 && !equals_icase(parts.surname, surname)) return true;
  }
  return false;
}

// Whether a character whose names include a full name cannot be the one called `titled` ("Mr.
// Ashdown", "Miss Hartwell"): another title of their surname that does not fit it says so ("Sir
// Roger Ashdown" is no "Mr. Ashdown"), and so does "Miss" before their given name ("Miss
// Clara" is a younger sister: "Miss Hartwell" is the eldest, "Lady Penrose" a wife), unless
// the story writes that "Miss" and given name before another family's surname.
bool goes_by_another_title(const Character& other, const NameParts& titled,
                           const NameStats& stats) {
  const bool family_name = gender_of_first_name(titled.surname) == Gender::Unknown;
  const bool miss_or_lady =
      family_name && (equals_icase(titled.title, "Miss") || equals_icase(titled.title, "Lady"));
  for (const auto& name : names_of(other)) {
    const auto parts = parse_name(name);
    if (parts.title.empty()) continue;
    if (miss_or_lady && equals_icase(parts.title, "Miss") && parts.words.size() == 1 &&
        !equals_icase(parts.words[0], titled.surname) &&
        !(equals_icase(titled.title, "Miss") &&
          miss_given_of_other_family(stats, parts.words[0], titled.surname)))
      return true;
    if (parts.words.size() >= 2 && equals_icase(parts.surname, titled.surname) &&
        !is_form_of(titled.title + " " + titled.surname, name, Gender::Unknown))
      return true;
  }
  return false;
}

// Whether a title before someone's given name ranks them above pet names: "Sir Edward" is not
// the "Ned" of the story (his son is), "Lady Margaret" not its "Peggy". "Miss" and "Master",
// the titles of the young, are no such sign.
bool titled_by_rank(const Character& c) {
  for (const auto& name : names_of(c)) {
    const auto parts = parse_name(name);
    if (!parts.title.empty() && title_takes_given_name(parts.title) &&
        !equals_icase(parts.title, "Miss") && !equals_icase(parts.title, "Master"))
      return true;
  }
  return false;
}

// Whether `a` and `b`, each called by one word, go by full names of that word and two surnames
// ("Betsy Smith" and "Elizabeth Sotherby"): two families, two people.
bool other_family(const Character& a, const Character& b) {
  for (const auto& x : surnames_after(a, a.name))
    for (const auto& y : surnames_after(b, b.name))
      if (!equals_icase(x, y)) return true;
  return false;
}

// Whether a character called by one word also goes by that word with a surname ("Nan
// Gribble"): a full name of their own, which the rules for full names weigh.
bool has_full_name(const Character& c) {
  return std::any_of(c.aliases.begin(), c.aliases.end(), [&](const std::string& alias) {
    const auto parts = parse_name(alias);
    return parts.title.empty() && parts.words.size() >= 2 && equals_icase(parts.words[0], c.name);
  });
}

// Whether the one-word `form` is a short form of the given name `name` goes by alone ("Betsy"
// of "Elizabeth"): the table's rows, full form first.
bool short_of_given_name(const std::string& form, const std::string& name) {
  const auto parts = parse_name(name);
  return parts.title.empty() && parts.words.size() == 1 && is_short_form_of(form, parts.words[0]);
}

// Whether `name` is a married woman's title before her own full name ("Mrs. Martha Brackett"), and
// `form` the same title before her given name or her surname ("Mrs. Martha", "Mrs. Brackett"). A
// man's given name says the name is her husband's ("Mrs. John Hartwell"): no fit.
bool married_short_form(const NameParts& form, const std::string& name) {
  const auto full = parse_name(name);
  if (full.words.size() != 2 || !equals_icase(full.title, form.title)) return false;
  if (gender_of_first_name(full.words[0]) != Gender::Female) return false;
  return equals_icase(form.words[0], full.words[0]) || equals_icase(form.words[0], full.surname);
}

// The one other character that goes by a married woman's title before her full name, of which
// character `a`'s name is that title before her given name or surname: "Mrs. Brackett" and "Mrs.
// Martha" of "Mrs. Martha Brackett"; -1 if none or several.
int married_full_name_of(const CharacterTable& table, int first, int a) {
  const Character& c = table.characters[a];
  const auto parts = parse_name(c.name);
  if (!is_married_title(parts.title) || parts.words.size() != 1) return -1;
  int found = -1;
  for (int b = first; b < static_cast<int>(table.characters.size()); ++b) {
    if (b == a || table.is_merged(b)) continue;
    const auto names = names_of(table.characters[b]);
    if (std::none_of(names.begin(), names.end(),
                     [&](const std::string& name) { return married_short_form(parts, name); }))
      continue;
    if (found >= 0) return -1;
    found = b;
  }
  return found;
}

// A character another's name is a shorter form of, and that fuller name of theirs.
struct FullerForm {
  int id;
  std::string name;
};

// Whether `name`, a title before the full name `untitled` (`parts`), is the person called
// `untitled` (of gender `gender`): the title must fit them. A known gender decides, whatever
// the given name says ("Mrs. Charlie Ashby" of the woman Charlie Ashby); only an unknown one
// leaves it to the given name ("Mrs. John Hollis" is his wife).
bool titled_full_name_fits(const std::string& name, const NameParts& parts,
                           const std::string& untitled, Gender gender) {
  if (parts.title_gender != Gender::Unknown && gender != Gender::Unknown)
    return gender == parts.title_gender;
  return is_form_of(name, untitled, gender);
}

// The other characters found in the text that character `a` is a shorter form of: "Tom",
// "Ashby" or "Mr. Ashby" of "Thomas Ashby", "Countess Olenska" of an earlier "Madame Olenska";
// none if a surname names no one: where someone else goes by it with a title, a family shares
// it. A pet name said alone ("Betsy") is the one person who goes by its full given name alone
// ("Elizabeth") and is said by it more often (`stats`).
std::vector<FullerForm> fuller_forms_of(const CharacterTable& table, int first, int a,
                                        const NameStats& stats) {
  const Character& c = table.characters[a];
  const auto parts = parse_name(c.name);
  if (!parts.title.empty() && parts.words.size() >= 2) {
    // "Mr. Frank Cardew" is whoever is called "Frank Cardew"; "Mrs. John Hollis" is
    // not "John Hollis" but his wife (is_form_of: a woman's title before a man's name).
    std::string untitled;
    for (const auto& w : parts.words) untitled += (untitled.empty() ? "" : " ") + w;
    const int owner = table.find(untitled);
    if (owner >= first && owner != a && !table.is_merged(owner) &&
        titled_full_name_fits(c.name, parts, untitled, table.characters[owner].gender))
      return {{owner, untitled}};
    return {};
  }
  const bool word = goes_by_one_word(c);
  // called by one word, whatever else the text put beside it ("Dearest Betsy", "Bruin Party")
  const bool one_word = parts.title.empty() && parts.words.size() == 1;
  // "Mr. Radley" is Henry Radley, "Miss Radley" Mary; "Mrs. Radley" is rather their
  // mother than a woman the text calls by her given name, and "Captain" says no gender.
  const bool titled = !parts.title.empty() && parts.words.size() == 1 &&
                      parts.title_gender != Gender::Unknown && !is_married_title(parts.title);
  if (!one_word && !titled) return {};
  std::vector<FullerForm> found;
  for (int b = first; b < static_cast<int>(table.characters.size()); ++b) {
    const Character& other = table.characters[b];
    if (b == a || table.is_merged(b) || is_no_named_person(other)) continue;
    if (!is_proper_name(other.name)) continue;
    // "Mr Dunlop" of "Jory Dunlop", whose rare given name says no gender, when the title is
    // a man's and the rarer name; a wife called by the husband's name ("Nan Gribble") is
    // called by her given name less often than he by his title.
    if (titled && other.gender != parts.title_gender &&
        (other.gender != Gender::Unknown || parts.title_gender != Gender::Male ||
         times_named(stats, c.name) >= times_named(stats, other.name)))
      continue;
    if (titled && goes_by_another_title(other, parts, stats)) continue;
    const bool pet_name = one_word && !titled_by_rank(other) && !has_full_name(c) &&
                          !other_family(c, other) &&
                          (c.gender == Gender::Unknown || other.gender == Gender::Unknown ||
                           c.gender == other.gender);
    const auto fuller = [&](const std::string& name) {
      // a pet name said more often than the full name is rather its own person's (the son's
      // "Tom" beside his father's "Thomas")
      if (pet_name && short_of_given_name(c.name, name) &&
          times_named(stats, c.name) < times_named(stats, name))
        return true;
      return (word || titled) && is_full_name(name) && is_form_of(c.name, name, other.gender) &&
             !(titled && !parse_name(name).title.empty());
    };
    const auto names = names_of(other);
    const auto full = std::find_if(names.begin(), names.end(), fuller);
    bool fits = full != names.end();
    if (fits && (titled || is_surname_of(c.name, *full)) &&
        someone_else_titled(table, first, a, b, c.name, parts.surname, parts.title, stats))
      return {};
    // one woman of rank under two titles: the earlier name stays
    if (!fits && titled && b < a) {
      const auto own = parse_name(other.name);
      fits = !own.title.empty() && own.title != parts.title &&
             is_form_of(c.name, other.name, c.gender) &&
             is_form_of(other.name, c.name, other.gender);
    }
    if (!fits) continue;
    found.push_back({b, full != names.end() ? *full : other.name});
  }
  return found;
}

// The one other character `a` is a shorter form of (fuller_forms_of), or -1.
int fuller_form_of(const CharacterTable& table, int first, int a, const NameStats& stats) {
  const auto found = fuller_forms_of(table, first, a, stats);
  return found.size() == 1 ? found[0].id : -1;
}

// "John" beside "John Beckett" and "John Andrew": a given name said alone that is the first
// word of the full names of several characters is theirs to share, each time whose its scene
// makes it. The sharers are those full names' characters, `a` among them if it goes by one of
// them itself. A surname a family shares decides nothing alone.
std::vector<int> given_name_sharers(const CharacterTable& table, int first, int a,
                                    const NameStats& stats) {
  const Character& c = table.characters[a];
  const auto parts = parse_name(c.name);
  if (!parts.title.empty() || parts.words.size() != 1) return {};
  const std::string& given = parts.words[0];
  std::vector<int> ids;
  if (goes_by_one_word(c)) {
    for (const auto& form : fuller_forms_of(table, first, a, stats)) {
      const auto full = parse_name(form.name);
      if (!full.title.empty() || full.words.size() < 2 || !equals_icase(full.words[0], given))
        return {};
      ids.push_back(form.id);
    }
    return ids.size() >= 2 ? ids : std::vector<int>{};
  }
  // "Sir John" goes by his given name: a "John" said alone beside him is his.
  const auto own = surnames_after(c, given);
  if (own.empty() || gender_of_first_name(given) == Gender::Unknown || titled_by_rank(c)) return {};
  ids.push_back(a);
  for (int b = first; b < static_cast<int>(table.characters.size()); ++b) {
    const Character& other = table.characters[b];
    if (b == a || table.is_merged(b) || is_no_named_person(other)) continue;
    const auto theirs = surnames_after(other, given);
    if (std::any_of(theirs.begin(), theirs.end(), [&](const std::string& surname) {
          return std::none_of(own.begin(), own.end(),
                              [&](const std::string& x) { return equals_icase(x, surname); });
        }))
      ids.push_back(b);
  }
  return ids.size() >= 2 ? ids : std::vector<int>{};
}

// Character `a`, called by a given name it now shares, is voiced by its full name said most
// often ("John Andrew"); the given name is no alias of its own any more.
void rename_by_full_name(CharacterTable& table, int a, const NameStats& stats) {
  Character& c = table.characters[a];
  const std::string given = c.name;
  std::string best;
  for (const auto& name : c.aliases) {
    const auto parts = parse_name(name);
    if (!parts.title.empty() || parts.words.size() < 2 || !is_proper_name(name) ||
        !equals_icase(parts.words[0], given))
      continue;
    if (best.empty() || times_named(stats, name) > times_named(stats, best)) best = name;
  }
  if (best.empty()) return;
  std::erase(c.aliases, best);
  c.name = best;
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
// Wexley" of "Mr. James Wexley"), or -1.
int untitled_owner(const CharacterTable& table, int first, int a) {
  for (const auto& name : names_of(table.characters[a])) {
    const auto parts = parse_name(name);
    if (parts.title.empty() || parts.words.size() < 2) continue;
    std::string untitled;
    for (const auto& w : parts.words) untitled += (untitled.empty() ? "" : " ") + w;
    const int owner = table.find(untitled);
    if (owner < first || owner == a || table.is_merged(owner)) continue;
    const auto& other = table.characters[owner];
    if (is_no_named_person(other)) continue;
    // "Mrs. John Hartwell" is his wife
    if (is_form_of(name, untitled, other.gender)) return owner;
  }
  return -1;
}

namespace {

// "Billy-the-Bruin" beside "Bruin": a name of one hyphenated word with a lowercase word inside
// is the character called by its last part alone, if the text calls anyone so; -1 if not. A
// hyphenated given name ("Mary-Kate", "Jae-Min") has no lowercase part: "Kate" may be another
// girl, so such names are left to the turn join (name_turns.cpp), which asks for evidence.
int hyphen_tail_owner(const CharacterTable& table, int first, int a) {
  const Character& c = table.characters[a];
  const auto parts = parse_name(c.name);
  if (!parts.title.empty() || parts.words.size() != 1) return -1;
  const std::string& word = parts.words[0];
  const auto dash = word.rfind('-');
  const auto first_dash = word.find('-');
  if (dash == std::string::npos || dash == first_dash || dash + 1 >= word.size()) return -1;
  const std::string middle = word.substr(first_dash + 1, dash - first_dash - 1);
  if (middle.empty() || !std::islower(static_cast<unsigned char>(middle[0]))) return -1;
  const std::string tail = word.substr(dash + 1);
  if (!std::isupper(static_cast<unsigned char>(tail[0]))) return -1;
  const int owner = table.find(tail);
  if (owner < first || owner == a || table.is_merged(owner)) return -1;
  const Character& other = table.characters[owner];
  if (is_no_named_person(other)) return -1;
  const auto own = parse_name(other.name);
  if (!own.title.empty() || own.words.size() != 1) return -1;
  const bool genders_differ =
      c.gender != Gender::Unknown && other.gender != Gender::Unknown && c.gender != other.gender;
  return genders_differ ? -1 : owner;
}

// Whether the story uses `word` as a family's name: "the Gowers", or after two given names
// ("Nettie Quill", "Hattie Quill").
bool is_family_word(const CharacterTable& table, const Character& c, const std::string& word) {
  if (table.find(word + "s") >= 0 || table.find("The " + word + "s") >= 0) return true;
  int given_names = 0;
  for (const auto& name : names_of(c)) {
    const auto parts = parse_name(name);
    if (parts.title.empty() && parts.words.size() == 2 && equals_icase(parts.words[1], word) &&
        gender_of_first_name(parts.words[0]) != Gender::Unknown)
      ++given_names;
  }
  return given_names >= 2;
}

// "Bear" that goes by "Bruin Bear" beside a "Bruin": the word after a character's one-word name,
// never said with a title ("Mr. Bear" would be a family's name) nor as a family's name
// (is_family_word), is that character's epithet; -1 if not.
int epithet_owner(const CharacterTable& table, int first, int a) {
  const Character& c = table.characters[a];
  const auto parts = parse_name(c.name);
  if (!parts.title.empty() || parts.words.size() != 1) return -1;
  if (is_family_word(table, c, parts.words[0])) return -1;
  int found = -1;
  for (const auto& name : names_of(c)) {
    const auto own = parse_name(name);
    if (!own.title.empty() && !equals_icase(name, c.name)) return -1;
    if (own.words.size() != 2 || !equals_icase(own.words[1], parts.words[0])) continue;
    const int owner = table.find(own.words[0]);
    if (owner < first || owner == a || table.is_merged(owner)) continue;
    const Character& other = table.characters[owner];
    if (is_no_named_person(other)) continue;
    const auto theirs = parse_name(other.name);
    if (!theirs.title.empty() || theirs.words.size() != 1) continue;
    if (found >= 0 && found != owner) return -1;
    found = owner;
  }
  return found;
}

}  // namespace

// One person found under several names is one character, voiced by the fullest name.
void merge_name_forms(CharacterTable& table, int first, const NameStats& stats) {
  // "Mr. James Wexley" and "James Wexley" are one man, voiced by the name the story
  // calls him by more often ("Mr. Wexley", "Edwin").
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
    if (is_no_named_person(c)) continue;
    if (auto sharers = given_name_sharers(table, first, a, stats); !sharers.empty()) {
      // Only the given name is shared: another name of the character is no one else's.
      const bool keeps = std::find(sharers.begin(), sharers.end(), a) != sharers.end();
      const std::string given = c.name;
      if (keeps)
        rename_by_full_name(table, a, stats);
      else
        table.merge(a, -1);
      table.share(given, sharers, -1);
      continue;
    }
    int into = fuller_form_of(table, first, a, stats);
    if (into < 0) into = married_full_name_of(table, first, a);
    if (into < 0) into = hyphen_tail_owner(table, first, a);
    if (into < 0) into = epithet_owner(table, first, a);
    if (into >= 0) {
      table.merge(a, into);
      auto& fuller = table.characters[into];
      if (fuller.gender == Gender::Unknown) fuller.gender = table.characters[a].gender;
    }
  }
  table.remove_merged();
}

namespace {

// Whether a name is the family's rather than one person's, so that its surname is a family
// name: a full name ("Ann Pettigrew") or a title said before a surname ("Miss Pettigrew", "Mr.
// Pettigrew"), not one said before a given name ("Sir Giles", "Uncle Peter").
bool gives_family_name(const NameParts& parts) {
  if (parts.words.size() >= 2) return true;
  return !parts.title.empty() &&
         (!title_takes_given_name(parts.title) || equals_icase(parts.title, "Miss"));
}

// The characters by each lower-case family name (gives_family_name) of the table.
std::map<std::string, std::vector<int>> family_names(const CharacterTable& table) {
  std::map<std::string, std::vector<int>> owners;
  for (int id = 0; id < static_cast<int>(table.characters.size()); ++id) {
    if (table.is_merged(id)) continue;
    for (const auto& name : names_of(table.characters[id])) {
      const auto parts = parse_name(name);
      if (gives_family_name(parts)) owners[lower_ascii(parts.surname)].push_back(id);
    }
  }
  return owners;
}

// Whether a character other than `id` goes by a family name of which `word` is the plural
// ("Pettigrews", "Lakeses").
bool plural_of_family_name(const std::map<std::string, std::vector<int>>& owners, int id,
                           const std::string& word) {
  for (std::size_t ending : {1, 2}) {
    if (word.size() <= ending) continue;
    const std::string surname = lower_ascii(word.substr(0, word.size() - ending));
    const auto it = owners.find(surname);
    if (it == owners.end() || !is_plural_of(word, surname)) continue;
    for (int owner : it->second)
      if (owner != id) return true;
  }
  return false;
}

// Whether a name of one word may speak of a family: untitled where the story says "the
// Pettigrews", or after "Miss" ("the Miss Pettigrews"); a title like "Mr." before one word names
// one man ("Mr. Pargeter").
bool may_name_family(const NameStats& stats, const NameParts& parts) {
  if (parts.words.size() != 1) return false;
  if (parts.title.empty()) return count_of(stats.after_the, parts.words[0]) >= 1;
  return equals_icase(parts.title, "Miss");
}

// "the Lady Marchbanks": a title before a plural that is no given name, said after "the" as
// often as not, names a family's women or men however rarely the story writes the surname;
// "the Lady Rosamund" is one lady.
bool is_titled_plural(const NameStats& stats, const NameParts& parts) {
  if (parts.title.empty() || parts.words.size() != 1) return false;
  const std::string& word = parts.words[0];
  if (word.size() < 4 || !word.ends_with('s') || gender_of_first_name(word) != Gender::Unknown)
    return false;
  const std::pair<std::string, std::string> key{parts.title, word};
  const auto after = stats.titled_after_the.find(key);
  if (after == stats.titled_after_the.end()) return false;
  const auto all = stats.titled.find(key);
  return after->second * 2 >= (all == stats.titled.end() ? 0 : all->second);
}

}  // namespace

void mark_family_plurals(const NameStats& stats, CharacterTable& table, int first) {
  const auto owners = family_names(table);
  for (int id = first; id < static_cast<int>(table.characters.size()); ++id) {
    Character& c = table.characters[id];
    if (table.is_merged(id) || is_no_named_person(c)) continue;
    const auto parts = parse_name(c.name);
    if (may_name_family(stats, parts) && plural_of_family_name(owners, id, parts.words[0]))
      c.is_group = true;
    else if (is_titled_plural(stats, parts))
      c.is_group = true;
  }
}

namespace {

// Whether the word joins a person's new name to the one they had before: "Mr. Morris Pratt,
// late Dunmore", "Mrs. Mercer, formerly Miss Dean", "Jack Gubbins, alias the Ferret".
bool is_renaming_word(const Token& t) {
  return t.clause_break_before && !t.sentence_start &&
         (t.text == "late" || t.text == "formerly" || t.text == "alias" || t.text == "née" ||
          t.text == "nee");
}

// The character of the name at tokens[i]: a name of theirs, else the one character a family
// name or title and family name can be a form of ("late Dunmore" of "Amos Dunmore"); -1 if
// none or several.
int former_name_at(const CharacterTable& table, const std::vector<Token>& tokens, std::size_t i) {
  if (int id = table.match(tokens, i).first; id >= 0) return id;
  if (!tokens[i].capitalized) return -1;
  std::string form = tokens[i].text;
  if (is_person_title(form) && i + 1 < tokens.size() && tokens[i + 1].capitalized)
    form += " " + tokens[i + 1].text;
  const int id = only_fit(table, 0, static_cast<int>(table.characters.size()), form);
  return id >= 0 && !table.is_merged(id) ? id : -1;
}

// Whether a paragraph may rename someone: a cheap look for the words before tokenising it.
bool may_rename(const std::string& text) {
  for (const char* word : {", late ", ", formerly ", ", alias ", ", née ", ", nee ", " married "})
    if (text.find(word) != std::string::npos) return true;
  return false;
}

// The token after "married" or "had married" at tokens[at] (a wedding the narration tells of),
// or 0 if none is there. An age word before the name is passed over ("Nan married old Smith").
std::size_t after_married(const std::vector<Token>& tokens, std::size_t at) {
  if (at < tokens.size() && tokens[at].lower == "had" && !tokens[at].clause_break_before) ++at;
  if (at + 1 >= tokens.size() || tokens[at].lower != "married") return 0;
  if (tokens[at].clause_break_before || tokens[at + 1].clause_break_before) return 0;
  const std::string& next = tokens[at + 1].lower;
  const bool age_word = next == "old" || next == "young";
  if (age_word && !tokens[at + 1].capitalized && at + 2 < tokens.size()) return at + 2;
  return at + 1;
}

// "Mr. Tobbit had married Mrs. Marrow", "Jenny married old Tobbit" (Mr. Tobbit): the character
// called "Mrs." and the husband's surname is the woman he married, who went by another name
// before. Returns (the "Mrs." character, the woman's character), or (-1, -1).
std::pair<int, int> married_names(const CharacterTable& table, int first, int second) {
  for (const auto& [husband, wife] : {std::pair{first, second}, std::pair{second, first}}) {
    const auto parts = parse_name(table.characters[husband].name);
    // Only a titled husband: an untitled name is often a wish ("we wish Giles had married
    // Edith"), measured on the novels.
    if (parts.title.empty() || parts.title_gender != Gender::Male) continue;
    if (table.characters[wife].gender == Gender::Male) continue;
    const int married = table.find("Mrs. " + parts.surname);
    if (married >= 0 && married != wife && married != husband) return {married, wife};
  }
  return {-1, -1};
}

// Pairs of characters (new name, old name) the narration renames.
std::vector<std::pair<int, int>> renamings(const Story& story, const CharacterTable& table) {
  std::vector<std::pair<int, int>> out;
  for (const auto& chapter : story.chapters)
    for (const auto& p : chapter.paragraphs) {
      if (p.kind != ParagraphKind::Text || !may_rename(p.text)) continue;
      const auto tokens = tokenize(p.text);
      for (std::size_t i = 0; i < tokens.size(); ++i) {
        const auto [renamed, used] = table.match(tokens, i);
        if (renamed < 0) continue;
        const std::size_t at = i + used;
        if (const std::size_t wife_at = after_married(tokens, at); wife_at > 0) {
          const int other = former_name_at(table, tokens, wife_at);
          const auto [married, wife] =
              other >= 0 ? married_names(table, renamed, other) : std::pair{-1, -1};
          if (married >= 0) out.push_back({married, wife});
          continue;
        }
        if (at + 1 >= tokens.size() || !is_renaming_word(tokens[at])) continue;
        const int before = former_name_at(table, tokens, at + 1);
        if (before >= 0 && before != renamed) out.push_back({renamed, before});
      }
    }
  return out;
}

}  // namespace

void join_renamed(const Story& story, CharacterTable& table, int first) {
  for (const auto& [renamed, before] : renamings(story, table)) {
    if (renamed < first || before < first) continue;  // the cast is the list of people
    if (table.is_merged(renamed) || table.is_merged(before)) continue;
    const auto& a = table.characters[renamed];
    const auto& b = table.characters[before];
    if (is_no_named_person(a) || is_no_named_person(b)) continue;
    if (a.gender != Gender::Unknown && b.gender != Gender::Unknown && a.gender != b.gender)
      continue;
    table.merge(renamed, before);
    // "Mrs. Pike" told her a woman where her maiden name alone may not have.
    if (b.gender == Gender::Unknown) table.characters[before].gender = a.gender;
  }
  table.remove_merged();
}

}  // namespace troupe::characters_internal
