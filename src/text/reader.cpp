#include "text/reader.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <regex>
#include <span>
#include <sstream>
#include <string_view>

#include "common/ascii.h"
#include "common/errors.h"
#include "text/encoding.h"
#include "text/quotes.h"
#include "text/sections.h"
#include "text/utf8.h"

namespace troupe {
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kMaxLineBytes = 1 << 20;
constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";  // U+FEFF

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool is_blank(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    char32_t c = next_code_point(s, i);
    if (!is_space(c) && c != 0xFEFF && c != 0x200B) return false;
  }
  return true;
}

bool has_letter_or_digit(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    char32_t c = next_code_point(s, i);
    if (is_letter(c) || (c >= '0' && c <= '9')) return true;
  }
  return false;
}

// Natural order: digit runs compare by value, so "2.txt" comes before "10.txt".
bool natural_less(const std::string& a, const std::string& b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (std::isdigit(static_cast<unsigned char>(a[i])) &&
        std::isdigit(static_cast<unsigned char>(b[j]))) {
      std::size_t i_end = i, j_end = j;
      while (i_end < a.size() && std::isdigit(static_cast<unsigned char>(a[i_end]))) ++i_end;
      while (j_end < b.size() && std::isdigit(static_cast<unsigned char>(b[j_end]))) ++j_end;
      auto na = std::stoull(a.substr(i, std::min<std::size_t>(i_end - i, 18)));
      auto nb = std::stoull(b.substr(j, std::min<std::size_t>(j_end - j, 18)));
      if (na != nb) return na < nb;
      i = i_end;
      j = j_end;
    } else {
      auto ca = std::tolower(static_cast<unsigned char>(a[i]));
      auto cb = std::tolower(static_cast<unsigned char>(b[j]));
      if (ca != cb) return ca < cb;
      ++i;
      ++j;
    }
  }
  return a.size() - i < b.size() - j;
}

bool has_quote_mark(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const char32_t c = next_code_point(s, i);
    if (c == '"' || c == '\'' || c == 0x201C || c == 0x201D || c == 0x2018 || c == 0x2019)
      return true;
  }
  return false;
}

