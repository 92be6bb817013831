// Read-along books (--read-along, src/publish/read_along*): the EPUB 3 with Media Overlays as
// epubcheck and a reading system see it, every <par> against the manifest's cues, and the page
// in a real headless Chromium. epubcheck and chromium (Debian's packages, scripts/setup) are
// the checkers; without them these tests report a skip.
#include <doctest/doctest.h>
#include <libxml/tree.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "audio/wav_writer.h"
#include "epub_builder.h"
#include "output_checks.h"
#include "publish/mp3.h"
#include "publish/read_along.h"
#include "sources/epub_archive.h"
#include "sources/xml_tree.h"

namespace troupe {
namespace {

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

// A Markdown story with italics, inside a quotation and across a sentence's end.
fs::path italics_story(const ScratchDir& where) {
  const fs::path story = where.path() / "italics.md";
  write_text(story,
             "# The Race\n\n*Fast*, Ann thought. She ran on.\n\n"
             "\"Wait for *me*,\" said Tom. *Wait. Please.* She did not.\n");
  return story;
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

// Text without the readers' _italics_ marks, which the XHTML shows as <em> elements.
std::string unmarked(const std::string& text) {
  std::string out = text;
  out.erase(std::remove(out.begin(), out.end(), '_'), out.end());
  return fold_space(out);
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
            CHECK(unmarked(text_of(ids.at(id))) == unmarked(text));
            const std::string css = attribute(ids.at(id), "class");
            CHECK((speaker == "narrator" ? css == "narrator" : !css.empty()));
            break;
          }
          CHECK(clip.begin >= begin - 0.001);
          CHECK(clip.end <= end + 0.001);
          // A word begins with its cue or at one of eSpeak NG's word events, never between.
          if (!first && cue.contains("word_offsets") && !cue["word_offsets"].empty()) {
            const auto times = cue["words"].get<std::vector<double>>();
            CHECK(std::any_of(times.begin(), times.end(),
                              [&](double t) { return std::abs(t - clip.begin) <= 0.001; }));
          }
          if (first) span_id = id.substr(0, id.rfind('w'));
          REQUIRE(ids.count(span_id) == 1);
          CHECK(id.rfind(span_id + "w", 0) == 0);
          CHECK(ids.at(id)->parent == ids.at(span_id));
          if (first) CHECK(unmarked(text_of(ids.at(span_id))) == unmarked(text));
          first = false;
        } while (c < clips.size() &&
                 clips[c].text_src.find("#" + span_id + "w") != std::string::npos);
      }
    CHECK(c == clips.size());
  }
}

