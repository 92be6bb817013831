// Markdown stories through the real `troupe` binary: `#` headings open chapters, emphasis,
// links, code spans and HTML comments are handled, a horizontal rule is a scene break, and a
// story gives the same quotations as its text version.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "source_tests.h"

namespace {

using namespace troupe_test::source_tests;

const char* const kMarkdown = R"(# The Ferry

<!-- draft 3: "remember to fix the ending," said my editor -->

## Chapter 1

"Is this the last ferry?" Nora asked. She held her *ticket* tight.

"It is," said the captain. "Read the [timetable](https://example.com/timetable) if you doubt me."

Nora laughed. "I believe you," she said, and typed `ferry --last` into her phone.

---

"Home, then," Nora said. **Finally.**

## Chapter 2: Fog

The fog rolled in. "Can you see the pier?" asked Nora.

"Barely," the captain said.

* "Left!" Nora shouted.
* "I see it," said the captain.
)";

const char* const kText = R"(Chapter 1

"Is this the last ferry?" Nora asked. She held her _ticket_ tight.

"It is," said the captain. "Read the timetable if you doubt me."

Nora laughed. "I believe you," she said, and typed ferry --last into her phone.

* * *

"Home, then," Nora said. Finally.

Chapter 2: Fog

The fog rolled in. "Can you see the pier?" asked Nora.

"Barely," the captain said.

"Left!" Nora shouted.

"I see it," said the captain.
)";

// A sample story as Markdown: paragraphs between blank lines, what Markdown would read as
// markup escaped.
std::string as_markdown(const std::string& text) {
  std::string md;
  for (const std::string& line : troupe_test::lines_of(text)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    std::string escaped;
    for (char c : line.substr(line.find_first_not_of(" \t"))) {
      if (c == '\r') continue;
      if (std::string_view("\\`*_{}[]<>()#+-.!|~&").find(c) != std::string_view::npos)
        escaped += '\\';
      escaped += c;
    }
    md += escaped + "\n\n";
  }
  return md;
}

// A folder is one book of chapter files, each read by its format, in natural name order.
TEST_CASE("markdown: a folder of Markdown, HTML and text chapters reads each by its format") {
  const Scratch scratch("troupe-md");
  scratch.write("book/1 - arrival.md",
                "# Chapter 1: Arrival\n\n\"Is this the *last* ferry?\" Nora asked.\n\n"
                "\"It is,\" said the captain. \"Read the [timetable](https://example.com).\"\n");
  scratch.write("book/2 - fog.html",
                "<!DOCTYPE html>\n<html><head><title>ferry-site</title></head><body>\n"
                "<h1>Chapter 2: Fog</h1>\n<p>&ldquo;Where are we?&rdquo; Nora asked.</p>\n"
                "<p><b>&ldquo;Near home,&rdquo;</b> said the captain.</p>\n</body></html>\n");
  scratch.write("book/10 - home.txt",
                "Chapter 10: Home\n\n\"Home, then,\" Nora said. <b>Finally.</b>\n");
  scratch.write("book/notes.json", "{\"not\": \"a chapter\"}");
  const auto records = script_records(scratch, {scratch.file("book")});
  CHECK(records_of_kind(records, "title") ==
        std::vector<std::string>{"Chapter 1: Arrival", "Chapter 2: Fog", "Chapter 10: Home"});
  const std::string spoken = spoken_text(records);
  // Markdown's emphasis and link, HTML's tags and entities: read, never spoken as markup.
  CHECK(holds(spoken, "Is this the _last_ ferry?"));
  CHECK(holds(spoken, "Read the timetable."));
  CHECK(holds(spoken, "Near home,"));
  for (const char* markup : {"*last*", "](", "&ldquo;", "<b>Near", "ferry-site", "a chapter"})
    CHECK_MESSAGE(!holds(spoken, markup), markup);
  // A text chapter is read as text: its words as written.
  CHECK(holds(spoken, "<b>Finally.</b>"));
  const auto quotes = quotation_records(records);
  REQUIRE(quotes.size() == 6);
  CHECK(quotes[3] == std::pair<std::string, std::string>{"Nora", "Where are we?"});
  CHECK(quotes[5].second == "Home, then,");
}

}  // namespace

TEST_CASE("markdown: a story gives the quotations and chapters of its text version") {
  const Scratch scratch("troupe-md");
  const std::string md = scratch.write("ferry.md", kMarkdown);
  const std::string txt = scratch.write("ferry.txt", kText);
  const auto records = script_records(scratch, {md});
  const auto from_text = script_records(scratch, {txt});
  CHECK(quotation_records(records).size() == 9);
  CHECK(quotations_text(records) == quotations_text(from_text));
  CHECK(records_of_kind(records, "title") ==
        std::vector<std::string>{"Chapter 1", "Chapter 2: Fog"});
  CHECK(records_of_kind(records, "pause").size() == records_of_kind(from_text, "pause").size());
  const std::string spoken = spoken_text(records);
  for (const char* never : {"https://", "example.com", "draft 3", "editor", "**", "`", "<!--", "#"})
    CHECK_MESSAGE(!holds(spoken, never), never);
  CHECK(holds(spoken, "_ticket_"));
  CHECK(holds(spoken, "typed ferry --last into"));
  CHECK(holds(spoken, "Read the timetable if"));
}

TEST_CASE("markdown: each sample story as Markdown gives its text's quotations") {
  for (const char* name :
       {"000_6874ef4b4f612f50", "001_3cd6856fb4b86c2d", "002_a9073757c4daf437"}) {
    CAPTURE(name);
    const Scratch scratch("troupe-md");
    const std::string txt = kSourceDir + "/stories/" + name + ".txt";
    const std::string cast = kSourceDir + "/stories/" + name + ".cast.toml";
    const std::string md = scratch.write("story.md", as_markdown(troupe_test::read_text(txt)));
    const auto from_text = quotations_text(script_records(scratch, {txt, "--cast", cast}));
    CHECK(!from_text.empty());
    CHECK(quotations_text(script_records(scratch, {md, "--cast", cast})) == from_text);
  }
}

TEST_CASE("markdown: invalid UTF-8 is bad input naming the file and line") {
  const Scratch scratch("troupe-md");
  const std::string md = scratch.write("bad.md", "# One\n\n\"Hi,\" said Ann.\n\nCaf\xe9\n");
  const troupe_test::Run run = troupe_test::troupe(scratch, {"script", md});
  CHECK(run.code == 2);
  CHECK(run.err.rfind("troupe: " + md + ":5: invalid UTF-8", 0) == 0);
}
