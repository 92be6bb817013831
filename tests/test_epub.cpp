// EPUB books through the real `troupe` binary: the sample stories as EPUB 3 give the same
// quotations as their text files, EPUB 2 and 3 books render with their chapters and titles,
// front matter is skipped, and every kind of bad or hostile archive is one line, exit code 2,
// nothing written.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "epub_builder.h"
#include "fuzz/fuzz_epub_checks.h"
#include "run_troupe.h"
#include "source_tests.h"

namespace {

using namespace troupe_test::source_tests;
namespace fs = std::filesystem;
using troupe_test::EpubBook;
using troupe_test::Run;
using RunTroupe = decltype(&troupe_test::troupe);
constexpr RunTroupe troupe_cli = &troupe_test::troupe;
using troupe_test::xhtml;

int count_kind(const std::vector<Json>& records, const std::string& kind) {
  return static_cast<int>(std::count_if(records.begin(), records.end(),
                                        [&](const Json& r) { return r["kind"] == kind; }));
}

std::string chapter_text(int number) {
  return "<p>\"Chapter " + std::to_string(number) +
         " begins,\" said Mark.</p>\n"
         "<p>Ann looked up. \"It does,\" she said.</p>";
}

// `troupe render BOOK -o OUT` fails with exit code 2, one line naming the book and `entry`,
// and writes nothing.
void expect_rejected(const Scratch& scratch, const std::string& book, const std::string& entry,
                     const std::string& words) {
  const std::string out = scratch.file("out");
  const Run run = troupe_cli(scratch, {"render", book, "-o", out, "-q"});
  INFO("stderr: " << run.err);
  CHECK(run.code == 2);
  CHECK(std::count(run.err.begin(), run.err.end(), '\n') == 1);
  CHECK(run.err.rfind("troupe: " + book + ": " + entry, 0) == 0);
  CHECK(run.err.find(words) != std::string::npos);
  CHECK(run.out.empty());
  CHECK((!fs::exists(out) || fs::is_empty(out)));
}

EpubBook three_chapters(int version = 3) {
  return troupe_test::book_with_chapters({{"Chapter One", chapter_text(1)},
                                          {"Chapter Two", chapter_text(2)},
                                          {"Chapter Three", chapter_text(3)}},
                                         version);
}

}  // namespace

TEST_CASE("epub: each sample story as an EPUB 3 gives the quotations of its text file") {
  for (const char* name :
       {"000_6874ef4b4f612f50", "001_3cd6856fb4b86c2d", "002_a9073757c4daf437"}) {
    CAPTURE(name);
    const Scratch scratch("troupe-epub");
    const std::string txt = kSourceDir + "/stories/" + name + ".txt";
    const std::string cast = kSourceDir + "/stories/" + name + ".cast.toml";
    EpubBook book = troupe_test::book_with_chapters({});
    book.documents.push_back({"story.xhtml",
                              xhtml(name, troupe_test::paragraphs_of(troupe_test::read_text(txt))),
                              "The Story"});
    const std::string epub = scratch.file("story.epub");
    book.write(epub);
    const auto from_text = quotation_records(script_records(scratch, {txt, "--cast", cast}));
    const auto records = script_records(scratch, {epub, "--cast", cast});
    CHECK(!from_text.empty());
    CHECK(quotation_records(records) == from_text);
    CHECK(records_of_kind(records, "title") == std::vector<std::string>{"The Story"});
    CHECK(count_kind(records, "skipped") >= 3);  // the cover page and the copyright page
    for (const Json& r : records) CHECK(r.contains("source"));
  }
}

TEST_CASE("epub: line is the paragraph's index in its document, source the document") {
  const Scratch scratch("troupe-epub");
  const std::string epub = scratch.file("book.epub");
  three_chapters().write(epub);
  const auto records = script_records(scratch, {epub});
  const auto quote = std::find_if(records.begin(), records.end(),
                                  [](const Json& r) { return r["text"] == "It does,"; });
  REQUIRE(quote != records.end());
  CHECK((*quote)["source"] == "OEBPS/chapter1.xhtml");
  CHECK((*quote)["line"] == 3);  // the heading is block 1
  CHECK((*quote)["speaker"] == "Ann");
}

