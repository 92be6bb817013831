// beat, only-name: the subject of a narration sentence around the quotation ("Lexie nodded.")
// speaks it; else the only character the paragraph's narration names (not one its quotations
// address). Reads the paragraph's narration only; resolves its pronouns with no exchange, since
// a beat is about whoever the story is about, the last speaker included. Runs only while the
// paragraph has no speaker; also meets the names of minor characters that open a beat.
#include <algorithm>

#include "attribution/passes/pass.h"
#include "attribution/sieve.h"
#include "attribution/word_lists.h"

namespace troupe::sieve {

// "Goseung shoved her phone...", "Minmin joined in,": a name never met, opening a sentence
// and followed by a verb, is a minor character.
void Sieve::meet_beat_subjects(const QuoteParagraph& qp) {
  for (const auto& s : qp.segments) {
    if (s.is_quote) continue;
    const auto& tokens = tokens_of(*qp.p, s);
    for (std::size_t i = 0; i + 1 < tokens.size(); ++i) {
      if (!(tokens[i].sentence_start || i == 0) || mention_at(tokens, i).kind != Mention::None)
        continue;
      std::string name = unmet_name(tokens, i);
      if (name.empty() || name.find(' ') != std::string::npos) continue;
      if (lower_words_.count(tokens[i].lower)) continue;       // a word the story also writes small
      if (is_plural_of_small_word(tokens[i].lower)) continue;  // "Hands reached out": a noun
      const std::string& next = tokens[i + 1].lower;
      bool verb =
          is_action_verb(next) || is_speech_verb(next) || (next.size() > 3 && next.ends_with("ed"));
      if (verb) add_minor_character(name);
    }
  }
}

// Subject of the narration sentence nearest to the first quotation: an action beat.
int Sieve::beat_speaker(QuoteParagraph& qp, Rule* rule, const Exchange& exchange,
                        ReadingState& reading) const {
  int best = kUnknown;
  Salience local;
  bool before_first_quote = true;
  for (const auto& s : qp.segments) {
    if (s.is_quote) {
      before_first_quote = false;
      continue;
    }
    const auto& tokens = tokens_of(*qp.p, s);
    bool sentence_has_subject = false;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      if (tokens[i].sentence_start || i == 0) sentence_has_subject = false;
      // A sentence's subject: its first word, or the first clause that has one ("At this,
      // her eyes snapped up").
      bool clause_start = tokens[i].sentence_start || i == 0 || tokens[i].clause_break_before;
      if (!clause_start || sentence_has_subject) continue;
      Mention m = beat_subject(tokens, i);
      // "Now he did turn around", "Then she laughed": an adverb before the subject.
      if (m.kind == Mention::None && skippable_between(tokens[i]) && i + 1 < tokens.size() &&
          !tokens[i + 1].clause_break_before) {
        m = beat_subject(tokens, i + 1);
        if (m.kind == Mention::Noun) m = Mention{};
      }
      if (m.kind == Mention::None) continue;
      sentence_has_subject = true;
      int id = resolve_mention(m, local, exchange, reading);
      // "Mira stood still. Her partner drew near, and said,": the sentence nearest the
      // quotation is about someone else, whom a noun does not tell.
      if (m.kind == Mention::Noun) id = best = kUnknown;
      if (id != kUnknown && !is_vocative(qp, id)) {
        best = id;
        qp.named_beat = m.kind == Mention::Name;
        if (!before_first_quote) {
          *rule = Rule::Beat;
          return best;
        }
      }
      if (m.kind == Mention::Name) local.push_back({m.id, true});
    }
    if (before_first_quote) add_salient(tokens, local, exchange, reading);
    if (!before_first_quote && best != kUnknown) break;
  }
  if (best != kUnknown) {
    *rule = Rule::Beat;
    return best;
  }
  // The only character named in the narration.
  std::vector<int> named;
  for (int id : qp.narration_subjects)
    if (!is_vocative(qp, id) && std::find(named.begin(), named.end(), id) == named.end())
      named.push_back(id);
  if (named.size() == 1) {
    *rule = Rule::OnlyName;
    return named[0];
  }
  return kUnknown;
}
namespace {

class BeatPass final : public Pass {
 public:
  std::string_view name() const override { return "beat"; }
  PassScope scope() const override { return PassScope::Paragraph; }
  bool run(Sieve& sieve, ReadingState& reading,
           std::vector<QuoteParagraph>& paragraphs) const override {
    QuoteParagraph& qp = paragraphs.back();
    if (sieve.paragraph_speaker(qp) != kUnknown) return false;
    sieve.meet_beat_subjects(qp);
    // A beat's pronoun is whoever the narration is about, the last speaker included: the
    // exchange's other party is passed over only when resolving speech tags.
    Rule rule = Rule::None;
    const int beat = sieve.beat_speaker(qp, &rule, Exchange{}, reading);
    if (beat == kUnknown) return false;
    sieve.fill_paragraph(qp, beat, rule);
    return true;
  }
};

}  // namespace

const Pass& beat_pass() {
  static const BeatPass pass;
  return pass;
}

}  // namespace troupe::sieve
