// turn-other: after a speaker, the other character of the scene (the most recent one mentioned
// or speaking before the paragraph, not the speaker, not one its quotations only talk about)
// answers. Run first only after speakers the text itself named (tags, beats, intros, pins and
// their spread), then after anyone. Fills only paragraphs without a speaker.
// turn-back, from a named turn two on: `"A," said Emma. "B." "C." "D," said Harriet.`: when the
// text itself names the speaker two paragraphs on (someone other than the one just before),
// A B A B read backwards says who answers, not whom the narration mentioned last.

#include "attribution/passes/pass.h"
#include "attribution/sieve.h"

namespace troupe::sieve {
namespace {

// The speaker the text names two paragraphs after k in the same exchange, when the turns say
// they answer `before` (who spoke just before k): not `before`, not whoever speaks the paragraph
// between, not called or talked about in k, and one person (a group or a passer-by takes no
// turns).
int named_turn_after_next(const Sieve& sieve, const std::vector<QuoteParagraph>& qps, std::size_t k,
                          int before) {
  if (k + 2 >= qps.size() || qps[k + 1].after_narration || qps[k + 2].after_narration)
    return kUnknown;
  const auto& anchor = qps[k + 2];
  const int named = sieve.paragraph_speaker(anchor);
  if (named == kUnknown || named == before || !Sieve::is_firm(anchor.rules.front()) ||
      named == sieve.paragraph_speaker(qps[k + 1]) || sieve.is_passerby(named) ||
      sieve.table().characters[named].is_group)
    return kUnknown;
  if (sieve.is_vocative(qps[k], named) || Sieve::is_talked_about(qps[k], named)) return kUnknown;
  return named;
}

// Whether each character is named speaking somewhere in the chapter by the text itself (a tag,
// a beat, an intro): computed once per pass, as this pass writes only turn rules, never firm
// ones.
std::vector<bool> firm_speakers(const Sieve& sieve, const std::vector<QuoteParagraph>& qps) {
  std::vector<bool> firm(sieve.table().characters.size(), false);
  for (const auto& qp : qps)
    for (std::size_t i = 0; i < qp.speakers.size(); ++i)
      if (qp.speakers[i] >= 0 && static_cast<std::size_t>(qp.speakers[i]) < firm.size() &&
          Sieve::is_firm(qp.rules[i]))
        firm[qp.speakers[i]] = true;
  return firm;
}

// The other party after `speaker` at k among those the text itself names speaking somewhere in
// the chapter (`firm`): someone the narration only mentions ("a letter from Mr. Martin") is
// seldom the one answering, and a speaker only the turns gave proves nothing.
int speaking_other_party(const Sieve& sieve, const std::vector<QuoteParagraph>& qps, std::size_t k,
                         int speaker, const std::vector<bool>& firm) {
  const auto& recent = qps[k].recent_before;
  for (auto it = recent.rbegin(); it != recent.rend(); ++it) {
    if (*it == speaker || Sieve::is_talked_about(qps[k], *it)) continue;
    if (*it >= 0 && static_cast<std::size_t>(*it) < firm.size() && firm[*it]) return *it;
  }
  return sieve.other_party(qps, k, speaker);
}

}  // namespace

// The turn after a speaker: the other character in the scene. With `firm_only`, only after
// a speaker the text itself named (a tag, a beat), before weaker turn-taking runs.
bool Sieve::fill_by_other_party(std::vector<QuoteParagraph>& qps, bool firm_only) {
  bool changed = false;
  const auto firm = firm_speakers(*this, qps);
  for (std::size_t k = 1; k < qps.size(); ++k) {
    auto& qp = qps[k];
    // A quotation running on from the paragraph before is no new turn: `continued` keeps its
    // speaker.
    if (paragraph_speaker(qp) != kUnknown || qp.after_narration || qp.continues) continue;
    int x = paragraph_speaker(qps[k - 1]);
    if (x == kUnknown) continue;
    if (firm_only && !is_firm(qps[k - 1].rules.back())) continue;
    if (int named = named_turn_after_next(*this, qps, k, x); named != kUnknown) {
      fill_paragraph(qp, named, Rule::TurnBack);
      changed = true;
      continue;
    }
    int other = speaking_other_party(*this, qps, k, x, firm);
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