TEST_CASE("epub: an EPUB 2 book (NCX, guide, no nav) renders its chapters with their titles") {
  const Scratch scratch("troupe-epub");
  const std::string epub = scratch.file("book.epub");
  three_chapters(2).write(epub);
  const auto records = script_records(scratch, {epub});
  CHECK(records_of_kind(records, "title") ==
        std::vector<std::string>{"Chapter One", "Chapter Two", "Chapter Three"});
  CHECK(count_kind(records, "skipped") >= 3);
  const Run run =
      troupe_cli(scratch, {"render", epub, "-o", scratch.file("out"), "-q", "--loudness", "off"});
  INFO("stderr: " << run.err);
  REQUIRE(run.code == 0);
  const fs::path folder = scratch.path() / "out" / "a-test-book";
  for (const char* file : {"01-chapter-one.wav", "02-chapter-two.wav", "03-chapter-three.wav"})
    CHECK(fs::exists(folder / file));
  const Json manifest = Json::parse(troupe_test::read_text(folder / "manifest.json"));
  CHECK(manifest["chapters"].size() == 3);
  CHECK(manifest["author"] == "Ann Writer");
  CHECK(manifest["language"] == "en");
  CHECK(manifest["cover"] == "cover.png");
  CHECK(fs::exists(folder / "cover.png"));
}

TEST_CASE("epub: troupe starts without libzip, libxml2 and cmark, and loads them to read") {
  // libzip brought libcrypto and libbz2 into every process: ~4 ms of CPU before main(), and
  // libxml2 and cmark ~2.5 ms more.
  const Scratch scratch("troupe-epub");
  const std::string libraries = troupe_test::troupe_libraries(scratch);
  CHECK(libraries.find("libsndfile") != std::string::npos);  // the listing is one
  for (const char* library : {"libzip", "libcrypto", "libxml2", "libcmark"}) {
    INFO(library);
    CHECK(libraries.find(library) == std::string::npos);
  }
  const std::string epub = scratch.file("book.epub");
  three_chapters(3).write(epub);
  CHECK(records_of_kind(script_records(scratch, {epub}), "title") ==
        std::vector<std::string>{"Chapter One", "Chapter Two", "Chapter Three"});
  const std::string markdown = scratch.file("story.md");
  troupe_test::write_text(markdown, "# The Pier\n\n\"Wait,\" said Ona.\n");
  CHECK(records_of_kind(script_records(scratch, {markdown}), "title") ==
        std::vector<std::string>{"The Pier"});
}

// A copy of the troupe binary, in `where`, that opens the library whose soname starts with
// `soname` ("libcmark.so.") by a name of the same length that no library has: as if that
// library were not installed.
std::string troupe_without(const Scratch& where, const std::string& soname) {
  std::string binary = troupe_test::read_text(TROUPE_BINARY);
  int renamed = 0;
  for (auto at = binary.find(soname); at != std::string::npos;
       at = binary.find(soname, at), ++renamed)
    binary[at + 3] = 'X';  // libcmark.so.0.30.2 -> libXmark.so.0.30.2
  REQUIRE(renamed == 1);
  const std::string copy = where.write("troupe", binary);
  fs::permissions(copy, fs::perms::owner_exec, fs::perm_options::add);
  return copy;
}

TEST_CASE("epub: a library troupe cannot load is one line on stderr and exit code 1") {
  const Scratch scratch("troupe-epub");
  const std::string troupe = troupe_without(scratch, "libcmark.so.");
  scratch.write("x.md", "# The Pier\n\n\"Wait,\" said Ona.\n");
  const Run run = troupe_test::run_binary(scratch, troupe, {"script", "x.md"});
  CHECK(run.code == 1);
  CHECK(run.out.empty());
  const auto lines = troupe_test::lines_of(run.err);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].rfind("troupe: cannot read Markdown: libXmark.so.", 0) == 0);
}

