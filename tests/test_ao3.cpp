// Archive of Our Own downloads (HTML and EPUB, built from AO3's download templates with the
// tests' own text) through the real `troupe` binary: the same quotations as the text file,
// the preface, summary and notes skipped unless --read-notes, chapter titles from the
// headings, the metadata and the Character tags as the story's characters.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "ao3_builder.h"
#include "source_tests.h"
#include "sources/source.h"

namespace {

using namespace troupe_test::source_tests;
namespace fs = std::filesystem;
using troupe_test::Ao3Chapter;
using troupe_test::Ao3Work;

// The preface, notes and AO3's own lines: none spoken, all there as skipped records.
void expect_matter_skipped(const std::vector<Json>& records, const Ao3Work& work) {
  const std::string spoken = spoken_text(records);
  const auto skipped = records_of_kind(records, "skipped");
  for (const std::string& words :
       {work.summary, work.notes, work.end_notes, std::string("Posted originally on the"),
        std::string("General Audiences"), std::string("Please drop by the Archive")}) {
    CAPTURE(words);
    CHECK_FALSE(holds(spoken, words));
    CHECK(any_holds(skipped, words));
  }
}

// The work as an AO3 HTML download and as an AO3 EPUB, in the scratch folder.
std::vector<std::string> write_downloads(const Scratch& scratch, const Ao3Work& work) {
  const std::string html = scratch.write("work.html", work.html());
  const std::string epub = scratch.file("work.epub");
  work.epub().write(epub);
  return {html, epub};
}

Ao3Work three_chapter_work() {
  Ao3Work work;
  work.characters = {"Mara Quill", "Tobias Fenn (Original Work)", "Original Female Character(s)"};
  work.chapters = {
      {"Chapter 1: The Lamp Room",
       "<p>\"The wick is short again,\" Mara said. She trimmed it with her knife.</p>\n"
       "<p>Tobias leaned on the rail. \"Then we buy more before the storm,\" he said.</p>",
       "Mara finds the oil low.", "This chapter was hard to write!", "More soon, I promise."},
      {"Chapter 2: Salt",
       "<p>\"Did you bring the oil?\" Mara asked. She pulled her coat tighter.</p>\n"
       "<p>\"Two cans,\" said Tobias, and he set them down by the door.</p>",
       "", "", ""},
      {"Chapter 3",
       "<p>The storm came at dusk. \"Hold the door!\" Mara shouted. She braced her shoulder "
       "against the frame.</p>\n"
       "<p>\"I have it,\" Tobias said, and he leaned his whole weight on it.</p>",
       "", "", ""}};
  return work;
}

}  // namespace

TEST_CASE("ao3: each sample story as an AO3 HTML download and EPUB gives its text's quotations") {
  for (const char* name :
       {"000_6874ef4b4f612f50", "001_3cd6856fb4b86c2d", "002_a9073757c4daf437"}) {
    CAPTURE(name);
    const Scratch scratch("troupe-ao3");
    const std::string txt = kSourceDir + "/stories/" + name + ".txt";
    const std::string cast = kSourceDir + "/stories/" + name + ".cast.toml";
    Ao3Work work;
    work.chapters = {{"", troupe_test::html_paragraphs(troupe_test::read_text(txt))}};
    const auto downloads = write_downloads(scratch, work);
    const auto from_text = quotations_text(script_records(scratch, {txt, "--cast", cast}));
    CHECK(!from_text.empty());
    for (const std::string& download : downloads) {
      CAPTURE(download);
      const auto records = script_records(scratch, {download, "--cast", cast});
      CHECK(quotations_text(records) == from_text);
      CHECK(records_of_kind(records, "title") == std::vector<std::string>{work.title});
      expect_matter_skipped(records, work);
    }
  }
}

TEST_CASE("ao3: --read-notes speaks the summary, notes and end notes, never AO3's own lines") {
  const Scratch scratch("troupe-ao3");
  const Ao3Work work = three_chapter_work();
  for (const std::string& download : write_downloads(scratch, work)) {
    CAPTURE(download);
    const auto records = script_records(scratch, {download, "--read-notes"});
    const std::string spoken = spoken_text(records);
    for (const std::string& words :
         {work.summary, work.notes, work.end_notes, work.chapters[0].notes,
          work.chapters[0].end_notes, work.chapters[0].summary,
          std::string("Fandom: Original Work")})
      CHECK_MESSAGE(holds(spoken, words), words);
    CHECK_FALSE(holds(spoken, "Posted originally on the"));
    CHECK_FALSE(holds(spoken, "Please drop by the Archive"));
    CHECK_FALSE(holds(spoken, "See the end of the"));
    CHECK(quotations_text(records) == quotations_text(script_records(scratch, {download})));
  }
}

