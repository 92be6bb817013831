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

// The code point at text[i], moving i past it: ASCII, most of any text, without the call.
char32_t next_char(std::string_view text, std::size_t& i) {
  const auto byte = static_cast<unsigned char>(text[i]);
  if (byte < 0x80) {
    ++i;
    return byte;
  }
  return next_code_point(text, i);
}

bool is_word_char(char32_t c) {
  if (c < 0x80) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  return is_letter(c);
}

}  // namespace

std::vector<Token> tokenize(std::string_view text, bool at_sentence_start) {
  std::vector<Token> tokens;
  tokens.reserve(text.size() / 5);  // about one word in five bytes: fewer moves as it grows
  bool sentence_start = at_sentence_start;
  bool clause_break = true;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t at = i;
    char32_t c = next_char(text, i);
    if (!is_word_char(c)) {
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
      char32_t d = next_char(text, probe);
      if (is_word_char(d)) {
        end = probe;
        continue;
      }
      if ((is_apostrophe(d) || d == '-') && probe < text.size()) {
        std::size_t probe2 = probe;
        char32_t e = next_char(text, probe2);
        if (is_letter(e)) {
          end = probe;
          continue;
        }
      }
      break;
    }
    Token& t = tokens.emplace_back();
    t.text.assign(text.substr(at, end - at));
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
    if (t.text.find('\xE2') != std::string::npos) straighten_apostrophes(t.text);
    // "Alice's", and "Alice'S" as title-cased names write it.
    if (t.text.size() > 2 && (t.text.ends_with("'s") || t.text.ends_with("'S")) && t.capitalized) {
      t.text.resize(t.text.size() - 2);
      t.possessive = true;
    }
    t.lower = lower_ascii(t.text);
    if (t.lower.back() == '.') t.lower.pop_back();  // "Mrs." and "Mrs" are one title
    sentence_start = false;
    clause_break = false;
  }
  return tokens;
}

}  // namespace troupe
