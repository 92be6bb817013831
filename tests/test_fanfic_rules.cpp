// Rules fan fiction needs most, on made-up text: a character's gender from the pronouns of
// the narration (never from a pronoun across a quotation mark), quotation marks around a
// title, a caption or a sign, which are no speech, code names that are someone's, and a
// first-person narrator called by name.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "attribution/attribute.h"
#include "cast_member.h"
#include "text/reader.h"

namespace troupe {
namespace {

Script script_of(const std::string& text) { return attribute(story_from_text(text, "test.txt")); }

// The gender troupe gives the character called `name` in `text` ("none" if it finds no such
// character).
std::string gender_in(const std::string& text, const std::string& name) {
  const Script script = script_of(text);
  for (const auto& c : script.characters)
    if (c.name == name) return std::string(1, gender_letter(c.gender));
  return "none";
}

// Every line of the script in order, as "speaker: text" for quotations and "-: text" for
// narration.
std::vector<std::string> lines_of(const Script& script) {
  std::vector<std::string> out;
  for (const auto& chapter : script.chapters)
    for (const auto& line : chapter.lines)
      out.push_back((line.kind == LineKind::Quote ? line.speaker : "-") + ": " + line.text);
  return out;
}

// The speakers of the script's quotations, in order.
std::vector<std::string> speakers_of(const Script& script) {
  std::vector<std::string> out;
  for (const auto& chapter : script.chapters)
    for (const auto& line : chapter.lines)
      if (line.kind == LineKind::Quote) out.push_back(line.speaker);
  return out;
}

bool spoken(const Script& script, const std::string& words) {
  for (const auto& chapter : script.chapters)
    for (const auto& line : chapter.lines)
      if (line.kind == LineKind::Quote && line.text.find(words) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("fanfic: a pronoun across a quotation mark says nothing of the name before it") {
  // Each "Wren" is followed by "he" only in a tag or quotation of someone else's; the
  // narration's own pronouns after her name are "her".
  CHECK(gender_in("Wren stood at the door with her bag. Oskar waved.\n"
                  "\"Wren asked me twice,\" he says. \"Twice!\"\n"
                  "Wren laughed. \"He talks about you all the time.\"\n"
                  "Wren shook her head at Oskar.\n"
                  "\"Wren knew,\" he says.\n",
                  "Wren") == "f");
}

TEST_CASE("fanfic: a title that says no gender leaves it to the pronouns after the name") {
  CHECK(
      gender_in(
          "Professor Vance climbed through the trapdoor as though the tower were nothing at all to "
          "a person of her standing.\n"
          "The students froze. Professor Vance looked at each of them in turn, and her mouth "
          "tightened.\n"
          "\"Good evening,\" she said.\n",
          "Professor Vance") == "f");
}

TEST_CASE("fanfic: the pronoun opening the next sentence counts for a long sentence's name") {
  CHECK(
      gender_in(
          "Doctor Halloran came in from the rain with a bag, a coat, an umbrella that had given up "
          "long ago and a look of great patience. She sat down.\n"
          "Doctor Halloran took off the coat, and her hands shook.\n"
          "\"Tea,\" she said.\n",
          "Doctor Halloran") == "f");
}

TEST_CASE("fanfic: a title in quotation marks after a comma is narration") {
  const Script script = script_of(
      "Pell sat down. \"I hate exams,\" said Pell.\n"
      "Pell thought of chapter nine of the Student Guide, \"Walls, Doors and Other Thresholds,\" "
      "which he had never read.\n");
  CHECK(spoken(script, "I hate exams"));
  CHECK_FALSE(spoken(script, "Walls, Doors"));
}

TEST_CASE("fanfic: a caption, a song and a sign are narration, however long") {
  const Script script = script_of(
      "Juno laughed. \"Again,\" said Juno.\n"
      "Since the second chorus of \"Glass Harbour\" she had been limping.\n"
      "A fan posted it under the caption \"our leader and our baby: a whole love story in one "
      "picture.\" It spread everywhere.\n"
      "The board over the till said \"SOUP OF THE DAY: ASK TOM (HE KNOWS),\" because Tom "
      "thought he was funny.\n");
  CHECK(spoken(script, "Again"));
  CHECK_FALSE(spoken(script, "Glass Harbour"));
  CHECK_FALSE(spoken(script, "our leader"));
  CHECK_FALSE(spoken(script, "SOUP OF THE DAY"));
}

TEST_CASE("fanfic: capitalised speech after a comma, shouted or naming someone, is speech") {
  const Script script = script_of(
      "Mina ran over in between the two, \"Stop! Stop It!\"\n"
      "Later Mina said, \"Thank You, Ren,\" and smiled.\n"
      "He screamed \"NO WAY\" at the wall.\n");
  CAPTURE(lines_of(script).size());
  CHECK(spoken(script, "Stop! Stop It!"));
  CHECK(spoken(script, "Thank You, Ren"));
  CHECK(spoken(script, "NO WAY"));
}

TEST_CASE("fanfic: a code name the narration gives someone is that person") {
  const auto said = speakers_of(script_of(
      "Marisol Vega, who was Kestrel to the newspapers and Mari to everyone else, sat down.\n"
      "\"Report,\" said Kestrel.\n"
      "\"Nothing yet,\" said Oskar. Oskar looked at Mari.\n"
      "\"Then keep looking,\" Mari said.\n"
      "And Flint, Tobias to the people who had to live with him, was late.\n"
      "\"Sorry,\" said Flint.\n"
      "\"You're always sorry,\" said Tobias.\n"));
  REQUIRE(said.size() == 5);
  CHECK(said[0] == said[2]);  // Kestrel and Mari
  CHECK(said[1] == "Oskar");
  CHECK(said[3] == said[4]);  // Flint and Tobias
  CHECK(said[0] != said[3]);
}

TEST_CASE("fanfic: a name beside another is no code name without the words that say so") {
  const auto said =
      speakers_of(script_of("Marisol, Oskar to her left, sat down. Oskar smiled at Marisol.\n"
                            "\"Report,\" said Marisol.\n"
                            "\"Nothing yet,\" said Oskar.\n"
                            "\"Ask Oskar,\" said Marisol. \"Or Marisol, who was there.\"\n"));
  CHECK(said == std::vector<std::string>{"Marisol", "Oskar", "Marisol", "Marisol"});
}

TEST_CASE("fanfic: two characters of the cast stay two whatever the narration says") {
  AttributionOptions options;
  options.hints.characters.push_back(cast_member("Kestrel", {}, Gender::Female));
  options.hints.characters.push_back(cast_member("Mari", {}, Gender::Female));
  const auto said = speakers_of(attribute(
      story_from_text("Marisol Vega, who was Kestrel to the newspapers and Mari to everyone "
                      "else, sat down.\n"
                      "\"Report,\" said Kestrel.\n"
                      "\"Then keep looking,\" Mari said.\n",
                      "test.txt"),
      options));
  CHECK(said == std::vector<std::string>{"Kestrel", "Mari"});
}

TEST_CASE("fanfic: a first-person narrator called by name is spoken to, not speaking") {
  const auto said = speakers_of(
      script_of("I poured the coffee. Walt sat at the counter and Imogen sat beside him.\n"
                "\"Morning, Lou,\" Walt said.\n"
                "\"Morning, Walt,\" I said.\n"
                "\"Thanks, Lou,\" said Imogen.\n"
                "\"Lou, is the pie fresh?\" Walt asked.\n"
                "\"Always,\" I said.\n"
                "\"It is not about the pie,\" Imogen said.\n"
                "\"I was resting.\"\n"
                "\"You broke your wrist.\"\n"
                "\"I was resting with a broken wrist. Lou, tell her.\"\n"));
  REQUIRE(said.size() == 9);
  CHECK(said[1] == "Lou");  // the narrator, named by how the others call her
  CHECK(said[8] == "Walt");
}

// Three at a fireside, and the aunt answers a question: the scene the next two cases go on.
const std::string kFireside =
    "Nora and Pim sat by the fire with Aunt Wilhelmina.\n\"Is it late?\" Nora asked.\n";

TEST_CASE("fanfic: a character who leaves the scene takes no untagged turn") {
  const auto said = speakers_of(
      script_of(kFireside + "\"Late enough,\" said Aunt Wilhelmina.\n"
                            "Aunt Wilhelmina set down her cup, kissed them both, and went out.\n"
                            "\"She forgot her cup.\"\n"
                            "\"She always does,\" Pim said.\n"));
  REQUIRE(said.size() == 4);
  CHECK(said[2] == "Nora");  // not the aunt, who has gone
}

TEST_CASE("fanfic: leaving a thing behind, or not coming back, is no leaving or return") {
  // "left two coins" is no leaving; "did not come out" brings nobody back.
  const auto stays = speakers_of(
      script_of(kFireside + "\"Late enough,\" said Aunt Wilhelmina.\n"
                            "Aunt Wilhelmina left two coins on the table for the fiddler.\n"
                            "\"For the music.\"\n"
                            "\"Thank you,\" Pim said.\n"));
  REQUIRE(stays.size() == 4);
  CHECK(stays[2] == "Aunt Wilhelmina");
  const auto gone = speakers_of(
      script_of(kFireside + "\"Late enough,\" said Aunt Wilhelmina, and fled.\n"
                            "Upstairs a door banged, and Aunt Wilhelmina did not come down again.\n"
                            "\"She forgot her cup.\"\n"
                            "\"She always does,\" Pim said.\n"));
  REQUIRE(gone.size() == 4);
  CHECK(gone[2] == "Nora");
}

TEST_CASE("fanfic: a she who leaves, among two women, takes nobody out of the scene") {
  // "She went out." could be Nora or the aunt: nobody is taken to have left.
  const auto said = speakers_of(script_of(
      "Nora and Aunt Wilhelmina sat by the fire with Pim. Nora pulled her shawl tight, and Aunt "
      "Wilhelmina smoothed her skirt.\n\"Is it late?\" Nora asked.\n"
      "\"Late enough,\" said Aunt Wilhelmina.\nShe went out.\n\"She forgot her cup.\"\n"
      "\"She always does,\" Pim said.\n"));
  REQUIRE(said.size() == 4);
  CHECK(said[2] == "Aunt Wilhelmina");
}

TEST_CASE("fanfic: words given as examples of what someone says are narration") {
  const Script script = script_of(
      "Pell drove. Sora sat in the back with her phone and talked the whole way, "
      "saying things like \"noted\" and \"not before Friday, I am afraid.\"\n"
      "\"Who was that?\" Pell asked.\n");
  CHECK_FALSE(spoken(script, "noted"));
  CHECK_FALSE(spoken(script, "not before Friday"));
  CHECK(spoken(script, "Who was that?"));
}

}  // namespace troupe
