// The rules of the sieve: which pass decided a quotation's speaker. Printed as stable names in
// `troupe script` ("tag-name", "turn"), which scripts/evaluate --by-rule scores one by one.
#pragma once

#include <string_view>

namespace troupe {

enum class Rule {
  None,            // nothing decided: the speaker is unknown
  Pin,             // a [[pin]] in the cast file
  TagName,         // "said Tamsin", "Mr. Pimlott replied", "I said"
  TagPronoun,      // "he said", "she whispered"
  TagDescription,  // "cried his wife", "said the old gentleman", "said another man"
  TagGroup,        // "the girls chorused", "they shouted"
  TagRevised,      // a pronoun or description tag that the conversation's people re-decided
  SameParagraph,   // another quotation of the paragraph has a tag
  SelfNamed,       // "Hi. I'm Bea.", "Nobody calls me Imogen": the speaker names themselves
  CallSign,        // "Beacon, Dispatch.", "Dispatch out.": a radio call names its caller
  Continued,       // runs on from the previous paragraph's quotation
  Intro,           // a narration paragraph leading into it
  Beat,            // the subject of the narration around it
  OnlyName,        // the only character the paragraph's narration names
  AddressTerm,     // "you snitched on me unnie": the one the text names calling someone so
  Addressee,       // "said he to his wife": the one spoken to answers
  Vocative,        // "Hey, Mark." answered by Mark
  VocativeBack,    // "I'm sorry, Eunjin." as a reply: Eunjin spoke the line before
  VocativeReply,   // "Hey, Mark." answered by Mark: the one who spoke to him is someone else
  Answered,        // a short line answered by one closing on a name ("..., Grange."): theirs
  Turn,            // A, B, A: turn-taking forwards
  TurnBack,        // A B ? A B read backwards
  TurnAhead,       // a chain of weak turns re-decided by the speaker named further on
  TurnOther,       // the other character of the scene after a speaker
  Guess,           // the character the narration was last about
  Extra,           // an unnamed extra: "his manager"
};

// The stable name printed in the script: "none", "pin", "tag-name", "turn-back" ...
std::string_view rule_name(Rule rule);

// Any speech tag, revised or not: what the later passes trust as the text's own word.
bool is_tag(Rule rule);

}  // namespace troupe
