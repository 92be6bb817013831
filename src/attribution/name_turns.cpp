// One person the text calls two ways, found by the turns of the script: "the Peddler" and "Corwen",
// "Mina" and "Wilhelmina", "Master Gannet" and "Tobiah", "Sir-Reginald-the-Bold" and "Reginald"
// become one speaker when their names can be one person's and their turns say so. Two people in one
// exchange answer each other back and forth (A B A); one person under two labels does not, and
// the third speaker they talk with stands between their turns (X A X B). Those two counts are
// local to each exchange, so one more label elsewhere, or two labels joined upstream, moves them
// little; the joins are then made as groups, strongest first, and no group takes in two
// characters the turns set apart.
#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "attribution/characters.h"
#include "attribution/characters_internal.h"
#include "attribution/name_forms.h"
#include "attribution/rule.h"
#include "attribution/tokens.h"
#include "attribution/word_lists.h"
#include "common/ascii.h"

namespace troupe::characters_internal {
namespace {

// How far apart two turns may stand and still be read as one exchange.
constexpr int kTurnWindow = 8;
// How many times a third speaker's turn stands between the two labels' turns (X A X B) it
// takes to read two labels as one person, unless their full names say so.
constexpr int kAcrossMin = 4;
// How many times more turns across a third speaker's than answers back and forth (A B A)
// two labels need: two people talking answer each other, one person under two labels does not.
constexpr int kAcrossOverAlternating = 3;
// How many times two labels, each named by its tag, may answer back and forth (A B A) and still
// be one person.
constexpr int kFirmAlternatingMax = 1;

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

// Whether `part` is the first or the last part of the one hyphenated name `whole`: "Pooh" of
// "Winnie-the-Pooh", not "Menzies" of "Jock Grant-Menzies" (a family name of two parts).
bool is_hyphen_part(const std::string& part, const std::string& whole) {
  if (part.find_first_of(" -") != std::string::npos || whole.find(' ') != std::string::npos)
    return false;
  const auto first = whole.find('-'), last = whole.rfind('-');
  if (first == std::string::npos || part.size() < 2) return false;
  return whole.compare(0, first, part) == 0 ||
         whole.compare(last + 1, std::string::npos, part) == 0;
}

// Whether `form`, a given name of character `c` ("Jock"), is said with a surname of c's that is
// not the surname of `full` ("Jock Grant-Menzies" beside "John Andrew"): two families.
bool in_other_family(const Character& c, const std::string& form, const std::string& full) {
  const auto full_parts = parse_name(full);
  if (full_parts.words.size() < 2 || parse_name(form).words.size() != 1) return false;
  const auto surnames = surnames_after(c, form);
  return std::any_of(surnames.begin(), surnames.end(), [&](const std::string& surname) {
    return !equals_icase(surname, full_parts.surname);
  });
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
      if (is_proper_name(x) && is_proper_name(y) &&
          (fits(x, y, b.gender) || fits(y, x, a.gender) || is_hyphen_part(x, y) ||
           is_hyphen_part(y, x)) &&
          !in_other_family(a, x, y) && !in_other_family(b, y, x))
        return true;
  return false;
}

// One speaker's consecutive quotations; `firm` when a tag names the speaker in one of them.
struct Turn {
  int id;
  bool firm;
};
constexpr int kChapterEnd = -1;
constexpr int kNotJoinable = -2;

// Per chapter, the turns of its quotations; a turn of kChapterEnd marks a chapter's end.
std::vector<Turn> turns_of(const Script& script, const std::map<std::string, int>& id_of) {
  std::vector<Turn> turns;
  for (const auto& chapter : script.chapters) {
    for (const auto& line : chapter.lines) {
      if (line.kind != LineKind::Quote) continue;
      auto it = id_of.find(line.speaker);
      const int id = it == id_of.end() ? kNotJoinable : it->second;
      const bool firm = line.rule == rule_name(Rule::TagName);
      if (!turns.empty() && turns.back().id == id) {
        turns.back().firm = turns.back().firm || firm;
        continue;
      }
      turns.push_back({id, firm});
    }
    turns.push_back({kChapterEnd, false});
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

// What the turns say of two characters: pairs of their turns an even and an odd number of
// turns apart within the window; turns one turn apart across a third speaker's (X A X B); turns
// that answer back and forth (A B A), and of those the ones whose three tags all name the
// speaker.
struct Parity {
  int odd = 0, even = 0;
  int across = 0, alternating = 0, firm_alternating = 0;
};

// For every two characters, what their turns say.
std::map<std::pair<int, int>, Parity> turn_parity(const std::vector<Turn>& turns) {
  std::map<std::pair<int, int>, Parity> out;
  for (std::size_t i = 0; i < turns.size(); ++i) {
    if (turns[i].id < 0) continue;
    for (std::size_t j = i + 1; j < turns.size() && j <= i + kTurnWindow; ++j) {
      if (turns[j].id == kChapterEnd) break;
      if (turns[j].id < 0 || turns[j].id == turns[i].id) continue;
      auto& p = out[{std::min(turns[i].id, turns[j].id), std::max(turns[i].id, turns[j].id)}];
      ((j - i) % 2 ? p.odd : p.even) += 1;
      if (j == i + 2 && turns[i + 1].id >= 0) ++p.across;
      if (j == i + 1 && i + 2 < turns.size() && turns[i + 2].id == turns[i].id) {
        ++p.alternating;
        if (turns[i].firm && turns[j].firm && turns[i + 2].firm) ++p.firm_alternating;
      }
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

// "The Voice", "the stranger", "The Invisible Man": a speaker the text calls by a description
// with the article and no given name in it.
bool is_description(const Character& c) {
  const auto tokens = tokenize(c.name);
  if (tokens.size() < 2 || tokens.size() > 4 || tokens[0].lower != "the") return false;
  for (std::size_t i = 1; i < tokens.size(); ++i)
    if (gender_of_first_name(tokens[i].text) != Gender::Unknown) return false;
  return true;
}

// The words a character is called by, lower case, without a description's article: "griffin",
// "invisible man".
std::vector<std::vector<std::string>> words_of_names(const Character& c) {
  std::vector<std::vector<std::string>> out;
  for (const auto& name : names_of(c)) {
    std::vector<std::string> words;
    for (const auto& t : tokenize(name)) words.push_back(t.lower);
    if (words.size() >= 2 && words[0] == "the") words.erase(words.begin());
    if (!words.empty()) out.push_back(words);
  }
  return out;
}

// The character whose name stands, capitalised, at tokens[at] (the longest name), or -1.
int character_named_at(const std::vector<Token>& tokens, std::size_t at,
                       const std::map<std::string, int>& id_of, const Script& script) {
  if (at >= tokens.size() || !tokens[at].capitalized) return -1;
  int best = -1;
  std::size_t best_length = 0;
  for (const auto& [name, id] : id_of)
    for (const auto& words : words_of_names(script.characters[id])) {
      if (words.size() <= best_length || at + words.size() > tokens.size()) continue;
      bool fits = !tokens[at + words.size() - 1].possessive;
      for (std::size_t k = 0; k < words.size() && fits; ++k)
        fits = tokens[at + k].lower == words[k];
      if (fits) {
        best = id;
        best_length = words.size();
      }
    }
  return best;
}

// Whom a quotation's speaker says they are: "I am Brannock", "my name is X", "I'm a Masked
// Man" (the description another speaker label is); -1 if nobody.
int named_self(const std::string& text, const std::map<std::string, int>& id_of,
               const Script& script) {
  const auto tokens = tokenize(text);
  for (std::size_t i = 0; i + 1 < tokens.size(); ++i) {
    std::size_t at = 0;
    if (tokens[i].lower == "i'm") at = i + 1;
    if (tokens[i].lower == "i" && tokens[i + 1].lower == "am") at = i + 2;
    if (tokens[i].lower == "my" && i + 2 < tokens.size() && tokens[i + 1].lower == "name" &&
        tokens[i + 2].lower == "is")
      at = i + 3;
    if (at == 0 || at >= tokens.size()) continue;
    const std::string& article = tokens[at].lower;
    if (article == "a" || article == "an" || article == "the") ++at;
    if (int id = character_named_at(tokens, at, id_of, script); id >= 0) return id;
  }
  return -1;
}

// Whether a quotation is a name alone, as written: "Griffin," but not "Kemp!" (a call).
int bare_name(const std::string& text, const std::map<std::string, int>& id_of,
              const Script& script) {
  const auto tokens = tokenize(text);
  if (tokens.empty()) return -1;
  const int id = character_named_at(tokens, 0, id_of, script);
  if (id < 0) return -1;
  for (const auto& words : words_of_names(script.characters[id]))
    if (words.size() == tokens.size()) return id;
  return -1;
}

bool ends_with_mark(const std::string& text, char mark) {
  const auto end = text.find_last_not_of(" \t\n");
  return end != std::string::npos && text[end] == mark;
}

// For each description speaker, whom the text says it is: a line of theirs naming themselves
// ("I am Brannock", "I am the Masked Man"), or their answer with a name alone to a question
// that is that name ("Brannock?" "Brannock," answered the Voice).
std::map<int, std::set<int>> said_to_be(const Script& script,
                                        const std::map<std::string, int>& id_of) {
  std::map<int, std::set<int>> named;
  for (const auto& chapter : script.chapters) {
    const ScriptLine* before = nullptr;
    for (const auto& line : chapter.lines) {
      if (line.kind != LineKind::Quote) continue;
      const ScriptLine* previous = before;
      before = &line;
      auto it = id_of.find(line.speaker);
      if (it == id_of.end() || !is_description(script.characters[it->second])) continue;
      int other = named_self(line.text, id_of, script);
      if (other < 0 && previous && previous->speaker != line.speaker &&
          ends_with_mark(previous->text, '?') && !ends_with_mark(line.text, '!') &&
          !ends_with_mark(line.text, '?')) {
        const int answer = bare_name(line.text, id_of, script);
        if (answer >= 0 && answer == bare_name(previous->text, id_of, script)) other = answer;
      }
      if (other >= 0 && other != it->second) named[it->second].insert(other);
    }
  }
  return named;
}

// The one named character a description's own links reach, or -1 (none, or two: a description
// used for several people).
int named_by_links(const Script& script, const std::set<int>& links) {
  int named = -1;
  for (int id : links) {
    if (is_description(script.characters[id])) continue;
    if (named >= 0 || !is_proper_name(script.characters[id].name)) return -1;
    named = id;
  }
  return named;
}

// Who a description is, by the text: the one named character its links reach, else the one
// reached by the descriptions it is linked with ("The Voice" is Brannock and says it is the
// Masked Man: "The Masked Man" is Brannock too); -1 if none or several.
int named_character_of(const Script& script, const std::map<int, std::set<int>>& links,
                       int description) {
  const auto own = links.find(description);
  if (own != links.end()) {
    if (int named = named_by_links(script, own->second); named >= 0) return named;
    for (int id : own->second)
      if (!is_description(script.characters[id])) return -1;
  }
  std::set<int> reached;
  for (const auto& [other, targets] : links) {
    const bool linked =
        targets.count(description) || (own != links.end() && own->second.count(other));
    if (other == description || !linked) continue;
    reached.insert(named_by_links(script, targets));
  }
  return reached.size() == 1 ? *reached.begin() : -1;
}

// The joins the text says: each description into the named character it is, when the two never
// answer each other in turns. Returns (kept, joined) pairs.
std::vector<std::pair<int, int>> described_joins(
    const Script& script, const std::map<std::string, int>& id_of, int cast_count,
    const std::map<std::pair<int, int>, Parity>& parity) {
  const auto links = said_to_be(script, id_of);
  std::set<int> descriptions;
  for (const auto& [description, targets] : links) {
    descriptions.insert(description);
    for (int id : targets)
      if (is_description(script.characters[id])) descriptions.insert(id);
  }
  std::vector<std::pair<int, int>> out;
  for (int description : descriptions) {
    if (description < cast_count) continue;  // the cast is the list of people
    const int named = named_character_of(script, links, description);
    if (named < 0) continue;
    const auto it = parity.find({std::min(description, named), std::max(description, named)});
    const Parity p = it == parity.end() ? Parity{} : it->second;
    if (p.odd >= p.even) continue;  // two people talking to each other
    if (!genders_agree(script.characters[description].gender, script.characters[named].gender))
      continue;
    out.push_back({named, description});
  }
  return out;
}

// Relabels every quotation of a joined character with the kept one's name, and takes the
// joined ones out of the characters.
void apply_relabels(Script& script, const std::map<std::string, std::string>& relabel) {
  if (relabel.empty()) return;
  for (auto& chapter : script.chapters)
    for (auto& line : chapter.lines)
      if (auto it = relabel.find(line.speaker); line.kind == LineKind::Quote && it != relabel.end())
        line.speaker = it->second;
  std::erase_if(script.characters, [](const Character& c) { return c.name.empty(); });
}

// Joins character b into a: its names become a's aliases, its quotations a's.
void join_into(Script& script, int a, int b, std::map<std::string, std::string>& relabel) {
  auto& kept = script.characters[a];
  for (const auto& name : names_of(script.characters[b])) kept.aliases.push_back(name);
  if (kept.gender == Gender::Unknown) kept.gender = script.characters[b].gender;
  relabel[script.characters[b].name] = kept.name;
  script.characters[b].name.clear();  // taken out by apply_relabels
}

std::map<std::string, int> joinable_ids(const Script& script) {
  std::map<std::string, int> id_of;
  for (int id = 0; id < static_cast<int>(script.characters.size()); ++id)
    if (may_join(script.characters[id])) id_of.emplace(script.characters[id].name, id);
  return id_of;
}

// A description speaker the text says is a named character becomes that character.
void join_described(Script& script, int cast_count) {
  const auto id_of = joinable_ids(script);
  const auto joins =
      described_joins(script, id_of, cast_count, turn_parity(turns_of(script, id_of)));
  std::map<std::string, std::string> relabel;
  for (const auto& [kept, joined] : joins) join_into(script, kept, joined, relabel);
  apply_relabels(script, relabel);
}

// Whether `form` is a title and a surname and `full` the same title before a given name and that
// surname: "Master Bates" of "Master Charley Bates".
bool is_titled_surname_of(const std::string& form, const std::string& full) {
  const auto f = parse_name(form), g = parse_name(full);
  return !f.title.empty() && f.title == g.title && f.words.size() == 1 && g.words.size() >= 2 &&
         equals_icase(f.surname, g.surname);
}

// Whether every character of the script called by `title` and `surname` can be one person: no
// two of another gender or given name ("Mr. Ashby" and "Janey Ashby" are a family), and no
// sisters the narration tells apart ("the Miss Steeles": `sisters`, sister_surnames).
bool surname_of_one(const Script& script, const std::string& title, const std::string& surname,
                    const std::set<std::string>& sisters) {
  if (equals_icase(title, "Miss") && sisters.count(lower_ascii(surname))) return false;
  std::vector<std::pair<Gender, std::string>> bearers;  // (gender, given name or "")
  for (const auto& c : script.characters)
    for (const auto& name : names_of(c)) {
      const auto parts = parse_name(name);
      if (parts.words.empty() || !equals_icase(parts.surname, surname)) continue;
      const Gender g = parts.title_gender != Gender::Unknown ? parts.title_gender : c.gender;
      bearers.push_back({g, parts.words.size() >= 2 ? parts.words.front() : ""});
    }
  for (const auto& [g1, given1] : bearers)
    for (const auto& [g2, given2] : bearers)
      if (!genders_agree(g1, g2) ||
          (!given1.empty() && !given2.empty() && !same_given_name(given1, given2)))
        return false;
  return true;
}

// How two characters' names can be one person's: not at all, by forms of one name (or an
// epithet), or by two full names ("Master Tobias Gannet" and "Tobe Gannet"), which need
// less of the turns.
enum class NameLink { None, Form, FullName };

NameLink name_link(const Script& script, const Character& a, const Character& b,
                   const std::set<std::string>& sisters) {
  for (const auto& x : names_of(a))
    for (const auto& y : names_of(b)) {
      if (!is_proper_name(x) || !is_proper_name(y)) continue;
      const auto px = parse_name(x), py = parse_name(y);
      if (px.words.size() >= 2 && py.words.size() >= 2 &&
          (is_form_of(x, y, b.gender) || is_form_of(y, x, a.gender)) &&
          genders_agree(a.gender, b.gender))
        return NameLink::FullName;
    }
  if (can_be_one_person(a, b)) return NameLink::Form;
  // "Master Bates" beside "Master Charley Bates", where nobody else goes by Bates.
  for (const auto& x : names_of(a))
    for (const auto& y : names_of(b))
      for (const auto& [form, full] : {std::pair{x, y}, std::pair{y, x}})
        if (is_titled_surname_of(form, full) && genders_agree(a.gender, b.gender) &&
            surname_of_one(script, parse_name(form).title, parse_name(form).surname, sisters))
          return NameLink::Form;
  return NameLink::None;
}

// Whether the turns set two characters apart: they answer each other back and forth (A B A)
// more than a third speaker's turns stand between theirs, or tags name both as they do so more
// than once (once may be a tag read wrong).
bool set_apart(const Parity& p) {
  return p.alternating * kAcrossOverAlternating > p.across ||
         p.firm_alternating > kFirmAlternatingMax;
}

// The characters the turns join, as groups. Joins are weighed strongest first, and a join that
// would put into one group two characters the turns set apart, two cast characters, two
// epithets or two genders is left out: which labels join does not hang on the order the
// labels were found in, nor does one more label pull a third character in.
class TurnJoins {
 public:
  TurnJoins(const Script& script, int cast_count,
            const std::map<std::pair<int, int>, Parity>& parity,
            const std::set<std::string>& sisters)
      : script_(script), cast_count_(cast_count), parity_(parity), sisters_(sisters) {}

  void consider(int a, int b, const Parity& p) {
    if (a < cast_count_ && b < cast_count_) return;  // the cast is the list of people
    if (set_apart(p)) return;
    const NameLink link =
        name_link(script_, script_.characters[a], script_.characters[b], sisters_);
    if (link == NameLink::None) return;
    if (link == NameLink::Form && p.across < kAcrossMin) return;
    candidates_.push_back({p.across, {a, b}});
  }

  // The groups of two characters or more, each in the order of the characters.
  std::vector<std::vector<int>> groups() {
    std::stable_sort(candidates_.begin(), candidates_.end(),
                     [](const auto& x, const auto& y) { return x.first > y.first; });
    for (const auto& [across, pair] : candidates_) merge(pair.first, pair.second);
    std::vector<std::vector<int>> out;
    for (const auto& [head, members] : members_)
      if (members.size() >= 2) out.push_back(members);
    return out;
  }

 private:
  std::vector<int>& group_of(int id) {
    auto it = head_.find(id);
    if (it == head_.end()) {
      head_[id] = id;
      members_[id] = {id};
      return members_[id];
    }
    return members_[it->second];
  }

  bool may_merge(const std::vector<int>& x, const std::vector<int>& y) const {
    int cast = 0, epithets = 0;
    Gender gender = Gender::Unknown;
    for (const auto* group : {&x, &y})
      for (int id : *group) {
        const Character& c = script_.characters[id];
        cast += id < cast_count_;
        epithets += is_epithet(c);
        if (!genders_agree(gender, c.gender)) return false;
        if (gender == Gender::Unknown) gender = c.gender;
      }
    if (cast > 1 || epithets > 1) return false;
    for (int a : x)
      for (int b : y)
        if (auto it = parity_.find({std::min(a, b), std::max(a, b)});
            it != parity_.end() && set_apart(it->second))
          return false;
    return true;
  }

  void merge(int a, int b) {
    auto& x = group_of(a);
    auto& y = group_of(b);
    if (&x == &y || !may_merge(x, y)) return;
    const int head = head_[a], other = head_[b];
    for (int id : y) head_[id] = head;
    x.insert(x.end(), y.begin(), y.end());
    std::sort(x.begin(), x.end());
    members_.erase(other);
  }

  const Script& script_;
  int cast_count_;
  const std::map<std::pair<int, int>, Parity>& parity_;
  const std::set<std::string>& sisters_;
  std::vector<std::pair<int, std::pair<int, int>>> candidates_;  // (across, pair)
  std::map<int, int> head_;                                      // character -> its group's head
  std::map<int, std::vector<int>> members_;                      // head -> the group
};

}  // namespace

void join_by_turns(Script& script, int cast_count, const std::set<std::string>& sister_surnames) {
  join_described(script, cast_count);
  const auto id_of = joinable_ids(script);
  const auto turns = turns_of(script, id_of);
  const auto quotes = quotations_per_speaker(script, id_of);
  const auto parity = turn_parity(turns);
  TurnJoins joins(script, cast_count, parity, sister_surnames);
  for (const auto& [pair, p] : parity) joins.consider(pair.first, pair.second, p);
  std::map<std::string, std::string> relabel;
  for (const auto& group : joins.groups()) {
    int kept = group.front();
    for (int id : group)
      if (!keeps_label(script, kept, id, cast_count, quotes)) kept = id;
    for (int id : group)
      if (id != kept) join_into(script, kept, id, relabel);
  }
  apply_relabels(script, relabel);
}

}  // namespace troupe::characters_internal
