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
// words around it, in a story whose characters are Tony, Jock and Mr. Hale.
bool fronted_subject(const std::string& sentence, std::size_t i, std::size_t length = 1) {
  AttributionOptions options;
  options.hints.characters = {cast_member("Tony", Gender::Male), cast_member("Jock", Gender::Male),
                              cast_member("Mr. Hale", Gender::Male)};
  const Story story = story_from_text("Tony came.\n", "test.txt");
  const sieve::Sieve sieve(story, options);
  return sieve.is_fronted_subject(tokenize(sentence), i, length);
}

// The speakers of `text`'s quotations, in a story whose characters are Giles, Ned and Walter.
std::vector<std::string> speakers_at_the_inn(const std::string& text) {
  AttributionOptions options;
  options.hints.characters = {cast_member("Giles", Gender::Male), cast_member("Ned", Gender::Male),
                              cast_member("Walter", Gender::Male)};
  return quote_speakers(text, options);
}

}  // namespace

TEST_CASE(
    "pronoun tags: a name after the words opening a sentence and before its verb is the subject") {
  CHECK(fronted_subject("That night Tony slept in the tower.", 2));
  CHECK(fronted_subject("Later Tony rose.", 1));
  CHECK(fronted_subject("At last Mr. Hale smiled.", 2, 2));
  CHECK(fronted_subject("Meanwhile Jock walked home.", 1));
  // "after" or "before" with a word between it and the name opens a phrase, not a clause
  CHECK(fronted_subject("After supper Tony sat by the fire.", 2));
  CHECK(fronted_subject("Before breakfast Jock walked home.", 2));
}

TEST_CASE(
    "pronoun tags: an object, a subordinate clause or a was-sentence names no fronted subject") {
  CHECK_FALSE(fronted_subject("Then she and Tony walked home.", 3));    // a pronoun before it
  CHECK_FALSE(fronted_subject("Whenever Tony walked, she sat.", 1));    // a subordinate clause
  CHECK_FALSE(fronted_subject("After Tony walked, she sat.", 1));       // "after" before the name
  CHECK_FALSE(fronted_subject("Tony slept.", 0));                       // the first word already is
  CHECK_FALSE(fronted_subject("Give it to Tony tomorrow.", 3));         // no verb after it
  CHECK_FALSE(fronted_subject("Then Tony's dog barked.", 1));           // a possessive
  CHECK_FALSE(fronted_subject("Next to Tony sat Jock.", 2));            // after a preposition
  CHECK_FALSE(fronted_subject("Jock supposed Tony walked.", 2));        // someone named before it
  CHECK_FALSE(fronted_subject("The long grey road Tony walked.", 4));   // too far from the start
  CHECK_FALSE(fronted_subject("Little Tony was in her thoughts.", 1));  // "was" takes anyone
}

TEST_CASE(
    "pronoun tags: a he-said tag after narration means the subject of a sentence opening on a "
    "time") {
  AttributionOptions options;
  options.hints.characters = {cast_member("Tony", Gender::Male), cast_member("Jock", Gender::Male)};
  const auto speakers = quote_speakers(
      "\"The boat is late,\" said Jock.\n\n"
      "That night Tony slept in the tower.\n\n"
      "\"Is all well?\" he said once.\n",
      options);
  REQUIRE(speakers.size() == 2);
  CHECK(speakers[0] == "Jock");
  CHECK(speakers[1] == "Tony");
}

TEST_CASE(
    "pronoun tags: the sentence of the tag closing a turn is no narration the next he-said goes on "
    "with") {
  AttributionOptions options;
  options.hints.characters = {cast_member("Giles", Gender::Male), cast_member("Ned", Gender::Male)};
  // "as if he would run away" is still Ned's tag: the next "said he" answers him.
  auto speakers = quote_speakers(
      "\"Where is it?\" said Giles.\n\n"
      "\"Stop,\" cried Ned, as if he would run away.\n\n"
      "\"Never,\" said he.\n",
      options);
  REQUIRE(speakers.size() == 3);
  CHECK(speakers[2] == "Giles");
  // A sentence of narration after the tag is: Giles took the case in hand, and speaks next.
  speakers = quote_speakers(
      "\"Where is it?\" said Ned.\n\n"
      "\"Stop,\" cried Ned, as if he would run away. Then Giles took the lamp.\n\n"
      "\"Never mind,\" said he.\n",
      options);
  REQUIRE(speakers.size() == 3);
  CHECK(speakers[2] == "Giles");
}

TEST_CASE(
    "pronoun tags: a speech verb in the narration after a quotation tagged before it is no tag to "
    "pass over") {
  AttributionOptions options;
  options.hints.characters = {cast_member("Giles", Gender::Male), cast_member("Ned", Gender::Male)};
  // The tag "Giles said," comes before "Stop."; the sentence closing the paragraph is no tag
  // (it opens with "Then"), and Ned, its subject, is whom the next "said he" goes on with.
  const auto speakers = quote_speakers(
      "Giles said, \"Stop.\" Then Ned whispered something to the dog and left.\n\n"
      "\"Why?\" said he.\n",
      options);
  REQUIRE(speakers.size() == 2);
  CHECK(speakers[0] == "Giles");
  CHECK(speakers[1] == "Ned");
}

