// Voice profiles, cast files and casting.
#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "casting/cast_file.h"
#include "casting/casting.h"
#include "casting/espeak_data.h"
#include "casting/voice_profile.h"
#include "common/errors.h"
#include "scratch_dir.h"

namespace troupe {
namespace {

namespace fs = std::filesystem;

#ifdef TROUPE_SOURCE_DIR
const char* const kSourceDir = TROUPE_SOURCE_DIR;
#else
const char* const kSourceDir = "/work/main";
#endif

using ScratchDir = troupe_test::ScratchDir;

// The message of the InputError that `action` throws; fails the test if it throws none.
template <typename Action>
std::string input_error_of(Action action) {
  try {
    action();
  } catch (const InputError& error) {
    return error.what();
  }
  FAIL("expected an InputError");
  return {};
}

const char* const kValidProfile =
    "name = \"test\"\n"
    "espeak = \"en-us\"\n"
    "variant = \"f3\"\n"
    "gender = \"f\"\n"
    "rate = 170\n"
    "pitch = 62\n"
    "range = 55\n"
    "volume = 100\n";

std::string replace_line(std::string text, const std::string& from, const std::string& to) {
  text.replace(text.find(from), from.size(), to);
  return text;
}

VoiceProfile profile(const std::string& name, Gender gender, const std::string& variant,
                     int pitch) {
  VoiceProfile p;
  p.name = name;
  p.gender = gender;
  p.params.variant = variant;
  p.params.pitch = pitch;
  return p;
}

// A narrator plus `females` female and `males` male profiles, named f0.., m0...
std::vector<VoiceProfile> synthetic_profiles(int females, int males) {
  std::vector<VoiceProfile> profiles = {profile("narrator", Gender::Unknown, "m3", 45)};
  for (int i = 0; i < females; ++i) {
    profiles.push_back(profile("f" + std::to_string(i), Gender::Female, "f1", 50 + i));
  }
  for (int i = 0; i < males; ++i) {
    profiles.push_back(profile("m" + std::to_string(i), Gender::Male, "m1", 30 + i));
  }
  return profiles;
}

SpeakerInfo speaker(const std::string& name, Gender gender, int lines,
                    std::set<int> chapters = {1}) {
  return SpeakerInfo{name, gender, lines, std::move(chapters)};
}

std::vector<SpeakerInfo> female_speakers(int count) {
  std::vector<SpeakerInfo> speakers;
  for (int i = 0; i < count; ++i) {
    speakers.push_back(speaker("Woman" + std::to_string(i), Gender::Female, 100 - i));
  }
  return speakers;
}

std::map<std::string, std::string> profile_by_speaker(const Cast& cast) {
  std::map<std::string, std::string> result;
  for (const VoiceAssignment& voice : cast.voices) result[voice.speaker] = voice.profile;
  return result;
}

Gender gender_of_profile(const std::vector<VoiceProfile>& profiles, const std::string& name) {
  for (const VoiceProfile& p : profiles) {
    if (p.name == name) return p.gender;
  }
  FAIL("no profile " << name);
  return Gender::Unknown;
}

const char* const kFullCast = R"(narrator = "narrator"
main_character = "Nam-jun"

[reader]
name = "Jamie"
last_name = "Park"
aliases = ["Y/N", "{{user}}"]
gender = "f"
voice = "ember"

[characters."Zed"]
gender = "x"

[characters."Mark"]
aliases = ["Mark Lee", "Markie"]
gender = "m"
voice = "cedar"

[pronounce]
Taeyong = "Tae-yong"
Haechan = "[[h'e:tS@n]]"

[[pin]]
quote = "Eunjin pushed Haechan!"
speaker = "Yeonha"

[[pin]]
quote = "Say \"hi\""
speaker = "Mark"
)";

}  // namespace

// ---- voice profiles ----

