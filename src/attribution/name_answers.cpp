// The name a person answers to: a quotation that calls someone by a titled family name ("What
// do you think, Miss Dashwood?") and a reply the next paragraph's tag gives to a character
// called otherwise ("said Elinor") say, when the story does so again and again, that the two
// names are one person's. An eldest daughter goes by "Miss" and the family name and by her
// given name, and the text may never write her name in full.
#include <algorithm>
#include <map>

#include "attribution/characters_internal.h"
#include "attribution/name_forms.h"
#include "attribution/word_lists.h"
#include "common/ascii.h"

namespace troupe::characters_internal {
namespace {

// How many replies by one character to one titled name join the two, and the share of all the
// replies to that name they must make (numerator, denominator): one name answered by several
// people ("Miss Bennet" to the sister at home and to Elizabeth away) is nobody's.
constexpr int kRepliesMin = 3;
constexpr int kShareNum = 2, kShareDen = 3;

// The characters a quotation calls, as `"..., Miss Dashwood?"` or `"Miss Dashwood, do..."`: a
// name standing alone between clause breaks (or the quotation's ends), not "Miss Dashwood's".
std::vector<int> called_in(const CharacterTable& table, const std::vector<Token>& tokens) {
  std::vector<int> ids;
  for (std::size_t i = 0; i < tokens.size();) {
    const auto [id, length] = table.match(tokens, i);
    if (id < 0 || !tokens[i].capitalized) {
      ++i;
      continue;
    }
    const std::size_t after = i + length;
    const bool opens = i == 0 || tokens[i].clause_break_before;
    const bool closes = after == tokens.size() || tokens[after].clause_break_before;
    if (opens && closes && !tokens[after - 1].possessive) ids.push_back(id);
    i = after;
  }
  return ids;
}

// The character a speech tag in the narration names: "said Elinor", "Elinor replied"; -1 if
// none.
int tagged_in(const CharacterTable& table, const std::vector<Token>& tokens) {
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const auto [id, length] = table.match(tokens, i);
    if (id < 0 || !tokens[i].capitalized || tokens[i + length - 1].possessive) continue;
    const std::size_t after = i + length;
    const bool verb_before =
        i > 0 && !tokens[i].clause_break_before && is_speech_verb(tokens[i - 1].lower);
    const bool verb_after = after < tokens.size() && is_speech_verb(tokens[after].lower) &&
                            !tokens[after].clause_break_before;
    if (verb_before || verb_after) return id;
  }
  return -1;
}

using ReplyCounts = std::map<int, std::map<int, int>>;  // called -> replier -> replies

// Every (called, replier) pair of the story: a quotation of one paragraph calls a character,
// the next paragraph opens with a quotation that its tag gives to another.
ReplyCounts count_replies(const Story& story, const CharacterTable& table) {
  ReplyCounts counts;
  for (const auto& chapter : story.chapters) {
    const auto& ps = chapter.paragraphs;
    for (std::size_t k = 0; k + 1 < ps.size(); ++k) {
      const Paragraph& p = ps[k];
      const Paragraph& next = ps[k + 1];
      if (p.kind != ParagraphKind::Text || next.kind != ParagraphKind::Text || p.quotes.empty() ||
          next.quotes.empty())
        continue;
      std::vector<int> called;
      for (const auto& q : p.quotes)
        for (int id :
             called_in(table, tokenize(std::string_view(p.text).substr(q.begin, q.end - q.begin))))
          called.push_back(id);
      if (called.empty()) continue;
      const int replier = tagged_in(table, tokenize(narration_of(next)));
      if (replier < 0) continue;
      for (int id : called)
        if (id != replier) ++counts[id][replier];
    }
  }
  return counts;
}

// Whether `form` ("Miss Dashwood") can name character `c` beside what `c`'s own names say: a
// title of the right gender, and no full name of theirs with another family name.
bool may_answer_to(const NameParts& form, const Character& c) {
  if (is_no_named_person(c) || !is_proper_name(c.name)) return false;
  if (c.gender != Gender::Unknown && c.gender != form.title_gender) return false;
  const auto names = names_of(c);
  return std::none_of(names.begin(), names.end(), [&](const std::string& name) {
    const auto parts = parse_name(name);
    // "Elinor Ferrars", "Mrs. Ferrars"; not "Cold-hearted Elinor", a word the text put before
    // her name
    const bool full =
        (parts.words.size() >= 2 && gender_of_first_name(parts.words[0]) != Gender::Unknown) ||
        (!parts.title.empty() && parts.words.size() == 1 && !title_takes_given_name(parts.title));
    return full && !equals_icase(parts.surname, form.surname);
  });
}

// Whether character `c` is called by a title and a family name alone ("Miss Dashwood").
bool is_titled_family_name(const Character& c) {
  const auto parts = parse_name(c.name);
  return !parts.title.empty() && parts.words.size() == 1 && parts.title_gender != Gender::Unknown &&
         gender_of_first_name(parts.words[0]) == Gender::Unknown;
}

// The family names of a character's full names ("Bennet" of "Miss Eliza Bennet").
std::vector<std::string> family_names_of(const Character& c) {
  std::vector<std::string> out;
  for (const auto& name : names_of(c)) {
    const auto parts = parse_name(name);
    if (parts.words.size() >= 2 && gender_of_first_name(parts.words[0]) != Gender::Unknown)
      out.push_back(parts.surname);
  }
  return out;
}

// Whether `c`, called by one given name ("Eliza"), can be `other`, who goes by another form of
// it ("Elizabeth"): one gender, and no two family names.
bool is_pet_name_of(const Character& c, const Character& other) {
  const auto parts = parse_name(c.name);
  if (!parts.title.empty() || parts.words.size() != 1) return false;
  if (is_no_named_person(other)) return false;
  if (c.gender != Gender::Unknown && other.gender != Gender::Unknown && c.gender != other.gender)
    return false;
  for (const auto& x : family_names_of(c))
    for (const auto& y : family_names_of(other))
      if (!equals_icase(x, y)) return false;
  const auto names = names_of(other);
  return std::any_of(names.begin(), names.end(), [&](const std::string& name) {
    const auto own = parse_name(name);
    return !own.words.empty() && !equals_icase(own.words[0], c.name) &&
           same_given_name(c.name, own.words[0]);
  });
}

}  // namespace

void join_answered_names(const Story& story, CharacterTable& table, int first) {
  const ReplyCounts counts = count_replies(story, table);
  for (const auto& [called, repliers] : counts) {
    if (called < first || table.is_merged(called)) continue;
    const Character& c = table.characters[called];
    const bool titled = is_titled_family_name(c);
    const auto parts = parse_name(c.name);
    if (!titled && !(parts.title.empty() && parts.words.size() == 1)) continue;
    int total = 0, best = -1, best_count = 0;
    for (const auto& [id, n] : repliers) {
      total += n;
      if (n > best_count) {
        best = id;
        best_count = n;
      }
    }
    if (best_count < kRepliesMin || best_count * kShareDen < total * kShareNum) continue;
    if (table.is_merged(best)) continue;
    const Character& other = table.characters[best];
    if (titled ? !may_answer_to(parts, other) : !is_pet_name_of(c, other)) continue;
    table.merge(called, best);
  }
  table.remove_merged();
}

}  // namespace troupe::characters_internal
