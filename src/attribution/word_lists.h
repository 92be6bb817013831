// Word lists that English fiction uses to mark speech and people.
#pragma once

#include <string_view>

#include "common/gender.h"
#include "script.h"

namespace troupe {

// "said", "asked", "whispered", "replied" ... (lower case, any tense form listed).
bool is_speech_verb(std::string_view lower_word);
// "added", "continued", "resumed", "pursued", "went" (of "went on"): a speaker carrying on
// their own speech, not answering.
bool is_carry_on_verb(std::string_view lower_word);
// How a speech verb asks for the line to be delivered.
Delivery delivery_of_verb(std::string_view lower_word);
// Capitalised words that are never names: "The", "Then", "Oh", "God", weekdays ...
bool is_never_a_name(std::string_view word);
// "Mr.", "Mrs.", "Miss", "Lady", "Sir", "Uncle" ...; sets gender where the title has one.
bool is_person_title(std::string_view word, Gender* gender = nullptr);
// "Sir", "Madam", "Miss", "Doctor": a title that, said alone, addresses anyone and names nobody.
bool is_bare_address(std::string_view word);
// "unnie", "oppa", "grandpa", "mum", "manager-nim": a kinship word or honorific (lower case)
// that one particular person is called by.
bool is_address_term(std::string_view lower_word);
// Common given names with their usual gender.
Gender gender_of_first_name(std::string_view name);
// "he", "him", "his", "himself" -> Male; "she", "her", "hers", "herself" -> Female.
Gender gender_of_pronoun(std::string_view lower_word);
// Nouns that stand for a person of known gender in a tag: "cried his wife", "the boy said".
Gender gender_of_person_noun(std::string_view lower_word, bool* is_person = nullptr);
// Plural nouns for several people speaking at once: "girls", "children", "others".
bool is_group_noun(std::string_view lower_word);
// Nouns for anybody at all: "man", "woman", "child", "gentleman" (not "beadle", "barman").
bool is_generic_person_noun(std::string_view lower_word);
// "gentleman", "man", "lady", "woman", "fellow": a grown-up whatever the story.
bool is_adult_noun_word(std::string_view lower_word);
// "boy", "girl", "lad", "child", "youth": a child.
bool is_child_noun_word(std::string_view lower_word);
// "wife", "husband", "mother", "father", "sister", "brother", "son", "daughter": a relative
// found through the family name ("her mother" beside Elizabeth Bennet is Mrs. Bennet).
bool is_family_noun(std::string_view lower_word);
// "aunt", "uncle", "cousin", "niece", "nephew", "grandmother", "grandfather": a relative troupe
// cannot find by family name.
bool is_extended_family_noun(std::string_view lower_word);
// "friend", "visitor", "companion", "guest": someone in the scene, not an unnamed extra.
bool is_companion_noun(std::string_view lower_word);
// Verbs of action that make the subject the likely speaker of a quote in the same paragraph.
bool is_action_verb(std::string_view lower_word);
// Action verbs that only a person (or a creature) does: "nodded", "smiled", not "was".
bool is_person_verb(std::string_view lower_word);

}  // namespace troupe
