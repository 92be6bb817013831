// A render is a pure function of its inputs: the real binary, run every way a book can be
// split, cached and interrupted, writes the same bytes.
#include <doctest/doctest.h>
#include <sndfile.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "run_troupe.h"
#include "scratch_dir.h"
#include "speech/engine.h"

namespace troupe {
namespace {

// The tests marked release-only render the book again and again to compare bytes: the sanitized
// run (scripts/sanitize) leaves them out, and sees jobs, shards, the cache and every format
// in the render tests.

namespace fs = std::filesystem;
using troupe_test::read_text;
using troupe_test::ScratchDir;

// A book made of sample story 002's paragraphs (its narration and dialogue, with several
// voices), each used once, with chapters of these many paragraphs. By default four chapters;
// chapter 2 is long enough for several speech groups, and is spoken in parts with --jobs 2.
void write_book(const fs::path& file, const std::vector<int>& sizes = {6, 100, 5, 8}) {
  std::ifstream sample(std::string(TROUPE_SOURCE_DIR) + "/stories/002_a9073757c4daf437.txt");
  std::vector<std::string> paragraphs;
  for (std::string line; std::getline(sample, line);)
    if (line.size() > 40) paragraphs.push_back(line);
  REQUIRE(paragraphs.size() > 120);
  std::ofstream out(file);
  std::size_t next = 10;
  for (std::size_t c = 0; c < sizes.size(); ++c) {
    out << "Chapter " << c + 1 << "\n\n";
    for (int p = 0; p < sizes[c]; ++p) out << paragraphs[next++ % paragraphs.size()] << "\n\n";
  }
}

// Every file under dir, by path relative to it, with its bytes; the utterance cache left out.
std::map<std::string, std::string> files_of(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (auto it = fs::recursive_directory_iterator(dir); it != fs::recursive_directory_iterator();
       ++it) {
    if (it->is_directory() && it->path().filename() == ".cache") {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file())
      files[fs::relative(it->path(), dir).string()] = read_text(it->path());
  }
  return files;
}

// Checks that `got` holds every file of `want` (or only those whose name has `only` in it)
// byte for byte, and no other.
void check_same_files(const std::map<std::string, std::string>& want,
                      const std::map<std::string, std::string>& got, const std::string& how,
                      const std::string& only = "") {
  INFO(how);
  std::size_t compared = 0;
  for (const auto& [name, bytes] : want) {
    if (!only.empty() && name.find(only) == std::string::npos) continue;
    INFO(name);
    const auto found = got.find(name);
    REQUIRE(found != got.end());
    CHECK(found->second == bytes);
    ++compared;
  }
  CHECK(compared > 0);
  if (only.empty()) CHECK(got.size() == want.size());
}

struct Book {
  ScratchDir dir{"troupe-determinism-test"};
  std::string err;  // of the last render
  Book() { write_book(dir.path() / "book.txt"); }
  explicit Book(const std::vector<int>& sizes) { write_book(dir.path() / "book.txt", sizes); }

