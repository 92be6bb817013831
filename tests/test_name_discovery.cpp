// Name discovery without a cast: which label a character found in the text is voiced under,
// and descriptions written as names ("the Invisible Man") that are a character of their own.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "attribution/attribute.h"
#include "attribution/characters.h"
#include "quote_speakers.h"
#include "text/reader.h"

namespace troupe {
namespace {

// The speakers after `setup`: twelve quotations tagged with the usual spelling, each answered by
// Mary, then two tagged with the rare one.
std::vector<std::string> misprint_speakers(const std::string& setup, const std::string& usual,
                                           const std::string& rare) {
  std::string text = setup;
  for (int i = 0; i < 12; ++i)
    text += "\"Rain " + std::to_string(i) + ",\" said " + usual + ".\n\n\"Yes,\" said Mary.\n\n";
  text += "\"Go home,\" said " + rare + ".\n\n\"Stay,\" said " + rare + ".\n\n";
  return quote_speakers(text);
}

// A man whose rare given name says no gender, called by his full name in the narration.
const char* const kTavishOpening =
    "Tavish Grant-Holloway came in. Tavish sat down. Tavish Grant-Holloway was tired.\n"
    "Tavish Grant-Holloway slept.\n\n";

}  // namespace

TEST_CASE("discovery: a title before a given name said more than the name alone is the label") {
  const std::string text =
      "Sir Roland came in. Sir Roland sat by the fire. Sir Roland frowned at the rain.\n"
      "Roland was vain. Roland smiled at his own face.\n\n"
      "\"What weather,\" said Sir Roland.\n\n"
      "\"Indeed,\" said Mary.\n\n"
      "\"I shall go out,\" said Roland.\n";
  auto lines = quote_speakers(text);
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] == "Sir Roland");
  CHECK(lines[2] == "Sir Roland");  // one man, however the tag names him
  CHECK(lines[1] == "Mary");
}

TEST_CASE("discovery: a given name said more than its titled form stays the label") {
  const std::string text =
      "Sir Roland came in. Roland sat by the fire, and Roland frowned at the rain.\n"
      "Roland was vain. Roland smiled at his own face, and Roland sighed.\n\n"
      "\"What weather,\" said Roland.\n\n"
      "\"Indeed,\" said Mary.\n\n"
      "\"I shall go out,\" said Sir Roland.\n";
  auto lines = quote_speakers(text);
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] == "Roland");
  CHECK(lines[2] == "Roland");
}

TEST_CASE("discovery: a capitalised word and person noun after the is one character") {
  const std::string text =
      "The village feared the Hollow Man. Nobody had seen the Hollow Man by day.\n"
      "The Hollow Man walked into the inn at dusk.\n\n"
      "\"A room,\" said the Hollow Man.\n\n"
      "\"We are full,\" said Mrs. Dent.\n\n"
      "\"Then I shall wait,\" the Hollow Man said.\n";
  auto lines = quote_speakers(text);
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] == "The Hollow Man");
  CHECK(lines[1] == "Mrs. Dent");
  CHECK(lines[2] == "The Hollow Man");
}

TEST_CASE("discovery: a named description said once, or a lower-case noun, is no character") {
  const std::string text =
      "Mrs. Dent met the Hollow Man once. Mrs. Dent sat down.\n"
      "A hollow man came later, and a hollow man left.\n\n"
      "\"A room,\" said Mrs. Dent.\n";
  auto lines = quote_speakers(text);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0] == "Mrs. Dent");
}

TEST_CASE("discovery: a rare word after two titles of a given name is a given name") {
  // "Aunt Marwenna" and "Miss Marwenna" are the woman the story calls "Marwenna": one speaker,
  // a woman, whom a "she said" after her name means.
  const std::string text =
      "Marwenna sat by the stove. Marwenna knitted, and Marwenna counted the stitches.\n"
      "Tom came in from the barn.\n\n"
      "\"Good evening, Aunt Marwenna,\" said Tom.\n\n"
      "\"Wipe your boots,\" said Marwenna.\n\n"
      "\"Yes, Miss Marwenna,\" said Tom. \"And, Aunt Marwenna, the cow is out.\"\n\n"
      "Marwenna put down her knitting. Tom waited by the door. Marwenna rose.\n\n"
      "\"Then fetch her in,\" she said. \"Ask Miss Marwenna nothing more.\"\n";
  auto lines = quote_speakers(text);
  REQUIRE(lines.size() == 6);
  CHECK(lines[1] == "Marwenna");
  CHECK(lines[4] == "Marwenna");
  CHECK(lines[5] == "Marwenna");
  CHECK(lines[0] == "Tom");
}