TEST_CASE("casting: every shipped profile parses, validates and is distinct") {
  const std::vector<VoiceProfile> profiles =
      load_voice_profiles((fs::path(kSourceDir) / "voices").string());
  CHECK(profiles.size() >= 19);
  const auto count = [&](Gender g) {
    return std::count_if(profiles.begin(), profiles.end(),
                         [g](const VoiceProfile& p) { return p.gender == g; });
  };
  CHECK(count(Gender::Female) >= 9);
  CHECK(count(Gender::Male) >= 9);
  CHECK(std::any_of(profiles.begin(), profiles.end(),
                    [](const VoiceProfile& p) { return p.name == "narrator"; }));
  std::set<std::tuple<std::string, std::string, int, int>> combos;
  std::set<std::string> names;
  for (const VoiceProfile& p : profiles) {
    combos.insert({p.params.espeak_voice, p.params.variant, p.params.pitch, p.params.rate});
    names.insert(p.name);
    CHECK(fs::path(p.file).stem() == p.name);
  }
  CHECK(combos.size() == profiles.size());
  CHECK(names.size() == profiles.size());
  CHECK(
      std::is_sorted(profiles.begin(), profiles.end(),
                     [](const VoiceProfile& a, const VoiceProfile& b) { return a.name < b.name; }));
}

TEST_CASE("casting: a valid profile reads every key") {
  ScratchDir dir("troupe-casting");
  const VoiceProfile p = read_voice_profile(dir.write("test.toml", kValidProfile));
  CHECK(p.name == "test");
  CHECK(p.gender == Gender::Female);
  CHECK(p.params.espeak_voice == "en-us");
  CHECK(p.params.variant == "f3");
  CHECK(p.params.rate == 170);
  CHECK(p.params.pitch == 62);
  CHECK(p.params.range == 55);
  CHECK(p.params.volume == 100);
}

TEST_CASE("casting: a profile with pitch 150 is an error naming file and line") {
  ScratchDir dir("troupe-casting");
  const std::string path =
      dir.write("loud.toml", replace_line(kValidProfile, "pitch = 62", "pitch = 150"));
  const std::string message = input_error_of([&] { read_voice_profile(path); });
  CHECK(message.find(path + ":6:") == 0);
  CHECK(message.find("pitch") != std::string::npos);
  CHECK(message.find("150") != std::string::npos);
}

TEST_CASE("casting: profile validation rejects bad values") {
  ScratchDir dir("troupe-casting");
  SUBCASE("unknown variant") {
    const std::string path =
        dir.write("v.toml", replace_line(kValidProfile, "\"f3\"", "\"nosuchvariant\""));
    const std::string message = input_error_of([&] { read_voice_profile(path); });
    CHECK(message.find(path + ":3:") == 0);
    CHECK(message.find("nosuchvariant") != std::string::npos);
  }
  SUBCASE("unknown espeak voice") {
    const std::string path = dir.write("e.toml", replace_line(kValidProfile, "en-us", "xx-nope"));
    CHECK(input_error_of([&] { read_voice_profile(path); }).find(path + ":2:") == 0);
  }
  SUBCASE("espeak voices match case-insensitively") {
    const std::string path =
        dir.write("rp.toml", replace_line(kValidProfile, "en-us", "en-gb-x-rp"));
    CHECK(read_voice_profile(path).params.espeak_voice == "en-gb-x-rp");
  }
  SUBCASE("unknown key") {
    const std::string path = dir.write("k.toml", std::string(kValidProfile) + "colour = 3\n");
    const std::string message = input_error_of([&] { read_voice_profile(path); });
    CHECK(message.find(path + ":9:") == 0);
    CHECK(message.find("colour") != std::string::npos);
  }
  SUBCASE("missing name") {
    const std::string path =
        dir.write("n.toml", replace_line(kValidProfile, "name = \"test\"\n", ""));
    CHECK(input_error_of([&] { read_voice_profile(path); }).find("'name'") != std::string::npos);
  }
  SUBCASE("bad gender") {
    const std::string path = dir.write("g.toml", replace_line(kValidProfile, "\"f\"", "\"q\""));
    CHECK(input_error_of([&] { read_voice_profile(path); }).find(path + ":4:") == 0);
  }
  SUBCASE("rate out of range and wrong type") {
    const std::string slow = dir.write("r.toml", replace_line(kValidProfile, "170", "20"));
    CHECK(input_error_of([&] { read_voice_profile(slow); }).find(slow + ":5:") == 0);
    const std::string text = dir.write("t.toml", replace_line(kValidProfile, "170", "\"fast\""));
    CHECK(input_error_of([&] { read_voice_profile(text); }).find(text + ":5:") == 0);
  }
}

