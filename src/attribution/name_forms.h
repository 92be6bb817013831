// The ways a story names one person: "Thomas Ashby", "Tom", "Ashby", "Mr. Ashby", "Mr. T. Ashby",
// and which of them can be the same person as another name.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/gender.h"

namespace troupe {

// The short-form table (short_forms.cpp): one row a given name, its full form first.
const std::vector<std::vector<std::string_view>>& short_form_rows();

// Whether two given names can be one person's: equal (in any case), or full and short form
// ("William" and "Bill"), or two short forms of one name ("Bill" and "Will").
bool same_given_name(std::string_view a, std::string_view b);

// Whether `short_name` is a short form of the given name `full_name`, which heads its row of
// the table ("Lizzy" of "Elizabeth"; not "Elizabeth" of "Lizzy", nor "Bill" of "Will").
bool is_short_form_of(std::string_view short_name, std::string_view full_name);

// A name taken apart: its title, then its words (an initial without its period).
struct NameParts {
  std::string title;  // "Mr.", "Lady", "Countess"; "" if none
  Gender title_gender = Gender::Unknown;
  std::vector<std::string> words;  // "Sherlock Holmes" -> {"Sherlock", "Holmes"}
  std::string surname;             // the last word, with particles: "St. Cloud", "de Winter"
};
NameParts parse_name(std::string_view name);

// Whether the text's `form` can name the person called `full` (of gender `gender`): the same
// given name or a short form of it, the surname, title and surname, title and given name for
// the titles that take one ("Miss Elizabeth", "Sir Walter", "Aunt Polly"), with or without
// middle names and initials. A title must fit the person ("Mrs. Ashby" is no man) and another
// title ("Mrs." for "Miss") names another person; two titles of rank may name one man ("Mr."
// and "Dr.", "Madame" and "Countess").
bool is_form_of(std::string_view form, std::string_view full, Gender gender);

// Whether a title is said before a given name as well as before a surname: "Miss Elizabeth",
// "Sir Walter", "Aunt Polly" (not "Mr.", "Mrs.", "Dr.").
bool title_takes_given_name(std::string_view title);

// A title in one spelling: lower case, without its stop, "Missus" as "mrs" ("Mrs." and "Mrs"
// are "mrs").
std::string normal_title(std::string_view title);

// Whether a title is a military or naval rank ("General", "Captain"), which names one man of a
// family, not whoever else bears the surname.
bool is_military_rank(std::string_view title);

// Words that belong to the surname after them (lower case): "St. Cloud", "de Winter".
bool is_surname_particle(const std::string& lower);

// Whether `form` is a family name alone ("Ashby" of "Thomas Ashby"): a form that decides
// nothing where a family shares it.
bool is_surname_of(std::string_view form, std::string_view full);

// The plurals that speak of a family called `surname`: "Pettigrews", "Lakeses".
std::vector<std::string> family_plurals(const std::string& surname);

// Whether `word` ("Pettigrews", "Lakeses") is a plural of `surname` (family_plurals).
bool is_plural_of(std::string_view word, std::string_view surname);

}  // namespace troupe