TEST_CASE("discovery: a title said once beside the man's usual title is his") {
  // "Doctor Pellow" once makes the "Mr. Pellow" of every page the doctor a tag calls so.
  const std::string text =
      "Mr. Pellow came up the stairs. Mr. Pellow was puffing, and Mr. Pellow sat.\n"
      "Everyone in the village knew Doctor Pellow.\n\n"
      "\"How is the boy?\" asked Mrs. Dent.\n\n"
      "\"Sleeping,\" said the doctor.\n";
  auto lines = quote_speakers(text);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0] == "Mrs. Dent");
  CHECK(lines[1] == "Mr. Pellow");
}

TEST_CASE(
    "discovery: a titled given name the story also writes with a surname is labelled in full") {
  const std::string text =
      "Sir Roland came in. Sir Roland sat by the fire. Sir Roland frowned at the rain.\n"
      "Sir Roland Vane was vain. Everyone knew Sir Roland Vane. Roland smiled. Roland sat.\n\n"
      "\"What weather,\" said Sir Roland.\n\n"
      "\"Indeed,\" said Mary.\n";
  auto lines = quote_speakers(text);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0] == "Sir Roland Vane");
  CHECK(lines[1] == "Mary");
}

TEST_CASE("discovery: a full name opening with another man's titled surname is someone else") {
  const std::string text =
      "Mr. Lewis came in and sat by the fire.\n\n"
      "\"It is cold tonight,\" said Mr. Lewis.\n\n"
      "\"It is,\" said Mary.\n\n"
      "Later a stranger called. His name was Lewis Carroll, and he had walked far.\n\n"
      "\"Good day,\" said Lewis Carroll.\n\n"
      "\"Good day to you,\" said Mary.\n\n"
      "\"I am lost,\" said Lewis Carroll.\n";
  auto lines = quote_speakers(text);
  REQUIRE(lines.size() == 5);
  CHECK(lines[0] == "Mr. Lewis");
  CHECK(lines[2] == "Lewis Carroll");
  CHECK(lines[4] == "Lewis Carroll");
  // The same with a common given name, the family's "Mrs." beside its "Mr.".
  std::string family = text;
  for (auto at = family.find("Lewis"); at != std::string::npos; at = family.find("Lewis", at))
    family.replace(at, 5, "Howard");
  family.insert(family.find("\n"), " Mrs. Howard followed him.");
  lines = quote_speakers(family);
  REQUIRE(lines.size() == 5);
  CHECK(lines[0] == "Mr. Howard");
  CHECK(lines[2] == "Howard Carroll");
}

TEST_CASE("discovery: a full name said once under a title is not the family's Mr") {
  // "Captain Frederick Pellow" once is another Pellow, not the "Mr. Pellow" of every page.
  const std::string text =
      "Mr. Pellow came up the stairs. Mr. Pellow was puffing, and Mr. Pellow sat.\n"
      "His brother Captain Frederick Pellow was at sea.\n\n"
      "\"How is the boy?\" asked Mrs. Dent.\n\n"
      "\"Sleeping,\" said Mr. Pellow.\n";
  auto lines = quote_speakers(text);
  REQUIRE(lines.size() == 2);
  CHECK(lines[1] == "Mr. Pellow");
  auto script = attribute(story_from_text(text, "discovery.txt"), {});
  for (const auto& c : script.characters)
    for (const auto& alias : c.aliases) CHECK(alias != "Captain Frederick Pellow");
}

