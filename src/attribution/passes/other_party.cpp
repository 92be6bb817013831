// turn-other: after a speaker, the other character of the scene (the most recent one mentioned
// or speaking before the paragraph, not the speaker, not one its quotations only talk about)
// answers. Run first only after speakers the text itself named (tags, beats, intros, pins and
// their spread), then after anyone. Fills only paragraphs without a speaker.

#include "attribution/passes/pass.h"
#include "attribution/sieve.h"

namespace troupe::sieve {

// The turn after a speaker: the other character in the scene. With `firm_only`, only after
// a speaker the text itself named (a tag, a beat), before weaker turn-taking runs.
bool Sieve::fill_by_other_party(std::vector<QuoteParagraph>& qps, bool firm_only) {
  bool changed = false;
  for (std::size_t k = 1; k < qps.size(); ++k) {
    auto& qp = qps[k];
    if (paragraph_speaker(qp) != kUnknown || qp.after_narration) continue;
    int x = paragraph_speaker(qps[k - 1]);
    if (x == kUnknown) continue;
    if (firm_only && !is_firm(qps[k - 1].rules.back())) continue;
    int other = other_party(qps, k, x);
    if (other != kUnknown && !is_vocative(qp, other) && !before_own_tag(qps, k, other)) {
      fill_paragraph(qp, other, Rule::TurnOther);
      changed = true;
    }
  }
  return changed;
}

bool Sieve::is_firm(Rule rule) {
  return is_tag(rule) || rule == Rule::Beat || rule == Rule::Intro || rule == Rule::Pin ||
         rule == Rule::SameParagraph;
}
namespace {

class OtherPartyPass final : public Pass {
 public:
  explicit OtherPartyPass(bool firm_only) : firm_only_(firm_only) {}
  std::string_view name() const override { return "turn-other"; }
  PassScope scope() const override { return PassScope::Chapter; }
  bool run(Sieve& sieve, ReadingState& /*reading*/,
           std::vector<QuoteParagraph>& paragraphs) const override {
    return sieve.fill_by_other_party(paragraphs, firm_only_);
  }

 private:
  bool firm_only_;  // only after a speaker the text itself named
};

}  // namespace

const Pass& other_party_after_firm_pass() {
  static const OtherPartyPass pass{true};
  return pass;
}

const Pass& other_party_pass() {
  static const OtherPartyPass pass{false};
  return pass;
}

}  // namespace troupe::sieve
