#include "text/speakable.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <regex>
#include <set>
#include <vector>

#include "common/ascii.h"
#include "text/lexicon.h"
#include "text/utf8.h"

namespace troupe {
namespace {

// ---------------------------------------------------------------------------------------------
// Small helpers

bool is_ascii_alpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ascii_upper(char c) { return c >= 'A' && c <= 'Z'; }
// One test a byte, where find_first_of with the ten digits searches them for every byte.
bool has_digit(std::string_view s) { return std::any_of(s.begin(), s.end(), is_digit); }

// A letter or digit (any script) before byte `i`, or at `i`.
bool word_char_before(std::string_view s, std::size_t i) {
  if (i == 0) return false;
  std::size_t j = i;
  char32_t c = previous_code_point(s, j);
  return is_letter(c) || (c >= '0' && c <= '9');
}
bool word_char_at(std::string_view s, std::size_t i) {
  if (i >= s.size()) return false;
  char32_t c = code_point_at(s, i);
  return is_letter(c) || (c >= '0' && c <= '9');
}

// Placeholders for text that later passes must not touch (phonemes, respellings): private-use
// code points U+E000 + index, swapped back at the end.
constexpr char32_t kPlaceholderBase = 0xE000;
constexpr char32_t kPlaceholderLast = 0xF8FF;

struct Protected {
  std::vector<std::string> pieces;
  std::string hold(std::string text) {
    pieces.push_back(std::move(text));
    return encode_utf8(kPlaceholderBase + static_cast<char32_t>(pieces.size() - 1));
  }
  std::string restore(std::string_view s) const {
    std::string out;
    std::size_t i = 0;
    while (i < s.size()) {
      std::size_t start = i;
      char32_t c = next_code_point(s, i);
      if (c >= kPlaceholderBase && c < kPlaceholderBase + pieces.size())
        out += pieces[c - kPlaceholderBase];
      else
        out.append(s.substr(start, i - start));
    }
    return out;
  }
};

bool is_placeholder(char32_t c) { return c >= kPlaceholderBase && c <= kPlaceholderLast; }

// ---------------------------------------------------------------------------------------------
// HTML

std::optional<std::string> entity(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 22> kNamed = {{
      {"amp", "&"},        {"lt", "<"},         {"gt", ">"},          {"quot", "\""},
      {"apos", "'"},       {"nbsp", " "},       {"hellip", "\u2026"}, {"mdash", "\u2014"},
      {"ndash", "\u2013"}, {"rsquo", "\u2019"}, {"lsquo", "\u2018"},  {"rdquo", "\u201D"},
      {"ldquo", "\u201C"}, {"hearts", ""},      {"bull", ""},         {"middot", ""},
      {"copy", ""},        {"reg", ""},         {"trade", ""},        {"eacute", "\u00E9"},
      {"shy", ""},         {"zwj", ""},
  }};
  if (!name.empty() && name[0] == '#') {
    std::string digits(name.substr(1));
    int base = 10;
    if (!digits.empty() && (digits[0] == 'x' || digits[0] == 'X')) {
      base = 16;
      digits.erase(0, 1);
    }
    if (digits.empty() || digits.size() > 7) return std::nullopt;
    for (char c : digits)
      if (!(base == 16 ? std::isxdigit(static_cast<unsigned char>(c)) != 0 : is_digit(c)))
        return std::nullopt;
    unsigned long code = std::stoul(digits, nullptr, base);
    if (code == 0 || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return "";
    return encode_utf8(static_cast<char32_t>(code));
  }
  for (const auto& [key, value] : kNamed)
    if (key == name) return std::string(value);
  return std::nullopt;
}

std::string strip_html(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '<') {
      // <3 is a heart.
      if (i + 1 < s.size() && s[i + 1] == '3') {
        ++i;
        continue;
      }
      std::size_t j = i + 1;
      if (j < s.size() && (s[j] == '/' || s[j] == '!')) ++j;
      if (j < s.size() && is_ascii_alpha(s[j])) {
        auto close = s.find('>', j);
        auto reopen = s.find('<', j);
        if (close != std::string_view::npos && close - i < 300 &&
            (reopen == std::string_view::npos || reopen > close)) {
          out += ' ';
          i = close;
          continue;
        }
      }
    }
    if (c == '&') {
      auto semi = s.find(';', i + 1);
      if (semi != std::string_view::npos && semi - i <= 10) {
        auto name = s.substr(i + 1, semi - i - 1);
        bool plausible = !name.empty() && std::all_of(name.begin(), name.end(), [](char x) {
          return std::isalnum(static_cast<unsigned char>(x)) || x == '#';
        });
        if (plausible) {
          if (auto value = entity(name)) {
            out += *value;
            i = semi;
            continue;
          }
        }
      }
    }
    out += c;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The reader and the main character

bool sentence_start(std::string_view out) {
  std::size_t i = out.size();
  while (i > 0 &&
         (out[i - 1] == ' ' || out[i - 1] == '"' || out[i - 1] == '(' || out[i - 1] == '\''))
    --i;
  if (i == 0) return true;
  // Curly opening quotes.
  if (i >= 3 && (out.substr(i - 3, 3) == "\u201C" || out.substr(i - 3, 3) == "\u2018")) {
    i -= 3;
    while (i > 0 && out[i - 1] == ' ') --i;
    if (i == 0) return true;
  }
  char last = out[i - 1];
  return last == '.' || last == '!' || last == '?';
}

// "'s" or "’s" at s[i], not followed by a letter.
std::size_t possessive_at(std::string_view s, std::size_t i) {
  std::size_t len = 0;
  if (s.substr(i, 2) == "'s" || s.substr(i, 2) == "'S")
    len = 2;
  else if (s.substr(i, 4) == "\u2019s" || s.substr(i, 4) == "\u2019S")
    len = 4;
  if (len == 0 || word_char_at(s, i + len)) return 0;
  return len;
}

// {{user}} and {{char}} at s[i]: the reader's or main character's name (else "you"/"they", or
// "your"/"their" before 's) appended to `out`, i moved past; false when none stands there.
bool replace_template(std::string_view s, std::size_t& i, const SpeakContext& context,
                      std::string& out) {
  if (s.substr(i, 2) == "{{") {
    auto close = s.find("}}", i + 2);
    if (close != std::string_view::npos && close - i < 40) {
      std::string inner = lower_ascii(s.substr(i + 2, close - i - 2));
      std::size_t end = close + 2;
      const std::size_t poss = possessive_at(s, end);
      // A name when it is known, else the pronoun ("your"/"their" taking the 's).
      const auto name_or = [&](const std::string& known, const char* pronoun,
                               const char* possessive) -> std::string {
        if (!known.empty()) return known;
        if (poss == 0) return pronoun;
        end += poss;
        return possessive;
      };
      std::string name;
      if (inner == "user") name = name_or(context.reader_name, "you", "your");
      if (inner == "char") name = name_or(context.main_character, "they", "their");
      if (!name.empty() && (name == "you" || name == "your" || name == "they" || name == "their") &&
          sentence_start(out))
        name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])));
      out += name;
      i = end;
      return true;
    }
  }
  return false;
}

