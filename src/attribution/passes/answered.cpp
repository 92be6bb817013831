// vocative-back, before the turns: "Inverted how? I drew that circle perfectly." / "Your circle
// is flawless, Grange.": a line that calls someone by name, right after an open one, answers
// that one, so the open line is theirs. Run before turn-taking, since a forward chain decided
// from a wrong start would fill the open line first; fills only quotation paragraphs without a
// speaker, and only where the calling line is not the one called.

#include <string_view>

#include "attribution/passes/pass.h"
#include "attribution/sieve.h"

namespace troupe::sieve {
namespace {
// Whether the words end with a sentence's last mark: ".", "?", "!" or "…".
bool ends_sentence(std::string_view words) {
  while (!words.empty() && (words.back() == ' ' || words.back() == '"')) words.remove_suffix(1);
  return words.ends_with(".") || words.ends_with("?") || words.ends_with("!") ||
         words.ends_with("\u2026");
}

// A line of banter, whose answer turns to its speaker: a speech of more words than this is
// answered as often by someone turning to a third person.
constexpr std::size_t kBanterWordsMax = 24;

bool short_line(const QuoteParagraph& qp) {
  std::size_t words = 0;
  for (const auto& quote : qp.p->quotes)
    words += tokenize(qp.p->text.substr(quote.begin, quote.end - quote.begin)).size();
  return words <= kBanterWordsMax;
}
}  // namespace

// "Your circle is flawless, Grange.", "Yes, Kit?": the character whose name, set off by a
// comma, closes the first sentence of the paragraph's first quotation; kUnknown if none. A name
// opening the line ("Bo, light duty for a week."), standing alone ("Declan.") or in a later
// sentence ("Louisa, tell her.") more often turns to someone new than answers.
int Sieve::answered_name(const QuoteParagraph& qp) const {
  for (const auto& seg : qp.segments) {
    if (!seg.is_quote) continue;
    const auto& tokens = tokens_of(*qp.p, seg);
    std::size_t end = 1;
    while (end < tokens.size() && !tokens[end].sentence_start) ++end;
    // "But, Captain Brannock," cried Maud: a sentence the tag breaks into goes on.
    if (end == tokens.size() &&
        !ends_sentence(std::string_view(qp.p->text).substr(seg.begin, seg.end - seg.begin)))
      return kUnknown;
    for (std::size_t at = 1; at < end; ++at) {
      if (!tokens[at].clause_break_before) continue;
      auto [id, length] = table_.match(tokens, at);
      if (id >= 0 && at + length == end && !tokens[end - 1].possessive) return id;
    }
    return kUnknown;
  }
  return kUnknown;
}

bool Sieve::fill_by_next_vocative(std::vector<QuoteParagraph>& qps) {
  bool changed = false;
  for (std::size_t k = 0; k + 1 < qps.size(); ++k) {
    auto& qp = qps[k];
    const auto& next = qps[k + 1];
    // One name called, at once after the open line: several names or narration between
    // leave it to the turns.
    if (paragraph_speaker(qp) != kUnknown || next.after_narration || next.vocatives.size() != 1 ||
        !short_line(qp))
      continue;
    const int called = next.vocatives.front();
    if (called != answered_name(next)) continue;
    if (called == paragraph_speaker(next) || called == reader_ || is_vocative(qp, called) ||
        is_talked_about(qp, called))
      continue;
    fill_paragraph(qp, called, Rule::Answered);
    changed = true;
  }
  return changed;
}

namespace {

class AnsweredPass final : public Pass {
 public:
  std::string_view name() const override { return "vocative-back"; }
  PassScope scope() const override { return PassScope::Chapter; }
  bool run(Sieve& sieve, ReadingState& /*reading*/,
           std::vector<QuoteParagraph>& paragraphs) const override {
    return sieve.fill_by_next_vocative(paragraphs);
  }
};

}  // namespace

const Pass& answered_pass() {
  static const AnsweredPass pass;
  return pass;
}

}  // namespace troupe::sieve