// eSpeak NG's voices as profiles name them: a voice file's name in espeak-ng-data/lang, or a
// language one of them declares ("language en-gb 2" in gmw/en), in any case; nothing else of
// those lines (the keyword, the priority) and no folder's name.
TEST_CASE("casting: eSpeak NG voices are their files' names and their declared languages") {
  CHECK(espeak_voice_exists("en-us"));
  CHECK(espeak_voice_exists("EN-GB-X-RP"));
  CHECK(espeak_voice_exists("en-gb"));
  CHECK(espeak_voice_exists("en"));
  CHECK_FALSE(espeak_voice_exists("gmw"));
  CHECK_FALSE(espeak_voice_exists("language"));
  CHECK_FALSE(espeak_voice_exists("2"));
  CHECK_FALSE(espeak_voice_exists("xx-nope"));
  CHECK(espeak_voice_exists("es-mx"));  // declared by roa/es-419 only, not by roa/es
  // Of its shorter forms (en-gb, en) only en is a file, read: it does not declare en-gb-nope;
  // then every file is read, and none does.
  CHECK_FALSE(espeak_voice_exists("en-gb-nope"));
}

TEST_CASE("casting: find_voices_dir honours the command line first") {
  ScratchDir dir("troupe-casting");
  CHECK(find_voices_dir(dir.path().string()) == dir.path().string());
  CHECK_THROWS_AS(find_voices_dir(dir.file("missing")), InputError);
}

// ---- cast files ----

TEST_CASE("casting: a cast file reads reader, characters, aliases, pronounce and pins") {
  ScratchDir dir("troupe-casting");
  const std::string path = dir.write("story.cast.toml", kFullCast);
  const CastFile cast = read_cast_file(path);
  CHECK(cast.path == path);
  CHECK(cast.narrator == "narrator");
  CHECK(cast.main_character == "Nam-jun");
  CHECK(cast.reader.present);
  CHECK(cast.reader.name == "Jamie");
  CHECK(cast.reader.last_name == "Park");
  CHECK(cast.reader.aliases == std::vector<std::string>{"Y/N", "{{user}}"});
  CHECK(cast.reader.gender == Gender::Female);
  CHECK(cast.reader.voice == "ember");
  REQUIRE(cast.characters.size() == 2);
  CHECK(cast.characters[0].name == "Zed");  // file order, not alphabetical
  CHECK(cast.characters[0].gender == Gender::Unknown);
  CHECK(cast.characters[0].voice.empty());
  CHECK(cast.characters[0].line == 11);
  CHECK(cast.characters[1].name == "Mark");
  CHECK(cast.characters[1].aliases == std::vector<std::string>{"Mark Lee", "Markie"});
  CHECK(cast.characters[1].gender == Gender::Male);
  CHECK(cast.characters[1].voice == "cedar");
  REQUIRE(cast.pronounce.size() == 2);
  CHECK(cast.pronounce[0] == std::pair<std::string, std::string>{"Taeyong", "Tae-yong"});
  CHECK(cast.pronounce[1] == std::pair<std::string, std::string>{"Haechan", "[[h'e:tS@n]]"});
  REQUIRE(cast.pins.size() == 2);
  CHECK(cast.pins[0].quote == "Eunjin pushed Haechan!");
  CHECK(cast.pins[0].speaker == "Yeonha");
  CHECK(cast.pins[1].quote == "Say \"hi\"");
  CHECK(cast.pins[1].line > cast.pins[0].line);
}

TEST_CASE("casting: an empty cast file is fine") {
  ScratchDir dir("troupe-casting");
  const CastFile cast = read_cast_file(dir.write("empty.cast.toml", ""));
  CHECK(cast.narrator.empty());
  CHECK_FALSE(cast.reader.present);
  CHECK(cast.characters.empty());
}

