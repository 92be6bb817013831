// Read-along books (--read-along, src/publish/read_along*): the EPUB 3 with Media Overlays as
// epubcheck and a reading system see it, every <par> against the manifest's cues, and the page
// in a real headless Chromium. epubcheck and chromium (Debian's packages, scripts/setup) are
// the checkers; without them these tests report a skip.
#include <doctest/doctest.h>
#include <libxml/tree.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "epub_builder.h"
#include "run_troupe.h"
#include "skip.h"
#include "sources/epub_archive.h"
#include "sources/xml_tree.h"

namespace troupe {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

using ScratchDir = troupe_test::ScratchDir;
using troupe_test::read_text;
using troupe_test::Run;
using troupe_test::shell_quote;
using troupe_test::troupe;
using troupe_test::write_text;

constexpr const char* kEpubcheckJar = "/usr/share/java/epubcheck.jar";
constexpr const char* kChromium = "/usr/bin/chromium";

bool have_epubcheck() {
  static const bool found =
      fs::exists(kEpubcheckJar) && std::system("command -v java >/dev/null 2>&1") == 0;
  return found;
}

// An EPUB of `count` chapters with a cover (as a shop ships it), each chapter titled, with
// narration and two speakers.
fs::path chapters_epub(const ScratchDir& where, int count) {
  std::vector<std::pair<std::string, std::string>> chapters;
  for (int n = 1; n <= count; ++n) {
    const std::string number = std::to_string(n);
    chapters.emplace_back("Chapter " + number,
                          "<p>Ann counted to " + number + ". \u201CThat is chapter " + number +
                              ",\u201D she said. \u201CTom, you next.\u201D</p>\n"
                              "<p>\u201CFine,\u201D said Tom.</p>\n");
  }
  const fs::path epub = where.path() / "twelve.epub";
  troupe_test::book_with_chapters(chapters).write(epub.string());
  return epub;
}

std::vector<fs::path> sample_stories() {
  std::vector<fs::path> stories;
  for (const auto& entry : fs::directory_iterator(fs::path(TROUPE_SOURCE_DIR) / "stories"))
    if (entry.path().extension() == ".txt") stories.push_back(entry.path());
  std::sort(stories.begin(), stories.end());
  return stories;
}

// Renders stories into out with --read-along mode; fails the test when troupe fails.
void render(const ScratchDir& where, const std::vector<fs::path>& stories, const fs::path& out,
            const std::string& mode) {
  std::vector<std::string> args{"render"};
  for (const fs::path& story : stories) args.push_back(story.string());
  args.insert(args.end(), {"-o", out.string(), "-q", "--read-along", mode});
  const Run run = troupe(where, args);
  INFO(run.err);
  REQUIRE(run.code == 0);
}

// The book folders in out (each with a manifest).
std::vector<fs::path> books_in(const fs::path& out) {
  std::vector<fs::path> books;
  for (const auto& entry : fs::directory_iterator(out))
    if (fs::is_regular_file(entry.path() / "manifest.json")) books.push_back(entry.path());
  std::sort(books.begin(), books.end());
  return books;
}

fs::path epub_of(const fs::path& book) { return book / (book.filename().string() + ".epub"); }
fs::path html_of(const fs::path& book) { return book / (book.filename().string() + ".html"); }

// "0:01:02.345" -> 62.345.
double clock_seconds(const std::string& clock) {
  const auto first = clock.find(':'), second = clock.find(':', first + 1);
  REQUIRE(second != std::string::npos);
  return std::stod(clock.substr(0, first)) * 3600 +
         std::stod(clock.substr(first + 1, second - first - 1)) * 60 +
         std::stod(clock.substr(second + 1));
}

// An element of a parsed XHTML document by id.
std::map<std::string, const xmlNode*> elements_by_id(const xmlDoc* doc) {
  std::map<std::string, const xmlNode*> ids;
  for (const xmlNode* node : descendants(xmlDocGetRootElement(doc), "span"))
    if (!attribute(node, "id").empty()) ids[attribute(node, "id")] = node;
  return ids;
}

struct Clip {
  std::string text_src;
  double begin = 0, end = 0;
};

std::vector<Clip> clips_of(const EpubArchive& epub, const std::string& smil) {
  const XmlDoc doc = parse_xml(epub, smil, epub.read(smil));
  std::vector<Clip> clips;
  for (const xmlNode* par : descendants(xmlDocGetRootElement(doc.get()), "par")) {
    const auto text = descendants(par, "text");
    const auto audio = descendants(par, "audio");
    REQUIRE(text.size() == 1);
    REQUIRE(audio.size() == 1);
    // local_name() is lower case: clipBegin is "clipbegin".
    clips.push_back({attribute(text[0], "src"), clock_seconds(attribute(audio[0], "clipbegin")),
                     clock_seconds(attribute(audio[0], "clipend"))});
  }
  return clips;
}

// Checks every <par> of the book's EPUB against its manifest: with sentences, one per cue in
// order, its clip the cue's within 1 ms and its element holding the cue's text; with words,
// each clip inside its cue's and each word's element inside that cue's element. Clips increase.
void check_pars(const fs::path& book, bool words) {
  const Json manifest = Json::parse(read_text(book / "manifest.json"));
  const EpubArchive epub(epub_of(book).string());
  REQUIRE(epub.read("mimetype") == "application/epub+zip");
  int chapter_index = 0;
  for (const Json& chapter : manifest["chapters"]) {
    char key[16];
    std::snprintf(key, sizeof key, "ch%02d", ++chapter_index);
    const std::string xhtml = std::string("EPUB/text/") + key + ".xhtml";
    INFO(xhtml);
    const XmlDoc doc = parse_xml(epub, xhtml, epub.read(xhtml));
    const auto ids = elements_by_id(doc.get());
    const std::vector<Clip> clips = clips_of(epub, std::string("EPUB/smil/") + key + ".smil");
    std::size_t c = 0;
    double last_end = 0;
    for (const Json& utterance : chapter["utterances"])
      for (const Json& cue : utterance["cues"]) {
        const double begin = cue["start"], end = cue["end"];
        const std::string text = cue["text"];
        const std::string speaker = utterance["speaker"];
        bool first = true;
        std::string span_id;
        do {
          REQUIRE(c < clips.size());
          const Clip& clip = clips[c++];
          const std::string id = clip.text_src.substr(clip.text_src.find('#') + 1);
          REQUIRE(clip.text_src.rfind("../text/" + std::string(key) + ".xhtml#", 0) == 0);
          REQUIRE(ids.count(id) == 1);
          CHECK(clip.begin >= last_end - 1e-9);
          CHECK(clip.end > clip.begin);
          last_end = clip.end;
          if (!words) {
            CHECK(std::abs(clip.begin - begin) <= 0.001);
            CHECK(std::abs(clip.end - end) <= 0.001);
            CHECK(fold_space(text_of(ids.at(id))) == fold_space(text));
            const std::string css = attribute(ids.at(id), "class");
            CHECK((speaker == "narrator" ? css == "narrator" : !css.empty()));
            break;
          }
          CHECK(clip.begin >= begin - 0.001);
          CHECK(clip.end <= end + 0.001);
          if (first) span_id = id.substr(0, id.rfind('w'));
          REQUIRE(ids.count(span_id) == 1);
          CHECK(id.rfind(span_id + "w", 0) == 0);
          CHECK(ids.at(id)->parent == ids.at(span_id));
          if (first) CHECK(fold_space(text_of(ids.at(span_id))) == fold_space(text));
          first = false;
        } while (c < clips.size() &&
                 clips[c].text_src.find("#" + span_id + "w") != std::string::npos);
      }
    CHECK(c == clips.size());
  }
}

// epubcheck's report on each file, in one run of Java per file; returns the files it faulted
// with the messages.
std::string epubcheck_faults(const ScratchDir& where, const std::vector<fs::path>& epubs) {
  std::string faults;
  for (const fs::path& epub : epubs) {
    const fs::path report = where.path() / ".epubcheck";
    const std::string command = "java -Xss256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar " +
                                std::string(kEpubcheckJar) + " -q " + shell_quote(epub.string()) +
                                " >" + shell_quote(report.string()) + " 2>&1";
    const int status = std::system(command.c_str());
    const std::string text = read_text(report);
    if (status != 0 || text.find("WARNING") != std::string::npos ||
        text.find("ERROR") != std::string::npos)
      faults += epub.string() + ":\n" + text + "\n";
  }
  return faults;
}

// The writer's own checks, cheap enough for the sanitized run (the epubcheck test below is
// release-only): a small EPUB book in both modes, every <par> against its cue.
TEST_CASE("read-along: every par of a three-chapter book matches its cue in both modes") {
  ScratchDir scratch;
  const std::vector<fs::path> stories{chapters_epub(scratch, 3)};
  for (const std::string mode : {"sentences", "words"}) {
    const fs::path out = scratch.path() / mode;
    render(scratch, stories, out, mode);
    const std::vector<fs::path> books = books_in(out);
    REQUIRE(books.size() == 1);
    INFO(mode);
    REQUIRE(fs::is_regular_file(html_of(books[0])));
    check_pars(books[0], mode == "words");
  }
}

TEST_CASE(
    "read-along: epubcheck finds no error or warning in the sample stories' and a "
    "twelve-chapter book's EPUBs in both modes, and every par matches its cue" *
    doctest::test_suite("release-only")) {
  if (!have_epubcheck()) {
    troupe_test::skip_test("epubcheck (Debian's package) is not installed");
    return;
  }
  ScratchDir scratch;
  std::vector<fs::path> stories = sample_stories();
  stories.push_back(chapters_epub(scratch, 12));
  const fs::path out = scratch.path() / "out";
  std::vector<fs::path> epubs;
  for (const std::string mode : {"sentences", "words"}) {
    render(scratch, stories, out, mode);
    const std::vector<fs::path> books = books_in(out);
    REQUIRE(books.size() == stories.size());
    for (const fs::path& book : books) {
      INFO(book.string() << " " << mode);
      REQUIRE(fs::is_regular_file(epub_of(book)));
      REQUIRE(fs::is_regular_file(html_of(book)));
      check_pars(book, mode == "words");
      if (book.filename() == "a-test-book") {  // the EPUB input's cover, title and author
        const EpubArchive epub(epub_of(book).string());
        const std::string package = epub.read("EPUB/package.opf");
        CHECK(package.find("properties=\"cover-image\"") != std::string::npos);
        CHECK(epub.read("EPUB/cover.png") == troupe_test::tiny_png());
        CHECK(package.find("<dc:creator>Ann Writer</dc:creator>") != std::string::npos);
        CHECK(package.find("<dc:title>A Test Book</dc:title>") != std::string::npos);
      }
      const fs::path kept = scratch.path() / (mode + "-" + book.filename().string() + ".epub");
      fs::copy_file(epub_of(book), kept);
      epubs.push_back(kept);
    }
  }
  const std::string faults = epubcheck_faults(scratch, epubs);
  INFO(faults);
  CHECK(faults.empty());
}

bool have_chromium() {
  static const bool found =
      fs::exists(kChromium) && std::system("command -v python3 >/dev/null 2>&1") == 0;
  return found;
}

// What tests/read_along_browser.py reports for each step, one JSON object a step.
std::vector<Json> drive_browser(const ScratchDir& where, const fs::path& page,
                                const std::vector<std::string>& steps) {
  std::string command =
      "python3 " + shell_quote(std::string(TROUPE_SOURCE_DIR) + "/tests/read_along_browser.py") +
      " " + kChromium + " " + shell_quote(page.string());
  for (const std::string& step : steps) command += " " + shell_quote(step);
  const fs::path out = where.path() / ".browser-out", err = where.path() / ".browser-err";
  const int status = std::system(
      (command + " >" + shell_quote(out.string()) + " 2>" + shell_quote(err.string())).c_str());
  INFO(read_text(err));
  REQUIRE(status == 0);
  std::vector<Json> results;
  for (const std::string& line : troupe_test::lines_of(read_text(out)))
    results.push_back(Json::parse(line));
  REQUIRE(results.size() == steps.size());
  return results;
}

TEST_CASE(
    "read-along: in headless Chromium the page highlights the utterance at a time from the "
    "manifest in its speaker's class, and a click on a sentence plays from its start" *
    doctest::test_suite("release-only")) {
  if (!have_chromium()) {
    troupe_test::skip_test("chromium (Debian's package) or python3 is not installed");
    return;
  }
  ScratchDir scratch;
  const fs::path story = fs::path(TROUPE_SOURCE_DIR) / "stories" / "001_3cd6856fb4b86c2d.txt";
  const fs::path out = scratch.path() / "out";
  render(scratch, {story}, out, "sentences");
  const fs::path book = books_in(out).at(0);
  const Json manifest = Json::parse(read_text(book / "manifest.json"));
  const Json& utterances = manifest["chapters"][0]["utterances"];
  // A character's line, and a narrator's line after it: each found by its time.
  const auto quote = std::find_if(utterances.begin(), utterances.end(),
                                  [](const Json& u) { return u["speaker"] != "narrator"; });
  REQUIRE(quote != utterances.end());
  REQUIRE(quote + 1 != utterances.end());
  const Json& narration = *(quote + 1);
  const auto middle = [](const Json& cue) {
    return std::to_string((cue["start"].get<double>() + cue["end"].get<double>()) / 2);
  };
  const fs::path shot = scratch.path() / "read-along.png";
  const std::vector<Json> results =
      drive_browser(scratch, html_of(book),
                    {"seek:" + middle((*quote)["cues"][0]), "seek:" + middle(narration["cues"][0]),
                     "click:c1s2", "screenshot:" + shot.string()});

  // Its id is that of the cue's span in the EPUB: the page and the book share their markup.
  const std::string page = read_text(html_of(book));
  const auto span_of = [&](const Json& result) {
    const std::string id = result["id"];
    const auto at = page.find("<span id=\"" + id + "\"");
    REQUIRE(at != std::string::npos);
    return page.substr(at, page.find("</span>", at) - at);
  };
  CHECK(results[0]["count"] == 1);
  const std::string quoted_text = (*quote)["cues"][0]["text"];
  CHECK(span_of(results[0]).find(">" + quoted_text) != std::string::npos);
  const std::string character_class = results[0]["class"];
  CHECK(character_class.find("narrator") == std::string::npos);
  CHECK(character_class.find("troupe-active") != std::string::npos);
  CHECK(results[1]["count"] == 1);
  const std::string narrated_text = narration["cues"][0]["text"];
  CHECK(span_of(results[1]).find(">" + narrated_text) != std::string::npos);
  CHECK(results[1]["class"] == "narrator troupe-active");

  // The click on the second sentence: the audio stands at (or just past) its start.
  const double start = utterances[0]["cues"].size() > 1
                           ? utterances[0]["cues"][1]["start"].get<double>()
                           : utterances[1]["cues"][0]["start"].get<double>();
  CHECK(results[2]["start"].get<double>() == doctest::Approx(start).epsilon(0.0005));
  CHECK(results[2]["time"].get<double>() >= start - 0.001);
  CHECK(results[2]["time"].get<double>() < start + 1.0);
  CHECK(results[2]["src"] == manifest["chapters"][0]["file"]);
  CHECK(fs::file_size(shot) > 10000);
}

}  // namespace
}  // namespace troupe
