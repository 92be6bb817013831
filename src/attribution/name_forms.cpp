#include "attribution/name_forms.h"

#include <algorithm>
#include <set>
#include <unordered_map>

#include "attribution/tokens.h"
#include "attribution/word_lists.h"
#include "common/ascii.h"

namespace troupe {
namespace {

// Lower-cased given name -> the rows of the short-form table it is in.
const std::unordered_map<std::string, std::vector<int>>& rows_of_name() {
  static const auto kIndex = [] {
    std::unordered_map<std::string, std::vector<int>> index;
    const auto& rows = short_form_rows();
    for (int r = 0; r < static_cast<int>(rows.size()); ++r)
      for (auto name : rows[r]) index[lower_ascii(name)].push_back(r);
    return index;
  }();
  return kIndex;
}

std::string lower_title(const std::string& title) {
  std::string lower = lower_ascii(title);
  if (!lower.empty() && lower.back() == '.') lower.pop_back();
  return lower;
}

// One spelling for titles written two ways ("Mrs." and "Missus").
std::string canonical_title(const std::string& lower) {
  static const std::unordered_map<std::string, std::string> kSame = {
      {"mister", "mr"}, {"missus", "mrs"}, {"doctor", "dr"}, {"mme", "madame"}, {"auntie", "aunt"}};
  auto it = kSame.find(lower);
  return it == kSame.end() ? lower : it->second;
}

// Titles of one man in several roles ("Mr. Kemp" is "Dr. Kemp"), or of one woman of rank
// ("Madame X" is "Countess X"); "Mrs." and "Miss", "Sir" and "Mr." name two people.
bool titles_fit(const std::string& a, const std::string& b) {
  static const std::set<std::string> kMale = {
      "mr",    "monsieur", "dr",        "professor",     "captain",  "colonel",
      "major", "general",  "admiral",   "inspector",     "sergeant", "lieutenant",
      "count", "baron",    "commander", "superintendent"};
  static const std::set<std::string> kFemaleRank = {"madame",   "countess", "baroness",
                                                    "princess", "duchess",  "marquise"};
  const std::string x = canonical_title(a), y = canonical_title(b);
  if (x == y) return true;
  return (kMale.count(x) && kMale.count(y)) || (kFemaleRank.count(x) && kFemaleRank.count(y));
}

// Titles said before a given name as well as before a surname: "Miss Elizabeth", "Sir Walter".
bool takes_given_name(const std::string& title) {
  static const std::set<std::string> kTitles = {
      "miss",   "lady",    "lord", "sir",    "aunt",     "uncle", "master", "mistress", "cousin",
      "sister", "brother", "dame", "prince", "princess", "king",  "queen",  "father",   "mother"};
  return kTitles.count(canonical_title(title)) > 0;
}

struct Parsed {
  NameParts parts;
  std::string given;                 // lower-cased; "" when the name is a surname alone
  std::vector<std::string> middles;  // lower-cased
  std::string surname_lower;
  std::string surname_core;  // its last word: "bourgh" of "de bourgh"
};

Parsed parse(std::string_view name) {
  Parsed p;
  auto tokens = tokenize(name);
  std::size_t i = 0;
  if (!tokens.empty() && is_person_title(tokens[0].text, &p.parts.title_gender)) {
    p.parts.title = tokens[0].text;
    i = 1;
  }
  std::vector<std::string> lower;
  for (; i < tokens.size(); ++i) {
    p.parts.words.push_back(tokens[i].text);
    lower.push_back(tokens[i].lower);
  }
  if (lower.empty()) return p;
  std::size_t surname_at = lower.size() - 1;
  while (surname_at > 0 && is_surname_particle(lower[surname_at - 1])) --surname_at;
  for (std::size_t k = surname_at; k < lower.size(); ++k) {
    p.surname_lower += (k > surname_at ? " " : "") + lower[k];
    p.parts.surname += (k > surname_at ? " " : "") + p.parts.words[k];
  }
  p.surname_core = lower.back();
  if (surname_at > 0) p.given = lower[0];
  for (std::size_t k = 1; k < surname_at; ++k) p.middles.push_back(lower[k]);
  return p;
}

// parse(name), worked out once per name (and thread): the characters' names are compared with
// one another over and over (fuller_forms_of, is_form_of). A node's value stays where it is as
// the map grows, so the reference stays good.
const Parsed& parsed(std::string_view name) {
  thread_local std::unordered_map<std::string, Parsed> known;
  std::string key(name);
  auto it = known.find(key);
  if (it == known.end()) it = known.emplace(std::move(key), parse(name)).first;
  return it->second;
}

bool is_initial(const std::string& w) { return w.size() == 1; }

// Whether one of two given names is the full form of the other ("Bill" and "William"). Two
// short forms of one name ("Molly" and "Polly") are too weak a sign of one person.
bool full_and_short(const std::string& a, const std::string& b) {
  if (a == b) return true;
  const auto& rows = short_form_rows();
  const auto& index = rows_of_name();
  for (const auto& [name, other] : {std::pair{a, b}, std::pair{b, a}}) {
    auto it = index.find(name);
    if (it == index.end()) continue;
    for (int r : it->second)
      if (lower_ascii(rows[r][0]) == other) return true;
  }
  return false;
}

// "J" fits "John"; "Bill" fits "William".
bool given_fits(const std::string& a, const std::string& b) {
  if (is_initial(a) || is_initial(b)) return a[0] == b[0];
  return full_and_short(a, b);
}

// Every middle name or initial of the form is one of the full name's, in order.
bool middles_fit(const std::vector<std::string>& form, const std::vector<std::string>& full) {
  std::size_t at = 0;
  for (const auto& m : form) {
    while (at < full.size() && !given_fits(m, full[at])) ++at;
    if (at == full.size()) return full.empty();  // a middle the full name leaves out
    ++at;
  }
  return true;
}

std::string joined_lower(std::string_view name) {
  std::string key;
  for (const auto& t : tokenize(name)) key += (key.empty() ? "" : " ") + t.lower;
  return key;
}

// "Bourgh" is "de Bourgh".
bool same_surname(const Parsed& a, const Parsed& b) {
  return a.surname_lower == b.surname_lower || a.surname_core == b.surname_core;
}

bool words_fit(const Parsed& form, const Parsed& full) {
  if (form.given.empty()) {
    const std::string& word = form.surname_lower;
    if (same_surname(form, full)) return true;
    if (word.find(' ') != std::string::npos || is_initial(word)) return false;
    return full_and_short(word, full.given.empty() ? full.surname_lower : full.given);
  }
  if (full.given.empty()) {
    // A name of one word: "Emma Woodhouse" of "Emma", "Sherlock Holmes" of "Mr. Holmes", but
    // not "Elizabeth Bennet" of a bare "Bennet" her mother goes by.
    const std::string& title = full.parts.title;
    if (title.empty()) return form.given == full.surname_lower;
    return same_surname(form, full) ||
           (takes_given_name(lower_title(title)) && full_and_short(form.given, full.surname_lower));
  }
  return same_surname(form, full) && given_fits(form.given, full.given) &&
         middles_fit(form.middles, full.middles);
}

// "Georgiana Darcy" is no man, "Tom" no woman.
bool given_gender_fits(const Parsed& form, Gender gender) {
  if (gender == Gender::Unknown) return true;
  // the given name: the first of several words, or one word without a title
  const bool one_untitled = form.parts.title.empty() && form.parts.words.size() == 1;
  const std::string given =
      !form.given.empty() || one_untitled ? form.parts.words[0] : std::string();
  if (given.empty()) return true;
  Gender by_name = gender_of_first_name(given);
  return by_name == Gender::Unknown || by_name == gender;
}

}  // namespace

// Words that belong to the surname after them: "St. Cloud", "de Winter", "van Helsing".
bool is_surname_particle(const std::string& lower) {
  static const std::set<std::string> kParticles = {"st",    "de",  "du",  "van", "von", "der",
                                                   "den",   "le",  "la",  "da",  "di",  "del",
                                                   "della", "ter", "ten", "des", "dos", "mac"};
  return kParticles.count(lower) > 0;
}

bool same_given_name(std::string_view a, std::string_view b) {
  const std::string x = lower_ascii(a), y = lower_ascii(b);
  if (x.empty() || y.empty()) return false;
  if (x == y) return true;
  const auto& index = rows_of_name();
  auto ix = index.find(x), iy = index.find(y);
  if (ix == index.end() || iy == index.end()) return false;
  for (int r : ix->second)
    for (int s : iy->second)
      if (r == s) return true;
  return false;
}

bool is_short_form_of(std::string_view short_name, std::string_view full_name) {
  const std::string s = lower_ascii(short_name), f = lower_ascii(full_name);
  if (s == f) return false;
  const auto& rows = short_form_rows();
  const auto it = rows_of_name().find(s);
  if (it == rows_of_name().end()) return false;
  return std::any_of(it->second.begin(), it->second.end(),
                     [&](int r) { return lower_ascii(rows[r][0]) == f; });
}

NameParts parse_name(std::string_view name) { return parsed(name).parts; }

bool is_form_of(std::string_view form, std::string_view full, Gender gender) {
  if (joined_lower(form) == joined_lower(full)) return !joined_lower(form).empty();
  const Parsed &f = parsed(form), &g = parsed(full);
  if (f.surname_lower.empty() || g.surname_lower.empty()) return false;
  const Gender title_gender = f.parts.title_gender;
  if (title_gender != Gender::Unknown) {
    if (gender != Gender::Unknown && gender != title_gender) return false;
    // "Miss Pellow" is no "Ansel Pellow", whoever goes by that name ("Mrs. Ansel Pellow"
    // is his wife's name: a title of its own says whose)
    if (g.parts.title.empty() && !g.given.empty() &&
        gender_of_first_name(g.parts.words[0]) != Gender::Unknown &&
        gender_of_first_name(g.parts.words[0]) != title_gender)
      return false;
    if (g.parts.title_gender != Gender::Unknown && g.parts.title_gender != title_gender)
      return false;
  }
  if (!f.parts.title.empty() && !g.parts.title.empty() &&
      !titles_fit(lower_title(f.parts.title), lower_title(g.parts.title)))
    return false;
  return given_gender_fits(f, gender) && words_fit(f, g);
}

bool title_takes_given_name(std::string_view title) {
  return takes_given_name(lower_title(std::string(title)));
}

std::string normal_title(std::string_view title) {
  return canonical_title(lower_title(std::string(title)));
}

bool is_military_rank(std::string_view title) {
  static const std::set<std::string> kRanks = {"captain", "colonel",    "major",     "general",
                                               "admiral", "lieutenant", "commander", "sergeant"};
  return kRanks.count(lower_title(std::string(title))) > 0;
}

bool is_surname_of(std::string_view form, std::string_view full) {
  const Parsed &f = parsed(form), &g = parsed(full);
  return f.parts.title.empty() && f.given.empty() && !g.given.empty() &&
         f.surname_lower == g.surname_lower;
}

std::vector<std::string> family_plurals(const std::string& surname) {
  return {surname + "s", surname + "es"};
}

bool is_plural_of(std::string_view word, std::string_view surname) {
  if (surname.empty()) return false;
  for (const auto& plural : family_plurals(std::string(surname)))
    if (equals_icase(word, plural)) return true;
  return false;
}

}  // namespace troupe
