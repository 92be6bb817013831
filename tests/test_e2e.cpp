// End to end: the real `troupe` binary on the sample stories in stories/.
//
// Each test runs the built binary (TROUPE_BINARY) through the shell from a fresh scratch folder,
// so nothing is written into the source tree. Story 001 is short and is the one rendered; story
// 002 is only scripted (rendering it would make the suite slow).
#include <doctest/doctest.h>
#include <sndfile.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "run_troupe.h"

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

const std::string kSourceDir = TROUPE_SOURCE_DIR;
const std::string kStory001 = kSourceDir + "/stories/001_3cd6856fb4b86c2d.txt";
const std::string kStory002 = kSourceDir + "/stories/002_a9073757c4daf437.txt";

using ScratchDir = troupe_test::ScratchDir;
using troupe_test::lines_of;
using troupe_test::read_text;
using troupe_test::Run;
using troupe_test::shell_quote;
using troupe_test::troupe;
using troupe_test::write_text;

// The folders directly inside `dir`.
std::vector<fs::path> subfolders(const fs::path& dir) {
  std::vector<fs::path> folders;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.is_directory()) folders.push_back(entry.path());
  std::sort(folders.begin(), folders.end());
  return folders;
}

std::vector<fs::path> files_ending(const fs::path& dir, const std::string& suffix) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && name.size() >= suffix.size() &&
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
      files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

struct Audio {
  SF_INFO info{};
  double seconds = 0, rms = 0;
};

Audio read_audio(const fs::path& path) {
  Audio audio;
  SNDFILE* file = sf_open(path.c_str(), SFM_READ, &audio.info);
  INFO("libsndfile: ", sf_strerror(nullptr), " for ", path.string());
  REQUIRE(file != nullptr);
  std::vector<std::int16_t> samples(static_cast<std::size_t>(audio.info.frames) *
                                    static_cast<std::size_t>(std::max(1, audio.info.channels)));
  const sf_count_t read =
      sf_read_short(file, samples.data(), static_cast<sf_count_t>(samples.size()));
  sf_close(file);
  CHECK(read == static_cast<sf_count_t>(samples.size()));
  double sum = 0;
  for (std::int16_t s : samples) sum += static_cast<double>(s) * s;
  audio.rms = samples.empty() ? 0 : std::sqrt(sum / static_cast<double>(samples.size()));
  audio.seconds = audio.info.samplerate > 0
                      ? static_cast<double>(audio.info.frames) / audio.info.samplerate
                      : 0;
  return audio;
}

Json parse_json(const std::string& text) {
  try {
    return Json::parse(text);
  } catch (const Json::exception& e) {
    FAIL("not JSON: ", e.what());
  }
  return {};
}

// The JSON Lines of `troupe script --format jsonl`, each line parsed.
std::vector<Json> parse_jsonl(const std::string& text) {
  std::vector<Json> records;
  for (const auto& line : lines_of(text)) records.push_back(parse_json(line));
  return records;
}

// A one-line message on stderr (no other lines) that contains `needle`.
void check_one_line_error(const Run& run, const std::string& needle) {
  INFO("stderr: ", run.err);
  CHECK(lines_of(run.err).size() == 1);
  CHECK(run.err.find(needle) != std::string::npos);
}

}  // namespace