// A line that sits alone in its paragraph and has no letters or digits: "***", "✦ ✦ ✦", "« ✦ »";
// but a quotation of punctuation alone ("?", "!!!") is speech.
bool is_scene_break(std::string_view line) {
  auto t = trim(line);
  return !t.empty() && !has_letter_or_digit(t) && !has_quote_mark(t);
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// Project Gutenberg's licence: everything up to "*** START OF" and from "*** END OF".
struct BoilerplateRange {
  int start_marker = -1;  // index of the START line, or -1
  int end_marker = -1;    // index of the END line, or -1
};

BoilerplateRange find_gutenberg_boilerplate(const std::vector<std::string>& lines) {
  BoilerplateRange range;
  for (int i = 0; i < static_cast<int>(lines.size()); ++i) {
    auto t = trim(lines[i]);
    if (!starts_with(t, "***")) continue;
    std::string upper(t);
    std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
    if (upper.find("START OF TH") != std::string::npos &&
        upper.find("GUTENBERG") != std::string::npos)
      range.start_marker = i;
    else if (upper.find("END OF TH") != std::string::npos &&
             upper.find("GUTENBERG") != std::string::npos && range.end_marker < 0)
      range.end_marker = i;
  }
  return range;
}

constexpr std::size_t kMaxSubtitleLines = 4;
constexpr std::size_t kMaxTitleBytes = 200;
constexpr std::size_t kMaxHeadingBytes = 100;  // a heading line longer than this carries a title
constexpr std::size_t kMaxPlainSubtitle = 50;  // code points of a subtitle not in title case

bool has_lower_case(std::string_view s) {
  return std::any_of(s.begin(), s.end(),
                     [](char c) { return std::islower(static_cast<unsigned char>(c)); });
}

bool is_minor_title_word(std::string_view word) {
  static constexpr std::array<std::string_view, 24> kMinor = {
      "a",  "an", "the", "and", "but", "or",   "nor",  "for",  "of",   "in",   "on",   "at",
      "to", "by", "up",  "as",  "so",  "from", "with", "into", "upon", "over", "onto", "than"};
  return std::find(kMinor.begin(), kMinor.end(), word) != kMinor.end();
}

// "The Science of Deduction", "Who Stole the Tarts?": every word but the minor ones capitalised.
bool is_title_case(std::string_view s) {
  std::istringstream words{std::string(s)};
  std::string word;
  while (words >> word) {
    auto letter = word.find_first_not_of("_(['\"*");
    if (letter == std::string::npos || !std::isalpha(static_cast<unsigned char>(word[letter])))
      continue;
    if (std::isupper(static_cast<unsigned char>(word[letter]))) continue;
    while (!word.empty() && std::ispunct(static_cast<unsigned char>(word.back()))) word.pop_back();
    if (!is_minor_title_word(word.substr(letter))) return false;
  }
  return true;
}

bool has_double_quote(std::string_view s) {
  return s.find('"') != std::string_view::npos || s.find("\u201C") != std::string_view::npos ||
         s.find("\u201D") != std::string_view::npos;
}

// Whether a line (or a few joined lines) below a heading reads as its subtitle, not as prose.
bool looks_like_title(std::string_view text) {
  text = trim(text);
  if (text.empty() || text.size() > kMaxTitleBytes || has_double_quote(text)) return false;
  if (!has_lower_case(text)) return has_letter_or_digit(text);
  const char last = text.back();
  if (last == '.' || last == ',' || last == ';' || last == ':' || last == '!') return false;
  if (last == '?') return is_title_case(text);
  if (is_title_case(text)) return true;
  return code_point_count(text) <= kMaxPlainSubtitle && text.find(',') == std::string_view::npos;
}

class ChapterBuilder {
 public:
  ChapterBuilder(std::string source, std::string default_title)
      : source_(std::move(source)), default_title_(std::move(default_title)) {
    chapters_.push_back(Chapter{default_title_, source_, 0, {}});
  }

  void heading(std::string title, int line) {
    if (!has_text(chapters_.back())) chapters_.pop_back();
    chapters_.push_back(Chapter{std::move(title), source_, line, {}});
    awaiting_subtitle_ = true;
  }

  // A short title-like paragraph right after a heading is its subtitle ("Down the Rabbit-Hole").
  bool take_subtitle(const Paragraph& p) {
    if (!awaiting_subtitle_) return false;
    awaiting_subtitle_ = false;
    if (p.kind != ParagraphKind::Text || p.line_starts.size() >= kMaxSubtitleLines) return false;
    if (!looks_like_title(p.text)) return false;
    append_to_title(p.text);
    return true;
  }

  void append_to_title(std::string_view words) {
    awaiting_subtitle_ = false;
    auto& title = chapters_.back().title;
    if (!title.empty()) title += ". ";
    title += std::string(trim(words));
  }

  void paragraph(Paragraph p) {
    awaiting_subtitle_ = awaiting_subtitle_ && p.kind == ParagraphKind::SceneBreak;
    chapters_.back().paragraphs.push_back(std::move(p));
  }

  // Whether the chapter so far ends in a paragraph of text (not a break, note or heading).
  bool ends_in_text() const {
    const auto& paragraphs = chapters_.back().paragraphs;
    return !paragraphs.empty() && paragraphs.back().kind == ParagraphKind::Text;
  }

  void keep_heading_only_chapters() { keep_empty_ = true; }

  std::vector<Chapter> finish() {
    if (!keep_empty_ && chapters_.size() > 1 && !has_text(chapters_.back())) chapters_.pop_back();
    return std::move(chapters_);
  }

 private:
  static bool has_text(const Chapter& c) {
    return std::any_of(c.paragraphs.begin(), c.paragraphs.end(),
                       [](const Paragraph& p) { return p.kind == ParagraphKind::Text; });
  }

  std::string source_, default_title_;
  std::vector<Chapter> chapters_;
  bool awaiting_subtitle_ = false;
  bool keep_empty_ = false;
};

Paragraph make_paragraph(ParagraphKind kind, std::string_view first_line, int line) {
  Paragraph p;
  p.kind = kind;
  p.text = std::string(trim(first_line));
  p.line = line;
  return p;
}

void append_line(Paragraph& p, std::string_view line, int number) {
  auto t = trim(line);
  if (t.empty()) return;
  if (!p.text.empty()) p.text += ' ';
  // A line opening with one space kept it where a conversion lost a quotation mark (" I see
  // him,' said he"): the run of spaces stays as the mark's trace.
  if (!p.text.empty() && line.size() > 1 && line[0] == ' ' && line[1] != ' ') p.text += ' ';
  p.line_starts.emplace_back(p.text.size(), number);
  p.text += t;
}

// The lines right below a heading, up to a blank line or another heading, when they read as
// its subtitle ("TELLS OF THE HARBOUR WHERE ..."); returns the subtitle and the
// index of the first line after it, or "" and `from`.
std::pair<std::string, int> subtitle_below(const std::vector<std::string>& lines, int from) {
  const int count = static_cast<int>(lines.size());
  int end = from;
  std::string subtitle;
  while (end < count && !is_blank(lines[end]) && chapter_heading(lines[end]).empty()) {
    if (end - from == static_cast<int>(kMaxSubtitleLines)) return {"", from};
    if (!subtitle.empty()) subtitle += ' ';
    subtitle += trim(lines[end]);
    ++end;
  }
  if (!looks_like_title(subtitle)) return {"", from};
  return {subtitle, end};
}

bool in_boilerplate(const BoilerplateRange& boilerplate, int index) {
  return (boilerplate.start_marker >= 0 && index <= boilerplate.start_marker) ||
         (boilerplate.end_marker >= 0 && index >= boilerplate.end_marker);
}

// One paragraph per line, paragraphs mostly on adjacent lines: there a blank line is the
// writer's scene break, as a gap in a printed page is.
bool blank_lines_are_rare(const std::vector<std::string>& lines) {
  int adjacent = 0, gaps = 0;
  for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
    if (is_blank(lines[i])) continue;
    if (!is_blank(lines[i + 1]))
      ++adjacent;
    else
      ++gaps;
  }
  return gaps > 0 && adjacent >= 2 * gaps;
}

