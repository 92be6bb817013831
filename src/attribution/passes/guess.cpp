// guess, extra: what no pass decided. An unnamed speaker a tag described ("his manager") is an
// extra; after narration saying nobody answered, the last speaker goes on; else, right after
// a turn, the other party answers (even before a "she said" between two women that named
// them on the first reading); else the character the narration was last about, never
// the one who spoke the turn just before; and never one whose gender the narration after the
// quotation denies ("when he said that"). Runs last.

#include <algorithm>

#include "attribution/passes/pass.h"
#include "attribution/sieve.h"

namespace troupe::sieve {

namespace {

// `"...," said Chaerin.` right after paragraph k names its speaker: paragraph k is someone
// else's turn. A "she said" there, between two women (`last` spoke the turn before), does not
// count against the other party: it was resolved before this guess, by little more than
// recency, and the chapter's second reading resolves it again knowing this turn. Between a
// man and a woman the pronoun itself tells them apart, and it stands.
bool before_own_tag_firm(const std::vector<QuoteParagraph>& qps, std::size_t k, int id, int last,
                         const CharacterTable& table) {
  if (!Sieve::before_own_tag(qps, k, id)) return false;
  if (qps[k + 1].rules.front() != Rule::TagPronoun) return true;
  const Gender g = table.characters[id].gender;
  return g == Gender::Unknown || g != table.characters[last].gender;
}

// "Her face fell when he said that" after the quotation: its speaker is a man.
bool fits_said_after(const QuoteParagraph& qp, const CharacterTable& table, int id) {
  if (qp.said_after == Gender::Unknown) return true;
  const Gender g = table.characters[id].gender;
  return g == Gender::Unknown || g == qp.said_after;
}

}  // namespace

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
    // "Nobody said good evening back.": whoever spoke before the silence goes on, if still here.
    if (k > 0 && qp.after_narration && qps[k - 1].unanswered) {
      const int goes_on = paragraph_speaker(qps[k - 1]);
      const auto& here = qp.recent_before;
      if (goes_on != kUnknown && std::find(here.begin(), here.end(), goes_on) != here.end() &&
          !is_vocative(qp, goes_on) && !before_own_tag(qps, k, goes_on)) {
        fill_paragraph(qp, goes_on, Rule::Guess);
        changed = true;
        continue;
      }
    }
    // Right after a guessed turn, or a pause that names nobody ("No reply. Two minutes."), the
    // exchange goes on: the other party answers.
    int previous = k > 0 && !qp.after_narration ? paragraph_speaker(qps[k - 1]) : kUnknown;
    const int last = k > 0 && qp.after_pause ? paragraph_speaker(qps[k - 1]) : previous;
    if (last != kUnknown) {
      int other = other_party(qps, k, last);
      if (other != kUnknown && !is_vocative(qp, other) &&
          !before_own_tag_firm(qps, k, other, last, table_) && fits_said_after(qp, table_, other)) {
        fill_paragraph(qp, other, Rule::Guess);
        changed = true;
        continue;
      }
    }
    // Never the one who spoke the turn just before: nobody answers themselves.
    for (auto it = qp.recent_before.rbegin(); it != qp.recent_before.rend(); ++it)
      if (*it != first_person_ && *it != previous && !is_vocative(qp, *it) &&
          !is_talked_about(qp, *it) && !before_own_tag(qps, k, *it) &&
          fits_said_after(qp, table_, *it)) {
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
