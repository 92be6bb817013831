// Character identity: one person is one speaker across every way the text names them, and a
// cast file's people are the ones a name refers to.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "attribution/attribute.h"
#include "attribution/characters.h"
#include "attribution/characters_internal.h"
#include "attribution/name_forms.h"
#include "attribution/word_lists.h"
#include "cast_member.h"
#include "quote_speakers.h"
#include "text/reader.h"

namespace troupe {
namespace {

AttributionOptions with_cast(std::vector<Character> cast) {
  AttributionOptions options;
  options.hints.characters = std::move(cast);
  return options;
}

}  // namespace

TEST_CASE("identity: the short-form table joins a given name to its short forms") {
  for (const char* form : {"Will", "Bill", "Billy", "Willie"})
    CHECK(same_given_name("William", form));
  CHECK(same_given_name("Bill", "Will"));  // two short forms of one name
  CHECK(same_given_name("Michael", "Mike"));
  for (const char* form : {"Peggy", "Meg", "Maggie"}) CHECK(same_given_name("Margaret", form));
  CHECK(same_given_name("Richard", "Dick"));
  for (const char* form : {"Kate", "Kitty"}) CHECK(same_given_name("Katherine", form));
  for (const char* form : {"Lizzy", "Eliza", "Bess", "Betsy"})
    CHECK(same_given_name("Elizabeth", form));
  CHECK(same_given_name("Thomas", "Tom"));
  for (const char* form : {"Lou", "Loo", "Louie"}) CHECK(same_given_name("Louisa", form));
  CHECK(is_short_form_of("Lizzy", "Elizabeth"));
  CHECK_FALSE(is_short_form_of("Elizabeth", "Lizzy"));  // the full form is no short form
  CHECK_FALSE(is_short_form_of("Bill", "Will"));        // nor is one short form of another
  CHECK(same_given_name("bill", "WILLIAM"));            // in any case
  CHECK(same_given_name("Emma", "Emma"));               // a name the table lacks is itself
  CHECK_FALSE(same_given_name("William", "Michael"));
  CHECK_FALSE(same_given_name("Bill", "Mike"));
  CHECK_FALSE(same_given_name("Kate", "Peggy"));
  CHECK_FALSE(same_given_name("Emma", "Anne"));
  CHECK_FALSE(same_given_name("", ""));
}

TEST_CASE("identity: every row of the short-form table is names, its full form first") {
  std::set<std::string> full_forms;
  for (const auto& row : short_form_rows()) {
    REQUIRE(row.size() >= 2);
    CHECK(full_forms.insert(std::string(row[0])).second);  // one row a full name
    for (auto name : row) {
      CHECK(!name.empty());
      CHECK(std::isupper(static_cast<unsigned char>(name[0])));
      CHECK(same_given_name(row[0], name));
    }
  }
}

TEST_CASE("identity: a name is taken apart into title, words and surname") {
  auto parts = parse_name("Mr. Thomas J. Ashby");
  CHECK(parts.title == "Mr.");
  CHECK(parts.title_gender == Gender::Male);
  CHECK(parts.words == std::vector<std::string>{"Thomas", "J", "Ashby"});
  CHECK(parts.surname == "Ashby");
  CHECK(parse_name("Lady St. Cloud").surname == "St. Cloud");
  CHECK(parse_name("Max de Winter").surname == "de Winter");
}

TEST_CASE("identity: the full name, the given name and the surname name one man") {
  const Gender m = Gender::Male;
  CHECK(is_form_of("Thomas Ashby", "Thomas Ashby", m));
  CHECK(is_form_of("Thomas", "Thomas Ashby", m));
  CHECK(is_form_of("Ashby", "Thomas Ashby", m));
  CHECK(is_form_of("Ashby's", "Thomas Ashby", m));  // a possessive
  CHECK(is_form_of("Tom", "Thomas Ashby", m));      // a short form
  CHECK(is_form_of("Tommy Ashby", "Thomas Ashby", m));
  CHECK(is_form_of("Thomas J. Ashby", "Thomas Ashby", m));  // a middle initial
  CHECK(is_form_of("T. Ashby", "Thomas Ashby", m));
  CHECK(is_form_of("Thomas J. Ashby", "Thomas James Ashby", m));
  CHECK_FALSE(is_form_of("Thomas K. Ashby", "Thomas James Ashby", m));
  CHECK_FALSE(is_form_of("Henry", "Thomas Ashby", m));
  CHECK_FALSE(is_form_of("Henry Ashby", "Thomas Ashby", m));
  CHECK_FALSE(is_form_of("Thomas Baxter", "Thomas Ashby", m));
  CHECK_FALSE(is_form_of("Mr.", "Mr. Ashby", m));  // a title alone names no one
  CHECK(is_surname_of("Ashby", "Thomas Ashby"));
  CHECK_FALSE(is_surname_of("Thomas", "Thomas Ashby"));
  CHECK_FALSE(is_surname_of("Mr. Ashby", "Thomas Ashby"));
}

TEST_CASE("identity: a title with the surname fits the person the title fits") {
  const Gender m = Gender::Male, f = Gender::Female;
  for (const char* title : {"Mr.", "Mr", "Dr.", "Lord", "Sir", "Monsieur", "Count", "Captain",
                            "Colonel", "Uncle", "Father"}) {
    CAPTURE(title);
    CHECK(is_form_of(std::string(title) + " Ashby", "Thomas Ashby", m));
    CHECK(
        is_form_of(std::string(title) + " Thomas Ashby", "Thomas Ashby", m));  // before a full name
  }
  for (const char* title :
       {"Mrs.", "Miss", "Ms.", "Lady", "Madame", "Countess", "Aunt", "Dr.", "Captain"}) {
    CAPTURE(title);
    CHECK(is_form_of(std::string(title) + " Ashby", "Margaret Ashby", f));
  }
  CHECK_FALSE(is_form_of("Mrs. Ashby", "Thomas Ashby", m));
  CHECK_FALSE(is_form_of("Mr. Ashby", "Margaret Ashby", f));
  CHECK_FALSE(is_form_of("Countess Ashby", "Thomas Ashby", m));
}

TEST_CASE("identity: a title with the given name, and one man under two titles") {
  const Gender m = Gender::Male, f = Gender::Female;
  CHECK(is_form_of("Sir Gerald", "Sir Gerald Ashdown", m));
  CHECK(is_form_of("Miss Elizabeth", "Elizabeth Quarles", f));
  CHECK(is_form_of("Miss Lizzy", "Elizabeth Quarles", f));
  CHECK(is_form_of("Aunt Polly", "Polly Harper", f));
  CHECK(is_form_of("Uncle Bill", "William Harper", m));
  CHECK(is_form_of("Lady Honoria", "Lady Honoria de Vauclair", f));
  CHECK(is_form_of("Dr. Fenby", "Mr. Fenby", m));
  CHECK(is_form_of("Captain Fenby", "Colonel Fenby", m));
  CHECK(is_form_of("Countess Olenska", "Madame Olenska", f));
  CHECK_FALSE(is_form_of("Sir Gerald", "William Gerald Ashdown", m));
  CHECK_FALSE(is_form_of("Miss Brisby", "John Brisby", Gender::Unknown));
  CHECK(is_form_of("Mrs. Brisby", "Mrs. John Brisby", f));  // his wife's name
  // Titles that name other people of one family
  CHECK_FALSE(is_form_of("Mrs. Ashby", "Miss Ashby", Gender::Unknown));
  CHECK_FALSE(is_form_of("Miss Ashby", "Mrs. Ashby", Gender::Unknown));
  CHECK_FALSE(is_form_of("Mrs. Ashby", "Mr. Ashby", Gender::Unknown));
  CHECK_FALSE(is_form_of("Sir Thomas", "Mr. Thomas", Gender::Unknown));
}

TEST_CASE("identity: Mr. Ashby, Mrs. Ashby and Janey Ashby are three people") {
  const std::string text =
      "Mr. Ashby came in with Mrs. Ashby and Janey Ashby. Janey Ashby sat down.\n\n"
      "\"It is late,\" said Mr. Ashby.\n\n"
      "\"It is,\" said Mrs. Ashby.\n\n"
      "\"Not for me,\" said Janey Ashby.\n\n"
      "\"Bed,\" said Mr. Ashby.\n\n"
      "\"No,\" said Janey.\n\n"
      "\"Yes,\" said Mrs. Ashby.\n";
  auto blind = quote_speakers(text, {});
  REQUIRE(blind.size() == 6);
  CHECK(std::set<std::string>(blind.begin(), blind.end()).size() == 3);
  CHECK(blind[0] == blind[3]);
  CHECK(blind[1] == blind[5]);
  CHECK(blind[2] == blind[4]);
  auto cast = with_cast({cast_member("Mr. Ashby", {}, Gender::Male),
                         cast_member("Mrs. Ashby", {}, Gender::Female),
                         cast_member("Janey Ashby", {}, Gender::Female)});
  CHECK(quote_speakers(text, cast) == std::vector<std::string>{"Mr. Ashby", "Mrs. Ashby",
                                                               "Janey Ashby", "Mr. Ashby",
                                                               "Janey Ashby", "Mrs. Ashby"});
}

TEST_CASE("identity: a surname a family shares decides nothing alone") {
  auto cast = with_cast(
      {cast_member("Mr. Ashby", {}, Gender::Male), cast_member("Janey Ashby", {}, Gender::Female)});
  const std::string text =
      "The Ashbys were at home. Ashby was reading and Ashby was sewing.\n\n"
      "\"Tea,\" said Ashby.\n\n"
      "\"No,\" said Janey.\n";
  auto lines = quote_speakers(text, cast);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0] != "Ashby");  // no speaker of its own for the family name
  CHECK(lines[1] == "Janey Ashby");
}