TEST_CASE("casting: cast file errors name file, line and key") {
  ScratchDir dir("troupe-casting");
  SUBCASE("syntax error") {
    const std::string path = dir.write("a.cast.toml", "narrator = \"narrator\"\n[reader\n");
    const std::string message = input_error_of([&] { read_cast_file(path); });
    CHECK(message.find(path + ":2:") == 0);
  }
  SUBCASE("unknown top-level key") {
    const std::string path = dir.write("b.cast.toml", "narrator = \"n\"\nnarator = \"n\"\n");
    const std::string message = input_error_of([&] { read_cast_file(path); });
    CHECK(message.find(path + ":2:") == 0);
    CHECK(message.find("'narator'") != std::string::npos);
  }
  SUBCASE("unknown key in a character") {
    const std::string path =
        dir.write("c.cast.toml", "[characters.\"Mark\"]\ngender = \"m\"\ncolour = \"red\"\n");
    const std::string message = input_error_of([&] { read_cast_file(path); });
    CHECK(message.find(path + ":3:") == 0);
    CHECK(message.find("'colour'") != std::string::npos);
  }
  SUBCASE("unknown key in [reader]") {
    const std::string path =
        dir.write("r.cast.toml", "[reader]\nname = \"Ann\"\nnickname = \"Annie\"\n");
    const std::string message = input_error_of([&] { read_cast_file(path); });
    CHECK(message.find(path + ":3:") == 0);
    CHECK(message.find("'nickname'") != std::string::npos);
  }
  SUBCASE("bad gender") {
    const std::string path = dir.write("d.cast.toml", "[characters.Mark]\n\ngender = \"q\"\n");
    const std::string message = input_error_of([&] { read_cast_file(path); });
    CHECK(message.find(path + ":3:") == 0);
    CHECK(message.find("gender") != std::string::npos);
  }
  SUBCASE("an alias claimed by two characters") {
    const std::string path = dir.write("e.cast.toml",
                                       "[characters.Mark]\naliases = [\"Boss\"]\n"
                                       "[characters.Haechan]\naliases = [\"boss\"]\n");
    const std::string message = input_error_of([&] { read_cast_file(path); });
    CHECK(message.find(path + ":4:") == 0);
    CHECK(message.find("boss") != std::string::npos);
  }
  SUBCASE("an alias equal to another character's name") {
    const std::string path =
        dir.write("f.cast.toml", "[characters.Mark]\n[characters.Haechan]\naliases = [\"Mark\"]\n");
    CHECK(input_error_of([&] { read_cast_file(path); }).find("Mark") != std::string::npos);
  }
  SUBCASE("a pin written as a table") {
    const std::string path = dir.write("g.cast.toml", "[pin]\nquote = \"a\"\nspeaker = \"b\"\n");
    CHECK(input_error_of([&] { read_cast_file(path); }).find("[[pin]]") != std::string::npos);
  }
}

TEST_CASE("casting: cast_file_toml round-trips") {
  ScratchDir dir("troupe-casting");
  const CastFile original = read_cast_file(dir.write("one.cast.toml", kFullCast));
  const std::string text = cast_file_toml(original);
  const CastFile again = read_cast_file(dir.write("two.cast.toml", text));
  CHECK(again.narrator == original.narrator);
  CHECK(again.main_character == original.main_character);
  CHECK(again.reader.present);
  CHECK(again.reader.name == original.reader.name);
  CHECK(again.reader.last_name == original.reader.last_name);
  CHECK(again.reader.aliases == original.reader.aliases);
  CHECK(again.reader.gender == original.reader.gender);
  CHECK(again.reader.voice == original.reader.voice);
  REQUIRE(again.characters.size() == original.characters.size());
  for (size_t i = 0; i < again.characters.size(); ++i) {
    CHECK(again.characters[i].name == original.characters[i].name);
    CHECK(again.characters[i].aliases == original.characters[i].aliases);
    CHECK(again.characters[i].gender == original.characters[i].gender);
    CHECK(again.characters[i].voice == original.characters[i].voice);
  }
  CHECK(again.pronounce == original.pronounce);
  REQUIRE(again.pins.size() == original.pins.size());
  for (size_t i = 0; i < again.pins.size(); ++i) {
    CHECK(again.pins[i].quote == original.pins[i].quote);
    CHECK(again.pins[i].speaker == original.pins[i].speaker);
  }
  CHECK(cast_file_toml(again) == text);
}