// The first blank line of a run that text (not a heading or an ornament break) follows.
bool blank_opens_scene(const std::vector<std::string>& lines, int blank) {
  if (blank == 0 || is_blank(lines[blank - 1])) return false;
  auto next = static_cast<std::size_t>(blank) + 1;
  while (next < lines.size() && is_blank(lines[next])) ++next;
  if (next == lines.size()) return false;
  const std::string_view text = lines[next];
  return chapter_heading(trim(text)).empty() && !is_scene_break(text);
}

std::vector<Chapter> chapters_from_lines(const std::vector<std::string>& lines,
                                         const std::string& source,
                                         const std::string& default_title,
                                         const ReadOptions& options) {
  const bool wrapped = looks_hard_wrapped(lines);
  const auto boilerplate = find_gutenberg_boilerplate(lines);
  ChapterBuilder builder(source, default_title);
  std::optional<Paragraph> open;  // paragraph being gathered (hard-wrapped style)

  auto close = [&] {
    if (open && !options.read_notes && open->kind == ParagraphKind::Text &&
        is_note_paragraph(open->text))
      open->kind = ParagraphKind::Skipped;
    if (open && !builder.take_subtitle(*open)) builder.paragraph(std::move(*open));
    open.reset();
  };

  const bool blank_breaks_scenes = !wrapped && blank_lines_are_rare(lines);
  for (int i = 0; i < static_cast<int>(lines.size()); ++i) {
    const int number = i + 1;
    std::string_view line = lines[i];
    if (is_blank(line)) {
      close();
      if (blank_breaks_scenes && builder.ends_in_text() && blank_opens_scene(lines, i))
        builder.paragraph(make_paragraph(ParagraphKind::SceneBreak, "", number));
      continue;
    }
    if (in_boilerplate(boilerplate, i)) {
      close();
      builder.paragraph(make_paragraph(ParagraphKind::Skipped, line, number));
      continue;
    }
    if (auto title = chapter_heading(trim(line)); !title.empty()) {
      close();
      builder.heading(title, number);
      if (!wrapped) continue;
      auto [subtitle, next] = subtitle_below(lines, i + 1);
      if (!subtitle.empty()) builder.append_to_title(subtitle);
      i = next - 1;
      continue;
    }
    if (is_scene_break(line)) {
      close();
      builder.paragraph(make_paragraph(ParagraphKind::SceneBreak, line, number));
      continue;
    }
    // A header or footer line ("❧ word count: 6.5k", "#tags") stands alone, even in wrapped text.
    if (wrapped && is_note_paragraph(line)) {
      close();
      builder.paragraph(make_paragraph(
          options.read_notes ? ParagraphKind::Text : ParagraphKind::Skipped, line, number));
      continue;
    }
    if (!open)
      open = make_paragraph(ParagraphKind::Text, line, number);
    else
      append_line(*open, line, number);
    if (!wrapped) close();
  }
  close();
  return builder.finish();
}