TEST_CASE("identity: a cast character met by first name or surname only is that character") {
  auto cast = with_cast(
      {cast_member("Bill Sikes", {}, Gender::Male), cast_member("Nancy", {}, Gender::Female)});
  const std::string text =
      "Bill came in. Bill sat down, and Nancy looked at Sikes. Sikes frowned.\n\n"
      "\"Well?\" said Bill.\n\n"
      "\"Nothing,\" said Nancy.\n\n"
      "\"Nothing, is it?\" said Sikes.\n\n"
      "\"Mr. Sikes, please,\" said Nancy.\n";
  CHECK(quote_speakers(text, cast) ==
        std::vector<std::string>{"Bill Sikes", "Nancy", "Bill Sikes", "Nancy"});
}

TEST_CASE("identity: a cast character met by a short form of the given name") {
  auto cast = with_cast({cast_member("William Sikes", {}, Gender::Male),
                         cast_member("Margaret Hale", {}, Gender::Female)});
  const std::string text =
      "Bill and Peggy walked on. Bill stopped. Peggy stopped.\n\n"
      "\"Here,\" said Bill.\n\n"
      "\"Here?\" said Peggy.\n\n"
      "\"Yes,\" said Billy Sikes.\n";
  CHECK(quote_speakers(text, cast) ==
        std::vector<std::string>{"William Sikes", "Margaret Hale", "William Sikes"});
}

TEST_CASE(
    "identity: a bare cast name that is a form of one fuller cast name means the fuller one") {
  // The cast lists "Mr. Hale" and "Rook" apart, with no other names, beside "Edward Hale" and
  // "Tom Rook"; the text never tells them apart (it names Edward Hale first, then calls him
  // Mr. Hale): where it writes those names it means the two fuller characters.
  auto cast = with_cast(
      {cast_member("Edward Hale", {}, Gender::Male), cast_member("Mr. Hale", {}, Gender::Male),
       cast_member("Tom", {"Tom Rook"}, Gender::Male), cast_member("Rook", {}, Gender::Unknown),
       cast_member("Mrs. Hale", {}, Gender::Female)});
  const std::string text =
      "Edward Hale and Tom Rook stood by the gate with Mrs. Hale. Mr. Hale had the key.\n\n"
      "\"Open it,\" said Mr. Hale.\n\n"
      "\"Not I,\" said Rook.\n\n"
      "\"Boys,\" said Mrs. Hale.\n";
  CHECK(quote_speakers(text, cast) == std::vector<std::string>{"Edward Hale", "Tom", "Mrs. Hale"});
}

TEST_CASE("identity: a bare cast name the narration tells from a fuller one stays its own") {
  // "Mr. Hale" comes before "Frederick Hale" in one paragraph: the full name brings in another
  // man (his son), so "Mr. Hale" is the father the cast lists apart.
  auto cast = with_cast({cast_member("Mr. Hale", {}, Gender::Male),
                         cast_member("Frederick Hale", {}, Gender::Male),
                         cast_member("Margaret Hale", {}, Gender::Female)});
  const std::string text =
      "Mr. Hale sat at the table with his son Frederick Hale, and Margaret Hale sewed.\n\n"
      "\"I am an old man now,\" said Mr. Hale.\n\n"
      "\"Not so old,\" said Frederick Hale.\n";
  CHECK(quote_speakers(text, cast) == std::vector<std::string>{"Mr. Hale", "Frederick Hale"});
}

TEST_CASE("identity: a bare surname of open gender is no woman's full name") {
  // "Thackett" alone is how a man is called: not Mary Thackett.
  auto cast = with_cast({cast_member("Thackett", {}, Gender::Unknown),
                         cast_member("Mary Thackett", {}, Gender::Female)});
  const std::string text =
      "Mary Thackett stood by the window.\n\n"
      "\"The parcels came each spring,\" said Thackett.\n\n"
      "\"Every year,\" said Mary Thackett.\n";
  CHECK(quote_speakers(text, cast) == std::vector<std::string>{"Thackett", "Mary Thackett"});
}

TEST_CASE("identity: a cast name written as a possessive in another is no name of the other") {
  // "Nora’s Cat" (a typographic apostrophe) is the cat of Nora, not Nora, whatever genders
  // the cast leaves open.
  auto cast = with_cast(
      {cast_member("Nora", {}, Gender::Unknown), cast_member("Nora’s Cat", {}, Gender::Unknown)});
  const std::string text =
      "Nora sat in the orchard with her cat.\n\n"
      "\"How dull,\" said Nora.\n";
  CHECK(quote_speakers(text, cast) == std::vector<std::string>{"Nora"});
}

TEST_CASE("identity: a bare cast name two fuller cast names fit stays its own") {
  // "Mr. Hale" could be either Hale brother; "Mrs. Hale" is no form of a man's name.
  auto cast = with_cast(
      {cast_member("Edward Hale", {}, Gender::Male), cast_member("John Hale", {}, Gender::Male),
       cast_member("Mr. Hale", {}, Gender::Male), cast_member("Jane Hale", {}, Gender::Female),
       cast_member("Mrs. Hale", {}, Gender::Female)});
  const std::string text =
      "Edward Hale and John Hale stood by the gate with Jane Hale.\n\n"
      "\"Open it,\" said Mr. Hale.\n\n"
      "\"Boys,\" said Mrs. Hale.\n";
  CHECK(quote_speakers(text, cast) == std::vector<std::string>{"Mr. Hale", "Mrs. Hale"});
}

TEST_CASE("identity: the cast character with the alias I is the first-person narrator") {
  auto cast = with_cast({cast_member("Dr. Watson", {"I"}, Gender::Male),
                         cast_member("Sherlock Holmes", {}, Gender::Male)});
  const std::string text =
      "I looked at Holmes. I had never seen him so still. I waited, and I spoke at last.\n\n"
      "\"Well?\" I said.\n\n"
      "\"Nothing yet,\" said Holmes.\n\n"
      "\"Nothing at all?\" said I.\n";
  CHECK(quote_speakers(text, cast) ==
        std::vector<std::string>{"Dr. Watson", "Sherlock Holmes", "Dr. Watson"});
}

TEST_CASE("identity: names the cast leaves out are still found") {
  auto cast = with_cast({cast_member("Bill Sikes", {}, Gender::Male)});
  const std::string text =
      "Bill met Fagin at the door. Fagin smiled. Fagin said nothing.\n\n"
      "\"Come in,\" said Fagin.\n\n"
      "\"No,\" said Bill.\n";
  CHECK(quote_speakers(text, cast) == std::vector<std::string>{"Fagin", "Bill Sikes"});
}