TEST_CASE("casting: find_cast_file looks beside a story and inside a book folder") {
  ScratchDir dir("troupe-casting");
  const std::string story = dir.write("stories/tale.txt", "Once.\n");
  CHECK(find_cast_file(story).empty());
  const std::string cast = dir.write("stories/tale.cast.toml", "");
  CHECK(fs::equivalent(find_cast_file(story), cast));
  const std::string book = dir.file("book");
  dir.write("book/01.txt", "Chapter one.\n");
  CHECK(find_cast_file(book).empty());
  const std::string book_cast = dir.write("book/cast.toml", "");
  CHECK(fs::equivalent(find_cast_file(book), book_cast));
}

TEST_CASE("casting: check_cast_voices names the line of an unknown voice") {
  ScratchDir dir("troupe-casting");
  const std::vector<VoiceProfile> profiles = {profile("narrator", Gender::Unknown, "m3", 45),
                                              profile("ember", Gender::Female, "f3", 62),
                                              profile("cedar", Gender::Male, "m3", 40)};
  const CastFile good = read_cast_file(dir.write("good.cast.toml", kFullCast));
  CHECK_NOTHROW(check_cast_voices(good, profiles));
  const std::string path =
      dir.write("bad.cast.toml", "narrator = \"narrator\"\n[characters.Mark]\nvoice = \"oak\"\n");
  const std::string message =
      input_error_of([&] { check_cast_voices(read_cast_file(path), profiles); });
  CHECK(message.find(path + ":2:") == 0);
  CHECK(message.find("oak") != std::string::npos);
  const std::string narrator = dir.write("n.cast.toml", "\nnarrator = \"nobody\"\n");
  CHECK(input_error_of([&] {
          check_cast_voices(read_cast_file(narrator), profiles);
        }).find(narrator + ":2:") == 0);
}

// ---- casting ----

TEST_CASE("casting: the narrator profile") {
  const std::vector<VoiceProfile> profiles = synthetic_profiles(2, 2);
  CHECK(assign_voices({}, profiles, CastFile{}).narrator.profile == "narrator");
  CastFile chosen;
  chosen.narrator = "f1";
  CHECK(assign_voices({}, profiles, chosen).narrator.profile == "f1");
  std::vector<VoiceProfile> unnamed = profiles;
  unnamed[0].name = "zz-neutral";
  CHECK(assign_voices({}, unnamed, CastFile{}).narrator.profile == "zz-neutral");
  chosen.narrator = "nobody";
  CHECK_THROWS_AS(assign_voices({}, profiles, chosen), InputError);
}

TEST_CASE(
    "casting: the narrator speaking ('I said' in a third-person story) has the narration's voice") {
  const std::vector<VoiceProfile> profiles = synthetic_profiles(2, 2);
  const Cast cast =
      assign_voices({speaker("narrator", Gender::Unknown, 5), speaker("Pooh", Gender::Male, 50)},
                    profiles, CastFile{});
  CHECK(cast.voice_for("narrator").profile == cast.narrator.profile);
  CHECK(cast.voice_for("Pooh").profile != cast.narrator.profile);
}

TEST_CASE("casting: genders match and voices stay distinct while profiles remain") {
  const std::vector<VoiceProfile> profiles =
      load_voice_profiles((fs::path(kSourceDir) / "voices").string());
  std::vector<SpeakerInfo> speakers;
  for (int i = 0; i < 9; ++i) {
    speakers.push_back(speaker("Her" + std::to_string(i), Gender::Female, 50 + i));
    speakers.push_back(speaker("Him" + std::to_string(i), Gender::Male, 40 + i));
  }
  const Cast cast = assign_voices(speakers, profiles, CastFile{});
  REQUIRE(cast.voices.size() == speakers.size());
  std::set<std::string> used;
  for (const VoiceAssignment& voice : cast.voices) {
    const Gender expected = voice.speaker.rfind("Her", 0) == 0 ? Gender::Female : Gender::Male;
    CHECK(gender_of_profile(profiles, voice.profile) == expected);
    CHECK_FALSE(voice.shared);
    CHECK(voice.profile != cast.narrator.profile);
    used.insert(voice.profile);
  }
  CHECK(used.size() == speakers.size());
  CHECK(cast.voice_for("Her3").speaker == "Her3");
  CHECK_THROWS_AS(cast.voice_for("Nobody"), std::out_of_range);
}

