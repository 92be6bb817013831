// Inside build_characters (characters.cpp): the steps that find the characters' names in the
// text, join the names of one person and fill in genders. Internal to src/attribution.
#pragma once

#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "attribution/characters.h"
#include "attribution/tokens.h"
#include "text/story.h"

namespace troupe::characters_internal {

// Counts gathered over the whole story, to tell names from ordinary capitalised words.
struct NameStats {
  std::map<std::string, int> bare;          // a name word standing alone, not sentence-initial
  std::map<std::string, int> bare_initial;  // standing alone at a sentence start
  // the same word written in lower case: every such word of the story, only ever looked up
  std::unordered_map<std::string, int> lower;
  std::map<std::string, int> narrated;  // a capitalised word outside the quotations
  std::map<std::string, int> spoken;    // ... inside them
  std::map<std::string, int> opening;   // ... as the first word of a quotation
  std::map<std::string, int> person_evidence;
  std::map<std::string, int> place_evidence;  // after "in", "at", "to", "from" ...
  std::map<std::string, int> gestures;   // before a verb no place takes: "Crabbe bowed", "said"
  std::map<std::string, int> after_the;  // "the Dodo", "the Jew": a character named by a noun
  std::map<std::string, int> described;  // "Masked Man" of "the Masked Man"
  std::map<std::pair<std::string, std::string>, int> titled;  // (title, name words)
  std::map<std::pair<std::string, std::string>, int> full;    // two name words in a row
  // (title, name words) said after "the": "the Lady Marchbanks", a family's women
  std::map<std::pair<std::string, std::string>, int> titled_after_the;
  std::map<std::string, std::pair<int, int>> pronoun_votes;  // word -> (male, female)
  bool wide_votes = false;  // gathered by the wide search (gather_stats): for full names too
  // (title, "Given Surname") -> how many paragraphs also write the title before the surname
  // alone: "Mr. Ansel Wendle" beside "Mr. Wendle" (count_told_apart).
  std::map<std::pair<std::string, std::string>, int> told_apart;
};

// The counts of every text paragraph of the story (name_evidence.cpp). `wide_votes`: pronouns
// vote for the gender of a name by the wide search (never from inside a quotation after it, also
// after a title that says no gender and a full name, on to the next sentence's first word), else
// by the narrow one (the next pronoun within 15 words after a name alone).
NameStats gather_stats(const Story& story, bool wide_votes);
// Which stretch of paragraph `p` each of its tokens stands in: 0 before the first quotation,
// then one more at every opening and every closing mark (odd: inside a quotation). A pronoun is
// about a name only in the same stretch: in `"Bea asked me," he says` the "he" is not Bea.
std::vector<int> stretches_of(const Paragraph& p, const std::vector<Token>& tokens);
// Two names the narration says are one person's ("Renata, who was Beacon to the newspapers",
// "Tinderbox, Declan to his friends") become one character (code_names.cpp).
void link_code_names(const Story& story, CharacterTable& table);
// "to", "at", "from", "visited": a word after which a capitalised word is mostly a place.
bool is_place_preposition(const std::string& w);
// The words the story writes alone as places more often than not, often enough, and never as
// a name that gestures ("Larkhall"). The wide search's votes leave the counts it reads as they are.
std::unordered_set<std::string> place_names_of(const NameStats& stats);
// Whether the story writes `word` alone after a place's preposition more often than not.
bool is_mostly_written_as_place(const NameStats& stats, const std::string& word);
// m[k], or 0 where k is missing.
template <typename Counts>
int count_of(const Counts& m, const std::string& k) {
  auto it = m.find(k);
  return it == m.end() ? 0 : it->second;
}
// A word only the speakers say, mostly to open what they say ("Hullo,"): no name.
bool opens_speech(const NameStats& stats, const std::string& word);
// Whether a word written alone is someone's name, by how the story writes it.
bool is_single_name(const NameStats& stats, const std::string& word);
// A known given name the story never writes in lower case is a name even if said once.
bool is_rare_given_name(const NameStats& stats, const std::string& word);
// The gender of a name by the pronouns after it, else by the given name.
Gender gender_from_votes(const NameStats& stats, const std::string& word);
// Genders the cast file or titles left open (characters from `from` on), from pronouns.
void fill_unknown_genders(const NameStats& stats, CharacterTable& table, int from);

// A name another can be a form of (character_table.cpp).
bool is_proper_name(const std::string& name);

// A reader, a group or a first-person narrator is no one a name of a person can belong to.
inline bool is_no_named_person(const Character& c) {
  return c.is_reader || c.is_group || c.is_first_person;
}
// The one character of [from, to) the text's `form` can name: -1 if none,
// CharacterTable::kSeveral if more than one.
int only_fit(const CharacterTable& table, int from, int to, const std::string& form);

// Adds the names the story uses for people (titled, single, full) that the table lacks
// (name_discovery.cpp).
void discover_names(const NameStats& stats, CharacterTable& table, bool cast_given);

// Joining the names of one person (name_merging.cpp).
// Fills stats.told_apart for the titled full names the story writes at least twice, and for
// "Miss Given Surname" where the narration speaks of the family's daughters ("the Miss
// Surnames", "the elder Miss Surname"): told apart from plain "Miss Surname", the eldest.
void count_told_apart(const Story& story, NameStats& stats);
// Whether the story tells `title` + `name` ("Mr." "Ansel Wendle") apart from the title before
// the surname alone: it writes both in one paragraph three times or more, as it does with two
// brothers, the younger named in full beside the house's elder ("Mr. Wendle"). One man named
// both ways ("Mr. Osric Dunmore", "Mr. Dunmore") is named so in one paragraph once or twice,
// where he comes in.
bool is_told_apart(const NameStats& stats, const std::string& title, const std::string& name);
// A given bare surname beside a given "Mr." form of it names the man.
void redirect_bare_surnames(CharacterTable& table);
// A cast character given no other name, whose name is a shorter form of one other cast
// character's ("Mr. Crawford" or "Crawford" beside "Henry Crawford", "Reggie" beside "Reggie St
// Cloud"), gives that name to the fuller one: wherever the text writes "Mr. Crawford" it names
// him, and the shorter character is left without a name of its own. Kept apart where the text
// tells the two apart (its narration writes "Mr. Corwen" before "Orrin Corwen" in one
// paragraph), and a bare surname whose gender the cast left open never goes to a woman.
void yield_bare_forms(const Story& story, CharacterTable& table);
// A one-word cast alias that is another cast character's given name too ("John" of John Beaver
// beside John Andrew) is shared: the scene says whose it is (CharacterTable::share).
void share_cast_given_names(CharacterTable& table);
// "Tobiah" where the cast has "Tobiah Yarrow" and "Tobiah Pellow" and neither goes by
// "Tobiah": a given name no cast character goes by alone, that starts two cast names or more,
// is the one whose wife the text calls "Mrs Tobiah Pellow" and "Mrs Tobiah", if one;
// otherwise it is shared by them, and the scene says whose it is.
void give_unowned_given_names(CharacterTable& table, const NameStats& stats);
// "Mrs Tobiah" (said of Tobiah's wife, "Mrs Tobiah Pellow"): whether a woman's title before
// the man's given name `name` alone names her by her husband's name (name_discovery.cpp).
bool names_husband(const NameStats& stats, Gender title_gender, const std::string& name);
// Whether the story names a wife by this full name, and by its given name alone: "Mrs Tobiah
// Pellow" and "Mrs Tobiah" for ("Tobiah", "Pellow") (name_discovery.cpp).
bool is_husbands_name(const NameStats& stats, const std::pair<std::string, std::string>& full);
// Characters found in the text that are forms of one cast character become that character.
void fold_into_cast(CharacterTable& table, int cast_count);
// Characters from `first` on that are shorter forms of another become that one; `stats` says
// which of two names of one person the story uses more.
void merge_name_forms(CharacterTable& table, int first, const NameStats& stats);
// "The Pettigrews", "the Miss Pettigrews": a character found in the text (from `first` on) whose
// name is the plural of another's family name is the family, a group, no one speaker: an
// untitled word only where the story says "the Pettigrews", a title only "Miss" ("Mr. Hughes" is
// one man); also a title before a plural that is no given name, said after "the" as often as not
// ("the Lady Marchbanks", not "the Lady Agnes").
void mark_family_plurals(const NameStats& stats, CharacterTable& table, int first);

// "Mr. Osric Gannet, late Fennimore": a character the narration renames ("late", "formerly",
// "alias", "née" after a comma) is the character of the former name, under that name; so is
// the "Mrs." of a man's surname, of the woman the narration says he married ("Mr. Pike had
// married Mrs. Hobbs"). Characters before `first` came from a cast file and are kept apart.
void join_renamed(const Story& story, CharacterTable& table, int first);

// A titled family name ("Miss Dashwood") that quotations call again and again and that one
// character called otherwise ("Elinor") answers in the next paragraph's tag, most of the times
// anyone does, is that character (name_answers.cpp). Only characters from `first` on are joined
// into another.
void join_answered_names(const Story& story, CharacterTable& table, int first);
// A character's name, then its aliases (characters.cpp).
std::vector<std::string> names_of(const Character& c);
// The surnames of the untitled full names a character goes by that start with `given`, in any
// case: "Andrew" of "John Andrew" for "John" (character_table.cpp).
std::vector<std::string> surnames_after(const Character& c, const std::string& given);
// The text of a paragraph outside its quotations, a " . " where each quotation stood
// (characters.cpp).
std::string narration_of(const Paragraph& p);

// After attribution: two characters whose names can be one person's ("the Peddler" and "Corwen",
// "Mina" and "Wilhelmina") and whose turns never answer each other become one speaker
// (name_turns.cpp). The first `cast_count` characters came from a cast file: two of them stay
// two. `sister_surnames` (lower case): families whose plain "Miss Surname" the narration tells
// from a younger sister (sister_surnames); no turns join those two.
void join_by_turns(Script& script, int cast_count,
                   const std::set<std::string>& sister_surnames = {});

// The lower-case surnames of the script's "Miss Surname" beside a "Miss Given Surname" whom the
// narration tells apart as sisters ("the two Miss Penroses", "the elder Miss Penrose").
std::set<std::string> sister_surnames(const Story& story, const std::vector<Character>& characters);

}  // namespace troupe::characters_internal
