// Mentions in narration and quotations: names, pronouns and descriptions ("the old gentleman",
// "her mother"), the characters a stretch of narration makes salient, and the names a quotation
// addresses ("Hey, Mark.").
#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>
#include <unordered_set>

#include "attribution/characters_internal.h"
#include "attribution/function_words.h"
#include "attribution/name_forms.h"
#include "attribution/sieve.h"
#include "attribution/tokens.h"
#include "attribution/word_lists.h"
#include "text/sections.h"

namespace troupe::sieve {

// A paragraph without quotations is one segment, tokenised already; the words of a whole
// paragraph with quotations are tokenised when first asked for (a std::map keeps the
// references it gave out).
const std::vector<Token>& Sieve::paragraph_tokens(const Paragraph& p) const {
  const auto key = std::make_pair(static_cast<const void*>(p.text.data()), p.text.size());
  auto it = segment_tokens_.find(key);
  if (it == segment_tokens_.end()) it = segment_tokens_.emplace(key, tokenize(p.text)).first;
  return it->second;
}

namespace {

// "I am Walter", "my name is Walter", "call me Walter": a speaker naming himself, not someone
// talked about in passing.
bool names_oneself(const std::vector<Token>& tokens, std::size_t i) {
  if (tokens[i].sentence_start || tokens[i].clause_break_before) return false;  // "I am. Tom"
  auto word = [&](std::size_t back) { return i >= back ? tokens[i - back].lower : std::string(); };
  return (word(1) == "am" && word(2) == "i") ||
         (word(1) == "is" && word(2) == "name" && word(3) == "my") ||
         (word(1) == "me" && word(2) == "call");
}
// "Lewis Carroll" beside "Mr. Lewis": the word at tokens[i] that character `c` goes by as a
// family name ("Mr." or "Mrs." before it) opens a full name of another word here, and `c` goes
// by no full name that word opens: the word is someone else's given name.
bool family_name_opens_full_name(const Character& c, const std::vector<Token>& tokens,
                                 std::size_t i) {
  if (i + 1 >= tokens.size() || tokens[i].possessive) return false;
  const Token& next = tokens[i + 1];
  if (!next.capitalized || next.clause_break_before || next.sentence_start ||
      next.text.size() < 2 || is_never_a_name(next.text) || is_person_title(next.text))
    return false;
  bool family = false;
  for (const auto& name : characters_internal::names_of(c)) {
    const auto parts = parse_name(name);
    if (parts.words.empty() || parts.words[0] != tokens[i].text) continue;
    if (parts.words.size() > 1) return false;  // "Thaddeus Sholto" of "Mr. Thaddeus"
    family = family || (!parts.title.empty() && !title_takes_given_name(parts.title));
  }
  return family;
}

// A name of several words met in the text ("John Andrew"): whose, where, and its words.
struct FullNaming {
  std::size_t at;  // the order of the names met in the chapter
  int id;
  std::string words;  // lower case, one space between
};

// A shared name met in the text ("John"): where, its words and its sharers.
struct SharedUse {
  const Paragraph* p;
  std::size_t offset;  // of its first word in the paragraph
  std::size_t at;
  std::string words;
  std::vector<int> ids;
  int fallback;
};

std::string words_at(const std::vector<Token>& tokens, std::size_t i, int length) {
  std::string out;
  for (std::size_t k = i; k < i + static_cast<std::size_t>(length); ++k)
    out += (out.empty() ? "" : " ") + tokens[k].lower;
  return out;
}

// Whether `naming` names one of the use's sharers in full: with the shared words among more.
bool names_in_full(const FullNaming& naming, const SharedUse& use) {
  if (std::find(use.ids.begin(), use.ids.end(), naming.id) == use.ids.end()) return false;
  if (naming.words.size() <= use.words.size()) return false;
  const std::string padded = " " + naming.words + " ";
  return padded.find(" " + use.words + " ") != std::string::npos;
}

// Whom the use stands for: the sharer named in full nearest before it in the scene, else the
// first named in full after it there, else the last named so before the scene, else the
// name's fallback.
int scene_person(const SharedUse& use, const std::vector<FullNaming>& chapter,
                 const std::vector<FullNaming>& earlier) {
  const FullNaming* after = nullptr;
  for (auto it = chapter.rbegin(); it != chapter.rend(); ++it) {
    if (!names_in_full(*it, use)) continue;
    if (it->at < use.at) return it->id;
    after = &*it;
  }
  if (after) return after->id;
  for (auto it = earlier.rbegin(); it != earlier.rend(); ++it)
    if (names_in_full(*it, use)) return it->id;
  return use.fallback;
}

}  // namespace

// "John" where John Beaver and John Andrew share the name: each time, whose the scene makes it
// (scene_person), marked on the cached words of its paragraph and of the segment holding it.
// A scene is a chapter, or a part of one between breaks ("* * *", "[II]").
void Sieve::resolve_shared_names() {
  if (!table_.has_shared_names()) return;
  std::vector<FullNaming> earlier, namings;
  std::vector<SharedUse> uses;
  std::size_t at = 0;
  auto settle_scene = [&] {
    for (const auto& use : uses)
      mark_person(*use.p, use.offset, scene_person(use, namings, earlier));
    earlier.insert(earlier.end(), namings.begin(), namings.end());
    namings.clear();
    uses.clear();
  };
  for (const auto& chapter : story_.chapters) {
    settle_scene();
    for (const auto& p : chapter.paragraphs) {
      if (opens_scene(p)) settle_scene();
      if (p.kind != ParagraphKind::Text) continue;
      const auto& tokens = paragraph_tokens(p);
      for (std::size_t i = 0; i < tokens.size();) {
        if (auto shared = table_.shared_at(tokens, i)) {
          uses.push_back({&p, tokens[i].begin, at++, words_at(tokens, i, shared->length),
                          shared->ids, shared->fallback});
          i += shared->length;
          continue;
        }
        const auto [id, length] = table_.match(tokens, i);
        if (id >= 0 && length >= 2) namings.push_back({at++, id, words_at(tokens, i, length)});
        i += id >= 0 ? length : 1;
      }
    }
  }
  settle_scene();
}

// Marks the word at `offset` of paragraph p, in every cached token list of p, as `person`'s.
void Sieve::mark_person(const Paragraph& p, std::size_t offset, int person) {
  auto mark = [&](std::size_t begin, std::size_t length) {
    auto it = segment_tokens_.find({static_cast<const void*>(p.text.data() + begin), length});
    if (it == segment_tokens_.end()) return;
    for (auto& t : it->second)
      if (begin + t.begin == offset) t.person = person;
  };
  mark(0, p.text.size());
  for (const auto& s : segments_of(p)) mark(s.begin, s.end - s.begin);
}

namespace {

// "the family of Fenwick", "the house of de Ashby": the name of a line of people, none of them.
// A "house" is a building too ("knocked at the house of Mr. Pike"): a line only before a
// particle or a surname with no title.
bool names_a_lineage(const std::vector<Token>& tokens, std::size_t i) {
  const bool titled = is_person_title(tokens[i].text);
  const bool particle =
      i > 0 && !tokens[i - 1].capitalized && is_surname_particle(tokens[i - 1].lower);
  if (particle) --i;
  if (i < 2 || tokens[i - 1].lower != "of") return false;
  const auto& w = tokens[i - 2].lower;
  return w == "family" || w == "line" || (w == "house" && (particle || !titled));
}

// "at Pell's", "to Mrs. Pell's", "Pell's was shut": a possessive name with no noun after it,
// after a place's preposition or before "was", is a shop or a house, not its people. Not after
// "of" ("a friend of Tom's" is Tom's friend), and before "was" only a name that is no known
// given name ("Tom's was the loudest voice" is Tom).
bool names_a_premises(const std::vector<Token>& tokens, std::size_t i, std::size_t length) {
  const std::size_t last = i + length - 1;
  if (!tokens[last].possessive) return false;
  const bool ends = last + 1 >= tokens.size() || tokens[last + 1].clause_break_before ||
                    tokens[last + 1].sentence_start;
  if (ends && i > 0 && tokens[i - 1].lower != "of" &&
      characters_internal::is_place_preposition(tokens[i - 1].lower))
    return true;
  const bool before_was =
      !ends && (tokens[last + 1].lower == "was" || tokens[last + 1].lower == "is");
  return before_was && gender_of_first_name(tokens[i].text) == Gender::Unknown;
}

}  // namespace

Mention Sieve::mention_at(const std::vector<Token>& tokens, std::size_t i) const {
  Mention m;
  if (i >= tokens.size()) return m;
  auto [id, length] = table_.match(tokens, i);
  if (id >= 0 && length == 1 && family_name_opens_full_name(table_.characters[id], tokens, i))
    return m;
  if (id >= 0 && names_a_lineage(tokens, i)) return m;
  if (id >= 0 && names_a_premises(tokens, i, length)) return m;
  if (id >= 0) return {Mention::Name, id, table_.characters[id].gender, length, "", "", ""};
  // A view: its comparisons with the words below check the length first.
  const std::string_view w = tokens[i].lower;
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
        Mention noun{Mention::Noun,  kUnknown,        g, static_cast<int>(k - i + 1),
                     std::string(w), tokens[k].lower, ""};
        for (std::size_t j = i + 1; j <= k; ++j)
          noun.phrase += (j > i + 1 ? " " : "") + tokens[j].lower;
        return noun;
      }
      if (tokens[k].capitalized) break;
    }
  }
  return m;
}

