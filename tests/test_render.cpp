// Rendering: formats, subtitles, loudness, book files, up-to-date checks, the cache, batches,
// shards. Renders run the built binary (TROUPE_BINARY) on tiny stories written into a scratch
// folder, so that no eSpeak NG state is shared with the test process across the fork.
#include <doctest/doctest.h>
#include <ebur128.h>
#include <signal.h>
#include <sndfile.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "render/render.h"
#include "render/workers.h"
#include "run_troupe.h"
#include "skip.h"

namespace troupe {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

using ScratchDir = troupe_test::ScratchDir;
using troupe_test::lines_of;
using troupe_test::read_text;
using troupe_test::Run;
using troupe_test::shell_quote;
using troupe_test::troupe;
using troupe_test::write_text;

const char* kThreeChapters =
    "Chapter 1\n\nAnn walked into the kitchen. \"Hello there,\" said Ann. \"It is a fine day "
    "for a walk by the lake, and I mean to take one.\"\n\n"
    "Chapter 2\n\nBob sat down by the window. \"Hi, Ann,\" Bob said. \"Shall we go now?\"\n\n"
    "\"Not yet,\" Ann whispered.\n\n"
    "Chapter 3\n\nThey left together, and the door closed behind them.\n";

// A story file with three chapters, written into dir.
fs::path three_chapters(const ScratchDir& dir, const std::string& name = "three.txt") {
  const fs::path path = dir.path() / name;
  write_text(path, kThreeChapters);
  return path;
}

struct Decoded {
  SF_INFO info{};
  std::vector<float> samples;
  std::string title, album;
  double seconds() const { return static_cast<double>(info.frames) / info.samplerate; }
};

Decoded decode(const fs::path& path) {
  Decoded audio;
  SNDFILE* file = sf_open(path.c_str(), SFM_READ, &audio.info);
  INFO("libsndfile: ", sf_strerror(nullptr), " for ", path.string());
  REQUIRE(file != nullptr);
  if (const char* t = sf_get_string(file, SF_STR_TITLE)) audio.title = t;
  if (const char* a = sf_get_string(file, SF_STR_ALBUM)) audio.album = a;
  // Read until the end: some decoders do not know the frame count exactly beforehand.
  std::vector<float> buffer(4096);
  for (sf_count_t n; (n = sf_read_float(file, buffer.data(), 4096)) > 0;)
    audio.samples.insert(audio.samples.end(), buffer.begin(), buffer.begin() + n);
  sf_close(file);
  return audio;
}

struct Loudness {
  double integrated = 0, true_peak = 0;
};

// Measured with libebur128, the reference.
Loudness measure(const Decoded& audio) {
  ebur128_state* state = ebur128_init(1, static_cast<unsigned long>(audio.info.samplerate),
                                      EBUR128_MODE_I | EBUR128_MODE_TRUE_PEAK);
  REQUIRE(state != nullptr);
  ebur128_add_frames_float(state, audio.samples.data(), audio.samples.size());
  Loudness result;
  double peak = 0;
  ebur128_loudness_global(state, &result.integrated);
  ebur128_true_peak(state, 0, &peak);
  result.true_peak = 20 * std::log10(peak);
  ebur128_destroy(&state);
  return result;
}

Json manifest_of(const fs::path& folder) {
  return Json::parse(read_text(folder / "manifest.json"));
}

// Every file under dir with its size and modification time.
std::map<std::string, std::pair<std::uintmax_t, fs::file_time_type>> snapshot(const fs::path& dir) {
  std::map<std::string, std::pair<std::uintmax_t, fs::file_time_type>> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir))
    if (entry.is_regular_file())
      files[entry.path().string()] = {entry.file_size(), entry.last_write_time()};
  return files;
}

double parse_time(const std::string& text) {
  // 00:01:02,345 or 00:01:02.345
  return std::stoi(text.substr(0, 2)) * 3600 + std::stoi(text.substr(3, 2)) * 60 +
         std::stoi(text.substr(6, 2)) + std::stoi(text.substr(9, 3)) / 1000.0;
}

struct CueTimes {
  double start, end;
  std::string text;
};

