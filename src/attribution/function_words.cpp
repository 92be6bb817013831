#include "attribution/function_words.h"

#include <unordered_set>

namespace troupe {
namespace {

using WordSet = std::unordered_set<std::string_view>;

bool in(const WordSet& words, std::string_view w) { return words.count(w) > 0; }

}  // namespace

bool is_preposition(std::string_view w) {
  static const WordSet kWords = {"to",    "with",   "at",   "for",     "on",    "of",
                                 "by",    "from",   "upon", "towards", "about", "into",
                                 "after", "before", "than", "like"};
  return in(kWords, w);
}

bool is_joining_conjunction(std::string_view w) {
  static const WordSet kWords = {"and", "but", "then", "so", "yet"};
  return in(kWords, w);
}

bool is_clause_opener(std::string_view w) {
  static const WordSet kWords = {"and", "but",    "then",     "so",    "while",   "when",
                                 "as",  "until",  "before",   "after", "because", "that",
                                 "if",  "though", "although", "where"};
  return in(kWords, w);
}

bool is_address_opener(std::string_view w) {
  static const WordSet kWords = {"dear", "my", "oh", "o", "hey", "dearest"};
  return in(kWords, w);
}

bool is_tag_filler(std::string_view w) {
  static const WordSet kWords = {"then",    "again",    "now", "at",  "last", "once",
                                 "still",   "also",     "had", "has", "have", "just",
                                 "finally", "suddenly", "was", "is"};
  return (w.size() > 3 && w.ends_with("ly")) || in(kWords, w);
}

bool is_past_tense_verb(std::string_view w) {
  static const WordSet kWords = {"said", "thought", "told",  "spoke",  "sang",
                                 "went", "began",   "cried", "replied"};
  return w.ends_with("ed") || in(kWords, w);
}

bool is_occasional_speech_verb(std::string_view w) {
  static const WordSet kWords = {"went",     "proceeded", "continued", "began",  "returned",
                                 "observed", "followed",  "resumed",   "pursued"};
  return in(kWords, w);
}

}  // namespace troupe