// "the weary Ottoline", "sceptical Hollis", "the kindly Mrs. Ansel Wendle": a
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

// An adverb ("said quietly") may stand between a speech verb and its subject, but a name that
// ends like one ("said Holly", "asked Wally") is the subject: written with a capital inside the
// sentence, it is no adverb.
bool Sieve::skippable_between(const Token& t) {
  if (t.capitalized && !t.sentence_start && t.lower.ends_with("ly")) return false;
  return is_tag_filler(t.lower);
}

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
    // "...a plan which Mr. Ansel Wendle never trusted; he said so often": a name right
    // after "which" or "whom" is the subject of the relative clause, whom a "he" goes on with;
    // so is one after "until" or "till" ("nobody moved until Mr. Pimlott waved his hat").
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

bool Sieve::called_at(const std::vector<Token>& tokens, std::size_t i, std::size_t length) {
  const std::size_t after = i + length;
  const std::string& before = i > 0 ? tokens[i - 1].lower : "";
  const bool opens = i == 0 || tokens[i].clause_break_before || is_address_opener(before);
  const bool closes = after == tokens.size() || tokens[after].clause_break_before;
  const bool relative = after < tokens.size() && !tokens[after].sentence_start &&
                        (tokens[after].lower == "who" || tokens[after].lower == "whose" ||
                         tokens[after].lower == "whom");
  return opens && closes && !relative && !tokens[i + length - 1].possessive;
}

