// What a render after an edit reads and reuses: the manifest's chapters as entries, read
// without a tree of their utterances when the manifest is in the form troupe writes.
#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "audio/manifest.h"
#include "common/errors.h"
#include "render/chapter.h"
#include "render/hash.h"
#include "render/prepare.h"
#include "render/utterance_cache.h"
#include "run_troupe.h"
#include "scratch_dir.h"
#include "skip.h"

namespace troupe {
namespace {

Manifest three_chapter_manifest() {
  Manifest manifest;
  // Looks like the chapters' key, but its newline is written escaped: never a line of its own.
  manifest.story = "The \"Lake\"\n  \"chapters\": [\n    {";
  manifest.source = "lake.txt";
  manifest.author = "A. N. Other";
  manifest.cast.push_back({"narrator", "cedar", 'x', 3});
  ManifestChapter one;
  one.number = 1;
  one.title = "One\n    }";
  one.file = "01-one.wav";
  one.duration = 61.5004;
  one.srt = "01-one.srt";
  one.vtt = "01-one.vtt";
  one.inputs = "0123abcd";
  one.bytes = 5'000'000'000;
  one.loudness = ManifestLoudness{-18.02, -3.4, 2.5};
  one.utterances.push_back({0.0, 1.5, "narrator", "cedar", "It was\ndark. \xc3\xa9", 3, {}});
  one.utterances.push_back(
      {1.5, 2.25, "Ann", "cedar", "Yes.", 4, {{1.5, 2.25, "Yes.", {1.5, 1.75}, {0, 2}}}});
  ManifestChapter two = one;  // utterances without cues: recorded before cues were
  two.number = 2;
  two.loudness.reset();
  two.utterances.pop_back();
  ManifestChapter three = one;  // nothing said
  three.number = 3;
  three.utterances.clear();
  manifest.chapters = {one, two, three};
  return manifest;
}

void check_same_loudness(const std::optional<ManifestLoudness>& read,
                         const std::optional<ManifestLoudness>& expected) {
  REQUIRE(read.has_value() == expected.has_value());
  if (!read) return;
  CHECK(read->integrated == expected->integrated);
  CHECK(read->true_peak == expected->true_peak);
  CHECK(read->gain == expected->gain);
}

// Every field of an entry, its head's numbers exactly.
void check_same_entry(const ManifestEntry& read, const ManifestEntry& expected) {
  CHECK(read.json == expected.json);
  CHECK(read.missing_cues == expected.missing_cues);
  const ManifestChapter& head = read.head;
  CHECK(head.number == expected.head.number);
  CHECK(head.title == expected.head.title);
  CHECK(head.file == expected.head.file);
  CHECK(head.duration == expected.head.duration);
  CHECK(head.srt == expected.head.srt);
  CHECK(head.vtt == expected.head.vtt);
  CHECK(head.inputs == expected.head.inputs);
  CHECK(head.bytes == expected.head.bytes);
  check_same_loudness(head.loudness, expected.head.loudness);
  CHECK(head.utterances.empty());
  CHECK(head.sample_rate == expected.head.sample_rate);
}

// read_manifest_entries' result against what the full parse of the same text reads: the
// book's every field and cast, and every chapter made an entry.
void check_as_full_parse(const ManifestEntries& read, const Manifest& full) {
  const Manifest& book = read.book;
  CHECK(book.story == full.story);
  CHECK(book.source == full.source);
  CHECK(book.author == full.author);
  CHECK(book.language == full.language);
  CHECK(book.series == full.series);
  CHECK(book.series_index == full.series_index);
  CHECK(book.cover == full.cover);
  CHECK(book.sample_rate == full.sample_rate);
  CHECK(book.chapters.empty());
  REQUIRE(book.cast.size() == full.cast.size());
  for (std::size_t k = 0; k < full.cast.size(); ++k) {
    CHECK(book.cast[k].speaker == full.cast[k].speaker);
    CHECK(book.cast[k].voice == full.cast[k].voice);
    CHECK(book.cast[k].gender == full.cast[k].gender);
    CHECK(book.cast[k].lines == full.cast[k].lines);
  }
  REQUIRE(read.chapters.size() == full.chapters.size());
  for (std::size_t k = 0; k < full.chapters.size(); ++k) {
    INFO("chapter " << k + 1);
    check_same_entry(read.chapters[k], manifest_entry(full.chapters[k]));
  }
}

// Read back as the full parse reads the manifest written, each chapter's JSON as written.
void check_same_entries(const ManifestEntries& read, const Manifest& manifest) {
  check_as_full_parse(read, manifest_from_json(manifest_json(manifest)));
  REQUIRE(read.chapters.size() == manifest.chapters.size());
  for (std::size_t k = 0; k < manifest.chapters.size(); ++k)
    CHECK(read.chapters[k].json == manifest_entry(manifest.chapters[k]).json);
}

TEST_CASE("rerender: a manifest's chapters read back as the entries they were written from") {
  const Manifest manifest = three_chapter_manifest();
  const std::string text = manifest_json(manifest);
  troupe_test::ScratchDir dir;
  const std::string path = dir.file("manifest.json");

  troupe_test::write_text(path, text);
  const auto read = read_manifest_entries(path);
  REQUIRE(read != nullptr);
  check_same_entries(*read, manifest);
  std::vector<const ManifestEntry*> pointers;
  for (const ManifestEntry& entry : read->chapters) pointers.push_back(&entry);
  CHECK(manifest_json(read->book, pointers) == text);

  // In another form (compact, as a user's tool might rewrite it): read all the same.
  troupe_test::write_text(path, nlohmann::ordered_json::parse(text).dump() + "\n");
  const auto compact = read_manifest_entries(path);
  REQUIRE(compact != nullptr);
  check_same_entries(*compact, manifest);

  Manifest empty = manifest;
  empty.chapters.clear();
  troupe_test::write_text(path, manifest_json(empty));
  const auto none = read_manifest_entries(path);
  REQUIRE(none != nullptr);
  CHECK(none->chapters.empty());
  CHECK(none->book.story == manifest.story);
}

TEST_CASE("rerender: a chapter's entry made from its utterances' JSON made apart is the same") {
  for (const ManifestChapter& chapter : three_chapter_manifest().chapters) {
    const ManifestEntry whole = manifest_entry(chapter);
    const ManifestEntry spliced = manifest_entry(chapter, utterances_json(chapter.utterances));
    CHECK(spliced.json == whole.json);
    CHECK(spliced.missing_cues == whole.missing_cues);
    CHECK(chapter_json(spliced.head) == chapter_json(whole.head));
    CHECK(spliced.head.utterances.empty());
    // The text given is spliced in, not made again from the chapter's utterances.
    const std::string marked = utterances_json(chapter.utterances) + " ";
    CHECK(manifest_entry(chapter, marked).json.ends_with(marked + "\n}"));
  }
}

TEST_CASE("rerender: a manifest damaged inside a chapter's utterances is no manifest") {
  const std::string text = manifest_json(three_chapter_manifest());
  troupe_test::ScratchDir dir;
  const std::string path = dir.file("manifest.json");
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"\"line\": 4", "\"line\": 4x"},                 // not JSON
           {"\"speaker\": \"Ann\"", "\"speaker\": \"Ann"},  // a string left open
           {"\n    },\n    {", "\n    },\n    "}}) {        // a chapter cut short
    INFO(to);
    std::string damaged = text;
    const std::size_t at = damaged.find(from);
    REQUIRE(at != std::string::npos);
    damaged.replace(at, from.size(), to);
    troupe_test::write_text(path, damaged);
    CHECK(read_manifest_entries(path) == nullptr);
  }
}

