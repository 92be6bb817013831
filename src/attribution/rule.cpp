#include "attribution/rule.h"

namespace troupe {

std::string_view rule_name(Rule rule) {
  switch (rule) {
    case Rule::None:
      return "none";
    case Rule::Pin:
      return "pin";
    case Rule::TagName:
      return "tag-name";
    case Rule::TagPronoun:
      return "tag-pronoun";
    case Rule::TagDescription:
      return "tag-description";
    case Rule::TagGroup:
      return "tag-group";
    case Rule::TagRevised:
      return "tag-revised";
    case Rule::SameParagraph:
      return "same-paragraph";
    case Rule::SelfNamed:
      return "self-named";
    case Rule::CallSign:
      return "call-sign";
    case Rule::Continued:
      return "continued";
    case Rule::Intro:
      return "intro";
    case Rule::Beat:
      return "beat";
    case Rule::OnlyName:
      return "only-name";
    case Rule::AddressTerm:
      return "address-term";
    case Rule::Addressee:
      return "addressee";
    case Rule::Vocative:
      return "vocative";
    case Rule::VocativeBack:
      return "vocative-back";
    case Rule::VocativeReply:
      return "vocative-reply";
    case Rule::Answered:
      return "answered";
    case Rule::Turn:
      return "turn";
    case Rule::TurnBack:
      return "turn-back";
    case Rule::TurnAhead:
      return "turn-ahead";
    case Rule::TurnOther:
      return "turn-other";
    case Rule::Guess:
      return "guess";
    case Rule::Extra:
      return "extra";
  }
  return "none";
}

bool is_tag(Rule rule) {
  return rule == Rule::TagName || rule == Rule::TagPronoun || rule == Rule::TagDescription ||
         rule == Rule::TagGroup || rule == Rule::TagRevised;
}

}  // namespace troupe
