// What the story's text says of its capitalised words: which are names, and of which gender.
#include <cctype>

#include "attribution/characters_internal.h"
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

bool is_place_preposition(const std::string& w) {
  return w == "in" || w == "at" || w == "to" || w == "from" || w == "into" || w == "near" ||
         w == "of" || w == "towards" || w == "round" || w == "about" || w == "towards" ||
         w == "toward" || w == "through" || w == "reach" || w == "leave" || w == "left" ||
         w == "reached" || w == "visit" || w == "visited" || w == "around";
}

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

}  // namespace

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

}  // namespace troupe::characters_internal