std::vector<CueTimes> cues_of(const std::string& subtitles) {
  static const std::regex timing(R"((\d\d:\d\d:\d\d[,.]\d\d\d) --> (\d\d:\d\d:\d\d[,.]\d\d\d))");
  std::vector<CueTimes> cues;
  const auto lines = lines_of(subtitles);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::smatch m;
    if (std::regex_match(lines[i], m, timing) && i + 1 < lines.size())
      cues.push_back({parse_time(m[1]), parse_time(m[2]), lines[i + 1]});
  }
  return cues;
}

}  // namespace

TEST_CASE("render: FLAC, Opus and MP3 chapters decode with libsndfile, with their tags") {
  ScratchDir scratch;
  const fs::path story = three_chapters(scratch);
  for (const std::string format : {"flac", "opus", "mp3", "ogg"}) {
    CAPTURE(format);
    const fs::path out = scratch.path() / ("out-" + format);
    const Run run = troupe(scratch, {"render", story.string(), "--chapters", "1", "--format",
                                     format, "--author", "A. Writer", "-o", out.string(), "-q"});
    REQUIRE(run.code == 0);
    const fs::path file = out / "three" / ("01-chapter-1." + format);
    REQUIRE(fs::exists(file));
    const Decoded audio = decode(file);
    CHECK(audio.info.channels == 1);
    CHECK(audio.info.samplerate == (format == "opus" ? 48000 : 22050));
    const double duration = manifest_of(out / "three")["chapters"][0]["duration"].get<double>();
    CHECK(audio.seconds() == doctest::Approx(duration).epsilon(0.02));
    float peak = 0;
    for (float s : audio.samples) peak = std::max(peak, std::abs(s));
    CHECK(peak > 0.1f);  // speech, not silence
    CHECK(audio.title == "Chapter 1");
    CHECK(audio.album == "three");
  }
}

TEST_CASE("render: WAV chapters reach -18 LUFS within 0.2 LU, true peak at most -3 dBTP") {
  ScratchDir scratch;
  const fs::path story = three_chapters(scratch);
  const fs::path out = scratch.path() / "out";
  REQUIRE(troupe(scratch, {"render", story.string(), "-o", out.string(), "-q"}).code == 0);
  const Json manifest = manifest_of(out / "three");
  REQUIRE(manifest["chapters"].size() == 3);
  for (const Json& chapter : manifest["chapters"]) {
    const std::string file = chapter["file"];
    CAPTURE(file);
    const Loudness loudness = measure(decode(out / "three" / file));
    // libebur128 finds troupe's chapters within 0.17 LU of the target: 0.2 LU catches a gain
    // 5% off (0.45 LU), which 1 LU did not.
    CHECK(std::abs(loudness.integrated + 18.0) <= 0.2);
    CHECK(loudness.true_peak <= -3.0);
    // The manifest says what was done. Its figure is estimated from the utterances' own blocks,
    // without the blocks that straddle the silence between them: on a chapter of one sentence
    // (chapter 3 here, about 3 s) that leaves up to 0.24 LU; longer chapters come within 0.2.
    CHECK(std::abs(chapter["loudness"]["integrated"].get<double>() - loudness.integrated) < 0.25);
  }

  SUBCASE("--loudness off leaves eSpeak NG's level alone") {
    const fs::path raw = scratch.path() / "raw";
    REQUIRE(troupe(scratch, {"render", story.string(), "--chapters", "1", "--loudness", "off", "-o",
                             raw.string(), "-q"})
                .code == 0);
    CHECK_FALSE(manifest_of(raw / "three")["chapters"][0].contains("loudness"));
  }
}

TEST_CASE("render: subtitle cues carry the speaker and the words, in order, inside the audio") {
  ScratchDir scratch;
  const fs::path story = three_chapters(scratch);
  const fs::path out = scratch.path() / "out";
  REQUIRE(troupe(scratch, {"render", story.string(), "--chapters", "2", "-o", out.string(), "-q"})
              .code == 0);
  const fs::path folder = out / "three";
  const double seconds = decode(folder / "02-chapter-2.wav").seconds();
  for (const std::string kind : {"srt", "vtt"}) {
    CAPTURE(kind);
    const std::string text = read_text(folder / ("02-chapter-2." + kind));
    if (kind == "vtt") CHECK(text.rfind("WEBVTT\n", 0) == 0);
    const auto cues = cues_of(text);
    REQUIRE(cues.size() >= 4);
    double previous_end = -1;
    for (const auto& cue : cues) {
      CAPTURE(cue.text);
      CHECK(cue.start >= previous_end - 1e-9);
      CHECK(cue.end > cue.start);
      CHECK(cue.end <= seconds + 0.001);
      previous_end = cue.end;
    }
    const std::string bob = kind == "srt" ? "Bob: Hi, Ann," : "<v Bob>Hi, Ann,";
    CHECK(std::any_of(cues.begin(), cues.end(),
                      [&](const CueTimes& c) { return c.text.rfind(bob, 0) == 0; }));
    const std::string narrator =
        kind == "srt" ? "narrator: Bob sat down" : "<v narrator>Bob sat down";
    CHECK(std::any_of(cues.begin(), cues.end(),
                      [&](const CueTimes& c) { return c.text.rfind(narrator, 0) == 0; }));
  }
}