TEST_CASE("casting: unknown-gender speakers get any profile but the narrator's") {
  const std::vector<VoiceProfile> profiles = synthetic_profiles(2, 2);
  const std::vector<SpeakerInfo> speakers = {
      speaker("A", Gender::Unknown, 9), speaker("B", Gender::Unknown, 8),
      speaker("C", Gender::Unknown, 7), speaker("D", Gender::Unknown, 6)};
  const Cast cast = assign_voices(speakers, profiles, CastFile{});
  std::set<std::string> used;
  std::map<Gender, int> genders;
  for (const VoiceAssignment& voice : cast.voices) {
    CHECK(voice.profile != "narrator");
    used.insert(voice.profile);
    ++genders[gender_of_profile(profiles, voice.profile)];
  }
  CHECK(used.size() == 4);
  CHECK(genders[Gender::Female] == 2);  // alternating
  CHECK(genders[Gender::Male] == 2);
}

TEST_CASE("casting: most-heard speakers are cast first and the least heard share") {
  const std::vector<VoiceProfile> profiles = synthetic_profiles(2, 1);
  const std::vector<SpeakerInfo> speakers = {speaker("Quiet", Gender::Female, 3),
                                             speaker("Loud", Gender::Female, 90),
                                             speaker("Middle", Gender::Female, 40)};
  const Cast cast = assign_voices(speakers, profiles, CastFile{});
  REQUIRE(cast.voices.size() == 3);
  CHECK(cast.voices[0].speaker == "Loud");
  CHECK(cast.voices[1].speaker == "Middle");
  CHECK(cast.voices[2].speaker == "Quiet");
  CHECK(cast.voices[0].profile != cast.voices[1].profile);
  CHECK(cast.voice_for("Quiet").shared);
  CHECK(gender_of_profile(profiles, cast.voice_for("Quiet").profile) == Gender::Female);
}

TEST_CASE("casting: deterministic across runs and input order") {
  const std::vector<VoiceProfile> profiles = synthetic_profiles(4, 4);
  std::vector<SpeakerInfo> speakers = female_speakers(6);
  speakers.push_back(speaker("Tom", Gender::Male, 70, {1, 2}));
  speakers.push_back(speaker("Sam", Gender::Unknown, 12, {3}));
  speakers.push_back(speaker("Ann", Gender::Female, 100));  // ties Woman0 on lines
  const auto first = profile_by_speaker(assign_voices(speakers, profiles, CastFile{}));
  CHECK(profile_by_speaker(assign_voices(speakers, profiles, CastFile{})) == first);
  std::vector<SpeakerInfo> reversed(speakers.rbegin(), speakers.rend());
  CHECK(profile_by_speaker(assign_voices(reversed, profiles, CastFile{})) == first);
  std::vector<VoiceProfile> shuffled(profiles.rbegin(), profiles.rend());
  CHECK(profile_by_speaker(assign_voices(speakers, shuffled, CastFile{})) == first);
}

TEST_CASE("casting: a minor character does not change the main characters' voices") {
  const std::vector<VoiceProfile> profiles = synthetic_profiles(5, 5);
  std::vector<SpeakerInfo> speakers = female_speakers(3);
  const auto before = profile_by_speaker(assign_voices(speakers, profiles, CastFile{}));
  speakers.push_back(speaker("Extra", Gender::Female, 1));
  auto after = profile_by_speaker(assign_voices(speakers, profiles, CastFile{}));
  after.erase("Extra");
  CHECK(after == before);
}

