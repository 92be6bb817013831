#include <doctest/doctest.h>
#include <sndfile.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "audio/atomic_file.h"
#include "audio/manifest.h"
#include "audio/wav_writer.h"
#include "common/errors.h"

namespace troupe {
namespace {

namespace fs = std::filesystem;

// A fresh folder under the system's temp folder, removed afterwards.
class ScratchDir {
 public:
  ScratchDir() {
    static int counter = 0;
    path_ = fs::temp_directory_path() /
            ("troupe-test-audio-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

struct ReadBack {
  SF_INFO info{};
  std::vector<int16_t> samples;
};

ReadBack read_audio(const std::string& path) {
  ReadBack result;
  SNDFILE* file = sf_open(path.c_str(), SFM_READ, &result.info);
  REQUIRE(file != nullptr);
  result.samples.resize(static_cast<std::size_t>(result.info.frames));
  CHECK(sf_read_short(file, result.samples.data(), result.info.frames) == result.info.frames);
  sf_close(file);
  return result;
}

std::vector<int16_t> ramp(std::size_t count) {
  std::vector<int16_t> samples(count);
  for (std::size_t i = 0; i < count; ++i)
    samples[i] = static_cast<int16_t>((i % 200) * 100 - 10000);
  return samples;
}

}  // namespace

TEST_CASE("ms_to_samples") {
  CHECK(ms_to_samples(1000, 22050) == 22050);
  CHECK(ms_to_samples(250, 22050) == 5512);
  CHECK(ms_to_samples(0, 22050) == 0);
  CHECK(ms_to_samples(-5, 22050) == 0);
}

TEST_CASE("ChapterWriter writes a WAV libsndfile reads back the same") {
  ScratchDir dir;
  const std::string path = dir.file("chapter-01.wav");
  const std::vector<int16_t> speech = ramp(3000);
  {
    ChapterWriter writer(path, 22050);
    writer.write(speech.data(), speech.size());
    writer.write_silence(10000);
    CHECK(writer.frames_written() == 13000);
    CHECK(fs::exists(path + ".tmp"));
    CHECK_FALSE(fs::exists(path));
    writer.commit();
  }
  CHECK_FALSE(fs::exists(path + ".tmp"));
  const ReadBack back = read_audio(path);
  CHECK(back.info.frames == 13000);
  CHECK(back.info.samplerate == 22050);
  CHECK(back.info.channels == 1);
  CHECK(back.info.format == (SF_FORMAT_WAV | SF_FORMAT_PCM_16));
  CHECK(std::equal(speech.begin(), speech.end(), back.samples.begin()));
  CHECK(std::all_of(back.samples.begin() + 3000, back.samples.end(),
                    [](int16_t s) { return s == 0; }));
}

TEST_CASE("ChapterWriter destroyed without commit leaves nothing behind") {
  ScratchDir dir;
  const std::string path = dir.file("unfinished.wav");
  {
    ChapterWriter writer(path, 22050);
    writer.write_silence(500);
  }
  CHECK_FALSE(fs::exists(path));
  CHECK_FALSE(fs::exists(path + ".tmp"));
}

TEST_CASE("ChapterWriter into a missing folder throws a RenderError naming the file") {
  ScratchDir dir;
  const std::string path = dir.file("no/such/folder/chapter.wav");
  try {
    ChapterWriter writer(path, 22050);
    FAIL("expected a RenderError");
  } catch (const RenderError& error) {
    CHECK(std::string(error.what()).find(path) != std::string::npos);
  }
}

TEST_CASE("ChapterWriter refuses writes after commit") {
  ScratchDir dir;
  ChapterWriter writer(dir.file("done.wav"), 22050);
  writer.commit();
  CHECK_THROWS_AS(writer.write_silence(1), RenderError);
}

TEST_CASE("ChapterWriter writes FLAC too") {
  ScratchDir dir;
  const std::string path = dir.file("chapter.flac");
  const std::vector<int16_t> speech = ramp(5000);
  {
    ChapterWriter writer(path, 22050, AudioFormat::kFlac);
    writer.write(speech.data(), speech.size());
    writer.commit();
  }
  const ReadBack back = read_audio(path);
  CHECK((back.info.format & SF_FORMAT_TYPEMASK) == SF_FORMAT_FLAC);
  CHECK(back.samples == speech);
}

TEST_CASE("audio formats parse from their names") {
  CHECK(parse_audio_format("flac") == AudioFormat::kFlac);
  CHECK(parse_audio_format("wav") == AudioFormat::kWav);
  CHECK_FALSE(parse_audio_format("aiff").has_value());
  CHECK(audio_format_extension(AudioFormat::kOgg) == "ogg");
}

TEST_CASE("write_file_atomically replaces the file and leaves no .tmp") {
  ScratchDir dir;
  const std::string path = dir.file("notes.txt");
  write_file_atomically(path, "first");
  write_file_atomically(path, "second");
  CHECK(read_text(path) == "second");
  CHECK_FALSE(fs::exists(path + ".tmp"));
}

TEST_CASE("write_file_atomically into a missing folder names the file") {
  ScratchDir dir;
  const std::string path = dir.file("missing/notes.txt");
  try {
    write_file_atomically(path, "x");
    FAIL("expected a RenderError");
  } catch (const RenderError& error) {
    CHECK(std::string(error.what()).rfind(path + ": could not write: ", 0) == 0);
  }
}

TEST_CASE("the manifest round-trips through JSON with every key") {
  Manifest manifest;
  manifest.story = "The Lighthouse";
  manifest.source = "stories/lighthouse.txt";
  ManifestChapter chapter;
  chapter.number = 1;
  chapter.title = "Chapter One";
  chapter.file = "01-chapter-one.wav";
  chapter.duration = 12.3456;
  chapter.utterances.push_back({0.0, 1.5, "narrator", "cedar", "It was dark.", 3});
  chapter.utterances.push_back({1.5, 2.25, "Mark", "ember", "Hey, \"Lexie\".", 4});
  manifest.chapters.push_back(chapter);
  manifest.cast.push_back({"Mark", "ember", 'm', 1});

  ScratchDir dir;
  const std::string path = dir.file("manifest.json");
  write_manifest(path, manifest);
  const std::string text = read_text(path);
  CHECK(text == manifest_json(manifest));
  CHECK(text.find("\n  \"story\"") != std::string::npos);  // 2-space indent

  const auto json = nlohmann::json::parse(text);
  CHECK(json["story"] == "The Lighthouse");
  CHECK(json["source"] == "stories/lighthouse.txt");
  CHECK(json["sample_rate"] == 22050);
  const auto& first = json["chapters"][0];
  CHECK(first["number"] == 1);
  CHECK(first["title"] == "Chapter One");
  CHECK(first["file"] == "01-chapter-one.wav");
  CHECK(first["duration"] == doctest::Approx(12.346));
  const auto& said = first["utterances"][1];
  for (const char* key : {"start", "end", "speaker", "voice", "text", "line"}) {
    CHECK_MESSAGE(said.contains(key), key);
  }
  CHECK(said["text"] == "Hey, \"Lexie\".");
  CHECK(said["line"] == 4);
  CHECK(said["end"] == doctest::Approx(2.25));
  const auto& cast = json["cast"][0];
  CHECK(cast["speaker"] == "Mark");
  CHECK(cast["voice"] == "ember");
  CHECK(cast["gender"] == "m");
  CHECK(cast["lines"] == 1);
  // Keys come in a stable, readable order.
  CHECK(text.find("\"story\"") < text.find("\"chapters\""));
  CHECK(text.find("\"chapters\"") < text.find("\"cast\""));
}

TEST_CASE("invalid UTF-8 in a manifest does not throw") {
  Manifest manifest;
  manifest.story = std::string("bad \xff byte");
  CHECK_NOTHROW(manifest_json(manifest));
}

}  // namespace troupe