TEST_CASE("render: a book gets a playlist and an FFMETADATA chapters file") {
  ScratchDir scratch;
  const fs::path story = three_chapters(scratch);
  const fs::path out = scratch.path() / "out";
  REQUIRE(troupe(scratch,
                 {"render", story.string(), "-o", out.string(), "-q", "--author", "Ann Writer"})
              .code == 0);
  const fs::path folder = out / "three";
  const auto playlist = lines_of(read_text(folder / "playlist.m3u8"));
  REQUIRE(playlist.size() >= 7);
  CHECK(playlist[0] == "#EXTM3U");
  CHECK(std::count(playlist.begin(), playlist.end(), "01-chapter-1.wav") == 1);
  CHECK(playlist.back() == "03-chapter-3.wav");
  const std::string meta = read_text(folder / "chapters.ffmeta");
  CHECK(meta.rfind(";FFMETADATA1\n", 0) == 0);
  CHECK(meta.find("artist=Ann Writer") != std::string::npos);
  // Chapters follow one another without gaps, as the files do when joined.
  static const std::regex chapter(R"(START=(\d+)\nEND=(\d+)\ntitle=([^\n]*))");
  std::vector<std::pair<long, long>> spans;
  for (std::sregex_iterator it(meta.begin(), meta.end(), chapter), end; it != end; ++it)
    spans.emplace_back(std::stol((*it)[1]), std::stol((*it)[2]));
  REQUIRE(spans.size() == 3);
  CHECK(spans[0].first == 0);
  CHECK(spans[1].first == spans[0].second);
  CHECK(spans[2].first == spans[1].second);
  const double second = decode(folder / "02-chapter-2.wav").seconds();
  CHECK(std::abs((spans[1].second - spans[1].first) / 1000.0 - second) < 0.01);
}

TEST_CASE("render: a second render does nothing and an edit re-renders only its chapter") {
  ScratchDir scratch;
  const fs::path story = three_chapters(scratch);
  const fs::path out = scratch.path() / "out";
  REQUIRE(troupe(scratch, {"render", story.string(), "-o", out.string(), "-q"}).code == 0);
  const auto before = snapshot(out);

  const Run again = troupe(scratch, {"render", story.string(), "-o", out.string()});
  REQUIRE(again.code == 0);
  CHECK(snapshot(out) == before);  // not one file written, not even touched
  CHECK(again.err.find("3 up to date") != std::string::npos);

  SUBCASE("an edit in chapter 2 renders chapter 2 again, from the cache where it can") {
    std::string text = kThreeChapters;
    text.replace(text.find("Shall we go now?"), 16, "Shall we go to the lake now?");
    write_text(story, text);
    const Run edited = troupe(scratch, {"render", story.string(), "-o", out.string()});
    REQUIRE(edited.code == 0);
    const auto after = snapshot(out);
    const std::string folder = (out / "three").string();
    for (const char* unchanged : {"/01-chapter-1.wav", "/03-chapter-3.wav", "/01-chapter-1.srt"})
      CHECK(after.at(folder + unchanged) == before.at(folder + unchanged));
    CHECK(after.at(folder + "/02-chapter-2.wav") != before.at(folder + "/02-chapter-2.wav"));
    CHECK(edited.err.find("wrote 1 chapter(s)") != std::string::npos);
    const Json manifest = manifest_of(out / "three");
    REQUIRE(manifest["chapters"].size() == 3);
    bool found = false;
    for (const Json& u : manifest["chapters"][1]["utterances"])
      found = found || u["text"].get<std::string>().find("to the lake now") != std::string::npos;
    CHECK(found);
  }
  SUBCASE("a deleted chapter file is rendered again") {
    fs::remove(out / "three" / "03-chapter-3.wav");
    const Run run = troupe(scratch, {"render", story.string(), "-o", out.string()});
    CHECK(run.err.find("wrote 1 chapter(s)") != std::string::npos);
    CHECK(fs::exists(out / "three" / "03-chapter-3.wav"));
  }
}