// Y/N, y/n, Y/L/N, Y/F/N, (Y/N), [Y/N] at s[i]: the reader's name (else "you"), appended to
// `out`, i moved past; other Y/x/y codes (Y/E/C: eye colour) are dropped. False when none
// stands there.
bool replace_reader_code(std::string_view s, std::size_t& i, const SpeakContext& context,
                         std::string& out) {
  if ((s[i] == 'Y' || s[i] == 'y') && i + 2 < s.size() && s[i + 1] == '/' &&
      !word_char_before(s, i)) {
    std::vector<std::string> codes;
    std::size_t j = i + 1;
    while (j < s.size() && s[j] == '/' && codes.size() < 3) {
      std::size_t k = j + 1;
      while (k < s.size() && is_ascii_alpha(s[k]) && k - j <= 2) ++k;
      if (k == j + 1) break;
      codes.push_back(lower_ascii(s.substr(j + 1, k - j - 1)));
      j = k;
    }
    if (!codes.empty() && !word_char_at(s, j) && (j >= s.size() || s[j] != '/')) {
      std::string joined;
      for (const auto& c : codes) joined += c + "/";
      std::string name;
      bool first_name = joined == "n/" || joined == "f/n/" || joined == "n/n/";
      bool last_name = joined == "l/n/";
      std::size_t end = j;
      // Brackets around it go too: (Y/N), [Y/N].
      bool bracketed = !out.empty() && (out.back() == '(' || out.back() == '[') && end < s.size() &&
                       (s[end] == ')' || s[end] == ']');
      if (bracketed) {
        out.pop_back();
        ++end;
      }
      std::size_t poss = possessive_at(s, end);
      if (first_name) {
        if (!context.reader_name.empty())
          name = context.reader_name;
        else if (poss)
          name = "your", end += poss;
        else
          name = "you";
      } else if (last_name) {
        name = context.reader_last_name;
        if (name.empty() && poss) end += poss;
      }
      if ((name == "you" || name == "your") && sentence_start(out))
        name[0] = static_cast<char>('Y');
      out += name;
      i = end;
      return true;
    }
  }
  return false;
}

std::string replace_reader(std::string_view s, const SpeakContext& context) {
  // The usual case: neither a {{template}} nor a Y/N code can stand here.
  if (s.find('/') == std::string_view::npos && s.find("{{") == std::string_view::npos)
    return std::string(s);
  std::string out;
  std::size_t i = 0;
  while (i < s.size())
    if (!replace_template(s, i, context, out) && !replace_reader_code(s, i, context, out))
      out += s[i++];
  return out;
}

// ---------------------------------------------------------------------------------------------
// Notes and footnote marks

bool is_note_label(std::string_view inner) {
  for (std::string_view label :
       {"footnote", "illustration", "picture:", "transcriber", "sidenote", "note:", "a/n",
        "author's note", "author\u2019s note", "editor's note", "translator's note", "tn:", "t/n"})
    if (starts_with_icase(inner, label)) return true;
  return false;
}

// [1], [12], [A], [*], [†]: a footnote mark.
bool is_footnote_mark(std::string_view inner) {
  if (inner.empty() || inner.size() > 4) return false;
  if (std::all_of(inner.begin(), inner.end(), is_digit)) return true;
  if (inner.size() == 1 && (is_ascii_upper(inner[0]) || inner[0] == '*')) return true;
  return inner == "\u2020" || inner == "\u2021";
}