TEST_CASE("discovery: a woman's title before a man's given name is his wife, and he a man") {
  const std::string text =
      "Edward Pym rode in first. Edward Pym was loud. Edward Pym laughed. Edward Pym sat.\n"
      "Edward Lowry came home late. Mrs Edward Lowry met him in the hall.\n"
      "Mrs Edward was glad. Mrs Edward Lowry took his coat. Edward Lowry thanked his wife.\n"
      "Edward was tired, and Edward sat down. Mrs Edward smiled.\n\n"
      "\"Good evening,\" said Edward.\n\n"
      "\"Welcome home,\" said Mrs Edward.\n\n"
      "\"Cold out,\" said Edward Pym.\n";
  auto table = build_characters(story_from_text(text, "discovery.txt"), {});
  const int edward = table.find("Edward");
  REQUIRE(edward >= 0);
  CHECK(table.characters[edward].gender == Gender::Male);
  // The man whose wife is "Mrs Edward Lowry" and "Mrs Edward", though "Edward Pym" is said
  // more often.
  CHECK(table.find("Edward Lowry") == edward);
  CHECK(table.find("Edward Pym") != edward);
  CHECK(table.find("Mrs Edward") != edward);
  auto lines = quote_speakers(text);
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] == "Edward Lowry");  // told apart from the other Edward by his full name
  CHECK(lines[1] == "Mrs Edward");
  CHECK(lines[2] == "Edward Pym");
}

TEST_CASE("discovery: a word that only opens speech is no name, one only called in speech is") {
  const std::string text =
      "Tom came in from the yard.\n\n"
      "\"Hullo, there,\" said Tom.\n\n"
      "\"Hullo. Is the kettle on, Gid?\" said Ann.\n\n"
      "\"Hullo!\" said Tom again. \"Come along, Gid.\"\n";
  auto table = build_characters(story_from_text(text, "discovery.txt"), {});
  CHECK(table.find("Hullo") < 0);
  CHECK(table.find("Gid") >= 0);  // said after other words: a name the speakers call him by
}

TEST_CASE("discovery: a man's title before a given name is the man of that full name") {
  const std::string text =
      "Mr. Oswin Carr came down the stairs. Mr. Oswin Carr was pale.\n\n"
      "\"Your coat, Mr. Oswin,\" said the butler.\n\n"
      "\"Thank you,\" said Mr. Oswin.\n\n"
      "\"The car waits, Mr. Oswin,\" said the butler. Mr. Oswin nodded.\n\n"
      "\"Good,\" said Mr. Oswin Carr.\n";
  auto table = build_characters(story_from_text(text, "discovery.txt"), {});
  REQUIRE(table.find("Mr. Oswin Carr") >= 0);
  CHECK(table.find("Mr. Oswin") == table.find("Mr. Oswin Carr"));
  // A word other titles go before is a family's name: "Mr. Weston" is no "Weston Churchill".
  const std::string family =
      "Mr. Weston came in. Mrs. Weston smiled. Mr. Weston sat. Mrs. Weston sat.\n"
      "A letter came from Weston Churchill. Weston Churchill wrote well.\n";
  auto families = build_characters(story_from_text(family, "discovery.txt"), {});
  REQUIRE(families.find("Mr. Weston") >= 0);
  CHECK(families.find("Mr. Weston") != families.find("Weston Churchill"));
}

TEST_CASE("discovery: a surname that is also a common word, tagged alone, is its one owner") {
  // "brown" written in lower case keeps "Brown" from being a name of its own.
  const std::string opening =
      "Walter Brown came in at dusk and sat on the brown chair by the brown door.\n"
      "The brown dog slept. Walter Brown looked at the brown rug.\n\n";
  const std::string talk =
      "\"I have waited long,\" said Brown.\n\n"
      "\"You have,\" said Peter.\n\n"
      "\"Long enough,\" said Walter.\n\n"
      "\"Never,\" said Brown.\n";
  auto lines = quote_speakers(opening + talk);
  REQUIRE(lines.size() == 4);
  CHECK(lines[0] == lines[2]);
  CHECK(lines[3] == lines[2]);
  CHECK(lines[1] == "Peter");
  // A family: the surname alone names neither of them.
  lines = quote_speakers(opening + "Mrs. Brown knitted. Mrs. Brown sighed.\n\n" + talk);
  REQUIRE(lines.size() == 4);
  CHECK(lines[0] != lines[2]);
}

