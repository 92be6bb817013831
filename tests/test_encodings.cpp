// Story files in other encodings: byte-order marks, UTF-16 and UTF-32, --encoding, and the
// message for text that is not UTF-8 naming the encoding it looks like.
#include <doctest/doctest.h>
#include <unicode/ucnv.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/errors.h"
#include "epub_builder.h"
#include "run_troupe.h"
#include "scratch_dir.h"
#include "sources/source.h"
#include "text/encoding.h"
#include "text/reader.h"

namespace troupe {
namespace {

using troupe_test::ScratchDir;

// UTF-8 text in another encoding, by ICU (the test's own converter, not troupe's code).
std::string encoded(const std::string& utf8, const char* encoding) {
  UErrorCode status = U_ZERO_ERROR;
  std::string out(utf8.size() * 4 + 16, '\0');
  const int32_t length =
      ucnv_convert(encoding, "UTF-8", out.data(), static_cast<int32_t>(out.size()), utf8.data(),
                   static_cast<int32_t>(utf8.size()), &status);
  REQUIRE(U_SUCCESS(status));
  out.resize(static_cast<std::size_t>(length));
  return out;
}

std::string error_of(const std::string& bytes, const std::string& encoding = "") {
  try {
    decode_text(bytes, "tale.txt", encoding);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

const std::string kTale = "“Café?” she asked.\nHe nodded. “Crème brûlée too.”\n";

TEST_CASE("encodings: UTF-8 with or without a byte-order mark") {
  CHECK(decode_text(kTale, "tale.txt") == kTale);
  CHECK(decode_text("\xEF\xBB\xBF" + kTale, "tale.txt") == kTale);
  CHECK(decode_text("", "tale.txt").empty());
}

TEST_CASE("encodings: UTF-16 and UTF-32 with a byte-order mark") {
  CHECK(decode_text("\xFF\xFE" + encoded(kTale, "UTF-16LE"), "tale.txt") == kTale);
  CHECK(decode_text("\xFE\xFF" + encoded(kTale, "UTF-16BE"), "tale.txt") == kTale);
  CHECK(decode_text(std::string("\xFF\xFE\0\0", 4) + encoded(kTale, "UTF-32LE"), "tale.txt") ==
        kTale);
  // Characters beyond the Basic Multilingual Plane (surrogate pairs).
  const std::string emoji = "“Yes 💜,” she said.\n";
  CHECK(decode_text("\xFF\xFE" + encoded(emoji, "UTF-16LE"), "tale.txt") == emoji);
  // The mark names the encoding, whatever --encoding says.
  CHECK(decode_text("\xFF\xFE" + encoded(kTale, "UTF-16LE"), "tale.txt", "cp1252") == kTale);
}

TEST_CASE("encodings: broken UTF-16 names its line") {
  // An unpaired high surrogate (D800) on the second line.
  const std::string bytes = "\xFF\xFE" + encoded("One.\nTwo ", "UTF-16LE") +
                            std::string("\x00\xD8", 2) + encoded("x.\n", "UTF-16LE");
  const auto message = error_of(bytes);
  CHECK(message.find("tale.txt:2:") == 0);
  CHECK(contains(message, "UTF-16LE"));
}

TEST_CASE("encodings: not UTF-8 is bad input naming the line and the encoding it looks like") {
  // Windows' Western encoding: curly quotes are bytes 0x93 and 0x94.
  const std::string cp1252 = encoded(kTale, "windows-1252");
  auto message = error_of(cp1252);
  CHECK(message.find("tale.txt:1: invalid UTF-8 at byte 1 of the line") == 0);
  CHECK(contains(message, "--encoding cp1252"));
  // Latin-1 has no curly quotes: é on the third line.
  message = error_of("Fine.\nAlso fine.\nCaf\xE9 au lait.\n");
  CHECK(message.find("tale.txt:3: invalid UTF-8 at byte 4 of the line") == 0);
  CHECK(contains(message, "--encoding latin1"));
  // Russian in Windows' Cyrillic encoding, long enough for the detector.
  const std::string russian =
      "Привет, как дела? Сказала она тихо. Он ответил, что всё хорошо, и они пошли домой "
      "вместе по длинной улице, где горели фонари.\n";
  CHECK(contains(error_of(encoded(russian, "windows-1251")), "--encoding windows-1251"));
  // The message is one line.
  CHECK_FALSE(contains(message, "\n"));
}

TEST_CASE("encodings: UTF-16 without a byte-order mark is named, not called binary") {
  const auto message = error_of(encoded(kTale, "UTF-16LE"));
  CHECK(message.find("tale.txt:") == 0);
  CHECK(contains(message, "--encoding UTF-16LE"));
  CHECK(contains(error_of(encoded(kTale, "UTF-16BE")), "--encoding UTF-16BE"));
  // A binary file is still a binary file (the line reader names its line).
  CHECK(decode_text(std::string("PK\x03\x04\n\x00\x01\x02", 8), "x.zip").size() == 8);
}

TEST_CASE("encodings: --encoding converts, and an unknown name is bad input") {
  CHECK(decode_text(encoded(kTale, "windows-1252"), "tale.txt", "cp1252") == kTale);
  CHECK(decode_text("Caf\xE9\n", "tale.txt", "latin1") == "Café\n");
  CHECK(decode_text(encoded(kTale, "UTF-16LE"), "tale.txt", "utf-16le") == kTale);
  CHECK(decode_text(kTale, "tale.txt", "utf8") == kTale);
  const auto message = error_of(kTale, "no-such-encoding");
  CHECK(message.find("tale.txt: unknown encoding 'no-such-encoding'") == 0);
  // Bytes the encoding does not define: a lead byte of Shift_JIS without its second byte.
  CHECK(error_of("One.\nTwo \x81\n", "shift_jis").find("tale.txt:2:") == 0);
}

TEST_CASE("encodings: guess_encoding") {
  CHECK(guess_encoding(encoded(kTale, "windows-1252")) == "cp1252");
  CHECK(guess_encoding("Caf\xE9 au lait, na\xEFve.\n") == "latin1");
  CHECK(guess_encoding(encoded(kTale, "UTF-16LE")) == "UTF-16LE");
}

// ---------------------------------------------------------------------------------------------
// Reading files: the library and the real binary.

TEST_CASE("encodings: read_story reads UTF-16 files and folders, and --encoding") {
  ScratchDir scratch;
  troupe_test::write_text(scratch.path() / "utf16.txt", "\xFF\xFE" + encoded(kTale, "UTF-16LE"));
  CHECK(read_story(scratch.file("utf16.txt")).chapters.at(0).paragraphs.at(0).text ==
        "“Café?” she asked.");
  troupe_test::write_text(scratch.path() / "book" / "1.txt", encoded(kTale, "windows-1252"));
  CHECK_THROWS_AS(read_source(scratch.file("book")), InputError);
  ReadOptions options;
  options.encoding = "cp1252";
  CHECK(read_source(scratch.file("book"), options).chapters.at(0).paragraphs.at(1).text ==
        "He nodded. “Crème brûlée too.”");
}

// Every record of `troupe script --format jsonl`.
std::vector<std::string> script_records(const ScratchDir& scratch, std::vector<std::string> args) {
  args.insert(args.begin(), "script");
  args.insert(args.end(), {"--format", "jsonl"});
  const auto run = troupe_test::troupe(scratch, args);
  REQUIRE_MESSAGE(run.code == 0, run.err);
  std::vector<std::string> records;
  for (const auto& line : troupe_test::lines_of(run.out)) {
    auto record = nlohmann::json::parse(line);
    record.erase("source");
    records.push_back(record.dump());
  }
  return records;
}

TEST_CASE("e2e: a UTF-16 sample story gives the records of its UTF-8 version") {
  ScratchDir scratch;
  for (const char* sample :
       {"000_6874ef4b4f612f50", "001_3cd6856fb4b86c2d", "002_a9073757c4daf437"}) {
    CAPTURE(sample);
    const std::string path = std::string(TROUPE_SOURCE_DIR) + "/stories/" + sample;
    const std::string text = troupe_test::read_text(path + ".txt");
    const std::string cast = troupe_test::read_text(path + ".cast.toml");
    // The same file name in three folders: titles come from file names.
    const std::pair<const char*, std::string> versions[] = {
        {"utf8", text},
        {"le", "\xFF\xFE" + encoded(text, "UTF-16LE")},
        {"be", "\xFE\xFF" + encoded(text, "UTF-16BE")}};
    for (const auto& [folder, bytes] : versions) {
      troupe_test::write_text(scratch.path() / folder / "story.txt", bytes);
      troupe_test::write_text(scratch.path() / folder / "story.cast.toml", cast);
    }
    const auto expected = script_records(scratch, {"utf8/story.txt"});
    REQUIRE(!expected.empty());
    CHECK(script_records(scratch, {"le/story.txt"}) == expected);
    CHECK(script_records(scratch, {"be/story.txt"}) == expected);
  }
}

TEST_CASE("e2e: a cp1252 story is bad input, and --encoding cp1252 reads it") {
  ScratchDir scratch;
  const std::string story =
      "“Café?” she asked.\n“No,” said Tom. “Crème brûlée.”\n“Fine,” she said.\n";
  troupe_test::write_text(scratch.path() / "utf8" / "story.txt", story);
  troupe_test::write_text(scratch.path() / "cp1252" / "story.txt", encoded(story, "windows-1252"));
  const auto run = troupe_test::troupe(scratch, {"script", "cp1252/story.txt"});
  CHECK(run.code == 2);
  CHECK(run.err.find("cp1252/story.txt:1: invalid UTF-8") != std::string::npos);
  CHECK(run.err.find("--encoding cp1252") != std::string::npos);
  CHECK(troupe_test::lines_of(run.err).size() == 1);
  CHECK(script_records(scratch, {"cp1252/story.txt", "--encoding", "cp1252"}) ==
        script_records(scratch, {"utf8/story.txt"}));
  const auto unknown =
      troupe_test::troupe(scratch, {"script", "utf8/story.txt", "--encoding", "nope"});
  CHECK(unknown.code == 2);
}

// ---------------------------------------------------------------------------------------------
// Web pages: decode_text with the page's declared charset as a hint, --encoding over it.

const std::string kPageStory =
    "<p>“Café?” she asked.</p>\n<p>“No,” said Tom. “Crème brûlée.”</p>\n"
    "<p>“Fine,” she said.</p>\n";

std::string page(const std::string& head) {
  return "<!DOCTYPE html>\n<html><head>" + head + "<title>Dessert</title></head>\n<body>\n" +
         kPageStory + "</body></html>\n";
}

TEST_CASE("encodings: an HTML page in cp1252, declared or not, reads as its UTF-8 version") {
  ScratchDir scratch;
  troupe_test::write_text(scratch.path() / "utf8" / "page.html", page("<meta charset=\"utf-8\">"));
  const auto expected = script_records(scratch, {"utf8/page.html"});
  REQUIRE(expected.size() > 3);
  // No charset: the bytes look like Windows-1252, the default browsers read such a page in.
  troupe_test::write_text(scratch.path() / "bare" / "page.html", encoded(page(""), "windows-1252"));
  CHECK(script_records(scratch, {"bare/page.html"}) == expected);
  for (const char* label : {"windows-1252", "iso-8859-1"}) {
    CAPTURE(label);
    // http-equiv's form; ISO-8859-1 is read as Windows-1252 (curly quotes are 0x93 and 0x94).
    const std::string head =
        "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=" + std::string(label) +
        "\">";
    troupe_test::write_text(scratch.path() / label / "page.html",
                            encoded(page(head), "windows-1252"));
    CHECK(script_records(scratch, {std::string(label) + "/page.html"}) == expected);
  }
}

TEST_CASE("encodings: a UTF-16 HTML page with a byte-order mark reads as its UTF-8 version") {
  ScratchDir scratch;
  troupe_test::write_text(scratch.path() / "utf8" / "page.html", page("<meta charset=\"utf-8\">"));
  const auto expected = script_records(scratch, {"utf8/page.html"});
  const std::string utf16 = page("<meta charset=\"utf-16\">");
  troupe_test::write_text(scratch.path() / "le" / "page.html",
                          "\xFF\xFE" + encoded(utf16, "UTF-16LE"));
  troupe_test::write_text(scratch.path() / "be" / "page.html",
                          "\xFE\xFF" + encoded(utf16, "UTF-16BE"));
  CHECK(script_records(scratch, {"le/page.html"}) == expected);  // lines included
  CHECK(script_records(scratch, {"be/page.html"}) == expected);
}

TEST_CASE("encodings: --encoding overrides a page's charset, and a page not in it is one line") {
  ScratchDir scratch;
  troupe_test::write_text(scratch.path() / "utf8" / "page.html", page("<meta charset=\"utf-8\">"));
  const auto expected = script_records(scratch, {"utf8/page.html"});
  // Saved in cp1252 but declaring UTF-8: bad input naming the line, and what reads it.
  troupe_test::write_text(scratch.path() / "wrong" / "page.html",
                          encoded(page("<meta charset=\"utf-8\">"), "windows-1252"));
  const auto run = troupe_test::troupe(scratch, {"script", "wrong/page.html"});
  CHECK(run.code == 2);
  CHECK(contains(run.err, "wrong/page.html:4: invalid UTF-8"));
  CHECK(contains(run.err, "--encoding cp1252"));
  CHECK(troupe_test::lines_of(run.err).size() == 1);
  CHECK(script_records(scratch, {"wrong/page.html", "--encoding", "cp1252"}) == expected);
  // Declaring Windows-1252, written in Windows' Cyrillic: --encoding wins over the declaration.
  const std::string russian =
      "<p>«Кто там?» — спросила она.</p>\n<p>«Это я», — ответил Иван.</p>\n";
  const std::string head = "<meta charset=\"windows-1252\">";
  troupe_test::write_text(
      scratch.path() / "ru8" / "page.html",
      "<html><head><meta charset=\"utf-8\"></head><body>\n" + russian + "</body></html>\n");
  troupe_test::write_text(
      scratch.path() / "ru" / "page.html",
      encoded("<html><head>" + head + "</head><body>\n" + russian + "</body></html>\n",
              "windows-1251"));
  CHECK(script_records(scratch, {"ru/page.html", "--encoding", "windows-1251"}) ==
        script_records(scratch, {"ru8/page.html"}));
  CHECK(script_records(scratch, {"ru/page.html"}) != script_records(scratch, {"ru8/page.html"}));
  // A Markdown file honours --encoding too.
  troupe_test::write_text(scratch.path() / "md" / "tale.md", encoded(kTale, "windows-1252"));
  troupe_test::write_text(scratch.path() / "md8" / "tale.md", kTale);
  CHECK(troupe_test::troupe(scratch, {"script", "md/tale.md"}).code == 2);
  CHECK(script_records(scratch, {"md/tale.md", "--encoding", "cp1252"}) ==
        script_records(scratch, {"md8/tale.md"}));
}

// An EPUB's XHTML is UTF-8 or UTF-16 by the EPUB standard: a UTF-16 document with its
// byte-order mark reads as its UTF-8 version (and --encoding, for the story file, is not its).
TEST_CASE("encodings: an EPUB content document in UTF-16 with a byte-order mark") {
  ScratchDir scratch;
  troupe_test::EpubBook book =
      troupe_test::book_with_chapters({{"Chapter One", "<p>“Café?” she asked.</p>"},
                                       {"Chapter Two", "<p>“No,” said Tom. “Crème brûlée.”</p>"}});
  book.write(scratch.file("utf8.epub"));
  for (auto& document : book.documents)
    if (document.name == "chapter2.xhtml") {
      std::string& content = document.content;
      content.replace(content.find("utf-8"), 5, "utf-16");  // its XML declaration
      content = "\xFF\xFE" + encoded(content, "UTF-16LE");
    }
  book.write(scratch.file("utf16.epub"));
  const auto expected = script_records(scratch, {"utf8.epub"});
  CHECK(script_records(scratch, {"utf16.epub"}) == expected);
  CHECK(script_records(scratch, {"utf16.epub", "--encoding", "cp1252"}) == expected);
}

}  // namespace
}  // namespace troupe
