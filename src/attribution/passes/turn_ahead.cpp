// turn-ahead: a chain of turns re-decided by the speaker the text names further on in
// the same turn order. In an exchange (quotation paragraphs with no narration paragraph between
// them) a speaker's turns stand two apart (A B A B). A turn chain only copies its start two
// paragraphs back; when that start is itself a guess (turn-taking from the exchange's first
// paragraph, the other character of the scene, a guess) and the text names the speaker two, four
// ... paragraphs on through turns alone, that named speaker spoke the chain's turns:
// `"A," said Emma. "B." "C." "D." "E," said Harriet.`: B and D are Harriet's whatever a weak
// start gave them. A chain copied from a speaker the text named (a tag, a beat, a vocative, an
// intro) keeps it. Runs last, over every reading's turns and guesses; printed `turn-ahead`
// (A B ? A B decided from further on).

#include "attribution/passes/pass.h"
#include "attribution/sieve.h"

namespace troupe::sieve {
namespace {

// A speaker decided by turn-taking alone (or guessed): what this pass may re-decide.
bool is_weak_turn(Rule rule) {
  return rule == Rule::Turn || rule == Rule::TurnBack || rule == Rule::TurnAhead ||
         rule == Rule::TurnOther || rule == Rule::Guess;
}

// A paragraph whose every quotation is one speaker's by turn-taking alone.
bool is_weak_paragraph(const QuoteParagraph& qp) {
  for (std::size_t i = 0; i < qp.speakers.size(); ++i)
    if (!is_weak_turn(qp.rules[i]) || qp.speakers[i] != qp.speakers.front()) return false;
  return !qp.speakers.empty() && qp.speakers.front() != kUnknown;
}

// A speaker the text itself gave: a tag, a beat, an intro, a pin, a vocative answered, a
// continuation (not a group, an only name or an extra).
bool is_anchor(const QuoteParagraph& qp) {
  if (qp.speakers.empty() || qp.speakers.back() == kUnknown) return false;
  const Rule rule = qp.rules.back();
  return Sieve::is_firm(rule) || rule == Rule::SelfNamed || rule == Rule::Vocative ||
         rule == Rule::Addressee || rule == Rule::VocativeBack || rule == Rule::Answered ||
         rule == Rule::VocativeReply || rule == Rule::Continued || rule == Rule::AddressTerm;
}

// The exchange holding paragraph k: [first, last).
std::pair<std::size_t, std::size_t> exchange_of(const std::vector<QuoteParagraph>& qps,
                                                std::size_t k) {
  std::size_t first = k, last = k + 1;
  while (first > 0 && !qps[first].after_narration) --first;
  while (last < qps.size() && !qps[last].after_narration) ++last;
  return {first, last};
}

// Whether the weak turn at k copies its speaker from one the text named two, four ...
// paragraphs back in the exchange.
bool copied_from_anchor(const std::vector<QuoteParagraph>& qps, std::size_t first, std::size_t k) {
  const int speaker = qps[k].speakers.front();
  std::size_t j = k;
  while (j >= first + 2) {
    j -= 2;
    if (is_weak_paragraph(qps[j]) && qps[j].speakers.front() == speaker) continue;
    return is_anchor(qps[j]) && qps[j].speakers.back() == speaker;
  }
  return false;
}

// `"Declan." "I know, I know," said Declan.`: whether the paragraph opens by calling `id` by
// name, turning to someone new: their answer speaks out of turn and says nothing of the order of
// the turns before the call. (A name called later in the line answers as often as not.)
bool turns_to(const Sieve& sieve, const QuoteParagraph& qp, int id) {
  if (!sieve.is_vocative(qp, id)) return false;
  for (const auto& seg : qp.segments) {
    if (!seg.is_quote) continue;
    const auto& tokens = sieve.tokens_of(*qp.p, seg);
    return !tokens.empty() && sieve.table().match(tokens, 0).first == id;
  }
  return false;
}

// The speaker the text names two, four ... paragraphs after k through weak turns only (by a
// name, a beat, a vocative: not "he said"), when they may speak k: not the speaker of a paragraph
// beside it, not called in it, one person.
int named_ahead(const Sieve& sieve, const std::vector<QuoteParagraph>& qps, std::size_t k,
                std::size_t first, std::size_t last) {
  std::size_t j = k + 2;
  while (j < last && is_weak_paragraph(qps[j])) j += 2;
  // A pronoun tag there was resolved by these same turns: it tells nothing new.
  if (j >= last || !is_anchor(qps[j]) || qps[j].rules.front() == Rule::TagPronoun) return kUnknown;
  const int named = qps[j].speakers.front();
  if (named == kUnknown || named == qps[k].speakers.front()) return kUnknown;
  if (turns_to(sieve, qps[j - 1], named)) return kUnknown;
  if (k > first && sieve.paragraph_speaker(qps[k - 1]) == named) return kUnknown;
  if (k + 1 < last && sieve.paragraph_speaker(qps[k + 1]) == named) return kUnknown;
  if (sieve.is_vocative(qps[k], named) || Sieve::is_talked_about(qps[k], named) ||
      sieve.is_passerby(named) || sieve.table().characters[named].is_group)
    return kUnknown;
  return named;
}

class TurnAheadPass final : public Pass {
 public:
  std::string_view name() const override { return "turn-ahead"; }
  PassScope scope() const override { return PassScope::Chapter; }
  bool revises() const override { return true; }
  bool run(Sieve& sieve, ReadingState& /*reading*/,
           std::vector<QuoteParagraph>& qps) const override {
    // Decided on the turns as they stand, then applied: a change never feeds another.
    std::vector<std::pair<std::size_t, int>> changes;
    for (std::size_t k = 0; k < qps.size(); ++k) {
      if (!is_weak_paragraph(qps[k])) continue;
      const auto [first, last] = exchange_of(qps, k);
      if (copied_from_anchor(qps, first, k)) continue;
      if (int named = named_ahead(sieve, qps, k, first, last); named != kUnknown)
        changes.push_back({k, named});
    }
    for (const auto& [k, named] : changes)
      for (std::size_t i = 0; i < qps[k].speakers.size(); ++i) {
        qps[k].speakers[i] = named;
        qps[k].rules[i] = Rule::TurnAhead;
      }
    return !changes.empty();
  }
};

}  // namespace

const Pass& turn_ahead_pass() {
  static const TurnAheadPass pass;
  return pass;
}

}  // namespace troupe::sieve