// Its chapters are kept and merged into the manifest written: one another user put in a
// shared output folder is not read (as the utterance cache's packs are not).
TEST_CASE("rerender: a manifest owned by another user is no manifest") {
  troupe_test::ScratchDir dir;
  const std::string path = dir.file("manifest.json");
  troupe_test::write_text(path, manifest_json(three_chapter_manifest()));
  REQUIRE(read_manifest_entries(path) != nullptr);
  if (geteuid() != 0) {
    troupe_test::skip_test("giving a file to another user needs root (CI runs as root)");
    return;
  }
  const uid_t nobody = 65534;
  REQUIRE_MESSAGE(::chown(path.c_str(), nobody, nobody) == 0, std::strerror(errno));
  CHECK(read_manifest_entries(path) == nullptr);
}

// A manifest not as troupe writes it (keys added, numbers written otherwise, other types) is
// read as the full parse reads it: the same entries, or none where it refuses.
TEST_CASE("rerender: a manifest in another form reads as the full parse reads it") {
  const std::string text = manifest_json(three_chapter_manifest());
  troupe_test::ScratchDir dir;
  const std::string path = dir.file("manifest.json");
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"", ""},                                    // as written
           {"\"start\": 1.5,", "\"start\": 1.5004,"},   // not rounded
           {"1.75", "175e-2"},                          // written otherwise
           {"\"start\": 1.5,", "\"start\": 2,"},        // an integer for a fraction
           {"\"start\": 1.5,", "\"start\": true,"},     // a boolean for a fraction
           {"\"line\": 4", "\"line\": 4.0"},            // a fraction for an integer
           {"\"bytes\": 5000000000", "\"bytes\": -1"},  // a negative count
           {"\"number\": 1,", "\"extra\": [1, {\"a\": 2}], \"number\": 1,"},  // a key added
           {"\"number\": 2,", "\"number\": 7, \"number\": 2,"},               // a key twice
           {"\"title\": \"One", "\"title\": \"\\u0001\\t\\\"One"},            // escapes
           {"\"line\": 4", "\"line\": \"4\""},             // refused: a string for a number
           {"\"speaker\": \"Ann\"", "\"speaker\": null"},  // refused: null for a string
           {"\"words\": [", "\"words\": [\"x\", "},        // refused: a string for a time
           {"\"chapters\": [", "\"chapters\": [[], "},     // refused: a chapter no object
           // Finite, but infinite once rounded: written null (which the next read refuses).
           {"\"duration\": 61.5,", "\"duration\": 1e306,"},
           {"\"integrated\": -18.02,", "\"integrated\": 1e307,"},
           {"\"duration\": 61.5,", "\"duration\": null,"}}) {  // refused: null for a time
    INFO(to);
    std::string changed = text;
    if (!from.empty()) {
      const std::size_t at = changed.find(from);
      REQUIRE(at != std::string::npos);
      changed.replace(at, from.size(), to);
    }
    troupe_test::write_text(path, changed);
    const auto read = read_manifest_entries(path);
    std::optional<Manifest> full;
    try {
      full = manifest_from_json(changed);
    } catch (const std::exception&) {
    }
    REQUIRE((read != nullptr) == full.has_value());
    if (read) check_as_full_parse(*read, *full);
  }
}

