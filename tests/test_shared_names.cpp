// A given name several characters share ("Peter" of Peter Rowe and Peter Lane): whose it is
// each time, by the scene, and never a speaker of its own.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "attribution/attribute.h"
#include "attribution/characters.h"
#include "attribution/tokens.h"
#include "cast_member.h"
#include "quote_speakers.h"
#include "text/reader.h"

namespace troupe {
namespace {

// Two men called Peter, each named in full in his own chapter, and "said Peter" in both.
const char* const kTwoPeters =
    "CHAPTER I.\n\n"
    "Peter Rowe came to the mill at dawn. Peter Rowe was tall and grave. Peter Rowe "
    "looked at the wheel.\n\n"
    "\"The water is low,\" said Peter.\n\n"
    "\"It is,\" said Mary.\n\n"
    "CHAPTER II.\n\n"
    "Peter Lane rode up from the town. Peter Lane was old and slow. Peter Lane got down by "
    "the gate.\n\n"
    "\"Rain again,\" said Peter.\n\n"
    "\"So it is,\" said Mary.\n";

// Two men called Peter in one chapter, each in a scene of his own: after the break, "said
// Peter" is the man the new scene names in full, though the last full name was the other's.
const char* const kTwoPetersTwoScenes =
    "Peter Rowe came to the mill at dawn. Peter Rowe was tall and grave. Peter Rowe "
    "looked at the wheel.\n\n"
    "\"The water is low,\" said Peter.\n\n"
    "* * *\n\n"
    "\"Rain again,\" said Peter.\n\n"
    "Peter Lane rode up from the town. Peter Lane was old and slow. Peter Lane got down by "
    "the gate.\n\n"
    "\"So it is,\" said Mary.\n";

// A cast where "Peter" is Peter Rowe's alias and Peter Lane's given name.
AttributionOptions peters_cast() {
  AttributionOptions options;
  options.hints.characters.push_back(cast_member("Peter Rowe", {"Peter"}, Gender::Male));
  options.hints.characters.push_back(cast_member("Peter Lane", {}, Gender::Male));
  options.hints.characters.push_back(cast_member("Mary", {}, Gender::Female));
  return options;
}

}  // namespace

TEST_CASE("shared names: a table's shared name is whom the word is marked as, else its fallback") {
  CharacterTable table;
  const int rowe = table.add(cast_member("Peter Rowe", {}, Gender::Male));
  const int lane = table.add(cast_member("Peter Lane", {}, Gender::Male));
  table.share("Peter", {rowe, lane}, rowe);
  auto tokens = tokenize("then Peter came");
  CHECK(table.match(tokens, 1) == std::pair{rowe, 1});  // nobody marked it: the fallback
  tokens[1].person = lane;
  CHECK(table.match(tokens, 1) == std::pair{lane, 1});
  CHECK(table.find("Peter") == -1);  // no one's own name
  CHECK(table.find_person("Peter") == CharacterTable::kSeveral);
  const auto shared = table.shared_at(tokens, 1);
  REQUIRE(shared.has_value());
  CHECK(shared->ids == std::vector<int>{rowe, lane});
  CHECK(shared->length == 1);
  CHECK_FALSE(table.shared_at(tokenize("Peter Lane"), 0).has_value());
}

TEST_CASE("shared names: a name left to one sharer after a merge is theirs alone") {
  CharacterTable table;
  const int rowe = table.add(cast_member("Peter Rowe", {}, Gender::Male));
  const int lane = table.add(cast_member("Peter Lane", {}, Gender::Male));
  const int mary = table.add(cast_member("Mary", {}, Gender::Female));
  table.share("Peter", {rowe, lane}, -1);
  table.merge(rowe, -1);
  table.remove_merged();
  CHECK(table.find("Peter") == lane - 1);
  CHECK(table.find("Mary") == mary - 1);
  CHECK_FALSE(table.has_shared_names());
}

TEST_CASE("shared names: blind, a given name two full names share goes to the one named nearest") {
  const auto lines = quote_speakers(kTwoPeters);
  REQUIRE(lines.size() == 4);
  CHECK(lines[0] == "Peter Rowe");
  CHECK(lines[1] == "Mary");
  CHECK(lines[2] == "Peter Lane");
  CHECK(lines[3] == "Mary");
}

TEST_CASE("shared names: a scene break starts a new scene for a shared given name") {
  const AttributionOptions options = peters_cast();
  const auto lines = quote_speakers(kTwoPetersTwoScenes, options);
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] == "Peter Rowe");
  CHECK(lines[1] == "Peter Lane");
  CHECK(lines[2] == "Mary");
}

