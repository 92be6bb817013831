// Bad input and odd-but-valid input, through the real `troupe` binary (TROUPE_BINARY).
//
// Bad input: exit code 2, exactly one line on stderr that starts with "troupe: FILE" (and ":LINE"
// where there is one), and nothing written to the -o folder. Odd but valid input (stray quote
// marks, mixed quotes, CRLF, a BOM, tabs ...) is scripted and rendered.
#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "run_troupe.h"

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

const std::string kSourceDir = TROUPE_SOURCE_DIR;

using Scratch = troupe_test::ScratchDir;
using troupe_test::lines_of;
using troupe_test::read_text;
using troupe_test::Run;
using troupe_test::shell_quote;
using troupe_test::troupe;

const char* kTwoLines = "\"Hello,\" said Mark.\n\"Hi,\" Ann replied.\n";

// `troupe render ARGS -o OUT` must fail with exit code 2 and one line naming `where`
// ("FILE" or "FILE:LINE"), and write nothing to OUT.
void expect_rejected(const Scratch& scratch, std::vector<std::string> args,
                     const std::string& where) {
  const std::string out = scratch.file("out");
  args.insert(args.begin(), "render");
  args.push_back("-o");
  args.push_back(out);
  const Run run = troupe(scratch, args);
  INFO("stderr: " << run.err);
  CHECK(run.code == 2);
  CHECK(std::count(run.err.begin(), run.err.end(), '\n') == 1);
  CHECK(run.err.rfind("troupe: " + where + ":", 0) == 0);
  CHECK(run.out.empty());
  const bool nothing_written = !fs::exists(out) || fs::is_empty(out);
  CHECK(nothing_written);
}

// A folder of three valid profiles, one of which gets `line` in place of its `key` line.
std::string voices_with(const Scratch& scratch, const std::string& key, const std::string& line) {
  const fs::path dir = scratch.file("voices");
  fs::create_directories(dir);
  for (const char* name : {"narrator", "cedar", "ember"})
    fs::copy_file(fs::path(kSourceDir) / "voices" / (std::string(name) + ".toml"),
                  dir / (std::string(name) + ".toml"));
  std::istringstream in(read_text((dir / "ember.toml").string()));
  std::string text, current;
  while (std::getline(in, current))
    text += (current.rfind(key + " ", 0) == 0 ? line : current) + "\n";
  scratch.write("voices/ember.toml", text);
  return dir.string();
}

// The line of `key = ` in the file at `path` (1-based).
std::string line_of(const std::string& path, const std::string& key) {
  std::istringstream in(read_text(path));
  std::string line;
  for (int number = 1; std::getline(in, line); ++number)
    if (line.rfind(key + " ", 0) == 0) return std::to_string(number);
  return "?";
}

std::vector<Json> script_jsonl(const Scratch& scratch, const std::string& story) {
  const Run run = troupe(scratch, {"script", story, "--format", "jsonl"});
  INFO("stderr: " << run.err);
  REQUIRE(run.code == 0);
  std::vector<Json> records;
  std::istringstream in(run.out);
  std::string line;
  while (std::getline(in, line))
    if (!line.empty()) records.push_back(Json::parse(line));
  return records;
}

std::vector<Json> of_kind(const std::vector<Json>& records, const std::string& kind) {
  std::vector<Json> picked;
  for (const auto& r : records)
    if (r["kind"] == kind) picked.push_back(r);
  return picked;
}

}  // namespace

// ---- bad stories ----

TEST_CASE("bad input: a missing story file") {
  Scratch s;
  expect_rejected(s, {s.file("nosuch.txt")}, s.file("nosuch.txt"));
}

TEST_CASE("bad input: a folder with no stories") {
  Scratch s;
  s.write("book/notes.doc", "not a story");
  expect_rejected(s, {s.file("book")}, s.file("book"));
}

TEST_CASE("bad input: an empty story and a whitespace-only story") {
  Scratch s;
  expect_rejected(s, {s.write("empty.txt", "")}, s.file("empty.txt"));
  expect_rejected(s, {s.write("blank.txt", " \n\t\n\r\n   \n")}, s.file("blank.txt"));
}

TEST_CASE("bad input: invalid UTF-8 names its line") {
  Scratch s;
  const auto story = s.write("latin1.txt", "Fine.\nAlso fine.\nCaf\xE9 au lait.\n");
  expect_rejected(s, {story}, story + ":3");
}