// Names addressed in a quotation: "Hey, Mark.", "Come now, Mr. Pimlott, ...", "..., Bex!".
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
    const std::size_t after = i + length;
    if (called_at(tokens, i, length)) {
      if (tokens[i].lower != "i") ids.push_back(id);  // "I, for one," is nobody called
    } else if (tokens[i].lower != "i" && !names_oneself(tokens, i))
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

// ", for Mr. Osgood shouted back,": "for" opening a clause joins it, taking no object.
bool Sieve::is_conjunction_for(const std::vector<Token>& tokens, std::size_t i) {
  return tokens[i].lower == "for" && tokens[i].clause_break_before;
}

namespace {

// Word lists are hashed views of their literals: asked of every word of the narration, they are
// found with one hash and at most a few comparisons.
bool in_set(const std::unordered_set<std::string_view>& words, std::string_view w) {
  return words.count(w) > 0;
}

bool ends_clause(const std::vector<Token>& tokens, std::size_t i) {
  return i >= tokens.size() || tokens[i].clause_break_before;
}

// "left the room", "left without a word", "and left.": leaving a place, not leaving a thing
// ("left two dollars under the saucer", "which left Kit standing").
bool leaves_place(const std::vector<Token>& tokens, std::size_t i) {
  static const std::unordered_set<std::string_view> kPlaces = {
      "room",  "house",  "kitchen",    "office",    "table",   "hall",   "building",  "shop",
      "cafe",  "café",   "parlour",    "parlor",    "library", "garden", "apartment", "flat",
      "study", "church", "stage",      "dormitory", "dorm",    "party",  "meeting",   "cottage",
      "bar",   "diner",  "restaurant", "tower",     "car",     "van"};
  static const std::unordered_set<std::string_view> kOwners = {"the", "his", "her", "their",
                                                               "my",  "our", "your"};
  if (ends_clause(tokens, i + 1)) return true;
  const auto& next = tokens[i + 1].lower;
  if (next == "without" || next == "again" || next == "soon") return true;
  if (!in_set(kOwners, next)) return false;
  for (std::size_t k = i + 2; k < tokens.size() && k <= i + 3 && !tokens[k].clause_break_before;
       ++k)
    if (in_set(kPlaces, tokens[k].lower)) return true;
  return false;
}

// A verb of leaving the scene at token i: "fled", "went out", "walked away", "hung up", "left
// the room"; in the past or the present tense.
bool leaves_at(const std::vector<Token>& tokens, std::size_t i) {
  static const std::unordered_set<std::string_view> kAlone = {
      "fled", "flees", "departed", "departs", "vanished", "vanishes", "disappeared", "disappears"};
  static const std::unordered_set<std::string_view> kMoving = {
      "went",    "goes",    "walked",   "walks",   "hurried", "hurries", "ran",     "runs",
      "stormed", "storms",  "stalked",  "stalks",  "strode",  "strides", "slipped", "slips",
      "marched", "marches", "swept",    "sweeps",  "stomped", "stomps",  "headed",  "heads",
      "limped",  "limps",   "wandered", "wanders", "climbed", "climbs"};
  static const std::unordered_set<std::string_view> kAway = {"out",  "away",       "off",
                                                             "home", "downstairs", "upstairs"};
  static const std::unordered_set<std::string_view> kUpOrDown = {"up", "down"};
  const std::string_view w = tokens[i].lower;
  // Both arms views: `? tokens[i + 1].lower : ""` would copy the word into a temporary string
  // that dies with this statement, leaving the view dangling (AddressSanitizer caught it).
  const std::string_view next = i + 1 < tokens.size() && !tokens[i + 1].clause_break_before
                                    ? std::string_view(tokens[i + 1].lower)
                                    : std::string_view();
  if (in_set(kAlone, w))
    return next.empty() || is_preposition(next) || in_set(kAway, next) || next == "through";
  if (w == "left" || w == "leaves") return leaves_place(tokens, i);
  if ((w == "hung" || w == "hangs") && next == "up") return true;
  if (!in_set(kMoving, w)) return false;
  if (in_set(kAway, next)) return !(next == "off" && w == "went");  // "the alarm went off"
  // "went down through the trapdoor", "ran up the stairs"
  if (in_set(kUpOrDown, next) && i + 2 < tokens.size() && !tokens[i + 2].clause_break_before) {
    const auto& then = tokens[i + 2].lower;
    if (then == "through") return true;
    if (then == "the" && i + 3 < tokens.size())
      return tokens[i + 3].lower == "stairs" || tokens[i + 3].lower == "ladder" ||
             tokens[i + 3].lower == "steps" || tokens[i + 3].lower == "hall";
  }
  return false;
}

// "did not come out", "never left": a sentence that says what someone did not do.
bool negated(const std::vector<Token>& tokens, std::size_t begin, std::size_t end) {
  for (std::size_t k = begin; k < end; ++k) {
    const auto& w = tokens[k].lower;
    if (w == "not" || w == "never" || w == "nobody" || w.ends_with("n't")) return true;
  }
  return false;
}

// "came back to Maud", "returned": back in the same sentence that took them out.
bool comes_back(const std::string& w) {
  return w == "came" || w == "comes" || w == "returned" || w == "returns" || w == "rejoined" ||
         w == "reappeared" || w == "joined";
}

}  // namespace

