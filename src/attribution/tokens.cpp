#include "attribution/tokens.h"

#include <array>
#include <cctype>

#include "common/ascii.h"
#include "text/utf8.h"

namespace troupe {
namespace {

// Abbreviations whose period does not end a sentence.
bool is_title_abbreviation(std::string_view w) {
  static constexpr std::array<std::string_view, 12> kTitles = {
      "Mr", "Mrs", "Ms", "Dr", "St", "Mme", "Mlle", "Messrs", "Capt", "Col", "Gen", "Prof"};
  for (auto t : kTitles)
    if (w == t) return true;
  return false;
}

bool is_apostrophe(char32_t c) { return c == '\'' || c == U'\u2019'; }

void straighten_apostrophes(std::string& word) {
  static const std::string kCurly = "\u2019";
  for (auto at = word.find(kCurly); at != std::string::npos; at = word.find(kCurly, at))
    word.replace(at, kCurly.size(), "'");
}

}  // namespace

std::vector<Token> tokenize(std::string_view text, bool at_sentence_start) {
  std::vector<Token> tokens;
  bool sentence_start = at_sentence_start;
  bool clause_break = true;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t at = i;
    char32_t c = next_code_point(text, i);
    if (!is_letter(c) && !(c >= '0' && c <= '9')) {
      if (c == '.' || c == '!' || c == '?') sentence_start = true;
      if (c == ',' || c == ';' || c == ':' || c == U'\u2014' || c == U'\u2013' || c == '(' ||
          c == ')' || c == '.' || c == '!' || c == '?' || c == '"' || c == U'\u201C' ||
          c == U'\u201D' || c == U'\u00AB' || c == U'\u00BB' || c == U'\u201E')
        clause_break = true;
      continue;
    }
    // A word: letters and digits, with inner apostrophes and hyphens.
    std::size_t end = i;
    while (end < text.size()) {
      std::size_t probe = end;
      char32_t d = next_code_point(text, probe);
      if (is_letter(d) || (d >= '0' && d <= '9')) {
        end = probe;
        continue;
      }
      if ((is_apostrophe(d) || d == '-') && probe < text.size()) {
        std::size_t probe2 = probe;
        char32_t e = next_code_point(text, probe2);
        if (is_letter(e)) {
          end = probe;
          continue;
        }
      }
      break;
    }
    Token t;
    t.text = std::string(text.substr(at, end - at));
    t.begin = at;
    t.end = end;
    t.capitalized = (c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE);
    t.sentence_start = sentence_start;
    t.clause_break_before = clause_break;
    i = end;
    if (i < text.size() && text[i] == '.' && is_title_abbreviation(t.text)) {
      t.text += '.';
      t.end = ++i;
    }
    straighten_apostrophes(t.text);
    // "Alice's", and "Alice'S" as title-cased names write it.
    if (t.text.size() > 2 && (t.text.ends_with("'s") || t.text.ends_with("'S")) && t.capitalized) {
      t.text.resize(t.text.size() - 2);
      t.possessive = true;
    }
    t.lower = lower_ascii(t.text);
    if (t.lower.back() == '.') t.lower.pop_back();  // "Mrs." and "Mrs" are one title
    tokens.push_back(std::move(t));
    sentence_start = false;
    clause_break = false;
  }
  return tokens;
}

}  // namespace troupe