TEST_CASE("bad input: a binary file (NUL bytes)") {
  Scratch s;
  const auto story = s.write("binary.txt", std::string("PK\x03\x04\n\x00\x01\x02", 8));
  expect_rejected(s, {story}, story + ":2");
}

TEST_CASE("bad input: a line over 1 MB") {
  Scratch s;
  const auto story = s.write("long.txt", "Short.\n" + std::string((1 << 20) + 10, 'a') + "\n");
  expect_rejected(s, {story}, story + ":2");
}

// ---- bad cast files ----

TEST_CASE("bad input: a cast file with a TOML syntax error names its line") {
  Scratch s;
  const auto story = s.write("s.txt", kTwoLines);
  const auto cast = s.write("c.toml", "narrator = \"narrator\"\n\n[characters.Mark\n");
  expect_rejected(s, {story, "--cast", cast}, cast + ":3");
}

TEST_CASE("bad input: a cast file with an unknown key") {
  Scratch s;
  const auto story = s.write("s.txt", kTwoLines);
  const auto cast = s.write("c.toml", "[characters.Mark]\ngender = \"m\"\ncolour = \"red\"\n");
  expect_rejected(s, {story, "--cast", cast}, cast + ":3");
}

TEST_CASE("bad input: a cast file naming an unknown voice profile") {
  Scratch s;
  const auto story = s.write("s.txt", kTwoLines);
  // The line of the character's table (tests/test_casting.cpp asks for that one).
  const auto cast = s.write("c.toml", "[characters.Mark]\ngender = \"m\"\nvoice = \"nosuch\"\n");
  expect_rejected(s, {story, "--cast", cast}, cast + ":1");
  const auto narrator = s.write("n.toml", "\nnarrator = \"nosuch\"\n");
  expect_rejected(s, {story, "--cast", narrator}, narrator + ":2");
}

TEST_CASE("bad input: a cast file with a gender not m/f/x") {
  Scratch s;
  const auto story = s.write("s.txt", kTwoLines);
  const auto cast = s.write("c.toml", "[characters.Mark]\ngender = \"q\"\n");
  expect_rejected(s, {story, "--cast", cast}, cast + ":2");
}

TEST_CASE("bad input: a cast file with an alias claimed by two characters") {
  Scratch s;
  const auto story = s.write("s.txt", kTwoLines);
  const auto cast =
      s.write("c.toml",
              "[characters.Mark]\naliases = [\"Lee\"]\n\n[characters.Ann]\naliases = [\"lee\"]\n");
  expect_rejected(s, {story, "--cast", cast}, cast + ":5");
}

TEST_CASE("bad input: a cast file found beside the story is checked too") {
  Scratch s;
  const auto story = s.write("s.txt", kTwoLines);
  const auto cast = s.write("s.cast.toml", "narator = \"narrator\"\n");
  expect_rejected(s, {story}, cast + ":1");
}

// ---- bad voice profiles ----

TEST_CASE("bad input: a voice profile with a value out of eSpeak NG's range") {
  for (const auto& [key, line] :
       std::vector<std::pair<std::string, std::string>>{{"pitch", "pitch = 150"},
                                                        {"rate", "rate = 20"},
                                                        {"range", "range = -1"},
                                                        {"volume", "volume = 201"}}) {
    CAPTURE(line);
    Scratch s;
    const auto story = s.write("s.txt", kTwoLines);
    const auto voices = voices_with(s, key, line);
    const auto profile = voices + "/ember.toml";
    expect_rejected(s, {story, "--voices", voices}, profile + ":" + line_of(profile, key));
  }
}

TEST_CASE("bad input: an eSpeak NG voice or variant that is not installed") {
  for (const auto& [key, line] : std::vector<std::pair<std::string, std::string>>{
           {"espeak", "espeak = \"xx-nosuch\""},
           {"variant", "variant = \"nosuch\""},
           {"variant", "variant = \"../../lang/gmw/en\""}}) {
    CAPTURE(line);
    Scratch s;
    const auto story = s.write("s.txt", kTwoLines);
    const auto voices = voices_with(s, key, line);
    const auto profile = voices + "/ember.toml";
    expect_rejected(s, {story, "--voices", voices}, profile + ":" + line_of(profile, key));
  }
}

// ---- odd but valid ----

