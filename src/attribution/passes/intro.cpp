// intro: a narration paragraph ending in ":" or "," leads into the quotation paragraph after
// it; its last sentence's speech tag, else its subject, is the speaker. Runs only while the
// paragraph has no speaker from its own tags, pins or a continuation.

#include "attribution/passes/pass.h"
#include "attribution/sieve.h"
#include "attribution/tokens.h"

namespace troupe::sieve {

// Who speaks next after "...it was impossible for him not to say," : the speech tag of its
// last sentence, else that sentence's subject.
int Sieve::intro_speaker(const Paragraph& intro, const Exchange& exchange,
                         const ReadingState& reading) const {
  auto tokens = tokenize(intro.text);
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
namespace {

class IntroPass final : public Pass {
 public:
  std::string_view name() const override { return "intro"; }
  PassScope scope() const override { return PassScope::Paragraph; }
  bool run(Sieve& sieve, ReadingState& reading,
           std::vector<QuoteParagraph>& paragraphs) const override {
    QuoteParagraph& qp = paragraphs.back();
    if (sieve.paragraph_speaker(qp) != kUnknown || !qp.intro) return false;
    // Around the tags, the exchange is its parties alone.
    const int speaker = sieve.intro_speaker(*qp.intro, qp.exchange.parties(), reading);
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
