// What the story's text says of its capitalised words: which are names, and of which gender.
#include <cctype>
#include <set>

#include "attribution/characters_internal.h"
#include "attribution/name_forms.h"
#include "attribution/word_lists.h"
#include "common/ascii.h"

namespace troupe::characters_internal {
namespace {

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

// "the Masked Man", "the Tin Man": after "the", a name-like word and a person noun, both
// capitalised in running text, are one name, not a name "Masked" and a man.
bool is_named_description(const std::vector<Token>& tokens, std::size_t i) {
  if (i == 0 || i + 1 >= tokens.size() || tokens[i - 1].lower != "the") return false;
  const Token& noun = tokens[i + 1];
  if (!noun.capitalized || noun.clause_break_before || tokens[i].possessive) return false;
  bool is_person = false;
  gender_of_person_noun(noun.lower, &is_person);
  return is_person && is_generic_person_noun(noun.lower);
}

// "bowed", "nodded", "grinned": what only a person does (a house may stand, a hill may rise).
bool is_gesture_verb(const std::string& w) {
  static const std::set<std::string> kGestures = {
      "bowed",     "nodded",  "smiled",  "grinned",  "laughed",   "shrugged", "sighed",
      "frowned",   "winked",  "blinked", "curtsied", "curtseyed", "chuckled", "giggled",
      "smirked",   "scoffed", "snorted", "groaned",  "gasped",    "coughed",  "swallowed",
      "hesitated", "paused",  "bowing",  "nodding"};
  return kGestures.count(w) > 0 || is_speech_verb(w);
}

// One pronoun's vote for the gender of the name `key` (none for a pronoun of no gender).
void vote_for(const std::string& key, Gender g, NameStats& stats) {
  if (g == Gender::Male) ++stats.pronoun_votes[key].first;
  if (g == Gender::Female) ++stats.pronoun_votes[key].second;
}

// A quotation after the name keeps its pronouns from voting ("she's late" is about someone
// else), but the pronoun that opens its tag is the speaker, whom the name before it introduced:
// 'Tobias leaned on the rail. "Then we buy more," he said.' `k` is the quotation's first token.
void vote_by_tag_after_quotation(const std::vector<Token>& tokens, const std::vector<int>& stretch,
                                 std::size_t k, int after_stretch, const std::string& key,
                                 NameStats& stats) {
  while (k < tokens.size() && stretch[k] < after_stretch) ++k;
  if (k + 1 >= tokens.size() || stretch[k] != after_stretch) return;
  if (!is_speech_verb(tokens[k + 1].lower)) return;
  vote_for(key, gender_of_pronoun(tokens[k].lower), stats);
}

// The next personal pronoun after the name at `i`, before another name, votes for the name's
// gender under `key`. The wide search (`wide`) keeps to the name's stretch of the paragraph
// (but for the pronoun opening the tag of a quotation after it) and may reach the next
// sentence's first word; the narrow one looks 15 words on, across quotation marks.
void vote_by_next_pronoun(const std::vector<Token>& tokens, const std::vector<int>& stretch,
                          std::size_t i, std::size_t after, const std::string& key, bool wide,
                          NameStats& stats) {
  bool sentence_ended = false;
  for (std::size_t k = after; k < tokens.size(); ++k) {
    if (!wide && k >= i + 15) break;
    if (wide && stretch[k] != stretch[i]) {
      vote_by_tag_after_quotation(tokens, stretch, k, stretch[i] + 2, key, stats);
      break;
    }
    // Within 15 words, or on to the first word of the next sentence when the name's sentence
    // is longer: "Professor Crane climbed through it, as though ... a bead curtain in a cheap
    // cafe. She was in her dressing gown."
    if (k >= i + 15 && sentence_ended) break;
    sentence_ended = sentence_ended || tokens[k].sentence_start;
    if (tokens[k].capitalized && name_like(tokens[k])) break;
    const Gender g = gender_of_pronoun(tokens[k].lower);
    vote_for(key, g, stats);
    if (g != Gender::Unknown) break;
  }
}

void count_paragraph(const Paragraph& p, const std::vector<Token>& tokens, bool wide,
                     NameStats& stats) {
  const std::vector<int> stretch = stretches_of(p, tokens);
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    if (!t.capitalized) {
      ++stats.lower[t.lower];
      continue;
    }
    if (stretch[i] % 2 == 0) {
      ++stats.narrated[t.text];
    } else {
      ++stats.spoken[t.text];
      if (i == 0 || stretch[i - 1] != stretch[i]) ++stats.opening[t.text];
    }
    Gender title_gender;
    if (is_person_title(t.text, &title_gender) && i + 1 < tokens.size() &&
        name_like(tokens[i + 1])) {
      std::string name = tokens[i + 1].text;
      if (i + 2 < tokens.size() && name_like(tokens[i + 2]) && !tokens[i + 2].clause_break_before)
        name += " " + tokens[i + 2].text;
      ++stats.titled[{t.text, name}];
      if (i > 0 && tokens[i - 1].lower == "the") ++stats.titled_after_the[{t.text, name}];
      stats.person_evidence[tokens[i + 1].text] += 3;
      const std::size_t last = i + 1 + (name.find(' ') != std::string::npos ? 1 : 0);
      // "Professor Crane looked up, and her mouth eased": a title that says no gender leaves
      // it to the pronouns, counted for the surname.
      if (wide && title_gender == Gender::Unknown && t.clause_break_before)
        vote_by_next_pronoun(tokens, stretch, i, last + 1, tokens[last].text, wide, stats);
      i = last;
      continue;
    }
    if (!name_like(t)) continue;
    if (is_named_description(tokens, i)) {
      ++stats.described[t.text + " " + tokens[i + 1].text];
      ++i;
      continue;
    }
    bool joined_next =
        i + 1 < tokens.size() && name_like(tokens[i + 1]) && !tokens[i + 1].clause_break_before;
    if (joined_next) {
      ++stats.full[{t.text, tokens[i + 1].text}];
      // "Rohan Mistry announced, hauling himself up": counted for the given name.
      if (wide && t.clause_break_before)
        vote_by_next_pronoun(tokens, stretch, i, i + 2, t.text, wide, stats);
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
    if (i + 1 < tokens.size() && is_gesture_verb(tokens[i + 1].lower)) ++stats.gestures[t.text];
    stats.person_evidence[t.text] += (speech_next || speech_before) ? 3 : acts ? 1 : 0;
    // "I'm sorry, Haechan.": a word set off by commas at a clause's end is someone addressed.
    bool set_off = i > 0 && t.clause_break_before && !t.sentence_start &&
                   (i + 1 == tokens.size() || tokens[i + 1].clause_break_before);
    if (set_off) stats.person_evidence[t.text] += 2;
    // The next personal pronoun after a name that starts a clause is usually about it.
    if (t.clause_break_before) vote_by_next_pronoun(tokens, stretch, i, i + 1, t.text, wide, stats);
  }
}

}  // namespace

bool is_place_preposition(const std::string& w) {
  return w == "in" || w == "at" || w == "to" || w == "from" || w == "into" || w == "near" ||
         w == "of" || w == "towards" || w == "round" || w == "about" || w == "towards" ||
         w == "toward" || w == "through" || w == "reach" || w == "leave" || w == "left" ||
         w == "reached" || w == "visit" || w == "visited" || w == "around";
}

std::vector<int> stretches_of(const Paragraph& p, const std::vector<Token>& tokens) {
  std::vector<int> stretch(tokens.size(), 0);
  for (std::size_t i = 0; i < tokens.size(); ++i)
    for (const auto& q : p.quotes)
      stretch[i] += (tokens[i].begin >= q.begin ? 1 : 0) + (tokens[i].begin >= q.end ? 1 : 0);
  return stretch;
}

NameStats gather_stats(const Story& story, bool wide_votes) {
  NameStats stats;
  stats.wide_votes = wide_votes;
  for (const auto& chapter : story.chapters)
    for (const auto& p : chapter.paragraphs) {
      if (p.kind != ParagraphKind::Text) continue;
      count_paragraph(p, tokenize(p.text), wide_votes, stats);
    }
  return stats;
}

// "to Larkhall", "at Larkhall", "from Larkhall": a word the story writes alone after a place's
// preposition more often than not is a place, never a speaker. Not when it is a known given
// name (a person is written to and at: "waved at Ellen"), nor when it ever bows, nods or speaks
// ("Crabbe bowed"). Three mid-sentence times at least: one or two "to X" say as much of a
// person spoken to as of a place. Only single words count: "to Lady Anne" is no place.
std::unordered_set<std::string> place_names_of(const NameStats& stats) {
  constexpr int kPlaceMentionsMin = 3;
  std::unordered_set<std::string> places;
  for (const auto& [word, mid] : stats.bare)
    if (mid >= kPlaceMentionsMin && gender_of_first_name(word) == Gender::Unknown &&
        count_of(stats.gestures, word) == 0 && is_mostly_written_as_place(stats, word))
      places.insert(word);
  return places;
}

bool is_mostly_written_as_place(const NameStats& stats, const std::string& word) {
  const int all = count_of(stats.bare, word) + count_of(stats.bare_initial, word);
  return count_of(stats.place_evidence, word) * 2 > all;
}

// "Hullo," "Lor!": a word only the speakers say, most times as the first word of what they
// say, and no given name, is a word that opens speech. A name only the speakers say is one
// they call someone by, after other words as often as not ("You can't be serious about that, Bex").
bool opens_speech(const NameStats& stats, const std::string& word) {
  return count_of(stats.narrated, word) == 0 &&
         count_of(stats.opening, word) * 2 > count_of(stats.spoken, word) &&
         gender_of_first_name(word) == Gender::Unknown;
}

bool is_single_name(const NameStats& stats, const std::string& word) {
  int mid = count_of(stats.bare, word);
  int all = mid + count_of(stats.bare_initial, word);
  int lower = count_of(stats.lower, lower_ascii(word));
  if (all < 2 || lower * 4 > all) return false;
  if (is_mostly_written_as_place(stats, word)) return false;
  if (opens_speech(stats, word)) return false;
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

// Whether one of the names is a military rank before a surname ("Captain Vance").
bool has_military_rank(const std::vector<std::string>& names) {
  for (const auto& name : names) {
    auto tokens = tokenize(name);
    if (tokens.size() >= 2 && is_military_rank(tokens[0].text)) return true;
  }
  return false;
}

// Genders the cast file or titles left open, from pronouns that follow the names in the text.
void fill_unknown_genders(const NameStats& stats, CharacterTable& table, int from) {
  for (int id = from; id < static_cast<int>(table.characters.size()); ++id) {
    auto& c = table.characters[id];
    if (c.gender != Gender::Unknown || c.is_reader || c.is_first_person) continue;
    std::vector<std::string> names = c.aliases;
    names.push_back(c.name);
    int male = 0, female = 0;
    std::set<std::string> counted;  // "Crane" of "Professor Crane" and of the alias "Crane"
    for (const auto& name : names) {
      auto tokens = tokenize(name);
      Gender g;
      if (tokens.empty()) continue;
      const bool titled = is_person_title(tokens[0].text, &g);
      if (titled && g != Gender::Unknown) {
        (g == Gender::Male ? male : female) += 5;
        continue;
      }
      // The word the pronoun votes were counted for: the surname after "Professor", the given
      // name of a full name, the name itself.
      const std::string& voted = titled ? tokens.back().text : tokens[0].text;
      if (titled && tokens.size() < 2) continue;
      if (!stats.wide_votes && tokens.size() != 1) continue;  // votes were counted for no other
      const int owner = table.find(voted);
      if (tokens.size() == 1 ? owner != id : owner >= 0 && owner != id) continue;
      if (!counted.insert(voted).second) continue;
      auto it = stats.pronoun_votes.find(voted);
      if (it != stats.pronoun_votes.end()) {
        male += it->second.first;
        female += it->second.second;
      }
      if (titled) continue;
      Gender by_name = gender_of_first_name(tokens[0].text);
      if (by_name == Gender::Male) male += 2;
      if (by_name == Gender::Female) female += 2;
    }
    if (male > female * 2 && male >= 2) c.gender = Gender::Male;
    if (female > male * 2 && female >= 2) c.gender = Gender::Female;
    // "General Tilney", "Captain Wentworth": where no pronoun says otherwise, the ranks of the
    // old armies and navies were a man's
    if (c.gender == Gender::Unknown && has_military_rank(names)) c.gender = Gender::Male;
  }
}

}  // namespace troupe::characters_internal