// The character the narration has most often made a subject so far: the story follows them,
// so where they go the scene goes.
int Sieve::protagonist(const ReadingState& reading) const {
  std::map<int, int> subjects;
  for (const auto& s : reading.history)
    if (s.subject && s.id >= 0) ++subjects[s.id];
  int best = kUnknown, most = 0;
  for (const auto& [id, count] : subjects)
    if (count > most) {
      best = id;
      most = count;
    }
  return best;
}

// Reads one sentence at a time: its subject (the first character it names as no object, or
// the one a tag names: "said Dee"), the last character named, and a verb of leaving whose
// subject is one of them ("Dee fled", "Crane nodded, and went down through the trapdoor").
// Whoever the story follows never leaves it, nor does a "she" that more than one woman there
// could be. One who left is back when a later sentence names
// them, or has a "he" or "his" that can only mean them ("She was revived by his bringing back
// his cup"), unless it says they did not come.
void Sieve::note_departures(const std::vector<Token>& tokens, ReadingState& reading) const {
  constexpr int kSomeone = -2;  // a subject, but not one whose leaving can be told
  // Whether the recent characters still there hold one of `gender` at most.
  auto alone_of_gender = [&](Gender gender, const ReadingState& state) {
    std::set<int> fitting;
    const auto& h = state.history;
    for (std::size_t k = h.size() > kRecentKept ? h.size() - kRecentKept : 0; k < h.size(); ++k)
      if (h[k].id >= 0 && table_.characters[h[k].id].gender == gender &&
          !state.departed.count(h[k].id))
        fitting.insert(h[k].id);
    return fitting.size() <= 1;
  };
  for (std::size_t begin = 0, end = 0; begin < tokens.size(); begin = end) {
    end = begin + 1;
    while (end < tokens.size() && !tokens[end].sentence_start) ++end;
    const bool denied = negated(tokens, begin, end);
    bool leaving = false;
    for (std::size_t i = begin; i < end && !leaving; ++i) leaving = leaves_at(tokens, i);
    if (!leaving && reading.departed.empty()) continue;  // nobody to leave or to come back
    int subject = kUnknown, last = kUnknown, gone = kUnknown;
    std::size_t last_end = begin;
    for (std::size_t i = begin; i < end;) {
      const Gender said = gender_of_pronoun(tokens[i].lower);
      if (!leaving && !denied && said != Gender::Unknown)
        reading.departed.erase(last_of_gender(said, tokens, i, reading, false));
      Mention m = mention_at(tokens, i);
      int id = m.kind == Mention::Name ? m.id : kUnknown;
      // "She ran downstairs" among other women tells nobody's leaving: a pronoun counts only
      // when one character of its gender is still there.
      if (m.kind == Mention::Pronoun)
        id = alone_of_gender(m.gender, reading) ? last_of_gender(m.gender, tokens, i, reading, true)
                                                : kSomeone;
      if (id != kUnknown && id != first_person_ && id != reader_ &&
          !tokens[i + m.length - 1].possessive) {
        if (m.kind == Mention::Name && !denied) reading.departed.erase(id);
        const bool object =
            is_object_at(tokens, i) && !(i > begin && is_speech_verb(tokens[i - 1].lower));
        if (subject == kUnknown && !object) subject = id;
        last = id;
        last_end = i + m.length;
        i += m.length;
        continue;
      }
      if (!denied && leaves_at(tokens, i)) {
        const bool right_after = last != kUnknown && i >= last_end && i <= last_end + 1 &&
                                 !tokens[i].clause_break_before;
        const bool joined =
            i > begin && (tokens[i - 1].lower == "and" || tokens[i - 1].lower == "then");
        gone = right_after ? last : joined ? subject : gone;
      } else if (gone != kUnknown && comes_back(tokens[i].lower)) {
        gone = kUnknown;
      }
      ++i;
    }
    if (gone >= 0 && gone != protagonist(reading)) reading.departed.insert(gone);
  }
}

