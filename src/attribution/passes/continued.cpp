// continued: a quotation paragraph that opens by continuing the previous paragraph's quotation
// (no closing mark before it) is spoken by whoever spoke the end of that one. Reads the
// paragraph's `continues` flag and the previous quotation paragraph's last speaker; runs only
// while the tags, pins and their spread left the paragraph without a speaker.
#include "attribution/passes/pass.h"
#include "attribution/sieve.h"

namespace troupe::sieve {
namespace {

class ContinuedPass final : public Pass {
 public:
  std::string_view name() const override { return "continued"; }
  PassScope scope() const override { return PassScope::Paragraph; }
  bool run(Sieve& sieve, ReadingState& /*reading*/,
           std::vector<QuoteParagraph>& paragraphs) const override {
    QuoteParagraph& qp = paragraphs.back();
    if (sieve.paragraph_speaker(qp) != kUnknown || !qp.continues || paragraphs.size() < 2)
      return false;
    const QuoteParagraph& previous = paragraphs[paragraphs.size() - 2];
    if (sieve.paragraph_speaker(previous) == kUnknown) return false;
    sieve.fill_paragraph(qp, previous.speakers.back(), Rule::Continued);
    return true;
  }
};

}  // namespace

const Pass& continued_pass() {
  static const ContinuedPass pass;
  return pass;
}

}  // namespace troupe::sieve
