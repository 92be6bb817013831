// The sieve's order, in one place. While a chapter is read, each quotation paragraph goes
// through the paragraph passes: its tags, pins and their spread first, then a speaker naming
// themselves ("I'm Bea."), then (only while the paragraph has no speaker) a radio call naming its
// caller ("Beacon, Dispatch."), a continuation, an introducing paragraph, a beat. Once the chapter
// is read, the conversation passes fill what is still open: the tag revision, the address words one
// speaker uses ("unnie"), then turn-taking in rounds, with the other party of a scene brought in
// first after a firm speaker only, then after anyone, and a guess; last, a weak turn chain
// re-decided by the speaker the text names further on in its turns. The sieve reads every
// chapter twice (sieve.cpp): the second reading resolves "he said" knowing who spoke the turns
// around it in the first.
#include "attribution/passes/pass.h"

namespace troupe::sieve {

const PassOrder& sieve_order() {
  static const PassOrder order{
      {&tag_pass(), &pin_pass(), &same_paragraph_pass(), &self_named_pass(), &call_sign_pass(),
       &continued_pass(), &intro_pass(), &beat_pass()},
      {
          {{&tag_revision_pass()}, 1},
          {{&address_term_pass()}, 1},
          {{&answered_pass()}, 1},
          {{&turns_pass()}, 4},
          {{&other_party_after_firm_pass()}, 1},
          {{&turns_pass(), &turns_back_pass()}, 4},
          {{&other_party_pass()}, 1},
          {{&turns_pass(), &turns_back_pass()}, 4},
          {{&guess_pass()}, 1},
          {{&turn_ahead_pass()}, 1},
      }};
  return order;
}

}  // namespace troupe::sieve
