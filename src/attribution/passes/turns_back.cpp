// turn-back, vocative-back, vocative-reply: turn-taking read backwards. A B ? A B: the
// speaker two paragraphs on; "I'm sorry, Eunjin." as a reply: Eunjin spoke the line before;
// "Hey, Mark." answered by Mark: someone else nearby said it. Trusts every speaker decided
// before it; fills only paragraphs without one.

#include "attribution/passes/pass.h"
#include "attribution/sieve.h"

namespace troupe::sieve {

// A B ? A B read backwards: the speaker two paragraphs on, when the next one differs.
bool Sieve::fill_backwards(std::vector<QuoteParagraph>& qps) {
  bool changed = false;
  for (std::size_t k = qps.size(); k-- > 0;) {
    auto& qp = qps[k];
    if (paragraph_speaker(qp) != kUnknown || k + 2 >= qps.size()) continue;
    if (qps[k + 1].after_narration || qps[k + 2].after_narration) continue;
    int x = paragraph_speaker(qps[k + 1]), y = paragraph_speaker(qps[k + 2]);
    if (x == kUnknown || y == kUnknown || x == y || is_vocative(qp, y) || is_talked_about(qp, y))
      continue;
    // "Late that evening Osric stamped into the kitchen, mud to his knees, ... \"Any supper
    // left?\" he said.": Osric joins the talk there.
    if (moves_on_without(qps[k + 2], y, x)) continue;
    fill_paragraph(qp, y, Rule::TurnBack);
    changed = true;
  }
  // "I'm sorry, Eunjin." as a reply: Eunjin spoke the line before it.
  for (std::size_t k = 0; k + 1 < qps.size(); ++k) {
    auto& qp = qps[k];
    if (paragraph_speaker(qp) != kUnknown || qps[k + 1].after_narration) continue;
    int next = paragraph_speaker(qps[k + 1]);
    for (int v : qps[k + 1].vocatives)
      if (v != next && v != reader_ && !is_vocative(qp, v) && !is_talked_about(qp, v)) {
        fill_paragraph(qp, v, Rule::VocativeBack);
        changed = true;
        break;
      }
  }
  // "Hey, Mark." answered by Mark: the one who spoke to him is someone else nearby.
  for (std::size_t k = 0; k + 1 < qps.size(); ++k) {
    auto& qp = qps[k];
    int x = paragraph_speaker(qps[k + 1]);
    if (paragraph_speaker(qp) != kUnknown || x == kUnknown || qps[k + 1].after_narration ||
        !is_vocative(qp, x))
      continue;
    int other = other_party(qps, k, x);
    if (other == kUnknown || is_vocative(qp, other)) continue;
    fill_paragraph(qp, other, Rule::VocativeReply);
    changed = true;
  }
  return changed;
}
namespace {

class TurnsBackPass final : public Pass {
 public:
  std::string_view name() const override { return "turn-back"; }
  PassScope scope() const override { return PassScope::Chapter; }
  bool run(Sieve& sieve, ReadingState& /*reading*/,
           std::vector<QuoteParagraph>& paragraphs) const override {
    return sieve.fill_backwards(paragraphs);
  }
};

}  // namespace

const Pass& turns_back_pass() {
  static const TurnsBackPass pass;
  return pass;
}

}  // namespace troupe::sieve
