// Pronoun tags ("he said"): which character a pronoun means, on made-up text.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "attribution/attribute.h"
#include "attribution/sieve.h"
#include "attribution/tokens.h"
#include "quote_speakers.h"
#include "text/reader.h"

namespace troupe {
namespace {

Character cast_member(const std::string& name, Gender gender) {
  Character c;
  c.name = name;
  c.gender = gender;
  return c;
}

// Whether the name at word `i` (of `length` words) of `sentence` is its sentence's subject by the
// words around it, in a story whose characters are Casimir, Fenwick and Mr. Hale.
bool fronted_subject(const std::string& sentence, std::size_t i, std::size_t length = 1) {
  AttributionOptions options;
  options.hints.characters = {cast_member("Casimir", Gender::Male),
                              cast_member("Fenwick", Gender::Male),
                              cast_member("Mr. Hale", Gender::Male)};
  const Story story = story_from_text("Casimir came.\n", "test.txt");
  const sieve::Sieve sieve(story, options);
  return sieve.is_fronted_subject(tokenize(sentence), i, length);
}

// The speakers of `text`'s quotations, in a story whose characters are Osric, Barnaby and Lemuel.
std::vector<std::string> speakers_at_the_inn(const std::string& text) {
  AttributionOptions options;
  options.hints.characters = {cast_member("Osric", Gender::Male),
                              cast_member("Barnaby", Gender::Male),
                              cast_member("Lemuel", Gender::Male)};
  return quote_speakers(text, options);
}

}  // namespace

TEST_CASE(
    "pronoun tags: a name after the words opening a sentence and before its verb is the subject") {
  CHECK(fronted_subject("That evening Casimir dozed in the loft.", 2));
  CHECK(fronted_subject("Later Casimir rose.", 1));
  CHECK(fronted_subject("At last Mr. Hale smiled.", 2, 2));
  CHECK(fronted_subject("Meanwhile Fenwick walked home.", 1));
  // "after" or "before" with a word between it and the name opens a phrase, not a clause
  CHECK(fronted_subject("After supper Casimir sat by the fire.", 2));
  CHECK(fronted_subject("Before breakfast Fenwick walked home.", 2));
}

TEST_CASE(
    "pronoun tags: an object, a subordinate clause or a was-sentence names no fronted subject") {
  CHECK_FALSE(fronted_subject("Then she and Casimir walked home.", 3));  // a pronoun before it
  CHECK_FALSE(fronted_subject("Whenever Casimir walked, she sat.", 1));  // a subordinate clause
  CHECK_FALSE(fronted_subject("After Casimir walked, she sat.", 1));     // "after" before the name
  CHECK_FALSE(fronted_subject("Casimir slept.", 0));                    // the first word already is
  CHECK_FALSE(fronted_subject("Give it to Casimir tomorrow.", 3));      // no verb after it
  CHECK_FALSE(fronted_subject("Then Casimir's dog barked.", 1));        // a possessive
  CHECK_FALSE(fronted_subject("Next to Casimir sat Fenwick.", 2));      // after a preposition
  CHECK_FALSE(fronted_subject("Fenwick supposed Casimir walked.", 2));  // someone named before it
  CHECK_FALSE(fronted_subject("The long grey road Casimir walked.", 4));   // too far from the start
  CHECK_FALSE(fronted_subject("Little Casimir was in her thoughts.", 1));  // "was" takes anyone
}

TEST_CASE(
    "pronoun tags: a he-said tag after narration means the subject of a sentence opening on a "
    "time") {
  AttributionOptions options;
  options.hints.characters = {cast_member("Casimir", Gender::Male),
                              cast_member("Fenwick", Gender::Male)};
  const auto speakers = quote_speakers(
      "\"The boat is late,\" said Fenwick.\n\n"
      "That evening Casimir dozed in the loft.\n\n"
      "\"Is all well?\" he said once.\n",
      options);
  REQUIRE(speakers.size() == 2);
  CHECK(speakers[0] == "Fenwick");
  CHECK(speakers[1] == "Casimir");
}

TEST_CASE(
    "pronoun tags: the sentence of the tag closing a turn is no narration the next he-said goes on "
    "with") {
  AttributionOptions options;
  options.hints.characters = {cast_member("Osric", Gender::Male),
                              cast_member("Barnaby", Gender::Male)};
  // "as if he would run away" is still Barnaby's tag: the next "said he" answers him.
  auto speakers = quote_speakers(
      "\"Where is it?\" said Osric.\n\n"
      "\"Stop,\" cried Barnaby, as if he would run away.\n\n"
      "\"Never,\" said he.\n",
      options);
  REQUIRE(speakers.size() == 3);
  CHECK(speakers[2] == "Osric");
  // A sentence of narration after the tag is: Osric took the case in hand, and speaks next.
  speakers = quote_speakers(
      "\"Where is it?\" said Barnaby.\n\n"
      "\"Stop,\" cried Barnaby, as if he would run away. Then Osric took the lamp.\n\n"
      "\"Never mind,\" said he.\n",
      options);
  REQUIRE(speakers.size() == 3);
  CHECK(speakers[2] == "Osric");
}

TEST_CASE(
    "pronoun tags: a speech verb in the narration after a quotation tagged before it is no tag to "
    "pass over") {
  AttributionOptions options;
  options.hints.characters = {cast_member("Osric", Gender::Male),
                              cast_member("Barnaby", Gender::Male)};
  // The tag "Osric said," comes before "Stop."; the sentence closing the paragraph is no tag
  // (it opens with "Then"), and Barnaby, its subject, is whom the next "said he" goes on with.
  const auto speakers = quote_speakers(
      "Osric said, \"Stop.\" Then Barnaby whispered something to the dog and left.\n\n"
      "\"Why?\" said he.\n",
      options);
  REQUIRE(speakers.size() == 2);
  CHECK(speakers[0] == "Osric");
  CHECK(speakers[1] == "Barnaby");
}

TEST_CASE(
    "pronoun tags: a he-said tag that cannot be the next turn's named speaker is the one who spoke "
    "before the narration") {
  // "said he" would be Osric, the narration's last subject, but Osric answers it: Lemuel, who
  // stopped to drink, takes up his story again; Barnaby, only mentioned, does not.
  const auto speakers = speakers_at_the_inn(
      "\"Tell us all of it,\" said Osric.\n\n"
      "\"I waited a long time in the dark, and nobody came,\" said Lemuel.\n\n"
      "Lemuel stopped and drank, and Barnaby brought him more. Osric sat with his elbows on the "
      "table.\n\n"
      "\"It was cold,\" said he.\n\n"
      "\"Go on,\" said Osric.\n");
  REQUIRE(speakers.size() == 4);
  CHECK(speakers[2] == "Lemuel");
  CHECK(speakers[3] == "Osric");
}

TEST_CASE("pronoun tags: a he-said tag does not go back to a speaker who has gone out") {
  const auto speakers = speakers_at_the_inn(
      "\"Tell us all of it,\" said Osric.\n\n"
      "\"Not tonight. I am tired, and the road is long,\" said Lemuel.\n\n"
      "Lemuel took up his hat and went out, and the door shut behind him. Barnaby brought more "
      "wood "
      "for the fire. Osric sat with his elbows on the table.\n\n"
      "\"It will rain before morning,\" said he.\n\n"
      "\"Let it rain,\" said Osric.\n");
  REQUIRE(speakers.size() == 4);
  CHECK(speakers[2] != "Lemuel");
}

TEST_CASE("pronoun tags: a he-said tag does not go back to the narrator who spoke before") {
  AttributionOptions options;
  Character narrator = cast_member("John Hale", Gender::Male);
  narrator.aliases = {"I", "me"};
  options.hints.characters = {narrator, cast_member("Osric", Gender::Male),
                              cast_member("Barnaby", Gender::Male)};
  const auto speakers = quote_speakers(
      "\"Who else was on the river that night?\" said I.\n\n"
      "Osric drank, and set the cup down. Barnaby leaned on the door and watched him.\n\n"
      "\"Nobody that we knew,\" said he.\n\n"
      "\"Go on,\" said Barnaby.\n",
      options);
  REQUIRE(speakers.size() == 3);
  CHECK(speakers[0] == "John Hale");
  CHECK(speakers[1] == "Osric");
}

TEST_CASE("pronoun tags: a he-said tag does not go back to a speaker across a scene break") {
  // Barnaby, the subject of the new scene, is the next likeliest "he"; Lemuel spoke in the last
  // one.
  const auto speakers = speakers_at_the_inn(
      "\"Tell us all of it,\" said Osric.\n\n"
      "\"Not tonight,\" said Lemuel.\n\n"
      "* * *\n\n"
      "Next morning Barnaby brought the horses round, and Barnaby held them by the gate. Osric sat "
      "on the "
      "step and whittled a peg.\n\n"
      "\"It will rain before noon,\" said he.\n\n"
      "\"Let it rain,\" said Osric.\n");
  REQUIRE(speakers.size() == 4);
  CHECK(speakers[2] == "Barnaby");
}

TEST_CASE("pronoun tags: a he-said tag does not go to the man the quotation talks about") {
  // Lemuel, the last man the narration names, is the one asked about: nobody asks after his own
  // bees, so "he asked" is the other party of the exchange.
  const auto speakers = speakers_at_the_inn(
      "\"Good morning,\" said Barnaby.\n\n"
      "\"The fair is tomorrow,\" said Osric. Lemuel passed the window with his dog.\n\n"
      "\"Does Lemuel still keep bees behind the chapel?\" he asked.\n\n"
      "\"He does,\" said Osric.\n");
  REQUIRE(speakers.size() == 4);
  CHECK(speakers[2] == "Barnaby");
}

TEST_CASE("pronoun tags: a man who spoke one of the last two turns may name himself") {
  const auto speakers = speakers_at_the_inn(
      "\"My boots want mending before Friday,\" said Lemuel.\n\n"
      "\"Take them to Hobb,\" said Barnaby.\n\n"
      "\"Lemuel takes his boots to nobody but Hobb's brother,\" he answered.\n");
  REQUIRE(speakers.size() == 3);
  CHECK(speakers[2] == "Lemuel");
}

TEST_CASE("pronoun tags: a man spoken to in the last turn may name himself") {
  // Barnaby calls Lemuel; the answer that names Lemuel is still his, not Osric's.
  const auto speakers = speakers_at_the_inn(
      "\"It is Sunday,\" said Osric.\n\n"
      "\"Lemuel, the cart has lost a wheel,\" said Barnaby.\n\n"
      "\"Lemuel Grey mends no wheels on a Sunday,\" he answered.\n");
  REQUIRE(speakers.size() == 3);
  CHECK(speakers[2] == "Lemuel");
}

TEST_CASE("pronoun tags: a newcomer the narration brings on may name himself") {
  const auto speakers = speakers_at_the_inn(
      "\"The river is rising,\" said Osric.\n\n"
      "\"Higher than last year,\" said Barnaby.\n\n"
      "At that the gate creaked, and Lemuel walked up the path with a lantern.\n\n"
      "\"Lemuel Grey never misses a flood,\" he said.\n\n"
      "\"Come and look, then,\" said Barnaby.\n");
  REQUIRE(speakers.size() == 4);
  CHECK(speakers[2] == "Lemuel");
}

TEST_CASE("pronoun tags: a man saying who he is names himself, not someone talked about") {
  const auto speakers = speakers_at_the_inn(
      "\"Who is out there?\" said Osric. Lemuel stood at the gate with a coil of rope.\n\n"
      "\"I am Lemuel Grey, from the ferry,\" he said.\n");
  REQUIRE(speakers.size() == 2);
  CHECK(speakers[1] == "Lemuel");
}

}  // namespace troupe