// Each SUBCASE runs the first render again: these two are plain renders of every chapter, whose
// code the other render tests run under the sanitizers too, so they are in the suite the sanitized
// run leaves out (scripts/sanitize).
TEST_CASE("render: --force, another format or another loudness renders every chapter again" *
          doctest::test_suite("release-only")) {
  ScratchDir scratch;
  const fs::path story = three_chapters(scratch);
  const fs::path out = scratch.path() / "out";
  REQUIRE(troupe(scratch, {"render", story.string(), "-o", out.string(), "-q"}).code == 0);
  SUBCASE("--force renders everything again") {
    const Run forced = troupe(scratch, {"render", story.string(), "-o", out.string(), "--force"});
    REQUIRE(forced.code == 0);
    CHECK(forced.err.find("wrote 3 chapter(s)") != std::string::npos);
  }
  SUBCASE("another format or loudness is not up to date") {
    const Run flac =
        troupe(scratch, {"render", story.string(), "-o", out.string(), "--format", "flac"});
    CHECK(flac.err.find("wrote 3 chapter(s)") != std::string::npos);
    const Run quiet =
        troupe(scratch, {"render", story.string(), "-o", out.string(), "--loudness", "-20"});
    CHECK(quiet.err.find("wrote 3 chapter(s)") != std::string::npos);
  }
}

TEST_CASE("render: a damaged cache is ignored and rebuilt") {
  ScratchDir scratch;
  const fs::path story = three_chapters(scratch);
  const fs::path out = scratch.path() / "out";
  REQUIRE(troupe(scratch, {"render", story.string(), "--chapters", "1", "-o", out.string(), "-q"})
              .code == 0);
  const double seconds = decode(out / "three" / "01-chapter-1.wav").seconds();
  // The chapter's one speech group, in a pack named by its utterances.
  auto chapter_pack = [&] {
    fs::path found;
    for (const auto& entry : fs::directory_iterator(out / "three" / ".cache"))
      if (entry.path().filename().string().rfind("01-chapter-1.", 0) == 0 &&
          entry.path().extension() == ".pack") {
        CHECK(found.empty());  // the pack it replaces is gone
        found = entry.path();
      }
    return found;
  };
  const fs::path pack = chapter_pack();
  REQUIRE(fs::exists(pack));
  std::string bytes = read_text(pack);
  SUBCASE("damaged audio in a pack") {
    for (std::size_t i = 100; i < 20000 && i < bytes.size(); i += 7)
      bytes[i] = static_cast<char>(bytes[i] ^ 0x5a);
  }
  SUBCASE("a truncated pack") { bytes.resize(bytes.size() / 2); }
  SUBCASE("garbage") { bytes = "not a pack at all"; }
  write_text(pack, bytes);
  const Run run = troupe(
      scratch, {"render", story.string(), "--chapters", "1", "-o", out.string(), "-q", "--force"});
  REQUIRE(run.code == 0);
  const Decoded audio = decode(out / "three" / "01-chapter-1.wav");
  CHECK(std::abs(audio.seconds() - seconds) < 0.05);
  CHECK(std::abs(measure(audio).integrated + 18.0) <= 1.0);
  // The pack is whole again.
  const Run again = troupe(
      scratch, {"render", story.string(), "--chapters", "1", "-o", out.string(), "-q", "--force"});
  REQUIRE(again.code == 0);
  REQUIRE(fs::exists(chapter_pack()));
  CHECK(read_text(chapter_pack()).size() > 1000);
}

