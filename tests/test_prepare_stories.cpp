// prepare_stories: a batch of stories read and attributed on several threads comes out as each
// story prepared alone, in the order given, with each bad story's error in its place.
#include <doctest/doctest.h>

#include <exception>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "common/errors.h"
#include "epub_builder.h"
#include "render/prepare.h"
#include "render/script_format.h"
#include "scratch_dir.h"

namespace troupe {
namespace {

using troupe_test::ScratchDir;

std::string script_of(const PreparedStory& story) {
  std::ostringstream out;
  write_script_jsonl(out, story.script, story.cast);
  return out.str();
}

// The error prepare_stories kept for a story, as its message; "" when there is none.
std::string input_error_of(const PreparedOrError& result) {
  if (!result.error) return "";
  try {
    std::rethrow_exception(result.error);
  } catch (const InputError& e) {
    return e.what();
  } catch (...) {
    return "not an InputError";
  }
}

TEST_CASE("prepare: stories prepared on several threads equal each prepared alone, in order") {
  ScratchDir scratch;
  // fs::path, not std::string's +: GCC 12 warns falsely of the latter here (see CMakeLists.txt).
  const std::filesystem::path source(TROUPE_SOURCE_DIR);
  auto story = [&](const char* name) { return (source / "stories" / name).string(); };
  const std::vector<std::string> paths = {
      story("000_6874ef4b4f612f50.txt"), scratch.write("odd.txt", "\xff\xfe\xff"),
      story("001_3cd6856fb4b86c2d.txt"), scratch.file("missing.txt"),
      story("002_a9073757c4daf437.txt")};
  PrepareOptions options;
  options.voices_dir = (source / "voices").string();
  for (const int threads : {1, 2, 4}) {
    CAPTURE(threads);
    const std::vector<PreparedOrError> results = prepare_stories(paths, options, threads);
    REQUIRE(results.size() == paths.size());
    for (std::size_t i = 0; i < paths.size(); ++i) {
      CAPTURE(paths[i]);
      std::string alone_error;
      std::string alone_script;
      try {
        alone_script = script_of(prepare_story(paths[i], options));
      } catch (const InputError& e) {
        alone_error = e.what();
      }
      CHECK(input_error_of(results[i]) == alone_error);
      CHECK(results[i].story.has_value() == alone_error.empty());
      if (results[i].story) CHECK(script_of(*results[i].story) == alone_script);
    }
  }
  CHECK_FALSE(input_error_of(prepare_stories(paths, options, 2)[3]).empty());  // missing.txt
  CHECK(prepare_stories({}, options, 2).empty());
}

// EPUB and HTML are read through libxml2 (EPUB through libzip too), Markdown through cmark:
// libraries with state of their own, here used by several threads at once.
TEST_CASE("prepare: EPUB, HTML and Markdown stories prepared on several threads equal each alone") {
  ScratchDir scratch;
  const std::string dialogue =
      "\"Is the boat ready?\" asked Mara.\n\n\"Since dawn,\" said Tobias.\n\n"
      "\"Then we sail.\" Mara took the oars.\n";
  std::vector<std::string> paths;
  for (const std::string n : {"1", "2"}) {
    paths.push_back(scratch.file("book" + n + ".epub"));
    troupe_test::book_with_chapters({{"Chapter One", troupe_test::paragraphs_of(dialogue)},
                                     {"Chapter Two", troupe_test::paragraphs_of(dialogue)}})
        .write(paths.back());
    paths.push_back(scratch.write(
        "page" + n + ".html",
        "<!DOCTYPE html><html><head><title>The Boat</title></head><body><h1>Chapter One</h1>" +
            troupe_test::paragraphs_of(dialogue) + "</body></html>"));
    paths.push_back(scratch.write("notes" + n + ".md", "# Chapter One\n\n" + dialogue));
  }
  PrepareOptions options;
  options.voices_dir = (std::filesystem::path(TROUPE_SOURCE_DIR) / "voices").string();
  std::vector<std::string> alone;
  for (const std::string& path : paths) alone.push_back(script_of(prepare_story(path, options)));
  for (const int threads : {2, 3}) {
    CAPTURE(threads);
    const std::vector<PreparedOrError> results = prepare_stories(paths, options, threads);
    REQUIRE(results.size() == paths.size());
    for (std::size_t i = 0; i < paths.size(); ++i) {
      CAPTURE(paths[i]);
      REQUIRE(results[i].story.has_value());
      CHECK(script_of(*results[i].story) == alone[i]);
      CHECK(alone[i].find("\"speaker\":\"Tobias\"") != std::string::npos);
    }
  }
}

}  // namespace
}  // namespace troupe