// Whom "he" or "she" at token i means: the last character of that gender named before it in
// the same narration, else in the story so far; only those still there if `present_only`.
int Sieve::last_of_gender(Gender gender, const std::vector<Token>& tokens, std::size_t i,
                          const ReadingState& reading, bool present_only) const {
  auto fits = [&](int id) {
    return id >= 0 && table_.characters[id].gender == gender &&
           !(present_only && reading.departed.count(id)) && !table_.characters[id].is_group;
  };
  for (std::size_t k = i; k-- > 0;) {
    auto [id, length] = table_.match(tokens, k);
    if (fits(id)) return id;
  }
  for (auto it = reading.history.rbegin(); it != reading.history.rend(); ++it)
    if (fits(it->id)) return it->id;
  return kUnknown;
}

// "when he said that", "as she said it", "after he said so": narration looking back at the
// quotation before it, and telling the gender of its speaker.
Gender Sieve::said_back(const std::vector<Token>& tokens) {
  for (std::size_t i = 0; i + 2 < tokens.size(); ++i) {
    const auto& w = tokens[i].lower;
    if (w != "when" && w != "as" && w != "after" && w != "once") continue;
    const Gender g = gender_of_pronoun(tokens[i + 1].lower);
    if (g == Gender::Unknown || (tokens[i + 1].lower != "he" && tokens[i + 1].lower != "she"))
      continue;
    if (tokens[i + 2].lower != "said" && tokens[i + 2].lower != "says") continue;
    if (tokens[i + 2].clause_break_before || tokens[i + 1].clause_break_before) continue;
    if (i + 3 == tokens.size() || tokens[i + 3].clause_break_before) return g;
    const auto& what = tokens[i + 3].lower;
    if (what == "that" || what == "this" || what == "it" || what == "so") {
      // "when he said that she..." reports words; "when he said that," looks back at them.
      if (i + 4 == tokens.size() || tokens[i + 4].clause_break_before) return g;
    }
  }
  return Gender::Unknown;
}

bool Sieve::nobody_answered(const std::vector<Token>& tokens) {
  static const std::unordered_set<std::string_view> kAnswers = {
      "said", "answered", "replied", "spoke", "responded", "answers", "replies", "speaks"};
  std::size_t i = 0;
  if (tokens.size() > 1 && tokens[0].lower == "no" && tokens[1].lower == "one")
    i = 1;
  else if (tokens.empty() || (tokens[0].lower != "nobody" && tokens[0].lower != "noone"))
    return false;
  for (std::size_t k = i + 1; k < tokens.size() && k <= i + 2; ++k) {
    if (tokens[k].clause_break_before) return false;
    if (in_set(kAnswers, tokens[k].lower)) return true;
  }
  return false;
}

}  // namespace troupe::sieve