TEST_CASE("identity: blind, one man named four ways is one speaker") {
  const std::string text =
      "Thomas Ashby came to the farm with Janey. Thomas Ashby looked tired. Janey ran ahead,\n"
      "and Thomas Ashby followed her.\n\n"
      "\"Hello,\" said Mr. Ashby.\n\n"
      "\"Hello, Tom,\" said Janey.\n\n"
      "\"Where is the dog?\" said Tom.\n\n"
      "\"Gone,\" said Janey.\n\n"
      "\"Gone where?\" said Ashby.\n\n"
      "Tom sat down. Mr. Ashby was tired. Tom slept.\n";
  auto lines = quote_speakers(text, {});
  REQUIRE(lines.size() == 5);
  CHECK(lines[0] == lines[2]);
  CHECK(lines[2] == lines[4]);
  CHECK(lines[0] == "Thomas Ashby");  // the fullest name the story uses
  CHECK(lines[1] == "Janey");
}

TEST_CASE("identity: blind, a woman as Madame and as Countess is one speaker") {
  const std::string text =
      "Madame Olenska sat by the fire. Madame Olenska smiled.\n\n"
      "\"You came,\" said Madame Olenska.\n\n"
      "\"I did,\" said Newland. Newland sat. Newland waited.\n\n"
      "\"Good,\" said Countess Olenska.\n\n"
      "Countess Olenska rose.\n";
  auto lines = quote_speakers(text, {});
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] == lines[2]);
  CHECK(lines[0] != lines[1]);
}

}  // namespace troupe

namespace troupe {

TEST_CASE("identity: blind, Mr. and Miss with the family name are the son and daughter") {
  const std::string text =
      "Henry Pellow and Mary Pellow came with Mrs. Pellow. Henry laughed and Mary smiled.\n"
      "Mr. Pellow sat down. Miss Pellow stood. Mrs. Pellow frowned at Mr. Pellow and\n"
      "at Miss Pellow, and Mrs. Pellow left.\n\n"
      "\"Well,\" said Mr. Pellow.\n\n"
      "\"Indeed,\" said Miss Pellow.\n\n"
      "\"Hush,\" said Mrs. Pellow.\n\n"
      "\"No,\" said Henry.\n\n"
      "\"Yes,\" said Mary.\n";
  auto lines = quote_speakers(text, {});
  REQUIRE(lines.size() == 5);
  CHECK(lines[0] == lines[3]);
  CHECK(lines[1] == lines[4]);
  CHECK(lines[2] != lines[1]);  // the mother is no one the text calls by a given name
  CHECK(lines[2] != lines[0]);
}

}  // namespace troupe

namespace troupe {

TEST_CASE("identity: blind, Sir before a given name is no family name") {
  // "Sir Henry" says "Henry" is a given name: "Henry Pellow" is his full name, and "Mr.
  // Pellow" is him.
  const std::string text =
      "Henry Pellow came in. Henry Pellow bowed. Henry sat down, and Henry smiled.\n"
      "They spoke of Sir Henry and of Sir Henry's horses. Mr. Pellow laughed.\n"
      "Mr. Pellow rose.\n\n"
      "\"Well,\" said Mr. Pellow.\n\n"
      "\"Indeed,\" said Fanny. Fanny sat. Fanny waited.\n\n"
      "\"No,\" said Henry.\n";
  auto lines = quote_speakers(text, {});
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] == lines[2]);
  CHECK(lines[0] != lines[1]);
}

TEST_CASE("identity: blind, two men of one given name with two surnames are two speakers") {
  // "John Middleton", said most, is Sir John's full name: "John Brisby" is another man.
  const std::string text =
      "Sir John Middleton came in. Sir John laughed. John was loud, and John was kind.\n"
      "John Middleton sat. John Middleton rose. John Middleton was kind. John Middleton ate.\n"
      "John Brisby came later. John Brisby was cold. Mr. Brisby frowned. Mr. Brisby\n"
      "waited.\n\n"
      "\"Welcome!\" said John.\n\n"
      "\"Thank you,\" said John Brisby.\n\n"
      "\"Sit,\" said Sir John.\n";
  auto lines = quote_speakers(text, {});
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] == lines[2]);
  CHECK(lines[0] != lines[1]);
}

TEST_CASE("identity: blind, Mr. before a surname is not the Sir of that family") {
  // "Gerald Ashdown" is Sir Gerald's full name, and no "Mr. Ashdown".
  const std::string text =
      "Sir Gerald Ashdown was vain. Sir Gerald Ashdown looked in the glass. Gerald Ashdown sat.\n"
      "Gerald Ashdown sighed. Gerald sat, and Gerald sighed. Mr. Ashdown came in. Mr. Ashdown\n"
      "bowed. Sir Gerald stared. Sir Gerald sat.\n\n"
      "\"Cousin,\" said Mr. Ashdown.\n\n"
      "\"Sir,\" said Gerald.\n";
  auto lines = quote_speakers(text, {});
  REQUIRE(lines.size() == 2);
  CHECK(lines[0] != lines[1]);
}

TEST_CASE("identity: blind, Miss before a given name is not the eldest Miss of the family") {
  const std::string text =
      "Marianne Brisby sat with Elinor. Marianne sighed. Marianne wept. Elinor read, and\n"
      "Elinor sat. Miss Marianne was young. Miss Marianne played. Miss Brisby was calm. Miss\n"
      "Brisby smiled. Lady Brisby came.\n\n"
      "\"Sister,\" said Miss Brisby.\n\n"
      "\"Oh,\" said Marianne.\n";
  auto lines = quote_speakers(text, {});
  REQUIRE(lines.size() == 2);
  CHECK(lines[0] != lines[1]);
}

}  // namespace troupe

namespace troupe {

TEST_CASE("identity: blind, a surname alone is the Mr form also when Mr has no period") {
  const std::string text =
      "Mr Beaver came in with Mrs Beaver. Mr Beaver sat. Mrs Beaver stood. Beaver yawned, and\n"
      "Beaver sat.\n\n"
      "\"Well,\" said Mr Beaver.\n\n"
      "\"Hush,\" said Mrs Beaver.\n\n"
      "\"No,\" said Beaver.\n";
  auto lines = quote_speakers(text, {});
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] == lines[2]);
  CHECK(lines[0] != lines[1]);
}

}  // namespace troupe

namespace troupe {

TEST_CASE("identity: blind, a titled full name and the same name untitled are one speaker") {
  // "Uncle James" keeps "James" from being a one-word name that merges by itself: only "Mr.
  // James Harthouse" beside "James Harthouse" says that "Mr. Harthouse" is James. He is voiced
  // by the name the story uses most.
  const std::string text =
      "Mr. Harthouse came in. Mr. Harthouse bowed. Mr. Harthouse sat. They spoke of Mr. James\n"
      "Harthouse and of Mr. James Harthouse. James Harthouse smiled. James Harthouse rose. James\n"
      "Harthouse left. James came back, and James sat. Louisa watched. Louisa sighed. Uncle James\n"
      "laughed. Uncle James wept.\n\n"
      "\"Well,\" said Mr. Harthouse.\n\n"
      "\"Yes,\" said Louisa.\n\n"
      "\"No,\" said James.\n";
  auto lines = quote_speakers(text, {});
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] == lines[2]);
  CHECK(lines[0] == "Mr. Harthouse");
  CHECK(lines[0] != lines[1]);
}

}  // namespace troupe

namespace troupe {

TEST_CASE("identity: the titles said before a name, with the gender each one gives") {
  const std::vector<std::pair<const char*, Gender>> titles = {
      {"Mr.", Gender::Male},      {"Mr", Gender::Male},         {"Mrs.", Gender::Female},
      {"Miss", Gender::Female},   {"Ms.", Gender::Female},      {"Lady", Gender::Female},
      {"Lord", Gender::Male},     {"Sir", Gender::Male},        {"Madame", Gender::Female},
      {"Monsieur", Gender::Male}, {"Count", Gender::Male},      {"Countess", Gender::Female},
      {"Aunt", Gender::Female},   {"Uncle", Gender::Male},      {"Father", Gender::Male},
      {"Dr.", Gender::Unknown},   {"Captain", Gender::Unknown}, {"Colonel", Gender::Male}};
  for (const auto& [title, gender] : titles) {
    const std::string name = title;
    CAPTURE(name);
    Gender said = Gender::Unknown;
    CHECK(is_person_title(title, &said));
    CHECK(said == gender);
    CHECK(parse_name(std::string(title) + " Thomas J. Ashby").title == title);
  }
  CHECK_FALSE(is_person_title("Ashby"));
}

TEST_CASE("identity: blind, possessives and a middle initial name the same man") {
  const std::string text =
      "Thomas J. Ashby came in. Thomas J. Ashby sat down. Ashby's dog lay at Ashby's feet, and\n"
      "Janey looked at Thomas Ashby's hat. Janey smiled. Janey waited.\n\n"
      "\"Well,\" said Thomas J. Ashby.\n\n"
      "\"Well yourself,\" said Janey.\n\n"
      "\"Enough,\" said Thomas Ashby.\n";
  auto lines = quote_speakers(text, {});
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] == lines[2]);
  CHECK(lines[0] != lines[1]);
}

}  // namespace troupe