TEST_CASE("epub: --read-along without libzip or libxml2 fails at once, before any audio") {
  const Scratch scratch("troupe-epub");
  scratch.write("story.txt", "\"Wait,\" said Ona. \"The ferry is late.\"\n");
  for (const char* soname : {"libzip.so.", "libxml2.so."}) {
    INFO(soname);
    const Scratch copy("troupe-epub");
    const Run run = troupe_test::run_binary(
        scratch, troupe_without(copy, soname),
        {"render", "story.txt", "-o", "out", "-q", "--loudness", "off", "--read-along", "words"});
    CHECK(run.code == 1);
    const auto lines = troupe_test::lines_of(run.err);
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].rfind("troupe: cannot read or write ", 0) == 0);
    CHECK(!fs::exists(scratch.path() / "out"));  // nothing rendered
  }
}

TEST_CASE("epub: a twelve-chapter EPUB 3 renders twelve chapters, front matter skipped") {
  const Scratch scratch("troupe-epub");
  std::vector<std::pair<std::string, std::string>> chapters;
  for (int i = 1; i <= 12; ++i)
    chapters.push_back({"Part " + std::to_string(i) + ": Away", chapter_text(i)});
  EpubBook book = troupe_test::book_with_chapters(chapters);
  book.series = "The Long Road";
  book.series_index = "2";
  // A dedication and an "about the author" page, which say what they are only by content or type.
  book.documents.insert(
      book.documents.begin() + 2,
      {"dedication.xhtml", xhtml("For", "<p>For my mother.</p>", "dedication"), ""});
  book.documents.push_back(
      {"about.xhtml", xhtml("About", "<h2>About the Author</h2><p>Ann lives by the sea.</p>"), ""});
  const std::string epub = scratch.file("book.epub");
  book.write(epub);
  const auto records = script_records(scratch, {epub});
  const auto found = records_of_kind(records, "title");
  REQUIRE(found.size() == 12);
  CHECK(found.front() == "Part 1: Away");
  CHECK(found.back() == "Part 12: Away");
  for (const Json& r : records) {
    if (r["text"] == "For my mother." || r["text"] == "Ann lives by the sea.")
      CHECK(r["kind"] == "skipped");
  }
  const Run run = troupe_cli(scratch, {"render", epub, "-o", scratch.file("out"), "-q",
                                       "--loudness", "off", "--chapters", "12"});
  INFO("stderr: " << run.err);
  REQUIRE(run.code == 0);
  const Json manifest =
      Json::parse(troupe_test::read_text(scratch.path() / "out" / "a-test-book" / "manifest.json"));
  CHECK(manifest["chapters"][0]["file"] == "12-part-12-away.wav");
  CHECK(manifest["series"] == "The Long Road");
  CHECK(manifest["series_index"] == "2");
}

TEST_CASE("epub: inside a chapter, breaks, italics, notes, pictures and ruby") {
  const Scratch scratch("troupe-epub");
  const std::string body =
      "<h2>Chapter 1</h2>\n"
      "<p>First line<br/>still the first paragraph.<br/><br/>A second paragraph.</p>\n"
      "<hr/>\n"
      "<p>She <em>knew</em> it.<a epub:type=\"noteref\" href=\"#n1\">1</a> "
      "<i>Un</i>believable.</p>\n"
      "<p class=\"orn\">❦</p>\n"
      "<p><img src=\"x.png\" alt=\"A picture of a dog\"/>Words &amp; more&nbsp;words &mdash; "
      "<ruby>漢<rp>(</rp><rt>kan</rt><rp>)</rp></ruby>字.</p>\n"
      "<aside epub:type=\"footnote\" id=\"n1\"><p>A footnote body.</p></aside>";
  EpubBook book = troupe_test::book_with_chapters({{"Chapter 1", ""}});
  book.documents.back().content = xhtml("c", body);
  const std::string epub = scratch.file("book.epub");
  book.write(epub);
  std::vector<std::string> texts;
  std::vector<std::string> pauses;
  for (const Json& r : script_records(scratch, {epub})) {
    if (r["kind"] == "narration") texts.push_back(r["text"]);
    if (r["kind"] == "pause") pauses.push_back(r["text"]);
  }
  CHECK(texts == std::vector<std::string>{"First line still the first paragraph.",
                                          "A second paragraph.", "She _knew_ it. Unbelievable.",
                                          "Words & more\u00A0words \u2014 漢字."});
  CHECK(pauses.size() == 2);
}