// The text of each speech group's first utterance, in order.
std::vector<std::string> group_starts(const std::string& story_path) {
  PrepareOptions options;
  options.voices_dir = std::string(TROUPE_SOURCE_DIR) + "/voices";
  const PreparedStory prepared = prepare_story(story_path, options);
  std::vector<std::string> starts;
  for (const SpokenLine& s : spoken_lines(prepared, prepared.script.chapters.at(0), 1.0))
    if (s.group_start) starts.push_back(s.say);
  return starts;
}

// A pack with one utterance of `samples` samples (3,000 unless told), two words and two
// loudness blocks, under key.
std::string pack_of_one(const troupe_test::ScratchDir& dir, const std::string& name,
                        const std::string& key, int samples = 3000) {
  CachedUtterance utterance;
  for (int i = 0; i < samples; ++i)
    utterance.samples.push_back(static_cast<int16_t>(i % 200 - 100));
  utterance.words = {{0, 3, 0}, {4, 5, 1500}};
  utterance.levels.blocks = {0.25f, 0.5f};
  utterance.levels.true_peak = 0.125f;
  const std::string path = dir.file(name);
  PackWriter writer(path, 22050);
  writer.add(key, utterance);
  writer.finish(true);
  return path;
}

// Flips the bits of the byte `past` bytes after the start of the samples of a pack_of_one.
void damage_sample_byte(const std::string& path, long past) {
  std::FILE* file = std::fopen(path.c_str(), "r+b");
  REQUIRE(file != nullptr);
  long data = 0;
  for (int at = 0; at < 4096; ++at) {  // the first of the samples' bytes -100, 0x9c 0xff
    std::fseek(file, at, SEEK_SET);
    const int a = std::fgetc(file), b = std::fgetc(file);
    if (a == 0x9c && b == 0xff) {
      data = at;
      break;
    }
  }
  REQUIRE(data > 0);
  std::fseek(file, data + past, SEEK_SET);
  const int byte = std::fgetc(file);
  REQUIRE(byte != EOF);
  std::fseek(file, data + past, SEEK_SET);
  std::fputc(byte ^ 0xff, file);
  std::fclose(file);
}