TEST_CASE("render: after a voice change the cache gives the new voice") {
  // The utterance cache must key on the voice: the narrator's lines, cached in one voice, are
  // not reused once the cast file gives the narrator another. The narrator's first line is
  // timed as a fresh render in the new voice times it, not as the cached old voice.
  ScratchDir scratch;
  const fs::path story = three_chapters(scratch);
  const fs::path out = scratch.path() / "out";
  const fs::path fresh = scratch.path() / "fresh";
  REQUIRE(troupe(scratch, {"render", story.string(), "--chapters", "1", "-o", out.string(), "-q"})
              .code == 0);
  auto first_line_end = [](const fs::path& folder) {
    const Json first = manifest_of(folder / "three")["chapters"][0]["utterances"][0];
    REQUIRE(first["speaker"] == "narrator");
    return first["end"].get<double>();
  };
  const double before = first_line_end(out);
  const fs::path cast = scratch.path() / "three.cast.toml";
  write_text(cast, "narrator = \"oak\"\n");
  for (const fs::path& folder : {out, fresh})
    REQUIRE(troupe(scratch, {"render", story.string(), "--chapters", "1", "--cast", cast.string(),
                             "-o", folder.string(), "-q"})
                .code == 0);
  CHECK(first_line_end(out) != doctest::Approx(before));
  CHECK(first_line_end(out) == doctest::Approx(first_line_end(fresh)));
}

TEST_CASE("render: shards split the chapters of all stories, each exactly once") {
  // The rule itself, over many stories and shard counts.
  for (int shards : {1, 2, 3, 5}) {
    for (const std::string title : {"a", "three", "oliver-twist", "x y z"}) {
      for (int number = 1; number <= 23; ++number) {
        int owners = 0;
        for (int shard = 1; shard <= shards; ++shard)
          owners += in_shard(title, number, shard, shards);
        CHECK(owners == 1);
      }
      // Even: every shard gets its share of a story's chapters.
      for (int shard = 1; shard <= shards; ++shard) {
        int mine = 0;
        for (int number = 1; number <= 23; ++number) mine += in_shard(title, number, shard, shards);
        CHECK(mine >= 23 / shards);
        CHECK(mine <= 23 / shards + 1);
      }
    }
  }
  // The binary, on two stories and three shards.
  ScratchDir scratch;
  const fs::path one = three_chapters(scratch, "one.txt");
  const fs::path two = three_chapters(scratch, "two.txt");
  std::map<std::string, std::multiset<int>> rendered;
  for (int shard = 1; shard <= 3; ++shard) {
    const fs::path out = scratch.path() / ("shard" + std::to_string(shard));
    const std::string k = std::to_string(shard) + "/3";
    const Run run = troupe(scratch, {"render", one.string(), two.string(), "--shard", k, "-o",
                                     out.string(), "-q", "--loudness", "off"});
    REQUIRE(run.code == 0);
    for (const char* story : {"one", "two"}) {
      if (!fs::exists(out / story)) continue;
      const Json manifest = manifest_of(out / story);
      for (const Json& chapter : manifest["chapters"])
        rendered[story].insert(chapter["number"].get<int>());
    }
  }
  for (const char* story : {"one", "two"}) {
    CAPTURE(story);
    const std::vector<int> numbers(rendered[story].begin(), rendered[story].end());
    CHECK(numbers == std::vector<int>{1, 2, 3});
  }
  CHECK(troupe(scratch, {"render", one.string(), "--shard", "4/3"}).code == 2);
  CHECK(troupe(scratch, {"render", one.string(), "--shard", "x"}).code == 2);
}

TEST_CASE("render: a batch with a bad story renders the others and exits with 2") {
  ScratchDir scratch;
  const fs::path good = three_chapters(scratch, "good.txt");
  write_text(scratch.path() / "bad.txt", "Fine.\nA bad \xff byte.\n");
  write_text(scratch.path() / "other.txt", "A short tale. \"Yes,\" said Ann.\n");
  const fs::path out = scratch.path() / "out";
  const Run run =
      troupe(scratch, {"render", good.string(), "bad.txt", "other.txt", "--chapters", "1", "--jobs",
                       "2", "-o", out.string(), "-q", "--loudness", "off"});
  CHECK(run.code == 2);
  const auto errors = lines_of(run.err);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].find("bad.txt:2") != std::string::npos);
  CHECK(fs::exists(out / "good" / "01-chapter-1.wav"));
  CHECK(fs::exists(out / "other" / "01-other.wav"));
  CHECK_FALSE(fs::exists(out / "bad"));
  CHECK(lines_of(run.out).size() == 2);  // the folders of the two stories that rendered
}

TEST_CASE("render: of two stories with one title, the second gets a folder of its own") {
  ScratchDir scratch;
  three_chapters(scratch, "a/tale.txt");
  write_text(scratch.path() / "b" / "tale.txt", "Another tale altogether.\n");
  const Run run = troupe(scratch, {"render", "a/tale.txt", "b/tale.txt", "--chapters", "1", "-o",
                                   "out", "-q", "--loudness", "off"});
  CHECK(run.code == 0);
  CHECK(fs::exists(scratch.path() / "out" / "tale" / "01-chapter-1.wav"));
  const auto folders = lines_of(run.out);
  REQUIRE(folders.size() == 2);
  CHECK(folders[1].rfind("out/tale-", 0) == 0);  // the title's slug and a hash of the source
}

