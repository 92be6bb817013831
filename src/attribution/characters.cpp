#include "attribution/characters.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "attribution/name_forms.h"
#include "attribution/word_lists.h"
#include "common/ascii.h"

namespace troupe {
namespace {

// How many "I said" tags make the narrator of a third-person story one of the speakers.
constexpr int kNarratorTagsMin = 3;

std::string join_lower(const std::vector<Token>& tokens, std::size_t from, std::size_t count) {
  std::string key;
  for (std::size_t k = from; k < from + count; ++k)
    key += (key.empty() ? "" : " ") + tokens[k].lower;
  return key;
}

bool is_all_upper(const std::string& w) {
  int letters = 0;
  for (char c : w) {
    if (std::islower(static_cast<unsigned char>(c))) return false;
    if (std::isalpha(static_cast<unsigned char>(c))) ++letters;
  }
  return letters > 1;
}

// A capitalised word that could be (part of) a name.
bool name_like(const Token& t) {
  return t.capitalized && !is_never_a_name(t.text) && !is_all_upper(t.text) && t.text.size() > 1 &&
         !is_person_title(t.text);
}

// The text of a paragraph outside its quotations.
std::string narration_of(const Paragraph& p) {
  std::string out;
  std::size_t at = 0;
  for (const auto& q : p.quotes) {
    std::size_t mark_start = q.begin > 0 ? q.begin - 1 : 0;
    while (mark_start > at && static_cast<unsigned char>(p.text[mark_start]) >= 0x80 &&
           (static_cast<unsigned char>(p.text[mark_start]) & 0xC0) == 0x80)
      --mark_start;
    if (mark_start > at) out += p.text.substr(at, mark_start - at) + " . ";
    at = q.end;
  }
  if (at < p.text.size()) out += p.text.substr(at);
  return out;
}

bool is_place_preposition(const std::string& w) {
  return w == "in" || w == "at" || w == "to" || w == "from" || w == "into" || w == "near" ||
         w == "of" || w == "towards" || w == "round" || w == "about" || w == "towards" ||
         w == "toward" || w == "through" || w == "reach" || w == "leave" || w == "left" ||
         w == "reached" || w == "visit" || w == "visited" || w == "around";
}

// Titles that may name the same man: "Mr. Kemp" and "Dr. Kemp" are one person, "Mrs. Bennet"
// and "Miss Bennet" are two.
bool is_mergeable_title(const std::string& title) {
  static const std::set<std::string> kTitles = {"Mr.",      "Mr",      "Dr.",       "Doctor",
                                                "Captain",  "Colonel", "Professor", "Inspector",
                                                "Sergeant", "Major",   "General",   "Mister"};
  return kTitles.count(title) > 0;
}

// Counts gathered over the whole story, to tell names from ordinary capitalised words.
struct NameStats {
  std::map<std::string, int> bare;          // a name word standing alone, not sentence-initial
  std::map<std::string, int> bare_initial;  // standing alone at a sentence start
  std::map<std::string, int> lower;         // the same word written in lower case
  std::map<std::string, int> person_evidence;
  std::map<std::string, int> place_evidence;  // after "in", "at", "to", "from" ...
  std::map<std::string, int> after_the;       // "the Dodo", "the Jew": a character named by a noun
  std::map<std::pair<std::string, std::string>, int> titled;  // (title, name words)
  std::map<std::pair<std::string, std::string>, int> full;    // two name words in a row
  std::map<std::string, std::pair<int, int>> pronoun_votes;   // word -> (male, female)
};

void count_paragraph(const std::vector<Token>& tokens, NameStats& stats) {
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    if (!t.capitalized) {
      ++stats.lower[t.lower];
      continue;
    }
    Gender title_gender;
    if (is_person_title(t.text, &title_gender) && i + 1 < tokens.size() &&
        name_like(tokens[i + 1])) {
      std::string name = tokens[i + 1].text;
      if (i + 2 < tokens.size() && name_like(tokens[i + 2]) && !tokens[i + 2].clause_break_before)
        name += " " + tokens[i + 2].text;
      ++stats.titled[{t.text, name}];
      stats.person_evidence[tokens[i + 1].text] += 3;
      i += 1 + (name.find(' ') != std::string::npos ? 1 : 0);
      continue;
    }
    if (!name_like(t)) continue;
    bool joined_next =
        i + 1 < tokens.size() && name_like(tokens[i + 1]) && !tokens[i + 1].clause_break_before;
    if (joined_next) {
      ++stats.full[{t.text, tokens[i + 1].text}];
      ++i;
      continue;
    }
    if (t.sentence_start)
      ++stats.bare_initial[t.text];
    else
      ++stats.bare[t.text];
    if (i > 0 && is_place_preposition(tokens[i - 1].lower)) ++stats.place_evidence[t.text];
    if (i > 0 && tokens[i - 1].lower == "the") {
      ++stats.after_the[t.text];
      if (i > 1 && is_speech_verb(tokens[i - 2].lower)) stats.person_evidence[t.text] += 3;
    }
    bool speech_next = i + 1 < tokens.size() && is_speech_verb(tokens[i + 1].lower);
    bool speech_before = i > 0 && is_speech_verb(tokens[i - 1].lower);
    bool acts = i + 1 < tokens.size() && is_person_verb(tokens[i + 1].lower);
    stats.person_evidence[t.text] += (speech_next || speech_before) ? 3 : acts ? 1 : 0;
    // "I'm sorry, Haechan.": a word set off by commas at a clause's end is someone addressed.
    bool set_off = i > 0 && t.clause_break_before && !t.sentence_start &&
                   (i + 1 == tokens.size() || tokens[i + 1].clause_break_before);
    if (set_off) stats.person_evidence[t.text] += 2;
    // The next personal pronoun after a name that starts a clause is usually about it.
    if (t.clause_break_before)
      for (std::size_t k = i + 1; k < tokens.size() && k < i + 15; ++k) {
        if (tokens[k].capitalized && name_like(tokens[k])) break;
        Gender g = gender_of_pronoun(tokens[k].lower);
        if (g == Gender::Male) ++stats.pronoun_votes[t.text].first;
        if (g == Gender::Female) ++stats.pronoun_votes[t.text].second;
        if (g != Gender::Unknown) break;
      }
  }
}

NameStats gather_stats(const Story& story) {
  NameStats stats;
  for (const auto& chapter : story.chapters)
    for (const auto& p : chapter.paragraphs) {
      if (p.kind != ParagraphKind::Text) continue;
      count_paragraph(tokenize(p.text), stats);
    }
  return stats;
}

int count_of(const std::map<std::string, int>& m, const std::string& k) {
  auto it = m.find(k);
  return it == m.end() ? 0 : it->second;
}

bool is_single_name(const NameStats& stats, const std::string& word) {
  int mid = count_of(stats.bare, word);
  int all = mid + count_of(stats.bare_initial, word);
  int lower = count_of(stats.lower, lower_ascii(word));
  if (all < 2 || lower * 4 > all) return false;
  if (count_of(stats.place_evidence, word) * 2 > all) return false;
  int evidence = count_of(stats.person_evidence, word) +
                 (gender_of_first_name(word) != Gender::Unknown ? 2 : 0);
  // Mid-sentence capitals are names; sentence-initial ones need more evidence.
  if (mid >= 2) return evidence >= 2 || (evidence >= 1 && all >= 4);
  return lower == 0 && evidence >= 2;
}

// A known given name the story never writes in lower case is a name even if said once.
bool is_rare_given_name(const NameStats& stats, const std::string& word) {
  if (gender_of_first_name(word) == Gender::Unknown) return false;
  return count_of(stats.lower, lower_ascii(word)) == 0 && count_of(stats.place_evidence, word) == 0;
}

Gender gender_from_votes(const NameStats& stats, const std::string& word) {
  Gender by_name = gender_of_first_name(word);
  auto it = stats.pronoun_votes.find(word);
  if (it == stats.pronoun_votes.end()) return by_name;
  auto [male, female] = it->second;
  if (male >= 2 * female + 1) return Gender::Male;
  if (female >= 2 * male + 1) return Gender::Female;
  return by_name;
}

// A name another can be a form of: "Thomas Ashby", "Mr. Ashby", "Tom"; not "I", "Y/N" nor a
// description ("The Voice", "A Little Old Woman").
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

class Discovery {
 public:
  Discovery(const NameStats& stats, CharacterTable& table, bool cast_given)
      : stats_(stats),
        table_(table),
        given_count_(static_cast<int>(table.characters.size())),
        cast_given_(cast_given) {}

