// Finding a speech tag beside a quotation: after it ("said Tamsin", "Mr. Pimlott replied"), before
// it ("Tamsin said,"), a group's ("the girls chorused"), or a clause running into it; and the
// speaker its subject names.
#include <algorithm>
#include <cctype>
#include <optional>
#include <string_view>
#include <unordered_set>

#include "attribution/function_words.h"
#include "attribution/sieve.h"
#include "attribution/tokens.h"
#include "attribution/word_lists.h"

namespace troupe::sieve {
namespace {

// The tag's verb at tokens[verb]: how it asks for the line to be said, and whether the speaker
// carries on ("added", "went on") rather than answers.
void take_verb(Tag& tag, const std::vector<Token>& tokens, std::size_t verb) {
  tag.delivery = delivery_of_verb(tokens[verb].lower);
  tag.verb = verb;
  const auto& w = tokens[verb].lower;
  const bool go = w == "went" || w == "goes";
  tag.carries_on =
      is_carry_on_verb(w) && (!go || (verb + 1 < tokens.size() && tokens[verb + 1].lower == "on"));
}

}  // namespace

// "Bob", "Mr. Bob Smith" at tokens[i]: a name troupe has not met; "" if not name-like.
std::string Sieve::unmet_name(const std::vector<Token>& tokens, std::size_t i) {
  std::string name;
  std::size_t k = i;
  if (k < tokens.size() && is_person_title(tokens[k].text) && k + 1 < tokens.size()) {
    name = tokens[k].text;
    ++k;
  }
  const std::size_t first_word = k;
  for (; k < tokens.size() && k < i + 4; ++k) {
    const Token& t = tokens[k];
    bool name_word = t.capitalized && t.text.size() > 1 && !is_never_a_name(t.text) &&
                     !is_person_title(t.text) && (k == i || !t.clause_break_before);
    if (!name_word) break;
    name += (name.empty() ? "" : " ") + t.text;
    if (t.possessive) return "";
  }
  if (k == first_word) return "";  // "Sir", "Mrs." alone name nobody
  return name.find_first_of("abcdefghijklmnopqrstuvwxyz") == std::string::npos ? "" : name;
}

Tag Sieve::unmet_speaker(const std::vector<Token>& tokens, std::size_t i, std::size_t verb) const {
  Tag tag;
  tag.new_name = unmet_name(tokens, i);
  tag.found = !tag.new_name.empty();
  tag.firm = true;
  tag.rule = Rule::TagName;
  take_verb(tag, tokens, verb);
  tag.subject = i;
  return tag;
}

// "said the Duchess", "the Masked Man said": "the" before words written as a name is
// someone the story calls by a title of their own, met for the first time; "" if none.
std::string Sieve::unmet_epithet(const std::vector<Token>& tokens, std::size_t i) {
  if (i + 1 >= tokens.size() || tokens[i].lower != "the" || tokens[i + 1].sentence_start ||
      tokens[i + 1].clause_break_before)
    return "";
  std::string name = unmet_name(tokens, i + 1);
  // "said the King": a title alone, as unmet_name never takes one.
  const Token& first = tokens[i + 1];
  if (name.empty() && first.capitalized && !first.possessive && is_person_title(first.text) &&
      (i + 2 >= tokens.size() || !tokens[i + 2].capitalized || tokens[i + 2].clause_break_before))
    name = first.text;
  return name.empty() ? "" : "The " + name;
}

// "asked a waiter", "a voice called from the stairs": someone the narration does not name, an
// extra of this moment, never whoever was named last. `i` is where "a" stands; the words after
// it, up to a preposition, a verb or a clause break, are the label.
Tag Sieve::unnamed_speaker(const std::vector<Token>& tokens, std::size_t i,
                           std::size_t verb) const {
  if (i >= tokens.size()) return {};
  const auto& w = tokens[i].lower;
  if (w != "a" && w != "an" && w != "another" && w != "someone" && w != "somebody") return {};
  std::string label = w;
  // "said a voice": in a novel, mostly someone known, heard before they are seen; "a voice
  // called from the stairs": someone out of sight, an extra.
  for (std::size_t k = i + 1; k < tokens.size() && k <= i + 4; ++k)
    if (tokens[k].lower == "voice" || tokens[k].lower == "voices") {
      if (!heard_from_elsewhere(tokens, k)) return {};
      for (std::size_t j = i + 1; j <= k; ++j) label += " " + tokens[j].lower;
      return extra_tag(label, Rule::TagDescription, tokens, i, verb);
    }
  for (std::size_t k = i + 1; k < tokens.size() && k <= i + 4; ++k) {
    const Token& t = tokens[k];
    static const std::unordered_set<std::string_view> kEnds = {
        "in",      "behind", "near", "outside", "inside", "over", "under",
        "through", "across", "that", "which",   "who",    "whose"};
    if (t.clause_break_before || t.capitalized || is_preposition(t.lower) || kEnds.count(t.lower) ||
        is_speech_verb(t.lower) || is_joining_conjunction(t.lower))
      break;
    label += " " + t.lower;
  }
  const bool alone = w == "someone" || w == "somebody";
  if (label == w && !alone) return {};
  return extra_tag(label, Rule::TagDescription, tokens, i, verb);
}

// "a voice called from the far end of the yard", "cried a voice from below": the voice at
// tokens[k] comes from somewhere the scene is not, said within a few words (a speech verb and
// adverbs may come first). "a voice from within" is whoever lives behind the door knocked at,
// soon named.
bool Sieve::heard_from_elsewhere(const std::vector<Token>& tokens, std::size_t k) {
  for (std::size_t j = k + 1; j < tokens.size() && j <= k + 3; ++j) {
    if (tokens[j].lower == "from")
      return j + 1 < tokens.size() && tokens[j + 1].lower != "within" &&
             tokens[j + 1].lower != "inside";
    if (tokens[j].clause_break_before ||
        !(is_speech_verb(tokens[j].lower) || skippable_between(tokens[j])))
      return false;
  }
  return false;
}

// A tag whose speaker the narration describes and does not name: the character the cast
// describes so, else an extra of this moment with `label` as its name.
Tag Sieve::extra_tag(const std::string& label, Rule rule, const std::vector<Token>& tokens,
                     std::size_t i, std::size_t verb) const {
  Tag tag;
  tag.speaker = described_as(label, tokens, i);
  tag.found = true;
  tag.rule = rule;
  if (tag.speaker == kUnknown) {
    tag.extra = label;
    tag.passing = true;
  }
  take_verb(tag, tokens, verb);
  tag.subject = i;
  return tag;
}

// The character the cast describes as `label` ("a looker-on": "The Looker-on"), the words at
// tokens[i] included, or nobody.
int Sieve::described_as(const std::string& label, const std::vector<Token>& tokens,
                        std::size_t i) const {
  if (auto [described, used] = table_.match_description(tokens, i); described >= 0)
    return described;
  const auto space = label.find(' ');
  if (space == std::string::npos) return kUnknown;
  const int id = table_.find("the" + label.substr(space));
  return id >= 0 && !table_.characters[id].is_group ? id : kUnknown;
}

Tag Sieve::tag_from_subject(const std::vector<Token>& tokens, std::size_t i, std::size_t verb,
                            const Salience& local, const Exchange& exchange,
                            const ReadingState& reading) const {
  Tag tag;
  Mention m = mention_at(tokens, i);
  if (m.kind == Mention::None) m = epithet_name_at(tokens, i);
  if (m.kind == Mention::None) return tag;
  // "Sing me a tune and I answer:" in a song of a story told in the past: the narrator's own
  // tags are in the past tense too, so a present one is some character's "I".
  if (m.kind == Mention::Name && table_.characters[m.id].name == kNarratorLabel &&
      !is_past_tense_verb(tokens[verb].lower))
    return tag;
  tag.found = true;
  tag.rule = m.kind == Mention::Name      ? Rule::TagName
             : m.kind == Mention::Pronoun ? Rule::TagPronoun
                                          : Rule::TagDescription;
  if (is_indefinite(m)) {
    // "cried another gentleman", "said one of the women": someone the scene has not had yet,
    // unless the cast describes them so ("a looker-on" for "The Looker-on").
    tag.speaker = described_as(m.determiner + " " + m.phrase, tokens, i);
    if (tag.speaker == kUnknown) {
      tag.extra = m.determiner + " " + m.phrase;
      tag.passing = true;
    }
    take_verb(tag, tokens, verb);
    tag.subject = i;
    return tag;
  }
  bool by_gender = false;
  // "he said, noticing a faint doubt on Mr. Corwen's face": a name later in the
  // pronoun's own sentence is someone else.
  Exchange bound = exchange;
  bound.bound.clear();
  if (m.kind == Mention::Pronoun && verb != i && is_speech_verb(tokens[verb].lower))
    for (std::size_t k = std::max(i, verb) + 1; k < tokens.size() && !tokens[k].sentence_start; ++k)
      if (Mention later = mention_at(tokens, k); later.kind == Mention::Name) {
        bound.bound.push_back(later.id);
        k += later.length - 1;
      }
  tag.speaker = resolve_mention(m, local, bound, reading, &by_gender);
  // "said the one-eyed sailor" where the cast has "The One-eyed Sailor": the description the
  // cast gives, when no relative or title ("the doctor" for "Doctor Yarrow") names them.
  if (m.kind == Mention::Noun && by_gender)
    if (auto [described, used] = table_.match_description(tokens, i); described >= 0) {
      tag.speaker = described;
      by_gender = false;
    }
  if (m.kind == Mention::Noun && m.determiner == "the" && by_gender) tag.description = m.phrase;
  take_verb(tag, tokens, verb);
  tag.subject = i;
  if (by_gender) tag.pronoun = m.gender;
  if (by_gender && m.kind == Mention::Pronoun && tag.speaker != kUnknown)
    tag.next_likeliest = resolve(m.gender, local, bound, reading, is_adult_noun(m), tag.speaker);
  tag.firm = m.kind == Mention::Name || m.kind == Mention::Pronoun;
  tag.adult = is_adult_noun(m);
  // "his manager called": someone with no name, an extra unless the turns of the
  // conversation say who it is; "his friend" is someone in the scene, whom the turns tell.
  const bool companion = is_companion_noun(m.noun);
  if (m.kind == Mention::Noun && tag.speaker == kUnknown && m.gender == Gender::Unknown &&
      m.determiner != "the" && m.determiner != "a" && m.determiner != "an" && !companion)
    tag.extra = m.determiner + " " + m.phrase;
  return tag;
}

// "another gentleman", "one of the women", "a waiter": nobody met before. The narration names
// someone it knows by name or by "the"; "a" brings in someone it does not.
bool Sieve::is_indefinite(const Mention& m) {
  return m.kind == Mention::Noun && (m.determiner == "another" || m.determiner == "a" ||
                                     m.determiner == "an" || m.determiner.starts_with("one of "));
}

// "the girls", "the other children", "they", "both": several people, and how many tokens.
// "they" is the group the narration last named, or everyone present.
std::pair<std::string, std::size_t> Sieve::group_at(const std::vector<Token>& tokens, std::size_t i,
                                                    const ReadingState& reading) const {
  if (i >= tokens.size()) return {"", 0};
  const std::string_view w = tokens[i].lower;  // a view: compared by length first
  if (w == "they" || w == "both" || w == "all")
    return {reading.last_group.empty() ? "everyone" : reading.last_group, 1};
  if (w != "the" && w != "his" && w != "her" && w != "your" && w != "their" && w != "my" &&
      w != "our" && w != "all")
    return {"", 0};
  // "said a voice": in a novel, mostly someone known, heard before they are seen.
  for (std::size_t k = i + 1; k < tokens.size() && k <= i + 4; ++k)
    if (std::string_view word = tokens[k].lower; word == "voice" || word == "voices") return {};
  for (std::size_t k = i + 1; k < tokens.size() && k <= i + 4; ++k) {
    if (is_group_noun(tokens[k].lower)) return {"the " + tokens[k].lower, k - i + 1};
    if (tokens[k].capitalized || tokens[k].clause_break_before) break;
  }
  return {"", 0};
}

// Remembers the last group the narration names, for a later "they said".
void Sieve::note_groups(const std::vector<Token>& tokens, ReadingState& reading) const {
  for (std::size_t i = 0; i < tokens.size(); ++i)
    if (std::string_view w = tokens[i].lower; w != "they" && w != "all" && w != "both")
      if (auto [label, used] = group_at(tokens, i, reading); used > 0) reading.last_group = label;
}

// Verbs that are speech only sometimes ("they went out", "as they proceeded"): a group's tag
// needs a plain one.
bool Sieve::group_speech_verb(const std::string& w) {
  return is_speech_verb(w) && !is_occasional_speech_verb(w);
}

Tag Sieve::group_tag(const std::string& label, const std::vector<Token>& tokens, std::size_t verb,
                     std::size_t subject) const {
  Tag tag;
  tag.found = true;
  tag.rule = Rule::TagGroup;
  tag.group = label;
  take_verb(tag, tokens, verb);
  tag.subject = subject;
  return tag;
}

// `"Four o'clock!" was Mr. Weston's quick amendment`, `"Why?" came Chaerin's message`: the
// owner of the words is the speaker.
Tag Sieve::owner_of_words(const std::vector<Token>& tokens) const {
  if ((tokens[0].lower != "was" && tokens[0].lower != "came") || tokens.size() <= 2 ||
      tokens[1].clause_break_before)
    return {};
  Mention m = mention_at(tokens, 1);
  if (m.kind != Mention::Name || !tokens[m.length].possessive ||
      static_cast<std::size_t>(m.length) + 1 >= tokens.size() ||
      tokens[m.length + 1].clause_break_before)
    return {};
  Tag tag;
  tag.found = true;
  tag.speaker = m.id;
  tag.subject = 1;
  return tag;
}

// A tag after a quotation: `said Emma`, `cried his wife`, `Mr. Bennet replied`, `she said`.
Tag Sieve::tag_after(const std::vector<Token>& tokens, const Salience& local,
                     const Exchange& exchange, const ReadingState& reading) const {
  if (tokens.empty()) return {};
  if (Tag tag = owner_of_words(tokens); tag.found) return tag;
  if (is_speech_verb(tokens[0].lower)) {
    std::size_t subject = 1;
    while (subject < tokens.size() && skippable_between(tokens[subject])) ++subject;
    if (auto [label, used] = group_at(tokens, subject, reading);
        used > 0 && group_speech_verb(tokens[0].lower))
      return group_tag(label, tokens, 0, subject);
    // "said the King" in a story that writes its King so: a title used as a name.
    bool person = false;
    if (subject + 1 < tokens.size() && tokens[subject + 1].capitalized)
      gender_of_person_noun(tokens[subject + 1].lower, &person);
    if (person && mention_at(tokens, subject).kind == Mention::Noun)
      if (std::string epithet = unmet_epithet(tokens, subject); !epithet.empty()) {
        Tag tag = unmet_speaker(tokens, subject + 1, 0);
        tag.new_name = epithet;
        tag.found = true;
        return tag;
      }
    Tag tag = tag_from_subject(tokens, subject, 0, local, exchange, reading);
    if (tag.found) return tag;
    if (tag = unnamed_speaker(tokens, subject, 0); tag.found) return tag;
    if (subject == 1) {
      if (std::string epithet = unmet_epithet(tokens, 1); !epithet.empty()) {
        tag = unmet_speaker(tokens, 2, 0);
        tag.new_name = epithet;
        return tag;
      }
      return unmet_speaker(tokens, 1, 0);
    }
  }
  if (auto [label, used] = group_at(tokens, 0, reading); used > 0) {  // "the girls chorused"
    for (std::size_t k = used; k < tokens.size() && k <= used + 3; ++k) {
      if (tokens[k].sentence_start) break;
      if (group_speech_verb(tokens[k].lower)) return group_tag(label, tokens, k, 0);
      if (!skippable_between(tokens[k])) break;
    }
  }
  Mention m = mention_at(tokens, 0);
  if (m.kind == Mention::None) {  // "Bob said", Bob met for the first time
    for (std::size_t k = 1; k < tokens.size() && k <= 4 && !tokens[k].clause_break_before; ++k)
      if (is_speech_verb(tokens[k].lower))
        if (Tag tag = unnamed_speaker(tokens, 0, k); tag.found) return tag;
    std::string name = unmet_name(tokens, 0);
    const std::string epithet = name.empty() ? unmet_epithet(tokens, 0) : "";
    if (!epithet.empty()) name = epithet;
    std::size_t words = name.empty() ? 0 : tokenize(name).size();
    if (words > 0 && words < tokens.size() && is_speech_verb(tokens[words].lower) &&
        !tokens[words].clause_break_before) {
      Tag tag = unmet_speaker(tokens, epithet.empty() ? 0 : 1, words);
      if (!epithet.empty()) tag.new_name = epithet;
      return tag;
    }
    return {};
  }
  for (std::size_t k = m.length; k < tokens.size() && k <= static_cast<std::size_t>(m.length) + 3;
       ++k) {
    if (tokens[k].sentence_start) break;
    if (is_speech_verb(tokens[k].lower))
      return tag_from_subject(tokens, 0, k, local, exchange, reading);
    if (!skippable_between(tokens[k])) break;
  }
  // "the man in the feed cap said", "the woman at the next table asked": someone the narration
  // picks out by where they are or what they wear, not by name: an extra of the moment.
  if (m.kind == Mention::Noun && m.determiner == "the")
    if (std::size_t verb = verb_after_place(tokens, m.length); verb > 0) {
      std::string label;
      for (std::size_t j = 0; j < verb; ++j) label += (j > 0 ? " " : "") + tokens[j].lower;
      return extra_tag(label, Rule::TagDescription, tokens, 0, verb);
    }
  return {};
}

// "in the feed cap said": a phrase of place or dress at tokens[at] ("in the", "with the", "at
// the", "by the", "near the", "behind the") of a few plain words, then a speech verb; where that
// verb stands, or 0 if none. "with a sigh", "at last", "in a whisper" tell how, not who; a name
// or a clause break in between is some other sentence.
std::size_t Sieve::verb_after_place(const std::vector<Token>& tokens, std::size_t at) {
  static const std::unordered_set<std::string_view> kPlaces = {"in",   "with",   "at",
                                                               "near", "behind", "by"};
  if (at + 2 >= tokens.size() || tokens[at].clause_break_before ||
      !kPlaces.count(tokens[at].lower) || tokens[at + 1].lower != "the")
    return 0;
  for (std::size_t j = at + 1; j < tokens.size() && j <= at + 6; ++j) {
    if (tokens[j].clause_break_before || tokens[j].capitalized || tokens[j - 1].possessive)
      return 0;
    if (j > at + 2 && is_speech_verb(tokens[j].lower)) return j;
  }
  return 0;
}

namespace {
// A clause a main clause's subject may open: not one that "when", "who" or "that" opens.
bool opens_main_clause(const std::string& w) {
  if (w == "who" || w == "whom" || w == "which" || w == "whose") return false;
  return !is_clause_opener(w) || is_joining_conjunction(w);
}

// "and said", "and then said", "and quietly answered": the verb at v joined by "and" to a
// predicate before it in the sentence.
bool coordinated_verb(const std::vector<Token>& tokens, std::size_t start, std::size_t v) {
  std::size_t k = v;
  while (k > start + 1 && Sieve::skippable_between(tokens[k - 1])) --k;
  return k > start + 1 && tokens[k - 1].lower == "and";
}

// The subject of the speech verb at tokens[v], in the sentence from `start`: the last mention
// before it that can be one, read forwards so "Mrs. Weston" is not "Weston": not a
// possessive, not the object of a preposition.
std::optional<std::size_t> subject_of_verb(const Sieve& sieve, const std::vector<Token>& tokens,
                                           std::size_t start, std::size_t v, const Salience& local,
                                           const Exchange& exchange, const ReadingState& reading) {
  std::optional<std::size_t> subject, main_subject;
  // A "he" or "her father" inside a clause, or a name a "who" clause is about.
  bool subject_embedded = false;
  const bool participle = tokens[v].lower.ends_with("ing") && tokens[v].clause_break_before;
  bool main_clause = true, mention_in_clause = false;
  for (std::size_t s = start; s < v;) {
    if (s == start || tokens[s].clause_break_before) {
      main_clause = opens_main_clause(tokens[s].lower);
      mention_in_clause = false;
    }
    Mention m = sieve.mention_at(tokens, s);
    std::size_t used = m.kind == Mention::None ? 1 : m.length;
    const std::size_t next = s + used;
    // "Mr. Osgood, who said", "the Heron, who in the end grew cross, and would only
    // say": the relative pronoun's antecedent is the subject, however far the verb.
    const bool relative = next < v && (tokens[next].lower == "who" ||
                                       (next + 1 < v && tokens[next + 1].lower == "who"));
    // "Mr. Osgood's letting out a long yawn, and saying": a possessive before a gerund.
    const bool gerund_owner =
        tokens[next - 1].possessive && next < v && tokens[next].lower.ends_with("ing");
    // A noun only when it names a relative: "her aunt hugged her, and said".
    const bool noun_named =
        m.kind == Mention::Noun && sieve.kin_of(m, local, exchange, reading) != kUnknown;
    bool can_speak = m.kind != Mention::None && (m.kind != Mention::Noun || noun_named) &&
                     (!tokens[next - 1].possessive || gerund_owner) &&
                     (relative || !(s > 0 && is_preposition(tokens[s - 1].lower) &&
                                    !Sieve::is_conjunction_for(tokens, s - 1)));
    // "Mrs. Fennimore answered, that it was, adding,": a participle's subject is its main
    // clause's, never the subject of a clause that "that" opens.
    const bool reported = participle && s > start && tokens[s - 1].lower == "that";
    if (can_speak && !reported && (v - s <= kSubjectReach || relative)) {
      subject = s;
      subject_embedded = relative || ((m.kind == Mention::Pronoun || m.kind == Mention::Noun) &&
                                      mention_in_clause);
    }
    if (can_speak && main_clause && !mention_in_clause) main_subject = s;
    if (m.kind != Mention::None) mention_in_clause = true;
    s += used;
  }
  // "Jane saw he was tired and said,", "Jane turned to Tom, who was reading, and said,", "She
  // kissed her father and said,": a verb joined by "and" to the one before shares its
  // subject, that of the last main clause.
  if (main_subject && subject_embedded && coordinated_verb(tokens, start, v))
    subject = main_subject;
  return subject;
}
}  // namespace

// A tag before a quotation, in the sentence leading into it: `Junny nudged her, whispering,`.
Tag Sieve::tag_before(const std::vector<Token>& tokens, const Salience& local,
                      const Exchange& exchange, const ReadingState& reading) const {
  if (tokens.empty()) return {};
  std::size_t start = 0;
  for (std::size_t k = 0; k < tokens.size(); ++k)
    if (tokens[k].sentence_start) start = k;
  for (std::size_t v = tokens.size(); v-- > start;) {
    if (!is_speech_verb(tokens[v].lower)) continue;
    // "The girls all shouted,", "they chorused,": several speak at once.
    for (std::size_t g = v > start + 4 ? v - 4 : start; g < v && group_speech_verb(tokens[v].lower);
         ++g)
      if (auto [label, used] = group_at(tokens, g, reading); used > 0 && g + used <= v) {
        bool plain = true;  // only adverbs between the group and its verb
        for (std::size_t k = g + used; k < v; ++k)
          plain = plain && (skippable_between(tokens[k]) || tokens[k].lower == "all" ||
                            tokens[k].lower == "together");
        if (plain) return group_tag(label, tokens, v, g);
      }
    std::optional<std::size_t> subject =
        subject_of_verb(*this, tokens, start, v, local, exchange, reading);
    // "the tone in which he kept talking", "a smile which Tamsin noticed": a relative clause
    // about a thing, no tag; "To which Hollis answered," opening its clause is one.
    if (subject && *subject > start &&
        (tokens[*subject - 1].lower == "which" || tokens[*subject - 1].lower == "whom")) {
      std::size_t opens = *subject - 1;
      if (opens > start && is_preposition(tokens[opens - 1].lower)) --opens;
      if (opens > start && !tokens[opens].clause_break_before && !tokens[opens].sentence_start)
        continue;
    }
    if (subject) return tag_from_subject(tokens, *subject, v, local, exchange, reading);
    if (v + 1 < tokens.size()) {  // "said Emma:"; never "teased you," where you is the object
      Mention after = mention_at(tokens, v + 1);
      if (after.kind == Mention::Name && after.id != reader_)
        return tag_from_subject(tokens, v + 1, v, local, exchange, reading);
    }
    return {};
  }
  return lead_in_subject(tokens, start, local, exchange, reading);
}

// "There was an immediate uproar from them,", "in chorus,": several speak the quotation.
Tag Sieve::collective_lead_in(const std::vector<Token>& tokens, const ReadingState& reading) const {
  std::size_t start = 0;
  for (std::size_t k = 0; k < tokens.size(); ++k)
    if (tokens[k].sentence_start) start = k;
  bool collective = false, plural = false;
  for (std::size_t k = start; k < tokens.size(); ++k) {
    const auto& w = tokens[k].lower;
    collective = collective || w == "chorus" || w == "unison" || w == "uproar" ||
                 (w == "together" && k > start);
    plural = plural || w == "them" || w == "they" || group_at(tokens, k, reading).second > 0;
  }
  if (!collective || !plural) return {};
  Tag tag;
  tag.found = true;
  tag.rule = Rule::TagGroup;
  tag.group = reading.last_group.empty() ? "everyone" : reading.last_group;
  for (std::size_t k = start; k < tokens.size(); ++k)
    if (auto [label, used] = group_at(tokens, k, reading);
        used > 0 && tokens[k].lower != "they" && tokens[k].lower != "all")
      tag.group = label;
  return tag;
}

// `and you turned to Taeyong sheepishly, "..."`: a clause that runs into the quotation
// without a speech verb still names its speaker as its subject.
Tag Sieve::lead_in_subject(const std::vector<Token>& tokens, std::size_t start,
                           const Salience& local, const Exchange& exchange,
                           const ReadingState& reading) const {
  std::optional<std::size_t> subject;
  for (std::size_t k = start; k < tokens.size(); ++k) {
    bool clause_start = k == start || tokens[k].clause_break_before;
    if (!clause_start) continue;
    std::size_t at = k;
    const auto& w = tokens[at].lower;
    if (is_joining_conjunction(w) && at + 1 < tokens.size()) ++at;
    Mention m = mention_at(tokens, at);
    if ((m.kind == Mention::Name || m.kind == Mention::Pronoun) &&
        !tokens[at + m.length - 1].possessive)
      subject = at;
  }
  if (!subject) return {};
  Tag tag = tag_from_subject(tokens, *subject, *subject, local, exchange, reading);
  tag.delivery = Delivery::Normal;
  return tag;
}

// `He teased you, "..."`, `She said: "..."`, `the Heron merely snapped "Go away!"`:
// narration that runs into the quotation.
bool Sieve::leads_into_quote(const Paragraph& p, const Segment& s) const {
  std::string_view text = std::string_view(p.text).substr(s.begin, s.end - s.begin);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (text.empty()) return false;
  if (text.back() == ',' || text.back() == ':' || text.back() == '-') return true;
  if (text.ends_with("\u2014") || text.ends_with("\u2013") || text.ends_with("\u2026")) return true;
  // No punctuation: the last word (or the one before a particle) is a speech verb.
  const auto& tokens = tokens_of(p, s);
  if (tokens.empty() || !std::isalpha(static_cast<unsigned char>(text.back()))) return false;
  std::size_t last = tokens.size() - 1;
  if (last > 0 && (tokens[last].lower == "out" || tokens[last].lower == "up")) --last;
  return is_speech_verb(tokens[last].lower) && !tokens[last].sentence_start;
}
}  // namespace troupe::sieve