namespace troupe {
namespace {

// A script of one chapter whose quotations are spoken, in order, by `turns`.
Script script_of_turns(std::vector<Character> characters, const std::vector<std::string>& turns) {
  Script script;
  script.characters = std::move(characters);
  ChapterScript chapter;
  int line = 1;
  for (const auto& speaker : turns) {
    ScriptLine quote;
    quote.kind = LineKind::Quote;
    quote.line = line;
    line += 2;
    quote.speaker = speaker;
    quote.text = "Words.";
    chapter.lines.push_back(quote);
  }
  script.chapters.push_back(chapter);
  return script;
}

// `pattern` repeated `times` times.
std::vector<std::string> repeated(const std::vector<std::string>& pattern, int times) {
  std::vector<std::string> out;
  for (int i = 0; i < times; ++i) out.insert(out.end(), pattern.begin(), pattern.end());
  return out;
}

std::set<std::string> speakers_in(const Script& script) {
  std::set<std::string> out;
  for (const auto& line : script.chapters[0].lines) out.insert(line.speaker);
  return out;
}

}  // namespace

TEST_CASE("identity: an epithet whose turns are a named man's joins him") {
  // Sikes talks with one man, called "Fagin" in one tag and "the Jew" in the next: Fagin's and
  // the Jew's turns stand two apart, never one.
  auto script = script_of_turns(
      {cast_member("Sikes", {}, Gender::Male), cast_member("Fagin", {}, Gender::Male),
       cast_member("The Jew", {"Jew"}, Gender::Unknown)},
      repeated({"Sikes", "Fagin", "Sikes", "The Jew"}, 6));
  characters_internal::join_by_turns(script, 0);
  CHECK(speakers_in(script) == std::set<std::string>{"Sikes", "Fagin"});
  REQUIRE(script.characters.size() == 2);
  const auto& fagin = script.characters[1];
  CHECK(fagin.name == "Fagin");
  CHECK(std::find(fagin.aliases.begin(), fagin.aliases.end(), "The Jew") != fagin.aliases.end());
}

TEST_CASE("identity: a short form whose turns are the full name's joins it") {
  auto script = script_of_turns(
      {cast_member("Louisa", {}, Gender::Female), cast_member("Loo", {}, Gender::Unknown),
       cast_member("Mr. Gradgrind", {}, Gender::Male)},
      repeated({"Mr. Gradgrind", "Louisa", "Mr. Gradgrind", "Loo", "Mr. Gradgrind", "Louisa"}, 4));
  characters_internal::join_by_turns(script, 0);
  CHECK(speakers_in(script) == std::set<std::string>{"Mr. Gradgrind", "Louisa"});
}

TEST_CASE("identity: two labels joined by turns keep the one with more quotations") {
  // "Louisa" speaks three quotations at a time, "Loo" one: Loo has more turns, Louisa more
  // quotations, and the speaker keeps the name most of her lines were given.
  auto script = script_of_turns(
      {cast_member("Louisa", {}, Gender::Female), cast_member("Loo", {}, Gender::Unknown),
       cast_member("Mr. Gradgrind", {}, Gender::Male)},
      repeated({"Mr. Gradgrind", "Louisa", "Louisa", "Louisa", "Mr. Gradgrind", "Loo",
                "Mr. Gradgrind", "Loo"},
               4));
  characters_internal::join_by_turns(script, 0);
  CHECK(speakers_in(script) == std::set<std::string>{"Mr. Gradgrind", "Louisa"});
}

TEST_CASE("identity: two people who answer each other stay two, whatever their names") {
  // Father and son of one given name ("Tom" of "Thomas Ashby") talk to each other: their turns
  // stand one apart.
  auto script = script_of_turns(
      {cast_member("Thomas Ashby", {}, Gender::Male), cast_member("Tom", {}, Gender::Male)},
      repeated({"Thomas Ashby", "Tom"}, 12));
  characters_internal::join_by_turns(script, 0);
  CHECK(speakers_in(script).size() == 2);
}

TEST_CASE("identity: turns never join a family name, an epithet of no gender, or two cast people") {
  // Janey talks with one woman or man under two labels, a and b, in turns: a, then b. The
  // speakers left after joining, the first `cast_count` characters from a cast file.
  const auto speakers_after = [](const Character& a, const Character& b, int cast_count) {
    auto script = script_of_turns({cast_member("Janey", {}, Gender::Female), a, b},
                                  repeated({"Janey", a.name, "Janey", b.name}, 6));
    characters_internal::join_by_turns(script, cast_count);
    return speakers_in(script);
  };
  const Gender f = Gender::Female, m = Gender::Male;
  // "Miss Ashby" is a form of "Mary Ashby"'s family name only: a sister, an aunt.
  CHECK(speakers_after(cast_member("Mary Ashby", {}, f), cast_member("Miss Ashby", {}, f), 0)
            .size() == 3);
  // "The Admiral": nothing says whether a man or a woman, so no one's epithet.
  CHECK(speakers_after(cast_member("Louisa", {}, f),
                       cast_member("The Admiral", {}, Gender::Unknown), 0)
            .size() == 3);
  // "The George" is named by a given name: an inn, a ship, no epithet.
  CHECK(speakers_after(cast_member("Mr. Losberne", {}, m), cast_member("The George", {}, m), 0)
            .size() == 3);
  // With a cast file, the cast is the list of people: two of them stay two...
  CHECK(speakers_after(cast_member("Elizabeth", {}, f), cast_member("Lizzy", {}, f), 3).size() ==
        3);
  // ...and a name found in the text joins a cast character under the cast's name.
  CHECK(speakers_after(cast_member("Elizabeth", {}, f), cast_member("Lizzy", {}, f), 2) ==
        std::set<std::string>{"Janey", "Elizabeth"});
  CHECK(speakers_after(cast_member("Lizzy", {}, f), cast_member("Elizabeth", {}, f), 2) ==
        std::set<std::string>{"Janey", "Lizzy"});
}

namespace {

// A script of one chapter whose quotations are (speaker, words), in order.
Script script_of_lines(std::vector<Character> characters,
                       const std::vector<std::pair<std::string, std::string>>& lines) {
  std::vector<std::string> speakers;
  for (const auto& line : lines) speakers.push_back(line.first);
  auto script = script_of_turns(std::move(characters), speakers);
  for (std::size_t i = 0; i < lines.size(); ++i) script.chapters[0].lines[i].text = lines[i].second;
  return script;
}

// Mira talks with one man under two labels: a named one and a description, in turns, and the
// description's own line `said` (after Mira's `asked`).
std::set<std::string> speakers_after_saying(const std::string& description,
                                            const std::string& asked, const std::string& said,
                                            int cast_count = 0) {
  std::vector<std::pair<std::string, std::string>> lines;
  for (int i = 0; i < 3; ++i) {
    lines.push_back({"Mira", "Words."});
    lines.push_back({"Halvard", "Words."});
    lines.push_back({"Mira", "Words."});
    lines.push_back({description, "Words."});
  }
  lines.push_back({"Mira", asked});
  lines.push_back({description, said});
  auto script = script_of_lines(
      {cast_member(description, {}, Gender::Unknown), cast_member("Mira", {}, Gender::Female),
       cast_member("Halvard", {}, Gender::Male)},
      lines);
  characters_internal::join_by_turns(script, cast_count);
  return speakers_in(script);
}

}  // namespace

TEST_CASE("identity: a description whose own line names them is that named person") {
  const std::set<std::string> joined{"Mira", "Halvard"};
  CHECK(speakers_after_saying("The Voice", "Who are you?", "I am Halvard, of the mill.") == joined);
  CHECK(speakers_after_saying("the stranger", "Well?", "My name is Halvard.") == joined);
  // "Halvard?" "Halvard," answered the Voice: the answer to a question that is the name.
  CHECK(speakers_after_saying("The Voice", "Halvard?", "Halvard,") == joined);
}

TEST_CASE("identity: a description joins a named person under the name, its own as an alias") {
  auto script = script_of_lines(
      {cast_member("Mira", {}, Gender::Female), cast_member("Halvard", {}, Gender::Male),
       cast_member("The Voice", {}, Gender::Unknown)},
      {{"Mira", "Words."},
       {"Halvard", "Words."},
       {"Mira", "Who is there?"},
       {"The Voice", "I'm Halvard."}});
  characters_internal::join_by_turns(script, 0);
  CHECK(speakers_in(script) == std::set<std::string>{"Mira", "Halvard"});
  REQUIRE(script.characters.size() == 2);
  const auto& aliases = script.characters[1].aliases;
  CHECK(std::find(aliases.begin(), aliases.end(), "The Voice") != aliases.end());
}

TEST_CASE("identity: a description that says it is another description joins the named one") {
  // "The Voice" is Halvard and says it is a Grey Man: "The Grey Man" is Halvard too.
  auto script = script_of_lines(
      {cast_member("Mira", {}, Gender::Female), cast_member("Halvard", {}, Gender::Male),
       cast_member("The Voice", {}, Gender::Unknown),
       cast_member("The Grey Man", {}, Gender::Male)},
      {{"Mira", "Words."},
       {"The Grey Man", "Words."},
       {"Mira", "Words."},
       {"The Voice", "I am a Grey Man."},
       {"Mira", "Words."},
       {"Halvard", "Words."},
       {"Mira", "Halvard?"},
       {"The Voice", "Halvard."},
       {"Mira", "Words."},
       {"The Grey Man", "Words."},
       {"Mira", "Words."},
       {"Halvard", "Words."}});
  characters_internal::join_by_turns(script, 0);
  CHECK(speakers_in(script) == std::set<std::string>{"Mira", "Halvard"});
}

TEST_CASE("identity: a description stays apart when nothing says who it is") {
  // a call, not an answer
  CHECK(speakers_after_saying("The Voice", "Halvard?", "Halvard!").size() == 3);
  // the name is someone else's
  CHECK(speakers_after_saying("The Voice", "Who is it?", "I am Halvard's brother.").size() == 3);
  CHECK(speakers_after_saying("The Voice", "Who is it?", "It is Halvard.").size() == 3);
  // a cast character is one of the list of people
  CHECK(speakers_after_saying("The Voice", "Who are you?", "I am Halvard.", 3).size() == 3);
}

TEST_CASE("identity: a description naming two people, or answering the one it names, stays apart") {
  // "the stranger" says it is Halvard once and Mira once: several people.
  auto script = script_of_lines(
      {cast_member("Mira", {}, Gender::Female), cast_member("Halvard", {}, Gender::Male),
       cast_member("Osk", {}, Gender::Male), cast_member("the stranger", {}, Gender::Unknown)},
      {{"Osk", "Words."},
       {"Halvard", "Words."},
       {"Osk", "Who are you?"},
       {"the stranger", "I am Halvard."},
       {"Osk", "And you?"},
       {"the stranger", "I'm Mira."}});
  characters_internal::join_by_turns(script, 0);
  CHECK(speakers_in(script) == std::set<std::string>{"Osk", "Halvard", "the stranger"});
  // Halvard and "the Voice" answer each other: two people.
  auto talking = script_of_lines(
      {cast_member("Halvard", {}, Gender::Male), cast_member("The Voice", {}, Gender::Unknown)},
      {{"Halvard", "Who is there?"},
       {"The Voice", "I am Halvard."},
       {"Halvard", "Words."},
       {"The Voice", "Words."}});
  characters_internal::join_by_turns(talking, 0);
  CHECK(speakers_in(talking).size() == 2);
}

}  // namespace troupe