TEST_CASE(
    "pronoun tags: a he-said tag that cannot be the next turn's named speaker is the one who spoke "
    "before the narration") {
  // "said he" would be Giles, the narration's last subject, but Giles answers it: Walter, who
  // stopped to drink, takes up his story again; Ned, only mentioned, does not.
  const auto speakers = speakers_at_the_inn(
      "\"Tell us all of it,\" said Giles.\n\n"
      "\"I waited a long time in the dark, and nobody came,\" said Walter.\n\n"
      "Walter stopped and drank, and Ned brought him more. Giles sat with his hands upon his "
      "knees.\n\n"
      "\"It was cold,\" said he.\n\n"
      "\"Go on,\" said Giles.\n");
  REQUIRE(speakers.size() == 4);
  CHECK(speakers[2] == "Walter");
  CHECK(speakers[3] == "Giles");
}

TEST_CASE("pronoun tags: a he-said tag does not go back to a speaker who has gone out") {
  const auto speakers = speakers_at_the_inn(
      "\"Tell us all of it,\" said Giles.\n\n"
      "\"Not tonight. I am tired, and the road is long,\" said Walter.\n\n"
      "Walter took up his hat and went out, and the door shut behind him. Ned brought more wood "
      "for the fire. Giles sat with his hands upon his knees.\n\n"
      "\"It will rain before morning,\" said he.\n\n"
      "\"Let it rain,\" said Giles.\n");
  REQUIRE(speakers.size() == 4);
  CHECK(speakers[2] != "Walter");
}

TEST_CASE("pronoun tags: a he-said tag does not go back to the narrator who spoke before") {
  AttributionOptions options;
  Character narrator = cast_member("John Hale", Gender::Male);
  narrator.aliases = {"I", "me"};
  options.hints.characters = {narrator, cast_member("Giles", Gender::Male),
                              cast_member("Ned", Gender::Male)};
  const auto speakers = quote_speakers(
      "\"Who else was on the river that night?\" said I.\n\n"
      "Giles drank, and set the cup down. Ned leaned on the door and watched him.\n\n"
      "\"Nobody that we knew,\" said he.\n\n"
      "\"Go on,\" said Ned.\n",
      options);
  REQUIRE(speakers.size() == 3);
  CHECK(speakers[0] == "John Hale");
  CHECK(speakers[1] == "Giles");
}

TEST_CASE("pronoun tags: a he-said tag does not go back to a speaker across a scene break") {
  // Ned, the subject of the new scene, is the next likeliest "he"; Walter spoke in the last one.
  const auto speakers = speakers_at_the_inn(
      "\"Tell us all of it,\" said Giles.\n\n"
      "\"Not tonight,\" said Walter.\n\n"
      "* * *\n\n"
      "Next morning Ned brought the horses round, and Ned held them by the gate. Giles sat on the "
      "step with his hands upon his knees.\n\n"
      "\"It will rain before noon,\" said he.\n\n"
      "\"Let it rain,\" said Giles.\n");
  REQUIRE(speakers.size() == 4);
  CHECK(speakers[2] == "Ned");
}

TEST_CASE("pronoun tags: a he-said tag does not go to the man the quotation talks about") {
  // Walter, the last man the narration names, is the one asked about: nobody asks after his own
  // bees, so "he asked" is the other party of the exchange.
  const auto speakers = speakers_at_the_inn(
      "\"Good morning,\" said Ned.\n\n"
      "\"The fair is tomorrow,\" said Giles. Walter passed the window with his dog.\n\n"
      "\"Does Walter still keep bees behind the chapel?\" he asked.\n\n"
      "\"He does,\" said Giles.\n");
  REQUIRE(speakers.size() == 4);
  CHECK(speakers[2] == "Ned");
}

TEST_CASE("pronoun tags: a man who spoke one of the last two turns may name himself") {
  const auto speakers = speakers_at_the_inn(
      "\"My boots want mending before Friday,\" said Walter.\n\n"
      "\"Take them to Hobb,\" said Ned.\n\n"
      "\"Walter takes his boots to nobody but Hobb's brother,\" he answered.\n");
  REQUIRE(speakers.size() == 3);
  CHECK(speakers[2] == "Walter");
}

TEST_CASE("pronoun tags: a man spoken to in the last turn may name himself") {
  // Ned calls Walter; the answer that names Walter is still his, not Giles's.
  const auto speakers = speakers_at_the_inn(
      "\"It is Sunday,\" said Giles.\n\n"
      "\"Walter, the cart has lost a wheel,\" said Ned.\n\n"
      "\"Walter Grey mends no wheels on a Sunday,\" he answered.\n");
  REQUIRE(speakers.size() == 3);
  CHECK(speakers[2] == "Walter");
}

TEST_CASE("pronoun tags: a newcomer the narration brings on may name himself") {
  const auto speakers = speakers_at_the_inn(
      "\"The river is rising,\" said Giles.\n\n"
      "\"Higher than last year,\" said Ned.\n\n"
      "At that the gate creaked, and Walter walked up the path with a lantern.\n\n"
      "\"Walter Grey never misses a flood,\" he said.\n\n"
      "\"Come and look, then,\" said Ned.\n");
  REQUIRE(speakers.size() == 4);
  CHECK(speakers[2] == "Walter");
}

TEST_CASE("pronoun tags: a man saying who he is names himself, not someone talked about") {
  const auto speakers = speakers_at_the_inn(
      "\"Who is out there?\" said Giles. Walter stood at the gate with a coil of rope.\n\n"
      "\"I am Walter Grey, from the ferry,\" he said.\n");
  REQUIRE(speakers.size() == 2);
  CHECK(speakers[1] == "Walter");
}

}  // namespace troupe
