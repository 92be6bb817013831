// Finding quotations in paragraphs: double quotes straight or curly, single quotes when a text
// uses them for dialogue, guillemets (French «…» and German »…«, and ‹…›), German „…“, and
// dialogue paragraphs opening with a dash (— Hello, — she said.); quotations interrupted by tags
// and running over paragraphs.
#pragma once

#include <vector>

#include "text/story.h"

namespace troupe {

enum class QuoteStyle {
  Double,      // "…" and “…”; ‘…’ or '…' nested
  Single,      // ‘…’ or '…'; “…” nested
  Guillemets,  // «…» (French order, spaces inside or not); ‹…› and “…” nested
  GuillemetsReversed,  // »…« (German order); ›…‹ and ‚…‘ nested
  SingleGuillemets,    // ‹…›
  German,              // „…“ (or „…”); ‚…‘ nested
  Dash,  // a paragraph opening with a dash (— or ―, or –) is spoken, up to a dash
         // after punctuation ("— Hello, — she said.") or before a word ("—Hola
         // —dijo"); a further dash after the narration resumes the speech
};

// The style most of the story's dialogue is marked in: double quotes unless another style's
// marks clearly outnumber them (single quotes, guillemets, „…“, dash paragraphs).
QuoteStyle detect_quote_style(const Story& story);

// Fills Paragraph::quotes for every text paragraph of the story.
void find_quotes(Story& story);

// The quotations of one paragraph. `open_before` says whether the previous paragraph ended
// inside a quotation (then a quotation opening this paragraph continues it).
std::vector<Quote> quotes_in(const Paragraph& paragraph, QuoteStyle style, bool open_before);

}  // namespace troupe