  void run() {
    add_titled();
    add_single_names();
    add_full_names();
    merge_bare_surnames();
  }

 private:
  bool known(const std::string& name) const { return table_.find(name) >= 0; }

  // "Mr. Bennet", "Mrs. Bennet", "Lady Catherine": titled forms said at least twice.
  void add_titled() {
    std::vector<std::pair<std::pair<std::string, std::string>, int>> forms(stats_.titled.begin(),
                                                                           stats_.titled.end());
    std::stable_sort(forms.begin(), forms.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    for (const auto& [key, count] : forms) {
      const auto& [title, name] = key;
      if (count < 2 && !known(name) && !cast_given_) continue;
      std::string form = title + " " + name;
      if (known(form)) continue;
      if (int given = given_fit(form); given >= 0) {
        table_.add_alias(given, form);
        continue;
      }
      if (count < 2 && !known(name)) continue;
      Gender g = Gender::Unknown;
      is_person_title(title, &g);
      std::string first_word = name.substr(0, name.find(' '));
      // "Miss Elizabeth", "Lady Catherine": a given name that also stands alone.
      bool given_name = gender_of_first_name(first_word) != Gender::Unknown &&
                        (title == "Miss" || title == "Lady" || title == "Sir" || title == "Lord" ||
                         title == "Uncle" || title == "Aunt");
      if (given_name && is_single_name(stats_, first_word)) {
        int id = ensure_single(first_word, g);
        table_.add_alias(id, form);
        continue;
      }
      if (int same = same_man(title, name); same >= 0) {
        table_.add_alias(same, form);
        continue;
      }
      Character c;
      c.name = form;
      c.gender = g;
      titled_count_[name] += count;
      title_of_[form] = title;
      int id = table_.add(c);
      surname_forms_[name].push_back(id);
      // "Mr. Sherlock Holmes": "Holmes" alone may mean him too.
      if (auto space = name.rfind(' '); space != std::string::npos) {
        std::string surname = name.substr(space + 1);
        surname_forms_[surname].push_back(id);
        titled_count_[surname] += count;
        title_of_[title + " " + surname] = title;
      }
    }
  }

  // "Mr. Holmes", "Sherlock", "Bill" when the cast file gave "Sherlock Holmes" or "William
  // Sikes": the one given character the form can name (-1 if none, kSeveral if more).
  int given_fit(const std::string& form) const { return only_fit(table_, 0, given_count_, form); }

  // An earlier "Mr. Kemp" when this is "Dr. Kemp": the same man under another title.
  int same_man(const std::string& title, const std::string& name) const {
    if (!is_mergeable_title(title)) return -1;
    auto space = name.rfind(' ');
    for (const auto& key : {name, space == std::string::npos ? name : name.substr(space + 1)}) {
      auto it = surname_forms_.find(key);
      if (it == surname_forms_.end()) continue;
      for (int id : it->second)
        if (is_mergeable_title(title_of_.at(table_.characters[id].name))) return id;
    }
    return -1;
  }

  int ensure_single(const std::string& word, Gender title_gender) {
    int id = table_.find(word);
    if (id >= 0) return id;
    Character c;
    c.name = word;
    c.gender = title_gender != Gender::Unknown ? title_gender : gender_from_votes(stats_, word);
    int all = count_of(stats_.bare, word) + count_of(stats_.bare_initial, word);
    if (count_of(stats_.after_the, word) * 2 > all) {  // voiced as the text calls it: "The Dodo"
      c.name = "The " + word;
      c.aliases.push_back(word);
    }
    return table_.add(c);
  }

  void add_single_names() {
    // With a cast file the people are known; a word needs a speech tag or title of its own
    // before troupe adds it as an extra ("Enscombe" is a house, not a man).
    const int needed = cast_given_ ? 3 : 0;
    std::set<std::string> words;
    for (const auto& [word, count] : stats_.bare) words.insert(word);
    for (const auto& [word, count] : stats_.bare_initial) words.insert(word);
    for (const auto& word : words) {
      if (known(word) || surname_forms_.count(word)) continue;
      if (is_person_title(word)) continue;  // "Sir," alone is how one speaks to a man
      if (!is_single_name(stats_, word) && !(needed == 0 && is_rare_given_name(stats_, word)))
        continue;
      // "Bear" beside a given "Edward Bear", "Bill" beside "William Sikes": the same one.
      if (int given = given_fit(word); given >= 0) {
        table_.add_alias(given, word);
        continue;
      }
      if (count_of(stats_.person_evidence, word) < needed) continue;
      ensure_single(word, Gender::Unknown);
    }
  }

  // "Mark Lee", "Lee Taeyong", "Elizabeth Bennet": an alias of whichever word is a character.
  void add_full_names() {
    for (const auto& [key, count] : stats_.full) {
      const auto& [a, b] = key;
      std::string form = a + " " + b;
      if (known(form)) continue;
      if (int given = given_fit(form); given >= 0) {
        table_.add_alias(given, form);
        continue;
      }
      int ia = table_.find(a), ib = table_.find(b);
      int id = ia >= 0 && ib >= 0 ? (gender_of_first_name(a) != Gender::Unknown ? ia : ib)
                                  : (ia >= 0 ? ia : ib);
      // "C. Weston Churchill" is no Mr. Weston: his family name does not come first.
      if (id >= 0 && id == ia && ib < 0 && is_family_name_of(ia, a)) continue;
      if (id >= 0) {
        table_.add_alias(id, form);
        continue;
      }
      if (count >= 3 && gender_of_first_name(a) != Gender::Unknown) {
        Character c;
        c.name = form;
        c.gender = gender_of_first_name(a);
        table_.add(c);
      }
    }
  }

  // Whether the character goes by a title and the word: "Weston" for "Mr. Weston".
  bool is_family_name_of(int id, const std::string& word) const {
    const auto& c = table_.characters[id];
    auto titled = [&](const std::string& name) {
      auto space = name.find(' ');
      return space != std::string::npos && name.substr(space + 1) == word &&
             is_person_title(name.substr(0, space));
    };
    return titled(c.name) || std::any_of(c.aliases.begin(), c.aliases.end(), titled);
  }

  // A surname said alone ("Darcy") means its "Mr." form, or its only titled form.
  void merge_bare_surnames() {
    for (const auto& [surname, ids] : surname_forms_) {
      if (known(surname)) continue;
      int chosen = -1;
      for (int id : ids)
        if (table_.characters[id].name.rfind("Mr. ", 0) == 0) chosen = id;
      if (chosen < 0 && ids.size() == 1) chosen = ids[0];
      if (chosen < 0) continue;
      table_.add_alias(chosen, surname);
      // "Kemp" said far more often than "Mr. Kemp": voice him as the text names him.
      if (ids.size() == 1 && count_of(stats_.bare, surname) > titled_count_[surname]) {
        auto& c = table_.characters[chosen];
        std::string titled = c.name;
        c.name = surname;
        c.aliases.erase(std::remove(c.aliases.begin(), c.aliases.end(), surname), c.aliases.end());
        c.aliases.push_back(titled);
      }
    }
  }

  const NameStats& stats_;
  CharacterTable& table_;
  int given_count_;  // characters given before discovery (cast file, reader, narrator)
  bool cast_given_;  // a cast file named the characters
  std::map<std::string, std::vector<int>> surname_forms_;
  std::map<std::string, int> titled_count_;
  std::map<std::string, std::string> title_of_;  // titled character name -> its title
};

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

// One person found under several names is one character, voiced by the fullest name.
void merge_name_forms(CharacterTable& table, int first) {
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

// Genders the cast file or titles left open, from pronouns that follow the names in the text.
void fill_unknown_genders(const NameStats& stats, CharacterTable& table, int from) {
  for (int id = from; id < static_cast<int>(table.characters.size()); ++id) {
    auto& c = table.characters[id];
    if (c.gender != Gender::Unknown || c.is_reader || c.is_first_person) continue;
    std::vector<std::string> names = c.aliases;
    names.push_back(c.name);
    int male = 0, female = 0;
    for (const auto& name : names) {
      auto tokens = tokenize(name);
      Gender g;
      if (!tokens.empty() && is_person_title(tokens[0].text, &g) && g != Gender::Unknown) {
        (g == Gender::Male ? male : female) += 5;
        continue;
      }
      if (tokens.size() != 1 || table.find(name) != id) continue;
      auto it = stats.pronoun_votes.find(tokens[0].text);
      if (it != stats.pronoun_votes.end()) {
        male += it->second.first;
        female += it->second.second;
      }
      Gender by_name = gender_of_first_name(tokens[0].text);
      if (by_name == Gender::Male) male += 2;
      if (by_name == Gender::Female) female += 2;
    }
    if (male > female * 2 && male >= 2) c.gender = Gender::Male;
    if (female > male * 2 && female >= 2) c.gender = Gender::Female;
  }
}

}  // namespace

int CharacterTable::add(Character character) {
  int id = static_cast<int>(characters.size());
  characters.push_back(character);
  // A title ("The Beadle" for Mr. Bumble, "The Mariner") stands for its character however it
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
  // "The Knave of Hearts" is "the Knave" for short.
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

std::pair<int, int> CharacterTable::match(const std::vector<Token>& tokens, std::size_t i) const {
  auto longest = longest_from_.find(tokens[i].lower);
  if (longest == longest_from_.end()) return {-1, 0};
  for (int len = std::min<int>(longest->second, static_cast<int>(tokens.size() - i)); len >= 1;
       --len) {
    auto it = names_.find(join_lower(tokens, i, len));
    // A group speaks only where a tag says so: its name in the narration is no mention.
    if (it != names_.end() && (it->second.any_case || tokens[i].capitalized) &&
        !characters[it->second.id].is_group)
      return {it->second.id, len};
  }
  return {-1, 0};
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
    if (it != names_.end() && !characters[it->second.id].is_group) return {it->second.id, len};
  }
  return {-1, 0};
}

int CharacterTable::find(const std::string& name) const {
  auto tokens = tokenize(name);
  if (tokens.empty()) return -1;
  auto it = names_.find(join_lower(tokens, 0, tokens.size()));
  return it == names_.end() ? -1 : it->second.id;
}

int CharacterTable::find_person(const std::string& name) {
  if (int exact = find(name); exact >= 0) return exact;
  const int fit = form_owner(name);
  if (fit >= 0) add_alias(fit, name);
  return fit;
}

int CharacterTable::form_owner(const std::string& name) const {
  if (cast_count > 0) return only_fit(*this, 0, cast_count, name);
  // Blind: "Janey" of "Janey Ashby", "Janey Ashby" of "Janey", the character voiced by that
  // name without a title; a surname alone decides nothing.
  const auto parts = parse_name(name);
  if (!parts.title.empty() || parts.words.empty()) return -1;
  int found = -1;
  for (int id = 0; id < static_cast<int>(characters.size()); ++id) {
    const auto& c = characters[id];
    if (c.is_reader || c.is_first_person || c.is_group || !is_proper_name(c.name)) continue;
    const auto own = parse_name(c.name);
    if (!own.title.empty() || !equals_icase(own.words[0], parts.words[0])) continue;
    if (!is_form_of(name, c.name, c.gender) && !is_form_of(c.name, name, c.gender)) continue;
    if (found >= 0) return -1;
    found = id;
  }
  return found;
}

void CharacterTable::reassign(const std::string& name, int id) {
  auto tokens = tokenize(name);
  if (tokens.empty()) return;
  auto it = names_.find(join_lower(tokens, 0, tokens.size()));
  if (it != names_.end()) it->second.id = id;
}

void CharacterTable::merge(int from, int into) {
  if (from == into) return;
  merged_.resize(characters.size(), false);
  merged_[from] = true;
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
    int id = new_id[it->second.id];
    if (id < 0) {
      it = names_.erase(it);
      continue;
    }
    it->second.id = id;
    ++it;
  }
  merged_.assign(characters.size(), false);
}

namespace {

// What the narration (outside quotations) says of who tells the story, in one pass.
struct NarrationCounts {
  int words = 0, you = 0, i_count = 0;
  int i_tags = 0;  // "I said", "said I"
};

NarrationCounts count_narration(const Story& story) {
  NarrationCounts n;
  for (const auto& chapter : story.chapters)
    for (const auto& p : chapter.paragraphs) {
      if (p.kind != ParagraphKind::Text) continue;
      const auto tokens = tokenize(narration_of(p));
      for (std::size_t i = 0; i < tokens.size(); ++i) {
        const Token& t = tokens[i];
        ++n.words;
        if (t.lower == "you" || t.lower == "your" || t.lower == "you're" || t.lower == "you’re")
          ++n.you;
        if (t.text == "I" || t.lower == "my" || t.lower == "me" || t.text == "I'm" ||
            t.text == "I’m")
          ++n.i_count;
        if (t.text == "I" && ((i + 1 < tokens.size() && is_speech_verb(tokens[i + 1].lower)) ||
                              (i > 0 && is_speech_verb(tokens[i - 1].lower))))
          ++n.i_tags;
      }
    }
  return n;
}

Perspective perspective_of(const NarrationCounts& n) {
  if (n.words == 0) return Perspective::Third;
  if (n.you * 100 > n.words * 2 && n.you > n.i_count) return Perspective::Second;
  if (n.i_count * 100 > n.words * 2) return Perspective::First;
  return Perspective::Third;
}

// "I said", "said I" in the narration of a story not told in the first person: a narrator who
// steps in now and then to speak with the characters, as in a story told to a child.
bool narrator_speaks(const NarrationCounts& n) { return n.i_tags >= kNarratorTagsMin; }

}  // namespace

Perspective detect_perspective(const Story& story) {
  return perspective_of(count_narration(story));
}

// "the girls", "The Twins": a name that is a group of people.
bool is_group_name(const std::string& name) {
  auto words = tokenize(name);
  return words.size() >= 2 && words.size() <= 4 && words[0].lower == "the" &&
         is_group_noun(words.back().lower);
}

// "Christopher Robin - Story", "Anne (grown up)": the name the text calls a cast character by,
// without the qualifier the cast file's author added to tell two of them apart; "" if none.
std::string unqualified_name(const std::string& name) {
  std::string base = name;
  if (auto dash = base.find(" - "); dash != std::string::npos) base = base.substr(0, dash);
  if (auto paren = base.find(" ("); paren != std::string::npos && base.back() == ')')
    base = base.substr(0, paren);
  while (!base.empty() && base.back() == ' ') base.pop_back();
  return base == name || tokenize(base).empty() ? "" : base;
}

CharacterTable build_characters(const Story& story, const CastHints& hints) {
  CharacterTable table;
  for (auto c : hints.characters) {
    c.is_group = c.is_group || is_group_name(c.name);
    table.add(c);
  }
  table.cast_count = static_cast<int>(hints.characters.size());
  // After every name the cast wrote out, so none is taken; two characters qualified from one
  // name ("X - Story", "X - External") leave it to the first listed, as with any shared name.
  for (int id = 0; id < static_cast<int>(hints.characters.size()); ++id)
    if (auto base = unqualified_name(table.characters[id].name); !base.empty())
      table.add_alias(id, base);
  const NarrationCounts narration = count_narration(story);
  const Perspective perspective = perspective_of(narration);
  bool has_reader = std::any_of(hints.characters.begin(), hints.characters.end(),
                                [](const Character& c) { return c.is_reader; });
  if (perspective == Perspective::Second && !has_reader) {
    Character reader;
    reader.name = "Y/N";
    reader.aliases = {"you", "{{user}}", "Y/L/N", "Y/F/N"};
    reader.is_reader = true;
    table.add(reader);
  }
  if (perspective == Perspective::First && table.find("I") < 0) {
    Character narrator;
    narrator.name = "I";
    narrator.aliases = {"me"};
    narrator.is_first_person = true;
    table.add(narrator);
  } else if (table.find("I") < 0 && narrator_speaks(narration)) {
    // Their words are the narrator's own: quotations labelled as the narrator's.
    Character narrator;
    narrator.name = kNarratorLabel;
    narrator.aliases = {"I", "me"};
    narrator.is_first_person = true;
    table.add(narrator);
  }
  redirect_bare_surnames(table);
  const NameStats stats = gather_stats(story);
  const int given_count = static_cast<int>(table.characters.size());
  // A given character's open gender comes from the names the cast gave, not from names found
  // in the text and taken for theirs.
  fill_unknown_genders(stats, table, 0);
  if (hints.discover_more) Discovery(stats, table, !hints.characters.empty()).run();
  fill_unknown_genders(stats, table, given_count);
  if (!hints.characters.empty()) fold_into_cast(table, static_cast<int>(hints.characters.size()));
  if (hints.discover_more) merge_name_forms(table, given_count);
  return table;
}

}  // namespace troupe
