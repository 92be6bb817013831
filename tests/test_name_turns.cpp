// The turn-taking join (name_turns.cpp): labels one person goes by become one speaker when their
// turns stand across a third speaker's and never answer each other, and the join does not swing
// on one more label.
#include <doctest/doctest.h>

#include <set>
#include <string>
#include <vector>

#include "attribution/characters_internal.h"
#include "attribution/rule.h"
#include "cast_member.h"

namespace troupe {
namespace {

// A script of one chapter, one quotation a turn: "Name" is a quotation the turns gave Name,
// "Name!" one a tag gave (`"...," said Name`).
Script turns_script(std::vector<Character> characters, const std::vector<std::string>& turns) {
  Script script;
  script.characters = std::move(characters);
  ChapterScript chapter;
  for (std::size_t i = 0; i < turns.size(); ++i) {
    ScriptLine quote;
    quote.kind = LineKind::Quote;
    quote.line = static_cast<int>(2 * i + 1);
    const bool firm = turns[i].ends_with('!');
    quote.speaker = firm ? turns[i].substr(0, turns[i].size() - 1) : turns[i];
    quote.rule = std::string(rule_name(firm ? Rule::TagName : Rule::Turn));
    quote.text = "Words.";
    chapter.lines.push_back(quote);
  }
  script.chapters.push_back(chapter);
  return script;
}

std::vector<std::string> times(const std::vector<std::string>& pattern, int n) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) out.insert(out.end(), pattern.begin(), pattern.end());
  return out;
}

std::set<std::string> joined(std::vector<Character> characters,
                             const std::vector<std::string>& turns, int cast_count = 0) {
  auto script = turns_script(std::move(characters), turns);
  characters_internal::join_by_turns(script, cast_count);
  std::set<std::string> out;
  for (const auto& line : script.chapters[0].lines) out.insert(line.speaker);
  return out;
}

const Gender kMale = Gender::Male, kFemale = Gender::Female, kOpen = Gender::Unknown;

}  // namespace

TEST_CASE("name turns: an epithet joins the man it stands in for, not the one it answers") {
  // Wace talks with Orrin, who is "Orrin" in some tags and "the Miser" in others; in the second
  // scene Wace and the Miser answer each other back and forth, as before.
  const std::vector<Character> people = {cast_member("Wace", {}, kMale),
                                         cast_member("Orrin", {}, kMale),
                                         cast_member("The Miser", {"Miser"}, kMale)};
  auto turns = times({"Wace", "Orrin", "Wace", "The Miser"}, 5);
  CHECK(joined(people, turns) == std::set<std::string>{"Wace", "Orrin"});
}

TEST_CASE("name turns: one more label anywhere leaves the join as it was") {
  // The same talk with a third man, Pell, saying one line at each place in turn: every turn
  // after him moves one place, and the join stays Orrin's.
  const std::vector<Character> people = {
      cast_member("Wace", {}, kMale), cast_member("Orrin", {}, kMale),
      cast_member("The Miser", {"Miser"}, kMale), cast_member("Pell", {}, kMale)};
  const auto turns = times({"Wace", "Orrin", "Wace", "The Miser"}, 5);
  for (std::size_t at = 0; at <= turns.size(); ++at) {
    auto more = turns;
    more.insert(more.begin() + static_cast<long>(at), "Pell");
    CAPTURE(at);
    CHECK(joined(people, more) == std::set<std::string>{"Wace", "Orrin", "Pell"});
  }
}

TEST_CASE("name turns: two labels that answer each other back and forth stay two") {
  // Father and son, "Thomas Ashby" and "Tom": each speaks across Janey too, but they answer
  // each other more than that.
  const std::vector<Character> people = {cast_member("Janey", {}, kFemale),
                                         cast_member("Thomas Ashby", {}, kMale),
                                         cast_member("Tom", {}, kMale)};
  CHECK(joined(people, times({"Janey", "Tom", "Janey", "Thomas Ashby", "Tom", "Thomas Ashby"}, 5))
            .size() == 3);
  // The same labels only across Janey are one man.
  CHECK(joined(people, times({"Janey", "Tom", "Janey", "Thomas Ashby"}, 5)) ==
        std::set<std::string>{"Janey", "Thomas Ashby"});
}

TEST_CASE("name turns: two labels tags name as they answer each other twice stay two") {
  // Across Janey eighteen times, but twice "said Tom" answers "said Thomas Ashby" and is
  // answered by him again: two men in one scene.
  const std::vector<Character> people = {cast_member("Janey", {}, kFemale),
                                         cast_member("Thomas Ashby", {}, kMale),
                                         cast_member("Tom", {}, kMale)};
  auto turns = times({"Janey", "Tom", "Janey", "Thomas Ashby"}, 9);
  CHECK(joined(people, turns) == std::set<std::string>{"Janey", "Thomas Ashby"});
  for (int i = 0; i < 2; ++i) {
    turns.insert(turns.end(), {"Tom!", "Thomas Ashby!", "Tom!"});
    turns.push_back("Janey");
  }
  CHECK(joined(people, turns).size() == 3);
}