TEST_CASE("e2e: render story 001 into a WAV chapter and a manifest") {
  ScratchDir scratch;
  const fs::path out = scratch.path() / "out";
  const Run run = troupe(scratch, {"render", kStory001, "-o", out.string()});
  REQUIRE(run.code == 0);

  // OUTDIR/<story>/, printed on stdout.
  const auto folders = subfolders(out);
  REQUIRE(folders.size() == 1);
  const fs::path folder = folders.front();
  CHECK(fs::equivalent(fs::path(lines_of(run.out).back()), folder));

  const auto wavs = files_ending(folder, ".wav");
  REQUIRE(wavs.size() == 1);
  CHECK(wavs.front().filename().string().rfind("01-", 0) == 0);  // NN-title.wav
  const Audio audio = read_audio(wavs.front());
  CHECK(audio.info.samplerate == 22050);
  CHECK(audio.info.channels == 1);
  CHECK((audio.info.format & SF_FORMAT_TYPEMASK) == SF_FORMAT_WAV);
  CHECK((audio.info.format & SF_FORMAT_SUBMASK) == SF_FORMAT_PCM_16);
  CHECK(audio.seconds > 10.0);
  CHECK(audio.rms > 100.0);  // speech, not silence (16-bit scale)

  // No temporary files are left behind.
  CHECK(files_ending(out, ".tmp").empty());

  // The manifest parses and lists the chapter and its utterances in time order.
  REQUIRE(fs::exists(folder / "manifest.json"));
  const Json manifest = parse_json(read_text(folder / "manifest.json"));
  CHECK(manifest.value("sample_rate", 0) == 22050);
  REQUIRE(manifest.contains("chapters"));
  REQUIRE(manifest["chapters"].is_array());
  REQUIRE(manifest["chapters"].size() == 1);
  const Json& chapter = manifest["chapters"][0];
  CHECK(chapter.value("number", 0) == 1);
  CHECK(chapter.value("file", std::string()) == wavs.front().filename().string());
  CHECK(std::abs(chapter.value("duration", 0.0) - audio.seconds) < 0.05);
  REQUIRE(chapter["utterances"].is_array());
  REQUIRE(chapter["utterances"].size() > 5);
  double previous_start = -1;
  std::set<std::string> speakers;
  for (const Json& utterance : chapter["utterances"]) {
    const double start = utterance.at("start").get<double>();
    const double end = utterance.at("end").get<double>();
    CHECK(start > previous_start);
    CHECK(end >= start);
    CHECK(end <= audio.seconds + 0.01);
    CHECK_FALSE(utterance.at("speaker").get<std::string>().empty());
    CHECK_FALSE(utterance.at("voice").get<std::string>().empty());
    speakers.insert(utterance.at("speaker").get<std::string>());
    previous_start = start;
  }
  CHECK(speakers.count("narrator") == 1);
  CHECK(speakers.size() >= 2);  // narration and at least one character
  REQUIRE(manifest.contains("cast"));
  CHECK(manifest["cast"].is_array());
}

TEST_CASE("e2e: script --format jsonl on story 002 finds the quotations and voices them") {
  ScratchDir scratch;
  const Run run = troupe(scratch, {"script", kStory002, "--format", "jsonl"});
  REQUIRE(run.code == 0);
  const auto records = parse_jsonl(run.out);
  REQUIRE_FALSE(records.empty());

  const std::set<std::string> kinds = {"title", "narration", "quote", "pause", "skipped"};
  int quotes = 0;
  int previous_line = 0;
  std::set<std::string> voices;
  for (const Json& record : records) {
    const std::string kind = record.at("kind").get<std::string>();
    CHECK(kinds.count(kind) == 1);
    CHECK(record.at("say").is_string());
    CHECK(record.at("text").is_string());
    const int line = record.at("line").get<int>();
    CHECK(line >= previous_line);  // story order
    previous_line = line;
    if (kind != "quote") continue;
    ++quotes;
    const std::string speaker = record.value("speaker", std::string());
    const std::string voice = record.value("voice", std::string());
    CHECK_FALSE(speaker.empty());
    CHECK_FALSE(voice.empty());
    CHECK(speaker != "narrator");
    voices.insert(voice);
  }
  CHECK(quotes >= 176);
  CHECK(voices.size() >= 6);
}

TEST_CASE("e2e: script --format text prints who says what") {
  ScratchDir scratch;
  const Run run = troupe(scratch, {"script", kStory001});
  REQUIRE(run.code == 0);
  CHECK(run.out.find("Nam-jun") != std::string::npos);
}

TEST_CASE("e2e: render --chapters renders only the chosen chapters") {
  ScratchDir scratch;
  write_text(scratch.path() / "three.txt",
             "Chapter 1\nAnn walked in. \"Hello there,\" said Ann.\n"
             "Chapter 2\nBob sat down. \"Hi, Ann,\" Bob said.\n"
             "Chapter 3\nThey left together.\n");
  const fs::path out = scratch.path() / "out";
  const Run run =
      troupe(scratch, {"render", "three.txt", "--chapters", "2-3", "-o", out.string(), "-q"});
  REQUIRE(run.code == 0);
  const auto folders = subfolders(out);
  REQUIRE(folders.size() == 1);
  const auto wavs = files_ending(folders.front(), ".wav");
  REQUIRE(wavs.size() == 2);
  CHECK(wavs[0].filename().string().rfind("02-", 0) == 0);
  CHECK(wavs[1].filename().string().rfind("03-", 0) == 0);
  const Json manifest = parse_json(read_text(folders.front() / "manifest.json"));
  REQUIRE(manifest["chapters"].size() == 2);
  CHECK(manifest["chapters"][0].value("number", 0) == 2);
  CHECK(manifest["chapters"][1].value("number", 0) == 3);

  SUBCASE("a malformed range is bad usage") {
    const Run bad =
        troupe(scratch, {"render", "three.txt", "--chapters", "x-y", "-o", out.string()});
    CHECK(bad.code == 2);
    CHECK(bad.err.find("--chapters") != std::string::npos);
  }
}