// The number words a heading spells out. The units come first, and alone they also end
// "Twenty-One" or "twenty one".
constexpr std::array<std::string_view, 9> kUnitWords = {"one", "two",   "three", "four", "five",
                                                        "six", "seven", "eight", "nine"};
constexpr std::array<std::string_view, 17> kOtherNumberWords = {
    "ten",     "eleven",    "twelve",   "thirteen", "fourteen", "fifteen",
    "sixteen", "seventeen", "eighteen", "nineteen", "twenty",   "first",
    "second",  "third",     "fourth",   "fifth",    "last"};
// Written in upper case only up to ten, and the ordinals ("CHAPTER TWENTY" is no heading yet).
constexpr std::array<std::string_view, 7> kUpperCaseOtherWords = {
    "ten", "first", "second", "third", "fourth", "fifth", "last"};

// A regex alternation of `words`, each capitalised and as it is: "One|one|Two|two|...". Spelled
// out rather than as "[Oo]ne|[Tt]wo": std::regex builds a 256-entry table through the locale for
// every bracket expression when it compiles, and the heading pattern's 45 of them took 10-35 ms
// of CPU (13.8 M instructions) in every run that reads a text file; spelled out, it compiles in
// about 1 ms. The words keep their order, so the pattern matches and captures exactly as before.
std::string either_case_alternatives(std::span<const std::string_view> words) {
  std::string out;
  for (std::string_view word : words) {
    if (!out.empty()) out += '|';
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(word[0])));
    out += word.substr(1);
    out += '|';
    out += word;
  }
  return out;
}