TEST_CASE("name turns: a hyphenated name and its part are one speaker, with its other names") {
  // "Winnie-the-Bear", "Bear" and "Bruin" (whom the text also calls "Bear Bruin") each talk
  // across Sorrel: one speaker, under the name with the most lines.
  const std::vector<Character> people = {
      cast_member("Sorrel", {}, kMale), cast_member("Bear", {}, kOpen),
      cast_member("Winnie-the-Bear", {}, kOpen), cast_member("Bruin", {"Bear Bruin"}, kOpen)};
  auto turns = times({"Sorrel", "Bear", "Sorrel", "Bear", "Sorrel", "Winnie-the-Bear"}, 4);
  const auto more = times({"Sorrel", "Bear", "Sorrel", "Bruin"}, 4);
  turns.insert(turns.end(), more.begin(), more.end());
  CHECK(joined(people, turns) == std::set<std::string>{"Sorrel", "Bear"});
  // A family name of two parts is no hyphenated name: "Lyle" is not "Anna Vance-Lyle".
  CHECK(joined({cast_member("Sorrel", {}, kMale), cast_member("Anna Vance-Lyle", {}, kFemale),
                cast_member("Lyle", {}, kFemale)},
               times({"Sorrel", "Lyle", "Sorrel", "Anna Vance-Lyle"}, 5))
            .size() == 3);
}

TEST_CASE("name turns: a pet name said with another surname is of another family") {
  // "Jock" may be a John: talking across Sorrel, Jock and John Andrew are one speaker...
  const auto turns = times({"Sorrel", "Jock", "Sorrel", "John Andrew"}, 5);
  CHECK(joined({cast_member("Sorrel", {}, kMale), cast_member("Jock", {}, kMale),
                cast_member("John Andrew", {}, kMale)},
               turns)
            .size() == 2);
  // ...unless the text calls him "Jock Hale": a Hale is no Andrew.
  CHECK(joined({cast_member("Sorrel", {}, kMale), cast_member("Jock", {"Jock Hale"}, kMale),
                cast_member("John Andrew", {}, kMale)},
               turns)
            .size() == 3);
}

TEST_CASE("name turns: a title before the full name joins the short form of that full name") {
  // "Master Robert Pike" says one line just before "Bob" (whom the text calls "Bob Pike"):
  // the full names are one, so little of the turns is needed...
  const std::vector<Character> people = {cast_member("Wace", {}, kMale),
                                         cast_member("Bob", {"Bob Pike"}, kMale),
                                         cast_member("Master Robert Pike", {}, kMale)};
  CHECK(joined(people, {"Wace", "Master Robert Pike", "Bob", "Wace", "Bob"}) ==
        std::set<std::string>{"Wace", "Bob"});
  // ...but none where they answer each other.
  CHECK(joined(people, {"Wace", "Bob", "Master Robert Pike", "Bob", "Master Robert Pike"}).size() ==
        3);
}

TEST_CASE("name turns: a title and surname joins the one who goes by that title and surname") {
  // "Master Pike" talks across Wace as "Bob" does, and the text calls Bob "Master Bob Pike".
  const auto turns = times({"Wace", "Bob", "Wace", "Master Pike"}, 5);
  CHECK(joined({cast_member("Wace", {}, kMale),
                cast_member("Bob", {"Bob Pike", "Master Bob Pike"}, kMale),
                cast_member("Master Pike", {}, kMale)},
               turns) == std::set<std::string>{"Wace", "Bob"});
  // Where a Mrs. Pike is about, "Master Pike" may be another of the family.
  CHECK(joined({cast_member("Wace", {}, kMale),
                cast_member("Bob", {"Bob Pike", "Master Bob Pike"}, kMale),
                cast_member("Master Pike", {}, kMale), cast_member("Mrs. Pike", {}, kFemale)},
               turns)
            .size() == 3);
}

TEST_CASE("name turns: one group never holds two epithets, two cast people or two genders") {
  // Orrin is across Wace from "the Miser" and from "the Elder": one epithet joins him, the
  // other stays, whichever the turns favour.
  const auto speakers = joined(
      {cast_member("Wace", {}, kMale), cast_member("Orrin", {}, kMale),
       cast_member("The Miser", {"Miser"}, kMale), cast_member("The Elder", {"Elder"}, kMale)},
      times({"Wace", "Orrin", "Wace", "The Miser", "Wace", "Orrin", "Wace", "The Elder"}, 4));
  CHECK(speakers.size() == 3);
  CHECK(speakers.count("Orrin") == 1);
  // "Lizzy" and "Eliza" both across Wace from a found "Elizabeth": with a cast of the first
  // three, the two cast people stay two.
  CHECK(
      joined({cast_member("Wace", {}, kMale), cast_member("Lizzy", {}, kFemale),
              cast_member("Eliza", {}, kFemale), cast_member("Elizabeth", {}, kFemale)},
             times({"Wace", "Lizzy", "Wace", "Elizabeth", "Wace", "Eliza", "Wace", "Elizabeth"}, 4),
             3)
          .size() == 3);
}

}  // namespace troupe
