// guess, extra: what no pass decided. An unnamed speaker a tag described ("his manager") is an
// extra; else, right after a turn, the other party answers; else the character the narration
// was last about, never the one who spoke the turn just before. Runs last.

#include "attribution/passes/pass.h"
#include "attribution/sieve.h"

namespace troupe::sieve {

// What no rule decided: the character the narration was last about, if any.
bool Sieve::guess_the_rest(std::vector<QuoteParagraph>& qps) {
  bool changed = false;
  for (std::size_t k = 0; k < qps.size(); ++k) {
    auto& qp = qps[k];
    if (paragraph_speaker(qp) != kUnknown) continue;
    if (!qp.extra.empty()) {
      fill_paragraph(qp, add_minor_character(qp.extra), Rule::Extra);
      changed = true;
      continue;
    }
    // Right after a guessed turn, or a pause that names nobody ("No reply. Two minutes."), the
    // exchange goes on: the other party answers.
    int previous = k > 0 && !qp.after_narration ? paragraph_speaker(qps[k - 1]) : kUnknown;
    const int last = k > 0 && qp.after_pause ? paragraph_speaker(qps[k - 1]) : previous;
    if (last != kUnknown) {
      int other = other_party(qps, k, last);
      if (other != kUnknown && !is_vocative(qp, other) && !before_own_tag(qps, k, other)) {
        fill_paragraph(qp, other, Rule::Guess);
        changed = true;
        continue;
      }
    }
    // Never the one who spoke the turn just before: nobody answers themselves.
    for (auto it = qp.recent_before.rbegin(); it != qp.recent_before.rend(); ++it)
      if (*it != first_person_ && *it != previous && !is_vocative(qp, *it) &&
          !is_talked_about(qp, *it) && !before_own_tag(qps, k, *it)) {
        fill_paragraph(qp, *it, Rule::Guess);
        changed = true;
        break;
      }
  }
  return changed;
}
namespace {

class GuessPass final : public Pass {
 public:
  std::string_view name() const override { return "guess"; }
  PassScope scope() const override { return PassScope::Chapter; }
  bool run(Sieve& sieve, ReadingState& /*reading*/,
           std::vector<QuoteParagraph>& paragraphs) const override {
    return sieve.guess_the_rest(paragraphs);
  }
};

}  // namespace

const Pass& guess_pass() {
  static const GuessPass pass;
  return pass;
}

}  // namespace troupe::sieve