// A regex alternation of `words` in upper case: "ONE|TWO|...".
std::string upper_case_alternatives(std::span<const std::string_view> words) {
  std::string out;
  for (std::string_view word : words) {
    if (!out.empty()) out += '|';
    for (char c : word) out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

const std::regex& heading_pattern() {
  static const std::regex pattern(
      R"(^(?:CHAPTER|Chapter|PART|Part|BOOK|Book|VOLUME|Volume)\s+(?:[0-9]+|[IVXLCivxlc]+|(?:)" +
      either_case_alternatives(kUnitWords) + '|' + either_case_alternatives(kOtherNumberWords) +
      '|' + upper_case_alternatives(kUnitWords) + '|' +
      upper_case_alternatives(kUpperCaseOtherWords) + R"()(?:[- ](?:)" +
      either_case_alternatives(kUnitWords) + '|' + upper_case_alternatives(kUnitWords) +
      R"())?)\b)"
      R"((?:\s*[.:\-–—]?\s*([^a-z\s].*))?$)"
      R"(|^(?:PROLOGUE|Prologue|EPILOGUE|Epilogue)(?:\s*[.:\-–—]?\s*([^a-z\s].*))?$)");
  return pattern;
}

}  // namespace

namespace {

// Labels that open a header or footer line. `colon`: only when followed by ':' (so "Warnings
// were given" stays story).
struct NoteLabel {
  std::string_view label;
  bool colon;
};
constexpr std::array<NoteLabel, 27> kNoteLabels = {{
    {"word count", false},
    {"wordcount", false},
    {"words:", false},
    {"warning", true},
    {"warnings", true},
    {"warning(s)", true},
    {"tw", true},
    {"tws", true},
    {"cw", true},
    {"trigger warning", true},
    {"content warning", true},
    {"genre", true},
    {"genres", true},
    {"pairing", true},
    {"pairings", true},
    {"rating", true},
    {"fandom", true},
    {"tags", true},
    {"taglist", true},
    {"a/n", false},
    {"an", true},
    {"author's note", false},
    {"author\u2019s note", false},
    {"authors note", false},
    {"author note", false},
    {"transcriber's note", false},
    {"transcriber\u2019s note", false},
}};

// Fan fiction opens with its title, then notes ("yah! [taeyong]" / "❧ word count: 6.5k"): a
// short first line right before a skipped note is the title of an untitled story.
void take_title_line(Story& story) {
  if (story.chapters.size() != 1 || story.chapters[0].line != 0) return;
  auto& paragraphs = story.chapters[0].paragraphs;
  auto first = std::find_if(paragraphs.begin(), paragraphs.end(),
                            [](const Paragraph& p) { return p.kind == ParagraphKind::Text; });
  if (first == paragraphs.end() || first + 1 == paragraphs.end()) return;
  if ((first + 1)->kind != ParagraphKind::Skipped) return;
  const std::string& text = first->text;
  bool quoted = text.find('"') != std::string::npos || text.find("\u201C") != std::string::npos;
  if (code_point_count(text) > 60 || quoted || text.back() == '.') return;
  story.chapters[0].title = text;
  story.chapters[0].line = first->line;
  paragraphs.erase(first);
}

}  // namespace

bool is_note_paragraph(std::string_view text) {
  auto t = trim(text);
  if (t.empty()) return false;
  // A line opened by the bullet ❧.
  if (starts_with(t, "\u2767")) return true;
  // #tags: '#' directly followed by a word (a "# Heading" has a space).
  if (t[0] == '#' && t.size() > 1 &&
      (std::isalpha(static_cast<unsigned char>(t[1])) != 0 ||
       static_cast<unsigned char>(t[1]) >= 0x80))
    return true;
  // Project Gutenberg: [Illustration: ...], [Footnote 1: ...], transcriber's notes.
  if (t[0] == '[' && t.back() == ']' &&
      (starts_with_icase(t, "[illustration") || starts_with_icase(t, "[picture:") ||
       starts_with_icase(t, "[footnote") || starts_with_icase(t, "[transcriber") ||
       starts_with_icase(t, "[note:")))
    return true;
  if (starts_with_icase(t, "transcriber's note") ||
      starts_with_icase(t, "transcriber\u2019s note") || starts_with_icase(t, "[transcriber"))
    return true;
  // Header and footer labels, after bullets and brackets: "• Warnings: none", "(A/N: ...)".
  std::size_t i = 0;
  while (i < t.size()) {
    std::size_t at = i;
    char32_t c = next_code_point(t, i);
    if (is_letter(c) || (c >= '0' && c <= '9')) {
      i = at;
      break;
    }
    if (c == '"' || c == 0x201C || c == 0x2018 || c == '\'') return false;  // a quotation
  }
  auto rest = t.substr(std::min(i, t.size()));
  for (const auto& [label, colon] : kNoteLabels) {
    if (!starts_with_icase(rest, label)) continue;
    auto after = rest.substr(label.size());
    while (!after.empty() && after.front() == ' ') after.remove_prefix(1);
    if (colon) {
      if (!after.empty() && after.front() == ':') return true;
      continue;
    }
    // Not the start of a longer word: "a/nother", "word counts".
    if (!after.empty() && rest.size() > label.size() &&
        std::isalpha(static_cast<unsigned char>(rest[label.size()])) != 0)
      continue;
    return true;
  }
  return false;
}

std::string chapter_heading(std::string_view line) {
  line = trim(line);
  if (line.empty() || line.size() > kMaxHeadingBytes + kMaxTitleBytes) return "";
  if (line[0] == '#') {
    auto hashes = line.find_first_not_of('#');
    if (hashes == std::string_view::npos || hashes > 3 || line[hashes] != ' ') return "";
    auto title = trim(line.substr(hashes));
    return title.empty() ? "" : std::string(title);
  }
  char first = line[0];
  if (first != 'C' && first != 'P' && first != 'B' && first != 'V' && first != 'E') return "";
  std::string text(line);
  std::smatch match;
  if (!std::regex_match(text, match, heading_pattern())) return "";
  // A long heading is a heading and its title on one line, as when one paragraph is one line
  // ("CHAPTER I. TELLS OF THE HARBOUR WHERE PELLAM CROWE WAS FOUND AND OF THE ..."): the title
  // must read as one, not as prose.
  if (line.size() > kMaxHeadingBytes) {
    const std::string rest = match[1].matched ? match[1].str() : match[2].str();
    if (!looks_like_title(rest)) return "";
  }
  while (!text.empty() && (text.back() == '.' || text.back() == ':')) text.pop_back();
  return text;
}

bool is_section_number(std::string_view text) {
  auto t = trim(text);
  if (!t.empty() && t.back() == '.') t.remove_suffix(1);
  if (t.size() >= 2 &&
      ((t.front() == '[' && t.back() == ']') || (t.front() == '(' && t.back() == ')')))
    t = t.substr(1, t.size() - 2);
  if (t.empty()) return false;
  if (t.find_first_not_of("IVXLC") == std::string_view::npos) return true;
  return t.size() <= 3 && t.find_first_not_of("0123456789") == std::string_view::npos;
}

// A line that ends mid-sentence: the next line is text starting with a lower-case letter.
bool wraps_into(std::string_view line, std::string_view next) {
  if (is_blank(line) || is_blank(next)) return false;
  auto t = trim(next);
  return std::islower(static_cast<unsigned char>(t.front())) != 0;
}

// A line that ends where a sentence could: ". ! ? …" or a closing quotation mark.
bool ends_a_sentence(std::string_view line) {
  auto t = trim(line);
  if (t.empty()) return true;
  for (std::string_view end : {".", "!", "?", "\"", "'", ":", "\u2019", "\u201d", "\u2026", "*"})
    if (t.ends_with(end)) return true;
  return false;
}

bool looks_hard_wrapped(const std::vector<std::string>& lines) {
  int nonblank = 0, long_lines = 0, followed_by_text = 0, blank = 0, wraps = 0, mid_sentence = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (is_blank(lines[i])) {
      ++blank;
      continue;
    }
    ++nonblank;
    if (code_point_count(lines[i]) > 100) ++long_lines;
    if (i + 1 < lines.size() && !is_blank(lines[i + 1])) {
      ++followed_by_text;
      if (!ends_a_sentence(lines[i])) ++mid_sentence;
    }
    if (i + 1 < lines.size() && wraps_into(lines[i], lines[i + 1])) ++wraps;
  }
  if (nonblank == 0 || blank == 0 || long_lines * 20 >= nonblank) return false;
  // Wrapped prose: many lines break mid-sentence ("...he said\nslowly"). Short lines of
  // dialogue, one paragraph each, end their sentences.
  if (wraps > 0 && wraps * 4 >= nonblank) return true;
  return followed_by_text * 10 > nonblank * 4 && mid_sentence * 3 >= followed_by_text;
}

