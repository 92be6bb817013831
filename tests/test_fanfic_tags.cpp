// Tags and turns fan fiction writes often, on made-up text: a voice heard from somewhere else
// is an extra, so is someone the narration picks out by where they stand or what they wear,
// and a line that ends by calling someone by name answers that one.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "attribution/attribute.h"
#include "text/reader.h"

namespace troupe {
namespace {

// "speaker|rule" of each quotation of `text`, in order.
std::vector<std::string> decided(const std::string& text) {
  std::vector<std::string> out;
  const Script script = attribute(story_from_text(text, "test.txt"));
  for (const auto& chapter : script.chapters)
    for (const auto& line : chapter.lines)
      if (line.kind == LineKind::Quote) out.push_back(line.speaker + "|" + line.rule);
  return out;
}

const std::string kStairs =
    "Wren and Oskar sat on the top stair with their cocoa, long after lights out.\n"
    "\"Is it snowing yet?\" Wren asked.\n";

}  // namespace

TEST_CASE("fanfic tags: a voice calling from elsewhere is an extra") {
  const auto after = decided(kStairs +
                             "\"Lights out means lights out, you two!\" a voice called from the "
                             "landing below.\n"
                             "\"Sorry!\" Oskar said.\n");
  REQUIRE(after.size() == 3);
  CHECK(after[1] == "a voice|tag-description");
  const auto before = decided(kStairs +
                              "\"Bed, both of you!\" shouted a deep voice from the kitchen.\n"
                              "\"Sorry!\" Oskar said.\n");
  REQUIRE(before.size() == 3);
  CHECK(before[1] == "a deep voice|tag-description");
}

TEST_CASE("fanfic tags: a voice from within, or with no place, is no extra") {
  // The one behind the door knocked at is soon named; "said a voice" is mostly someone known.
  for (const std::string tag : {"called a gruff voice from within", "said a voice"}) {
    const auto said = decided(
        "Juno knocked twice on the cabin door and waited in the rain with Pell.\n"
        "\"Who's there?\" " +
        tag +
        ".\n"
        "\"It's Juno. Open up, it's pouring.\"\n");
    REQUIRE(said.size() == 2);
    CHECK(said[0].find("voice") == std::string::npos);
  }
}

TEST_CASE("fanfic tags: someone picked out by where they are or what they wear is an extra") {
  const std::string diner =
      "Marta wiped the counter while Hugo read the paper at his usual stool.\n"
      "\"More toast, Hugo?\" Marta asked.\n";
  const auto worn =
      decided(diner + "\"Coffee when you get a sec,\" the man in the green cap said.\n");
  REQUIRE(worn.size() == 2);
  CHECK(worn[1] == "the man in the green cap|tag-description");
  const auto placed =
      decided(diner + "\"Check, please,\" the woman at the end of the counter called.\n");
  REQUIRE(placed.size() == 2);
  CHECK(placed[1] == "the woman at the end of the counter|tag-description");
}

TEST_CASE("fanfic tags: a manner phrase after a description picks out nobody new") {
  // "with a sigh" tells how the man spoke, not who he is.
  const auto said = decided(
      "Marta wiped the counter while Hugo read the paper at his usual stool.\n"
      "\"More toast, Hugo?\" Marta asked.\n"
      "\"No, thank you,\" the man with a sigh said.\n");
  REQUIRE(said.size() == 2);
  CHECK(said[1].find("sigh") == std::string::npos);
}

const std::string kMap =
    "Odile and Pia sat with Rafe round the map, and nobody liked the look of it.\n"
    "\"We go north at dawn,\" Rafe said to Pia.\n"
    "\"North is a swamp.\"\n";

TEST_CASE("fanfic tags: a line closing on a name answers the one it names") {
  const auto said = decided(kMap + "\"North is the only road, Odile.\"\n");
  REQUIRE(said.size() == 3);
  CHECK(said[1] == "Odile|answered");
  CHECK(said[2].rfind("Odile|", 0) != 0);
}

TEST_CASE("fanfic tags: a name opening the line, or alone, turns to someone new") {
  // "Odile, ..." and "Odile." call her in: the line before need not be hers.
  for (const std::string next : {"\"Odile, fetch the boots.\"\n", "\"Odile.\"\n",
                                 "\"It is a road. Odile, fetch the boots.\"\n"}) {
    const auto said = decided(kMap + next);
    REQUIRE(said.size() == 3);
    CHECK(said[1].find("answered") == std::string::npos);
  }
}

}  // namespace troupe
