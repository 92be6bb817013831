// Quotation styles beyond English quotes: guillemets «…» »…« ‹…›, German „…“ and ‚…‘, and
// dialogue paragraphs opening with a dash. The quotation finder for each, the style detected per
// story, and the real binary giving the same speakers for a sample story in every style.
#include <doctest/doctest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "run_troupe.h"
#include "scratch_dir.h"
#include "text/quotes.h"
#include "text/reader.h"
#include "text/story.h"
#include "text/utf8.h"

namespace troupe {
namespace {

using troupe_test::ScratchDir;

Paragraph paragraph_of(std::string text) {
  Paragraph p;
  p.text = std::move(text);
  p.line = 1;
  return p;
}

// The quoted words of one paragraph in a style.
std::vector<std::string> quoted(std::string text, QuoteStyle style) {
  const auto p = paragraph_of(std::move(text));
  std::vector<std::string> words;
  for (const auto& q : quotes_in(p, style, false))
    words.push_back(p.text.substr(q.begin, q.end - q.begin));
  return words;
}

// The text paragraphs of a story read from text.
std::vector<Paragraph> text_paragraphs(const Story& story) {
  std::vector<Paragraph> texts;
  for (const auto& chapter : story.chapters)
    for (const auto& p : chapter.paragraphs)
      if (p.kind == ParagraphKind::Text) texts.push_back(p);
  return texts;
}

// The quoted words of every paragraph of a story, and its nested quotations (marks included).
struct Found {
  std::vector<std::string> quotes, nested;
};
Found found_in(std::string_view text) {
  Found found;
  for (const auto& p : text_paragraphs(story_from_text(text, "story.txt")))
    for (const auto& q : p.quotes) {
      found.quotes.push_back(p.text.substr(q.begin, q.end - q.begin));
      for (const auto& [b, e] : q.nested) found.nested.push_back(p.text.substr(b, e - b));
    }
  return found;
}

QuoteStyle style_of(std::string_view text) {
  return detect_quote_style(story_from_text(text, "story.txt"));
}

using Words = std::vector<std::string>;

TEST_CASE("quote styles: French guillemets, with and without inner spaces") {
  CHECK(quoted("«Bonjour», dit-il. «Entrez.»", QuoteStyle::Guillemets) ==
        Words{"Bonjour", "Entrez."});
  // Narrow no-break spaces (U+202F) and no-break spaces (U+00A0) inside the marks.
  CHECK(quoted("\u00AB\u202FHello,\u202F\u00BB she said. \u00AB\u00A0Come in.\u00A0\u00BB",
               QuoteStyle::Guillemets) == Words{"Hello,", "Come in."});
  CHECK(quoted("« Hello, » she said.", QuoteStyle::Guillemets) == Words{"Hello,"});
}

TEST_CASE("quote styles: German guillemets open with the right-pointing mark") {
  CHECK(quoted("»Hallo«, sagte Anna. »Komm rein.«", QuoteStyle::GuillemetsReversed) ==
        Words{"Hallo", "Komm rein."});
  CHECK(quoted("\u2039Hello,\u203A she said.", QuoteStyle::SingleGuillemets) == Words{"Hello,"});
}

TEST_CASE("quote styles: German low quotes, and the dialogue is not swapped with the narration") {
  CHECK(quoted("„Hallo“, sagte Anna.", QuoteStyle::German) == Words{"Hallo"});
  CHECK(quoted("„Hallo“, sagte Anna. „Wie geht es dir?“", QuoteStyle::German) ==
        Words{"Hallo", "Wie geht es dir?"});
  // „…” (Polish, Dutch, Hungarian) closes with the right mark.
  CHECK(quoted("„Hello,” she said.", QuoteStyle::German) == Words{"Hello,"});
  // The whole story: German style detected, „Hallo“ is the dialogue.
  const std::string story =
      "„Hallo“, sagte Anna.\n„Guten Tag“, sagte Ben.\n„Wie geht’s?“, fragte Anna.\n"
      "„Gut“, sagte Ben.\n";
  CHECK(style_of(story) == QuoteStyle::German);
  CHECK(found_in(story).quotes == Words{"Hallo", "Guten Tag", "Wie geht’s?", "Gut"});
}

TEST_CASE("quote styles: ‚…‘ nests in „…“, and apostrophes are no quotation") {
  const std::string story =
      "„Er sagte ‚nein‘ zu mir“, klagte Anna.\n„Wie geht‘s dir?“, fragte Ben.\n"
      "„Geht‚s noch?“, rief Anna.\n„Gut“, sagte Ben.\n";
  const auto found = found_in(story);
  CHECK(found.quotes == Words{"Er sagte ‚nein‘ zu mir", "Wie geht‘s dir?", "Geht‚s noch?", "Gut"});
  CHECK(found.nested == Words{"‚nein‘"});
}

TEST_CASE("quote styles: a French continuation paragraph opens with the closing mark") {
  const std::string story =
      "«Bonjour», dit-il.\n«Bonsoir», dit-elle.\n«Il était une fois un roi.\n"
      "» Il avait trois filles.»\nElle sourit.\n";
  CHECK(style_of(story) == QuoteStyle::Guillemets);
  CHECK(found_in(story).quotes ==
        Words{"Bonjour", "Bonsoir", "Il était une fois un roi.", "Il avait trois filles."});
}

TEST_CASE("quote styles: guillemets as decoration are no quotation") {
  // A scene break of guillemets, and a curly-quoted story with a few guillemets in it.
  const std::string story =
      "“Hello,” she said.\n\n« ✦ »\n\n“Hi,” he said.\n“Bye,” she said.\n"
      "He read the sign: »»» SALE «««.\n";
  CHECK(style_of(story) == QuoteStyle::Double);
  CHECK(found_in(story).quotes == Words{"Hello,", "Hi,", "Bye,"});
  // Marks inside a word, or with nothing after them, open nothing.
  CHECK(quoted("The arrow»points here.", QuoteStyle::GuillemetsReversed).empty());
  CHECK(quoted("It ends in «", QuoteStyle::Guillemets).empty());
}

TEST_CASE("quote styles: dash dialogue, closed by a dash after punctuation") {
  CHECK(quoted("— Hello, — she said. — Come in.", QuoteStyle::Dash) == Words{"Hello,", "Come in."});
  CHECK(quoted("— Hello, she said.", QuoteStyle::Dash) == Words{"Hello, she said."});
  CHECK(quoted("— Where? — he asked.", QuoteStyle::Dash) == Words{"Where?"});
  // Spanish: the closing dash touches the narration, the reopening dash the narration's end.
  CHECK(quoted("—Hola —dijo ella—. ¿Cómo estás?", QuoteStyle::Dash) ==
        Words{"Hola", "¿Cómo estás?"});
  // Horizontal bar and en dash open dialogue too.
  CHECK(quoted("\u2015 Yes.", QuoteStyle::Dash) == Words{"Yes."});
  CHECK(quoted("– Hej, – sa hon.", QuoteStyle::Dash) == Words{"Hej,"});
}

TEST_CASE("quote styles: a dash inside narration or speech is no quotation mark") {
  // Narration with dashes mid-sentence: no quotation.
  CHECK(quoted("He stopped — and then he ran.", QuoteStyle::Dash).empty());
  CHECK(quoted("And then—chaos.", QuoteStyle::Dash).empty());
  // A dash between words of the speech stays in it.
  CHECK(quoted("— I was — I mean — there.", QuoteStyle::Dash) == Words{"I was — I mean — there."});
  // Narration with a dash mid-sentence after the speech does not reopen it.
  CHECK(quoted("— Go, — she said — quietly — and left.", QuoteStyle::Dash) == Words{"Go,"});
  // A lone dash or a rule of dashes is no dialogue.
  CHECK(quoted("— — —", QuoteStyle::Dash).empty());
  // Speech after speech, without narration between.
  CHECK(quoted("— Stop. — — Go.", QuoteStyle::Dash) == Words{"Stop.", "Go."});
}

TEST_CASE("quote styles: dash dialogue is detected per story, quotations inline too") {
  const std::string story =
      "— Hello, — she said.\n— Hi, — he said. — Come in.\nShe said “thank you” twice.\n"
      "— Sit down.\nHe stopped — and then he ran.\n";
  CHECK(style_of(story) == QuoteStyle::Dash);
  CHECK(found_in(story).quotes == Words{"Hello,", "Hi,", "Come in.", "thank you", "Sit down."});
  // A curly story with a few paragraphs opening with a dash stays in curly quotes.
  const std::string curly =
      "“Hello,” she said.\n“Hi,” he said.\n“Come in.”\n— and then the door closed.\n";
  CHECK(style_of(curly) == QuoteStyle::Double);
}

TEST_CASE("quote styles: nested quotations in guillemets") {
  const std::string story = "«Il a dit ‹non›», dit-elle.\n«Bon», dit-il.\n«Alors?», dit-elle.\n";
  CHECK(found_in(story).nested == Words{"‹non›"});
}

// ---------------------------------------------------------------------------------------------
// The real binary: each sample story in each style gives the speakers of its curly version.

struct Style {
  const char* name;
  std::string open, close;  // the marks; open "— " for dash dialogue
};

const Style kCurly = {"curly", "\u201C", "\u201D"};
const Style kStyles[] = {
    {"guillemets", "\u00AB\u202F", "\u202F\u00BB"},
    {"reversed guillemets", "\u00BB", "\u00AB"},
    {"single guillemets", "\u2039", "\u203A"},
    {"German", "\u201E", "\u201C"},
    {"dash", "\u2014 ", ""},
};

bool is_double_mark(char32_t c) { return c == '"' || c == U'\u201C' || c == U'\u201D'; }

// Where the opening mark of q stands in p's text (before spaces), or npos.
std::size_t opening_mark(const Paragraph& p, const Quote& q) {
  std::size_t i = q.begin;
  while (i > 0 && p.text[i - 1] == ' ') --i;
  std::size_t j = i;
  if (i == 0 || !is_double_mark(previous_code_point(p.text, j))) return std::string::npos;
  return j;
}

// A paragraph's text with its double marks in `style`. Dash dialogue only where the paragraph
// opens with its first quotation (else curly marks, as dash-dialogue books quote inline).
std::string restyled(const Paragraph& p, const Style& style) {
  const bool dash = style.close.empty();
  const bool opens = !p.quotes.empty() && opening_mark(p, p.quotes.front()) == 0;
  const Style& marks = dash && !opens ? kCurly : style;
  std::string out;
  std::size_t at = 0;
  for (std::size_t k = 0; k < p.quotes.size(); ++k) {
    const Quote& q = p.quotes[k];
    const std::size_t open = opening_mark(p, q);
    if (open != std::string::npos && open >= at) {
      out += p.text.substr(at, open - at);
      std::size_t after = open;
      next_code_point(p.text, after);
      out += marks.open;
      at = after;
    }
    std::size_t close = q.end;
    while (close < p.text.size() && p.text[close] == ' ') ++close;
    out += p.text.substr(at, close - at);
    at = close;
    std::size_t after = at;
    if (at < p.text.size() && is_double_mark(next_code_point(p.text, after))) {
      const bool last = after >= p.text.size();
      // "— Hello, — she said.": the dash closing the speech stands after a space.
      out += dash && opens ? (last ? "" : " \u2014") : marks.close;
      at = after;
    }
  }
  return out + p.text.substr(at);
}

// The sample story with every one-line paragraph's double quotes in `style`.
std::string story_in_style(const std::string& text, const Style& style) {
  const Story story = story_from_text(text, "sample.txt");
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  for (const auto& p : text_paragraphs(story))
    if (p.line_starts.empty() && !p.quotes.empty()) lines[p.line - 1] = restyled(p, style);
  std::string out;
  for (const auto& line : lines) out += line + "\n";
  return out;
}

// The quotation records of `troupe script --format jsonl`: speaker and text.
std::vector<std::string> quotation_records(const ScratchDir& scratch, const std::string& file) {
  const auto run = troupe_test::troupe(scratch, {"script", file, "--format", "jsonl"});
  REQUIRE_MESSAGE(run.code == 0, run.err);
  std::vector<std::string> records;
  for (const auto& line : troupe_test::lines_of(run.out)) {
    const auto record = nlohmann::json::parse(line);
    if (record["kind"] == "quote")
      records.push_back(record["speaker"].get<std::string>() + ": " +
                        record["text"].get<std::string>());
  }
  return records;
}

// The first record where two scripts differ, for the failure message.
std::string first_difference(const std::vector<std::string>& got,
                             const std::vector<std::string>& expected) {
  for (std::size_t k = 0; k < std::max(got.size(), expected.size()); ++k) {
    const std::string a = k < got.size() ? got[k] : "(none)";
    const std::string b = k < expected.size() ? expected[k] : "(none)";
    if (a != b) return "record " + std::to_string(k) + ": got [" + a + "], curly [" + b + "]";
  }
  return "";
}

// Checks that the story `sample` (a file stem in stories/) gives, in every quotation style, the
// speakers and words it gives with curly quotation marks.
void check_every_style(const char* sample) {
  ScratchDir scratch;
  const std::string text =
      troupe_test::read_text(std::string(TROUPE_SOURCE_DIR) + "/stories/" + sample + ".txt");
  const std::string cast =
      troupe_test::read_text(std::string(TROUPE_SOURCE_DIR) + "/stories/" + sample + ".cast.toml");
  troupe_test::write_text(scratch.path() / "curly.txt", story_in_style(text, kCurly));
  troupe_test::write_text(scratch.path() / "curly.cast.toml", cast);
  const auto expected = quotation_records(scratch, "curly.txt");
  REQUIRE(expected.size() >= 3);
  for (const auto& style : kStyles) {
    const std::string where = std::string(sample) + " in " + style.name;
    CAPTURE(where);
    troupe_test::write_text(scratch.path() / "styled.txt", story_in_style(text, style));
    troupe_test::write_text(scratch.path() / "styled.cast.toml", cast);
    const auto got = quotation_records(scratch, "styled.txt");
    CHECK_MESSAGE(got == expected, first_difference(got, expected));
  }
}

TEST_CASE("e2e: the first sample story in every quotation style gives its curly speakers") {
  check_every_style("000_6874ef4b4f612f50");
}

// The two other samples run the same code on longer text: under the sanitizers that took most of
// this file's time (about 13 s) and reached no code the first sample does not, so they are in the
// suite the sanitized run leaves out (scripts/sanitize).
TEST_CASE("e2e: the other sample stories in every quotation style give their curly speakers" *
          doctest::test_suite("release-only")) {
  check_every_style("001_3cd6856fb4b86c2d");
  check_every_style("002_a9073757c4daf437");
}

}  // namespace
}  // namespace troupe