std::string title_from_file_name(const std::string& path) {
  std::string stem = fs::path(path).stem().string();
  if (stem.empty()) stem = fs::path(path).filename().string();
  std::string title;
  std::string word;
  auto flush = [&] {
    bool has_digit = std::any_of(word.begin(), word.end(), ::isdigit);
    bool has_alpha = std::any_of(word.begin(), word.end(), ::isalpha);
    bool id_like = word.size() >= 8 && has_digit && has_alpha;  // "a9073757c4daf437"
    if (!word.empty() && !id_like) title += (title.empty() ? "" : " ") + word;
    word.clear();
  };
  for (char c : stem) {
    if (c == '_' || c == '-' || c == ' ' || c == '.')
      flush();
    else
      word += c;
  }
  flush();
  return title.empty() ? stem : title;
}

std::vector<std::string> split_checked_lines(std::string_view text, const std::string& source) {
  if (text.find('\0') != std::string_view::npos) {
    auto at = text.find('\0');
    int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + at, '\n'));
    throw input_error(source, line, "binary file (NUL byte), not a text story");
  }
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find_first_of("\r\n", start);
    if (end == std::string_view::npos) end = text.size();
    auto line = text.substr(start, end - start);
    const int number = static_cast<int>(lines.size()) + 1;
    if (line.size() > kMaxLineBytes) throw input_error(source, number, "line longer than 1 MB");
    if (auto bad = first_invalid_utf8(line))
      throw input_error(source, number,
                        "invalid UTF-8 at byte " + std::to_string(*bad + 1) + " of the line");
    // Tabs, form feeds and other control characters are spaces (byte for byte, so offsets hold).
    // A byte-order mark opening a line is the start of another file joined on (`cat a b`):
    // dropped, so that a heading after it is still a heading.
    while (starts_with(line, kByteOrderMark)) line.remove_prefix(kByteOrderMark.size());
    std::string& kept = lines.emplace_back(line);
    std::replace_if(
        kept.begin(), kept.end(),
        [](char c) { return (static_cast<unsigned char>(c) < 0x20) || c == '\x7f'; }, ' ');
    if (end == text.size()) break;
    start = end + ((text[end] == '\r' && end + 1 < text.size() && text[end + 1] == '\n') ? 2 : 1);
    if (start == text.size()) break;
  }
  return lines;
}