std::string drop_notes(std::string_view s, bool read_notes) {
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    if (s[i] == '[' && (i + 1 >= s.size() || s[i + 1] != '[')) {
      auto close = s.find(']', i + 1);
      if (close != std::string_view::npos) {
        auto inner = s.substr(i + 1, close - i - 1);
        if (is_footnote_mark(inner)) {
          i = close + 1;
          continue;
        }
        if (is_note_label(inner)) {
          if (read_notes) out += " " + std::string(inner) + " ";
          i = close + 1;
          continue;
        }
      }
    }
    // ASCII but '[' is kept as it is: copied a run at a time.
    std::size_t ascii_end = i;
    while (ascii_end < s.size() && static_cast<unsigned char>(s[ascii_end]) < 0x80 &&
           s[ascii_end] != '[')
      ++ascii_end;
    if (ascii_end > i) {
      out.append(s.data() + i, ascii_end - i);
      i = ascii_end;
      continue;
    }
    std::size_t start = i;
    char32_t c = next_code_point(s, i);
    // Daggers and superscript digits used as footnote marks.
    if (c == 0x2020 || c == 0x2021 || c == 0xB9 || c == 0xB2 || c == 0xB3 ||
        (c >= 0x2070 && c <= 0x2079))
      continue;
    out.append(s.substr(start, i - start));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Markup marks and symbols

// Emoji, dingbats, ornaments, arrows, box drawing, geometric shapes, variation selectors.
bool is_decoration(char32_t c) {
  return (c >= 0x2190 && c <= 0x2BFF) || (c >= 0x1F000 && c <= 0x1FAFF) ||
         (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0x200B && c <= 0x200D) || c == 0x2060 ||
         c == 0xFEFF || (c >= 0xE000 && c <= 0xF8FF) || c == 0x2022 || c == 0x2023 || c == 0x00B7 ||
         c == 0x2043 || c == 0x203B || c == 0x00A9 || c == 0x00AE || c == 0x2122 || c == 0x00B6 ||
         c == 0x02DA || c == 0x3164 || (c >= 0xE0000 && c <= 0xE007F) || c == 0x2605 ||
         c == 0x2606 || c == 0x25CF || c == 0x30FB || c == 0xFF65 || c == 0x2027 || c == 0x2219;
}

// Marks that stand for a pause. Written as a private marker, resolved by place afterwards.
constexpr char kDash = '\x01';

// Marks said the same wherever they stand: what is written for them ("" drops the mark), or
// nullptr for any other character.
const char* plain_mark_words(char32_t c) {
  static constexpr char kDashText[] = {kDash, '\0'};
  switch (c) {
    case '`':
    case ']':
    case '{':
    case '}':
    case '<':
    case '>':
    case '\\':
    case '^':
      return "";
    case '|':
    case 0x2014:  // em dash
    case 0x2015:
      return kDashText;
    case '/':
    case 0x00A0:
    case 0x2002:
    case 0x2003:
    case 0x2009:
    case 0x202F:
    case 0x3000:
    case '\t':
      return " ";
    case '%':
      return " percent";
    case '+':
      return " plus ";
    case '=':
      return " equals ";
    case 0x00B0:
      return " degrees";
    case 0x203C:
      return "!";
    case 0x2049:
      return "?!";
    case 0x2026:  // …
      return "...";
    default:
      return nullptr;
  }
}

// "&c." is "et cetera", its dot ending a sentence only before a capital or at the end; any
// other & is "and". `i` stands just after the &.
void append_ampersand(std::string_view s, std::size_t& i, std::string& out) {
  if (i >= s.size() || s[i] != 'c' || word_char_at(s, i + 1)) {
    out += " and ";
    return;
  }
  out += "et cetera";
  ++i;
  if (i >= s.size() || s[i] != '.') return;
  ++i;
  std::size_t k = i;
  while (k < s.size() && s[k] == ' ') ++k;
  if (k < s.size() && s[k] == '&')
    out += ',';
  else if (k >= s.size() || is_ascii_upper(s[k]) || s[k] == '"' || s[k] == '\xE2')
    out += '.';
}

// ". . ." and "...." -> "..."
std::string fold_ellipses(std::string_view out) {
  std::string folded;
  for (std::size_t k = 0; k < out.size();) {
    if (out[k] == '.' && (out.substr(k, 5) == ". . ." || out.substr(k, 3) == "...")) {
      std::size_t e = k;
      while (e < out.size() &&
             (out[e] == '.' || (out[e] == ' ' && e + 1 < out.size() && out[e + 1] == '.')))
        ++e;
      folded += "...";
      k = e;
      continue;
    }
    folded += out[k++];
  }
  return folded;
}

// A byte that clean_marks keeps as it is wherever it stands: a letter, a digit, a space, '.' or
// ','.
bool is_plain_byte(char b) {
  return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || is_digit(b) || b == ' ' || b == '.' ||
         b == ',';
}

std::string clean_marks(std::string_view s) {
  std::string out;
  std::size_t i = 0;
  auto prev_char = [&]() -> char { return out.empty() ? '\0' : out.back(); };
  while (i < s.size()) {
    // Most of any text: copied a run at a time.
    std::size_t plain_end = i;
    while (plain_end < s.size() && is_plain_byte(s[plain_end])) ++plain_end;
    if (plain_end > i) {
      out.append(s.data() + i, plain_end - i);
      i = plain_end;
      continue;
    }
    const std::size_t start = i;
    const char32_t c = next_code_point(s, i);
    const char next = i < s.size() ? s[i] : '\0';
    if (const char* words = plain_mark_words(c)) {
      out += words;
      continue;
    }
    switch (c) {
      case '_':
      case '*':
        if (word_char_before(out, out.size()) && word_char_at(s, i) && c == '_') out += ' ';
        continue;
      case '~':
        if (is_digit(prev_char()) && is_digit(next)) out += " to ";
        continue;
      case '#':
        if (is_digit(next)) out += " number ";
        continue;
      case '@':
        if (!word_char_at(s, i)) out += " at ";
        continue;
      case '[':
        if (s.substr(i, 4) == "...]" || s.substr(i, 4) == "\u2026]") {
          out += "...";
          i = s.find(']', i) + 1;
        }
        continue;
      case '&':
        append_ampersand(s, i, out);
        continue;
      case 0x2013:  // en dash: a range between digits, a pause otherwise
        if (is_digit(prev_char()) && is_digit(next))
          out += " to ";
        else
          out += kDash;
        continue;
      case '-':
        if (next == '-') {  // -- as a dash
          while (i < s.size() && s[i] == '-') ++i;
          out += kDash;
          continue;
        }
        if (prev_char() == ' ' && (next == ' ' || next == '\0')) {
          out += kDash;
          continue;
        }
        break;
      default:
        break;
    }
    if (is_decoration(c)) continue;
    out.append(s.substr(start, i - start));
  }
  return fold_ellipses(out);
}

// ---------------------------------------------------------------------------------------------
// Numbers

constexpr std::array<std::string_view, 20> kOnes = {
    "zero",     "one",     "two",     "three",     "four",     "five",    "six",
    "seven",    "eight",   "nine",    "ten",       "eleven",   "twelve",  "thirteen",
    "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"};
constexpr std::array<std::string_view, 10> kTens = {
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"};

std::string under_thousand(unsigned n) {
  std::string out;
  if (n >= 100) {
    out = std::string(kOnes[n / 100]) + " hundred";
    n %= 100;
    if (n == 0) return out;
    out += ' ';
  }
  if (n < 20) return out + std::string(kOnes[n]);
  out += kTens[n / 10];
  if (n % 10) out += "-" + std::string(kOnes[n % 10]);
  return out;
}

std::string digit_words(std::string_view digits) {
  std::string out;
  for (char d : digits) {
    if (!is_digit(d)) continue;
    if (!out.empty()) out += ' ';
    out += kOnes[d - '0'];
  }
  return out;
}

std::string plural_words(std::string words) {
  if (!words.empty() && words.back() == 'y') return words.substr(0, words.size() - 1) + "ies";
  if (words.size() >= 3 && words.substr(words.size() - 3) == "six") return words + "es";
  return words + "s";
}

bool is_time_suffix(std::string_view s, std::size_t i, std::size_t& length, std::string& say) {
  std::size_t j = i;
  if (j < s.size() && s[j] == ' ') ++j;
  for (auto [form, spoken] : std::array<std::pair<std::string_view, std::string_view>, 4>{
           {{"a.m.", "A M"}, {"p.m.", "P M"}, {"am", "A M"}, {"pm", "P M"}}}) {
    if (starts_with_icase(s.substr(j), form)) {
      std::size_t end = j + form.size();
      if (form.size() == 2 && word_char_at(s, end)) continue;
      length = end - i;
      say = spoken;
      return true;
    }
  }
  return false;
}

// NCT 127, SF9 ...: a short all-capitals name without vowels before a number is spelled out,
// and so is the number: "N C T one two seven".
std::string spell_group_names(std::string_view s) {
  if (!has_digit(s)) return std::string(s);  // the usual case
  static const std::regex pattern(
      R"((^|[^A-Za-z0-9])([B-DF-HJ-NP-TV-Z]{2,4}) ([0-9]{2,4})(?![0-9.,:]?[0-9]))");
  std::string text(s);
  std::string out;
  auto begin = std::sregex_iterator(text.begin(), text.end(), pattern);
  std::size_t last = 0;
  for (auto it = begin; it != std::sregex_iterator(); ++it) {
    const auto& m = *it;
    out += text.substr(last, static_cast<std::size_t>(m.position(0)) - last);
    out += m[1].str();
    std::string letters = m[2].str();
    for (std::size_t k = 0; k < letters.size(); ++k) {
      if (k) out += ' ';
      out += letters[k];
    }
    out += ' ' + digit_words(m[3].str());
    last = static_cast<std::size_t>(m.position(0) + m.length(0));
  }
  out += text.substr(last);
  return out;
}

// "$", "£", "€", "₩" at s[i]: the currency's name and the mark's length, or {"", 0}.
std::pair<std::string, std::size_t> currency_at(std::string_view s, std::size_t i) {
  if (s[i] == '$') return {"dollar", 1};
  if (s.substr(i, 2) == "\u00A3") return {"pound", 2};
  if (s.substr(i, 3) == "\u20AC") return {"euro", 3};
  if (s.substr(i, 3) == "\u20A9") return {"won", 3};
  return {"", 0};
}

std::string number_words(const std::string& digits) {
  if (digits.empty()) return "";
  if ((digits.size() > 1 && digits[0] == '0') || digits.size() > 15) return digit_words(digits);
  return cardinal_words(std::stoull(digits));
}

// Whether the spoken text so far ends with a month's name and a space: "October 23" is a date.
bool after_month(std::string_view out) {
  static constexpr std::array<std::string_view, 12> kMonths{
      "January", "February", "March",     "April",   "May",      "June",
      "July",    "August",   "September", "October", "November", "December"};
  if (out.empty() || out.back() != ' ') return false;
  out.remove_suffix(1);
  for (std::string_view month : kMonths)
    if (out.size() >= month.size() && out.substr(out.size() - month.size()) == month &&
        !word_char_before(out, out.size() - month.size()))
      return true;
  return false;
}

// A time at s[j], after its hour's digits `integer` (3:30, 10:00 pm, 5pm): its words appended
// to `out` and i moved past it; false when no time stands there.
bool say_time(std::string_view s, const std::string& integer, std::size_t j, std::size_t& i,
              std::string& out) {
  if (integer.size() > 2) return false;
  std::size_t suffix_len = 0;
  std::string suffix;
  if (j + 2 < s.size() && s[j] == ':' && is_digit(s[j + 1]) && is_digit(s[j + 2]) &&
      (j + 3 >= s.size() || !is_digit(s[j + 3]))) {
    unsigned hour = static_cast<unsigned>(std::stoul(integer));
    unsigned minute = static_cast<unsigned>((s[j + 1] - '0') * 10 + (s[j + 2] - '0'));
    if (hour <= 24 && minute < 60) {
      j += 3;
      bool has_suffix = is_time_suffix(s, j, suffix_len, suffix);
      std::string words = under_thousand(hour);
      if (minute == 0)
        words += has_suffix ? "" : " o'clock";
      else if (minute < 10)
        words += " oh " + under_thousand(minute);
      else
        words += " " + under_thousand(minute);
      if (has_suffix) words += " " + suffix;
      out += words;
      i = j + (has_suffix ? suffix_len : 0);
      return true;
    }
  }
  if (std::stoul(integer) <= 12 && is_time_suffix(s, j, suffix_len, suffix)) {
    out += under_thousand(static_cast<unsigned>(std::stoul(integer))) + " " + suffix;
    i = j + suffix_len;
    return true;
  }
  return false;
}

// An amount of money: "$5.50" -> "five dollars and fifty cents"; `words` is the number's.
std::string money_words(std::string words, const std::string& integer, const std::string& decimals,
                        const std::string& currency) {
  if (decimals.size() == 2 && currency != "won") {
    words = number_words(integer) + " " + currency + (integer == "1" ? "" : "s");
    if (decimals != "00") {
      std::string cents = decimals[0] == '0' ? decimals.substr(1) : decimals;
      words += " and " + number_words(cents) +
               (currency == "pound" ? " pence"
                : cents == "1"      ? " cent"
                                    : " cents");
    }
    return words;
  }
  return words + " " + currency +
         ((integer == "1" && decimals.empty()) || currency == "won" ? "" : "s");
}

std::string say_numbers(std::string_view s) {
  // The usual case: no number to say, and a currency mark is read only before one.
  if (!has_digit(s)) return std::string(s);
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    auto [currency, mark] = currency_at(s, i);
    if (mark == 0 || i + mark >= s.size() || !is_digit(s[i + mark])) {
      currency.clear();
      mark = 0;
    }
    const std::size_t begin = i + mark;
    // Digits glued to letters before them ("SF9", "B1") are left to eSpeak NG.
    if (!is_digit(s[begin]) || (mark == 0 && word_char_before(s, i))) {
      while (i < s.size() && is_digit(s[i])) out += s[i++];
      if (i < s.size() && !is_digit(s[i])) out += s[i++];
      continue;
    }
    // Integer part, with thousands separators: 10,000
    std::size_t j = begin;
    std::string integer;
    while (j < s.size()) {
      if (is_digit(s[j])) {
        integer += s[j++];
        continue;
      }
      const bool group = s[j] == ',' && !integer.empty() && j + 3 < s.size() &&
                         is_digit(s[j + 1]) && is_digit(s[j + 2]) && is_digit(s[j + 3]) &&
                         (j + 4 >= s.size() || !is_digit(s[j + 4]));
      if (!group) break;
      ++j;
    }
    if (mark == 0 && say_time(s, integer, j, i, out)) continue;
    // Decimal part.
    std::string decimals;
    if (j + 1 < s.size() && s[j] == '.' && is_digit(s[j + 1])) {
      std::size_t k = j + 1;
      while (k < s.size() && is_digit(s[k])) ++k;
      decimals = s.substr(j + 1, k - j - 1);
      j = k;
    }
    std::string words = number_words(integer);
    if (!decimals.empty()) words += " point " + digit_words(decimals);
    const bool plain = decimals.empty() && mark == 0 && integer.size() == j - begin;
    std::size_t k = j;
    auto suffix_is = [&](std::string_view ending) {
      return starts_with_icase(s.substr(k), ending) && !word_char_at(s, k + ending.size());
    };
    if (suffix_is("k")) {  // 6.5k
      words += " thousand";
      k += 1;
    } else if (decimals.empty() && integer.size() <= 15 &&
               (suffix_is("st") || suffix_is("nd") || suffix_is("rd") || suffix_is("th"))) {
      words = ordinal_words(std::stoull(integer));
      k += 2;
    } else if (plain && integer.size() <= 2 && std::stoul(integer) >= 1 &&
               std::stoul(integer) <= 31 && after_month(out)) {  // October 23
      words = ordinal_words(std::stoull(integer));
    } else if (plain && (integer.size() == 4 || (integer.size() == 2 && integer[1] == '0')) &&
               integer[0] != '0' && (suffix_is("s") || suffix_is("'s"))) {  // the 1990s, the 80s
      int value = std::stoi(integer);
      words = plural_words(value >= 1100 && value <= 2099 ? year_words(value) : words);
      k += s[k] == '\'' ? 2 : 1;
    } else if (plain && integer.size() == 4 && integer[0] != '0') {
      int year = std::stoi(integer);
      if (year >= 1100 && year <= 2099) words = year_words(year);
    }
    if (!currency.empty()) words = money_words(words, integer, decimals, currency);
    out += words;
    if (k < s.size() && is_ascii_alpha(s[k])) out += ' ';  // "3D", "5x": keep them apart
    i = k;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Interjections and the lexicon

// Interjections eSpeak NG would spell out letter by letter ("Hm" -> "H M") or say oddly.
std::optional<std::string> interjection(std::string_view word) {
  if (word.empty() || word.size() > 12) return std::nullopt;
  // Only these letters make up the sounds below; other words skip the patterns.
  static constexpr std::string_view kSoundLetters = "hmsptkuaofygHMSPTKUAOFYG-";
  for (char c : word)
    if (kSoundLetters.find(c) == std::string_view::npos) return std::nullopt;
  // The word as runs of one letter ("Hmmm" -> h1 m3), matched against each sound's runs.
  std::vector<std::pair<char, int>> runs;
  for (char c : word) {
    if (c == '-') continue;
    c = lower_ascii(c);
    if (!runs.empty() && runs.back().first == c)
      ++runs.back().second;
    else
      runs.emplace_back(c, 1);
  }
  struct Sound {
    const char* letters;  // one letter per run
    const char* minimum;  // the fewest times each letter must repeat
    const char* say;
  };
  static constexpr Sound kSounds[] = {
      {"hm", "11", "hmm"},     {"mhm", "111", "[[m@h'@m]]"}, {"m", "2", "[[m'm:]]"},
      {"sh", "11", "[[S::]]"}, {"pst", "111", "psst"},       {"tsk", "111", "tsk"},
      {"uh", "11", "uh"},      {"um", "11", "um"},           {"uhm", "111", "um"},
      {"ah", "11", "ah"},      {"of", "21", "oof"},          {"yah", "111", "yah"},
      {"ugh", "111", "ugh"}};
  for (const auto& sound : kSounds) {
    const std::string_view letters = sound.letters;
    if (letters.size() != runs.size()) continue;
    bool match = true;
    for (std::size_t k = 0; k < runs.size() && match; ++k)
      match = runs[k].first == letters[k] && runs[k].second >= sound.minimum[k] - '0';
    if (match) return std::string(sound.say);
  }
  return std::nullopt;
}

// eSpeak NG phonemes for the possessive after a name given as phonemes: [[t'eIj0N]]'s would
// have the s spelled, so it goes inside the brackets.
std::string with_possessive(const std::string& say, std::string_view possessive) {
  if (possessive.empty()) return say;
  if (say.size() > 4 && say.substr(0, 2) == "[[" && say.substr(say.size() - 2) == "]]") {
    std::string inner = say.substr(2, say.size() - 4);
    char last = inner.empty() ? ' ' : inner.back();
    std::string ending = std::string("ptkfT").find(last) != std::string::npos  ? "s"
                         : std::string("szSZ").find(last) != std::string::npos ? "I2z"
                                                                               : "z";
    return "[[" + inner + ending + "]]";
  }
  return say + std::string(possessive);
}

bool is_all_capitals(std::string_view w) {
  return w.size() >= 2 && std::all_of(w.begin(), w.end(), is_ascii_upper);
}

// NEO -> Neo: eSpeak NG reads a capitalised word as a word; all capitals it may spell.
std::string title_case(std::string_view w) {
  std::string out(w.substr(0, 1));
  for (char c : w.substr(1)) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

class WordReplacer {
 public:
  WordReplacer(const Lexicon* lexicon, Protected& held) : lexicon_(lexicon), held_(held) {}

  std::string run(std::string_view s) {
    std::string text = phrases(s);
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
      std::size_t start = i;
      char32_t c = code_point_at(text, i);
      if (!is_letter(c)) {
        next_code_point(text, i);
        out.append(text.substr(start, i - start));
        continue;
      }
      // A word: letters, digits, and inner apostrophes and hyphens.
      std::size_t end = i;
      while (end < text.size()) {
        std::size_t probe = end;
        char32_t d = next_code_point(text, probe);
        if (is_letter(d) || (d >= '0' && d <= '9')) {
          end = probe;
          continue;
        }
        if ((d == '-' || d == '\'' || d == 0x2019) && word_char_at(text, probe)) {
          end = probe;
          continue;
        }
        break;
      }
      out += word(std::string_view(text).substr(i, end - i));
      i = end;
    }
    return out;
  }

 private:
  std::string phrases(std::string_view s) {
    std::string text(s);
    if (lexicon_ == nullptr) return text;
    for (const Lexicon::Entry* entry : lexicon_->phrases()) {
      std::size_t from = 0;
      while (from < text.size()) {
        // Case-insensitive search, then a case-aware check of the match.
        std::string lowered = lower_ascii(text);
        std::string key = lower_ascii(entry->key);
        auto at = lowered.find(key, from);
        if (at == std::string::npos) break;
        auto found = std::string_view(text).substr(at, key.size());
        if (!word_char_before(text, at) && !word_char_at(text, at + key.size()) &&
            lexicon_key_matches(entry->key, found)) {
          std::string held = held_.hold(entry->say);
          text.replace(at, key.size(), held);
          from = at + held.size();
        } else {
          from = at + 1;
        }
      }
    }
    return text;
  }

  std::optional<std::string> lookup(std::string_view w) const {
    if (lexicon_ != nullptr)
      if (auto say = lexicon_->lookup(w)) return say;
    auto say = interjection(w);
    // "Hm?" -> "Hmm?": a respelling keeps the word's capital.
    if (say && !say->empty() && is_ascii_upper(w[0]) && say->front() != '[')
      (*say)[0] = static_cast<char>(std::toupper(static_cast<unsigned char>((*say)[0])));
    return say;
  }

  std::string word(std::string_view w) {
    if (auto say = lookup(w)) return held_.hold(*say);
    if (is_all_capitals(w) && capitals_read_as_word(w)) return title_case(w);
    // A possessive: Taeyong's
    std::string_view possessive;
    std::string_view base = w;
    if (base.size() > 2 &&
        (base.substr(base.size() - 2) == "'s" || base.substr(base.size() - 2) == "'S")) {
      possessive = base.substr(base.size() - 2);
      base.remove_suffix(2);
    } else if (base.size() > 4 && base.substr(base.size() - 4) == "\u2019s") {
      possessive = base.substr(base.size() - 4);
      base.remove_suffix(4);
    }
    if (!possessive.empty())
      if (auto say = lookup(base)) return held_.hold(with_possessive(*say, possessive));
    // Hyphenated: Taeyong-oppa, Naruto-kun, Nam-jun
    if (base.find('-') == std::string_view::npos) return std::string(w);
    std::vector<std::string_view> parts;
    std::size_t from = 0;
    while (true) {
      auto dash = base.find('-', from);
      parts.push_back(base.substr(from, dash == std::string_view::npos ? dash : dash - from));
      if (dash == std::string_view::npos) break;
      from = dash + 1;
    }
    bool changed = false;
    std::string out;
    for (std::size_t k = 0; k < parts.size(); ++k) {
      std::optional<std::string> say;
      if (k > 0 && lexicon_ != nullptr) say = lexicon_->lookup_suffix(parts[k]);
      if (!say && lexicon_ != nullptr) say = lexicon_->lookup(parts[k]);
      if (!say && k == 0) say = interjection(parts[k]);
      bool last = k + 1 == parts.size();
      if (say) {
        changed = true;
        if (k > 0) out += ' ';
        out += held_.hold(last ? with_possessive(*say, possessive) : *say);
      } else {
        if (k > 0) out += changed ? " " : "-";
        out += parts[k];
        if (last) out += possessive;
      }
    }
    return changed ? out : std::string(w);
  }

  const Lexicon* lexicon_;
  Protected& held_;
};

// ---------------------------------------------------------------------------------------------
// Final tidying: spaces, pauses, stray punctuation

bool is_pause_punct(char c) {
  return c == ',' || c == '.' || c == '!' || c == '?' || c == ';' || c == ':';
}

std::string fold_white_space(std::string_view s) {
  std::string folded;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (!folded.empty() && folded.back() != ' ') folded += ' ';
      continue;
    }
    folded += c;
  }
  return folded;
}

// Dashes (kDash): nothing at the start, "..." at the end (a cut-off), "," between words.
std::string resolve_dashes(const std::string& folded) {
  std::string dashed;
  for (std::size_t i = 0; i < folded.size(); ++i) {
    if (folded[i] != kDash) {
      dashed += folded[i];
      continue;
    }
    std::size_t j = i + 1;
    while (j < folded.size() && (folded[j] == ' ' || folded[j] == kDash)) ++j;
    std::string before = dashed;
    while (!before.empty() && before.back() == ' ') before.pop_back();
    // The mark before a closing quote counts: "porridge,'--" needs no comma of its own.
    std::string_view marks = before;
    while (!marks.empty() && (marks.back() == '\'' || marks.back() == '"')) marks.remove_suffix(1);
    if (marks.size() >= 3 &&
        (marks.substr(marks.size() - 3) == "\u2019" || marks.substr(marks.size() - 3) == "\u201D"))
      marks.remove_suffix(3);
    const char mark_before = marks.empty() ? '\0' : marks.back();
    bool at_start = before.empty() || before.back() == '(' || before.back() == '"';
    bool at_end = j >= folded.size() || folded[j] == '"' || folded[j] == ')';
    char next = j < folded.size() ? folded[j] : '\0';
    dashed = before;
    if (at_start) {
      // nothing
    } else if (at_end) {
      if (!is_pause_punct(mark_before)) dashed += "...";
    } else if (is_pause_punct(next) || is_pause_punct(mark_before)) {
      // punctuation already makes the pause
    } else {
      dashed += ",";
    }
    dashed += ' ';
    i = j - 1;
  }
  return dashed;
}

// Spaces around punctuation, doubled commas, leading punctuation.
std::string space_punctuation(const std::string& dashed) {
  std::string out;
  for (std::size_t i = 0; i < dashed.size(); ++i) {
    char c = dashed[i];
    if (c == ' ') {
      std::size_t j = i;
      while (j < dashed.size() && dashed[j] == ' ') ++j;
      if (j >= dashed.size() || is_pause_punct(dashed[j]) || dashed[j] == ')') continue;
      if (out.empty() || out.back() == '(' || out.back() == ' ') continue;
      out += ' ';
      continue;
    }
    if (c == ',') {
      // A comma next to another pause mark adds nothing.
      if (!out.empty() && is_pause_punct(out.back())) continue;
      std::size_t j = i + 1;
      while (j < dashed.size() && dashed[j] == ' ') ++j;
      if (j < dashed.size() && is_pause_punct(dashed[j]) && dashed[j] != ',') continue;
      if (out.empty()) continue;
    }
    if ((c == '.' || c == ';' || c == ':' || c == '!' || c == '?') && out.empty()) {
      // Leading punctuation ("...quiet") is dropped.
      if (c == '.' || c == ';' || c == ':') continue;
    }
    if (c == ')' && !out.empty() && out.back() == '(') {
      out.pop_back();
      continue;
    }
    out += c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

bool has_word(std::string_view out) {
  std::size_t i = 0;
  while (i < out.size()) {
    char32_t c = next_code_point(out, i);
    if (is_letter(c) || (c >= '0' && c <= '9') || is_placeholder(c)) return true;
  }
  return false;
}

std::string tidy(std::string_view s) {
  std::string out = space_punctuation(resolve_dashes(fold_white_space(s)));
  return has_word(out) ? out : "";  // nothing to say when no word is left
}

}  // namespace

// ---------------------------------------------------------------------------------------------

std::string cardinal_words(std::uint64_t n) {
  if (n < 1000) return under_thousand(static_cast<unsigned>(n));
  static constexpr std::array<std::pair<std::uint64_t, std::string_view>, 4> kScales = {{
      {1'000'000'000'000ULL, "trillion"},
      {1'000'000'000ULL, "billion"},
      {1'000'000ULL, "million"},
      {1'000ULL, "thousand"},
  }};
  std::string out;
  for (const auto& [scale, name] : kScales) {
    if (n >= scale) {
      if (!out.empty()) out += ' ';
      out += cardinal_words(n / scale) + " " + std::string(name);
      n %= scale;
    }
  }
  if (n > 0) out += " " + under_thousand(static_cast<unsigned>(n));
  return out;
}

std::string ordinal_words(std::uint64_t n) {
  std::string words = cardinal_words(n);
  // Change the last word: one -> first, twenty -> twentieth, seven -> seventh.
  auto split = words.find_last_of(" -");
  std::string head = split == std::string::npos ? "" : words.substr(0, split + 1);
  std::string last = split == std::string::npos ? words : words.substr(split + 1);
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 9> kIrregular = {{
      {"one", "first"},
      {"two", "second"},
      {"three", "third"},
      {"five", "fifth"},
      {"eight", "eighth"},
      {"nine", "ninth"},
      {"twelve", "twelfth"},
      {"zero", "zeroth"},
      {"", ""},
  }};
  for (const auto& [cardinal, ordinal] : kIrregular)
    if (!cardinal.empty() && last == cardinal) return head + std::string(ordinal);
  if (!last.empty() && last.back() == 'y') return head + last.substr(0, last.size() - 1) + "ieth";
  return head + last + "th";
}

std::string year_words(int year) {
  if (year <= 0) return cardinal_words(0);
  if (year >= 2000 && year < 2010) return cardinal_words(static_cast<std::uint64_t>(year));
  if (year < 1100 || year >= 10000) return cardinal_words(static_cast<std::uint64_t>(year));
  int high = year / 100, low = year % 100;
  std::string out = under_thousand(static_cast<unsigned>(high));
  if (low == 0) return out + " hundred";
  if (low < 10) return out + " oh " + under_thousand(static_cast<unsigned>(low));
  return out + " " + under_thousand(static_cast<unsigned>(low));
}

std::string speakable(std::string_view text, const SpeakContext& context) {
  std::string s = strip_html(text);
  s = replace_reader(s, context);
  s = drop_notes(s, context.read_notes);
  s = clean_marks(s);
  Protected held;
  s = WordReplacer(context.lexicon, held).run(s);
  s = spell_group_names(s);
  s = say_numbers(s);
  s = tidy(s);
  return held.restore(s);
}

std::string speakable(std::string_view text) { return speakable(text, SpeakContext{}); }

bool capitals_read_as_word(std::string_view w) {
  auto vowel = [](char c) { return std::string_view("AEIOU").find(c) != std::string_view::npos; };
  // Two letters: only the English words; "UN", "ID", "EU" are spelled.
  static const std::set<std::string, std::less<>> kTwoLetterWords{
      "AH", "AM", "AN", "AS", "AT", "BE", "BY", "DO", "GO", "HA", "HE", "HI", "IF", "IN", "IS",
      "IT", "ME", "MY", "NO", "OF", "OH", "ON", "OR", "SO", "TO", "UP", "US", "WE", "YO"};
  // Initialisms with a vowel that are spelled all the same.
  static const std::set<std::string, std::less<>> kSpelled{
      "CEO", "FBI", "CIA", "USA", "UFO", "USB", "OST", "OMG", "ATM", "BBC", "IOU", "NBA",
      "DIY", "EDM", "MVP", "PDA", "IU",  "OK",  "TV",  "DJ",  "MC",  "PD",  "AI",  "UK"};
  if (w.size() == 2) return kTwoLetterWords.count(w) > 0;
  if (kSpelled.count(w) > 0 || std::none_of(w.begin(), w.end(), vowel)) return false;
  // It starts as English words start (a vowel or an onset such as ST, TW, STR: not "BTOB"),
  // and no more than three consonants stand together.
  static const std::set<std::string, std::less<>> kOnsets{
      "BL", "BR", "CH", "CL", "CR",  "DR",  "FL",  "FR",  "GL",  "GR",  "KL", "KN", "KR",
      "PH", "PL", "PR", "SC", "SH",  "SK",  "SL",  "SM",  "SN",  "SP",  "ST", "SW", "TH",
      "TR", "TW", "WH", "WR", "SCR", "SPR", "STR", "SPL", "SHR", "THR", "SCH"};
  auto consonant = [&](char c) { return !vowel(c) && c != 'Y'; };
  const std::size_t lead =
      static_cast<std::size_t>(std::find_if_not(w.begin(), w.end(), consonant) - w.begin());
  if (lead >= 2 && kOnsets.count(w.substr(0, lead)) == 0) return false;
  std::size_t run = 0;
  for (char c : w) {
    run = consonant(c) ? run + 1 : 0;
    if (run > 3) return false;
  }
  return true;
}

bool is_unspoken_title(std::string_view title, std::string_view file_name) {
  std::string_view t = title;
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.front()))) t.remove_prefix(1);
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) t.remove_suffix(1);
  if (t.empty()) return true;
  if (std::all_of(t.begin(), t.end(), [](char c) { return is_digit(c); })) return true;
  // The file's name or ID: "000_6874ef4b4f612f50", "6874ef4b4f612f50".
  std::string_view stem = file_name;
  if (auto slash = stem.find_last_of('/'); slash != std::string_view::npos)
    stem.remove_prefix(slash + 1);
  if (auto dot = stem.rfind('.'); dot != std::string_view::npos) stem = stem.substr(0, dot);
  // An ID: digits, hex letters, '_' and '-' with a digit among them ("idols" is a title).
  const bool id_like =
      std::any_of(t.begin(), t.end(), [](char c) { return is_digit(c); }) &&
      std::all_of(t.begin(), t.end(), [](char c) {
        return std::isxdigit(static_cast<unsigned char>(c)) || c == '_' || c == '-';
      });
  return id_like && stem.find(t) != std::string_view::npos;
}

