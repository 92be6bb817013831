// Mentions in narration and quotations: names, pronouns and descriptions ("the old gentleman",
// "her mother"), the characters a stretch of narration makes salient, and the names a quotation
// addresses ("Hey, Mark.").
#include <algorithm>
#include <set>
#include <stdexcept>

#include "attribution/function_words.h"
#include "attribution/sieve.h"
#include "attribution/tokens.h"
#include "attribution/word_lists.h"

namespace troupe::sieve {

Mention Sieve::mention_at(const std::vector<Token>& tokens, std::size_t i) const {
  Mention m;
  if (i >= tokens.size()) return m;
  auto [id, length] = table_.match(tokens, i);
  if (id >= 0) return {Mention::Name, id, table_.characters[id].gender, length, "", "", ""};
  const auto& w = tokens[i].lower;
  // "the Jew", "the Dodo", "a Canary": a name after all
  if ((w == "the" || w == "a" || w == "an") && i + 1 < tokens.size()) {
    auto [named, used] = table_.match(tokens, i + 1);
    if (named >= 0)
      return {Mention::Name, named, table_.characters[named].gender, used + 1, "", "", ""};
  }
  if (w == "he" || w == "she")
    return {Mention::Pronoun, kUnknown, gender_of_pronoun(w), 1, "", "", ""};
  if (w == "i" && first_person_ >= 0)
    return {Mention::Name, first_person_, Gender::Unknown, 1, "", "", ""};
  // "one of the women": someone of a group, unnamed.
  if (w == "one" && i + 2 < tokens.size() && tokens[i + 1].lower == "of") {
    Mention noun = mention_at(tokens, i + 2);
    if (noun.kind != Mention::Noun) return m;
    noun.determiner = "one of " + noun.determiner;
    noun.length += 2;
    return noun;
  }
  if ((w == "the" || w == "his" || w == "her" || w == "their" || w == "a" || w == "an" ||
       w == "my" || w == "your" || w == "our" || w == "another") &&
      i + 1 < tokens.size()) {
    for (std::size_t k = i + 1; k < tokens.size() && k <= i + 3; ++k) {
      bool is_person = false;
      Gender g = gender_of_person_noun(tokens[k].lower, &is_person);
      // "the old gentleman": the head is the last of the nouns, "old" only on its own.
      bool head_follows = false;
      if (is_person && k + 1 < tokens.size() && !tokens[k + 1].clause_break_before)
        gender_of_person_noun(tokens[k + 1].lower, &head_follows);
      if (is_person && !head_follows) {
        Mention noun{Mention::Noun,   kUnknown, g, static_cast<int>(k - i + 1), w,
                     tokens[k].lower, ""};
        for (std::size_t j = i + 1; j <= k; ++j)
          noun.phrase += (j > i + 1 ? " " : "") + tokens[j].lower;
        return noun;
      }
      if (tokens[k].capitalized) break;
    }
  }
  return m;
}

// "the unsympathetic Marilla", "skeptical Anne", "the good-hearted Mrs. John Knightley": a
// name after an epithet or two, as a speech tag writes its speaker.
Mention Sieve::epithet_name_at(const std::vector<Token>& tokens, std::size_t i) const {
  if (i >= tokens.size()) return {};
  std::size_t k = tokens[i].lower == "the" ? i + 1 : i;
  std::size_t epithets = 0;
  while (k < tokens.size() && epithets < 2 && !tokens[k].capitalized &&
         (k == i || !tokens[k].clause_break_before) && looks_like_epithet(tokens[k].lower)) {
    ++k;
    ++epithets;
  }
  if (epithets == 0 || k >= tokens.size() || tokens[k].clause_break_before) return {};
  auto [named, used] = table_.match(tokens, k);
  if (named < 0) return {};
  return {Mention::Name,
          named,
          table_.characters[named].gender,
          static_cast<int>(k - i) + used,
          "",
          "",
          ""};
}

// A word that reads as an adjective put before a name: "poor", "skeptical", "horrified",
// "obliging", "good-hearted"; never an adverb, preposition or other function word.
bool Sieve::looks_like_epithet(const std::string& w) {
  static const std::set<std::string> kPlain = {
      "poor",   "little", "old",    "young",  "good",  "dear",   "kind",    "wise",   "great",
      "big",    "small",  "shy",    "sly",    "stern", "grim",   "calm",    "meek",   "proud",
      "brave",  "bold",   "sweet",  "sad",    "glad",  "tall",   "fat",     "bright", "quiet",
      "gentle", "silent", "honest", "simple", "stout", "worthy", "faithful"};
  static const std::set<std::string> kNot = {
      "any",     "many",     "every",     "only",     "very",       "they",      "during",
      "being",   "nothing",  "something", "anything", "everything", "according", "indeed",
      "morning", "evening",  "thing",     "king",     "ring",       "wedding",   "building",
      "tonight", "together", "again",     "instead",  "ahead",      "behind",    "beyond"};
  if (kPlain.count(w)) return true;
  if (w.size() <= 4 || kNot.count(w) || w.ends_with("ly")) return false;
  if (w.find('-') != std::string::npos) return true;
  for (const char* suffix : {"ful", "ous", "ic", "ive", "ed", "ing", "ent", "ant", "less", "able",
                             "ible", "al", "ish", "y"})
    if (w.ends_with(suffix)) return true;
  return w.starts_with("un");
}

bool Sieve::skippable_between(const Token& t) { return is_tag_filler(t.lower); }

std::vector<int> Sieve::mentions_in(const std::vector<Token>& tokens) const {
  std::vector<int> ids;
  for (std::size_t i = 0; i < tokens.size();) {
    auto [id, length] = table_.match(tokens, i);
    if (id >= 0) {
      ids.push_back(id);
      i += length;
    } else {
      ++i;
    }
  }
  return ids;
}

// Characters named in narration, and every "he" and "she" resolved as it comes, so that a
// chain of pronouns ("She rose. When he spoke she turned") keeps its person salient.
void Sieve::add_salient(const std::vector<Token>& tokens, Salience& into, const Exchange& exchange,
                        ReadingState& reading) const {
  note_groups(tokens, reading);
  for (std::size_t i = 0; i < tokens.size();) {
    bool subject = i == 0 || tokens[i].sentence_start || tokens[i].clause_break_before;
    Mention m = mention_at(tokens, i);
    // "...; but Mr. Knightley sat down again": a name after a conjunction is a subject too;
    // after "while" or "when" it is the subject of a subordinate clause only.
    if (m.kind == Mention::Name && !subject && i > 0 &&
        (tokens[i - 1].clause_break_before || tokens[i - 1].sentence_start)) {
      const auto& w = tokens[i - 1].lower;
      subject = is_joining_conjunction(w);
    }
    // "...evils which Mr. John Knightley did not like; he anticipated nothing": a name right
    // after "which" or "whom" is the subject of the relative clause, whom a "he" goes on with;
    // so is one after "until" or "till" ("nobody spoke until Mr. Bounderby took the case").
    if (m.kind == Mention::Name && !subject && i > 0 &&
        (tokens[i - 1].lower == "which" || tokens[i - 1].lower == "whom" ||
         tokens[i - 1].lower == "until" || tokens[i - 1].lower == "till"))
      subject = true;
    if (m.kind == Mention::Name && !subject) subject = is_fronted_subject(tokens, i, m.length);
    if (m.kind == Mention::Name) {
      into.push_back({m.id, subject && !tokens[i + m.length - 1].possessive});
      i += m.length;
      continue;
    }
    if (m.kind == Mention::Pronoun) {
      // The narration closing a turn goes by the story's last mentions, not by the exchange.
      int id = &into == &reading.trailing ? resolve_in_narration(m.gender, into, reading)
                                          : resolve(m.gender, into, exchange, reading);
      if (id != kUnknown) into.push_back({id, true});
    }
    // "her mother", "the doctor": a relative or title the story names.
    if (m.kind == Mention::Noun) {
      bool by_gender = false;
      int id = resolve_mention(m, into, exchange, reading, &by_gender);
      // "The girl was lying...": whom the story's tags usually call "the girl".
      if (by_gender && m.determiner == "the")
        if (int usual = usually_described_as(m.phrase, reading); usual != kUnknown) {
          into.push_back({usual, subject});
          i += m.length;
          continue;
        }
      // "a labouring man" where the cast has "The Labouring Man": the description the cast
      // gives, written with either article.
      if (by_gender || id == kUnknown)
        if (auto [described, used] = table_.match_description(tokens, i); described >= 0) {
          into.push_back({described, subject});
          reading.described.insert(described);
          i += used;
          continue;
        }
      if (id != kUnknown && !by_gender) {
        into.push_back({id, subject});
        i += m.length;
        continue;
      }
    }
    ++i;
  }
}

// Names addressed in a quotation: "Hey, Mark.", "My dear Mr. Bennet, ...", "..., Lizzy!".
// Not "Mr. Weston, who ...", a clause about him, nor a name the quotation also talks about
// ("Harriet is sure of it, Harriet."), which it names in passing: those go to `talked_about`.
// A quotation's "You ..." is whoever is spoken to, not the second-person reader by name.
std::vector<int> Sieve::vocatives_in(const std::vector<Token>& tokens,
                                     std::vector<int>* talked_about) const {
  std::vector<int> ids, passing;
  for (std::size_t i = 0; i < tokens.size();) {
    auto [id, length] = table_.match(tokens, i);
    if (id < 0 || !tokens[i].capitalized || (id == reader_ && tokens[i].lower.starts_with("you"))) {
      ++i;
      continue;
    }
    std::size_t after = i + length;
    const std::string& before = i > 0 ? tokens[i - 1].lower : "";
    bool opens = i == 0 || tokens[i].clause_break_before || is_address_opener(before);
    bool closes = after == tokens.size() || tokens[after].clause_break_before;
    bool relative = after < tokens.size() && !tokens[after].sentence_start &&
                    (tokens[after].lower == "who" || tokens[after].lower == "whose" ||
                     tokens[after].lower == "whom");
    if (opens && closes && !relative && !tokens[i + length - 1].possessive) {
      if (tokens[i].lower != "i") ids.push_back(id);  // "I, for one," is nobody called
    } else if (tokens[i].lower != "i")
      passing.push_back(id);
    i = after;
  }
  std::erase_if(
      ids, [&](int id) { return std::find(passing.begin(), passing.end(), id) != passing.end(); });
  if (talked_about)
    for (int id : passing)
      if (std::find(talked_about->begin(), talked_about->end(), id) == talked_about->end())
        talked_about->push_back(id);
  return ids;
}

bool Sieve::has_second_sentence(const std::vector<Token>& tokens) {
  return std::any_of(tokens.begin() + (tokens.empty() ? 0 : 1), tokens.end(),
                     [](const Token& t) { return t.sentence_start; });
}

// The words of a segment of the story, tokenised when the sieve was made (tokenize_segments).
const std::vector<Token>& Sieve::tokens_of(const Paragraph& p, const Segment& s) const {
  auto key = std::make_pair(static_cast<const void*>(p.text.data() + s.begin), s.end - s.begin);
  auto it = segment_tokens_.find(key);
  if (it == segment_tokens_.end())
    throw std::logic_error("sieve: the words of a segment the story's reading did not tokenise");
  return it->second;
}

// The subject of a beat sentence, counting "Her eyes snapped up" and "Your mouth fell open"
// as their owner's.
Mention Sieve::beat_subject(const std::vector<Token>& tokens, std::size_t i) const {
  Mention m = mention_at(tokens, i);
  if (m.kind != Mention::None) return m;
  const auto& w = tokens[i].lower;
  if (w == "his" || w == "her")
    return {Mention::Pronoun, kUnknown, gender_of_pronoun(w), 1, "", "", ""};
  if (w == "your" && reader_ != kUnknown)
    return {Mention::Name, reader_, Gender::Unknown, 1, "", "", ""};
  if (w == "my" && first_person_ != kUnknown)
    return {Mention::Name, first_person_, Gender::Unknown, 1, "", "", ""};
  return m;
}

// "thrust Eunjin to the front", "looked at Mark": a name right after a verb or preposition.
bool Sieve::is_object_at(const std::vector<Token>& tokens, std::size_t i) {
  if (i == 0 || tokens[i].clause_break_before) return false;
  const auto& before = tokens[i - 1];
  if (before.capitalized) return false;
  const auto& w = before.lower;
  return !is_clause_opener(w);
}

// ", for the White Rabbit cried out,": "for" opening a clause joins it, taking no object.
bool Sieve::is_conjunction_for(const std::vector<Token>& tokens, std::size_t i) {
  return tokens[i].lower == "for" && tokens[i].clause_break_before;
}

}  // namespace troupe::sieve