namespace troupe {

TEST_CASE("identity: blind, a pet name of a given name the story uses alone is that person") {
  const std::string text =
      "Elizabeth walked to the farm with Janey. Elizabeth looked tired. Janey ran ahead, and\n"
      "Elizabeth followed her. Elizabeth smiled. Lizzy sat down. Elizabeth was cold.\n\n"
      "\"Hello,\" said Elizabeth.\n\n"
      "\"Hello, Lizzy,\" said Janey.\n\n"
      "\"Where is the dog?\" said Lizzy.\n";
  auto lines = quote_speakers(text, {});
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] == "Elizabeth");  // the full form of the given name
  CHECK(lines[2] == "Elizabeth");
  CHECK(lines[1] == "Janey");
}

TEST_CASE("identity: blind, a pet name said more often than the full name is another person") {
  // The son's "Tom" beside his father's "Thomas", said less
  const std::string text =
      "Thomas came in with Tom. Tom sat, and Tom laughed. Tom ran. Thomas frowned. Tom left.\n\n"
      "\"Well,\" said Thomas.\n\n"
      "\"Indeed,\" said Tom.\n";
  auto lines = quote_speakers(text, {});
  REQUIRE(lines.size() == 2);
  CHECK(lines[0] != lines[1]);
}

TEST_CASE("identity: blind, a pet name is not a titled person of rank, nor one of two") {
  // "Lady Honoria" is no "Kitty": a title of rank before the given name keeps pet names off.
  const std::string rank =
      "Lady Catherine came in. Catherine sat. Lady Catherine frowned, and Kitty laughed.\n"
      "Catherine frowned. Kitty ran.\n"
      "Kitty sat.\n\n"
      "\"Well,\" said Catherine.\n\n"
      "\"Indeed,\" said Kitty.\n";
  auto lines = quote_speakers(rank, {});
  REQUIRE(lines.size() == 2);
  CHECK(lines[0] != lines[1]);
  // "Kitty" can be a Catherine's or a Katherine's: with both in the story, she is neither.
  const std::string two =
      "Catherine came in with Katherine. Catherine sat, Katherine stood, and Kitty laughed.\n"
      "Kitty ran. Catherine and Katherine left. Catherine waved. Katherine smiled.\n\n"
      "\"Well,\" said Catherine.\n\n"
      "\"Indeed,\" said Kitty.\n\n"
      "\"No,\" said Katherine.\n";
  lines = quote_speakers(two, {});
  REQUIRE(lines.size() == 3);
  CHECK(lines[1] == "Kitty");
}

}  // namespace troupe

namespace troupe {

TEST_CASE("identity: blind, Mrs. before her given name or surname is the woman of the full name") {
  const std::string text =
      "Mrs. Judith Pym came in with Janey. Mrs. Judith Pym sat. Mrs. Pym frowned, and\n"
      "Mrs. Judith laughed. Mrs. Pym rose. Mrs. Judith left. Janey waved.\n\n"
      "\"Well,\" said Mrs. Pym.\n\n"
      "\"Indeed,\" said Janey.\n\n"
      "\"No,\" said Mrs. Judith.\n";
  auto lines = quote_speakers(text, {});
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] == lines[2]);
  CHECK(lines[0] != lines[1]);
  // "Mrs. John Brisby" is the wife of John Brisby: the "Mrs. Brisby" of the story is
  // another woman.
  const std::string wives =
      "Mrs. John Brisby came in with Mrs. Brisby. Mrs. John Brisby sat. Mrs. Brisby\n"
      "frowned. Mrs. Brisby rose.\n\n"
      "\"Well,\" said Mrs. Brisby.\n\n"
      "\"Indeed,\" said Mrs. John Brisby.\n";
  lines = quote_speakers(wives, {});
  REQUIRE(lines.size() == 2);
  CHECK(lines[0] != lines[1]);
}

}  // namespace troupe

namespace troupe {

namespace {

// TEXT's three quotations: the woman's before the wedding, the man's, then "Mrs. Pike"'s. The
// wedding WEDDING tells makes the first and last one speaker; with it replaced by NO_WEDDING,
// Mrs. Pike is another woman (his mother, his sister-in-law).
void check_wedding_joins(const std::string& text, const std::string& wedding,
                         const std::string& no_wedding) {
  auto lines = quote_speakers(text, {});
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] == lines[2]);
  CHECK(lines[0] != lines[1]);
  std::string unwed = text;
  unwed.replace(unwed.find(wedding), wedding.size(), no_wedding);
  lines = quote_speakers(unwed, {});
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] != lines[2]);
}

}  // namespace