TEST_CASE("render: --chapters past the last chapter is bad input on one line") {
  ScratchDir scratch;
  const fs::path story = three_chapters(scratch);
  for (const char* range : {"4", "5-6", "2-9"}) {
    CAPTURE(range);
    const Run run = troupe(scratch, {"render", story.string(), "--chapters", range, "-o", "out"});
    CHECK(run.code == 2);
    REQUIRE(lines_of(run.err).size() == 1);
    CHECK(run.err.find("3 chapters") != std::string::npos);
    CHECK_FALSE(fs::exists(scratch.path() / "out"));
  }
}

TEST_CASE("render: usage errors are one line on stderr and exit with 2") {
  ScratchDir scratch;
  const fs::path story = three_chapters(scratch);
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"render", "--no-such-option", story.string()},
                                             {"render", story.string(), "--format", "aiff"},
                                             {"render", story.string(), "--jobs", "0"},
                                             {"render", story.string(), "--loudness", "loud"},
                                             {"render"},
                                             {"no-such-command"},
                                             {}}) {
    const Run run = troupe(scratch, args);
    CHECK(run.code == 2);
    CHECK(lines_of(run.err).size() == 1);
    CHECK(run.err.rfind("troupe: ", 0) == 0);
  }
}

TEST_CASE("render: worker processes report results, failures and deaths") {
  std::vector<std::string> done(6);
  std::vector<std::string> failed(6);
  std::size_t units = 0;
  WorkerEvents events;
  events.done = [&](std::size_t t, const std::string& r) { done[t] = r; };
  events.failed = [&](std::size_t t, const std::string& m) { failed[t] = m; };
  events.progress = [&](std::size_t n) { units += n; };
  run_in_workers(
      6, 3,
      [](std::size_t t, const std::function<void(std::size_t)>& progress) -> std::string {
        progress(2);
        if (t == 2) throw std::runtime_error("task two failed");
        if (t == 4) ::kill(::getpid(), SIGKILL);  // a crash in the worker
        return "result " + std::to_string(t) + " from " + std::to_string(::getpid());
      },
      events);
  for (std::size_t t : {0, 1, 3, 5}) {
    CAPTURE(t);
    CHECK(done[t].rfind("result " + std::to_string(t), 0) == 0);
    CHECK(done[t].find(std::to_string(::getpid())) == std::string::npos);  // not this process
  }
  CHECK(failed[2] == "task two failed");
  CHECK(failed[4].find("signal") != std::string::npos);
  CHECK(units >= 8);
}

TEST_CASE("render: a manifest read again is its text now, even rewritten in place at its size") {
  // A render reads its book's manifest up to three times and parses it once when it has not
  // changed: what it compares is the text, so a rewrite that keeps the file's size, inode and
  // (within a clock tick) its times is read anew.
  ScratchDir scratch;
  const std::string path = (scratch.path() / "manifest.json").string();
  Manifest book;
  book.story = "Lake";
  ManifestChapter chapter;
  chapter.number = 1;
  chapter.file = "01-lake.wav";
  chapter.inputs = "aaaa";
  book.chapters = {chapter};
  write_text(path, manifest_json(book));
  const auto first = read_manifest_entries(path);
  REQUIRE(first != nullptr);
  REQUIRE(first->chapters.size() == 1);
  CHECK(first->chapters[0].head.inputs == "aaaa");
  CHECK(read_manifest_entries(path)->chapters[0].json == first->chapters[0].json);

  book.chapters[0].inputs = "bbbb";
  {
    std::ofstream in_place(path, std::ios::in | std::ios::out);  // no truncation, no new inode
    in_place << manifest_json(book);
  }
  const auto second = read_manifest_entries(path);
  REQUIRE(second != nullptr);
  CHECK(second->chapters[0].head.inputs == "bbbb");
  write_text(path, "{\"chapters\": [3]}");
  CHECK(read_manifest_entries(path) == nullptr);
  fs::remove(path);
  CHECK(read_manifest_entries(path) == nullptr);
}

}  // namespace troupe