  // Renders into dir/OUT with the extra arguments (quietly unless `quiet` is false); its files.
  std::map<std::string, std::string> render(const std::string& out, std::vector<std::string> extra,
                                            bool quiet = true) {
    std::vector<std::string> args = {"render", "book.txt", "-o", out};
    if (quiet) args.push_back("-q");
    args.insert(args.end(), extra.begin(), extra.end());
    const troupe_test::Run run = troupe_test::troupe(dir, args);
    INFO(run.err);
    REQUIRE(run.code == 0);
    err = run.err;
    return files_of(dir.path() / out);
  }
};

std::vector<int16_t> decoded_samples(const std::string& bytes, const fs::path& scratch) {
  troupe_test::write_text(scratch, bytes);
  SF_INFO info{};
  SNDFILE* file = sf_open(scratch.c_str(), SFM_READ, &info);
  REQUIRE(file != nullptr);
  std::vector<int16_t> samples(static_cast<std::size_t>(info.frames * info.channels));
  CHECK(sf_read_short(file, samples.data(), static_cast<sf_count_t>(samples.size())) ==
        static_cast<sf_count_t>(samples.size()));
  sf_close(file);
  return samples;
}

}  // namespace

TEST_CASE("determinism: what the engine said before changes no sample of an utterance") {
  Engine& engine = Engine::instance();
  VoiceParams female, male;
  female.variant = "f3";
  male.variant = "m3";
  male.rate = 190;
  const std::string text = "The quick brown fox jumps over the lazy dog, and then it said: hello.";
  const Utterance first = engine.speak(text, female);
  engine.speak("Mirren was growing rather bored of waiting beside her cousin.", male);
  const Utterance again = engine.speak(text, female);
  CHECK(!first.samples.empty());
  CHECK(again.samples == first.samples);
  CHECK(again.words.size() == first.words.size());

  // A session speaks its requests in order, each after the one before, the same every time.
  auto spoken = [&] {
    SpeechSession session(engine, {{"Hello there.", male}, {text, female}});
    Utterance a, b;
    session.next(a);
    session.next(b);
    return b.samples;
  };
  CHECK(spoken() == spoken());
}

TEST_CASE("determinism: jobs, chapter ranges, shards and the cache all give the same bytes" *
          doctest::test_suite("release-only")) {
  // Chapter 2 of 30 paragraphs, not the default book's 100: long enough to be spoken in parts
  // (asserted below), and the nine renders were the release suite's third longest test.
  Book book({6, 30, 5, 8});
  const auto reference = book.render("clean", {"--jobs", "1", "--cache-size", "0"});
  REQUIRE(reference.size() >= 4 * 3 + 3);  // audio and two subtitle files a chapter, and more

  const auto jobs2 = book.render("jobs2", {"--jobs", "2"}, false);
  CHECK(book.err.find("part 2/") != std::string::npos);  // chapter 2 spoken in parts
  check_same_files(reference, jobs2, "--jobs 2, cache cold");
  check_same_files(reference, book.render("jobs2", {"--jobs", "2", "--force"}),
                   "--jobs 2, cache warm");
  check_same_files(reference, book.render("jobs8", {"--jobs", "8", "--cache-size", "0"}),
                   "--jobs 8, no cache");
  check_same_files(reference, book.render("range", {"--chapters", "2-3", "--jobs", "1"}),
                   "--chapters 2-3", "02-");
  check_same_files(reference, book.render("range", {"--chapters", "3", "--jobs", "1"}),
                   "--chapters 3", "03-");
  check_same_files(reference, book.render("range", {"--jobs", "1"}), "then the whole book");

  book.render("shards", {"--shard", "1/2", "--jobs", "1"});
  book.render("shards", {"--shard", "2/2", "--jobs", "2"});
  check_same_files(reference, book.render("shards", {"--jobs", "2"}), "two shards, then all");
}

TEST_CASE("determinism: one long chapter spoken in parts by two workers gives one worker's bytes" *
          doctest::test_suite("release-only")) {
  Book book({70});
  const auto reference = book.render("one", {"--jobs", "1", "--cache-size", "0"});
  CHECK(book.err.find(" part ") == std::string::npos);  // one worker: the chapter whole

  // Not quiet: the progress lines (stderr is no terminal) name the parts as they are spoken.
  const auto two = book.render("two", {"--jobs", "2", "--cache-size", "0"}, false);
  INFO(book.err);
  CHECK(book.err.find("part 1/") != std::string::npos);
  CHECK(book.err.find("part 2/") != std::string::npos);
  check_same_files(reference, two, "--jobs 2, no cache");  // and no part's pack left behind

  // The packs in the cache, by name: one per speech group of the split chapter (named by what
  // it holds), one per chapter rendered whole; none elsewhere.
  auto packs = [&] {
    std::map<std::string, fs::file_time_type> found;
    for (const auto& entry : fs::recursive_directory_iterator(book.dir.path() / "cached"))
      if (entry.path().extension() == ".pack") {
        CHECK(entry.path().parent_path().filename() == ".cache");
        CHECK(entry.path().filename().string().find(".part-") == std::string::npos);
        found[entry.path().filename().string()] = entry.last_write_time();
      }
    return found;
  };
  check_same_files(reference, book.render("cached", {"--jobs", "2"}), "--jobs 2, cache cold");
  const auto cold = packs();
  CHECK(cold.size() >= 2);  // a part each
  check_same_files(reference, book.render("cached", {"--jobs", "2", "--force"}),
                   "--jobs 2, cache warm");
  // Nothing spoken again, nothing copied: the same packs (only their times touched).
  const auto warm = packs();
  CHECK(warm.size() == cold.size());
  for (const auto& [name, time] : cold) CHECK(warm.count(name) == 1);
}

TEST_CASE("determinism: a cache filled by another edit of the book speaks the same bytes" *
          doctest::test_suite("release-only")) {
  Book book;
  const auto reference = book.render("clean", {"--jobs", "1", "--cache-size", "0"});
  // The cache is filled from a different text, then the book is rendered back from it.
  const std::string original = read_text(book.dir.path() / "book.txt");
  std::string edited = original;
  // A word of a paragraph in the middle of chapter 2.
  const std::size_t middle = edited.find(" the ", edited.find("Chapter 2") + 3000);
  REQUIRE(middle != std::string::npos);
  edited.replace(middle, 5, " that ");
  troupe_test::write_text(book.dir.path() / "book.txt", edited);
  book.render("edited", {"--jobs", "2"});
  troupe_test::write_text(book.dir.path() / "book.txt", original);
  check_same_files(reference, book.render("edited", {"--jobs", "2"}), "cache from an edit");
}

TEST_CASE("determinism: FLAC and MP3 are byte-identical, Ogg Vorbis and Opus in their samples" *
          doctest::test_suite("release-only")) {
  // Chapter 2 is long enough to be spoken in two parts with --jobs 2, which is what this test
  // compares; 30 paragraphs, not the default book's 100 (six renders of the two chapters were
  // the release suite's second longest test).
  Book book({6, 30});
  for (const std::string format : {"flac", "mp3"}) {
    const auto one = book.render("one-" + format, {"--format", format, "--jobs", "1",
                                                   "--cache-size", "0", "--chapters", "1-2"});
    const auto two = book.render("two-" + format,
                                 {"--format", format, "--jobs", "2", "--chapters", "1-2"}, false);
    CHECK(book.err.find("part 2/") != std::string::npos);  // chapter 2 spoken in parts
    check_same_files(one, two, format);
  }
  // Ogg Vorbis and Opus carry a serial number from the clock: compared in their samples.
  // Opus is resampled by libsoxr, which dithered with a random seed until told not to.
  for (const std::string format : {"ogg", "opus"}) {
    const auto one =
        book.render("one-" + format, {"--format", format, "--jobs", "1", "--chapters", "1-2"});
    const auto two = book.render("two-" + format, {"--format", format, "--jobs", "2",
                                                   "--cache-size", "0", "--chapters", "1-2"});
    REQUIRE(one.size() == two.size());
    for (const auto& [name, bytes] : one) {
      INFO(name);
      if (!name.ends_with("." + format)) {
        CHECK(two.at(name) == bytes);
        continue;
      }
      const auto a = decoded_samples(bytes, book.dir.path() / ("a." + format));
      const auto b = decoded_samples(two.at(name), book.dir.path() / ("b." + format));
      CHECK(!a.empty());
      CHECK(a == b);
    }
  }
}

TEST_CASE("determinism: Ctrl-C to the process group, then a re-run, gives a clean render's bytes") {
  Book book;
  const auto reference = book.render("clean", {"--jobs", "1", "--cache-size", "0"});
  // A job of its own process group, interrupted like Ctrl-C in a terminal.
  const std::string command =
      "cd " + troupe_test::shell_quote(book.dir.path().string()) + " && set -m && " +
      troupe_test::shell_quote(TROUPE_BINARY) +
      " render book.txt -o resumed --jobs 2 -q </dev/null >/dev/null 2>&1 & "
      "sleep 0.7; kill -INT -$! 2>/dev/null; wait $!";
  const int status = std::system(("sh -c " + troupe_test::shell_quote(command)).c_str());
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  CHECK((code == 130 || code == 0));  // 0: it finished before the signal
  check_same_files(reference, book.render("resumed", {"--jobs", "2"}), "interrupted, re-run");
}

namespace {

// A chapter of ten paragraphs of sample story 002 rendered at each rate (and at 1): each lasts
// 1/rate as long as at 1, within 5%.
void check_rate_durations(const std::vector<double>& rates) {
  ScratchDir dir("troupe-rate-test");
  std::ifstream sample(std::string(TROUPE_SOURCE_DIR) + "/stories/002_a9073757c4daf437.txt");
  std::string text = "Chapter 1\n\n";
  int kept = 0;
  for (std::string line; std::getline(sample, line) && kept < 12;)
    if (line.size() > 40 && ++kept > 2) text += line + "\n\n";
  dir.write("s.txt", text);
  auto seconds = [&](const std::string& rate) {
    const auto run = troupe_test::troupe(
        dir, {"render", "s.txt", "-o", "r" + rate, "--rate", rate, "--loudness", "off", "-q"});
    REQUIRE(run.code == 0);
    for (const auto& entry : fs::recursive_directory_iterator(dir.path() / ("r" + rate)))
      if (entry.path().extension() == ".wav") {
        SF_INFO info{};
        SNDFILE* file = sf_open(entry.path().c_str(), SFM_READ, &info);
        REQUIRE(file != nullptr);
        sf_close(file);
        return static_cast<double>(info.frames) / info.samplerate;
      }
    FAIL("no WAV file");
    return 0.0;
  };
  const double normal = seconds("1");
  for (const double rate : rates) {
    char text_rate[16];
    std::snprintf(text_rate, sizeof text_rate, "%g", rate);
    INFO("--rate " << text_rate);
    const double expected = normal / rate;
    CHECK(std::abs(seconds(text_rate) - expected) <= 0.05 * expected);
  }
}

}  // namespace

TEST_CASE("--rate: a chapter lasts 1/X as long, within 5%, at both ends of the range") {
  check_rate_durations({0.8, 2.0});
}

// Release only (scripts/sanitize leaves it out): the same code as the ends of the range just
// above, which the sanitized run renders, for four more rates (under the sanitizers the whole
// range took 12.9 s, a third of its batch).
TEST_CASE("--rate: a chapter lasts 1/X as long, within 5%, at rates inside the range" *
          doctest::test_suite("release-only")) {
  check_rate_durations({0.9, 1.25, 1.5, 1.75});
}

TEST_CASE("--rate: nan, infinities and rates out of range are bad input") {
  ScratchDir dir("troupe-rate-test");
  dir.write("s.txt", "\"Hi,\" said Anna.\n");
  for (const std::string rate : {"nan", "inf", "-inf", "0", "0.79", "2.01", "3", "abc", "-1"}) {
    INFO("--rate " << rate);
    const auto run = troupe_test::troupe(dir, {"render", "s.txt", "--rate", rate});
    CHECK(run.code == 2);
    CHECK(troupe_test::lines_of(run.err).size() == 1);
    CHECK(run.err.find("--rate") != std::string::npos);
    CHECK_FALSE(fs::exists(dir.path() / "out"));
  }
}

}  // namespace troupe
