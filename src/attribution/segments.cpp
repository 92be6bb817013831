// A paragraph as stretches of narration and quotation, and quotations that are words mentioned
// in a sentence of narration rather than spoken (`what they called "the Avenue"`, `saying
// things like "not serious"`).
#include <algorithm>
#include <unordered_set>

#include "attribution/sieve.h"
#include "attribution/tokens.h"
#include "attribution/word_lists.h"
#include "text/utf8.h"

namespace troupe::sieve {

bool is_quote_mark(char32_t c) {
  return c == '"' || c == '\'' || c == U'\u201C' || c == U'\u201D' || c == U'\u2018' ||
         c == U'\u2019' || c == U'\u00AB' || c == U'\u00BB' || c == U'\u2039' || c == U'\u203A' ||
         c == U'\u201E' || c == U'\u201A';
}

bool is_dialogue_dash(char32_t c) { return c == U'\u2014' || c == U'\u2015' || c == U'\u2013'; }

// Byte offset just after the closing mark (and spaces) that follows a quotation's words: a
// quote mark, perhaps after a no-break space (« Oui »), or in dash dialogue a dash after a
// space ("Hello, — she said", "Hola —dijo").
std::size_t after_closing_mark(std::string_view text, std::size_t end) {
  std::size_t i = end;
  if (i >= text.size()) return i;
  std::size_t j = i;
  const char32_t c = next_code_point(text, j);
  if (is_quote_mark(c)) return j;
  std::size_t k = j;
  if (c > 0x7F && is_space(c) && k < text.size() && is_quote_mark(next_code_point(text, k)))
    return k;
  while (i < text.size() && text[i] == ' ') ++i;
  j = i;
  if (i > end && i < text.size() && is_dialogue_dash(next_code_point(text, j))) return j;
  return end;
}

// Byte offset of the opening mark that precedes a quotation's words: a quote mark, perhaps
// before a no-break space, or in dash dialogue a dash after a space or opening the paragraph.
std::size_t before_opening_mark(std::string_view text, std::size_t begin) {
  std::size_t i = begin;
  while (i > 0 && text[i - 1] == ' ') --i;
  if (i == 0) return i;
  std::size_t j = i;
  const char32_t c = previous_code_point(text, j);
  if (is_quote_mark(c)) return j;
  std::size_t k = j;
  if (c > 0x7F && is_space(c) && k > 0 && is_quote_mark(previous_code_point(text, k))) return k;
  if (is_dialogue_dash(c) && (j == 0 || text[j - 1] == ' ')) return j;
  return i;
}

std::vector<Segment> segments_of(const Paragraph& p) {
  std::vector<Segment> segments;
  std::size_t at = 0;
  for (const auto& q : p.quotes) {
    std::size_t open = before_opening_mark(p.text, q.begin);
    if (open > at) segments.push_back({false, at, open, nullptr});
    segments.push_back({true, q.begin, q.end, &q});
    at = std::max(at, after_closing_mark(p.text, q.end));
  }
  if (at < p.text.size()) segments.push_back({false, at, p.text.size(), nullptr});
  return segments;
}

// A narration paragraph that ends "...as he had put it that morning," or "...she began:".
bool introduces_speech(std::string_view text) {
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (text.ends_with("--") || text.ends_with("\u2014")) return true;
  return !text.empty() && (text.back() == ':' || text.back() == ',');
}

namespace {

// "the caption", "a song called", "the sign said": a word before a quotation that makes it a
// title or words written somewhere, not speech.
bool is_naming_word(std::string_view w) {
  static const std::unordered_set<std::string_view> kWords = {
      "caption",   "captioned", "headline", "headlined",  "titled",  "entitled", "title",
      "sign",      "signs",     "banner",   "label",      "slogan",  "motto",    "hashtag",
      "tagline",   "song",      "album",    "single",     "track",   "poem",     "book",
      "chapter",   "section",   "episode",  "chalkboard", "board",   "poster",   "placard",
      "headlines", "notice",    "plaque",   "sticker",    "t-shirt", "mug",      "subject"};
  return kWords.count(w) > 0;
}

// "Towers, Parapets and Other Elevations", "PIE OF THE DAY": words written as a title or a
// sign. Every word of three letters or more capitalised but "and", "the" ..., at least two.
bool is_title_case(std::string_view words) {
  if (words.find_first_of("!?") != std::string_view::npos) return false;  // "Yah! Stop It!"
  if (words.find(". ") != std::string_view::npos) return false;
  static const std::unordered_set<std::string_view> kSmallWords = {
      "and", "the", "for", "from", "into", "with", "upon", "over", "nor", "but", "yet"};
  int capitalised = 0;
  for (const auto& t : tokenize(words)) {
    if (t.text.size() >= 3 && !t.capitalized && !kSmallWords.count(t.lower)) return false;
    if (t.capitalized) ++capitalised;
  }
  return capitalised >= 2;
}

// A speech word used as a noun: "the second chorus of", "a murmur".
bool is_noun_use(const std::vector<Token>& tokens, std::size_t i) {
  static const std::unordered_set<std::string_view> kDeterminers = {
      "the", "a",    "an",     "his",   "her",  "their", "its",  "our",
      "my",  "your", "second", "first", "last", "final", "third"};
  return i > 0 && kDeterminers.count(tokens[i - 1].lower) > 0;
}

// "the chalkboard over the register said": a speech verb whose subject is a written thing.
bool written_subject(const std::vector<Token>& tokens, std::size_t verb) {
  for (std::size_t k = verb; k-- > 0 && k + 5 > verb;) {
    if (is_naming_word(tokens[k].lower)) return true;
    if (tokens[k].capitalized || gender_of_pronoun(tokens[k].lower) != Gender::Unknown) break;
  }
  return false;
}

// The sentence before the mark has a speech verb: `muttering to herself "That must be Orrin,"` (one
// written thing saying it does not count: `the sign said "CLOSED"`). Before a title, only its
// own clause counts: `Kit thought, distantly, of the Handbook, "Towers and Other Elevations,"`.
bool speech_before(const std::vector<Token>& before, bool title) {
  for (std::size_t k = before.size(); k-- > 0;) {
    const auto& w = before[k].lower;
    const bool of_something =  // "thought of", "talked about": no words of theirs follow
        k + 1 < before.size() && (before[k + 1].lower == "of" || before[k + 1].lower == "about");
    if ((is_speech_verb(w) || w == "shouting") && !is_noun_use(before, k) &&
        !written_subject(before, k) && !of_something)
      return true;
    if (before[k].sentence_start || (title && before[k].clause_break_before)) break;
  }
  return false;
}

// Narration going on after the closing mark: `"PIE OF THE DAY," because Dee thought ...`.
bool narration_goes_on(const std::vector<Token>& after) {
  static const std::unordered_set<std::string_view> kConjunctions = {
      "because", "which", "that", "while", "when", "where", "although", "though", "since"};
  return !after.empty() && kConjunctions.count(after.front().lower) > 0;
}

// `saying things like "precautionary"`, `words such as "fine"`: the quotation is an example
// of what someone says, not words they speak here.
bool follows_example_words(const std::vector<Token>& before) {
  static const std::unordered_set<std::string_view> kKinds = {"things", "words", "something",
                                                              "stuff", "phrases"};
  const std::size_t n = before.size();
  if (n < 2) return false;
  return (before[n - 1].lower == "like" && kKinds.count(before[n - 2].lower) > 0) ||
         (before[n - 1].lower == "as" && before[n - 2].lower == "such");
}

// Examples of what someone says, up to a title's length: a quotation after "things like", or
// after another example with only "and", "or" or a comma between (`like "not serious" and
// "yes, I understand."`).
bool is_example(const Paragraph& p, std::size_t qi) {
  const Quote& q = p.quotes[qi];
  if (!q.closed || q.continues) return false;
  const std::string_view text = p.text;
  const std::string_view words = text.substr(q.begin, q.end - q.begin);
  if (std::count(words.begin(), words.end(), ' ') >= kTitleMaxWords) return false;
  const std::size_t open = before_opening_mark(text, q.begin);
  if (qi > 0) {
    const std::size_t previous_end = after_closing_mark(text, p.quotes[qi - 1].end);
    if (previous_end <= open) {
      const auto between = tokenize(text.substr(previous_end, open - previous_end));
      if (between.size() <= 1 &&
          (between.empty() || between[0].lower == "and" || between[0].lower == "or"))
        return is_example(p, qi - 1);
    }
  }
  return follows_example_words(tokenize(text.substr(0, open)));
}

}  // namespace

// A quotation inside a sentence of narration that nobody speaks: a scare quote or a word
// mentioned (`a shy, "moonstruck" child`, `what they called "the Boathouse"`). It is short,
// not an exclamation or question, follows a word that is no speech verb, and no tag follows.
// A title or writing (`the caption "..."`, `the Handbook, "Towers, Parapets and Other
// Elevations,"`) may be longer and follow a comma.
bool Sieve::is_mentioned_words(const Paragraph& p, const Quote& q) const {
  if (!q.closed || q.continues) return false;
  if (is_example(p, static_cast<std::size_t>(&q - p.quotes.data()))) return true;
  std::string_view words = std::string_view(p.text).substr(q.begin, q.end - q.begin);
  while (!words.empty() && words.back() == ' ') words.remove_suffix(1);
  if (words.empty()) return false;
  std::size_t open = before_opening_mark(p.text, q.begin);
  std::size_t at = open;
  while (at > 0 && p.text[at - 1] == ' ') --at;
  if (at == 0 || at == open) return false;  // opens the paragraph, or no space before the mark
  auto before = tokenize(std::string_view(p.text).substr(0, at));
  const bool named = !before.empty() && is_naming_word(before.back().lower);
  const bool title = named || is_title_case(words);
  if (!title && (words.back() == '!' || words.back() == '?')) return false;
  if (std::count(words.begin(), words.end(), ' ') >= (title ? kTitleMaxWords : kMentionMaxWords))
    return false;
  std::size_t back = at;
  const char32_t mark = previous_code_point(p.text, back);
  if (!is_letter(mark) && !(title && mark == ',')) return false;
  if (speech_before(before, title)) return false;
  auto after = tokenize(std::string_view(p.text).substr(after_closing_mark(p.text, q.end)));
  for (std::size_t i = 0; i < after.size() && i < 3 && !narration_goes_on(after); ++i)
    if (is_speech_verb(after[i].lower)) return false;
  return true;
}

// A paragraph whose every quotation is mentioned words reads as narration, unless pinned.
bool Sieve::only_mentions(const Paragraph& p) const {
  for (const auto& q : p.quotes) {
    if (!is_mentioned_words(p, q)) return false;
    std::string words = p.text.substr(q.begin, q.end - q.begin);
    for (const auto& pin : options_.pins)
      if (!pin.quote.empty() && words.rfind(pin.quote, 0) == 0) return false;
  }
  return !p.quotes.empty();
}
}  // namespace troupe::sieve