TEST_CASE("ao3: a three-chapter work takes its chapter titles from its headings") {
  const Scratch scratch("troupe-ao3");
  const Ao3Work work = three_chapter_work();
  for (const std::string& download : write_downloads(scratch, work)) {
    CAPTURE(download);
    const auto records = script_records(scratch, {download});
    CHECK(records_of_kind(records, "title") ==
          std::vector<std::string>{"Chapter 1: The Lamp Room", "Chapter 2: Salt", "Chapter 3"});
    CHECK(records.back()["chapter"] == 3);
    const std::string spoken = spoken_text(records);
    CHECK_FALSE(holds(spoken, work.chapters[0].notes));
    CHECK_FALSE(holds(spoken, work.chapters[0].end_notes));
    CHECK_FALSE(holds(spoken, "Chapter Notes"));
    CHECK(quotation_records(records).size() == 6);
  }
}

TEST_CASE("ao3: title, author, fandom, series, language and characters reach the metadata") {
  const Scratch scratch("troupe-ao3");
  const Ao3Work work = three_chapter_work();
  for (const std::string& download : write_downloads(scratch, work)) {
    CAPTURE(download);
    const troupe::Story story = troupe::read_source(download);
    CHECK(story.title == "The Lantern Keeper");
    CHECK(story.metadata.title == "The Lantern Keeper");
    CHECK(story.metadata.author == "quietquill");
    CHECK(story.metadata.fandom == "Original Work");
    CHECK(story.metadata.series == "Harbour Lights");
    CHECK(story.metadata.series_index == "2");
    CHECK(story.metadata.language == "en");
    // The fandom's qualifier dropped, the tag that names nobody left out.
    CHECK(story.metadata.characters == std::vector<std::string>{"Mara Quill", "Tobias Fenn"});
    REQUIRE(story.chapters.size() == 3);
  }
}

TEST_CASE("ao3: the Character tags are the cast, with the genders the text gives them") {
  const Scratch scratch("troupe-ao3");
  Ao3Work work = three_chapter_work();
  work.characters.push_back("Ines Varga");  // tagged, never speaks
  work.chapters[1].text += "\n<p>Ines Varga watched from the stairs. She kept her own counsel.</p>";
  const std::string html = scratch.write("work.html", work.html());
  const troupe_test::Run run = troupe_test::troupe(scratch, {"cast", html, "--write", "cast.toml"});
  INFO("stderr: " << run.err);
  INFO("stdout: " << run.out);
  REQUIRE(run.code == 0);
  bool mara = false, tobias = false;
  for (const std::string& line : troupe_test::lines_of(run.out)) {
    mara = mara || (line.rfind("Mara Quill ", 0) == 0 && holds(line, " f  "));
    tobias = tobias || (line.rfind("Tobias Fenn ", 0) == 0 && holds(line, " m  "));
  }
  CHECK(mara);
  CHECK(tobias);
  const std::string written = troupe_test::read_text(scratch.file("cast.toml"));
  CHECK(holds(written, "[characters.\"Mara Quill\"]"));
  CHECK(holds(written, "[characters.\"Tobias Fenn\"]"));
  CHECK(holds(written, "[characters.\"Ines Varga\"]"));
  const auto records = script_records(scratch, {html});
  for (const auto& [speaker, words] : quotation_records(records))
    CHECK_MESSAGE((speaker == "Mara Quill" || speaker == "Tobias Fenn"), words);
}

TEST_CASE("ao3: a cast file's characters override the Character tags") {
  const Scratch scratch("troupe-ao3");
  const Ao3Work work = three_chapter_work();
  const std::string html = scratch.write("work.html", work.html());
  const std::string cast = scratch.write("mine.cast.toml",
                                         "[characters.\"Mara\"]\ngender = \"f\"\n"
                                         "[characters.\"Tobias\"]\ngender = \"m\"\n");
  const auto records = script_records(scratch, {html, "--cast", cast});
  for (const auto& [speaker, words] : quotation_records(records))
    CHECK_MESSAGE((speaker == "Mara" || speaker == "Tobias"), words);
}