TEST_CASE("casting: twelve women share nine voices with offsets") {
  const std::vector<VoiceProfile> profiles = synthetic_profiles(9, 9);
  const Cast cast = assign_voices(female_speakers(12), profiles, CastFile{});
  REQUIRE(cast.voices.size() == 12);
  std::set<std::tuple<std::string, int, int>> sounds;
  std::map<std::string, int> holders;
  for (const VoiceAssignment& voice : cast.voices) {
    CHECK(gender_of_profile(profiles, voice.profile) == Gender::Female);
    sounds.insert({voice.profile, voice.params.pitch, voice.params.rate});
    ++holders[voice.profile];
  }
  CHECK(holders.size() == 9);     // every female profile in use
  CHECK(sounds.size() == 12);     // and every voice still sounds different
  for (int i = 9; i < 12; ++i) {  // the three least heard share
    const VoiceAssignment& late = cast.voices[static_cast<size_t>(i)];
    CHECK(late.shared);
    CHECK(holders[late.profile] == 2);  // fewest holders first
    const VoiceProfile& base =
        *std::find_if(profiles.begin(), profiles.end(),
                      [&](const VoiceProfile& p) { return p.name == late.profile; });
    CHECK(late.params.pitch != base.params.pitch);
    CHECK(late.params.rate != base.params.rate);
  }
  const auto unshared = std::count_if(cast.voices.begin(), cast.voices.end(),
                                      [](const VoiceAssignment& v) { return !v.shared; });
  CHECK(unshared == 6);
}

TEST_CASE("casting: sharing prefers a profile whose holders never speak in the same chapter") {
  const std::vector<VoiceProfile> profiles = synthetic_profiles(2, 0);
  for (const int chapter : {1, 2}) {
    const std::vector<SpeakerInfo> speakers = {speaker("Ana", Gender::Female, 100, {1}),
                                               speaker("Bea", Gender::Female, 90, {2}),
                                               speaker("Cat", Gender::Female, 5, {chapter, 7})};
    const Cast cast = assign_voices(speakers, profiles, CastFile{});
    const std::string apart = chapter == 1 ? "Bea" : "Ana";
    CHECK(cast.voice_for("Cat").profile == cast.voice_for(apart).profile);
    CHECK(cast.voice_for("Cat").shared);
    CHECK(cast.voice_for(apart).shared);
  }
}

TEST_CASE("casting: pinned voices are honoured") {
  const std::vector<VoiceProfile> profiles = synthetic_profiles(3, 3);
  const std::vector<SpeakerInfo> speakers = female_speakers(3);
  const auto free_choice = profile_by_speaker(assign_voices(speakers, profiles, CastFile{}));
  const std::string wanted = free_choice.at("Woman0");  // the top speaker's favourite

  CastFile cast_file;
  cast_file.path = "story.cast.toml";
  cast_file.characters.push_back(CharacterSpec{"Woman2", {"W2"}, std::nullopt, wanted, 4});
  const Cast cast = assign_voices(speakers, profiles, cast_file);
  CHECK(cast.voice_for("Woman2").profile == wanted);
  CHECK_FALSE(cast.voice_for("Woman2").shared);
  CHECK(cast.voice_for("Woman0").profile != wanted);
  CHECK(cast.voice_for("Woman1").profile != wanted);

  CastFile reader_file;
  reader_file.reader.present = true;
  reader_file.reader.name = "Jamie";
  reader_file.reader.aliases = {"Y/N"};
  reader_file.reader.voice = "m2";
  const Cast with_reader =
      assign_voices({speaker("Y/N", Gender::Female, 3)}, profiles, reader_file);
  CHECK(with_reader.voice_for("Y/N").profile == "m2");

  cast_file.characters[0].voice = "nobody";
  const std::string message = input_error_of([&] { assign_voices(speakers, profiles, cast_file); });
  CHECK(message.find("story.cast.toml:4:") == 0);
}

TEST_CASE("casting: a cast-file gender overrides the discovered one") {
  const std::vector<VoiceProfile> profiles = synthetic_profiles(2, 2);
  CastFile cast_file;
  cast_file.characters.push_back(CharacterSpec{"Robin", {}, Gender::Male, "", 1});
  const Cast cast = assign_voices({speaker("Robin", Gender::Female, 5)}, profiles, cast_file);
  CHECK(gender_of_profile(profiles, cast.voice_for("Robin").profile) == Gender::Male);
}

}  // namespace troupe
