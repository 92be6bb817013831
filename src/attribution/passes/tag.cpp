// tag (tag-name, tag-pronoun, tag-description, tag-group): a speech tag beside a quotation
// decides its speaker. Reads the narration after each quotation ("said Emma"), else before it
// ("Emma said," / "he whispered:"), a tag shared by two quotations, and a clause running into one;
// resolves a pronoun or description with the exchange the paragraph is read in (the other party
// is passed over, the one just called answers). Trusts nothing decided before it: it runs first,
// and also finds whom the paragraph's speaker talks to ("said he to his wife") for later passes.
#include <algorithm>

#include "attribution/passes/pass.h"
#include "attribution/sieve.h"
#include "attribution/word_lists.h"

namespace troupe::sieve {

namespace {
// `Giles said, "Stop." Ned muttered something and left.`: after a quotation that ends its
// sentence, narration opening a new one with its subject first is a beat of narration, not the
// quotation's tag, when a speech tag in the sentence before introduces the quotation; an
// inverted tag (`"Stop." said Ned.`) stays a tag.
bool narration_after_sentence(const QuoteParagraph& qp, std::size_t k, const Tag& after) {
  if (after.verb <= after.subject) return false;  // "said Ned", not "Ned said"
  std::string_view words =
      std::string_view(qp.p->text)
          .substr(qp.segments[k].begin, qp.segments[k].end - qp.segments[k].begin);
  while (!words.empty() && words.back() == ' ') words.remove_suffix(1);
  return !words.empty() && (words.back() == '.' || words.back() == '!' || words.back() == '?');
}

// The speech tag introducing the quotation at segment k in the sentence before it ("Giles
// said,", "she whispered:"): a name or pronoun as the subject of a speech verb; none otherwise.
Tag speech_tag_before(const Sieve& sieve, const QuoteParagraph& qp, std::size_t k,
                      const Salience& local, const ReadingState& reading) {
  const auto& segs = qp.segments;
  if (k == 0 || segs[k - 1].is_quote || !sieve.leads_into_quote(*qp.p, segs[k - 1])) return {};
  const auto& tokens = sieve.tokens_of(*qp.p, segs[k - 1]);
  Tag before = sieve.tag_before(tokens, local, qp.exchange, reading);
  if (!before.found || !before.firm || before.verb >= tokens.size() ||
      !is_speech_verb(tokens[before.verb].lower))
    return {};
  return before;
}

}  // namespace

// The tags of a paragraph's quotations, in order: each quotation's own, before or after it, or
// the one it shares with the quotation before.
void Sieve::find_tags(QuoteParagraph& qp, ReadingState& reading) {
  Salience local;
  const auto& segs = qp.segments;
  int quote_index = 0;
  // The narration segment that gave the previous quotation its tag after it, and where the
  // verb stood: `"A," said X, and Y answered, "B."` gives B a tag of its own only past it.
  std::size_t previous_tag_segment = segs.size(), previous_tag_end = 0;
  for (std::size_t k = 0; k < segs.size(); ++k) {
    if (!segs[k].is_quote) continue;
    if (k > 0 && !segs[k - 1].is_quote) add_lead_in(qp, segs[k - 1], local, reading);
    bool tag_is_after = false;
    Tag tag = tag_of_quote(qp, k, quote_index, local, reading, previous_tag_segment,
                           previous_tag_end, &tag_is_after);
    record_tag(qp, quote_index, tag);
    previous_tag_segment = tag_is_after && tag.speaker != kUnknown ? k + 1 : segs.size();
    qp.closing_tag = tag_is_after && k + 2 == segs.size();
    previous_tag_end = std::max(tag.verb, tag.subject);
    ++quote_index;
  }
  find_addressee(qp, local, qp.exchange.parties(), reading);
}

// `For a while he could think of nothing. Then he said,`: the narration's sentences before the
// one leading into the quotation are about whoever the story is about, the last speaker
// included; only the tag's own sentence passes over the other party.
void Sieve::add_lead_in(const QuoteParagraph& qp, const Segment& lead_in, Salience& local,
                        ReadingState& reading) const {
  const auto& lead = tokens_of(*qp.p, lead_in);
  std::size_t last = 0;
  for (std::size_t t = 0; t < lead.size(); ++t)
    if (lead[t].sentence_start) last = t;
  // `He sat down on the bench. "A," he said.`: narration that ends before the quotation is no
  // tag of it; its "he" goes on with whoever the story is about, the last speaker included.
  if (!leads_into_quote(*qp.p, lead_in)) last = lead.size();
  add_salient(std::vector<Token>(lead.begin(), lead.begin() + last), local,
              qp.exchange.without_parties(), reading);
  add_salient(std::vector<Token>(lead.begin() + last, lead.end()), local, qp.exchange, reading);
}

// The tag of the quotation at segment k: after it, before it, or none where the narration
// before it was the previous quotation's tag. `is_after`: the tag follows the quotation.
Tag Sieve::tag_of_quote(const QuoteParagraph& qp, std::size_t k, int quote_index,
                        const Salience& local, const ReadingState& reading,
                        std::size_t previous_tag_segment, std::size_t previous_tag_end,
                        bool* is_after) {
  const auto& segs = qp.segments;
  Tag tag;
  bool& tag_is_after = *is_after;
  tag_is_after = false;
  if (k + 1 < segs.size() && !segs[k + 1].is_quote) {
    tag = tag_after(tokens_of(*qp.p, segs[k + 1]), local, qp.exchange, reading);
    tag_is_after = tag.found;
  }
  // `when Mr. Pimlott said, "A," she answered, "B."`: the tag after A leads into B and is
  // B's; A has its own before it, naming its speaker.
  if (tag_is_after && k > 0 && !segs[k - 1].is_quote && k + 2 < segs.size() &&
      segs[k + 2].is_quote && previous_tag_segment != k - 1 &&
      leads_into_quote(*qp.p, segs[k - 1]) && leads_into_quote(*qp.p, segs[k + 1])) {
    const auto& tokens = tokens_of(*qp.p, segs[k - 1]);
    Tag before = tag_before(tokens, local, qp.exchange, reading);
    const bool named = before.found && before.pronoun == Gender::Unknown;
    if (named && before.verb < tokens.size() && is_speech_verb(tokens[before.verb].lower)) {
      tag = before;
      tag_is_after = false;
    }
  }
  if (tag_is_after && narration_after_sentence(qp, k, tag))
    if (Tag before = speech_tag_before(*this, qp, k, local, reading); before.found) {
      tag = before;
      tag_is_after = false;
    }
  if (!tag.found && k > 0 && !segs[k - 1].is_quote && leads_into_quote(*qp.p, segs[k - 1])) {
    // `"A," she said. "B."`: the narration between was the tag of A; B shares it, unless
    // a second sentence or a second speech verb there is B's own tag.
    const auto& tokens = tokens_of(*qp.p, segs[k - 1]);
    Tag before = tag_before(tokens, local, qp.exchange, reading);
    const bool tag_of_previous =
        previous_tag_segment == k - 1 && !has_second_sentence(tokens) &&
        !(before.found && before.verb > previous_tag_end && before.subject > previous_tag_end);
    // `"A," said the Duchess; and, facing Maud, she carried on, "B."`: a pronoun in the
    // sentence of A's tag is A's speaker when the gender fits.
    if (!tag_of_previous && previous_tag_segment == k - 1 && !has_second_sentence(tokens) &&
        before.found && before.pronoun != Gender::Unknown && quote_index > 0) {
      const int previous = qp.speakers[quote_index - 1];
      if (previous != kUnknown && table_.characters[previous].gender == before.pronoun)
        before.speaker = previous;
    }
    if (!tag_of_previous) tag = before;
  }
  if (!tag.found && k > 0 && !segs[k - 1].is_quote && leads_into_quote(*qp.p, segs[k - 1]))
    tag = collective_lead_in(tokens_of(*qp.p, segs[k - 1]), reading);
  return tag;
}

// The tag's speaker (a group, a name met for the first time, an extra) and what it tells of
// the quotation: its speaker, how it is said, and what later passes may revise.
void Sieve::record_tag(QuoteParagraph& qp, int quote_index, Tag& tag) {
  if (!tag.group.empty()) tag.speaker = add_group(tag.group);
  if (!tag.new_name.empty()) tag.speaker = add_minor_character(tag.new_name);
  if (!tag.extra.empty() && tag.speaker == kUnknown)
    tag.speaker = tag.passing ? add_passerby(tag.extra) : add_minor_character(tag.extra);
  if (tag.found && tag.speaker != kUnknown) {
    qp.speakers[quote_index] = tag.speaker;
    qp.rules[quote_index] = tag.rule;
  }
  qp.pronoun_tags[quote_index] = tag.pronoun;
  qp.firm_tags[quote_index] = tag.found && tag.firm;
  qp.next_likeliest[quote_index] = tag.next_likeliest;
  qp.carry_on_tags[quote_index] = tag.found && tag.carries_on;
  qp.adult_tags[quote_index] = tag.adult;
  if (!tag.extra.empty() && qp.extra.empty()) qp.extra = tag.extra;
  qp.descriptions[quote_index] = tag.description;
  if (tag.found) qp.deliveries[quote_index] = tag.delivery;
}

// "said Mr. Pimlott to his sister", "said he, facing Ottoline": who the speaker talks to.
void Sieve::find_addressee(QuoteParagraph& qp, const Salience& local, const Exchange& exchange,
                           const ReadingState& reading) const {
  const int speaker = paragraph_speaker(qp);
  for (const auto& seg : qp.segments) {
    if (seg.is_quote) continue;
    const auto& tokens = tokens_of(*qp.p, seg);
    for (std::size_t i = 1; i + 1 < tokens.size(); ++i) {
      if (tokens[i].lower != "to") continue;
      bool after_speaking = false;
      for (std::size_t j = i; j-- > 0 && i - j <= 6;)
        if (is_speech_verb(tokens[j].lower) || tokens[j].lower == "turning" ||
            tokens[j].lower == "turned" || tokens[j].lower == "addressing")
          after_speaking = true;
      if (!after_speaking) continue;
      Mention m = mention_at(tokens, i + 1);
      int id = m.kind == Mention::Name   ? m.id
               : m.kind == Mention::Noun ? kin_of(m, local, exchange, reading)
                                         : kUnknown;
      if (id != kUnknown && id != speaker) {
        qp.addressee = id;
        return;
      }
    }
  }
}

// The narration closing a paragraph, past the last quotation's tag when it opens it: `"No,"
// said Mr. Giles. He sat down.` names who spoke, not whom the story goes on with. A tag before
// the quotation (`Giles said, "Stop." Ned left.`) leaves the closing narration whole.
std::size_t Sieve::past_closing_tag(const QuoteParagraph& qp) const {
  if (!qp.closing_tag || qp.rules.empty() || !is_tag(qp.rules.back()) ||
      qp.pronoun_tags.back() != Gender::Unknown)
    return 0;
  const auto& tokens = tokens_of(*qp.p, qp.segments.back());
  std::size_t end = 1;
  bool speech = !tokens.empty() && is_speech_verb(tokens[0].lower);
  for (; end < tokens.size() && !tokens[end].sentence_start; ++end)
    speech = speech || is_speech_verb(tokens[end].lower);
  return speech ? end : 0;
}

namespace {

class TagPass final : public Pass {
 public:
  std::string_view name() const override { return "tag"; }
  PassScope scope() const override { return PassScope::Paragraph; }
  bool run(Sieve& sieve, ReadingState& reading,
           std::vector<QuoteParagraph>& paragraphs) const override {
    QuoteParagraph& qp = paragraphs.back();
    sieve.find_tags(qp, reading);
    return sieve.paragraph_speaker(qp) != kUnknown;
  }
};

}  // namespace

const Pass& tag_pass() {
  static const TagPass pass;
  return pass;
}

}  // namespace troupe::sieve