Story story_from_text(std::string_view text, const std::string& source,
                      const ReadOptions& options) {
  auto lines = split_checked_lines(text, source);
  if (std::all_of(lines.begin(), lines.end(), [](const std::string& l) { return is_blank(l); }))
    throw input_error(source, 0, "the story is empty");
  Story story;
  story.path = source;
  story.title = title_from_file_name(source);
  story.chapters = chapters_from_lines(lines, source, story.title, options);
  take_title_line(story);
  find_quotes(story);
  return story;
}

std::string read_file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw input_error(path, 0, "cannot open the file");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad() || !buffer) throw input_error(path, 0, "could not read the file");
  return buffer.str();
}

std::vector<std::string> story_files_in(const std::string& folder) {
  std::vector<std::string> files;
  std::error_code error;
  for (auto it = fs::directory_iterator(folder, error); !error && it != fs::directory_iterator();
       it.increment(error)) {
    const fs::directory_entry& entry = *it;
    std::string ext = entry.path().extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (entry.is_regular_file() &&
        std::find(std::begin(kChapterFileExtensions), std::end(kChapterFileExtensions), ext) !=
            std::end(kChapterFileExtensions))
      files.push_back(entry.path().string());
  }
  if (error) throw input_error(folder, 0, "cannot list the folder: " + error.message());
  std::sort(files.begin(), files.end(), [](const std::string& a, const std::string& b) {
    return natural_less(fs::path(a).filename().string(), fs::path(b).filename().string());
  });
  return files;
}

std::vector<Chapter> text_file_chapters(const std::string& file, const ReadOptions& options) {
  auto lines =
      split_checked_lines(decode_text(read_file_bytes(file), file, options.encoding), file);
  if (std::all_of(lines.begin(), lines.end(), [](const std::string& l) { return is_blank(l); }))
    throw input_error(file, 0, "the chapter file is empty");
  return chapters_from_lines(lines, file, title_from_file_name(file), options);
}

Story read_story(const std::string& path, const ReadOptions& options) {
  std::error_code ec;
  if (!fs::exists(path, ec)) throw input_error(path, 0, "no such file or folder");
  if (fs::is_directory(path, ec)) throw input_error(path, 0, "a folder, not a story file");
  return story_from_text(decode_text(read_file_bytes(path), path, options.encoding), path, options);
}

}  // namespace troupe