TEST_CASE("epub: chapter titles from the first heading without a table of contents") {
  const Scratch scratch("troupe-epub");
  EpubBook book = three_chapters();
  for (auto& d : book.documents) d.toc_title.clear();
  // A chapter split over two files: the second has no heading and continues the first.
  book.documents.insert(book.documents.begin() + 3,
                        {"chapter1b.xhtml", xhtml("c", "<p>\"More,\" said Mark.</p>"), ""});
  const std::string epub = scratch.file("book.epub");
  book.write(epub);
  const auto records = script_records(scratch, {epub});
  CHECK(records_of_kind(records, "title") ==
        std::vector<std::string>{"Chapter One", "Chapter Two", "Chapter Three"});
}

TEST_CASE("epub: font obfuscation is not encryption, the book is read") {
  const Scratch scratch("troupe-epub");
  EpubBook book = three_chapters();
  book.extra.push_back({"META-INF/encryption.xml",
                        "<encryption xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\" "
                        "xmlns:enc=\"http://www.w3.org/2001/04/xmlenc#\"><enc:EncryptedData>"
                        "<enc:EncryptionMethod Algorithm=\"http://www.idpf.org/2008/embedding\"/>"
                        "<enc:CipherData><enc:CipherReference URI=\"OEBPS/chapter1.xhtml\"/>"
                        "</enc:CipherData></enc:EncryptedData></encryption>"});
  const std::string epub = scratch.file("book.epub");
  book.write(epub);
  CHECK(records_of_kind(script_records(scratch, {epub}), "title").size() == 3);
}

TEST_CASE("epub: external entities are never loaded") {
  const Scratch scratch("troupe-epub");
  const std::string secret = scratch.write("secret.txt", "TOPSECRETWORDS");
  EpubBook book = three_chapters();
  book.documents.back().content =
      "<?xml version=\"1.0\"?>\n<!DOCTYPE html [<!ENTITY s SYSTEM \"file://" + secret +
      "\">]>\n<html xmlns=\"http://www.w3.org/1999/xhtml\"><body><h1>Chapter Three</h1>"
      "<p>Here: &s; end.</p></body></html>";
  const std::string epub = scratch.file("book.epub");
  book.write(epub);
  const Run run = troupe_cli(scratch, {"script", epub});
  CHECK(run.code == 0);
  CHECK(run.out.find("TOPSECRET") == std::string::npos);
}

// ---- bad input ----

TEST_CASE("epub bad input: a file named .epub that is not one") {
  const Scratch scratch("troupe-epub");
  const std::string book = scratch.write("book.epub", "\"Hello,\" said Mark.\n");
  expect_rejected(scratch, book, "not an EPUB", "ZIP");
}

TEST_CASE("epub bad input: a damaged ZIP archive") {
  const Scratch scratch("troupe-epub");
  const std::string book = scratch.file("book.epub");
  three_chapters().write(book);
  std::string bytes = troupe_test::read_text(book);
  SUBCASE("cut short") { bytes.resize(bytes.size() / 2); }
  SUBCASE("a content document's bytes garbled") {
    const auto at = bytes.find("OEBPS/chapter2.xhtml");  // its local header
    REQUIRE(at != std::string::npos);
    for (std::size_t i = at + 40; i < at + 60; ++i) bytes[i] = static_cast<char>(bytes[i] ^ 0x5A);
  }
  scratch.write("book.epub", bytes);
  const std::string out = scratch.file("out");
  const Run run = troupe_cli(scratch, {"render", book, "-o", out, "-q"});
  INFO("stderr: " << run.err);
  CHECK(run.code == 2);
  CHECK(std::count(run.err.begin(), run.err.end(), '\n') == 1);
  CHECK(run.err.rfind("troupe: " + book + ": ", 0) == 0);
  CHECK(run.err.find("damaged") != std::string::npos);
  CHECK((!fs::exists(out) || fs::is_empty(out)));
}

