// Code names and the people behind them: the narration of a superhero or spy story says once
// that two names are one person ("Renata Salgado, who was Beacon to the newspapers and Ren to
// everyone else", "Tinderbox, Declan to the people who had to live with him", "Kestrel, also
// known as Ada Moss"), then uses either name. Both names become one character, one speaker and
// one voice. Only the narration is read: a quotation's "Ren, Beacon." is someone calling.
#include <string>
#include <vector>

#include "attribution/characters_internal.h"
#include "attribution/tokens.h"
#include "attribution/word_lists.h"

namespace troupe::characters_internal {
namespace {

// A name of the table at tokens[i], as (id, tokens used), not "Ren's" (someone of hers).
std::pair<int, int> whole_name_at(const CharacterTable& table, const std::vector<Token>& tokens,
                                  std::size_t i) {
  if (i >= tokens.size()) return {-1, 0};
  auto [id, length] = table.match(tokens, i);
  if (id < 0 || tokens[i + length - 1].possessive) return {-1, 0};
  return {id, length};
}

bool is_word(const std::vector<Token>& tokens, std::size_t i, std::string_view w) {
  return i < tokens.size() && tokens[i].lower == w;
}

// "to the newspapers", "to everyone": whom a name is used by, not "to his left".
bool is_used_by(const std::vector<Token>& tokens, std::size_t to) {
  if (!is_word(tokens, to, "to") || to + 1 >= tokens.size()) return false;
  for (std::size_t k = to + 1; k < tokens.size() && k <= to + 3; ++k)
    if (tokens[k].lower == "left" || tokens[k].lower == "right" || tokens[k].lower == "side")
      return false;
  return !tokens[to + 1].clause_break_before;
}

// How many words of "also known as", "better known as", "aka", "codename" start at tokens[i].
std::size_t known_as_at(const std::vector<Token>& tokens, std::size_t i) {
  if (is_word(tokens, i, "aka") || is_word(tokens, i, "codename") || is_word(tokens, i, "alias"))
    return 1;
  if ((is_word(tokens, i, "also") || is_word(tokens, i, "better") ||
       is_word(tokens, i, "otherwise")) &&
      is_word(tokens, i + 1, "known") && is_word(tokens, i + 2, "as"))
    return 3;
  if (is_word(tokens, i, "code") && is_word(tokens, i + 1, "name")) return 2;
  return 0;
}

// The names the narration at tokens[i] (a name set off by a comma) says are the same person as
// the character `id` named just before: "NAME, who was OTHER to X( and OTHER to Y)",
// "NAME, OTHER to X", "NAME, also known as OTHER".
std::vector<int> other_names_after(const CharacterTable& table, const std::vector<Token>& tokens,
                                   std::size_t i) {
  std::vector<int> found;
  if (i >= tokens.size() || !tokens[i].clause_break_before) return found;
  if (std::size_t words = known_as_at(tokens, i); words > 0) {
    if (auto [other, length] = whole_name_at(table, tokens, i + words); other >= 0)
      found.push_back(other);
    return found;
  }
  const bool relative =
      is_word(tokens, i, "who") && (is_word(tokens, i + 1, "was") || is_word(tokens, i + 1, "is"));
  std::size_t at = relative ? i + 2 : i;
  while (true) {
    auto [other, length] = whole_name_at(table, tokens, at);
    if (other < 0 || !is_used_by(tokens, at + length)) break;
    found.push_back(other);
    // "... to the newspapers and Ren to everyone who": the next "and NAME to".
    std::size_t next = at + length + 1;
    while (next < tokens.size() && !tokens[next].clause_break_before && tokens[next].lower != "and")
      ++next;
    if (!is_word(tokens, next, "and")) break;
    at = next + 1;
  }
  return found;
}

// Joins characters `a` and `b` into one, unless both came from the cast file (the cast keeps
// apart whom it lists) or their genders differ.
bool join(CharacterTable& table, int a, int b) {
  if (a == b || table.is_merged(a) || table.is_merged(b)) return false;
  if (a < table.cast_count && b < table.cast_count) return false;
  const Gender ga = table.characters[a].gender, gb = table.characters[b].gender;
  if (ga != Gender::Unknown && gb != Gender::Unknown && ga != gb) return false;
  // Into the cast's character, else into the one the table met first.
  const bool a_first = a < b;
  const int into = a_first ? a : b, from = a_first ? b : a;
  if (table.characters[into].gender == Gender::Unknown)
    table.characters[into].gender = table.characters[from].gender;
  table.merge(from, into);
  return true;
}

}  // namespace

// "NAME, who was OTHER to ... and ANOTHER to ...": every name of the clause is one person, the
// name before it too when the table knows it ("Renata Salgado" said once may be nobody yet).
void link_code_names(const Story& story, CharacterTable& table) {
  bool joined = false;
  for (const auto& chapter : story.chapters)
    for (const auto& p : chapter.paragraphs) {
      if (p.kind != ParagraphKind::Text) continue;
      const auto tokens = tokenize(p.text);
      const auto stretch = stretches_of(p, tokens);
      int head = -1;  // the character named by the words just before tokens[i]
      for (std::size_t i = 0; i < tokens.size(); ++i) {
        if (stretch[i] % 2 != 0) {  // inside a quotation
          head = -1;
          continue;
        }
        auto found = other_names_after(table, tokens, i);
        if (head >= 0) found.insert(found.begin(), head);
        for (std::size_t k = 1; k < found.size(); ++k)
          joined = join(table, found[0], found[k]) || joined;
        auto [id, length] = whole_name_at(table, tokens, i);
        head = id;
        if (id >= 0) i += length - 1;
      }
    }
  if (joined) table.remove_merged();
}

}  // namespace troupe::characters_internal