TEST_CASE("identity: blind, the wife's name by the man she married is her former name's speaker") {
  const std::string text =
      "Mrs. Hobbs came in with Janey. Mrs. Hobbs sat. Mr. Pike bowed to Mrs. Hobbs. Mr. Pike\n"
      "sat.\n\n"
      "\"Well,\" said Mrs. Hobbs.\n\n"
      "\"Indeed,\" said Janey.\n\n"
      "In the spring Mr. Pike had married Mrs. Hobbs. Mrs. Pike frowned. Mrs. Pike sat.\n\n"
      "\"No,\" said Mrs. Pike.\n";
  check_wedding_joins(text, "had married", "had visited");
}

TEST_CASE("identity: blind, a woman who married old Mr. X is the Mrs. X speaker") {
  const std::string text =
      "Janey Hobbs came in. She sat. Janey smiled, and she waved. Mr. Pike came in. Mr. Pike\n"
      "frowned, and he bowed.\n\n"
      "\"Well,\" said Janey.\n\n"
      "\"Indeed,\" said Mr. Pike.\n\n"
      "That spring Janey married old Pike. Mrs. Pike frowned. Mrs. Pike sat.\n\n"
      "\"No,\" said Mrs. Pike.\n";
  check_wedding_joins(text, "married old", "visited old");
}

TEST_CASE("identity: blind, a character the narration renames is one speaker") {
  const std::string text =
      "Harold Grubb came in with Janey. Harold Grubb sat. Harold laughed, and Janey waved.\n\n"
      "\"Well,\" said Harold.\n\n"
      "Mr. Osric Merridew, late Grubb, bowed to Janey. Mr. Merridew sat. Mr. Merridew grinned.\n\n"
      "\"Indeed,\" said Janey.\n\n"
      "\"No,\" said Mr. Merridew.\n";
  auto lines = quote_speakers(text, {});
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] == lines[2]);
  CHECK(lines[0] != lines[1]);
  // "late" of a dead man, or after no comma, renames no one
  const std::string dead =
      "Harold Grubb came in with Janey. Harold Grubb sat. Mr. Merridew laughed. Mr. Merridew sat.\n"
      "They spoke of Mr. Merridew's late Grubb cousin, and of the late Harold Grubb's dog.\n\n"
      "\"Well,\" said Harold Grubb.\n\n"
      "\"No,\" said Mr. Merridew.\n";
  lines = quote_speakers(dead, {});
  REQUIRE(lines.size() == 2);
  CHECK(lines[0] != lines[1]);
}

}  // namespace troupe

namespace troupe {
namespace {

// The gender build_characters gives the character called `name` ("none" if there is none).
std::string gender_found(const std::string& text, const CastHints& hints, const std::string& name) {
  const auto table = build_characters(story_from_text(text, "identity.txt"), hints);
  for (const auto& c : table.characters)
    if (c.name == name) return std::string(1, gender_letter(c.gender));
  return "none";
}

}  // namespace

TEST_CASE("identity: the wide search for genders blind, the narrow one beside given characters") {
  const std::string text =
      "Professor Vance climbed through the trapdoor as though the tower were nothing at all to a\n"
      "person of her standing.\n\n"
      "The students froze. Professor Vance looked at each of them in turn, and her mouth\n"
      "tightened.\n\n"
      "\"Good evening,\" she said.\n";
  CHECK(gender_found(text, {}, "Professor Vance") == "f");
  // Given characters: the pronouns after a title that says no gender decide nothing (measured:
  // the wide search cost four of the five novels it moved with the gold cast).
  CastHints hints;
  hints.characters = {Character{}};
  hints.characters[0].name = "Professor Vance";
  CHECK(gender_found(text, hints, "Professor Vance") == "x");
}

}  // namespace troupe

namespace troupe {

TEST_CASE(
    "identity: blind, Mr. with a full name the text sets beside Mr. with the surname is a "
    "brother") {
  // The younger brother is "Mr. Peter Alcott" wherever the house's elder, "Mr. Alcott", is near:
  // two men, though the full name is his.
  const std::string text =
      "Mr. Alcott met Mr. Peter Alcott at the gate. Mr. Alcott bowed.\n\n"
      "Mr. Peter Alcott smiled at Mr. Alcott, and Hannah laughed. Hannah sat.\n\n"
      "Mr. Alcott and Mr. Peter Alcott walked on.\n\n"
      "\"Brother,\" said Mr. Alcott.\n\n"
      "\"Brother,\" said Mr. Peter Alcott.\n\n"
      "\"Well,\" said Hannah. Hannah sat.\n\n"
      "\"Come,\" said Mr. Alcott.\n";
  auto lines = quote_speakers(text, {});
  REQUIRE(lines.size() == 4);
  CHECK(lines[0] == lines[3]);
  CHECK(lines[0] != lines[1]);
  CHECK(lines[1] != lines[2]);
}

TEST_CASE("identity: blind, Mr. with a full name said apart from Mr. with the surname is one man") {
  // Once or twice beside the surname alone, as a man is named when he comes in, says nothing.
  const std::string text =
      "Mr. Peter Alcott came to the gate, and Mr. Alcott knocked. Hannah saw him.\n\n"
      "Mr. Peter Alcott came in. Mr. Alcott sat.\n\n"
      "Mr. Alcott bowed. Mr. Alcott smiled at Hannah. Hannah sat.\n\n"
      "\"Well,\" said Mr. Peter Alcott.\n\n"
      "\"Well,\" said Hannah. Hannah sat.\n\n"
      "\"Come,\" said Mr. Alcott.\n";
  auto lines = quote_speakers(text, {});
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] == lines[2]);
  CHECK(lines[0] != lines[1]);
}

TEST_CASE("identity: the paragraphs that write a titled full name beside the title and surname") {
  const std::string text =
      "Mr. Alcott met Mr. Peter Alcott. Mr. Peter Alcott bowed.\n\n"
      "Mr. Peter Alcott smiled at Mr. Alcott.\n\n"
      "Mr. Alcotts were many. Mr. Peter Alcott left.\n\n"
      "Mr. Alcott; Mr. Peter Alcott.\n";
  const Story story = story_from_text(text, "apart.txt");
  characters_internal::NameStats stats;
  stats.titled[{"Mr.", "Peter Alcott"}] = 4;
  stats.titled[{"Mr.", "Alcott"}] = 2;
  characters_internal::count_told_apart(story, stats);
  CHECK(stats.told_apart[{"Mr.", "Peter Alcott"}] == 3);  // "Mr. Alcotts" is another word
  CHECK(characters_internal::is_told_apart(stats, "Mr.", "Peter Alcott"));
  stats.told_apart[{"Mr.", "Peter Alcott"}] = 2;  // twice: a man named as he comes in
  CHECK_FALSE(characters_internal::is_told_apart(stats, "Mr.", "Peter Alcott"));
  CHECK_FALSE(characters_internal::is_told_apart(stats, "Mr.", "Alcott"));
}

}  // namespace troupe

namespace troupe {

TEST_CASE("identity: blind, Miss with the surname is the one who goes by Miss and her full name") {
  const std::string text =
      "Clara Penrose came in. Miss Clara Penrose sat. Clara smiled. Clara laughed.\n\n"
      "Miss Clara Penrose bowed.\n\n"
      "Tom waited. Tom sat. Miss Penrose rose. Miss Penrose left.\n\n"
      "\"Well,\" said Miss Penrose.\n\n"
      "\"No,\" said Tom.\n\n"
      "\"Yes,\" said Clara.\n";
  auto lines = quote_speakers(text, {});
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] == lines[2]);
  CHECK(lines[0] != lines[1]);
}

TEST_CASE("identity: blind, Miss with the surname set beside Miss and a full name is her sister") {
  const std::string text =
      "Clara Penrose came in. Clara smiled. Clara laughed.\n\n"
      "Miss Clara Penrose bowed to Miss Penrose.\n\n"
      "Miss Penrose sat by Miss Clara Penrose.\n\n"
      "Miss Clara Penrose and Miss Penrose walked on. Tom waited. Tom sat.\n\n"
      "\"Well,\" said Miss Penrose.\n\n"
      "\"No,\" said Tom.\n\n"
      "\"Yes,\" said Clara.\n";
  auto lines = quote_speakers(text, {});
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] != lines[2]);
  CHECK(lines[0] != lines[1]);
}