TEST_CASE("epub bad input: no container, no package document") {
  const Scratch scratch("troupe-epub");
  const std::string book = scratch.file("book.epub");
  auto entries = three_chapters().entries();
  SUBCASE("no META-INF/container.xml") {
    std::erase_if(entries, [](const auto& e) { return e.name == "META-INF/container.xml"; });
    troupe_test::write_zip(book, entries);
    expect_rejected(scratch, book, "META-INF/container.xml", "not an EPUB");
  }
  SUBCASE("the package document it names is missing") {
    std::erase_if(entries, [](const auto& e) { return e.name == "OEBPS/content.opf"; });
    troupe_test::write_zip(book, entries);
    expect_rejected(scratch, book, "OEBPS/content.opf", "missing");
  }
  SUBCASE("the package document is not XML") {
    for (auto& e : entries)
      if (e.name == "OEBPS/content.opf") e.bytes = "<package><metadata>";
    troupe_test::write_zip(book, entries);
    expect_rejected(scratch, book, "OEBPS/content.opf", "not well-formed XML");
  }
}

TEST_CASE("epub bad input: an empty spine") {
  const Scratch scratch("troupe-epub");
  EpubBook book;
  const std::string path = scratch.file("book.epub");
  book.write(path);
  expect_rejected(scratch, path, "OEBPS/content.opf", "spine is empty");
}

TEST_CASE("epub bad input: encrypted content documents") {
  const Scratch scratch("troupe-epub");
  EpubBook book = three_chapters();
  book.extra.push_back(
      {"META-INF/encryption.xml",
       "<encryption xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\" "
       "xmlns:enc=\"http://www.w3.org/2001/04/xmlenc#\"><enc:EncryptedData>"
       "<enc:EncryptionMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#aes128-cbc\"/>"
       "<enc:CipherData><enc:CipherReference URI=\"OEBPS/chapter2.xhtml\"/>"
       "</enc:CipherData></enc:EncryptedData></encryption>"});
  const std::string path = scratch.file("book.epub");
  book.write(path);
  expect_rejected(scratch, path, "OEBPS/chapter2.xhtml", "encrypted");
}

