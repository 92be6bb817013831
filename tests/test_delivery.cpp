// Delivery from the speech tag: whispers softer, shouts louder and higher, in the same voice.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "render/chapter.h"
#include "render/prepare.h"

namespace troupe {

TEST_CASE("delivery: whispered and shouted lines keep the voice but change its parameters") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / "troupe-delivery-test";
  fs::create_directories(dir);
  const fs::path story = dir / "hall.txt";
  std::ofstream(story) << "Mina waited in the dark hall with Mina's cat.\n"
                          "\"Quiet,\" Mina whispered.\n"
                          "\"Quiet!\" Mina shouted.\n"
                          "\"Quiet,\" Mina said.\n";
  PrepareOptions options;
  options.voices_dir = std::string(TROUPE_SOURCE_DIR) + "/voices";
  PreparedStory prepared = prepare_story(story.string(), options);
  auto spoken = spoken_lines(prepared, prepared.script.chapters.at(0), 1.0);
  std::vector<const SpokenLine*> mina;
  for (const auto& s : spoken)
    if (s.line && s.speaker == "Mina") mina.push_back(&s);
  REQUIRE(mina.size() == 3);
  const VoiceParams& soft = mina[0]->voice;
  const VoiceParams& loud = mina[1]->voice;
  const VoiceParams& normal = mina[2]->voice;
  CHECK(mina[0]->profile == mina[2]->profile);  // the character's own profile, not a whisper one
  CHECK(mina[1]->profile == mina[2]->profile);
  CHECK(soft.variant == normal.variant);
  CHECK(soft.volume < normal.volume);
  CHECK(soft.pitch < normal.pitch);
  CHECK(loud.volume > normal.volume);
  CHECK(loud.pitch > normal.pitch);
  fs::remove_all(dir);
}

}  // namespace troupe
