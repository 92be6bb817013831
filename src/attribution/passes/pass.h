// The sieve's passes: one interface, one pass per file in this folder, and their order (in
// order.cpp). A pass decides the speakers of quotations still open; one that may change an
// earlier decision says so (revises()), and the quotations it changes are printed as
// `tag-revised`.
#pragma once

#include <string_view>
#include <vector>

#include "attribution/sieve.h"

namespace troupe::sieve {

// When a pass runs: on each quotation paragraph as the chapter is read in order (the last of
// the paragraphs it is given, with the exchange the reading has reached), or over the whole
// chapter once it has been read.
enum class PassScope { Paragraph, Chapter };

class Pass {
 public:
  virtual ~Pass() = default;
  // The pass as the README's rule table names it: "tag", "beat", "turn" ...
  virtual std::string_view name() const = 0;
  virtual PassScope scope() const = 0;
  // Whether it may change a speaker an earlier pass decided.
  virtual bool revises() const { return false; }
  // Decides what it can in `paragraphs` (a Paragraph pass: in the last of them), with the
  // story as `reading` has read it so far (the narration it reads adds to it); returns whether
  // any speaker changed.
  virtual bool run(Sieve& sieve, ReadingState& reading,
                   std::vector<QuoteParagraph>& paragraphs) const = 0;
};

// Passes run together, again and again while any of them changes a speaker, at most `rounds`
// times: turn-taking forwards and backwards feed each other.
struct Stage {
  std::vector<const Pass*> passes;
  int rounds = 1;
};

// The sieve's order: the paragraph passes, most certain first, then the chapter's stages.
struct PassOrder {
  std::vector<const Pass*> paragraph;
  std::vector<Stage> chapter;
};

// The order troupe attributes with (order.cpp).
const PassOrder& sieve_order();

// Each pass, one per file.
const Pass& tag_pass();             // tag.cpp: tag-name, tag-pronoun, tag-description, tag-group
const Pass& pin_pass();             // pin.cpp: pin
const Pass& same_paragraph_pass();  // same_paragraph.cpp: same-paragraph
const Pass& self_named_pass();      // self_named.cpp: self-named
const Pass& call_sign_pass();       // call_sign.cpp: call-sign
const Pass& continued_pass();       // continued.cpp: continued
const Pass& intro_pass();           // intro.cpp: intro
const Pass& beat_pass();            // beat.cpp: beat, only-name
const Pass& tag_revision_pass();    // tag_revision.cpp: tag-revised
const Pass& address_term_pass();    // address_term.cpp: address-term
const Pass& answered_pass();        // answered.cpp: vocative-back, before the turns
const Pass& turns_pass();           // turns.cpp: continued, addressee, vocative, turn
const Pass& turns_back_pass();      // turns_back.cpp: turn-back, vocative-back, vocative-reply
const Pass& other_party_after_firm_pass();  // other_party.cpp: turn-other, after a firm speaker
const Pass& other_party_pass();             // other_party.cpp: turn-other
const Pass& guess_pass();                   // guess.cpp: guess, extra
const Pass& turn_ahead_pass();              // turn_ahead.cpp: turn-back, further ahead

// turns.cpp: whether a quotation paragraph opens with narration that moves the story on: a long
// stretch, its narration (tags included) naming its `speaker` and leaving out `earlier`, after
// which A, B, A no longer holds.
bool moves_on_without(const QuoteParagraph& qp, int speaker, int earlier);

}  // namespace troupe::sieve
