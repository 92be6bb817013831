// Small closed classes of English words the sieve reads a sentence's shape by: prepositions,
// conjunctions, the words that may stand between a speech verb and its subject, the words that
// open an address. Each list is here once; the passes and modules ask by name.
#pragma once

#include <string_view>

namespace troupe {

// "to", "with", "at", "upon", "than", "like" ...: a name after one is no subject.
bool is_preposition(std::string_view lower_word);
// "and", "but", "then", "so", "yet": a name after one opening a clause is its subject.
bool is_joining_conjunction(std::string_view lower_word);
// "and", "while", "when", "because", "although" ...: a word after which a clause begins, so the
// name that follows is no object.
bool is_clause_opener(std::string_view lower_word);
// "dear", "my", "oh", "hey" ...: a name after one is addressed ("My dear Mr. Pimlott").
bool is_address_opener(std::string_view lower_word);
// Words that may stand between a speech verb and its subject, or a subject and its verb:
// adverbs in -ly, "then", "again", "at last", "had" ... ("said Emma then", "Emma had said").
bool is_tag_filler(std::string_view lower_word);
// "said", "replied", "thought", "sang": a speech verb in the past tense.
bool is_past_tense_verb(std::string_view lower_word);
// Speech verbs that are speech only sometimes ("they went out", "as they proceeded"): a group's
// tag needs a plainer one.
bool is_occasional_speech_verb(std::string_view lower_word);

}  // namespace troupe