// Clara Penrose and "Miss Penrose" each talk with Tom in turn, five times; `sisters` is a
// paragraph that may speak of the family's daughters.
std::string penrose_talks(const std::string& sisters) {
  std::string text =
      "Clara Penrose came in. Clara smiled. Clara laughed.\n\n"
      "Miss Clara Penrose bowed. Miss Clara Penrose sat.\n\n"
      "Tom waited in the lane. Tom sat.\n\n" +
      sisters + "\n\n";
  for (int i = 0; i < 5; ++i)
    text +=
        "\"Good day,\" said Tom.\n\n\"Good day to you,\" said Miss Penrose.\n\n"
        "\"It is warm,\" said Tom.\n\n\"Very warm,\" said Clara.\n\n";
  return text;
}

TEST_CASE("identity: blind, Miss with the surname is the elder of sisters the narration names") {
  // "the two Miss Penroses": plain "Miss Penrose" is the eldest, "Miss Clara Penrose" a younger
  // sister, though the two names never meet in a paragraph and take turns like one person's.
  auto lines = quote_speakers(penrose_talks("Tom met the two Miss Penroses. The Miss Penroses "
                                            "smiled."),
                              {});
  REQUIRE(lines.size() == 20);
  CHECK(lines[1] == "Miss Penrose");
  CHECK(lines[3] == "Clara");
  // Once is enough, though "Miss Penroses" is then no speaker that the turns could see.
  lines = quote_speakers(penrose_talks("Tom met the two Miss Penroses."), {});
  REQUIRE(lines.size() == 20);
  CHECK(lines[1] == "Miss Penrose");
  CHECK(lines[3] == "Clara");
  // No word of sisters: "Miss Penrose" is Clara.
  lines = quote_speakers(penrose_talks("Tom met a friend."), {});
  REQUIRE(lines.size() == 20);
  CHECK(lines[1] == lines[3]);
}

TEST_CASE("identity: the narration speaking of sisters tells Miss and a full name apart") {
  characters_internal::NameStats stats;
  stats.titled[{"Miss", "Clara Penrose"}] = 1;
  stats.titled[{"Miss", "Penrose"}] = 2;
  for (const std::string sisters : {"the two Miss Penroses", "the elder Miss Penrose"}) {
    stats.told_apart.clear();
    const Story story = story_from_text("Miss Penrose sat. Tom met " + sisters + ".\n", "s.txt");
    characters_internal::count_told_apart(story, stats);
    CHECK(characters_internal::is_told_apart(stats, "Miss", "Clara Penrose"));
  }
  // "Miss Lakeses": a plural in "es" speaks of sisters too.
  stats.titled[{"Miss", "Clara Lakes"}] = 1;
  stats.titled[{"Miss", "Lakes"}] = 2;
  stats.told_apart.clear();
  characters_internal::count_told_apart(
      story_from_text("Miss Lakes sat. Tom met the Miss Lakeses.\n", "s.txt"), stats);
  CHECK(characters_internal::is_told_apart(stats, "Miss", "Clara Lakes"));
  stats.told_apart.clear();
  characters_internal::count_told_apart(story_from_text("Tom met Miss Penrose.\n", "s.txt"), stats);
  CHECK_FALSE(characters_internal::is_told_apart(stats, "Miss", "Clara Penrose"));
  // A sentence that says Clara is the elder is no word of another, elder sister.
  for (const std::string sisters : {"Clara was the elder of the two Miss Penroses.",
                                    "Tom met Clara, the elder Miss Penrose."}) {
    stats.told_apart.clear();
    characters_internal::count_told_apart(story_from_text(sisters + "\n", "s.txt"), stats);
    CHECK_FALSE(characters_internal::is_told_apart(stats, "Miss", "Clara Penrose"));
  }
}

}  // namespace troupe

namespace troupe {
namespace {

// Whether build_characters (blind) makes `a` and `b` names of one character.
bool one_character(const std::string& text, const std::string& a, const std::string& b) {
  const auto table = build_characters(story_from_text(text, "identity.txt"), {});
  const int x = table.find(a);
  return x >= 0 && x == table.find(b);
}

// A story where quotations call "Miss Penrose" and `replier` answers each time, beside Clara
// and Nora, who are sisters and never written in full.
std::string answered_story(const std::vector<std::string>& repliers) {
  std::string text =
      "Miss Penrose and her sister were at home. Clara sat. Nora sat. Tom came in.\n\n"
      "Miss Penrose was there. Clara smiled. Nora smiled. Tom smiled.\n\n";
  for (const auto& replier : repliers)
    text +=
        "\"Will you walk, Miss Penrose?\" said Tom.\n\n"
        "\"Not today,\" said " +
        replier + ".\n\n";
  return text;
}

}  // namespace

// Clara and Nora Penrose, sisters: Nora goes by "Miss Nora Penrose", and "the Miss Penroses"
// says plain "Miss Penrose" is the eldest. `before` opens the story.
std::string penrose_sisters(const std::string& before) {
  return before +
         "Clara Penrose came in. Clara smiled. Clara laughed.\n\n"
         "Miss Nora Penrose bowed. Miss Nora sat. Miss Nora Penrose smiled. Nora sat.\n\n"
         "Tom met the two Miss Penroses. Miss Penrose rose. Miss Penrose left.\n\n"
         "\"Well,\" said Miss Penrose.\n\n\"No,\" said Tom.\n\n\"Yes,\" said Clara.\n\n"
         "\"Oh,\" said Nora.\n";
}

TEST_CASE("identity: blind, Miss with the surname is the one sister not told apart from it") {
  // The younger sister's "Miss Nora Penrose" is no rival for "Miss Penrose": Clara is she.
  CHECK(one_character(penrose_sisters(""), "Miss Penrose", "Clara"));
  CHECK_FALSE(one_character(penrose_sisters(""), "Miss Penrose", "Nora"));
  // "Miss Clara", the mother's maiden name before another surname, says nothing of Clara
  // Penrose's place among the sisters.
  const std::string mother =
      "Long ago Miss Clara Ward married Sir Hugh Penrose. Miss Clara was fair. Miss Clara "
      "sang.\n\n";
  CHECK(one_character(penrose_sisters(mother), "Miss Penrose", "Clara"));
  // Said only before her given name, "Miss Clara" is a younger sister: Miss Penrose is another.
  const std::string younger = "Miss Clara was fair. Miss Clara sang.\n\n";
  CHECK_FALSE(one_character(penrose_sisters(younger), "Miss Penrose", "Clara"));
}

TEST_CASE("identity: blind, the given name that answers to Miss and the surname is her name") {
  const std::string text = answered_story({"Clara", "Clara", "Clara"});
  CHECK(one_character(text, "Miss Penrose", "Clara"));
  CHECK_FALSE(one_character(text, "Miss Penrose", "Nora"));
  auto lines = quote_speakers(text + "\"Good night,\" said Miss Penrose.\n", {});
  CHECK(lines.back() == "Clara");
}

TEST_CASE("identity: blind, a name answered twice, or by two people, joins nobody") {
  CHECK_FALSE(one_character(answered_story({"Clara", "Clara"}), "Miss Penrose", "Clara"));
  const std::string shared = answered_story({"Clara", "Nora", "Clara", "Nora", "Clara"});
  CHECK_FALSE(one_character(shared, "Miss Penrose", "Clara"));
  CHECK_FALSE(one_character(shared, "Miss Penrose", "Nora"));
}

TEST_CASE("identity: blind, Miss and a surname is no man who answers it, nor another family") {
  CHECK_FALSE(one_character(answered_story({"Tom", "Tom", "Tom"}), "Miss Penrose", "Tom"));
  const std::string text = "Clara Hale came in. Clara Hale sat. Clara Hale smiled.\n\n" +
                           answered_story({"Clara", "Clara", "Clara"});
  CHECK_FALSE(one_character(text, "Miss Penrose", "Clara"));
}

TEST_CASE("identity: blind, a pet name that the full given name answers is one person") {
  std::string text =
      "Katherine sat. Katherine smiled. Katherine waited. Kate was there. Kate sat. Tom sat.\n\n";
  for (int k = 0; k < 3; ++k)
    text += "\"Come, Kate!\" said Tom.\n\n\"I am coming,\" said Katherine.\n\n";
  CHECK(one_character(text, "Kate", "Katherine"));
  // answered by someone whose given name it is no form of: two people
  std::string other =
      "Katherine sat. Katherine smiled. Katherine waited. Kate was there. Kate sat. Tom sat.\n\n";
  for (int k = 0; k < 3; ++k)
    other += "\"Come, Kate!\" said Katherine.\n\n\"I am coming,\" said Tom.\n\n";
  CHECK_FALSE(one_character(other, "Kate", "Tom"));
}

}  // namespace troupe

