// Reading stories: lines, paragraphs, chapters, scene breaks, quotations.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "common/errors.h"
#include "sources/source.h"
#include "text/quotes.h"
#include "text/reader.h"
#include "text/sections.h"
#include "text/story.h"

namespace troupe {
namespace {

namespace fs = std::filesystem;

// All paragraphs of a story, chapter after chapter.
std::vector<Paragraph> paragraphs_of(const Story& story) {
  std::vector<Paragraph> all;
  for (const auto& chapter : story.chapters)
    all.insert(all.end(), chapter.paragraphs.begin(), chapter.paragraphs.end());
  return all;
}

std::vector<Paragraph> text_paragraphs_of(const Story& story) {
  std::vector<Paragraph> texts;
  for (const auto& p : paragraphs_of(story))
    if (p.kind == ParagraphKind::Text) texts.push_back(p);
  return texts;
}

std::vector<std::string> paragraph_texts(const Story& story) {
  std::vector<std::string> texts;
  for (const auto& p : text_paragraphs_of(story)) texts.push_back(p.text);
  return texts;
}

std::vector<std::string> chapter_titles(const Story& story) {
  std::vector<std::string> titles;
  for (const auto& chapter : story.chapters) titles.push_back(chapter.title);
  return titles;
}

Paragraph paragraph_of(std::string text) {
  Paragraph p;
  p.text = std::move(text);
  p.line = 1;
  return p;
}

std::string words_of(const Paragraph& p, const Quote& q) {
  return p.text.substr(q.begin, q.end - q.begin);
}

// The quoted words of one paragraph.
std::vector<std::string> quoted(std::string text, QuoteStyle style = QuoteStyle::Double) {
  auto p = paragraph_of(std::move(text));
  std::vector<std::string> words;
  for (const auto& q : quotes_in(p, style, false)) words.push_back(words_of(p, q));
  return words;
}

// The quoted words of every paragraph of a story read from text, in order.
std::vector<std::string> quoted_in_story(std::string_view text) {
  std::vector<std::string> words;
  for (const auto& p : text_paragraphs_of(story_from_text(text, "story.txt")))
    for (const auto& q : p.quotes) words.push_back(words_of(p, q));
  return words;
}

std::string error_of(std::string_view text, const std::string& source = "bad.txt") {
  try {
    story_from_text(text, source);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

std::vector<ParagraphKind> kinds_of(const Story& story) {
  std::vector<ParagraphKind> kinds;
  for (const auto& p : paragraphs_of(story)) kinds.push_back(p.kind);
  return kinds;
}

// A temporary folder removed at the end of a test.
class TempFolder {
 public:
  TempFolder() {
    path_ = fs::temp_directory_path() / ("troupe-text-" + std::to_string(::getpid()));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempFolder() { fs::remove_all(path_); }
  void write(const std::string& name, const std::string& text) const {
    std::ofstream(path_ / name, std::ios::binary) << text;
  }
  std::string path() const { return path_.string(); }

 private:
  fs::path path_;
};

constexpr const char* kWrapped =
    "The first paragraph runs over\n"
    "two lines of text.\n"
    "\n"
    "The second one says \"Hello\nthere,\" and ends.\n";

}  // namespace

// --- lines and paragraphs ---------------------------------------------------------------------

TEST_CASE("text: one paragraph per line") {
  auto story = story_from_text("First line.\nSecond line.\n\nThird line.\n", "s.txt");
  CHECK(paragraph_texts(story) ==
        std::vector<std::string>{"First line.", "Second line.", "Third line."});
  auto texts = text_paragraphs_of(story);
  CHECK(texts[0].line == 1);
  CHECK(texts[1].line == 2);
  CHECK(texts[2].line == 4);
}

TEST_CASE("text: hard-wrapped paragraphs are joined between blank lines") {
  auto story = story_from_text(kWrapped, "s.txt");
  CHECK(paragraph_texts(story) ==
        std::vector<std::string>{"The first paragraph runs over two lines of text.",
                                 "The second one says \"Hello there,\" and ends."});
  CHECK(text_paragraphs_of(story)[1].line == 4);
}

TEST_CASE("text: looks_hard_wrapped tells the two styles apart") {
  std::vector<std::string> wrapped = {"It was a dark and stormy night; the rain fell in",
                                      "torrents, except at occasional intervals, when it",
                                      "was checked by a violent gust of wind.",
                                      "",
                                      "Then the wind dropped, and the street was still",
                                      "again."};
  CHECK(looks_hard_wrapped(wrapped));
  std::vector<std::string> one_per_line = {
      "Lexie walked into the kitchen and looked around for the coffee that Mark had promised "
      "her the night before, but of course there was none.",
      "", "\"Mark!\" she shouted.", "",
      "No answer came from upstairs, only the sound of the shower running and somebody "
      "singing badly along to the radio."};
  CHECK_FALSE(looks_hard_wrapped(one_per_line));
  CHECK_FALSE(looks_hard_wrapped({"One.", "Two.", "Three."}));
  // Short lines of dialogue under a title, one paragraph each: every line ends its sentence.
  std::vector<std::string> short_dialogue = {"The Lighthouse",
                                             "",
                                             "I met Tom at the harbour. He looked tired.",
                                             "\u2018You\u2019re late,\u2019 he said.",
                                             "\u2018The bus broke down,\u2019 I told him.",
                                             "I laughed. \u2018Fair enough.\u2019",
                                             "Anna came running down the pier."};
  CHECK_FALSE(looks_hard_wrapped(short_dialogue));
}

TEST_CASE("text: line_of maps a byte offset of a joined paragraph to its source line") {
  auto texts = text_paragraphs_of(story_from_text(kWrapped, "s.txt"));
  const auto& p = texts[1];
  CHECK(p.line_of(0) == 4);
  CHECK(p.line_of(p.text.find("there")) == 5);
  CHECK(p.line_of(p.text.size() - 1) == 5);
}

TEST_CASE("text: a quote gets the line of its opening mark inside a joined paragraph") {
  auto story = story_from_text(
      "He waited a long time by the door and then at\n"
      "last he said, \"Come in,\n"
      "please.\" And she came.\n"
      "\n"
      "Another paragraph.\n",
      "s.txt");
  auto texts = text_paragraphs_of(story);
  const auto& p = texts[0];
  REQUIRE(p.quotes.size() == 1);
  CHECK(words_of(p, p.quotes[0]) == "Come in, please.");
  CHECK(p.quotes[0].line == 2);
}

TEST_CASE("text: a BOM and CRLF line ends are accepted") {
  auto lines = split_checked_lines("\xEF\xBB\xBFOne\r\nTwo\r\n\r\nThree", "s.txt");
  CHECK(lines == std::vector<std::string>{"One", "Two", "", "Three"});
  auto story = story_from_text("\xEF\xBB\xBF\"Hi,\" she said.\r\nHe nodded.\r\n", "s.txt");
  CHECK(paragraph_texts(story) == std::vector<std::string>{"\"Hi,\" she said.", "He nodded."});
  CHECK(text_paragraphs_of(story)[1].line == 2);
}

TEST_CASE("text: invalid UTF-8 is an InputError naming the file and line") {
  CHECK_THROWS_AS(split_checked_lines("good\nbad \xC3\x28 here\n", "tale.txt"), InputError);
  auto message = error_of("good\nstill good\nbad \xFF here\n", "tale.txt");
  CHECK(message.find("tale.txt:3:") == 0);
  CHECK(message.find("UTF-8") != std::string::npos);
}

TEST_CASE("text: NUL bytes mean a binary file") {
  auto message = error_of(std::string("text\nmore\0text\n", 15), "image.txt");
  CHECK(message.find("image.txt:2:") == 0);
  CHECK(message.find("binary") != std::string::npos);
}

TEST_CASE("text: an empty or blank story is an error") {
  CHECK(error_of("", "empty.txt").find("empty.txt") == 0);
  CHECK(error_of("  \n\t\n\r\n", "blank.txt").find("empty") != std::string::npos);
  CHECK(error_of("\xEF\xBB\xBF\n", "bom.txt").find("empty") != std::string::npos);
}

TEST_CASE("text: a line over 1 MB is an error") {
  std::string text = "short\n" + std::string((1 << 20) + 1, 'a') + "\n";
  auto message = error_of(text, "long.txt");
  CHECK(message.find("long.txt:2:") == 0);
  CHECK(message.find("1 MB") != std::string::npos);
}

// --- chapters -------------------------------------------------------------------------------

TEST_CASE("text: chapter_heading recognises headings") {
  CHECK(chapter_heading("Chapter 3") == "Chapter 3");
  CHECK(chapter_heading("CHAPTER IV.") == "CHAPTER IV");
  CHECK(chapter_heading(" CHAPTER I.") == "CHAPTER I");
  CHECK(chapter_heading("Chapter 12: The Lake") == "Chapter 12: The Lake");
  CHECK(chapter_heading("# The Beginning") == "The Beginning");
  CHECK(chapter_heading("## Part one") == "Part one");
  CHECK(chapter_heading("Part Two") == "Part Two");
  CHECK(chapter_heading("Prologue") == "Prologue");
}

TEST_CASE("text: chapter_heading reads numbers spelled out in either case") {
  CHECK(chapter_heading("Chapter Twenty-One") == "Chapter Twenty-One");
  CHECK(chapter_heading("chapter twenty one") == "");  // the word "chapter" is capitalised
  CHECK(chapter_heading("Part twenty one") == "Part twenty one");
  CHECK(chapter_heading("BOOK FOUR. THE RIVER") == "BOOK FOUR. THE RIVER");
  CHECK(chapter_heading("Volume Fourteen") == "Volume Fourteen");
  CHECK(chapter_heading("Book Sixteen: The Fair") == "Book Sixteen: The Fair");
  CHECK(chapter_heading("Part Last") == "Part Last");
  CHECK(chapter_heading("PART LAST") == "PART LAST");
  CHECK(chapter_heading("Chapter Sixteenth") == "");  // no such number word
  CHECK(chapter_heading("Chapter Fourteens") == "");
  // The current limit, not a wish: upper case is read only up to ten, and the ordinals.
  CHECK(chapter_heading("Chapter TWENTY") == "");
  CHECK(chapter_heading("BOOK FOURTEEN") == "");
  CHECK(chapter_heading("Chapter Firstly the rain fell.") == "");
}

TEST_CASE("text: chapter_heading rejects ordinary lines") {
  CHECK(chapter_heading("#tag") == "");
  CHECK(chapter_heading("#") == "");
  CHECK(chapter_heading("Chapter and verse were quoted at him.") == "");
  CHECK(chapter_heading("Part of me wanted to stay.") == "");
  CHECK(chapter_heading("Chapter one was the best, she said, and then left.") == "");
  CHECK(chapter_heading("\"Chapter 3,\" he read aloud.") == "");
}

TEST_CASE("text: headings split a story into chapters") {
  auto story = story_from_text(
      "Chapter 1\nFirst words.\n#tag is not a heading\n# Second\nMore words.\nPart Two\nEnd.\n",
      "s.txt");
  CHECK(chapter_titles(story) == std::vector<std::string>{"Chapter 1", "Second", "Part Two"});
  CHECK(story.chapters[0].paragraphs.size() == 2);
  CHECK(story.chapters[0].line == 1);
  CHECK(story.chapters[1].line == 4);
}

TEST_CASE("text: a story without headings is one chapter") {
  auto story = story_from_text("One.\nTwo.\n\nThree.\n", "03_the-lake.txt");
  REQUIRE(story.chapters.size() == 1);
  CHECK(story.chapters[0].title == "03 the lake");
  CHECK(story.chapters[0].paragraphs.size() == 3);
}

TEST_CASE("text: an indented heading with a subtitle line below (hard-wrapped subtitle)") {
  auto story = story_from_text(
      " CHAPTER I.\n"
      "TELLS OF THE HARBOUR WHERE PELLAM CROWE WAS FOUND AND OF THE\n"
      "WEATHER ON THE NIGHT OF HIS FINDING\n"
      "\n"
      "\n"
      "Along the grey coast of a northern county, which for good reasons\n"
      "the writer would rather leave unnamed.\n"
      "\n"
      " CHAPTER II.\n"
      "TELLS OF PELLAM CROWE'S SCHOOLING\n"
      "\n"
      "For his first nine or eleven weeks, Pellam was kept in a\n"
      "draughty loft above the net-makers' shed.\n",
      "harbour.txt");
  CHECK(chapter_titles(story) ==
        std::vector<std::string>{"CHAPTER I. TELLS OF THE HARBOUR WHERE PELLAM CROWE WAS FOUND AND "
                                 "OF THE WEATHER ON THE NIGHT OF HIS FINDING",
                                 "CHAPTER II. TELLS OF PELLAM CROWE'S SCHOOLING"});
  CHECK(story.chapters[0].paragraphs.size() == 1);
}

TEST_CASE("text: a long heading with its title on one line (one paragraph per line)") {
  auto story = story_from_text(
      "CHAPTER I. TELLS HOW THE MILLER'S DAUGHTER CAME TO THE TOWN AND WHAT SHE FOUND THERE ON "
      "HER FIRST NIGHT\n"
      "The mill stood at the edge of the town, and nobody went there after dark.\n"
      "Chapter 2: The Long Road Through the Marshes, the Ferry, and the House with Seven "
      "Chimneys\n"
      "\"Who goes there?\" called the ferryman.\n"
      "Chapter 3. The road was long and the marshes were wide, and the ferryman said nothing "
      "at all until they reached the other bank.\n",
      "mill.txt");
  CHECK(chapter_titles(story) ==
        std::vector<std::string>{"CHAPTER I. TELLS HOW THE MILLER'S DAUGHTER CAME TO THE TOWN AND "
                                 "WHAT SHE FOUND THERE ON HER FIRST NIGHT",
                                 "Chapter 2: The Long Road Through the Marshes, the Ferry, and the "
                                 "House with Seven Chimneys"});
  CHECK(story.chapters[1].paragraphs.size() == 2);  // the long "Chapter 3. ..." line is prose
}

TEST_CASE("text: a subtitle after a blank line (one-line subtitle)") {
  auto story = story_from_text(
      "CHAPTER I.\n\nInto the Fox-Burrow\n\n"
      "Mirren was growing rather bored of waiting beside her cousin at the\n"
      "quay, with no boat yet in sight.\n",
      "burrow.txt");
  REQUIRE(story.chapters.size() == 1);
  CHECK(story.chapters[0].title == "CHAPTER I. Into the Fox-Burrow");
  CHECK(paragraph_texts(story).size() == 1);
}

TEST_CASE("text: a subtitle line does not also swallow the first paragraph") {
  auto story = story_from_text(
      "CHAPTER IV\nMR. HALLORAN\n\n\nNOT being the mayor, who was Mr. Halloran?\n\n"
      "Well, Mr. Halloran was as close to being Mrs. Pettibone's oldest ally, as a\n"
      "person wholly without warmth can come to that sort of fellowship\n"
      "with another person wholly without warmth.\n",
      "mill.txt");
  CHECK(chapter_titles(story) == std::vector<std::string>{"CHAPTER IV. MR. HALLORAN"});
  CHECK(paragraph_texts(story).size() == 2);
}

TEST_CASE("text: a subtitle over several capitalised lines after a blank line") {
  auto story = story_from_text(
      "                               CHAPTER I\n\n"
      "                      WHEREIN THE READER FIRST MEETS\n"
      "                     TOBIAS-THE-BADGER AND A KETTLE,\n"
      "                          AND THE TALES START\n\n\n"
      "There goes Barnaby Hedgehog, rolling down the hill now, thump, thump, on the\n"
      "prickles of his back, after Rosalind Quill.\n",
      "badger.txt");
  CHECK(chapter_titles(story) ==
        std::vector<std::string>{"CHAPTER I. WHEREIN THE READER FIRST MEETS TOBIAS-THE-BADGER AND "
                                 "A KETTLE, AND THE TALES START"});
  CHECK(paragraph_texts(story).size() == 1);
}

TEST_CASE("text: a subtitle line below a heading in one-paragraph-per-line text") {
  auto story = story_from_text("Chapter 3\nThe Lake\nShe walked to the water.\n", "s.txt");
  CHECK(chapter_titles(story) == std::vector<std::string>{"Chapter 3. The Lake"});
  story = story_from_text("Chapter 1\nOnce upon a time.\nThe end.\n", "s.txt");
  CHECK(chapter_titles(story) == std::vector<std::string>{"Chapter 1"});
  CHECK(paragraph_texts(story).size() == 2);
}

TEST_CASE("text: a table of contents does not make empty chapters") {
  auto story = story_from_text(
      "Contents\n\nChapter 1\nChapter 2\nChapter 3\n\n"
      "Chapter 1\nOnce upon a time.\nChapter 2\nThe middle.\nChapter 3\nThe end.\n",
      "toc.txt");
  for (const auto& chapter : story.chapters)
    CHECK_FALSE(text_paragraphs_of(Story{"", "", {chapter}}).empty());
  auto titles = chapter_titles(story);
  REQUIRE(titles.size() >= 3);
  CHECK(std::vector<std::string>(titles.end() - 3, titles.end()) ==
        std::vector<std::string>{"Chapter 1", "Chapter 2", "Chapter 3"});
  CHECK(story.chapters.back().line == 11);
}

TEST_CASE("text: a folder is a book of chapter files in natural order") {
  TempFolder folder;
  folder.write("10-last.txt", "The end.\n");
  folder.write("2-middle.txt", "\"Hi,\" she said.\n");
  folder.write("1-first.txt", "# The Start\nOnce upon a time.\n");
  folder.write("notes.json", "{}");
  auto book = troupe::read_source(folder.path());
  REQUIRE(book.chapters.size() == 3);
  CHECK(book.chapters[0].title == "The Start");
  CHECK(book.chapters[1].title == "2 middle");
  CHECK(book.chapters[2].title == "10 last");
  CHECK(fs::path(book.chapters[2].source).filename() == "10-last.txt");
  CHECK(book.chapters[1].paragraphs[0].quotes.size() == 1);
}

TEST_CASE("text: read_story names a missing path and a folder without stories") {
  CHECK_THROWS_AS(read_story("/nonexistent/story.txt"), InputError);
  TempFolder folder;
  folder.write("cover.png", "png");
  CHECK_THROWS_AS(troupe::read_source(folder.path()), InputError);
}

// --- scene breaks and Gutenberg boilerplate -------------------------------------------------

TEST_CASE("text: scene break lines") {
  for (const char* mark : {"✦ ✦ ✦", "***", "* * *", "~~~", "---", "❧", "  *  *  *  "}) {
    CAPTURE(mark);
    auto story = story_from_text(std::string("Before.\n") + mark + "\nAfter.\n", "s.txt");
    CHECK(kinds_of(story) == std::vector<ParagraphKind>{ParagraphKind::Text,
                                                        ParagraphKind::SceneBreak,
                                                        ParagraphKind::Text});
  }
}

TEST_CASE("text: a quotation of punctuation alone is speech, not a scene break") {
  auto story = story_from_text("\"Shall we go?\" said Tom.\n\n\"?\"\n\n\u201c!!!\u201d\n", "s.txt");
  auto paragraphs = paragraphs_of(story);
  REQUIRE(paragraphs.size() == 3);
  for (const auto& p : paragraphs) {
    CHECK(p.kind == ParagraphKind::Text);
    CHECK(p.quotes.size() == 1);
  }
}

TEST_CASE("text: a scene break in hard-wrapped text") {
  auto story = story_from_text(
      "The first paragraph runs over\ntwo lines of text.\n\n* * *\n\n"
      "The second paragraph runs over\ntwo lines as well.\n",
      "s.txt");
  CHECK(kinds_of(story) == std::vector<ParagraphKind>{ParagraphKind::Text,
                                                      ParagraphKind::SceneBreak,
                                                      ParagraphKind::Text});
}

TEST_CASE("text: a section number alone in its paragraph opens a scene and is still read") {
  for (const char* number : {"[III]", "II.", "  IV  ", "(2)", "12.", "[I]"}) {
    CAPTURE(number);
    CHECK(is_section_number(number));
  }
  for (const char* text : {"I said so.", "Mix", "1234", "iv", "[]", "", "\"II.\""}) {
    CAPTURE(text);
    CHECK_FALSE(is_section_number(text));
  }
  auto story = story_from_text(
      "The first paragraph runs over\ntwo lines of text.\n\n[II]\n\n"
      "The second paragraph runs over\ntwo lines as well.\n",
      "s.txt");
  auto paragraphs = paragraphs_of(story);
  REQUIRE(paragraphs.size() == 3);
  CHECK(paragraphs[1].kind == ParagraphKind::Text);
  CHECK(opens_scene(paragraphs[1]));
  CHECK_FALSE(opens_scene(paragraphs[0]));
}

TEST_CASE("text: Project Gutenberg boilerplate is skipped, never a scene break") {
  auto story = story_from_text(
      "The Project Gutenberg eBook of A Tale\n\n"
      "This eBook is for the use of anyone anywhere.\n\n"
      "*** START OF THE PROJECT GUTENBERG EBOOK A TALE ***\n\n"
      "CHAPTER I.\n\nIt was the best of times, it was the worst\nof times, it was the age of\n"
      "wisdom, it was the age of foolishness, it was the\nepoch of belief.\n\n"
      "*** END OF THE PROJECT GUTENBERG EBOOK A TALE ***\n\n"
      "Updated editions will replace the previous one.\n",
      "tale.txt");
  auto paragraphs = paragraphs_of(story);
  std::vector<std::string> read_aloud;
  for (const auto& p : paragraphs) {
    CHECK(p.kind != ParagraphKind::SceneBreak);
    if (p.kind == ParagraphKind::Text) read_aloud.push_back(p.text);
  }
  CHECK(read_aloud ==
        std::vector<std::string>{
            "It was the best of times, it was the worst of times, it was "
            "the age of wisdom, it was the age of foolishness, it was the epoch of belief."});
  CHECK(story.chapters.back().title == "CHAPTER I");
}

// --- quotations ------------------------------------------------------------------------------

TEST_CASE("text: straight and curly double quotes") {
  CHECK(quoted("\"Hello there,\" she said.") == std::vector<std::string>{"Hello there,"});
  CHECK(quoted("“Hello there,” she said.") == std::vector<std::string>{"Hello there,"});
  CHECK(quoted("No quotes here.").empty());
}

TEST_CASE("text: a quotation interrupted by a tag is two quotes") {
  CHECK(quoted("\"Yeah,\" she said. \"Neither did I.\"") ==
        std::vector<std::string>{"Yeah,", "Neither did I."});
  CHECK(quoted("“Yeah,” she said. “Neither did I.”") ==
        std::vector<std::string>{"Yeah,", "Neither did I."});
}

TEST_CASE("text: a quote's line and span") {
  auto p = paragraph_of("He said: \"Go.\"");
  p.line = 7;
  auto quotes = quotes_in(p, QuoteStyle::Double, false);
  REQUIRE(quotes.size() == 1);
  CHECK(quotes[0].line == 7);
  CHECK(quotes[0].begin == 10);
  CHECK(quotes[0].end == 13);
  CHECK(quotes[0].closed);
  CHECK_FALSE(quotes[0].continues);
}

TEST_CASE("text: a stage direction in parentheses splits a quotation but the speaker's aside not") {
  CHECK(quoted("\"Truly, Mrs. Pettibone, (speaking more steadily,) I am pleased.\"") ==
        std::vector<std::string>{"Truly, Mrs. Pettibone,", "I am pleased."});
  CHECK(quoted("\"Well--(with a sigh)--go on.\"") ==
        std::vector<std::string>{"Well--", "--go on."});
  CHECK(quoted("\"You, (to Mirren), will never guess.\"") ==
        std::vector<std::string>{"You,", "will never guess."});
  CHECK(quoted("\"He was useful (as you know) and kind.\"") ==
        std::vector<std::string>{"He was useful (as you know) and kind."});
  CHECK(quoted("\"I heard it (being close to her all the time), I did.\"") ==
        std::vector<std::string>{"I heard it (being close to her all the time), I did."});
}

TEST_CASE("text: mixed straight and curly quotes") {
  CHECK(quoted("“Hello,\" she said. \"Bye.”") == std::vector<std::string>{"Hello,", "Bye."});
  CHECK(quoted("\"Hello,” she said, “bye.\"") == std::vector<std::string>{"Hello,", "bye."});
}

TEST_CASE("text: apostrophes inside double-quoted dialogue are not quotes") {
  CHECK(quoted("“I don’t know,” said the girls’ mother. “It’s the ’90s.”") ==
        std::vector<std::string>{"I don’t know,", "It’s the ’90s."});
}

TEST_CASE("text: nested single quotes stay inside double quotes") {
  CHECK(quoted("“She said ‘no’ to me,” he said.") ==
        std::vector<std::string>{"She said ‘no’ to me,"});
  CHECK(quoted("\"She said 'no' to me,\" he said.") ==
        std::vector<std::string>{"She said 'no' to me,"});
}

TEST_CASE("text: nested straight double quotes stay inside") {
  CHECK(quoted("\"Look, I've tried to sing \"Row the little red boat,\" but it all went "
               "wrong!\" Mirren answered.") ==
        std::vector<std::string>{
            "Look, I've tried to sing \"Row the little red boat,\" but it all went "
            "wrong!"});
}

// The quotations nested in the quotations of a story read from text, marks included.
std::vector<std::string> nested_in_story(std::string_view text) {
  std::vector<std::string> spans;
  for (const auto& p : text_paragraphs_of(story_from_text(text, "story.txt")))
    for (const auto& q : p.quotes)
      for (const auto& [begin, end] : q.nested) spans.push_back(p.text.substr(begin, end - begin));
  return spans;
}

TEST_CASE("text: a quotation records the quotations nested in it") {
  CHECK(nested_in_story("\"I told her 'no' at once. 'Find me a cook,' I told her.\"\n") ==
        std::vector<std::string>{"'no'", "'Find me a cook,'"});
  CHECK(nested_in_story("“You could say ‘poor Mrs. Pettibone.’ I will not,” he said.\n") ==
        std::vector<std::string>{"‘poor Mrs. Pettibone.’"});
  CHECK(nested_in_story("\"I've tried to sing \"Row the boat,\" but no!\" Mirren said.\n") ==
        std::vector<std::string>{"\"Row the boat,\""});
}

TEST_CASE("text: a '?' before a word, or a mark before italics, opens a nested quotation") {
  CHECK(nested_in_story("\"But I told her ?no' at once. Why?\"\n") ==
        std::vector<std::string>{"?no'"});
  CHECK(nested_in_story("\"Is it you?--?Who is that girl?' they said.\"\n") ==
        std::vector<std::string>{"?Who is that girl?'"});
  CHECK(nested_in_story("\"'_We saw it with our eyes_--' that's the witnesses.\"\n") ==
        std::vector<std::string>{"'_We saw it with our eyes_--'"});
  CHECK(nested_in_story("\"Why? Because ?twenty is more.\"\n").empty());
}

TEST_CASE("text: a closing single mark after a run of spaces closes a quotation opened there") {
  // The left single marks were lost to spaces: the run of spaces is where one stood.
  CHECK(nested_in_story("\"I thinks, at first,  This is a dream'; and dozed.\"\n") ==
        std::vector<std::string>{" This is a dream'"});
  // A line opening with a space, in hard-wrapped text, keeps it as a trace.
  CHECK(nested_in_story("Mr. Halloran told the tale of the theft to the vicar, slowly and with\n"
                        "great delight, and then he started over.\n\n"
                        "\"He ran up to the shop, out of breath, and tells him the tale.\n"
                        " I saw him, Pettibone,' said Crowe. And so they walked off together\n"
                        "to the inn, where they sat down.\"\n") ==
        std::vector<std::string>{" I saw him, Pettibone,'"});
  // An elision or a possessive closes nothing; dashes lost to spaces open nothing.
  CHECK(nested_in_story("\"Yo an' me,  sir   we're the boys' friends.\"\n").empty());
}

TEST_CASE("text: in a story whose quotations open with a space, runs of spaces split them") {
  // A story that lost its single marks to spaces throughout: " Aye,  said I,  a torn glove."
  std::string story;
  for (int i = 0; i < 10; ++i) story += "\" Aye,  said I,  a torn glove.\"\n\n";
  story += "\"Now,  cried he,  go.\"\n";
  const auto spans = nested_in_story(story);
  REQUIRE(spans.size() == 21);
  CHECK(spans[0] == " Aye,  ");
  CHECK(spans[1] == " a torn glove.\"");
  CHECK(spans[20] == " cried he,  ");
}

TEST_CASE("text: a nested quotation closed by a mark turned the wrong way after a dash") {
  CHECK(nested_in_story("“It says ‘_we saw it_--‘ that is the witness,” said the Judge.\n") ==
        std::vector<std::string>{"‘_we saw it_--‘"});
  CHECK(nested_in_story(
            "“In the end. “--_thought I would not_--“ you won’t, will you?” he said.\n") ==
        std::vector<std::string>{"“--_thought I would not_--“"});
}

TEST_CASE("text: apostrophes and elisions are not nested quotations") {
  CHECK(nested_in_story("\"'Tis a sad business. Don't the boys' dogs bark?\"\n").empty());
  CHECK(nested_in_story("“It’s the ’90s, and ’em lads’ shoes,” she said.\n").empty());
  CHECK(
      nested_in_story("\"Hurry up, little 'un; fetch the fishin' nets too,\" he said.\n").empty());
}

TEST_CASE("text: single quotes when a story uses them for dialogue") {
  CHECK(quoted("‘I don’t know,’ said the girls’ mother. ‘It’s the ’90s.’", QuoteStyle::Single) ==
        std::vector<std::string>{"I don’t know,", "It’s the ’90s."});
  CHECK(quoted("'Give 'em here,' he said. 'The boys' coats too.'", QuoteStyle::Single) ==
        std::vector<std::string>{"Give 'em here,", "The boys' coats too."});
  CHECK(quoted("‘She said “no” to me,’ he said.", QuoteStyle::Single) ==
        std::vector<std::string>{"She said “no” to me,"});
  CHECK(
      quoted("It was the girls’ idea, and they’d done it since ’95.", QuoteStyle::Single).empty());
}

TEST_CASE("text: detect_quote_style") {
  auto single = story_from_text(
      "‘Hello,’ she said.\n‘Hi,’ he said. ‘Don’t go.’\n‘I must,’ she said.\n"
      "He didn’t answer; the girls’ coats were gone.\n",
      "s.txt");
  CHECK(detect_quote_style(single) == QuoteStyle::Single);
  CHECK(quoted_in_story("‘Hello,’ she said.\n‘Hi,’ he said. ‘Don’t go.’\n‘I must,’ she said.\n") ==
        std::vector<std::string>{"Hello,", "Hi,", "Don’t go.", "I must,"});
  auto doubles = story_from_text(
      "“Hello,” she said. “Don’t.”\n“It’s ‘fine’,” he said.\n“Rock ’n’ roll.”\n"
      "He didn’t answer; the girls’ coats were gone. 'Tis so.\n",
      "s.txt");
  CHECK(detect_quote_style(doubles) == QuoteStyle::Double);
}

TEST_CASE("text: a quotation over several paragraphs") {
  auto story = story_from_text(
      "He began his story.\n\n"
      "\"It was long ago,\n"
      "when I was young.\n\n"
      "\"We lived by the sea,\n"
      "and we were poor.\n\n"
      "\"And then we left.\" He stopped,\n"
      "and looked at her.\n\n"
      "\"Go on,\" she said.\n",
      "s.txt");
  auto texts = text_paragraphs_of(story);
  REQUIRE(texts.size() == 5);
  REQUIRE(texts[1].quotes.size() == 1);
  REQUIRE(texts[2].quotes.size() == 1);
  REQUIRE(texts[3].quotes.size() == 1);
  REQUIRE(texts[4].quotes.size() == 1);
  CHECK_FALSE(texts[1].quotes[0].continues);
  CHECK_FALSE(texts[1].quotes[0].closed);
  CHECK(texts[2].quotes[0].continues);
  CHECK_FALSE(texts[2].quotes[0].closed);
  CHECK(texts[3].quotes[0].continues);
  CHECK(texts[3].quotes[0].closed);
  CHECK_FALSE(texts[4].quotes[0].continues);
  CHECK(texts[2].quotes[0].line == 6);
}

TEST_CASE("text: inset verse inside a quotation stays quoted up to the closing mark") {
  auto story = story_from_text(
      "\"I only have the opening lines by heart; the song\n"
      "goes on for pages, as you know, my dear.\n\n"
      "    Polly, the lamp is lit and low,\n"
      "      The kettle sings upon the hob,\n\n"
      "And there my memory stops--but the rest of it is very\n"
      "pretty all the way through.\" He sighed and looked\n"
      "at the fire.\n\n"
      "She said nothing at all, and he went\n"
      "on with his tea.\n",
      "s.txt");
  auto texts = text_paragraphs_of(story);
  REQUIRE(texts.size() == 4);
  REQUIRE(texts[1].quotes.size() == 1);
  CHECK(words_of(texts[1], texts[1].quotes[0]) == texts[1].text);
  CHECK(texts[1].quotes[0].continues);
  CHECK_FALSE(texts[1].quotes[0].closed);
  CHECK(texts[1].quotes[0].line == 4);
  REQUIRE(texts[2].quotes.size() == 1);
  CHECK(words_of(texts[2], texts[2].quotes[0]) ==
        "And there my memory stops--but the rest of it is very pretty all the way through.");
  CHECK(texts[2].quotes[0].continues);
  CHECK(texts[2].quotes[0].closed);
  CHECK(texts[3].quotes.empty());
}

TEST_CASE("text: an unclosed quote is not carried over a paragraph that opens a new one") {
  auto story = story_from_text(
      "\"Wait, she said.\nHe left the room.\nHe came back. \"Hello,\" he said.\n", "s.txt");
  auto texts = text_paragraphs_of(story);
  CHECK(texts[1].quotes.empty());
  REQUIRE(texts[2].quotes.size() == 1);
  CHECK_FALSE(texts[2].quotes[0].continues);
}

TEST_CASE("text: quotes_in marks a continuation only when the previous paragraph was open") {
  auto p = paragraph_of("“And then we left.”");
  CHECK(quotes_in(p, QuoteStyle::Double, true)[0].continues);
  CHECK_FALSE(quotes_in(p, QuoteStyle::Double, false)[0].continues);
}

TEST_CASE("text: a stray unclosed quote ends at its paragraph") {
  CHECK(quoted_in_story("\"Wait, she said.\nHe left the room.\n\"Come back!\" she cried.\n") ==
        std::vector<std::string>{"Wait, she said.", "Come back!"});
  auto story = story_from_text("“Wait, she said.\nHe left. “Come back!” she cried.\n", "s.txt");
  auto texts = text_paragraphs_of(story);
  CHECK_FALSE(texts[0].quotes[0].closed);
  REQUIRE(texts[1].quotes.size() == 1);
  CHECK(words_of(texts[1], texts[1].quotes[0]) == "Come back!");
  CHECK_FALSE(texts[1].quotes[0].continues);
}

TEST_CASE("text: a stray closing mark does not open a quotation") {
  CHECK(quoted("She waved.” Then “Bye,” she said.") == std::vector<std::string>{"Bye,"});
}

TEST_CASE("text: a curly mark turned the wrong way after a dash reads by its place") {
  // Autocorrect curls a mark typed after a dash as an opening one: "I--“ he began".
  CHECK(quoted("“I only thought--“ he began, but stopped. “No matter.”") ==
        std::vector<std::string>{"I only thought--", "No matter."});
  CHECK(quoted("“My dear—“ She said no more.") == std::vector<std::string>{"My dear—"});
  // ... or a mark after a dash as a closing one: "--”And so".
  CHECK(quoted("He paused.--”And so it ended,” he said.") ==
        std::vector<std::string>{"And so it ended,"});
  CHECK(quoted("‘I only thought--‘ he began. ‘No matter.’", QuoteStyle::Single) ==
        std::vector<std::string>{"I only thought--", "No matter."});
}

}  // namespace troupe