TEST_CASE("rerender: the join reads its parts' utterances without their samples, never others'") {
  troupe_test::ScratchDir dir;
  const std::string key(32, 'a');
  const std::string path = pack_of_one(dir, "01-chapter.part-1.pack", key);
  CachedUtterance read;
  read.samples.assign(10, 7);
  {
    PackLibrary library;
    REQUIRE(library.add(path, 22050, true));  // written by this run's part
    REQUIRE(library.load(key, read, false));
    CHECK(read.samples.empty());
    CHECK(read.frames == 3000);
    REQUIRE(read.words.size() == 2);
    CHECK(read.words[1].sample == 1500);
    CHECK(read.levels.blocks == std::vector<float>{0.25f, 0.5f});
    CHECK(read.levels.true_peak == 0.125f);
    std::vector<int16_t> samples(3000);
    REQUIRE(library.read_samples(key, 0, samples.data(), samples.size()));
    CHECK(samples[199] == 99);
    // Their reader checks them (and the words and blocks with them) by the load's checksum.
    REQUIRE(read.samples_checksum.has_value());
    CHECK(fast_checksum(samples.data(), samples.size() * 2) == *read.samples_checksum);
    FastChecksum in_pieces;
    for (std::size_t at = 0; at < samples.size(); at += 1000)
      in_pieces.add(samples.data() + at, 1000 * 2);
    CHECK(in_pieces.value() == *read.samples_checksum);
    REQUIRE(library.load(key, read, true));  // asked for: the samples, checked
    CHECK(read.samples.size() == 3000);
    CHECK_FALSE(read.samples_checksum.has_value());
  }
  {  // A pack from before (a cache), its samples not asked for: checked now, and not kept.
    PackLibrary library;
    REQUIRE(library.add(path, 22050));
    REQUIRE(library.load(key, read, false));
    CHECK(read.samples.empty());
    CHECK(read.frames == 3000);
    CHECK_FALSE(read.samples_checksum.has_value());
    CHECK(read.levels.blocks == std::vector<float>{0.25f, 0.5f});
  }
  // A pack from before (a cache) is checked whole when loaded, samples asked for or not: a
  // damaged sample makes the entry a miss.
  damage_sample_byte(path, 0);
  PackLibrary library;
  REQUIRE(library.add(path, 22050));
  CHECK_FALSE(library.load(key, read, false));
  CHECK_FALSE(library.contains(key));
}

