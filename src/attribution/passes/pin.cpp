// pin: a [[pin]] of the cast file gives the quotation that starts with its words to its
// speaker. Reads the quotation's words and the pins; overrides any tag, since the user said so.

#include "attribution/passes/pass.h"
#include "attribution/sieve.h"

namespace troupe::sieve {

bool Sieve::apply_pin(QuoteParagraph& qp, std::size_t qi) {
  std::string words =
      qp.p->text.substr(qp.p->quotes[qi].begin, qp.p->quotes[qi].end - qp.p->quotes[qi].begin);
  for (const auto& pin : options_.pins) {
    if (pin.quote.empty() || words.rfind(pin.quote, 0) != 0) continue;
    int id = table_.find(pin.speaker);
    if (id < 0) {
      Character c;
      c.name = pin.speaker;
      id = table_.add(c);
      note_table_change();
    }
    qp.speakers[qi] = id;
    qp.rules[qi] = Rule::Pin;
    return true;
  }
  return false;
}
namespace {

class PinPass final : public Pass {
 public:
  std::string_view name() const override { return "pin"; }
  PassScope scope() const override { return PassScope::Paragraph; }
  bool run(Sieve& sieve, ReadingState& /*reading*/,
           std::vector<QuoteParagraph>& paragraphs) const override {
    QuoteParagraph& qp = paragraphs.back();
    bool pinned = false;
    for (std::size_t i = 0; i < qp.speakers.size(); ++i) pinned = sieve.apply_pin(qp, i) || pinned;
    return pinned;
  }
};

}  // namespace

const Pass& pin_pass() {
  static const PinPass pass;
  return pass;
}

}  // namespace troupe::sieve
