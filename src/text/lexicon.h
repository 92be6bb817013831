// How to say words eSpeak NG gets wrong: the cast file's [pronounce] table and the lexicon
// files shipped in voices/lexicon/.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace troupe {

// A word (or a few words) and what to say instead: a respelling ("Tae-yong") or eSpeak NG
// phonemes in double brackets ("[[t'eIj0N]]"). A key that starts with '-' ("-chan") is a
// suffix: it matches after a hyphen at the end of a word ("Naruto-chan").
//
// Matching is whole-word and case-aware: a key written in lower case ("maknae") matches any
// capitalisation ("Maknae", "MAKNAE"); a key with capitals ("Mark") matches that spelling and
// its all-capitals form only, so "mark" the verb is left alone.
class Lexicon {
 public:
  // User entries (the cast file's [pronounce]) win over shipped ones, whatever the order
  // they were added in. Within one kind, the first entry for a key wins.
  void add(std::string key, std::string say, bool user);

  // Reads a lexicon file: TOML, `word = "respelling"` or `word = "[[phonemes]]"`, top-level
  // keys only. Throws InputError naming the file and line for a syntax error or a value that is
  // not a string.
  void add_file(const std::string& path);

  // Reads every *.toml file in `folder`, in name order; nothing when the folder is missing.
  void add_folder(const std::string& folder);

  // What to say for one word (no spaces), or nullopt.
  std::optional<std::string> lookup(std::string_view word) const;
  // What to say for a suffix written after a hyphen ("chan" in "Naruto-chan").
  std::optional<std::string> lookup_suffix(std::string_view suffix) const;

  // Entries whose key has more than one word ("Lee Taeyong"), user entries first.
  struct Entry {
    std::string key, say;
    bool user = false;
  };
  std::vector<const Entry*> phrases() const;

  bool empty() const { return entries_.empty(); }
  std::size_t size() const { return entries_.size(); }

 private:
  const Entry* find(std::string_view word, bool suffix) const;
  void reindex();
  // Lower-cased key (without a suffix's '-') -> indexes into entries_, in priority order.
  std::unordered_map<std::string, std::vector<std::size_t>> by_word_, by_suffix_;

  std::vector<Entry> entries_;
};

// Whether `key` (as written in a lexicon) matches `word` as it stands in the text.
bool lexicon_key_matches(std::string_view key, std::string_view word);

}  // namespace troupe