namespace troupe {

TEST_CASE("identity: blind, a hyphenated name is the one called by its last part alone") {
  const std::string text =
      "Bobbin-the-Wren sat on the gate. Wren sang. Wren sang again. Wren flew. Moth waited.\n\n"
      "Bobbin-the-Wren sang. Moth slept. Moth woke.\n\n"
      "\"Tea?\" said Wren.\n\n"
      "\"Yes,\" said Moth.\n\n"
      "\"Here,\" said Bobbin-the-Wren.\n";
  CHECK(one_character(text, "Bobbin-the-Wren", "Wren"));
  auto lines = quote_speakers(text, {});
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] == lines[2]);
  CHECK(lines[0] != lines[1]);
}

// A hyphenated given name is no "Winnie-the-Pooh": Mary-Kate and Kate are two girls here.
TEST_CASE("identity: blind, a hyphenated given name is not the one called by its last part") {
  const std::string text =
      "Mary-Kate sat on the gate. Kate sang. Kate sang again. Kate left. Tom waited.\n\n"
      "Mary-Kate sang. Tom slept. Tom woke.\n\n"
      "\"Tea?\" said Kate.\n\n"
      "\"Yes,\" said Tom.\n\n"
      "\"Here,\" said Mary-Kate.\n";
  CHECK_FALSE(one_character(text, "Mary-Kate", "Kate"));
}

// Pim also goes by "Pim Pom" (a name of two words), so she is no one-word name that the full
// name "Pim Owl" takes in: the epithet joins her.
TEST_CASE("identity: blind, a word said after a one-word name and alone is that one's epithet") {
  const std::string text =
      "Pim Owl sat on the branch. Pim Owl blinked. Pim Owl slept. Owl woke. Owl hooted.\n\n"
      "Pim looked down. Pim yawned. Moth waited. Moth sang. Pim Pom was her song.\n\n"
      "\"Who?\" said Owl.\n\n"
      "\"Me,\" said Moth.\n\n"
      "\"Ah,\" said Pim.\n";
  CHECK(one_character(text, "Owl", "Pim"));
}

TEST_CASE("identity: blind, a family's name after a given name joins nobody") {
  // "the Hales" say Hale is a family
  const std::string text =
      "Pim Hale sat. Pim Hale smiled. Pim Hale slept. Hale woke. Hale sat. The Hales came.\n\n"
      "The Hales sat. Pim looked down. Pim yawned.\n";
  CHECK_FALSE(one_character(text, "Hale", "Pim"));
}

}  // namespace troupe

namespace troupe {

TEST_CASE("identity: blind, a woman's title before a man's full name is his wife") {
  // "Mrs. John Ashby" is John Ashby's wife, not a form of his name.
  const std::string text =
      "John Ashby came in with his wife. Mr. John Ashby sat. Mrs. John Ashby stood by the fire.\n\n"
      "Tom waited. Mr. John Ashby smiled. Mrs. John Ashby laughed.\n\n"
      "\"Good evening,\" said Mr. John Ashby.\n\n"
      "\"Good evening to you,\" said Tom.\n\n"
      "\"How cold it is,\" said Mrs. John Ashby.\n";
  CHECK(quote_speakers(text, {}) ==
        std::vector<std::string>{"Mr. John Ashby", "Tom", "Mrs. John Ashby"});
}

TEST_CASE("identity: blind, a woman's title before a woman's full name is hers") {
  // Charlie Ashby is a woman ("her wife"): "Mrs. Charlie Ashby" is she, whatever her given name
  // says.
  const std::string text =
      "Charlie Ashby came in with her wife Rin. Mrs. Charlie Ashby stood by the fire. Charlie "
      "smiled. She was tired.\n\n"
      "Tom waited. Mrs. Charlie Ashby laughed.\n\n"
      "\"Good evening,\" said Tom.\n\n"
      "\"How cold it is,\" said Mrs. Charlie Ashby.\n\n"
      "\"It is,\" said Tom.\n\n"
      "\"Cold indeed,\" said Charlie.\n";
  const auto lines = quote_speakers(text, {});
  REQUIRE(lines.size() == 4);
  CHECK(lines[1] == lines[3]);
  // The husband's mother, his wife and he are three speakers.
  const std::string family =
      "John Ashby came in with his wife. Mrs. John Ashby stood by the fire.\n\n"
      "Old Mrs. Ashby, his mother, sat in her chair. Mrs. Ashby was deaf. Mrs. Ashby frowned.\n\n"
      "\"How cold it is,\" said Mrs. John Ashby.\n\n"
      "\"What did she say?\" said Mrs. Ashby.\n\n"
      "\"That it is cold, mother,\" said John.\n";
  const auto speakers = quote_speakers(family, {});
  REQUIRE(speakers.size() == 3);
  CHECK(speakers[0] != speakers[1]);
  CHECK(speakers[0] != speakers[2]);
  CHECK(speakers[1] != speakers[2]);
}

}  // namespace troupe

namespace troupe {

TEST_CASE("identity: the plural of another's family name is the family, no one speaker") {
  CharacterTable table;
  table.add(cast_member("Janey Ashby", {}, Gender::Female));
  table.add(cast_member("Miss Penrose", {}, Gender::Female));
  table.add(cast_member("Oswin Bates", {}, Gender::Male));
  table.add(cast_member("Kitty Lakes", {}, Gender::Female));
  const int ashbys = table.add(cast_member("Ashbys", {}, Gender::Unknown));
  const int penroses = table.add(cast_member("Miss Penroses", {}, Gender::Unknown));
  const int lakeses = table.add(cast_member("Lakeses", {}, Gender::Unknown));
  const int bates = table.add(cast_member("Bates", {}, Gender::Male));
  const Story story = story_from_text(
      "The Ashbys came. Tom met the Lakeses and the Miss Penroses. Mrs. Ashby sat. Mrs. Ashby "
      "smiled. Mr. Penrose stood. Mr. Penrose bowed. Mr. Lakes sat. Mr. Lakes smiled. Bates "
      "ran.\n",
      "s.txt");
  characters_internal::mark_family_plurals(characters_internal::gather_stats(story, false), table,
                                           ashbys);
  CHECK(table.characters[ashbys].is_group);
  CHECK(table.characters[penroses].is_group);
  CHECK(table.characters[lakeses].is_group);
  CHECK_FALSE(table.characters[bates].is_group);  // nobody is called "Bate"
}

TEST_CASE("identity: a title before one word ending in s names one person, no family") {
  // "Mr. Woods" is one man though "John Wood" is another's name; "Sir Hugh" and "Uncle Peter"
  // take a given name, no family name; an untitled word is a family only where the story says
  // "the Dales".
  CharacterTable table;
  table.add(cast_member("John Wood", {}, Gender::Male));
  table.add(cast_member("Sir Hugh", {}, Gender::Male));
  table.add(cast_member("Uncle Peter", {}, Gender::Male));
  table.add(cast_member("Mary Dale", {}, Gender::Female));
  const int woods = table.add(cast_member("Mr. Woods", {}, Gender::Male));
  const int hughes = table.add(cast_member("Mr. Hughes", {}, Gender::Male));
  const int peters = table.add(cast_member("Peters", {}, Gender::Unknown));
  const int dales = table.add(cast_member("Dales", {}, Gender::Unknown));
  const Story story = story_from_text(
      "Tom met the Peters. Mr. Woods sat. John Wood stood. John Wood ran. Mary Dale sat. Mary "
      "Dale ran. Dales came.\n",
      "s.txt");
  characters_internal::mark_family_plurals(characters_internal::gather_stats(story, false), table,
                                           woods);
  CHECK_FALSE(table.characters[woods].is_group);
  CHECK_FALSE(table.characters[hughes].is_group);
  CHECK_FALSE(table.characters[peters].is_group);
  CHECK_FALSE(table.characters[dales].is_group);
}

}  // namespace troupe
