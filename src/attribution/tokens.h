// Words of narration with their byte offsets, for finding names, pronouns and speech verbs.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace troupe {

struct Token {
  std::string text;       // the word as written ("Mr.", "Taeyong", "don't")
  std::string lower;      // lower-cased ASCII form
  std::size_t begin = 0;  // byte offsets in the tokenised text
  std::size_t end = 0;
  bool capitalized = false;
  bool sentence_start = false;       // first word of a sentence (after . ! ? or at the start)
  bool clause_break_before = false;  // punctuation (, ; : — ) or a sentence end precedes it
  bool possessive = false;  // written with 's ("Darcy's"); text and lower hold the name alone
  // Where a name several characters share starts here ("John" of John Beaver and John Andrew):
  // whom the scene makes it (Sieve::resolve_shared_names), or -1.
  int person = -1;
};

// Splits text into words; punctuation is dropped but recorded in the flags above. Curly
// apostrophes are read as straight ones.
// `at_sentence_start` says whether the text begins a sentence.
std::vector<Token> tokenize(std::string_view text, bool at_sentence_start = true);

}  // namespace troupe
