// continued, addressee, vocative, turn: turn-taking forwards, paragraph by paragraph. A
// quotation running on keeps its speaker; the one the last turn spoke to ("said he to his wife",
// "Hey, Mark.", one name called) answers; else the speaker of two turns before (A, B, A). Stops at
// narration. Trusts every speaker decided before it; fills only paragraphs without one.

#include <algorithm>

#include "attribution/passes/pass.h"
#include "attribution/sieve.h"

namespace troupe::sieve {

namespace {

// Narration this long opening a quotation paragraph tells of a new moment, not a beat. Not tuned
// per book: a round figure, about two sentences; 12 words (both directions) measured blind -12
// over PDNC and was dropped.
constexpr std::size_t kMovingOnWords = 20;

// Whether the paragraph's narration (the opening stretch, beats and tags alike) names `id`.
bool narration_names(const QuoteParagraph& qp, int id) {
  return std::find(qp.narration_mentions.begin(), qp.narration_mentions.end(), id) !=
         qp.narration_mentions.end();
}

// Whether the paragraph's last quotation asks something: the next speaker answers it, however
// long the narration before the answer.
bool ends_in_question(const QuoteParagraph& qp) {
  for (auto s = qp.segments.rbegin(); s != qp.segments.rend(); ++s) {
    if (!s->is_quote) continue;
    std::string_view words = std::string_view(qp.p->text).substr(s->begin, s->end - s->begin);
    while (!words.empty() && words.back() == ' ') words.remove_suffix(1);
    return !words.empty() && words.back() == '?';
  }
  return false;
}

}  // namespace

// `Mina cycled home in a downpour with her mind on supper and the week ahead. Osric waited on
// the step. "You are late."`: a paragraph opening with kMovingOnWords or more of narration, whose
// narration (tags included) names its speaker and not whoever spoke the turn before its own,
// moves the story on: whom it answers is no longer A of A, B, A.
bool moves_on_without(const QuoteParagraph& qp, int speaker, int earlier) {
  return qp.opening_words >= kMovingOnWords && narration_names(qp, speaker) &&
         !narration_names(qp, earlier);
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
    if (k >= 2 && !prev.after_narration) {
      int y = paragraph_speaker(qps[k - 2]);
      if (y != kUnknown && y != x && !is_vocative(qp, y) && !is_talked_about(qp, y) &&
          !before_own_tag(qps, k, y)) {
        // Unless A asked something: B answers it after a pause, and A speaks next. (The same
        // check on the backward turns measured blind -4 over PDNC and was left out.)
        if (moves_on_without(prev, x, y) && !ends_in_question(qps[k - 2])) continue;
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
