// tag-revised: in a conversation (quotation paragraphs with no narration paragraph between),
// a pronoun or description tag ("said he") whose gender only one of the conversation's people
// has, and who spoke the turn before, is theirs: the tag pass had passed over them. A "he said"
// opening a conversation, read as the one the next turn's name tag names, is the next likeliest
// of the gender. Trusts name tags, named beats and the vocatives as the conversation's people;
// revises tags (revises()).
#include <algorithm>

#include "attribution/passes/pass.h"
#include "attribution/sieve.h"

namespace troupe::sieve {

// A conversation: quotation paragraphs with no narration paragraph between them (the first
// may follow narration). Its named people are its likely speakers; when one of them alone has
// the gender of a "he said" tag, the tag means them, though they spoke the turn before.
void Sieve::resolve_pronouns_by_participants(std::vector<QuoteParagraph>& qps,
                                             const ReadingState& reading) {
  std::size_t start = 0;
  while (start < qps.size()) {
    std::size_t end = start + 1;
    while (end < qps.size() && !qps[end].after_narration) ++end;
    resolve_in_conversation(qps, start, end, reading);
    start = end;
  }
}

std::vector<int> Sieve::participants(const std::vector<QuoteParagraph>& qps, std::size_t start,
                                     std::size_t end, const ReadingState& reading) const {
  std::vector<int> people;
  auto add = [&](int id) {
    if (id != kUnknown && std::find(people.begin(), people.end(), id) == people.end())
      people.push_back(id);
  };
  // "Mr. Osgood stared at her in disbelief." then "...," said he: the one the narration
  // was about when the conversation began takes part in it.
  if (start < end) add(qps[start].subject_before);
  // "...beside a weary carter, over a bowl of soup.": someone the narration just brought in by
  // the description the cast gives them.
  if (start < end)
    for (int id : qps[start].recent_before)
      if (reading.described.count(id)) add(id);
  for (std::size_t k = start; k < end; ++k) {
    for (std::size_t i = 0; i < qps[k].speakers.size(); ++i)
      if ((is_tag(qps[k].rules[i]) && qps[k].pronoun_tags[i] == Gender::Unknown) ||
          (qps[k].rules[i] == Rule::Beat && qps[k].named_beat))
        add(qps[k].speakers[i]);
    for (int v : qps[k].vocatives) add(v);
  }
  return people;
}

void Sieve::resolve_in_conversation(std::vector<QuoteParagraph>& qps, std::size_t start,
                                    std::size_t end, const ReadingState& reading) {
  auto people = participants(qps, start, end, reading);
  for (std::size_t k = start; k < end; ++k)
    for (std::size_t i = 0; i < qps[k].speakers.size(); ++i) {
      Gender g = qps[k].pronoun_tags[i];
      if (g == Gender::Unknown) continue;
      int only = kUnknown, count = 0;
      for (int id : people)
        if (table_.characters[id].gender == g && id != reader_ && id != first_person_ &&
            !(qps[k].adult_tags[i] && children_.count(id))) {
          only = id;
          ++count;
        }
      if (count != 1 || is_vocative(qps[k], only)) continue;
      // The tag passed over the one who spoke the turn before for someone else of the gender:
      // right, unless nobody else of it takes part. Any other reading of the tag stands.
      if (k == start || only != paragraph_speaker(qps[k - 1])) continue;
      const int was = qps[k].speakers[i];
      // The one the turn before spoke to answers: that reading stands.
      if (k > start && was != kUnknown &&
          (qps[k - 1].addressee == was || is_vocative(qps[k - 1], was)))
        continue;
      // "...Then Mr. Pimlott put down his pipe." closing the turn before: that too.
      if (k > start && i == 0 && was != kUnknown &&
          std::find(qps[k - 1].closing_subjects.begin(), qps[k - 1].closing_subjects.end(), was) !=
              qps[k - 1].closing_subjects.end())
        continue;
      retag(qps[k], i, only);
    }
  if (start + 1 < end) revise_tag_before_named_turn(qps[start], qps[start + 1]);
}

// `He looked at Tom. "Come," said he.` then `"No," said Tom.`: a "he said" opening a
// conversation after narration, read as the very one the next turn names as its speaker, is
// the next likeliest of the gender, when the narration just mentioned them: one does not
// answer oneself. A name tag before it in the paragraph (`"Oh," thought Alice; so she began,`)
// keeps it, and so does a next turn that carries on the same speech (`"And," added Tom,`, or a
// quotation running on from this paragraph): that is the same speaker again.
void Sieve::revise_tag_before_named_turn(QuoteParagraph& qp, const QuoteParagraph& next) const {
  int named = kUnknown;
  bool carries_on = false;
  for (std::size_t j = 0; j < next.speakers.size() && named == kUnknown; ++j)
    if (next.rules[j] == Rule::TagName) {
      named = next.speakers[j];
      carries_on = next.carry_on_tags[j];
    }
  if (!qp.after_narration || named == kUnknown || carries_on || next.continues) return;
  for (std::size_t i = 0; i < qp.speakers.size(); ++i) {
    if (qp.rules[i] == Rule::TagName) return;
    if (qp.rules[i] != Rule::TagPronoun || qp.speakers[i] != named) continue;
    if (resumes_speech_before(qp, i, named)) {
      retag(qp, i, qp.speaker_before);
      continue;
    }
    const int likeliest = qp.next_likeliest[i];
    const auto& recent = qp.recent_before;
    if (likeliest != kUnknown && std::find(recent.begin(), recent.end(), likeliest) != recent.end())
      retag(qp, i, likeliest);
  }
}

// `He paused, and drank. Tom and Bob watched him. "Well," said he.` then `"Go on," said Tom.`:
// the "he" who cannot be `named` is the one who spoke before the narration, taking up their
// speech again, when the tag's gender is theirs and the paragraph opens on the quotation.
// Narration opening it ("When alone with her, she spoke.") moves the scene on from them.
// Neither the narrator ("said I") nor the reader is a "he". speaker_before is the one source:
// the turn before as read then, or by the chapter's first reading (set_exchange); it is
// kUnknown when they went out or a scene break came between. Not recent_before: a teller whose
// long story the chapter passes gave them later is not among its mentions.
bool Sieve::resumes_speech_before(const QuoteParagraph& qp, std::size_t i, int named) const {
  const int before = qp.speaker_before;
  const bool opens_on_quotation = !qp.segments.empty() && qp.segments.front().is_quote;
  return opens_on_quotation && before != kUnknown && before != named && before != first_person_ &&
         before != reader_ && table_.characters[before].gender == qp.pronoun_tags[i];
}

// A tag's quotation takes another speaker, and so do the quotations of the paragraph that took
// their speaker from it.
void Sieve::retag(QuoteParagraph& qp, std::size_t i, int speaker) {
  const int was = qp.speakers[i];
  qp.speakers[i] = speaker;
  // Printed as revised when the conversation changed the tag's reading (or decided it anew).
  if (speaker != was || !is_tag(qp.rules[i])) qp.rules[i] = Rule::TagRevised;
  for (std::size_t j = i + 1; j < qp.speakers.size(); ++j) {
    // Quotations after a tag nobody could resolve at first are still without a speaker.
    const bool untold = was == kUnknown && qp.rules[j] == Rule::None;
    if ((qp.rules[j] != Rule::SameParagraph && !untold) || qp.speakers[j] != was) break;
    qp.speakers[j] = speaker;
    qp.rules[j] = Rule::SameParagraph;
  }
}
namespace {

std::vector<std::vector<int>> speakers_of(const std::vector<QuoteParagraph>& paragraphs) {
  std::vector<std::vector<int>> speakers;
  for (const auto& qp : paragraphs) speakers.push_back(qp.speakers);
  return speakers;
}

class TagRevisionPass final : public Pass {
 public:
  std::string_view name() const override { return "tag-revised"; }
  PassScope scope() const override { return PassScope::Chapter; }
  bool revises() const override { return true; }
  bool run(Sieve& sieve, ReadingState& reading,
           std::vector<QuoteParagraph>& paragraphs) const override {
    const auto before = speakers_of(paragraphs);
    sieve.resolve_pronouns_by_participants(paragraphs, reading);
    return speakers_of(paragraphs) != before;
  }
};

}  // namespace

const Pass& tag_revision_pass() {
  static const TagRevisionPass pass;
  return pass;
}

}  // namespace troupe::sieve