TEST_CASE("odd input: a stray quotation mark ends at its paragraph") {
  Scratch s;
  const auto story = s.write("s.txt", "She said, \"Wait.\n\nThen she left.\n");
  const auto records = script_jsonl(s, story);
  const auto quotes = of_kind(records, "quote");
  REQUIRE(quotes.size() == 1);
  CHECK(quotes[0]["text"] == "Wait.");
  CHECK(quotes[0]["line"] == 1);
  const auto narration = of_kind(records, "narration");
  REQUIRE(!narration.empty());
  CHECK(narration.back()["text"] == "Then she left.");
  CHECK(narration.back()["line"] == 3);
}

TEST_CASE("odd input: straight and curly quotation marks mixed") {
  Scratch s;
  const auto story = s.write("s.txt",
                             "\xE2\x80\x9C"
                             "Curly,\xE2\x80\x9D said Ann.\n"
                             "\"Straight,\" said Bob.\n"
                             "\xE2\x80\x9C"
                             "Mixed,\" said Cy.\n");
  const auto quotes = of_kind(script_jsonl(s, story), "quote");
  REQUIRE(quotes.size() == 3);
  CHECK(quotes[0]["text"] == "Curly,");
  CHECK(quotes[1]["text"] == "Straight,");
  CHECK(quotes[2]["text"] == "Mixed,");
  CHECK(quotes[0]["speaker"] == "Ann");
  CHECK(quotes[1]["speaker"] == "Bob");
  CHECK(quotes[2]["speaker"] == "Cy");
}

TEST_CASE("odd input: a story with no dialogue, and one that is all dialogue") {
  Scratch s;
  const auto none = script_jsonl(s, s.write("none.txt", "The rain fell.\nNobody spoke.\n"));
  CHECK(of_kind(none, "quote").empty());
  CHECK(of_kind(none, "narration").size() == 2);
  const auto all = script_jsonl(s, s.write("all.txt", "\"One.\"\n\"Two.\"\n\"Three?\"\n"));
  CHECK(of_kind(all, "quote").size() == 3);
  CHECK(of_kind(all, "narration").empty());
  for (const auto& q : of_kind(all, "quote")) CHECK(q["speaker"] != "narrator");
}

TEST_CASE("odd input: Windows line endings, a BOM, tabs and trailing spaces") {
  Scratch s;
  const auto story = s.write("s.txt",
                             "\xEF\xBB\xBF\"Hello,\"\tsaid Mark.   \r\n"
                             "\t \r\n"
                             "\t\"Hi,\" Ann replied. \t\r\n");
  const auto records = script_jsonl(s, story);
  const auto quotes = of_kind(records, "quote");
  REQUIRE(quotes.size() == 2);
  CHECK(quotes[0]["text"] == "Hello,");
  CHECK(quotes[0]["line"] == 1);
  CHECK(quotes[0]["speaker"] == "Mark");
  CHECK(quotes[1]["text"] == "Hi,");
  CHECK(quotes[1]["line"] == 3);
  CHECK(quotes[1]["speaker"] == "Ann");
  for (const auto& r : records) {
    const std::string text = r["text"];
    CAPTURE(text);
    CHECK(text.find_first_of("\r\t") == std::string::npos);
    CHECK(text.find("\xEF\xBB\xBF") == std::string::npos);
    CHECK((text.empty() || (text.front() != ' ' && text.back() != ' ')));
  }
}

TEST_CASE("odd input: a two-line story with CRLF, a BOM, tabs and mixed quotes renders") {
  Scratch s;
  const auto story = s.write("two.txt",
                             "\xEF\xBB\xBF\t\"Hello,\" said Mark.  \r\n"
                             "\xE2\x80\x9CHi,\" Ann replied, \"how are you?\r\n");
  const auto out = s.file("out");
  const Run run = troupe(s, {"render", story, "-o", out, "-q"});
  INFO("stderr: " << run.err);
  REQUIRE(run.code == 0);
  std::vector<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(out))
    if (entry.is_regular_file()) files.push_back(entry.path().filename().string());
  std::sort(files.begin(), files.end());
  CHECK(std::count_if(files.begin(), files.end(), [](const std::string& f) {
          return f.size() > 4 && f.substr(f.size() - 4) == ".wav";
        }) == 1);
  CHECK(std::find(files.begin(), files.end(), "manifest.json") != files.end());
  for (const auto& f : files) CHECK(f.find(".tmp") == std::string::npos);
}