TEST_CASE("e2e: a folder of chapter files renders in natural name order") {
  ScratchDir scratch;
  const fs::path book = scratch.path() / "book";
  fs::create_directories(book);
  write_text(book / "10.txt", "The last part of the tale. \"Goodbye,\" said Ann.\n");
  write_text(book / "2.txt", "The first part of the tale. \"Hello,\" said Ann.\n");
  const fs::path out = scratch.path() / "out";
  const Run run = troupe(scratch, {"render", book.string(), "-o", out.string(), "-q"});
  REQUIRE(run.code == 0);
  const auto folders = subfolders(out);
  REQUIRE(folders.size() == 1);
  const auto wavs = files_ending(folders.front(), ".wav");
  REQUIRE(wavs.size() == 2);
  const Json manifest = parse_json(read_text(folders.front() / "manifest.json"));
  REQUIRE(manifest["chapters"].size() == 2);
  const Json& first = manifest["chapters"][0];
  const Json& second = manifest["chapters"][1];
  CHECK(first.value("title", std::string()) == "2");
  CHECK(second.value("title", std::string()) == "10");
  CHECK(first.value("file", std::string()).rfind("01-", 0) == 0);
  CHECK(second.value("file", std::string()).rfind("02-", 0) == 0);
  // The first chapter's text comes from 2.txt.
  bool first_from_2 = false;
  for (const Json& u : first["utterances"])
    if (u.value("text", std::string()).find("first part") != std::string::npos) first_from_2 = true;
  CHECK(first_from_2);
  CHECK(files_ending(out, ".tmp").empty());
}

TEST_CASE("e2e: a missing story is bad input, named on one line of stderr") {
  ScratchDir scratch;
  for (const char* command : {"render", "script", "cast"}) {
    CAPTURE(command);
    const Run run = troupe(scratch, {command, "no-such-story.txt"});
    CHECK(run.code == 2);
    check_one_line_error(run, "no-such-story.txt");
  }
  CHECK_FALSE(fs::exists(scratch.path() / "out"));
}

TEST_CASE("e2e: invalid UTF-8 is bad input naming the file and the line") {
  ScratchDir scratch;
  write_text(scratch.path() / "broken.txt", "A fine first line.\nA bad \xff\xfe byte here.\n");
  for (const char* command : {"render", "script"}) {
    CAPTURE(command);
    const Run run = troupe(scratch, {command, "broken.txt"});
    CHECK(run.code == 2);
    check_one_line_error(run, "broken.txt:2");
  }
  CHECK_FALSE(fs::exists(scratch.path() / "out"));
}

TEST_CASE("e2e: a bad cast file is bad input naming the file") {
  ScratchDir scratch;
  SUBCASE("an unknown key") {
    write_text(scratch.path() / "bad.cast.toml", "narrator = \"narrator\"\nbogus = 1\n");
    const Run run = troupe(scratch, {"script", kStory001, "--cast", "bad.cast.toml"});
    CHECK(run.code == 2);
    check_one_line_error(run, "bad.cast.toml");
    CHECK(run.err.find("bogus") != std::string::npos);
  }
  SUBCASE("a TOML syntax error") {
    write_text(scratch.path() / "bad.cast.toml", "[characters.\"Ann\"\ngender = \"f\"\n");
    const Run run = troupe(scratch, {"render", kStory001, "--cast", "bad.cast.toml", "-o", "out"});
    CHECK(run.code == 2);
    check_one_line_error(run, "bad.cast.toml");
    CHECK_FALSE(fs::exists(scratch.path() / "out"));
  }
  SUBCASE("an unknown voice profile") {
    write_text(scratch.path() / "bad.cast.toml", "narrator = \"no-such-voice\"\n");
    const Run run = troupe(scratch, {"cast", kStory001, "--cast", "bad.cast.toml"});
    CHECK(run.code == 2);
    check_one_line_error(run, "bad.cast.toml");
  }
  SUBCASE("a missing cast file") {
    const Run run = troupe(scratch, {"script", kStory001, "--cast", "missing.cast.toml"});
    CHECK(run.code == 2);
    check_one_line_error(run, "missing.cast.toml");
  }
}