// A ZIP bomb: an entry that declares it unpacks to 3 GB (both headers patched, as a real bomb
// would say), and an archive of more entries than allowed.
TEST_CASE("epub bad input: a ZIP bomb is refused") {
  const Scratch scratch("troupe-epub");
  const std::string path = scratch.file("book.epub");
  SUBCASE("an entry too large") {
    three_chapters().write(path);
    std::string bytes = troupe_test::read_text(path);
    const std::string name = "OEBPS/chapter3.xhtml";
    const char big[4] = {'\x00', '\x00', '\x00', '\xC0'};  // 0xC0000000 little-endian
    for (std::size_t at = bytes.find(name); at != std::string::npos;
         at = bytes.find(name, at + 1)) {
      if (bytes.compare(at - 30, 4, "PK\x03\x04") == 0) bytes.replace(at - 30 + 22, 4, big, 4);
      if (bytes.compare(at - 46, 4, "PK\x01\x02") == 0) bytes.replace(at - 46 + 24, 4, big, 4);
    }
    scratch.write("book.epub", bytes);
    expect_rejected(scratch, path, "OEBPS/chapter3.xhtml", "ZIP bomb");
  }
  SUBCASE("too many entries") {
    EpubBook book = three_chapters();
    // Stored, not deflated: zlib's state for each of 10,001 entries took 10.7 CPU-s to write
    // under the sanitizers (0.5 stored); troupe refuses the count either way.
    for (int i = 0; i < 10'001; ++i)
      book.extra.push_back({"OEBPS/f/" + std::to_string(i), "", /*stored=*/true});
    book.write(path);
    expect_rejected(scratch, path, "refused", "ZIP bomb");
  }
}

TEST_CASE("epub bad input: names inside the archive are never paths on disk") {
  const Scratch scratch("troupe-epub");
  EpubBook book = three_chapters();
  book.documents.back().name = "../../../escaped.xhtml";  // leaves the archive: not read
  book.extra.push_back({"../../outside.txt", "x"});
  const std::string path = scratch.file("sub/book.epub");
  fs::create_directories(scratch.path() / "sub");
  book.write(path);
  const Run run = troupe_cli(
      scratch, {"render", path, "-o", scratch.file("sub/out"), "-q", "--loudness", "off"});
  INFO("stderr: " << run.err);
  CHECK(run.code == 0);
  CHECK_FALSE(fs::exists(scratch.path() / "outside.txt"));
  CHECK_FALSE(fs::exists(scratch.path().parent_path() / "escaped.xhtml"));
  CHECK(fs::exists(scratch.path() / "sub" / "out" / "a-test-book" / "02-chapter-two.wav"));
}

// Every EPUB fuzz corpus file and crash reproducer runs through the fuzz target's code.
TEST_CASE("epub: the fuzz corpus and crash inputs read and attribute") {
  int count = 0;
  for (const char* kind : {"corpus", "regressions"}) {
    const fs::path dir = fs::path(kSourceDir) / "tests" / "fuzz" / kind / "epub";
    if (!fs::is_directory(dir)) continue;
    for (const auto& entry : fs::directory_iterator(dir)) {
      CAPTURE(entry.path().string());
      CHECK_NOTHROW(troupe::fuzz::run_epub_input(troupe_test::read_text(entry.path())));
      ++count;
    }
  }
  CHECK(count > 0);
}

TEST_CASE("epub: a document the table of contents points into twice is two chapters") {
  const Scratch scratch("troupe-epub");
  EpubBook book = troupe_test::book_with_chapters({{"Stories", ""}});
  book.documents.back().content =
      xhtml("Stories",
            "<p id=\"pg-header\" class=\"pg-boilerplate\">The Project Gutenberg eBook</p>\n"
            "<h2 id=\"one\">The First Tale</h2><p>\"One,\" said Mark.</p>\n"
            "<h2 id=\"two\">The Second Tale</h2><p>\"Two,\" said Ann.</p>");
  book.documents.push_back({"notes.xhtml", xhtml("Notes", "<p>A note nobody reads.</p>"), ""});
  book.documents.back().linear = false;
  auto entries = book.entries();
  for (auto& e : entries)
    if (e.name == "OEBPS/nav.xhtml")
      e.bytes = xhtml("Contents",
                      "<nav epub:type=\"toc\"><ol><li><a href=\"chapter1.xhtml#one\">The First "
                      "Tale</a></li><li><a href=\"chapter1.xhtml#two\">The Second Tale</a></li>"
                      "</ol></nav>");
  const std::string epub = scratch.file("book.epub");
  troupe_test::write_zip(epub, entries);
  const auto records = script_records(scratch, {epub});
  CHECK(records_of_kind(records, "title") ==
        std::vector<std::string>{"The First Tale", "The Second Tale"});
  for (const Json& r : records)
    if (r["text"] == "The Project Gutenberg eBook" || r["text"] == "A note nobody reads.")
      CHECK(r["kind"] == "skipped");
  CHECK(quotation_records(records) ==
        std::vector<std::pair<std::string, std::string>>{{"Mark", "One,"}, {"Ann", "Two,"}});
}

TEST_CASE("epub: Calibre's series and EPUB 2's cover meta reach the manifest") {
  const Scratch scratch("troupe-epub");
  EpubBook book = three_chapters(2);
  book.series = "Old Roads";
  book.series_index = "3";
  const std::string epub = scratch.file("book.epub");
  book.write(epub);
  const Run run = troupe_cli(scratch, {"render", epub, "-o", scratch.file("out"), "-q",
                                       "--loudness", "off", "--chapters", "1"});
  INFO("stderr: " << run.err);
  REQUIRE(run.code == 0);
  const fs::path folder = scratch.path() / "out" / "a-test-book";
  const Json manifest = Json::parse(troupe_test::read_text(folder / "manifest.json"));
  CHECK(manifest["series"] == "Old Roads");
  CHECK(manifest["series_index"] == "3");
  CHECK(manifest["cover"] == "cover.png");
}