namespace {

// A sentence longer than this is cut between words: a cue could not show it, and no part of the
// program need hold more than this much of one sentence at once.
constexpr std::size_t kMaxSentenceBytes = 1000;

bool is_sentence_end(char c) { return c == '.' || c == '!' || c == '?'; }
bool is_closing_after_end(char c) {
  return c == '"' || c == '\'' || c == ')' || c == ']' || c == '_' || c == '*' || c == '~';
}
constexpr std::string_view kEllipsis = "\xE2\x80\xA6";
constexpr std::string_view kRightDoubleMark = "\xE2\x80\x9D", kRightSingleMark = "\xE2\x80\x99";

// Whether the word ending at `end` (exclusive, before its full stop) is a title or an initial,
// after which a full stop ends no sentence: "Mr. Smith", "J. K. Rowling", "&c. &c.".
bool is_abbreviation_before(std::string_view text, std::size_t end) {
  std::size_t begin = end;
  while (begin > 0 && is_ascii_alpha(text[begin - 1])) --begin;
  const std::string_view word = text.substr(begin, end - begin);
  if (word.size() == 1 && is_ascii_upper(word[0])) return true;
  if (word == "c" && begin > 0 && text[begin - 1] == '&') return true;  // &c. (et cetera)
  static constexpr std::array<std::string_view, 12> kTitles = {
      "Mr", "Mrs", "Ms", "Dr", "St", "Jr", "Sr", "Prof", "Rev", "Capt", "Col", "Gen"};
  return std::find(kTitles.begin(), kTitles.end(), word) != kTitles.end();
}

// After a sentence's final punctuation at i: past any closing marks; npos if no sentence ends.
std::size_t past_sentence_end(std::string_view text, std::size_t i) {
  while (i < text.size()) {
    if (is_sentence_end(text[i]) || is_closing_after_end(text[i])) {
      ++i;
    } else if (text.substr(i).starts_with(kEllipsis) ||
               text.substr(i).starts_with(kRightDoubleMark) ||
               text.substr(i).starts_with(kRightSingleMark)) {
      i += 3;
    } else {
      break;
    }
  }
  if (i >= text.size() || text[i] != ' ') return std::string_view::npos;
  std::size_t next = i;
  while (next < text.size() && text[next] == ' ') ++next;
  if (next >= text.size() || (text[next] >= 'a' && text[next] <= 'z'))
    return std::string_view::npos;
  return i;
}

}  // namespace