TEST_CASE("discovery: a man's rarer titled surname joins the full name of a genderless name") {
  std::string text = kTavishOpening;
  for (int i = 0; i < 4; ++i)
    text += "\"I have waited " + std::to_string(i) + " years,\" said Tavish.\n\n\"You have,\" " +
            "said Peter.\n\n\"Hush,\" said Mr Grant-Holloway.\n\n\"Come, Tavish,\" said Peter.\n\n";
  auto lines = quote_speakers(text);
  REQUIRE(lines.size() == 16);
  CHECK(lines[2] == lines[0]);
  CHECK(lines[0] == "Tavish");
}

TEST_CASE("discovery: a man's titled surname said more than a genderless given name is his own") {
  // "Dot Pumbleby" is the name her husband calls his wife by.
  std::string text = "Dot Pumbleby looked up. Dot Pumbleby smiled. Dot Pumbleby sighed.\n\n";
  for (int i = 0; i < 4; ++i)
    text += "Mr. Pumbleby frowned. \"Tea " + std::to_string(i) +
            ",\" said Mr. Pumbleby.\n\n\"Yes,\" said Dot.\n\n";
  auto lines = quote_speakers(text);
  REQUIRE(lines.size() == 8);
  CHECK(lines[0] == "Mr. Pumbleby");
  CHECK(lines[1] != lines[0]);
}

TEST_CASE("discovery: a titled surname misprinted by one letter is the usual spelling's man") {
  std::string text;
  for (int i = 0; i < 6; ++i)
    text += "Mr. Hollinger nodded. \"Rain " + std::to_string(i) +
            ",\" said Mr. Hollinger.\n\n\"Yes,\" said Mary.\n\n";
  text += "\"Go home,\" said Mr. Holinger.\n\nMr. Holinger left.\n\n";
  auto lines = quote_speakers(text);
  REQUIRE(lines.size() == 13);
  CHECK(lines.back() == "Mr. Hollinger");
}

TEST_CASE(
    "discovery: a titled surname one letter from the usual spelling used elsewhere is no "
    "misprint") {
  // Another title before it: Mrs. Harris's husband, not Mr. Harries.
  std::string setup;
  for (int i = 0; i < 4; ++i) setup += "Mrs. Harris knitted by the fire.\n\n";
  auto lines = misprint_speakers(setup, "Mr. Harries", "Mr. Harris");
  REQUIRE(lines.size() == 26);
  CHECK(lines[24] != lines[0]);
  // A full name ending in it: Tom Harris.
  setup.clear();
  for (int i = 0; i < 6; ++i) setup += "Tom Harris knitted by the fire.\n\n";
  lines = misprint_speakers(setup, "Mr. Harries", "Mr. Harris");
  REQUIRE(lines.size() == 26);
  CHECK(lines[24] == "Tom Harris");
  CHECK(lines[25] == "Tom Harris");
  // A short surname: "Brown" is no misprint of "Browne".
  lines = misprint_speakers("", "Mr. Browne", "Mr. Brown");
  REQUIRE(lines.size() == 26);
  CHECK(lines[24] != lines[0]);
}

TEST_CASE("discovery: a woman's titled surname stays apart from a genderless given name's") {
  std::string text = kTavishOpening;
  for (int i = 0; i < 4; ++i)
    text += "\"I have waited " + std::to_string(i) + " years,\" said Tavish.\n\n\"You have,\" " +
            "said Peter.\n\n";
  for (int i = 0; i < 2; ++i) text += "\"Do sit, brother,\" said Miss Grant-Holloway.\n\n";
  auto lines = quote_speakers(text);
  REQUIRE(lines.size() == 10);
  CHECK(lines[8] == "Miss Grant-Holloway");
  CHECK(lines[9] == lines[8]);
  CHECK(lines[0] == "Tavish");
}

TEST_CASE(
    "discovery: a surname tagged alone that is another character's given name is not "
    "the one surname owner's") {
  std::string text;
  for (int i = 0; i < 6; ++i) text += "Morgan Lloyd rode home. Thomas Morgan walked home.\n\n";
  text += "\"Hi,\" said Morgan Lloyd.\n\n\"Ho,\" said Thomas Morgan.\n\n";
  text += "\"It is late,\" said Morgan.\n\n\"Yes,\" said Peter.\n\n";
  auto lines = quote_speakers(text);
  REQUIRE(lines.size() == 4);
  CHECK(lines[2] != "Thomas Morgan");
}

}  // namespace troupe

