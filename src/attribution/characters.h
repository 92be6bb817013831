// The people of a story: found in the text or given by a cast file, with names and genders.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "attribution/script.h"
#include "attribution/tokens.h"
#include "text/story.h"

namespace troupe {

// Who the narration addresses or speaks as.
enum class Perspective { Third, Second, First };

class CharacterTable {
 public:
  // Adds a character under its name and aliases; returns its index.
  int add(Character character);
  // Adds a speaker the text never names as such ("the girls" speaking together, "another
  // gentleman"): it has an index but no name to be matched in the text.
  int add_unmatched(Character character);
  // title_in_any_case: "The Beadle" also matches "the beadle".
  void add_alias(int id, const std::string& alias, bool title_in_any_case = false);
  // The longest name starting at tokens[i]: (character index, tokens used), or (-1, 0).
  std::pair<int, int> match(const std::vector<Token>& tokens, std::size_t i) const;
  // "said the one-eyed sailor", "said a girl by the gate": the longest cast description
  // written out in full at tokens[i] (article first) in any case, as (index, tokens), or
  // (-1, 0). "a" finds a "The" description of two words or more after the article.
  std::pair<int, int> match_description(const std::vector<Token>& tokens, std::size_t i) const;
  // The character called exactly `name` (or an alias of it), or -1.
  int find(const std::string& name) const;
  // find_person's answer for a name several characters fit ("Ashby" of a family of Ashbys).
  static constexpr int kSeveral = -2;
  // The character a name met in the text refers to: the one called exactly that, else the one
  // cast character it is a form of ("Bill" or "Sikes" of "Bill Sikes"), or with no cast the one
  // character called by a full name of that given name ("Janey" of "Janey Ashby"); -1 if none,
  // kSeveral if several cast characters fit. A form it is found by becomes an alias.
  int find_person(const std::string& name);
  // "John" of "John Beaver" and "John Andrew": `name` names one of `ids` (two or more), whichever
  // the scene makes it (Token::person), else `fallback` (a cast alias's owner; -1: nobody).
  void share(const std::string& name, std::vector<int> ids, int fallback);
  // A shared name at tokens[i]: its sharers, the fallback and how many tokens it takes.
  struct SharedName {
    std::vector<int> ids;
    int fallback = -1;
    int length = 0;
  };
  std::optional<SharedName> shared_at(const std::vector<Token>& tokens, std::size_t i) const;
  bool has_shared_names() const { return !shared_.empty(); }
  // Makes `name` refer to character `id` from now on, whoever held it before.
  void reassign(const std::string& name, int id);
  // "Tom" is "Thomas Ashby": every name of character `from` names `into` from now on (nobody if
  // `into` < 0), and `from` is left out at the next remove_merged().
  void merge(int from, int into);
  bool is_merged(int id) const { return id < static_cast<int>(merged_.size()) && merged_[id]; }
  // Takes out the characters merged into others (the indices of the rest change).
  void remove_merged();

  std::vector<Character> characters;
  int cast_count = 0;  // how many of `characters`, first, a cast file gave

 private:
  // find_person's search among the characters for a name that is none of theirs as written.
  int form_owner(const std::string& name) const;
  int only_surname_owner(const std::string& surname) const;

  struct Entry {
    int id;
    bool any_case;  // an alias written in lower case ("you") matches any case
  };
  // The entry of a shared name: its sharers are in shared_.
  static constexpr int kShared = -3;
  // The longest name at tokens[i] (its entry and tokens used), or (nullptr, 0).
  std::pair<const Entry*, int> entry_at(const std::vector<Token>& tokens, std::size_t i) const;
  // After remove_merged: the sharers under their new indices (see the .cpp).
  void renumber_shared(const std::vector<int>& new_id);

  std::unordered_map<std::string, Entry> names_;        // key: lower-cased tokens joined by ' '
  std::unordered_map<std::string, int> longest_from_;   // first word -> most words in a name
  std::vector<bool> merged_;                            // by index: merged into another
  std::unordered_map<std::string, SharedName> shared_;  // key as in names_; length unused
};

struct CastHints {
  std::vector<Character> characters;  // from a cast file; the reader among them if given
  bool discover_more = true;          // also add characters found in the text
};

// Which person the narration is told in, by how often "you" and "I" stand outside quotes.
Perspective detect_perspective(const Story& story);

// The characters: those given, then (if hints.discover_more) names found in the story
// that are none of theirs. Adds the reader ("Y/N") for second-person stories and "I" for
// first-person ones unless given. `place_names`, when given, receives the words the story writes
// as places' names ("Larkhall"): the counts that find the names find them too.
CharacterTable build_characters(const Story& story, const CastHints& hints,
                                std::unordered_set<std::string>* place_names = nullptr);

}  // namespace troupe
