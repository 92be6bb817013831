// address-term: what one character calls another is theirs to say. "Unnie", "oppa",
// "manager-nim", "Grandpa": a kinship word or honorific used as an address is said by the one
// who stands in that relation, so when the chapter's quotations whose speaker the text itself
// names (tags, beats, intros, pins) call someone by that word and all are one speaker's, an
// open quotation calling someone so is theirs too ("you snitched on me unnie" among text
// messages). Runs before turn-taking; fills only quotation paragraphs without a speaker.
#include <map>
#include <set>

#include "attribution/passes/pass.h"
#include "attribution/sieve.h"
#include "attribution/word_lists.h"

namespace troupe::sieve {

// The address terms a quotation calls someone by, in lower case: a term opening the quotation
// and set off ("Unnie, I said"), set off inside it ("Yes, manager-nim."), or closing it ("you
// snitched on me unnie").
std::vector<std::string> Sieve::address_terms_in(const std::vector<Token>& tokens) {
  std::vector<std::string> terms;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (!is_address_term(tokens[i].lower) || tokens[i].possessive) continue;
    const bool last = i + 1 == tokens.size();
    const bool closed = last || tokens[i + 1].clause_break_before;
    const bool opened = i == 0 || tokens[i].clause_break_before;
    if (last || (opened && closed)) terms.push_back(tokens[i].lower);
  }
  return terms;
}

bool Sieve::fill_by_address_terms(std::vector<QuoteParagraph>& qps) {
  // Who calls someone by each term, in quotations whose speaker the text names.
  std::map<std::string, std::set<int>> users;
  for (const auto& qp : qps)
    for (const auto& s : qp.segments) {
      if (!s.is_quote) continue;
      const auto qi = static_cast<std::size_t>(s.quote - qp.p->quotes.data());
      if (qp.speakers[qi] == kUnknown || !is_firm(qp.rules[qi])) continue;
      for (const auto& term : address_terms_in(tokens_of(*qp.p, s)))
        users[term].insert(qp.speakers[qi]);
    }
  if (users.empty()) return false;
  bool changed = false;
  for (auto& qp : qps) {
    if (paragraph_speaker(qp) != kUnknown) continue;
    for (const auto& s : qp.segments) {
      if (!s.is_quote || paragraph_speaker(qp) != kUnknown) continue;
      for (const auto& term : address_terms_in(tokens_of(*qp.p, s))) {
        auto it = users.find(term);
        if (it == users.end() || it->second.size() != 1) continue;
        const int speaker = *it->second.begin();
        if (is_vocative(qp, speaker)) continue;
        fill_paragraph(qp, speaker, Rule::AddressTerm);
        changed = true;
        break;
      }
    }
  }
  return changed;
}

namespace {

class AddressTermPass final : public Pass {
 public:
  std::string_view name() const override { return "address-term"; }
  PassScope scope() const override { return PassScope::Chapter; }
  bool run(Sieve& sieve, ReadingState& /*reading*/,
           std::vector<QuoteParagraph>& paragraphs) const override {
    return sieve.fill_by_address_terms(paragraphs);
  }
};

}  // namespace

const Pass& address_term_pass() {
  static const AddressTermPass pass;
  return pass;
}

}  // namespace troupe::sieve