namespace troupe {
namespace {

// Whether build_characters (blind) finds a character called `name` that is a group; "none"
// if it finds no such character.
std::string group_found(const std::string& text, const std::string& name) {
  const auto table = build_characters(story_from_text(text, "families.txt"), {});
  const int id = table.find(name);
  if (id < 0) return "none";
  return table.characters[id].is_group ? "group" : "person";
}

}  // namespace

TEST_CASE("discovery: a rank before a surname is not the surname's given-named Mr") {
  const std::string text =
      "Mr. Brannock came in. Mr. Brannock sat by the fire. Mr. Brannock smiled.\n"
      "Edmund Brannock was young. Edmund Brannock liked the rain.\n"
      "General Brannock came later. General Brannock frowned at his son.\n\n"
      "\"What weather,\" said Mr. Brannock.\n\n"
      "\"Indeed,\" said Mary.\n\n"
      "\"Sit up, sir,\" said General Brannock.\n\n"
      "\"I will,\" said Edmund Brannock.\n\n"
      "\"Rain again,\" said Mary.\n\n"
      "\"Then stay in,\" said the general.\n";
  auto lines = quote_speakers(text);
  REQUIRE(lines.size() == 6);
  CHECK(lines[0] == lines[3]);  // Mr. Brannock is Edmund
  CHECK(lines[2] == "General Brannock");
  CHECK(lines[2] != lines[0]);
  CHECK(lines[5] == "General Brannock");  // "the general" is the one man of that rank
}

TEST_CASE("discovery: a rank the text writes before the given name is that one man") {
  const std::string text =
      "Mr. Brannock came in. Mr. Brannock sat by the fire. Mr. Brannock smiled.\n"
      "Captain Edmund Brannock was young. Edmund Brannock liked the rain.\n"
      "Captain Brannock came later. Captain Brannock frowned at the sea.\n\n"
      "\"What weather,\" said Mr. Brannock.\n\n"
      "\"Indeed,\" said Mary.\n\n"
      "\"Sit up,\" said Captain Brannock.\n\n"
      "\"I will,\" said Mary.\n";
  auto lines = quote_speakers(text);
  REQUIRE(lines.size() == 4);
  CHECK(lines[0] == lines[2]);  // one man, however the tag names him
}

TEST_CASE("discovery: a man of military rank is a man") {
  const std::string text =
      "General Brannock came in. General Brannock sat down.\n\n"
      "\"Rain,\" said General Brannock.\n\n"
      "\"Yes,\" said General Brannock.\n";
  auto table = build_characters(story_from_text(text, "discovery.txt"), {});
  const int general = table.find("General Brannock");
  REQUIRE(general >= 0);
  CHECK(table.characters[general].gender == Gender::Male);
}

TEST_CASE("discovery: a woman of military rank is who her pronouns say") {
  const std::string text =
      "Captain Marrow stepped aboard. The crew rose as she passed.\n\n"
      "\"Report,\" she said.\n\n"
      "Ensign Tobe glanced up. \"All calm, Captain.\"\n\n"
      "Captain Marrow nodded. She read the chart.\n\n"
      "\"Hold course,\" she said.\n";
  auto table = build_characters(story_from_text(text, "discovery.txt"), {});
  const int captain = table.find("Captain Marrow");
  REQUIRE(captain >= 0);
  CHECK(table.characters[captain].gender == Gender::Female);
  auto lines = quote_speakers(text);
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] == "Captain Marrow");
  CHECK(lines[2] == "Captain Marrow");
}

TEST_CASE("discovery: a sister's given name does not split her brother's rank from his Mr") {
  const std::string text =
      "Ruth Dallow had missed her brother. Clara watched him come in.\n\n"
      "\"You are late,\" said Clara.\n\n"
      "\"The mud, Miss Fenn,\" said Mr. Dallow. He bowed.\n\n"
      "Clara looked down. Mr. Dallow smiled at her.\n\n"
      "\"Gladly,\" said Captain Dallow.\n\n"
      "Ruth Dallow sat by the fire. Mr. Dallow had not changed.\n\n"
      "\"Over,\" said Mr. Dallow.\n";
  auto lines = quote_speakers(text);
  REQUIRE(lines.size() == 4);
  CHECK(lines[1] == lines[2]);  // one officer, "Mr." or "Captain"
  CHECK(lines[2] == lines[3]);
}

