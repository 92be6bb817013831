// The M4B audiobook (--m4b, src/publish): its chapters, cover and tags as players read them.
// ffprobe and ffmpeg are the checkers; without them these tests report a skip.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "audio/manifest.h"
#include "audio/wav_writer.h"
#include "output_checks.h"
#include "publish/m4b.h"

namespace troupe {
namespace {

// ffprobe's chapters, streams and format tags, as JSON.
Json probe(const ScratchDir& where, const fs::path& file) {
  return Json::parse(
      run_command(where, "ffprobe -v error -show_chapters -show_streams -show_format -of json " +
                             shell_quote(file.string())));
}

// What ffmpeg reports while decoding every stream of file (nothing, for a sound file).
std::string decode_errors(const ScratchDir& where, const fs::path& file) {
  const fs::path errors = where.path() / ".decode-errors";
  run_command(where, "ffmpeg -nostdin -v error -i " + shell_quote(file.string()) + " -f null - 2>" +
                         shell_quote(errors.string()));
  return read_text(errors);
}

// A small PNG made by ffmpeg, for the cover.
fs::path make_cover(const ScratchDir& where) {
  const fs::path cover = where.path() / "cover.png";
  run_command(where, "ffmpeg -nostdin -v error -f lavfi -i color=c=navy:s=64x48 -frames:v 1 " +
                         shell_quote(cover.string()));
  return cover;
}

// A story of `count` chapters, each titled and a sentence or two long.
fs::path chapters_story(const ScratchDir& where, int count) {
  std::string text;
  for (int n = 1; n <= count; ++n)
    text += "Chapter " + std::to_string(n) + "\n\nAnn counted to " + std::to_string(n) +
            ". \"That is chapter " + std::to_string(n) + ",\" she said.\n\n";
  const fs::path story = where.path() / "twelve.txt";
  write_text(story, text);
  return story;
}

// A mono WAV chapter of a tone lasting `samples` samples at 22050 Hz.
void write_tone(const fs::path& path, std::size_t samples, double hertz) {
  std::vector<std::int16_t> tone(samples);
  for (std::size_t i = 0; i < samples; ++i)
    tone[i] = static_cast<std::int16_t>(8000 * std::sin(2 * M_PI * hertz * i / 22050.0));
  ChapterWriter writer(path.string(), 22050);
  writer.write(tone.data(), tone.size());
  writer.commit();
}

std::string chapter_name(int n) { return "tone-" + std::to_string(n) + ".wav"; }

// A book folder of `count` tone chapters and its manifest (the chapter entries publish_m4b reads).
Manifest tone_book(const fs::path& folder, int count, std::size_t samples) {
  Manifest manifest;
  manifest.story = "Tones";
  for (int n = 1; n <= count; ++n) {
    ManifestChapter chapter;
    chapter.number = n;
    chapter.title = "Tone " + std::to_string(n);
    chapter.file = chapter_name(n);
    chapter.inputs = "inputs-" + std::to_string(n);
    write_tone(folder / chapter.file, samples, 220.0 + n);
    chapter.bytes = fs::file_size(folder / chapter.file);
    chapter.duration = samples / 22050.0;
    manifest.chapters.push_back(chapter);
  }
  return manifest;
}

TEST_CASE(
    "m4b: a twelve-chapter book's M4B has its chapters at the manifest's times, its cover "
    "and its tags") {
  if (skipped_without_ffmpeg()) return;
  ScratchDir scratch;
  const fs::path story = chapters_story(scratch, 12);
  const fs::path cover = make_cover(scratch);
  const fs::path out = scratch.path() / "out";
  const Run run = troupe(scratch, {"render", story.string(), "-o", out.string(), "-q", "--m4b",
                                   "--cover", cover.string(), "--author", "Ann Writer"});
  INFO(run.err);
  REQUIRE(run.code == 0);
  const fs::path book = out / "twelve" / "twelve.m4b";
  REQUIRE(fs::is_regular_file(book));

  const Json manifest = Json::parse(read_text(out / "twelve" / "manifest.json"));
  const Json probed = probe(scratch, book);
  const Json& chapters = probed["chapters"];
  REQUIRE(chapters.size() == 12);
  REQUIRE(manifest["chapters"].size() == 12);
  double start = 0;
  for (std::size_t i = 0; i < 12; ++i) {
    CAPTURE(i);
    CHECK(chapters[i]["tags"]["title"] == manifest["chapters"][i]["title"]);
    CHECK(std::abs(std::stod(chapters[i]["start_time"].get<std::string>()) - start) < 0.05);
    start += manifest["chapters"][i]["duration"].get<double>();
  }
  CHECK(std::abs(std::stod(probed["format"]["duration"].get<std::string>()) - start) < 0.1);

  int audio = 0, covers = 0;
  for (const Json& stream : probed["streams"]) {
    if (stream["codec_type"] == "audio" && stream["codec_name"] == "aac") ++audio;
    if (stream["disposition"]["attached_pic"] == 1 && stream["codec_name"] == "png") ++covers;
  }
  CHECK(audio == 1);
  CHECK(covers == 1);
  const Json& tags = probed["format"]["tags"];
  CHECK(tags["title"] == "twelve");
  CHECK(tags["album"] == "twelve");
  CHECK(tags["artist"] == "Ann Writer");
  CHECK(tags["genre"] == "Audiobook");
  CHECK(decode_errors(scratch, book).empty());
  // Twelve chapters fit in the Nero list as well.
  CHECK(read_text(book).find("chpl") != std::string::npos);

  SUBCASE("a second render leaves the M4B alone") {
    const auto before = fs::last_write_time(book);
    REQUIRE(troupe(scratch, {"render", story.string(), "-o", out.string(), "-q", "--m4b", "--cover",
                             cover.string(), "--author", "Ann Writer"})
                .code == 0);
    CHECK(fs::last_write_time(book) == before);
    SUBCASE("and a new author rewrites it") {
      REQUIRE(troupe(scratch, {"render", story.string(), "-o", out.string(), "-q", "--m4b",
                               "--author", "Bob Writer"})
                  .code == 0);
      const Json again = probe(scratch, book);
      CHECK(again["format"]["tags"]["artist"] == "Bob Writer");
      CHECK(again["streams"].size() == 2);  // the audio and the chapter track: no cover now
    }
  }
}

TEST_CASE("m4b: a book of 300 short chapters has all 300 in the QuickTime chapter track") {
  if (skipped_without_ffmpeg()) return;
  ScratchDir scratch;
  const fs::path folder = scratch.path() / "tones";
  fs::create_directories(folder);
  const std::size_t samples = 2205;  // 0.1 s
  const Manifest manifest = tone_book(folder, 300, samples);
  REQUIRE(publish_m4b(folder.string(), manifest, {"Tones", "", "", "", "", ""}));
  const fs::path book = folder / "tones.m4b";
  const Json chapters = probe(scratch, book)["chapters"];
  REQUIRE(chapters.size() == 300);
  CHECK(chapters[299]["tags"]["title"] == "Tone 300");
  CHECK(std::abs(std::stod(chapters[299]["start_time"].get<std::string>()) - 29.9) < 0.05);
  // The Nero list holds at most 255: with more, there is none, and the chapters above can only
  // have come from the QuickTime chapter track.
  CHECK(read_text(book).find("chpl") == std::string::npos);
  CHECK(decode_errors(scratch, book).empty());
}

TEST_CASE("m4b: the same chapters make the same bytes, and an M4B up to date is not written") {
  if (skipped_without_ffmpeg()) return;
  ScratchDir scratch;
  const fs::path first = scratch.path() / "a" / "book", second = scratch.path() / "b" / "book";
  fs::create_directories(first);
  fs::create_directories(second);
  const Manifest manifest = tone_book(first, 3, 22050);
  tone_book(second, 3, 22050);
  const BookInfo info{"Tones", "Ann Writer", "1901", "The Tones", "2", ""};
  REQUIRE(publish_m4b(first.string(), manifest, info));
  REQUIRE(publish_m4b(second.string(), manifest, info));
  CHECK(read_text(first / "book.m4b") == read_text(second / "book.m4b"));
  CHECK_FALSE(publish_m4b(first.string(), manifest, info));
  // An M4B cut short (its index is at the front, and intact) is written again.
  const std::string whole = read_text(second / "book.m4b");
  fs::resize_file(second / "book.m4b", whole.size() - 100);
  CHECK(publish_m4b(second.string(), manifest, info));
  CHECK(read_text(second / "book.m4b") == whole);

  const Json tags = probe(scratch, first / "book.m4b")["format"]["tags"];
  CHECK(tags["date"] == "1901");
  CHECK(tags["grouping"] == "The Tones, Book 2");
  CHECK(tags["album_artist"] == "Ann Writer");

  BookInfo renamed = info;
  renamed.title = "Other Tones";
  CHECK(publish_m4b(first.string(), manifest, renamed));
  // Nothing is left beside it.
  int files = 0;
  for (const auto& entry : fs::directory_iterator(first)) files += entry.is_regular_file();
  CHECK(files == 4);
}

TEST_CASE("m4b: a bad cover is refused before any rendering, naming the file") {
  ScratchDir scratch;
  const fs::path story = chapters_story(scratch, 2);
  const std::string text_cover = scratch.write("cover.jpg", "not an image at all");
  const fs::path out = scratch.path() / "out";
  const Run bad = troupe(scratch, {"render", story.string(), "-o", out.string(), "-q", "--m4b",
                                   "--cover", text_cover});
  CHECK(bad.code == 2);
  CHECK(bad.err.find(text_cover + ": the cover is not a JPEG or PNG image") != std::string::npos);
  const Run missing = troupe(scratch, {"render", story.string(), "-o", out.string(), "-q", "--m4b",
                                       "--cover", scratch.file("none.png")});
  CHECK(missing.code == 2);
  CHECK(missing.err.find("none.png: cannot read the cover") != std::string::npos);
  const Run alone =
      troupe(scratch, {"render", story.string(), "-o", out.string(), "-q", "--cover", text_cover});
  CHECK(alone.code == 2);
  CHECK_FALSE(fs::exists(out));
}

TEST_CASE("m4b: a sharded render writes no M4B, the whole book does, saying so") {
  if (skipped_without_ffmpeg()) return;
  ScratchDir scratch;
  const fs::path story = chapters_story(scratch, 2);
  const fs::path out = scratch.path() / "out";
  REQUIRE(troupe(scratch,
                 {"render", story.string(), "-o", out.string(), "-q", "--m4b", "--shard", "1/2"})
              .code == 0);
  CHECK_FALSE(fs::exists(out / "twelve" / "twelve.m4b"));
  const Run whole = troupe(scratch, {"render", story.string(), "-o", out.string(), "--m4b"});
  REQUIRE(whole.code == 0);
  const fs::path book = out / "twelve" / "twelve.m4b";
  CHECK(fs::exists(book));
  // It can take a while: the user is told.
  CHECK(whole.err.find("troupe: writing " + book.string()) != std::string::npos);
}

TEST_CASE("m4b: troupe starts without FFmpeg's libraries, which only its module links") {
  // FFmpeg's ~110 libraries cost every render ~0.1 s of CPU to load.
  ScratchDir scratch;
  const std::string libraries = troupe_test::troupe_libraries(scratch);
  CHECK(libraries.find("libsndfile") != std::string::npos);  // the listing is one
  CHECK(libraries.find("libavcodec") == std::string::npos);
  CHECK(libraries.find("libavformat") == std::string::npos);
  CHECK(fs::is_regular_file(fs::path(TROUPE_BINARY).parent_path() / "troupe-av.so"));
}

}  // namespace
}  // namespace troupe
