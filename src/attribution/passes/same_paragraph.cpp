// same-paragraph: quotations of one paragraph without a tag take the speaker of the tagged
// quotation before them (those before the first tag, the paragraph's last tagged speaker). Trusts
// the tags and pins of the paragraph.

#include "attribution/passes/pass.h"
#include "attribution/sieve.h"

namespace troupe::sieve {

// Quotations of one paragraph without a tag take the paragraph's tagged speaker.
void Sieve::spread_within_paragraph(QuoteParagraph& qp) {
  int known = kUnknown;
  for (int s : qp.speakers)
    if (s != kUnknown) known = s;
  if (known == kUnknown) return;
  int last = kUnknown;
  for (std::size_t i = 0; i < qp.speakers.size(); ++i) {
    if (qp.speakers[i] != kUnknown) {
      last = qp.speakers[i];
      continue;
    }
    qp.speakers[i] = last != kUnknown ? last : known;
    qp.rules[i] = Rule::SameParagraph;
  }
}
namespace {

class SameParagraphPass final : public Pass {
 public:
  std::string_view name() const override { return "same-paragraph"; }
  PassScope scope() const override { return PassScope::Paragraph; }
  bool run(Sieve& sieve, ReadingState& /*reading*/,
           std::vector<QuoteParagraph>& paragraphs) const override {
    QuoteParagraph& qp = paragraphs.back();
    const auto before = qp.speakers;
    sieve.spread_within_paragraph(qp);
    return qp.speakers != before;
  }
};

}  // namespace

const Pass& same_paragraph_pass() {
  static const SameParagraphPass pass;
  return pass;
}

}  // namespace troupe::sieve