// epubcheck's report on each file, all checked in one run of Java (tests/epubcheck_files.java:
// a run per file spent about 4 CPU-s each starting Java); returns the files it faulted with the
// messages.
std::string epubcheck_faults(const ScratchDir& where, const std::vector<fs::path>& epubs) {
  const fs::path report = where.path() / ".epubcheck";
  std::string command = "java -Xss256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp " +
                        std::string(kEpubcheckJar) + " " +
                        shell_quote(std::string(TROUPE_SOURCE_DIR) + "/tests/epubcheck_files.java");
  for (const fs::path& epub : epubs) command += " " + shell_quote(epub.string());
  const int status = std::system((command + " >" + shell_quote(report.string()) + " 2>&1").c_str());
  const std::string text = read_text(report);
  if (status != 0) return "epubcheck_files.java failed:\n" + text;
  // The report's part on each file: from its "epubcheck-file: " line to its "epubcheck-exit: ".
  std::string faults;
  for (const fs::path& epub : epubs) {
    const std::string head = "epubcheck-file: " + epub.string() + "\n";
    const std::size_t begin = text.find(head);
    const std::size_t end = text.find("epubcheck-exit: ", begin);
    if (begin == std::string::npos || end == std::string::npos) {
      faults += epub.string() + ": not in the report\n";
      continue;
    }
    const std::string part = text.substr(begin + head.size(), end - begin - head.size());
    if (text.compare(end, 18, "epubcheck-exit: 0\n") != 0 ||
        part.find("WARNING") != std::string::npos || part.find("ERROR") != std::string::npos)
      faults += epub.string() + ":\n" + part + "\n";
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
    "read-along: a respelled word begins when its spoken words do, and the words after it at their "
    "own") {
  ManifestCue cue;
  cue.start = 1.0;
  cue.end = 3.0;
  cue.text = "In 1838, Ann met Dr. Tom.";
  // eSpeak NG says the number in words (and "thirty-eight" as two) and the title in full.
  const std::string spoken = "In eighteen thirty-eight, Ann met Doctor Tom.";
  cue.word_offsets = {0, 3, 12, 19, 26, 30, 34, 41};
  cue.words = {1.0, 1.2, 1.5, 1.7, 2.0, 2.2, 2.4, 2.6};
  const std::vector<ReadAlongWord> words = read_along_words(cue, spoken);
  REQUIRE(words.size() == 6);
  const std::vector<std::string> texts{"In", "1838,", "Ann", "met", "Dr.", "Tom."};
  const std::vector<double> starts{1.0, 1.2, 2.0, 2.2, 2.4, 2.6};
  for (std::size_t i = 0; i < words.size(); ++i) {
    INFO(i);
    CHECK(cue.text.substr(words[i].begin, words[i].end - words[i].begin) == texts[i]);
    CHECK(words[i].start == doctest::Approx(starts[i]));
    CHECK(words[i].stop == doctest::Approx(i + 1 < starts.size() ? starts[i + 1] : 3.0));
  }

  SUBCASE("a written word nobody says joins the word before") {
    cue.text = "In 1838 \u2014 Ann met Dr. Tom.";
    const std::vector<ReadAlongWord> joined = read_along_words(cue, spoken);
    REQUIRE(joined.size() == 6);
    CHECK(cue.text.substr(joined[1].begin, joined[1].end - joined[1].begin) == "1838 \u2014");
    CHECK(joined[2].start == doctest::Approx(2.0));
  }
  SUBCASE("without word positions (an older manifest) the words are timed at even steps") {
    cue.word_offsets.clear();
    const std::vector<ReadAlongWord> even = read_along_words(cue, spoken);
    REQUIRE(even.size() == 6);
    CHECK(even[0].start == doctest::Approx(1.0));
    CHECK(even[2].start > 1.5);
    CHECK(even[2].start < 1.7);
  }
}

TEST_CASE("read-along: the readers' italics marks are <em> elements in the EPUB and the page") {
  ScratchDir scratch;
  const std::vector<fs::path> stories{italics_story(scratch)};
  for (const std::string mode : {"sentences", "words"}) {
    const fs::path out = scratch.path() / mode;
    render(scratch, stories, out, mode);
    const fs::path book = books_in(out).at(0);
    INFO(mode);
    const EpubArchive epub(epub_of(book).string());
    const std::string chapter = epub.read("EPUB/text/ch01.xhtml");
    const std::string page = read_text(html_of(book));
    for (const std::string& markup : {chapter, page}) {
      CHECK(markup.find("<em>Fast</em>") != std::string::npos);
      CHECK(markup.find("<em>me</em>") != std::string::npos);
      // Italics across two sentences (two spans, or one when the cues join).
      CHECK(markup.find("<em>Wait.") != std::string::npos);
      CHECK(markup.find("Please.</em>") != std::string::npos);
      CHECK(markup.find("_Fast_") == std::string::npos);
    }
    CHECK(chapter.find('_') == std::string::npos);
    check_pars(book, mode == "words");
  }
}

// The lag, in samples, at which `decoded` best matches `source` (-limit to limit).
long best_lag(const std::vector<std::int16_t>& source, const std::vector<std::int16_t>& decoded,
              long limit) {
  long best = 0;
  double best_sum = -1e300;
  const auto n = static_cast<long>(source.size());
  for (long lag = -limit; lag <= limit; ++lag) {
    double sum = 0;
    for (long i = limit; i + limit < n; i += 3)
      if (i + lag < static_cast<long>(decoded.size()))
        sum += double(source[static_cast<std::size_t>(i)]) *
               decoded[static_cast<std::size_t>(i + lag)];
    if (sum > best_sum) best_sum = sum, best = lag;
  }
  return best;
}

// A player that honours the LAME tag's encoder delay and padding (FFmpeg, and Chromium, on
// which reading systems such as Thorium run) plays the MP3's samples at the chapter's times:
// without the tag they came 1105 samples (50 ms at 22050 Hz) late, and the highlight led the
// voice.
TEST_CASE("read-along: the EPUB's MP3 decodes to the chapter's samples at their times") {
  if (skipped_without_ffmpeg()) return;
  ScratchDir scratch;
  constexpr int kRate = 22050;
  // A rising tone switched on and off every 0.1 s: it lines up with itself at one lag only.
  std::vector<std::int16_t> source(2 * kRate + 123);
  for (std::size_t i = 0; i < source.size(); ++i) {
    const double t = static_cast<double>(i) / kRate;
    source[i] = (i / 2205) % 2
                    ? static_cast<std::int16_t>(8000 * std::sin(2 * M_PI * (300 + 200 * t) * t))
                    : 0;
  }
  const fs::path wav = scratch.path() / "chapter.wav", mp3 = scratch.path() / "chapter.mp3";
  ChapterWriter writer(wav.string(), kRate);
  writer.write(source.data(), source.size());
  writer.commit();
  const std::string encoded = encode_mp3(wav.string());
  CHECK(encode_mp3(wav.string()) == encoded);  // the same chapter, the same bytes
  write_text(mp3, encoded);
  const std::string raw = run_command(
      scratch, "ffmpeg -nostdin -v error -i " + shell_quote(mp3.string()) + " -f s16le -ac 1 -");
  std::vector<std::int16_t> decoded(raw.size() / 2);
  std::memcpy(decoded.data(), raw.data(), decoded.size() * 2);
  constexpr long kMillisecond = kRate / 1000;
  CHECK(std::labs(static_cast<long>(decoded.size()) - static_cast<long>(source.size())) <=
        kMillisecond);
  CHECK(std::labs(best_lag(source, decoded, 2205)) <= kMillisecond);
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
  stories.push_back(italics_story(scratch));
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
                     "click:c1s2", "wait:0.3", "screenshot:" + shot.string()});

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
  CHECK(results[4]["path"] == shot.string());
  CHECK(fs::file_size(shot) > 10000);
}

}  // namespace
}  // namespace troupe
