// self-named: a quotation in which its speaker gives their own name ("Hi. I'm Bea.", "My name is
// Orrin Gannet.", "Nobody calls me Imogen except him.") is that character's. Fills the
// paragraph's open quotations; a pronoun or description tag ("she said") is only the nearest
// person of a gender, so the speaker's own word re-decides it when the gender fits. A tag that
// names its speaker or a pin is never overruled.
#include "attribution/passes/pass.h"
#include "attribution/sieve.h"

namespace troupe::sieve {
namespace {

// Where the name stands after the words that announce one, or 0: "I'm _", "I am _",
// "my name is _", "my name's _", "name's _", "call me _", "calls me _", "called me _".
std::size_t announced_name_at(const std::vector<Token>& tokens, std::size_t i) {
  auto word = [&](std::size_t k) -> const std::string& {
    static const std::string kNone;
    return k < tokens.size() ? tokens[k].lower : kNone;
  };
  const std::string& w = word(i);
  if (w == "i'm") return i + 1;
  if (w == "i" && word(i + 1) == "am") return i + 2;
  if (w == "my" && word(i + 1) == "name" && word(i + 2) == "is") return i + 3;
  if (w == "my" && word(i + 1) == "name's") return i + 2;
  if (w == "name's" && tokens[i].sentence_start) return i + 1;
  if ((w == "call" || w == "calls" || w == "called") && word(i + 1) == "me") return i + 2;
  return 0;
}

// Whether the gap between the announcing words and a name sets the name off: a comma ("Sure I
// am, Tom.") or a sentence end ("Yes, I am. Tom is not."), but not a pause ("My name is...
// Orrin", "I am -- Orrin").
bool sets_off(std::string_view gap) {
  if (gap.find_first_of(",!?") != std::string_view::npos) return true;
  return gap.find('.') != std::string_view::npos && gap.find("..") == std::string_view::npos;
}

}  // namespace

// The character a quotation's speaker names as themselves, or kUnknown: "I'm Bea.", "Nobody
// calls me Imogen except him", but not "I'm Bea's sister" or "I am Emma Woodhouse's friend",
// nor a name set off by a comma, which calls the one spoken to ("Sure I am, Tom.", "Will you
// call me, Bea, when the kettle boils?"). `text` is what the tokens were read from.
int Sieve::self_named(std::string_view text, const std::vector<Token>& tokens) const {
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const std::size_t at = announced_name_at(tokens, i);
    if (at == 0 || at >= tokens.size() || !tokens[at].capitalized) continue;
    const std::size_t gap = tokens[at - 1].end;
    if (sets_off(text.substr(gap, tokens[at].begin - gap))) continue;
    auto [id, length] = table_.match(tokens, at);
    if (id < 0 || id == first_person_) continue;
    if (tokens[at + length - 1].possessive) continue;
    if (table_.characters[id].is_group) continue;
    return id;
  }
  return kUnknown;
}

// Gives quotation qi of the paragraph to `named`, who names themselves in it: the open
// quotations of the paragraph, or those a pronoun or description tag gave to someone else
// when its gender fits. Returns whether a speaker changed.
bool Sieve::give_to_self_named(QuoteParagraph& qp, std::size_t qi, int named) {
  const int current = qp.speakers[qi];
  if (current == named) return false;
  if (current == kUnknown) {
    fill_paragraph(qp, named, Rule::SelfNamed);
    return true;
  }
  const Gender gender = table_.characters[named].gender;
  for (std::size_t j = 0; j < qp.speakers.size(); ++j) {
    if (qp.speakers[j] != current) continue;
    const Rule rule = qp.rules[j];
    if (rule == Rule::TagName || rule == Rule::Pin || rule == Rule::TagGroup) return false;
    const Gender tag = qp.pronoun_tags[j];
    if (tag != Gender::Unknown && gender != Gender::Unknown && tag != gender) return false;
  }
  for (std::size_t j = 0; j < qp.speakers.size(); ++j)
    if (qp.speakers[j] == current || qp.speakers[j] == kUnknown) {
      qp.speakers[j] = named;
      qp.rules[j] = Rule::SelfNamed;
    }
  return true;
}

namespace {

class SelfNamedPass final : public Pass {
 public:
  std::string_view name() const override { return "self-named"; }
  PassScope scope() const override { return PassScope::Paragraph; }
  bool revises() const override { return true; }
  bool run(Sieve& sieve, ReadingState& /*reading*/,
           std::vector<QuoteParagraph>& paragraphs) const override {
    QuoteParagraph& qp = paragraphs.back();
    bool changed = false;
    for (const auto& s : qp.segments) {
      if (!s.is_quote) continue;
      // Recited or read-out words name someone else ("She only said 'I'm Ada.'").
      std::vector<Token> kept;
      const std::string_view text(qp.p->text);
      const int named =
          sieve.self_named(text.substr(s.begin, s.end - s.begin), sieve.words_said(*qp.p, s, kept));
      if (named == kUnknown) continue;
      const auto qi = static_cast<std::size_t>(s.quote - qp.p->quotes.data());
      changed = sieve.give_to_self_named(qp, qi, named) || changed;
    }
    return changed;
  }
};

}  // namespace

const Pass& self_named_pass() {
  static const SelfNamedPass pass;
  return pass;
}

}  // namespace troupe::sieve
