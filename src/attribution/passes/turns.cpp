// continued, addressee, vocative, turn: turn-taking forwards, paragraph by paragraph. A
// quotation running on keeps its speaker; the one the last turn spoke to ("said he to his wife",
// "Hey, Mark.", one name called) answers; else the one the narration opening the last turn brings
// in ("Mia danced with Jo. She said, ..."); else the speaker of two turns before (A, B, A).
// Stops at narration. Trusts every speaker decided before it; fills only paragraphs without one.

#include <algorithm>

#include "attribution/passes/pass.h"
#include "attribution/sieve.h"

namespace troupe::sieve {

namespace {
constexpr int kBroughtInSentences = 3;
}  // namespace

// The character the last three sentences of the narration opening paragraph `qp` last name as a
// subject (not as an object or an owner), other than its speaker: the one its quotation turns
// to. Earlier sentences set the scene; whoever they name may have left it (the last two lost
// A Handful of Dust 7 of its 13 quotations).
int Sieve::brought_in_by(const QuoteParagraph& qp, int speaker) const {
  // Narration closing the turn after its tag goes on with the scene; it decides, not this.
  if (qp.segments.empty() || qp.segments.front().is_quote || !qp.closing_subjects.empty())
    return kUnknown;
  const auto& tokens = tokens_of(*qp.p, qp.segments.front());
  std::size_t from = tokens.size();
  for (int sentences = 0; from > 0 && sentences < kBroughtInSentences;)
    if (tokens[--from].sentence_start) ++sentences;
  int brought = kUnknown;
  for (std::size_t i = from; i < tokens.size();) {
    auto [id, length] = table_.match(tokens, i);
    if (id >= 0 && id != speaker && !is_object_at(tokens, i) &&
        !tokens[i + length - 1].possessive && !table_.characters[id].is_group)
      brought = id;
    i += id >= 0 ? length : 1;
  }
  return brought;
}

bool Sieve::fill_by_turns(std::vector<QuoteParagraph>& qps) {
  bool changed = false;
  for (std::size_t k = 1; k < qps.size(); ++k) {
    auto& qp = qps[k];
    if (paragraph_speaker(qp) != kUnknown) continue;
    const auto& prev = qps[k - 1];
    int x = paragraph_speaker(prev);
    if (x == kUnknown) continue;
    if (qp.continues) {
      fill_paragraph(qp, prev.speakers.back(), Rule::Continued);
      changed = true;
      continue;
    }
    if (qp.after_narration) continue;
    if (prev.addressee != kUnknown && prev.addressee != x && !is_vocative(qp, prev.addressee) &&
        !before_own_tag(qps, k, prev.addressee)) {
      fill_paragraph(qp, prev.addressee, Rule::Addressee);
      changed = true;
      continue;
    }
    // Several called ("Jane, Harriet, sit down."): which of them answers is the turns' to say.
    // One called twice ("Jane, sit down. Do sit, Jane.") is one person.
    if (!prev.vocatives.empty() &&
        std::all_of(prev.vocatives.begin(), prev.vocatives.end(),
                    [&](int v) { return v == prev.vocatives.front(); })) {
      const int v = prev.vocatives.front();
      if (v != x && !is_vocative(qp, v) && !before_own_tag(qps, k, v) && !is_talked_about(qp, v)) {
        fill_paragraph(qp, v, Rule::Vocative);
        changed = true;
        continue;
      }
    }
    // "Mia danced with Jo. She said, '...?'": the narration opening the last turn brings in
    // the one who answers it, whoever spoke before.
    if (const int brought = brought_in_by(prev, x);
        brought != kUnknown && !is_vocative(qp, brought) && !is_talked_about(qp, brought) &&
        !before_own_tag(qps, k, brought)) {
      fill_paragraph(qp, brought, Rule::Turn);
      changed = true;
      continue;
    }
    if (k >= 2 && !prev.after_narration) {
      int y = paragraph_speaker(qps[k - 2]);
      if (y != kUnknown && y != x && !is_vocative(qp, y) && !is_talked_about(qp, y) &&
          !before_own_tag(qps, k, y)) {
        fill_paragraph(qp, y, Rule::Turn);
        changed = true;
        continue;
      }
    }
  }
  return changed;
}
namespace {

class TurnsPass final : public Pass {
 public:
  std::string_view name() const override { return "turn"; }
  PassScope scope() const override { return PassScope::Chapter; }
  bool run(Sieve& sieve, ReadingState& /*reading*/,
           std::vector<QuoteParagraph>& paragraphs) const override {
    return sieve.fill_by_turns(paragraphs);
  }
};

}  // namespace

const Pass& turns_pass() {
  static const TurnsPass pass;
  return pass;
}

}  // namespace troupe::sieve
