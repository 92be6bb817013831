// intro: a narration paragraph ending in ":" or "," leads into the quotation paragraph after
// it; its last sentence's speech tag, else its subject, is the speaker. So does the narration
// closing a quotation paragraph (`She muttered something about "supper." Tamsin cheerfully said,`).
// Runs only while the paragraph has no speaker from its own tags, pins or a continuation.

#include <algorithm>

#include "attribution/passes/pass.h"
#include "attribution/sieve.h"
#include "attribution/tokens.h"

namespace troupe::sieve {

// Who speaks next after "...he could not help but remark," : the speech tag of its
// last sentence, else that sentence's subject.
int Sieve::intro_speaker(const std::vector<Token>& tokens, const Exchange& exchange,
                         const ReadingState& reading) const {
  Tag tag = tag_before(tokens, {}, exchange, reading);
  if (tag.found) return tag.speaker;
  std::size_t start = 0;
  for (std::size_t k = 0; k < tokens.size(); ++k)
    if (tokens[k].sentence_start) start = k;
  for (std::size_t k = start; k < tokens.size(); ++k) {
    if (k != start && !tokens[k].clause_break_before) continue;
    Mention m = mention_at(tokens, k);
    if (m.kind == Mention::Name || m.kind == Mention::Pronoun)
      return resolve_mention(m, {}, exchange, reading);
  }
  return kUnknown;
}

// The words of the narration that closes the paragraph before, when it is a sentence of its own
// leading into this paragraph's quotation (`..."supper,"--looked at Tamsin. Tamsin cheerfully
// said,`); null otherwise.
const std::vector<Token>* Sieve::closing_lead_in(const std::vector<QuoteParagraph>& qps) const {
  if (qps.size() < 2 || qps.back().after_narration) return nullptr;
  const QuoteParagraph& before = qps[qps.size() - 2];
  if (before.segments.size() < 2 || before.segments.back().is_quote) return nullptr;
  const Segment& closing = before.segments.back();
  const std::string_view text =
      std::string_view(before.p->text).substr(closing.begin, closing.end - closing.begin);
  const auto& tokens = tokens_of(*before.p, closing);
  // More than a tag of its own quotation: `"A," said Emma,` leads nowhere new.
  return has_second_sentence(tokens) && introduces_speech(text) ? &tokens : nullptr;
}

namespace {

class IntroPass final : public Pass {
 public:
  std::string_view name() const override { return "intro"; }
  PassScope scope() const override { return PassScope::Paragraph; }
  bool run(Sieve& sieve, ReadingState& reading,
           std::vector<QuoteParagraph>& paragraphs) const override {
    QuoteParagraph& qp = paragraphs.back();
    if (sieve.paragraph_speaker(qp) != kUnknown) return false;
    const std::vector<Token>* lead_in =
        qp.intro ? &sieve.paragraph_tokens(*qp.intro) : sieve.closing_lead_in(paragraphs);
    if (!lead_in) return false;
    // Around the tags, the exchange is its parties alone.
    const int speaker = sieve.intro_speaker(*lead_in, qp.exchange.parties(), reading);
    if (speaker == kUnknown || sieve.is_vocative(qp, speaker)) return false;
    sieve.fill_paragraph(qp, speaker, Rule::Intro);
    return true;
  }
};

}  // namespace

const Pass& intro_pass() {
  static const IntroPass pass;
  return pass;
}

}  // namespace troupe::sieve
