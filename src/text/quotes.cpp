#include "text/quotes.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "text/utf8.h"

namespace troupe {
namespace {

constexpr char32_t kLeftDouble = U'\u201C', kRightDouble = U'\u201D';
constexpr char32_t kLeftSingle = U'\u2018', kRightSingle = U'\u2019';
constexpr char32_t kLeftGuillemet = U'\u00AB', kRightGuillemet = U'\u00BB';
constexpr char32_t kLeftSingleGuillemet = U'\u2039', kRightSingleGuillemet = U'\u203A';
constexpr char32_t kLowDouble = U'\u201E', kLowSingle = U'\u201A';

// The marks of a style whose opening and closing marks differ: which open, which close (a
// second closing mark for „…” beside „…“), and the pairs that mark quotations nested in them.
struct PairedMarks {
  char32_t open, close, other_close;
  std::array<std::pair<char32_t, char32_t>, 2> nested;
};

constexpr PairedMarks kGuillemets = {
    kLeftGuillemet,
    kRightGuillemet,
    0,
    {{{kLeftSingleGuillemet, kRightSingleGuillemet}, {U'\u201C', U'\u201D'}}}};
constexpr PairedMarks kGuillemetsReversed = {
    kRightGuillemet,
    kLeftGuillemet,
    0,
    {{{kRightSingleGuillemet, kLeftSingleGuillemet}, {kLowSingle, kLeftSingle}}}};
constexpr PairedMarks kSingleGuillemets = {
    kLeftSingleGuillemet, kRightSingleGuillemet, 0, {{{U'\u201C', U'\u201D'}, {0, 0}}}};
constexpr PairedMarks kGerman = {
    kLowDouble, U'\u201C', U'\u201D', {{{kLowSingle, kLeftSingle}, {0, 0}}}};
// Quotations inside dash dialogue: “…”, «…», „…“.
constexpr PairedMarks kDash = {
    0, 0, 0, {{{U'\u201C', U'\u201D'}, {kLeftGuillemet, kRightGuillemet}}}};

// The marks of a paired style; nullptr for Double, Single and Dash.
const PairedMarks* paired_marks(QuoteStyle style) {
  switch (style) {
    case QuoteStyle::Guillemets:
      return &kGuillemets;
    case QuoteStyle::GuillemetsReversed:
      return &kGuillemetsReversed;
    case QuoteStyle::SingleGuillemets:
      return &kSingleGuillemets;
    case QuoteStyle::German:
      return &kGerman;
    default:
      return nullptr;
  }
}

// The dashes that open dialogue: em dash, horizontal bar, en dash.
bool is_dialogue_dash(char32_t c) { return c == U'\u2014' || c == U'\u2015' || c == U'\u2013'; }

bool is_digit(char32_t c) { return c >= '0' && c <= '9'; }
bool is_word_char(char32_t c) { return is_letter(c) || is_digit(c); }

// What may stand before an opening quote mark.
bool opens_after(char32_t before) {
  return before == 0 || is_space(before) || before == '(' || before == '[' || before == '-' ||
         before == U'\u2014' || before == U'\u2013' || before == '"' || before == kLeftDouble ||
         before == ':' || before == '*' || before == '_' || before == '~';
}

// Words spelled with a leading apostrophe: 'em, 'tis, 'cause ... never open a quotation.
bool is_elision(std::string_view rest) {
  static constexpr std::array<std::string_view, 15> kElisions = {
      "em", "tis", "twas",   "cause", "til", "till", "bout", "round",
      "n",  "ere", "nother", "im",    "er",  "ave",  "un"};
  std::size_t len = 0;
  while (len < rest.size() && std::isalpha(static_cast<unsigned char>(rest[len]))) ++len;
  if (len == rest.size() ? false : std::isalpha(static_cast<unsigned char>(rest[len])))
    return false;
  std::string word(rest.substr(0, len));
  std::transform(word.begin(), word.end(), word.begin(), ::tolower);
  return std::find(kElisions.begin(), kElisions.end(), word) != kElisions.end();
}

// Words opening a parenthesis that are the speaker's own, not the narrator's: "(being close to
// her all the time)", "(according to him)".
bool is_speakers_participle(std::string_view word) {
  static constexpr std::array<std::string_view, 8> kWords = {
      "being",     "according", "including",  "considering",
      "supposing", "regarding", "concerning", "allowing"};
  return std::find(kWords.begin(), kWords.end(), word) != kWords.end();
}

// The words of a parenthesis, lower-cased, split at spaces and punctuation.
std::vector<std::string> words_of(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  for (char c : text) {
    if (std::isalpha(static_cast<unsigned char>(c)) || (c & 0x80) != 0) {
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!word.empty()) {
      words.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) words.push_back(word);
  return words;
}

// A parenthesis inside a quotation that the narrator says, a stage direction: "(handing it over,)",
// "(with a dry cough)", "(in a quieter voice)", "(to Mirren)". The speaker's own asides speak of
// themselves or their listener ("(as you know)"), or open otherwise ("(as he did sometimes)").
bool is_stage_direction(std::string_view inside) {
  const auto words = words_of(inside);
  if (words.empty()) return false;
  for (const auto& w : words)
    if (w == "i" || w == "me" || w == "my" || w == "myself" || w == "we" || w == "us" ||
        w == "our" || w == "you" || w == "your" || w == "yourself")
      return false;
  const std::string& first = words[0];
  if (first.size() > 4 && first.ends_with("ing")) return !is_speakers_participle(first);
  const std::string second = words.size() > 1 ? words[1] : "";
  if (first == "with") return second == "a" || second == "an" || second == "some";
  if (first == "in") {  // "(in a tone of doubt)", not "(in a roundabout manner)"
    for (const auto& w : words)
      if (w == "tone" || w == "voice" || w == "accent" || w == "whisper" || w == "undertone")
        return true;
    return false;
  }
  if (first != "to") return false;
  // "(to Mirren)", "(to the Court)": whom the words turn to.
  const std::size_t to = inside.find_first_not_of(' ');
  const std::size_t next = inside.find_first_not_of(' ', to + 2);
  const bool name_follows =
      next != std::string_view::npos && std::isupper(static_cast<unsigned char>(inside[next]));
  return name_follows || second == "the" || second == "his" || second == "her";
}

// Moves [b, e) of text inward past spaces of any width.
void trim_spaces(std::string_view text, std::size_t& b, std::size_t& e) {
  while (b < e) {
    std::size_t j = b;
    if (!is_space(next_code_point(text, j))) break;
    b = j;
  }
  while (e > b) {
    std::size_t j = e;
    if (!is_space(previous_code_point(text, j))) break;
    e = j;
  }
}

class QuoteScanner {
 public:
  QuoteScanner(const Paragraph& p, QuoteStyle style, bool open_before)
      : p_(p),
        text_(p.text),
        // Dash dialogue quotes inline in double quotes ("she said “thank you” twice").
        style_(style == QuoteStyle::Dash ? QuoteStyle::Double : style),
        paired_(paired_marks(style)),
        open_before_(open_before) {}

  // Scanning a paragraph that starts inside the previous paragraph's quotation, without a
  // re-opening mark ("...that passage.\""): the words up to the first closing mark are quoted.
  static QuoteScanner resuming(const Paragraph& p, QuoteStyle style) {
    QuoteScanner scanner(p, style, true);
    scanner.resuming_ = true;
    return scanner;
  }

  // After scan() of a resuming scanner: whether a closing mark ended the resumed words.
  bool resumed_to_closing_mark() const { return resumed_closed_; }

  std::vector<Quote> scan() {
    std::size_t i = 0;
    if (resuming_) start(0, 0);
    while (i < text_.size()) {
      std::size_t at = i;
      char32_t c = next_code_point(text_, i);
      if (c == '(' && open_ && nested_ == 0) {
        if (std::size_t after = skip_stage_direction(at); after != 0) {
          i = after;
          continue;
        }
      }
      if (paired_ != nullptr)
        on_paired(c, at, i);
      else if (style_ == QuoteStyle::Double)
        on_double(c, at, i);
      else
        on_single(c, at, i);
    }
    if (open_) finish(text_.size(), false);
    return std::move(quotes_);
  }

 private:
  // A stage direction at `paren` inside the open quotation is narration: it ends the quotation,
  // which resumes after the closing parenthesis (and a comma there). Returns where to read on,
  // or 0 if it is none.
  std::size_t skip_stage_direction(std::size_t paren) {
    const std::size_t close = text_.find(')', paren);
    if (close == std::string_view::npos) return 0;
    const std::string_view inside = text_.substr(paren + 1, close - paren - 1);
    for (std::size_t i = 0; i < inside.size();) {
      const char32_t c = next_code_point(inside, i);
      if (c == '"' || c == kLeftDouble || c == kRightDouble || c == kLeftSingle || c == '(')
        return 0;
    }
    if (!is_stage_direction(inside)) return 0;
    finish(paren, true);
    std::size_t resume = close + 1;
    while (resume < text_.size() && (text_[resume] == ',' || text_[resume] == ' ')) ++resume;
    start(close, resume);
    return resume;
  }

  char32_t before(std::size_t at) const {
    std::size_t j = at;
    return previous_code_point(text_, j);
  }
  char32_t after(std::size_t next) const { return code_point_at(text_, next); }

  void on_double(char32_t c, std::size_t at, std::size_t next) {
    const bool straight = c == '"';
    if (c != kLeftDouble && c != kRightDouble && !straight) return;
    if (!open_) {
      if (c != kRightDouble || turned_opening(at, next)) start(at, next);
      return;
    }
    const bool opening =
        (c == kLeftDouble && !turned_closing(next)) ||
        (straight && looks_like_opening(at, next) && !looks_like_closing(at, next));
    if (opening && opens_nested(next)) {
      ++nested_;
    } else if (opening) {
      finish(at, false);  // a missing closing mark: end the previous one here
      start(at, next);
    } else if (nested_ > 0) {
      --nested_;
    } else {
      finish(at, true);
    }
  }

  // Marks that differ by direction: an opening mark opens (after a space or punctuation, not
  // inside a word: "geht‚s"), a closing mark closes. An opening mark inside a quotation means
  // its closing mark was left out. A paragraph continuing a quotation may open with the closing
  // mark, as French typesetting does (» Et puis...).
  void on_paired(char32_t c, std::size_t at, std::size_t next) {
    const bool opening = c == paired_->open && !is_word_char(before(at)) && after(next) != 0;
    if (!open_) {
      if (opening || (c == paired_->close && at == 0 && open_before_)) start(at, next);
      return;
    }
    if (opening) {
      finish(at, false);
      start(at, next);
    } else if (c == paired_->close || (paired_->other_close != 0 && c == paired_->other_close)) {
      finish(at, true);
    }
  }

  // An opening mark inside a quotation opens a nested one ("I said "no," you know.") when the
  // marks after it pair up: one closing the nested quotation, one the outer, perhaps more pairs.
  bool opens_nested(std::size_t from) const {
    int marks = 0;
    std::size_t i = from;
    while (i < text_.size()) {
      char32_t c = next_code_point(text_, i);
      if (c == '"' || c == kLeftDouble || c == kRightDouble) ++marks;
    }
    return marks >= 2 && marks % 2 == 0;
  }

  void on_single(char32_t c, std::size_t at, std::size_t next) {
    if (c != kLeftSingle && c != kRightSingle && c != '\'') return;
    if (!open_) {
      if (c == kRightSingle && !looks_like_opening(at, next)) return;
      if (looks_like_opening(at, next) && !is_elision(text_.substr(next)) && !is_digit(after(next)))
        start(at, next);
      return;
    }
    if (c == kLeftSingle && !turned_closing(next)) return;  // nested or stray
    if (!looks_like_closing(at, next)) return;
    if ((is_plural_possessive(at, next) || ends_elision(at, next)) && has_later_closing(next))
      return;
    finish(at, true);
  }

  // A mark that ends an elided word, not the quotation: rock 'n' roll, man o' war, bread an'
  // butter, goin' home. The word is a known elision ('n, o, an, th) or a lower-case word
  // dropping its g (-in) with more (lower-case) words after it.
  bool ends_elision(std::size_t at, std::size_t next) const {
    std::size_t word_start = at;
    while (word_start > 0) {
      std::size_t j = word_start;
      if (!is_letter(previous_code_point(text_, j))) break;
      word_start = j;
    }
    const std::string_view word = text_.substr(word_start, at - word_start);
    if (word.empty()) return false;
    std::size_t mark = word_start;
    const char32_t lead = word_start > 0 ? previous_code_point(text_, mark) : 0;
    if (word_start != begin_ && (lead == '\'' || lead == kRightSingle || lead == kLeftSingle))
      return is_elision(word) && opens_after(before(mark));  // 'n'
    if (word_start != begin_ && !opens_after(before(word_start))) return false;
    if (word == "o" || word == "an" || word == "th" || word == "O" || word == "An") return true;
    const char32_t a = after(next);
    const bool words_follow = a == ' ' && is_letter(after(next + 1)) &&
                              !(after(next + 1) >= 'A' && after(next + 1) <= 'Z');
    // Lower-case, or capitalised as the quotation's first word ('Nothin' more.'), not a name.
    const bool lower_case = word.front() >= 'a' && word.front() <= 'z';
    return word.size() >= 4 && word.ends_with("in") && (lower_case || word_start == begin_) &&
           words_follow;
  }

  // Word processors turn a mark typed after a dash the wrong way ("I--“ he said"; "so.--”And
  // then"): its place tells. A left mark with nothing after it closes; a right mark with a
  // space or dash before it and a word after it opens.
  bool turned_closing(std::size_t next) const {
    const char32_t a = after(next);
    return a == 0 || is_space(a);
  }
  bool turned_opening(std::size_t at, std::size_t next) const {
    return looks_like_opening(at, next) && is_word_char(after(next)) && !is_word_char(before(at));
  }

  bool looks_like_opening(std::size_t at, std::size_t next) const {
    char32_t b = before(at), a = after(next);
    return opens_after(b) && a != 0 && !is_space(a);
  }

  bool looks_like_closing(std::size_t at, std::size_t next) const {
    char32_t b = before(at), a = after(next);
    return b != 0 && !is_space(b) && !is_word_char(a);
  }

  // "the girls’ mother": s, apostrophe, space, a lower-case word.
  bool is_plural_possessive(std::size_t at, std::size_t next) const {
    if (before(at) != 's') return false;
    if (after(next) != ' ') return false;
    char32_t word = after(next + 1);
    return word >= 'a' && word <= 'z';
  }

  bool has_later_closing(std::size_t from) const {
    std::size_t i = from;
    while (i < text_.size()) {
      std::size_t at = i;
      char32_t c = next_code_point(text_, i);
      if ((c == kRightSingle || c == '\'') && looks_like_closing(at, i) &&
          !is_plural_possessive(at, i))
        return true;
    }
    return false;
  }

  void start(std::size_t mark, std::size_t words) {
    open_ = true;
    nested_ = 0;
    mark_ = mark;
    begin_ = words;
  }

  void finish(std::size_t end, bool closed) {
    open_ = false;
    if (resuming_) resumed_closed_ = closed && end > 0;
    resuming_ = false;
    std::size_t b = begin_, e = end;
    while (b < e && (text_[b] == ' ' || text_[b] == '\t')) ++b;
    while (e > b && (text_[e - 1] == ' ' || text_[e - 1] == '\t')) --e;
    // French typesetting spaces guillemets off with a (narrow) no-break space: « Oui ».
    if (paired_ != nullptr) trim_spaces(text_, b, e);
    if (b == e) return;
    Quote q;
    q.begin = b;
    q.end = e;
    q.line = p_.line_of(mark_);
    q.closed = closed;
    q.continues = open_before_ && quotes_.empty() && mark_ == 0;
    quotes_.push_back(q);
  }

  const Paragraph& p_;
  std::string_view text_;
  QuoteStyle style_;
  const PairedMarks* paired_;  // the marks of a paired style, else nullptr
  bool open_before_;
  bool open_ = false;
  bool resuming_ = false;
  bool resumed_closed_ = false;
  int nested_ = 0;  // nested double quotations open inside the current one
  std::size_t mark_ = 0, begin_ = 0;
  std::vector<Quote> quotes_;
};

struct MarkCounts {
  int doubles = 0;
  int single_openings = 0;
  // Of text paragraphs only (a scene break of « » is no dialogue):
  int guillemets = 0;         // « and »
  int reversed_first = 0;     // paragraphs whose first guillemet is » (German order)
  int french_first = 0;       // ... is «
  int single_guillemets = 0;  // ‹ and ›
  int low_doubles = 0;        // „
  int dash_paragraphs = 0;    // paragraphs opening with a dash and a word
  int quote_paragraphs = 0;   // paragraphs opening with a double or single quote mark
};

// Whether a paragraph opens with a dialogue dash and more than dashes ("— Hello", "—¿Qué?").
bool opens_with_dash(std::string_view t) {
  std::size_t i = 0;
  while (i < t.size() && is_space(code_point_at(t, i))) next_code_point(t, i);
  if (i >= t.size() || !is_dialogue_dash(next_code_point(t, i))) return false;
  while (i < t.size() && is_space(code_point_at(t, i))) next_code_point(t, i);
  const char32_t first = code_point_at(t, i);
  return first != 0 && !is_dialogue_dash(first);
}

void count_paired_marks(const Paragraph& p, MarkCounts& counts) {
  std::string_view t = p.text;
  std::size_t i = 0;
  bool first_guillemet = true;
  while (i < t.size()) {
    const char32_t c = next_code_point(t, i);
    if (c == kLeftGuillemet || c == kRightGuillemet) {
      ++counts.guillemets;
      if (first_guillemet) ++(c == kRightGuillemet ? counts.reversed_first : counts.french_first);
      first_guillemet = false;
    }
    counts.single_guillemets += c == kLeftSingleGuillemet || c == kRightSingleGuillemet;
    counts.low_doubles += c == kLowDouble;
  }
  counts.dash_paragraphs += opens_with_dash(t);
  const char32_t first = code_point_at(t, 0);
  counts.quote_paragraphs += first == '"' || first == kLeftDouble || first == kLeftSingle ||
                             first == '\'' || first == kLeftGuillemet || first == kRightGuillemet ||
                             first == kLowDouble || first == kLeftSingleGuillemet;
}

MarkCounts count_marks(const Story& story) {
  MarkCounts counts;
  for (const auto& chapter : story.chapters)
    for (const auto& p : chapter.paragraphs) {
      if (p.kind == ParagraphKind::Text) count_paired_marks(p, counts);
      std::string_view t = p.text;
      std::size_t i = 0;
      char32_t prev = 0;
      while (i < t.size()) {
        char32_t c = next_code_point(t, i);
        if (c == '"' || c == kLeftDouble || c == kRightDouble) ++counts.doubles;
        if ((c == kLeftSingle || c == '\'') && opens_after(prev) && i < t.size() &&
            is_letter(code_point_at(t, i)) && !is_elision(t.substr(i)))
          ++counts.single_openings;
        prev = c;
      }
    }
  return counts;
}

// The style of guillemets or „…“ when it marks more quotations (at least three) than double and
// single quotes do; dash dialogue when more dialogue paragraphs open with a dash than with a
// quote mark (dash-dialogue books quote inline: she said “thank you”). Nothing for a story in
// English quotes.
std::optional<QuoteStyle> other_style(const MarkCounts& counts) {
  constexpr int kMinQuotations = 3;
  if (counts.dash_paragraphs >= kMinQuotations &&
      counts.dash_paragraphs > 2 * counts.quote_paragraphs)
    return QuoteStyle::Dash;
  // „…“ closes with “, which English quotes open with: those closing marks are not counted.
  const int english =
      std::max(std::max(counts.doubles - counts.low_doubles, 0) / 2, counts.single_openings);
  const QuoteStyle guillemets = counts.reversed_first > counts.french_first
                                    ? QuoteStyle::GuillemetsReversed
                                    : QuoteStyle::Guillemets;
  const std::array<std::pair<int, QuoteStyle>, 3> candidates = {{
      {counts.guillemets / 2, guillemets},
      {counts.single_guillemets / 2, QuoteStyle::SingleGuillemets},
      {counts.low_doubles, QuoteStyle::German},
  }};
  const auto best =
      std::max_element(candidates.begin(), candidates.end(),
                       [](const auto& a, const auto& b) { return a.first < b.first; });
  if (best->first < kMinQuotations || best->first <= english) return std::nullopt;
  return best->second;
}

// Dialogue paragraphs opening with a dash: "— Hello, — she said. — Come in." The speech runs to
// a dash after punctuation ("Hello, —") or one set before a word ("—Hola —dijo ella"); the
// narration runs to a dash after punctuation or one right after a word ("ella—. Pasa"), where
// the speech resumes. A dash inside the speech between words ("I was — I mean") stays in it.
class DashDialogue {
 public:
  explicit DashDialogue(const Paragraph& p) : p_(p), text_(p.text) {}

  std::vector<Quote> scan() {
    if (!opens_with_dash(text_)) return {};
    std::size_t i = 0;
    while (!is_dialogue_dash(code_point_at(text_, i))) next_code_point(text_, i);
    std::size_t mark = i;
    next_code_point(text_, i);
    std::size_t begin = i, narration = 0;
    bool speech = true;
    while (i < text_.size()) {
      const std::size_t at = i;
      if (!is_dialogue_dash(next_code_point(text_, i))) continue;
      const char32_t next = code_point_at(text_, i);
      std::size_t j = at;
      const bool spaced_before = at > 0 && is_space(previous_code_point(text_, j));
      const char32_t last = last_mark_before(at);
      if (speech && spaced_before && (is_pause(last) || is_word_char(next))) {
        emit(begin, at, mark);
        speech = false;
        narration = i;
      } else if (!speech && (is_pause(last) || only_spaces(narration, at) ||
                             (!spaced_before && is_letter(last) && !is_word_char(next)))) {
        mark = at;
        begin = after_pauses(i);
        speech = true;
      }
    }
    if (speech) emit(begin, text_.size(), mark);
    return std::move(quotes_);
  }

 private:
  static bool is_pause(char32_t c) {
    return c == ',' || c == '.' || c == '!' || c == '?' || c == ';' || c == ':' || c == U'\u2026';
  }

  // "— Stop. — — Go.": speech after speech, no narration between.
  bool only_spaces(std::size_t from, std::size_t to) const {
    while (from < to)
      if (!is_space(next_code_point(text_, from))) return false;
    return true;
  }

  // "ella—. Pasa": the stop after the dash ends the narration's sentence, not the speech.
  std::size_t after_pauses(std::size_t i) const {
    while (i < text_.size() &&
           (is_pause(code_point_at(text_, i)) || is_space(code_point_at(text_, i))))
      next_code_point(text_, i);
    return i;
  }

  // The last character before `at` that is not a space (0 at the start).
  char32_t last_mark_before(std::size_t at) const {
    while (at > 0) {
      const char32_t c = previous_code_point(text_, at);
      if (!is_space(c)) return c;
    }
    return 0;
  }

  void emit(std::size_t b, std::size_t e, std::size_t mark) {
    trim_spaces(text_, b, e);
    if (b == e) return;
    Quote q;
    q.begin = b;
    q.end = e;
    q.line = p_.line_of(mark);
    quotes_.push_back(q);
  }

  const Paragraph& p_;
  std::string_view text_;
  std::vector<Quote> quotes_;
};

}  // namespace

QuoteStyle detect_quote_style(const Story& story) {
  auto counts = count_marks(story);
  if (auto other = other_style(counts)) return *other;
  // Dialogue in single quotes: many openings, few double marks (those are then nested quotes).
  return counts.single_openings >= 3 && counts.single_openings > counts.doubles
             ? QuoteStyle::Single
             : QuoteStyle::Double;
}

std::vector<Quote> quotes_in(const Paragraph& paragraph, QuoteStyle style, bool open_before) {
  if (style == QuoteStyle::Dash && opens_with_dash(paragraph.text))
    return DashDialogue(paragraph).scan();
  return QuoteScanner(paragraph, style, open_before).scan();
}

namespace {

// Up to this many paragraphs without quote marks (inset verse, a letter read aloud) may sit
// inside one quotation, between a paragraph left open and the one that closes it.
constexpr std::size_t kMaxBridgedParagraphs = 6;

Quote whole_paragraph_quote(const Paragraph& p) {
  Quote q;
  q.end = p.text.size();
  q.line = p.line;
  q.closed = false;
  q.continues = true;
  q.bridged = true;
  return q;
}

// After paragraphs[open_at] ended inside a quotation: the index of a later paragraph that
// closes it without re-opening it, with only unquoted text paragraphs between; 0 if none.
std::size_t closing_paragraph_after(const std::vector<Paragraph>& paragraphs, std::size_t open_at,
                                    QuoteStyle style) {
  for (std::size_t j = open_at + 1;
       j < paragraphs.size() && j <= open_at + kMaxBridgedParagraphs + 1; ++j) {
    const auto& p = paragraphs[j];
    if (p.kind != ParagraphKind::Text) return 0;
    auto scanner = QuoteScanner::resuming(p, style);
    const auto resumed = scanner.scan();
    if (scanner.resumed_to_closing_mark()) return j;
    const bool unquoted = resumed.size() == 1 && quotes_in(p, style, false).empty();
    if (!unquoted) return 0;
  }
  return 0;
}

void find_quotes_in(std::vector<Paragraph>& paragraphs, QuoteStyle style) {
  bool open_before = false;
  for (std::size_t i = 0; i < paragraphs.size(); ++i) {
    auto& p = paragraphs[i];
    if (p.kind != ParagraphKind::Text) {
      open_before = false;
      continue;
    }
    p.quotes = quotes_in(p, style, open_before);
    open_before = !p.quotes.empty() && !p.quotes.back().closed;
    if (!open_before) continue;
    const std::size_t closing = closing_paragraph_after(paragraphs, i, style);
    if (closing == 0) continue;
    for (std::size_t j = i + 1; j < closing; ++j)
      paragraphs[j].quotes = {whole_paragraph_quote(paragraphs[j])};
    paragraphs[closing].quotes = QuoteScanner::resuming(paragraphs[closing], style).scan();
    open_before = !paragraphs[closing].quotes.back().closed;
    i = closing;
  }
}

// Byte spans [begin, end) of nested quotations in a paragraph's text, marks included.
using Spans = std::vector<std::pair<std::size_t, std::size_t>>;

bool is_double_mark(char32_t c) { return c == '"' || c == kLeftDouble || c == kRightDouble; }
bool is_single_mark(char32_t c) { return c == '\'' || c == kLeftSingle || c == kRightSingle; }

bool is_clause_punctuation(char32_t c) {
  return c == ',' || c == '.' || c == '!' || c == '?' || c == ';';
}

// A single mark closing a quotation whose opening mark was lost: after punctuation and before
// no word ("morning,' said he"), or after a word and before punctuation ("illusion';"), never
// an elision ("an' the") or a possessive.
bool closes_after_gap(char32_t prev, char32_t next) {
  if (is_clause_punctuation(prev)) return !is_word_char(next);
  return is_letter(prev) && is_clause_punctuation(next);
}

// Whether text at i begins a word, perhaps in italics (_We know_).
bool starts_word(std::string_view text, std::size_t i, std::size_t end) {
  if (i >= end) return false;
  char32_t c = next_code_point(text, i);
  if (c == '_' && i < end) c = next_code_point(text, i);
  return is_letter(c);
}

// Whether a single mark closing a word (no letter after it) follows i before end.
bool closes_single_later(std::string_view text, std::size_t i, std::size_t end) {
  char32_t prev = 0;
  while (i < end) {
    const char32_t c = next_code_point(text, i);
    const char32_t next = i < end ? code_point_at(text, i) : 0;
    if ((c == '\'' || c == kRightSingle) && prev != 0 && !is_space(prev) && !is_word_char(next))
      return true;
    prev = c;
  }
  return false;
}

// Whether quotation q opens with a double mark and a space ("' I said"): the space stands for
// a nested quotation's mark lost in a conversion.
bool opens_with_space(std::string_view text, const Quote& q) {
  std::size_t i = q.begin;
  if (i == 0 || text[i - 1] != ' ') return false;
  while (i > 0 && text[i - 1] == ' ') --i;
  return i > 0 && is_double_mark(previous_code_point(text, i));
}

// The quotations nested in quotation q of text, marks included: double marks inside a quotation
// pair up wherever they stand; single marks only inside double-quoted dialogue, opening before
// a word that is no elision ('tis) and closing after one when no letter follows (not don't).
Spans nested_quotations(std::string_view text, const Quote& q, QuoteStyle style) {
  Spans spans;
  std::size_t open_at = std::string_view::npos;
  bool open_double = false;
  // A run of spaces (or the space after the opening mark) where a left single mark may have
  // been lost: a closing single mark after it that nothing opened closes a quotation opened
  // there ("I thinks,  is rattling at a gate,' I thinks").
  std::size_t gap = opens_with_space(text, q) ? q.begin - 1 : std::string_view::npos;
  char32_t prev = 0;
  std::size_t i = q.begin;
  while (i < q.end) {
    const std::size_t at = i;
    const char32_t c = next_code_point(text, i);
    const char32_t next = i < q.end ? code_point_at(text, i) : 0;
    const bool open = open_at != std::string_view::npos;
    // A left mark with nothing after it was turned the wrong way and closes ("two_--‘ why").
    const bool turned_closing = next == 0 || is_space(next);
    if (!open && c == ' ' && prev == ' ' && next != ' ') gap = at;
    if (!open && gap != std::string_view::npos && (c == '\'' || c == kRightSingle) &&
        closes_after_gap(prev, next)) {
      spans.emplace_back(gap, i);
      gap = std::string_view::npos;
    } else if (is_double_mark(c)) {
      if (!open && c != kRightDouble) {
        open_at = at;
        open_double = true;
      } else if (open && open_double && (c != kLeftDouble || turned_closing)) {
        spans.emplace_back(open_at, i);
        open_at = std::string_view::npos;
        gap = std::string_view::npos;
      }
    } else if ((is_single_mark(c) || (c == '?' && !open)) && style == QuoteStyle::Double) {
      // '?' before a word is a left single mark lost in a conversion (said ?no' to that).
      if (!open && c != kRightSingle && opens_after(prev) && starts_word(text, i, q.end) &&
          !is_elision(text.substr(i)) && (c != '?' || closes_single_later(text, i, q.end))) {
        open_at = at;
        open_double = false;
      } else if (open && !open_double && (c != kLeftSingle || turned_closing) && prev != 0 &&
                 !is_space(prev) && !is_word_char(next)) {
        spans.emplace_back(open_at, i);
        open_at = std::string_view::npos;
        gap = std::string_view::npos;
      }
    }
    prev = c;
  }
  return spans;
}

// The quotations nested in quotation q of text by one of the pairs of `marks`, marks included:
// a nested opening mark after a space or punctuation (not inside a word: "geht‚s"), closed by
// its own closing mark; a closing mark that nothing opened is an apostrophe ("geht‘s").
Spans paired_nested_quotations(std::string_view text, const Quote& q, const PairedMarks& marks) {
  Spans spans;
  std::size_t open_at = std::string_view::npos;
  char32_t closing = 0;
  char32_t prev = q.begin > 0 ? code_point_at(text, q.begin - 1) : 0;
  std::size_t i = q.begin;
  while (i < q.end) {
    const std::size_t at = i;
    const char32_t c = next_code_point(text, i);
    if (open_at != std::string_view::npos && c == closing) {
      spans.emplace_back(open_at, i);
      open_at = std::string_view::npos;
    } else if (open_at == std::string_view::npos && !is_word_char(prev) && i < q.end) {
      for (const auto& [open, close] : marks.nested)
        if (open != 0 && c == open) {
          open_at = at;
          closing = close;
        }
    }
    prev = c;
  }
  return spans;
}

// In a story that lost its single marks to spaces (" I see him,' said he,  pass my house'"),
// where quotations open with a mark and a space: the places in quotation q where a nested
// quotation's mark stood, each one character to drop: a run of spaces (its last), the space
// after the opening mark, a closing single mark after punctuation that nothing opened, and the
// marks of the nested quotations found.
std::vector<std::size_t> lost_mark_boundaries(std::string_view text, const Quote& q,
                                              const Spans& nested) {
  std::vector<std::size_t> marks;
  if (opens_with_space(text, q)) marks.push_back(q.begin - 1);
  for (const auto& [open, close] : nested) {
    marks.push_back(open);
    std::size_t last = close;
    previous_code_point(text, last);
    marks.push_back(last);
  }
  char32_t prev = 0;
  std::size_t i = q.begin;
  while (i < q.end) {
    const std::size_t at = i;
    const char32_t c = next_code_point(text, i);
    const char32_t next = i < q.end ? code_point_at(text, i) : 0;
    if (!in_spans(nested, at)) {
      if (c == ' ' && prev == ' ' && next != ' ') marks.push_back(at);
      if (c == '\'' && is_clause_punctuation(prev) && !is_word_char(next)) marks.push_back(at);
    }
    prev = c;
  }
  std::sort(marks.begin(), marks.end());
  marks.erase(std::unique(marks.begin(), marks.end()), marks.end());
  return marks;
}

// The nested quotations of q in a story that lost its single marks: its pieces between the
// places the marks stood, paired up as nested quotations.
Spans lost_mark_quotations(std::string_view text, const Quote& q, const Spans& nested) {
  auto marks = lost_mark_boundaries(text, q, nested);
  if (marks.size() % 2 == 1) {
    if (q.end < text.size())
      marks.push_back(q.end);  // the closing mark of the quotation closes the last piece too
    else
      marks.pop_back();
  }
  Spans spans;
  for (std::size_t k = 0; k + 1 < marks.size(); k += 2) {
    std::size_t close = marks[k + 1];
    next_code_point(text, close);
    spans.emplace_back(marks[k], close);
  }
  return spans;
}

}  // namespace

void find_quotes(Story& story) {
  const QuoteStyle style = detect_quote_style(story);
  std::size_t quotes = 0, opening_spaces = 0;
  for (auto& chapter : story.chapters) {
    find_quotes_in(chapter.paragraphs, style);
    for (auto& p : chapter.paragraphs)
      for (auto& q : p.quotes) {
        if (const PairedMarks* paired = paired_marks(style))
          q.nested = paired_nested_quotations(p.text, q, *paired);
        else if (style == QuoteStyle::Dash)
          q.nested = paired_nested_quotations(p.text, q, kDash);
        else
          q.nested = nested_quotations(p.text, q, style);
        ++quotes;
        opening_spaces += opens_with_space(p.text, q);
      }
  }
  // Quotations opening with a mark and a space, again and again: the story's single marks
  // were lost to spaces in a conversion.
  const bool lost_marks =
      style == QuoteStyle::Double && opening_spaces >= 10 && opening_spaces * 200 >= quotes;
  if (!lost_marks) return;
  for (auto& chapter : story.chapters)
    for (auto& p : chapter.paragraphs)
      for (auto& q : p.quotes) q.nested = lost_mark_quotations(p.text, q, q.nested);
}

}  // namespace troupe
