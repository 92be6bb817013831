// Resolving a mention to a character: a pronoun or description by recency, subjects before
// objects, gender and age, within the exchange it is read in; a relative through family names;
// a title the cast gives.
#include <algorithm>
#include <cmath>
#include <string_view>
#include <unordered_set>

#include "attribution/function_words.h"
#include "attribution/sieve.h"
#include "attribution/tokens.h"
#include "attribution/word_lists.h"

namespace troupe::sieve {

// Most recent character of the gender: first in `local` (this paragraph, before the tag), then
// in the history, passing over the other party of the exchange (exchange.avoid) while another among
// the recent mentions fits.
int Sieve::resolve(Gender gender, const Salience& local, const Exchange& exchange,
                   const ReadingState& reading, bool adult, int never, const Mention* noun) const {
  auto fits_gender = [&](int id, int avoid, Gender wanted) {
    if (id == avoid || id == never || id == reader_ || id == first_person_ || id == kUnknown)
      return false;
    if (adult && children_.count(id)) return false;
    if (noun && !ages_fit(id, *noun)) return false;
    // "Mr. Darcy, ...," said he: the one addressed is not the one speaking.
    if (contains(exchange.addressed, id) || contains(exchange.bound, id) ||
        contains(exchange.talked_about, id))
      return false;
    Gender g = table_.characters[id].gender;
    return wanted == Gender::Unknown || g == wanted;
  };
  auto fits = [&](int id, int avoid) { return fits_gender(id, avoid, gender); };
  // The most recent subject of the gender among the last few mentions, else the most recent.
  auto pick = [&](const Salience& list, int avoid) -> int {
    int window = 0;
    for (auto it = list.rbegin(); it != list.rend() && window < kSubjectWindow; ++it, ++window)
      if (it->subject && fits(it->id, avoid)) return it->id;
    for (auto it = list.rbegin(); it != list.rend(); ++it)
      if (fits(it->id, avoid)) return it->id;
    return kUnknown;
  };
  // Among the recent mentions: recency, and being a subject rather than an object.
  auto best_recent = [&](int avoid) -> int {
    int best = kUnknown, rank = 0;
    double best_score = 0;
    for (auto it = reading.history.rbegin(); it != reading.history.rend() && rank < kRecentWindow;
         ++it, ++rank) {
      if (!fits(it->id, avoid)) continue;
      double score = (it->subject ? 1.0 : kObjectWeight) * std::pow(kRecencyDecay, rank);
      if (score > best_score) {
        best = it->id;
        best_score = score;
      }
    }
    return best;
  };
  int id = pick(local, kUnknown);
  // `...until Mr. Pimlott put down his pipe.` closing the turn before: he speaks next,
  // before anyone that turn called by name ("Open up, Bill!" cried Tom. Jack came round.).
  for (auto it = reading.trailing.rbegin(); it != reading.trailing.rend() && id == kUnknown; ++it)
    if (it->subject && fits(it->id, kUnknown)) id = it->id;
  // "O Tom, Tom!" ... "he returned": the one just addressed answers.
  // Their gender may be unknown yet: being spoken to is the stronger sign.
  for (auto it = exchange.called.rbegin(); it != exchange.called.rend() && id == kUnknown; ++it) {
    const bool untold = *it != kUnknown && table_.characters[*it].gender == Gender::Unknown;
    if (fits(*it, exchange.avoid) || (untold && fits_gender(*it, exchange.avoid, Gender::Unknown)))
      id = *it;
  }
  // In an exchange A, B, A: "he said" in the third turn is A again.
  if (id == kUnknown && fits(exchange.alternate, exchange.avoid)) id = exchange.alternate;
  if (id == kUnknown) id = best_recent(exchange.avoid);
  if (id == kUnknown) id = pick(reading.history, kUnknown);
  if (id == kUnknown && gender != Gender::Unknown) {
    // Nobody of that gender is known: someone whose gender troupe could not tell.
    for (auto it = reading.history.rbegin(); it != reading.history.rend() && id == kUnknown; ++it)
      if (fits(it->id, exchange.avoid) ||
          (it->id != exchange.avoid && it->id != reader_ && it->id != first_person_ &&
           it->id != kUnknown && table_.characters[it->id].gender == Gender::Unknown))
        id = it->id;
  }
  return id;
}

namespace {

// "was", "could": a verb that follows its subject, of any meaning.
bool is_auxiliary_verb(std::string_view w) {
  static const std::unordered_set<std::string_view> kWords = {
      "was",    "is",    "had",  "has",  "did",   "does", "could", "would",
      "should", "might", "must", "will", "shall", "can",  "may"};
  return kWords.count(w) > 0;
}

// "slept", "stood": a verb whose subject is someone, past tense without "-ed".
bool is_past_verb_of_person(std::string_view w) {
  static const std::unordered_set<std::string_view> kWords = {
      "slept", "sat",   "stood", "saw",  "got",  "found",  "kept", "left",
      "felt",  "heard", "knew",  "ran",  "rose", "spoke",  "took", "gave",
      "held",  "shook", "bit",   "sang", "told", "thought"};
  return kWords.count(w) > 0;
}

// "Whenever Hollis called", "Since Maud was nine": a subordinate clause's opening word.
bool is_subordinator(std::string_view w) {
  static const std::unordered_set<std::string_view> kWords = {
      "when",   "whenever", "while",   "whilst",   "as",      "if",    "unless",
      "though", "although", "because", "since",    "till",    "until", "before",
      "after",  "once",     "where",   "wherever", "whether", "lest",  "that"};
  return kWords.count(w) > 0;
}

// "After supper", "Before breakfast": a subordinator that is also a preposition, opening a
// phrase when a word stands between it and the name (`words_before` counts the opener too).
bool opens_phrase(std::string_view w, std::size_t words_before) {
  static const std::unordered_set<std::string_view> kWords = {"after", "before", "since", "until",
                                                              "till"};
  return words_before > 1 && kWords.count(w) > 0;
}

}  // namespace

// "That night Osric slept", "Then Mina rose", "At last Mr. Pell said": a name after the
// few words opening a sentence (no subordinating "when" or "if", no preposition right before
// it, nobody named or meant before it) and right before a verb is the sentence's subject.
bool Sieve::is_fronted_subject(const std::vector<Token>& tokens, std::size_t i,
                               std::size_t length) const {
  constexpr std::size_t kOpeningWords = 3;
  if (i == 0 || i + length >= tokens.size() || tokens[i + length - 1].possessive) return false;
  const std::string& next = tokens[i + length].lower;
  // "Young Orrin was on her mind", "Upstairs Mrs Northcote had Souki by the foot": "was"
  // and "had" take anyone as subject, not only who acts in the scene (they lost more than they
  // won on the evaluation novels).
  if (tokens[i + length].clause_break_before ||
      !(is_past_tense_verb(next) || is_person_verb(next) || is_past_verb_of_person(next)))
    return false;
  std::size_t start = i;
  while (start > 0 && !tokens[start].sentence_start) {
    --start;
    if (i - start > kOpeningWords || tokens[start + 1].clause_break_before) return false;
  }
  if (start == i || !tokens[start].sentence_start) return false;
  // "That night" opens a sentence, "Whenever Hollis called" a subordinate clause; "After
  // lunch Maud sat" a phrase: "after" with words before the name is a preposition.
  const std::string& first = tokens[start].lower;
  if ((first != "that" && is_subordinator(first) && !opens_phrase(first, i - start)) ||
      is_preposition(tokens[i - 1].lower))
    return false;
  // "Osric guessed Pell must be tired": nobody named, meant or doing anything before it.
  for (std::size_t j = start; j < i; ++j) {
    const std::string& w = tokens[j].lower;
    if ((j > start && tokens[j].capitalized) || table_.match(tokens, j).first >= 0 ||
        gender_of_pronoun(w) != Gender::Unknown || w == "they" || w == "i" || w == "we" ||
        w == "you" || is_action_verb(w) || is_speech_verb(w) || is_past_tense_verb(w) ||
        is_past_verb_of_person(w) || is_auxiliary_verb(w) || w == "who" || w == "which" ||
        w == "whom")
      return false;
  }
  return true;
}

// A pronoun in narration: the most recent subject of its gender among the last few
// mentions (this stretch's, then the story's), else the most recent of its gender. The other
// party of an exchange, whom a "he said" tag passes over, is as likely as anyone.
int Sieve::resolve_in_narration(Gender gender, const Salience& into,
                                const ReadingState& reading) const {
  // The k-th most recent mention, this stretch's first, without copying the history.
  auto recent = [&](std::size_t k) -> const Salient* {
    if (k < into.size()) return &into[into.size() - 1 - k];
    k -= into.size();
    if (&into == &reading.history || k >= reading.history.size()) return nullptr;
    return &reading.history[reading.history.size() - 1 - k];
  };
  auto fits = [&](int id) {
    return id != kUnknown && id != reader_ && id != first_person_ &&
           table_.characters[id].gender == gender;
  };
  for (std::size_t k = 0; k < static_cast<std::size_t>(kSubjectWindow); ++k)
    if (const Salient* s = recent(k); s && s->subject && fits(s->id)) return s->id;
  for (std::size_t k = 0; const Salient* s = recent(k); ++k)
    if (fits(s->id)) return s->id;
  return kUnknown;
}

// "the old gentleman", "the woman": a grown-up.
bool Sieve::is_adult_noun(const Mention& m) {
  return m.kind == Mention::Noun && (is_adult_noun_word(m.noun) || m.phrase.starts_with("old "));
}

// The character whom the story's tags so far mostly call "the girl", or kUnknown.
int Sieve::usually_described_as(const std::string& phrase, const ReadingState& reading) const {
  auto it = reading.described_as.find(phrase);
  if (it == reading.described_as.end()) return kUnknown;
  int best = kUnknown, best_count = 0, total = 0;
  for (const auto& [id, count] : it->second) {
    total += count;
    if (count > best_count) {
      best = id;
      best_count = count;
    }
  }
  if (best_count < kUsualDescriptionMin || best_count * 5 < total * 4) return kUnknown;
  return best;
}

Age Sieve::age_of_noun(const Mention& m) {
  const std::string& n = m.noun;
  if (is_child_noun_word(n)) return Age::Child;
  if (m.phrase.starts_with("young ")) return Age::Young;
  if (m.phrase.starts_with("old ") || m.phrase.starts_with("elderly ") ||
      m.phrase.starts_with("elder "))
    return Age::Old;
  return Age::Any;
}

// Read once per character, as it came in (note_table_change): a pronoun or description is
// weighed against many of them.
NameAge Sieve::name_age(int id) const {
  NameAge age = name_ages_.at(id);
  if (children_.count(id)) age.young = true;
  return age;
}

NameAge Sieve::age_in_names(int id) const {
  NameAge age;
  const auto& c = table_.characters[id];
  auto note = [&](const std::string& name) {
    auto words = tokenize(name);
    if (words.size() < 2) return;
    const std::string& w = words[0].lower;
    if (w == "miss" || w == "master" || w == "young" || w == "little") age.young = true;
    if (w == "old") age.old = true;
    if (is_person_title(words[0].text)) age.titled = true;
  };
  note(c.name);
  for (const auto& a : c.aliases) note(a);
  return age;
}

// "said the girl" is never "Old Gwendolen" nor "Mrs. Fennimore"; "said the old lady" never "Miss
// Linnet".
bool Sieve::ages_fit(int id, const Mention& m) const {
  const Age age = age_of_noun(m);
  if (age == Age::Any) return true;
  const NameAge named = name_age(id);
  switch (age) {
    case Age::Child:
      return !named.old && (named.young || !named.titled);
    case Age::Young:
      return !named.old;
    case Age::Old:
      return !named.young;
    default:
      return true;
  }
}

// by_gender: set when the mention was resolved by its gender alone ("he", "the old man"),
// which the conversation may later know better.
int Sieve::resolve_mention(const Mention& m, const Salience& local, const Exchange& exchange,
                           const ReadingState& reading, bool* by_gender) const {
  if (by_gender) *by_gender = m.kind == Mention::Pronoun || m.kind == Mention::Noun;
  if (m.kind == Mention::Name) return m.id;
  if (m.kind == Mention::Pronoun) return resolve(m.gender, local, exchange, reading);
  if (m.kind == Mention::Noun) {
    int found = kin_of(m, local, exchange, reading);
    // "her aunt" is hers, not the one the story calls "Aunt Philips": a family title is given
    // by the family's own children.
    if (found == kUnknown && !is_relative_noun(m)) found = titled_as(m.noun);
    if (found != kUnknown) {
      if (by_gender) *by_gender = false;
      return found;
    }
    // "cried his father" with no family name to go by: anyone but the one whose father.
    if (m.gender != Gender::Unknown)
      return resolve(m.gender, local, exchange, reading, is_adult_noun(m),
                     owner_of(m, local, exchange, reading), &m);
  }
  return kUnknown;
}

// "your manager" when the story has one "Manager Dahyun"; "the doctor" for one "Doctor Kemp".
int Sieve::titled_as(const std::string& noun) const {
  int found = kUnknown;
  for (int id = 0; id < static_cast<int>(table_.characters.size()); ++id) {
    if (table_.characters[id].is_group) continue;  // "the lady" is none of "the Lady Marchbanks"
    const auto& firsts = name_words(id).first_words;
    if (std::find(firsts.begin(), firsts.end(), noun) == firsts.end()) continue;
    if (found != kUnknown) return kUnknown;
    found = id;
  }
  return found;
}

// The family names a character goes by: "Bennet" for "Elizabeth Bennet" or "Mrs. Bennet".
const std::vector<std::string>& Sieve::surnames_of(int id) const { return name_words(id).surnames; }

// Worked out as the character's names change (note_table_change).
const NameWords& Sieve::name_words(int id) const { return name_words_.at(id); }

NameWords Sieve::words_of_names(int id) const {
  const auto& c = table_.characters[id];
  NameWords found{c.aliases.size() + 1, {}, {}};
  auto note = [](std::vector<std::string>& list, const std::string& word) {
    if (std::find(list.begin(), list.end(), word) == list.end()) list.push_back(word);
  };
  std::vector<std::string> names = c.aliases;
  names.push_back(c.name);
  for (const auto& n : names) {
    auto words = tokenize(n);
    if (words.size() < 2) continue;
    note(found.first_words, words[0].lower);
    if (words.back().capitalized) note(found.surnames, words.back().text);
  }
  return found;
}

// "her mother" beside Elizabeth Bennet is Mrs. Bennet, "his wife" beside Mr. Bennet too;
// "her husband" beside Mrs. Hall is Mr. Hall; "his sister" beside Tom Gradgrind is the other
// Gradgrind who is a woman. The one whose relative it is: the most recent character of the
// possessive's gender, the other party of the exchange included.
// "his wife", "her brother": a relative, whose gender the noun tells.
bool Sieve::is_kin_noun(const Mention& m) {
  if (m.kind != Mention::Noun || (m.determiner != "his" && m.determiner != "her")) return false;
  const std::string& n = m.noun;
  return is_family_noun(n) || (n == "lady" && m.determiner == "his");
}

// "her aunt", "his cousin": a relative troupe cannot find by family name, but never its owner.
bool Sieve::is_relative_noun(const Mention& m) {
  if (m.kind != Mention::Noun || (m.determiner != "his" && m.determiner != "her")) return false;
  const std::string& n = m.noun;
  return is_extended_family_noun(n);
}

// Whose relative it may be, likeliest first: those addressed, the other party of the
// exchange, then recent characters of the possessive's gender.
std::vector<int> Sieve::owners_of(const Mention& m, const Salience& local, const Exchange& exchange,
                                  const ReadingState& reading) const {
  const Gender owner_gender = m.determiner == "his" ? Gender::Male : Gender::Female;
  std::vector<int> owners;
  // "Come now, Mr. Pimlott, ..." said his lady: the one spoken to comes first.
  for (int id : exchange.addressed)
    if (table_.characters[id].gender == owner_gender) owners.push_back(id);
  // "cried her brother" answering her: the other party of the exchange comes next.
  if (exchange.avoid != kUnknown && table_.characters[exchange.avoid].gender == owner_gender &&
      std::find(owners.begin(), owners.end(), exchange.avoid) == owners.end())
    owners.push_back(exchange.avoid);
  auto consider = [&](const Salience& list, std::size_t limit) {
    std::size_t seen = 0;
    for (auto it = list.rbegin(); it != list.rend() && seen < limit; ++it, ++seen)
      if (it->id >= 0 && table_.characters[it->id].gender == owner_gender &&
          std::find(owners.begin(), owners.end(), it->id) == owners.end())
        owners.push_back(it->id);
  };
  consider(local, local.size());
  consider(reading.history, kRecentWindow);
  return owners;
}

int Sieve::kin_of(const Mention& m, const Salience& local, const Exchange& exchange,
                  const ReadingState& reading) const {
  if (!is_kin_noun(m)) return kUnknown;
  const std::string& n = m.noun;
  const bool spouse = n == "wife" || n == "husband" || n == "lady";
  const bool parent = n == "mother" || n == "father";
  const Gender kin_gender =
      (n == "wife" || n == "lady" || n == "mother" || n == "sister" || n == "daughter")
          ? Gender::Female
          : Gender::Male;
  const auto owners = owners_of(m, local, exchange, reading);
  for (int owner : owners) {
    const auto& c = table_.characters[owner];
    // A character the cast calls "Alice's Sister".
    if (int named = table_.find(c.name + "'s " + n); named != kUnknown && named != owner)
      return named;
    for (const auto& surname : surnames_of(owner)) {
      // "Mrs. Bounderby" is Louisa's married name: her father and brother are no Bounderbys.
      // A "Miss Bingley" keeps her family's name, whatever "Mrs." form the table adds.
      auto called = [&](const std::string& name) {
        return c.name == name ||
               std::find(c.aliases.begin(), c.aliases.end(), name) != c.aliases.end();
      };
      const bool married_name = called("Mrs. " + surname) && !called("Miss " + surname);
      if (!spouse && married_name) continue;
      int kin = kUnknown;
      if (spouse || parent) {
        kin = table_.find((kin_gender == Gender::Female ? "Mrs. " : "Mr. ") + surname);
      } else {
        kin = relative_by_surname(surname, kin_gender, owner, reading);
      }
      if (kin != kUnknown && kin != owner) return kin;
      // "his father" beside Mr. Churchill, whose family name finds only himself: no one's
      // family name tells who it is.
      if (kin == owner) return kUnknown;
    }
  }
  return kUnknown;
}

// Whose relative "his father" is, when the noun is a relative's: the one addressed, else the
// other party of the exchange, else the most recent character of the possessive's gender.
int Sieve::owner_of(const Mention& m, const Salience& local, const Exchange& exchange,
                    const ReadingState& reading) const {
  if (!is_kin_noun(m) && !is_relative_noun(m)) return kUnknown;
  auto owners = owners_of(m, local, exchange, reading);
  return owners.empty() ? kUnknown : owners.front();
}

// The most recently mentioned other character of the gender who shares the surname.
int Sieve::relative_by_surname(const std::string& surname, Gender gender, int other_than,
                               const ReadingState& reading) const {
  auto shares = [&](int id) {
    if (id < 0 || id == other_than || table_.characters[id].gender != gender) return false;
    const auto& names = surnames_of(id);
    return std::find(names.begin(), names.end(), surname) != names.end();
  };
  for (auto it = reading.history.rbegin(); it != reading.history.rend(); ++it)
    if (shares(it->id)) return it->id;
  int found = kUnknown;
  for (int id = 0; id < static_cast<int>(table_.characters.size()); ++id)
    if (shares(id)) {
      if (found != kUnknown) return kUnknown;
      found = id;
    }
  return found;
}
}  // namespace troupe::sieve
