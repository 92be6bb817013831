// One person the text calls two ways, found by the turns of the script: "the Jew" and "Fagin",
// "Loo" and "Louisa", "Master Bates" and "Charley" become one speaker when their names can be one
// person's and their turns say so. Two people in one exchange answer each other, so their turns
// stand an odd number of turns apart (A B A B); one person's turns under two labels stand an
// even number apart, as every speaker's own turns do.
#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "attribution/characters.h"
#include "attribution/characters_internal.h"
#include "attribution/name_forms.h"
#include "attribution/tokens.h"
#include "attribution/word_lists.h"
#include "common/ascii.h"

namespace troupe::characters_internal {
namespace {

// How far apart two turns may stand and still be read as one exchange.
constexpr int kTurnWindow = 8;
// How many pairs of turns an even distance apart it takes, and how many times more of them than
// of pairs an odd distance apart, to read two labels as one person.
constexpr int kEvenPairsMin = 8;
constexpr int kEvenOverOdd = 2;

std::vector<std::string> names_of(const Character& c) {
  std::vector<std::string> names = c.aliases;
  names.insert(names.begin(), c.name);
  return names;
}

// "The Jew", "The Dodger": a character the narration names by a noun with the article (not "The
// George", an inn named by a given name).
bool is_epithet(const Character& c) {
  const auto tokens = tokenize(c.name);
  return tokens.size() == 2 && tokens[0].lower == "the" && tokens[1].capitalized &&
         gender_of_first_name(tokens[1].text) == Gender::Unknown;
}

bool genders_agree(Gender a, Gender b) {
  return a == Gender::Unknown || b == Gender::Unknown || a == b;
}

// An epithet's gender: the one the narration's pronouns gave it, else its noun's ("the Jew").
Gender epithet_gender(const Character& c) {
  if (c.gender != Gender::Unknown) return c.gender;
  const auto tokens = tokenize(c.name);
  return gender_of_person_noun(tokens.back().lower);
}

// Whether `form` names `full` by the family name alone, with or without a title ("Miss Barry",
// "Barry" of "Diana Barry"): a family shares it, so it says nothing of who is who.
bool by_surname_only(const std::string& form, const std::string& full) {
  const auto form_parts = parse_name(form), full_parts = parse_name(full);
  return form_parts.words.size() == 1 && full_parts.words.size() >= 2 &&
         equals_icase(form_parts.words[0], full_parts.surname);
}

// Whether the names of `a` and `b` can be one person's: an epithet of a known gender beside a
// proper name ("the Jew", "Fagin"), or a name of one a form of a name of the other by the given
// name ("Loo" of "Louisa", "Rose" of "Rose Maylie"), and no gender that tells them apart.
bool can_be_one_person(const Character& a, const Character& b) {
  if (!genders_agree(a.gender, b.gender)) return false;
  const bool epithet_a = is_epithet(a), epithet_b = is_epithet(b);
  if (epithet_a && epithet_b) return false;
  if (epithet_a || epithet_b) {
    const Character& epithet = epithet_a ? a : b;
    const Character& named = epithet_a ? b : a;
    const Gender gender = epithet_gender(epithet);
    return gender != Gender::Unknown && genders_agree(gender, named.gender) &&
           is_proper_name(named.name);
  }
  const auto fits = [](const std::string& form, const std::string& full, Gender gender) {
    return is_form_of(form, full, gender) && !by_surname_only(form, full) &&
           !by_surname_only(full, form);
  };
  for (const auto& x : names_of(a))
    for (const auto& y : names_of(b))
      if (is_proper_name(x) && is_proper_name(y) && (fits(x, y, b.gender) || fits(y, x, a.gender)))
        return true;
  return false;
}

// Per chapter, the speakers of its quotations with a speaker's consecutive quotations as one
// turn; -1 marks a chapter's end.
std::vector<int> turns_of(const Script& script, const std::map<std::string, int>& id_of) {
  std::vector<int> turns;
  for (const auto& chapter : script.chapters) {
    for (const auto& line : chapter.lines) {
      if (line.kind != LineKind::Quote) continue;
      auto it = id_of.find(line.speaker);
      const int id = it == id_of.end() ? -2 : it->second;
      if (turns.empty() || turns.back() != id) turns.push_back(id);
    }
    turns.push_back(-1);
  }
  return turns;
}

// How many quotations each character speaks.
std::map<int, int> quotations_per_speaker(const Script& script,
                                          const std::map<std::string, int>& id_of) {
  std::map<int, int> out;
  for (const auto& chapter : script.chapters)
    for (const auto& line : chapter.lines)
      if (auto it = id_of.find(line.speaker); line.kind == LineKind::Quote && it != id_of.end())
        ++out[it->second];
  return out;
}

struct Parity {
  int odd = 0, even = 0;
};

// For every two characters, how many pairs of their turns stand an odd and an even number of
// turns apart within the window.
std::map<std::pair<int, int>, Parity> turn_parity(const std::vector<int>& turns) {
  std::map<std::pair<int, int>, Parity> out;
  for (std::size_t i = 0; i < turns.size(); ++i) {
    if (turns[i] < 0) continue;
    for (std::size_t j = i + 1; j < turns.size() && j <= i + kTurnWindow; ++j) {
      if (turns[j] == -1) break;
      if (turns[j] < 0 || turns[j] == turns[i]) continue;
      auto& p = out[{std::min(turns[i], turns[j]), std::max(turns[i], turns[j])}];
      ((j - i) % 2 ? p.odd : p.even) += 1;
    }
  }
  return out;
}

bool may_join(const Character& c) {
  return !c.is_reader && !c.is_first_person && !c.is_group && c.name != kNarratorLabel &&
         c.name != kUnknownLabel;
}

// Which of two characters keeps its label: a cast character, else a proper name over an
// epithet, else the one with more quotations.
bool keeps_label(const Script& script, int a, int b, int cast_count,
                 const std::map<int, int>& quotes) {
  if ((a < cast_count) != (b < cast_count)) return a < cast_count;
  const bool ea = is_epithet(script.characters[a]), eb = is_epithet(script.characters[b]);
  if (ea != eb) return eb;
  const auto count = [&](int id) {
    auto it = quotes.find(id);
    return it == quotes.end() ? 0 : it->second;
  };
  return count(a) >= count(b);
}

}  // namespace

void join_by_turns(Script& script, int cast_count) {
  std::map<std::string, int> id_of;
  for (int id = 0; id < static_cast<int>(script.characters.size()); ++id)
    if (may_join(script.characters[id])) id_of.emplace(script.characters[id].name, id);
  const auto turns = turns_of(script, id_of);
  const auto quotes = quotations_per_speaker(script, id_of);
  // The strongest evidence first; each character joins at most one other.
  std::vector<std::pair<int, std::pair<int, int>>> joins;
  for (const auto& [pair, p] : turn_parity(turns)) {
    const auto [a, b] = pair;
    if (a < cast_count && b < cast_count) continue;  // the cast is the list of people
    if (p.even < kEvenPairsMin || p.even < kEvenOverOdd * p.odd) continue;
    if (!can_be_one_person(script.characters[a], script.characters[b])) continue;
    joins.push_back({p.even, pair});
  }
  std::stable_sort(joins.begin(), joins.end(),
                   [](const auto& x, const auto& y) { return x.first > y.first; });
  std::set<int> joined;
  std::map<std::string, std::string> relabel;
  for (const auto& [even, pair] : joins) {
    auto [a, b] = pair;
    if (joined.count(a) || joined.count(b)) continue;
    if (!keeps_label(script, a, b, cast_count, quotes)) std::swap(a, b);
    joined.insert(a);
    joined.insert(b);
    auto& kept = script.characters[a];
    for (const auto& name : names_of(script.characters[b])) kept.aliases.push_back(name);
    if (kept.gender == Gender::Unknown) kept.gender = script.characters[b].gender;
    relabel[script.characters[b].name] = kept.name;
    script.characters[b].name.clear();  // taken out below
  }
  if (relabel.empty()) return;
  for (auto& chapter : script.chapters)
    for (auto& line : chapter.lines)
      if (auto it = relabel.find(line.speaker); line.kind == LineKind::Quote && it != relabel.end())
        line.speaker = it->second;
  std::erase_if(script.characters, [](const Character& c) { return c.name.empty(); });
}

}  // namespace troupe::characters_internal