TEST_CASE("discovery: \"the admiral\" of two admirals is neither plain man") {
  const std::string text =
      "Admiral Stroud and Admiral Pell met on the quay. Mr. Gage carried their bags.\n\n"
      "\"We sail Monday,\" said Admiral Stroud.\n\n"
      "\"Not before Friday,\" said Admiral Pell.\n\n"
      "\"Monday,\" said the admiral, and he walked off.\n\n"
      "Mr. Gage sighed. \"Which is it?\"\n";
  auto lines = quote_speakers(text);
  REQUIRE(lines.size() == 4);
  CHECK(lines[2] != "Mr. Gage");
}

TEST_CASE("discovery: a family's name made plural is a group, never one speaker") {
  const std::string text =
      "Mrs. Pettigrew came in. Mr. Pettigrew sat down. Mrs. Pettigrew smiled.\n\n"
      "The Pettigrews and the Hales all met at the inn. Pettigrews laughed there, and\n"
      "Pettigrews sang, and the Lady Marchbanks were not come, for the Lady Marchbanks\n"
      "never came.\n\n"
      "Rosalind Hale was glad. Rosalind sat. Rosalind smiled.\n\n"
      "\"What a crowd,\" said Rosalind.\n";
  CHECK(group_found(text, "Pettigrews") == "group");       // "Mrs. Pettigrew" is the family
  CHECK(group_found(text, "Lady Marchbanks") == "group");  // a title and a plural after "the"
  CHECK(group_found(text, "Mrs. Pettigrew") == "person");
  auto lines = quote_speakers(text);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0] == "Rosalind");
}

TEST_CASE("discovery: a given name said after \"the\" as a rule is an inn, no speaker") {
  const std::string text =
      "Wendy ran across the muddy yard of the Harold. The Harold was the oldest inn for miles,\n"
      "and a painted board of the Harold creaked above the door. Wendy was in a hurry.\n\n"
      "\"Hah!\" cried the man, staring at Wendy. \"What is this?\"\n\n"
      "\"I am sorry, sir, I was not looking,\" said Wendy.\n";
  auto table = build_characters(story_from_text(text, "discovery.txt"), {});
  CHECK(table.find("Harold") < 0);
  auto lines = quote_speakers(text);
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] != "The Harold");
  CHECK(lines[2] == "Wendy");
}

TEST_CASE("discovery: a given name once after \"the\" is still a person") {
  // One "the Hattie" ("the Hattie of her school days") is a way of speaking of her, no inn.
  const std::string text =
      "Nobody in the house could find the Hattie of her school days. Hattie was quiet now.\n\n"
      "\"Where is the lamp?\" asked Hattie.\n";
  auto table = build_characters(story_from_text(text, "discovery.txt"), {});
  CHECK(table.find("Hattie") >= 0);
  auto lines = quote_speakers(text);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0] == "Hattie");
}

TEST_CASE("discovery: a title before a plural-looking name is one person") {
  // "Mr. Richards" beside "Mr. Richard" is another man, no family of Richards.
  const std::string richards =
      "Mr. Richard rode out early, and the hall was quiet. Mr. Richard came back late.\n\n"
      "At noon the lawyer called. Mr. Richards was a thin grey man. Mr. Richards sat down.\n\n"
      "\"A cold house,\" said Mr. Richards.\n";
  CHECK(group_found(richards, "Mr. Richards") == "person");
  CHECK(group_found(richards, "Mr. Richard") == "person");
  // "the Lady Agnes" is one lady, and "the lady" of a tag is she.
  const std::string agnes =
      "The Lady Agnes rode in at the gate. The Lady Agnes did not look at the guards.\n\n"
      "Sir Hugo met her in the hall. Sir Hugo was pale.\n\n"
      "\"Where is my brother?\" asked the lady.\n\n"
      "\"He is gone to the coast,\" said Sir Hugo.\n";
  CHECK(group_found(agnes, "Lady Agnes") == "person");
  const auto lines = quote_speakers(agnes);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0] == "Lady Agnes");
  CHECK(lines[1] == "Sir Hugo");
}

}  // namespace troupe