TEST_CASE("e2e: bad usage exits with 2") {
  ScratchDir scratch;
  CHECK(troupe(scratch, {"render", "--no-such-option", kStory001}).code == 2);
  CHECK(troupe(scratch, {"script", kStory001, "--format", "xml"}).code == 2);
  CHECK(troupe(scratch, {"render", kStory001, "--rate", "99", "-o", "out"}).code == 2);
  CHECK(troupe(scratch, {"no-such-command"}).code == 2);
  CHECK(troupe(scratch, {}).code == 2);
  CHECK_FALSE(fs::exists(scratch.path() / "out"));
}

TEST_CASE("e2e: --help and --version exit with 0") {
  ScratchDir scratch;
  for (const char* command : {"render", "script", "cast", "voices"}) {
    CAPTURE(command);
    const Run run = troupe(scratch, {command, "--help"});
    CHECK(run.code == 0);
    CHECK_FALSE(run.out.empty());
  }
  const Run version = troupe(scratch, {"--version"});
  CHECK(version.code == 0);
  CHECK(version.out.find("troupe") != std::string::npos);
}

TEST_CASE("e2e: voices lists at least 17 profiles, 8 female and 8 male, from any folder") {
  ScratchDir scratch;  // not the source folder: the profiles are found anyway
  const Run run = troupe(scratch, {"voices"});
  REQUIRE(run.code == 0);
  const auto lines = lines_of(run.out);
  CHECK(lines.size() >= 17);
  int female = 0, male = 0;
  std::set<std::string> names;
  for (const auto& line : lines) {
    std::istringstream words(line);
    std::string name, gender;
    words >> name >> gender;
    names.insert(name);
    female += gender == "f";
    male += gender == "m";
  }
  CHECK(names.size() == lines.size());
  CHECK(names.count("narrator") == 1);
  CHECK(female >= 8);
  CHECK(male >= 8);
}

TEST_CASE("e2e: voices --say writes a WAV sample") {
  ScratchDir scratch;
  const Run run = troupe(scratch, {"voices", "--say", "Hello.", "-o", "sample.wav"});
  REQUIRE(run.code == 0);
  const Audio audio = read_audio(scratch.path() / "sample.wav");
  CHECK(audio.info.samplerate == 22050);
  CHECK(audio.info.channels == 1);
  CHECK(audio.seconds > 5.0);
  CHECK(audio.rms > 100.0);
  CHECK(files_ending(scratch.path(), ".tmp").empty());
}

TEST_CASE("e2e: cast --write freezes a cast file that loads again with the same voices") {
  ScratchDir scratch;
  const Run first = troupe(scratch, {"cast", kStory002, "--write", "frozen.cast.toml"});
  REQUIRE(first.code == 0);
  REQUIRE(fs::exists(scratch.path() / "frozen.cast.toml"));
  CHECK(lines_of(first.out).size() >= 7);  // header, narrator and the speakers

  const Run again = troupe(scratch, {"cast", kStory002, "--cast", "frozen.cast.toml"});
  REQUIRE(again.code == 0);
  CHECK(again.out == first.out);

  // The script voices every line the same way with the frozen cast.
  const Run script_default = troupe(scratch, {"script", kStory002, "--format", "jsonl"});
  const Run script_frozen =
      troupe(scratch, {"script", kStory002, "--format", "jsonl", "--cast", "frozen.cast.toml"});
  REQUIRE(script_default.code == 0);
  REQUIRE(script_frozen.code == 0);
  const auto a = parse_jsonl(script_default.out), b = parse_jsonl(script_frozen.out);
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    CAPTURE(i);
    CHECK(a[i].value("voice", std::string()) == b[i].value("voice", std::string()));
  }

  // Writing it again from the frozen cast gives the same file.
  const Run refrozen = troupe(
      scratch, {"cast", kStory002, "--cast", "frozen.cast.toml", "--write", "again.cast.toml"});
  REQUIRE(refrozen.code == 0);
  CHECK(read_text(scratch.path() / "again.cast.toml") ==
        read_text(scratch.path() / "frozen.cast.toml"));
}

TEST_CASE("e2e: every sample story loads with its cast file") {
  ScratchDir scratch;
  for (const auto& story : files_ending(fs::path(kSourceDir) / "stories", ".txt")) {
    CAPTURE(story.string());
    const fs::path cast = story.parent_path() / (story.stem().string() + ".cast.toml");
    CHECK(fs::exists(cast));
    const Run run = troupe(scratch, {"cast", story.string()});
    CHECK(run.code == 0);
    CHECK(run.err.empty());
  }
}