std::vector<std::pair<std::size_t, std::size_t>> sentences_of(std::string_view text) {
  std::vector<std::pair<std::size_t, std::size_t>> sentences;
  std::size_t begin = 0, depth = 0;
  auto add = [&](std::size_t from, std::size_t to) {
    while (from < to && (text[from] == ' ' || text[from] == '\t')) ++from;
    while (to > from && (text[to - 1] == ' ' || text[to - 1] == '\t')) --to;
    if (from < to) sentences.emplace_back(from, to);
  };
  std::size_t clause_space = 0;  // the last space after , ; or : in this sentence, or 0
  std::size_t last_space = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == ' ' && i > begin && (text[i - 1] == ',' || text[i - 1] == ';' || text[i - 1] == ':'))
      clause_space = i;
    if (c == ' ') last_space = i;
    // A sentence that runs on and on is cut, at its last clause if it can be, between words.
    if (i - begin >= kMaxSentenceBytes && last_space > begin) {
      const std::size_t cut =
          clause_space > begin + kMaxSentenceBytes / 2 ? clause_space : last_space;
      add(begin, cut);
      begin = cut + 1;
      clause_space = 0;
    }
    if (c == '(' || c == '[' || c == '{' || c == '<') ++depth;
    if ((c == ')' || c == ']' || c == '}' || c == '>') && depth > 0) --depth;
    const bool ends = is_sentence_end(c) || text.substr(i).starts_with(kEllipsis);
    if (!ends || (c == '.' && is_abbreviation_before(text, i))) continue;
    const std::size_t end = past_sentence_end(text, i);
    if (end == std::string_view::npos) continue;
    // Inside brackets no sentence ends, but one may end with the brackets: "(So? Yes.)".
    const auto closers =
        static_cast<std::size_t>(std::count_if(text.begin() + static_cast<std::ptrdiff_t>(i),
                                               text.begin() + static_cast<std::ptrdiff_t>(end),
                                               [](char k) { return k == ')' || k == ']'; }));
    if (depth > closers) continue;
    depth = 0;
    add(begin, end);
    begin = end;
    clause_space = 0;
    i = end;
  }
  add(begin, text.size());
  return sentences;
}

SpokenText speakable_sentences(std::string_view text, const SpeakContext& context) {
  SpokenText result;
  for (const auto& [begin, end] : sentences_of(text)) {
    SentenceSpan span;
    span.written_begin = begin;
    span.written_end = end;
    const std::string spoken = speakable(text.substr(begin, end - begin), context);
    if (!spoken.empty()) {
      if (!result.spoken.empty()) result.spoken += ' ';
      span.spoken_begin = result.spoken.size();
      result.spoken += spoken;
      span.spoken_end = result.spoken.size();
    } else {
      span.spoken_begin = span.spoken_end = result.spoken.size();
    }
    result.sentences.push_back(span);
  }
  return result;
}

}  // namespace troupe
