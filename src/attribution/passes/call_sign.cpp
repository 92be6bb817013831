// call-sign: radio voice procedure, as comms chatter in action stories writes it. A transmission
// opens with the station called, then the caller ("Beacon, Dispatch." "Meridian, Dispatch,") and
// may close by signing off ("Dispatch out."): the caller speaks it. Only a caller the story uses
// so in two quotations or more is one, so a line addressing two people ("Harry, Ron.") once is
// not read as a call. Fills only quotation paragraphs still open.
#include "attribution/passes/pass.h"
#include "attribution/sieve.h"
#include "attribution/word_lists.h"

namespace troupe::sieve {

// A word that may be a call sign: a capitalised single word the story never writes small, no
// title or word that is never a name ("Sir", "Okay", "Thanks").
bool Sieve::may_be_call_sign(const Token& t) const {
  return t.capitalized && !t.possessive && !lower_words_.count(t.lower) &&
         !is_never_a_name(t.text) && !is_person_title(t.text) && !is_bare_address(t.text);
}

// The caller a quotation's words name by voice procedure, in lower case, or "": "Callee, Caller"
// as the whole of its first sentence, or "Caller out" as the whole of its last.
std::string Sieve::caller_in(const std::vector<Token>& tokens) const {
  if (tokens.size() >= 2 && may_be_call_sign(tokens[0]) && may_be_call_sign(tokens[1]) &&
      tokens[1].clause_break_before && !tokens[1].sentence_start &&
      tokens[0].lower != tokens[1].lower && (tokens.size() == 2 || tokens[2].sentence_start))
    return tokens[1].lower;
  const std::size_t n = tokens.size();
  if (n >= 2 && tokens[n - 1].lower == "out" && tokens[n - 2].sentence_start &&
      may_be_call_sign(tokens[n - 2]))
    return tokens[n - 2].lower;
  return "";
}

// Callers used in two quotations or more of the story.
void Sieve::find_call_signs() {
  std::map<std::string, int> calls;
  for (const auto& chapter : story_.chapters)
    for (const auto& p : chapter.paragraphs) {
      if (p.kind != ParagraphKind::Text) continue;
      for (const auto& s : segments_of(p))
        if (s.is_quote)
          if (auto caller = caller_in(tokens_of(p, s)); !caller.empty()) ++calls[caller];
    }
  for (const auto& [caller, count] : calls)
    if (count >= kCallSignUsesMin) call_signs_.insert(caller);
}

// The speaker a paragraph's first transmission names as its caller, or kUnknown.
int Sieve::call_sign_speaker(const QuoteParagraph& qp) {
  if (call_signs_.empty()) return kUnknown;
  for (const auto& s : qp.segments) {
    if (!s.is_quote) continue;
    const auto& tokens = tokens_of(*qp.p, s);
    const std::string caller = caller_in(tokens);
    if (caller.empty() || !call_signs_.count(caller)) continue;
    for (const auto& t : tokens)
      if (t.lower == caller) return add_minor_character(t.text);
  }
  return kUnknown;
}

namespace {

class CallSignPass final : public Pass {
 public:
  std::string_view name() const override { return "call-sign"; }
  PassScope scope() const override { return PassScope::Paragraph; }
  bool run(Sieve& sieve, ReadingState& /*reading*/,
           std::vector<QuoteParagraph>& paragraphs) const override {
    QuoteParagraph& qp = paragraphs.back();
    if (sieve.paragraph_speaker(qp) != kUnknown) return false;
    const int caller = sieve.call_sign_speaker(qp);
    if (caller == kUnknown) return false;
    sieve.fill_paragraph(qp, caller, Rule::CallSign);
    return true;
  }
};

}  // namespace

const Pass& call_sign_pass() {
  static const CallSignPass pass;
  return pass;
}

}  // namespace troupe::sieve
