// Finding the characters' names in the text: titled forms ("Mr. Bennet"), names said alone
// ("Alice"), full names ("Elizabeth Bennet"), and surnames that stand for a titled form.
#include <algorithm>
#include <map>
#include <set>

#include "attribution/characters_internal.h"
#include "attribution/name_forms.h"
#include "attribution/word_lists.h"
#include "common/ascii.h"

namespace troupe::characters_internal {

// "Mrs Tobiah" (said of Tobiah's wife, "Mrs Tobiah Pellow"): a woman's title before a
// man's given name alone names her by her husband's name. She is a woman of her own, and
// "Tobiah" said alone is him, not a form of hers. The word must be a given name in this
// story: the first of a full name ("Tobiah Pellow"), and after no man's title ("Mr.
// Allen" makes "Mrs. Allen" a family's name).
bool names_husband(const NameStats& stats, Gender title_gender, const std::string& name) {
  if (title_gender != Gender::Female || name.find(' ') != std::string::npos ||
      gender_of_first_name(name) != Gender::Male)
    return false;
  for (const auto& [key, count] : stats.titled) {
    Gender g = Gender::Unknown;
    if (key.second == name && (!is_person_title(key.first, &g) || g != Gender::Female))
      return false;
  }
  return std::any_of(stats.full.begin(), stats.full.end(),
                     [&](const auto& entry) { return entry.first.first == name; });
}

// Whether the story names a wife by this full name, and by its given name alone: "Mrs
// Tobiah Pellow" and "Mrs Tobiah" for ("Tobiah", "Pellow").
bool is_husbands_name(const NameStats& stats, const std::pair<std::string, std::string>& full) {
  if (!names_husband(stats, Gender::Female, full.first)) return false;
  auto wife_called = [&](const std::string& name) {
    return std::any_of(stats.titled.begin(), stats.titled.end(), [&](const auto& entry) {
      Gender g = Gender::Unknown;
      return entry.first.second == name && is_person_title(entry.first.first, &g) &&
             g == Gender::Female;
    });
  };
  return wife_called(full.first) && wife_called(full.first + " " + full.second);
}

namespace {

// "Mr.", "Mr" (as British printing writes it) or "Mister".
bool is_mister(const std::string& title) {
  return title == "Mr." || title == "Mr" || title == "Mister";
}

// Titles that may name the same man: "Mr. Kemp" and "Dr. Kemp" are one person, "Mrs. Bennet"
// and "Miss Bennet" are two.
bool is_mergeable_title(const std::string& title) {
  static const std::set<std::string> kTitles = {"Mr.",      "Mr",      "Dr.",       "Doctor",
                                                "Captain",  "Colonel", "Professor", "Inspector",
                                                "Sergeant", "Major",   "General",   "Mister"};
  return kTitles.count(title) > 0;
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
    add_described();
    add_single_names();
    add_full_names();
    lengthen_titled_labels();
    merge_bare_surnames();
    join_titled_given_names();
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
      // Said once, a titled form is a name only as another title of a man already found
      // ("Doctor Losberne" beside "Mr. Losberne"), whom "the doctor" then means.
      const bool other_title = name.find(' ') == std::string::npos && same_man(title, name) >= 0;
      if (count < 2 && !known(name) && !cast_given_ && !other_title) continue;
      std::string form = title + " " + name;
      if (known(form)) continue;
      if (int given = given_fit(form); given >= 0) {
        table_.add_alias(given, form);
        continue;
      }
      if (count < 2 && !known(name) && !other_title) continue;
      if (int usual = usual_spelling(title, name, count); usual >= 0) {
        table_.add_alias(usual, form);
        continue;
      }
      Gender g = Gender::Unknown;
      is_person_title(title, &g);
      std::string first_word = name.substr(0, name.find(' '));
      // "Miss Elizabeth", "Lady Catherine": a given name that also stands alone.
      bool given_name = (gender_of_first_name(first_word) != Gender::Unknown &&
                         (title == "Miss" || title == "Lady" || title == "Sir" || title == "Lord" ||
                          title == "Uncle" || title == "Aunt")) ||
                        (first_word == name && is_given_by_titles(name));
      if (given_name && is_single_name(stats_, first_word)) {
        int id = ensure_single(first_word, g);
        table_.add_alias(id, form);
        label_as_titled(id, form, count, first_word);
        continue;
      }
      if (int same = same_man(title, name); same >= 0) {
        table_.add_alias(same, form);
        continue;
      }
      Character c;
      c.name = form;
      c.gender = g;
      title_of_[form] = title;
      int id = table_.add(c);
      if (names_husband(stats_, g, name)) continue;
      titled_count_[name] += count;
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

  // "Mr. Browlow" said twice beside "Mr. Brownlow" said often: a misprint of a long surname
  // (one letter added, dropped or changed) under the same title is the usual spelling's man,
  // when the story writes the rare spelling nowhere else (under no other title, ending no full
  // name, hardly alone). A real minor character said twice so can still be absorbed.
  int usual_spelling(const std::string& title, const std::string& name, int count) const {
    constexpr int kMisprintMax = 2, kUsualMin = 10;
    constexpr std::size_t kLongSurname = 6;
    if (count > kMisprintMax || name.find(' ') != std::string::npos) return -1;
    if (name.size() < kLongSurname || !said_only_as(title, name, count)) return -1;
    int found = -1;
    for (const auto& [key, usual_count] : stats_.titled) {
      if (key.first != title || usual_count < kUsualMin || key.second.size() < kLongSurname ||
          !one_letter_apart(name, key.second))
        continue;
      const int id = table_.find(title + " " + key.second);
      if (id < 0 || (found >= 0 && found != id)) return -1;
      found = id;
    }
    return found;
  }

  // Whether the story writes `name` only after `title` (no more often alone than so).
  bool said_only_as(const std::string& title, const std::string& name, int count) const {
    const std::string tail = " " + name;
    for (const auto& [key, n] : stats_.titled)
      if ((key.second == name && key.first != title) ||
          (key.second.size() > tail.size() && key.second.ends_with(tail)))
        return false;
    for (const auto& [key, n] : stats_.full)
      if (key.second == name) return false;
    return count_of(stats_.narrated, name) + count_of(stats_.spoken, name) <= count;
  }

  // One letter added, dropped or changed; compares bytes, so for ASCII names only (a letter
  // written in several bytes counts as several).
  static bool one_letter_apart(const std::string& a, const std::string& b) {
    if (a == b) return false;
    const std::string& shorter = a.size() <= b.size() ? a : b;
    const std::string& longer = a.size() <= b.size() ? b : a;
    if (longer.size() - shorter.size() > 1) return false;
    std::size_t i = 0;
    while (i < shorter.size() && shorter[i] == longer[i]) ++i;
    const std::size_t skip = longer.size() == shorter.size() ? 1 : 0;  // changed, or added
    return shorter.compare(i + skip, std::string::npos, longer, i + 1, std::string::npos) == 0;
  }

  // "Mr. Thaddeus" (as a servant calls his master) is the "Thaddeus Sholto" of the one full name
  // the story writes with that word first, when no other title goes before the word (a family's
  // name: "Mr. Dunmore" and "Mrs. Dunmore" are no "Dunmore Bexley"). Merged into whoever goes by
  // the full name.
  void join_titled_given_names() {
    std::map<std::string, std::set<std::string>> titles_of;  // word -> the titles before it
    for (const auto& [key, count] : stats_.titled)
      titles_of[key.second.substr(0, key.second.find(' '))].insert(key.first);
    for (const auto& [word, titles] : titles_of) {
      if (titles.size() != 1) continue;  // the word is one word: cut at the first space
      const std::string form = *titles.begin() + " " + word;
      const int titled = table_.find(form);
      if (titled < given_count_ || table_.characters[titled].name != form) continue;
      std::set<int> owners;  // of "Thaddeus Sholto", and of "Mr. Thaddeus Sholto"
      for (const auto& [pair, count] : stats_.full)
        if (pair.first == word) owners.insert(table_.find(pair.first + " " + pair.second));
      for (const auto& [key, count] : stats_.titled)
        if (key.first == *titles.begin() && key.second.starts_with(word + " "))
          owners.insert(table_.find(key.first + " " + key.second));
      owners.erase(-1);  // a full name nobody goes by yet says nothing
      const int owner = owners.size() == 1 ? *owners.begin() : -1;
      if (owner < given_count_ || owner == titled || table_.is_merged(owner)) continue;
      if (table_.characters[owner].gender != table_.characters[titled].gender &&
          table_.characters[owner].gender != Gender::Unknown &&
          table_.characters[titled].gender != Gender::Unknown)
        continue;
      table_.merge(titled, owner);
    }
  }

  // "Aunt Marilla" and "Miss Marilla": a word only ever after titles said before a given name,
  // two of them at least, is a given name, however rare (no "Mr." or "Mrs." of a family).
  bool is_given_by_titles(const std::string& word) const {
    std::set<std::string> titles;
    for (const auto& [key, count] : stats_.titled) {
      if (key.second != word) continue;
      if (!title_takes_given_name(key.first)) return false;
      titles.insert(key.first);
    }
    return titles.size() >= 2;
  }

  // "Sir Walter" said more often than "Walter" alone: voice him as the text names him, as
  // merge_bare_surnames does for "Kemp". A character the cast gave keeps its name, and so does
  // one a form said more often already named.
  void label_as_titled(int id, const std::string& form, int count, const std::string& word) {
    auto& c = table_.characters[id];
    if (id < given_count_ || c.name != word) return;
    if (count <= count_of(stats_.bare, word) + count_of(stats_.bare_initial, word)) return;
    c.name = form;
    std::erase(c.aliases, form);
    c.aliases.push_back(word);
    titled_labels_.push_back(id);
  }

  // "Sir John" is "Sir John Middleton" where the story writes his surname after it too (and
  // no other): the fullest name, which another John's full name is no form of.
  void lengthen_titled_labels() {
    for (int id : titled_labels_) {
      auto& c = table_.characters[id];
      const std::string prefix = c.name + " ";
      std::string fuller;
      int fitting = 0;
      for (const auto& alias : c.aliases)
        if (alias.starts_with(prefix) && alias.find(' ', prefix.size()) == std::string::npos) {
          fuller = alias;
          ++fitting;
        }
      if (fitting != 1) continue;
      std::erase(c.aliases, fuller);
      c.aliases.push_back(c.name);
      c.name = fuller;
    }
  }

  // "the Masked Man", "the Tin Man" said at least twice: the character the story calls so,
  // named with the article, of the noun's gender.
  void add_described() {
    for (const auto& [words, count] : stats_.described) {
      const std::string name = "The " + words;
      if (count < 2 || known(words) || known(name)) continue;
      if (int given = given_fit(name); given >= 0) {
        table_.add_alias(given, name);
        continue;
      }
      Character c;
      c.name = name;
      c.gender = gender_of_person_noun(lower_ascii(words.substr(words.rfind(' ') + 1)));
      table_.add(c);
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
      if (key != name && is_told_apart(stats_, title, name)) continue;  // "Mr. John Knightley"
      auto it = surname_forms_.find(key);
      if (it == surname_forms_.end()) continue;
      for (int id : it->second) {
        const std::string& other = title_of_.at(table_.characters[id].name);
        if (is_mergeable_title(other) && !rank_kept_apart(title, other, key)) return id;
      }
    }
    return -1;
  }

  // "General Tilney" beside "Mr. Tilney" where the text also writes "Henry Tilney" but never
  // "General Henry Tilney": the surname's given-named owner is not the man of the rank (his
  // father, his brother). Where the text joins them ("Captain Henry Tilney") they stay one.
  bool rank_kept_apart(const std::string& title, const std::string& other,
                       const std::string& surname) const {
    if (title == other) return false;
    const std::string& rank = is_military_rank(title) ? title : other;
    if (!is_military_rank(rank)) return false;
    for (const auto& [key, count] : stats_.full)
      if (key.second == surname && gender_of_first_name(key.first) == Gender::Male &&
          !stats_.titled.count({rank, key.first + " " + surname}))
        return true;
    return false;
  }

  // "the Rupert", "the Lucy Grey": a given name the story writes after "the" more often than
  // not is an inn or a ship named after someone, not a person. Twice at least: one "the Hattie
  // of her school days" is a way of speaking of her.
  bool names_a_thing(const std::string& word) const {
    constexpr int kAfterTheMin = 2;
    if (gender_of_first_name(word) == Gender::Unknown) return false;
    const int after_the = count_of(stats_.after_the, word);
    const int all = count_of(stats_.bare, word) + count_of(stats_.bare_initial, word);
    return after_the >= kAfterTheMin && after_the * 2 > all;
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
      if (names_a_thing(word)) continue;
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
    // The most said first: "Sir John" is "John Middleton" rather than the "John Dashwood" said
    // less often.
    std::vector<std::pair<std::pair<std::string, std::string>, int>> forms(stats_.full.begin(),
                                                                           stats_.full.end());
    std::stable_sort(forms.begin(), forms.end(),
                     [](const auto& x, const auto& y) { return x.second > y.second; });
    // "Tobiah" said alone is the "Tobiah Pellow" whose wife is "Mrs Tobiah Pellow" and
    // "Mrs Tobiah", not the "Tobiah Yarrow" said more often.
    std::stable_partition(forms.begin(), forms.end(),
                          [&](const auto& x) { return is_husbands_name(stats_, x.first); });
    for (const auto& [key, count] : forms) {
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
      // "C. Weston Churchill" is no Mr. Weston: his family name does not come first. Said
      // often, such a full name ("Lewis Carroll" beside "Mr. Lewis") is someone of its own.
      if (id >= 0 && id == ia && ib < 0 && is_family_name_of(ia, a)) id = -1;
      // "John Dashwood" beside a "John" already known as "Sir John Middleton": another John.
      if (id >= 0 && id == ia && has_other_surname(ia, a, b)) id = surname_owner(ib, a);
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
    label_by_full_names();
  }

  // "Yarrow" found alone, for "Tobiah Yarrow" when "Tobiah" is another Tobiah: the character
  // called by the surname alone, if it can be a person of that given name's gender; else -1.
  int surname_owner(int id, const std::string& given) const {
    if (id < given_count_) return -1;
    const Character& c = table_.characters[id];
    const Gender g = gender_of_first_name(given);
    if (c.name.find(' ') != std::string::npos || c.is_group) return -1;
    return c.gender == Gender::Unknown || c.gender == g ? id : -1;
  }

  // "Tobiah" beside a "Tobiah Yarrow" who is someone else, and whose wife the story calls
  // "Mrs Tobiah Pellow" and "Mrs Tobiah": voiced by his own full name ("Tobiah Pellow"),
  // keeping the bare given name, his wife's husband's. Without a wife's title naming him, the
  // character stays as it is, and the scene decides whose a bare given name is (the sharing
  // of merge_name_forms).
  void label_by_full_names() {
    std::map<std::string, int> full_names_of;  // given name -> characters with a full name of it
    auto full_of = [](const Character& c, const std::string& given) {
      std::vector<std::string> found;
      for (const auto& name : names_of(c)) {
        const auto parts = parse_name(name);
        if (parts.title.empty() && parts.words.size() == 2 && parts.words[0] == given)
          found.push_back(name);
      }
      return found;
    };
    for (const auto& c : table_.characters) {
      std::set<std::string> givens;  // a character counts once for each given name it goes by
      for (const auto& name : names_of(c)) {
        const auto parts = parse_name(name);
        if (parts.title.empty() && parts.words.size() == 2 &&
            gender_of_first_name(parts.words[0]) != Gender::Unknown)
          givens.insert(parts.words[0]);
      }
      for (const auto& given : givens) ++full_names_of[given];
    }
    for (int id = given_count_; id < static_cast<int>(table_.characters.size()); ++id) {
      auto& c = table_.characters[id];
      if (c.name.find(' ') != std::string::npos || count_of(full_names_of, c.name) < 2) continue;
      const auto own = full_of(c, c.name);
      if (own.size() != 1 || !is_husbands_name(stats_, {c.name, parse_name(own[0]).words[1]}))
        continue;
      std::erase(c.aliases, own[0]);
      c.aliases.push_back(c.name);
      c.name = own[0];
    }
  }

  // Whether the character goes by a full name of the given name with another surname: "John
  // Middleton" or "Sir John Middleton" when the text writes "John Dashwood".
  bool has_other_surname(int id, const std::string& given, const std::string& surname) const {
    const auto& c = table_.characters[id];
    auto other = [&](const std::string& name) {
      const auto parts = parse_name(name);
      return parts.words.size() >= 2 && parts.words.front() == given &&
             !equals_icase(parts.surname, surname);
    };
    return other(c.name) || std::any_of(c.aliases.begin(), c.aliases.end(), other);
  }

  // Whether the character goes by a title and the word: "Weston" for "Mr. Weston"; not "Henry"
  // for "Sir Henry", a title said before a given name.
  bool is_family_name_of(int id, const std::string& word) const {
    const auto& c = table_.characters[id];
    const bool given_name = gender_of_first_name(word) != Gender::Unknown;
    auto titled = [&](const std::string& name) {
      auto space = name.find(' ');
      if (space == std::string::npos || name.substr(space + 1) != word) return false;
      const std::string title = name.substr(0, space);
      return is_person_title(title) && !(given_name && title_takes_given_name(title));
    };
    return titled(c.name) || std::any_of(c.aliases.begin(), c.aliases.end(), titled);
  }

  // A surname said alone ("Darcy") means its "Mr." form, or its only titled form.
  void merge_bare_surnames() {
    for (const auto& [surname, ids] : surname_forms_) {
      if (known(surname)) continue;
      int chosen = -1;
      for (int id : ids)
        if (is_mister(parse_name(table_.characters[id].name).title) && !told_apart(id)) chosen = id;
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

  // "Mr. John Knightley" beside "Mr. Knightley": his brother's name, not his.
  bool told_apart(int id) const {
    const std::string& name = table_.characters[id].name;
    const auto parts = parse_name(name);
    return parts.words.size() > 1 &&
           is_told_apart(stats_, parts.title, name.substr(parts.title.size() + 1));
  }

  const NameStats& stats_;
  CharacterTable& table_;
  int given_count_;  // characters given before discovery (cast file, reader, narrator)
  bool cast_given_;  // a cast file named the characters
  std::map<std::string, std::vector<int>> surname_forms_;
  std::map<std::string, int> titled_count_;
  std::map<std::string, std::string> title_of_;  // titled character name -> its title
  std::vector<int> titled_labels_;               // labelled by label_as_titled
};

}  // namespace

void discover_names(const NameStats& stats, CharacterTable& table, bool cast_given) {
  Discovery(stats, table, cast_given).run();
}

}  // namespace troupe::characters_internal