TEST_CASE("rerender: a cache's entry longer than the check's buffer is checked whole") {
  // 100,000 samples (200,000 bytes): more than the 65,536 samples read at a time when a pack
  // is checked without keeping them.
  troupe_test::ScratchDir dir;
  const std::string key(32, 'b');
  const std::string path = pack_of_one(dir, "cache.pack", key, 100000);
  CachedUtterance read;
  {
    PackLibrary library;
    REQUIRE(library.add(path, 22050));
    REQUIRE(library.load(key, read, false));  // a hit
    CHECK(read.samples.empty());
    CHECK(read.frames == 100000);
  }
  damage_sample_byte(path, 150000);  // past the first 128 kB of samples
  PackLibrary library;
  REQUIRE(library.add(path, 22050));
  CHECK_FALSE(library.load(key, read, false));  // a miss
  CHECK_FALSE(library.contains(key));
}

TEST_CASE("rerender: speech groups are cut by the text, so an edit moves only its own group") {
  const std::string original =
      troupe_test::read_text(std::string(TROUPE_SOURCE_DIR) + "/stories/002_a9073757c4daf437.txt");
  troupe_test::ScratchDir dir;
  const std::string path = dir.file("story.txt");
  troupe_test::write_text(path, original);
  const std::vector<std::string> before = group_starts(path);
  REQUIRE(before.size() >= 4);  // some 36,000 characters

  // A word changed, then a sentence added, in a paragraph in the middle.
  for (const std::string& addition : {std::string("x"), std::string(" It rained all day.")}) {
    INFO(addition);
    std::string edited = original;
    const std::size_t at = edited.find(".\n", edited.size() / 2);
    REQUIRE(at != std::string::npos);
    edited.insert(at, addition);
    troupe_test::write_text(path, edited);
    const std::vector<std::string> after = group_starts(path);
    // Every group starts where it did but one or two: the edited group's end may move.
    std::size_t kept = 0;
    for (const std::string& start : after)
      kept += std::count(before.begin(), before.end(), start) > 0 ? 1 : 0;
    CHECK(kept + 2 >= before.size());
    CHECK(after.size() + 2 >= before.size());
  }
}

// The first `chars` or so of story 002 (whole paragraphs), as a story of its own.
std::string story_002_start(std::size_t chars) {
  const std::string text =
      troupe_test::read_text(std::string(TROUPE_SOURCE_DIR) + "/stories/002_a9073757c4daf437.txt");
  return text.substr(0, text.find("\n\n", chars) + 1);
}

PreparedStory prepared_story(const std::string& path) {
  PrepareOptions options;
  options.voices_dir = std::string(TROUPE_SOURCE_DIR) + "/voices";
  return prepare_story(path, options);
}

std::size_t parts_with_text(const std::vector<ChapterPart>& parts) {
  return static_cast<std::size_t>(std::count_if(
      parts.begin(), parts.end(), [](const ChapterPart& part) { return part.chars > 0; }));
}