TEST_CASE("shared names: blind, without a full name before it the scene looks after, then back") {
  // Chapter I names Peter Rowe in full only after "said Peter"; chapter III names no Peter in
  // full, so the one named last before it, Peter Lane, is its Peter.
  const auto lines = quote_speakers(
      "CHAPTER I.\n\n"
      "\"The water is low,\" said Peter.\n\n"
      "\"It is,\" said Mary.\n\n"
      "Peter Rowe looked at the wheel. Peter Rowe was tall and grave. Peter Rowe sat down.\n\n"
      "CHAPTER II.\n\n"
      "Peter Lane rode up from the town. Peter Lane was old and slow. Peter Lane got down by "
      "the gate.\n\n"
      "\"Rain again,\" said Peter.\n\n"
      "\"So it is,\" said Mary.\n\n"
      "CHAPTER III.\n\n"
      "\"Still raining,\" said Peter.\n\n"
      "\"Still,\" said Mary.\n");
  REQUIRE(lines.size() == 6);
  CHECK(lines[0] == "Peter Rowe");
  CHECK(lines[2] == "Peter Lane");
  CHECK(lines[4] == "Peter Lane");
}

TEST_CASE(
    "shared names: a cast alias another cast character's given name shares yields to the "
    "scene") {
  const AttributionOptions options = peters_cast();
  const auto lines = quote_speakers(kTwoPeters, options);
  REQUIRE(lines.size() == 4);
  CHECK(lines[0] == "Peter Rowe");
  CHECK(lines[2] == "Peter Lane");
  // Where no full name is in the scene, the cast's alias decides.
  const auto alone = quote_speakers("\"Good morning,\" said Peter.\n", options);
  REQUIRE(alone.size() == 1);
  CHECK(alone[0] == "Peter Rowe");
}

TEST_CASE(
    "shared names: a full name among another's cast aliases leaves a cast alias to its "
    "owner") {
  AttributionOptions options;
  options.hints.characters.push_back(cast_member("Little Ned", {"Ned"}, Gender::Male));
  options.hints.characters.push_back(cast_member("Edward Hale", {"Ned Hale"}, Gender::Male));
  const auto lines = quote_speakers(
      "Ned Hale came down the stairs. Ned Hale was old.\n\n\"Good morning,\" said Ned.\n", options);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0] == "Little Ned");
}

// A cast of two men called Peter (neither goes by "Peter" in the cast) and a woman.
AttributionOptions two_peters_no_alias() {
  AttributionOptions options;
  options.hints.characters.push_back(cast_member("Peter Rowe", {}, Gender::Male));
  options.hints.characters.push_back(cast_member("Peter Lane", {}, Gender::Male));
  options.hints.characters.push_back(cast_member("Mary", {}, Gender::Female));
  return options;
}

TEST_CASE("shared names: with a cast, a given name the text calls a wife by is her husband's") {
  // "Mrs Peter Lane" and "Mrs Peter": "Peter" said alone is Peter Lane, though the scene named
  // Peter Rowe last.
  const auto lines = quote_speakers(
      "Peter Rowe and Peter Lane came up from the mill. Mrs Peter Lane was at the door, and Mrs "
      "Peter smiled at them both.\n\n"
      "Peter Rowe sat down by the fire.\n\n"
      "\"Rain again,\" said Peter.\n\n"
      "\"So it is,\" said Mary.\n",
      two_peters_no_alias());
  REQUIRE(lines.size() == 2);
  CHECK(lines[0] == "Peter Lane");
  CHECK(lines[1] == "Mary");
}

TEST_CASE("shared names: with a cast, a given name no wife is called by is the scene's") {
  // Neither Peter goes by "Peter" in the cast and the text calls no wife "Mrs Peter": "said
  // Peter" is the Peter each chapter names in full.
  const auto lines = quote_speakers(kTwoPeters, two_peters_no_alias());
  REQUIRE(lines.size() == 4);
  CHECK(lines[0] == "Peter Rowe");
  CHECK(lines[1] == "Mary");
  CHECK(lines[2] == "Peter Lane");
  CHECK(lines[3] == "Mary");
}

}  // namespace troupe