TEST_CASE("rerender: after an edit, only the edited speech group counts as text to speak") {
  troupe_test::ScratchDir dir;
  const std::string path = dir.file("story.txt");
  const std::string original = story_002_start(12'000);
  troupe_test::write_text(path, original);
  ChapterSettings settings;
  settings.loudness = false;
  settings.cache_folder = dir.file("cache");
  std::filesystem::create_directories(settings.cache_folder);

  const PreparedStory before = prepared_story(path);
  const std::vector<ChapterPart> parts = parts_to_speak(before, 1, settings);
  REQUIRE(parts.size() >= 3);
  // Nothing cached yet: every part's whole text, as chapter_parts counts it.
  CHECK(parts_with_text(parts) == parts.size());
  const auto whole = chapter_parts(spoken_lines(before, before.script.chapters.at(0), 1.0));
  for (std::size_t k = 0; k < parts.size(); ++k) CHECK(parts[k].chars == whole[k].chars);
  for (std::size_t k = 0; k < parts.size(); ++k)
    speak_chapter_part(before, 1, k, settings,
                       settings.cache_folder + "/01-chapter.part-" + std::to_string(k) + ".pack");
  CHECK(parts_with_text(parts_to_speak(before, 1, settings)) == 0);

  // One word changed in the middle: its group is spoken again (and the next one too, when the
  // edit moved where the next group starts), not the others.
  std::string edited = original;
  const std::size_t at = edited.find(".\n", edited.size() / 2);
  REQUIRE(at != std::string::npos);
  edited.insert(at, " again");
  troupe_test::write_text(path, edited);
  const PreparedStory after = prepared_story(path);
  const std::size_t to_speak = parts_with_text(parts_to_speak(after, 1, settings));
  CHECK(to_speak >= 1);
  CHECK(to_speak <= 2);
  // Without a cache, everything is to speak.
  settings.cache_folder.clear();
  CHECK(parts_with_text(parts_to_speak(after, 1, settings)) ==
        parts_to_speak(after, 1, settings).size());
}

// Flips the bits of the byte at `offset` of the file at path (from its end when negative).
void damage_byte(const std::string& path, long offset) {
  std::FILE* file = std::fopen(path.c_str(), "r+b");
  REQUIRE(file != nullptr);
  std::fseek(file, offset, offset < 0 ? SEEK_END : SEEK_SET);
  const int byte = std::fgetc(file);
  std::fseek(file, offset, offset < 0 ? SEEK_END : SEEK_SET);
  std::fputc(byte ^ 0xff, file);
  std::fclose(file);
}

// The u64 at the start of a pack's trailer: where its index begins, after the utterances' data.
long index_offset(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  REQUIRE(file != nullptr);
  std::fseek(file, -24, SEEK_END);
  std::uint64_t offset = 0;
  CHECK(std::fread(&offset, sizeof offset, 1, file) == 1);
  std::fclose(file);
  return static_cast<long>(offset);
}

TEST_CASE("rerender: a join whose part's pack was damaged after it was spoken writes nothing") {
  troupe_test::ScratchDir dir;
  const std::string path = dir.file("story.txt");
  troupe_test::write_text(path, story_002_start(4'000));
  const PreparedStory story = prepared_story(path);
  const std::size_t parts =
      chapter_parts(spoken_lines(story, story.script.chapters.at(0), 1.0)).size();
  REQUIRE(parts >= 2);
  ChapterSettings settings;  // levelled, without a cache: the parts' packs are this run's
  for (std::size_t k = 0; k < parts; ++k) {
    settings.part_packs.push_back(dir.file("part-" + std::to_string(k) + ".pack"));
    speak_chapter_part(story, 1, k, settings, settings.part_packs.back());
    std::filesystem::copy_file(settings.part_packs.back(), settings.part_packs.back() + ".copy");
  }
  const ChapterFiles files{dir.file("out"), "01-one.wav", "01-one.srt", "01-one.vtt"};
  std::filesystem::create_directories(files.folder);
  auto restore_parts = [&] {
    for (const std::string& pack : settings.part_packs)
      std::filesystem::copy_file(pack + ".copy", pack,
                                 std::filesystem::copy_options::overwrite_existing);
  };
  render_chapter(story, 1, files, settings);  // whole: joined
  CHECK(std::filesystem::exists(dir.file("out/01-one.wav")));
  std::filesystem::remove_all(files.folder);
  std::filesystem::create_directories(files.folder);

  // A sample of the second part, then the last loudness block of its last utterance.
  const std::string& pack = settings.part_packs[1];
  for (const bool in_samples : {true, false}) {
    CAPTURE(in_samples);
    restore_parts();
    damage_byte(pack, in_samples ? 12 + 1001 : index_offset(pack) - 1);
    CHECK_THROWS_AS(render_chapter(story, 1, files, settings), RenderError);
    CHECK(std::filesystem::is_empty(files.folder));  // no audio, subtitles or temporary file
  }
}

}  // namespace
}  // namespace troupe
