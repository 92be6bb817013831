// Finding quotations in paragraphs: double quotes straight or curly, single quotes when a text
// uses them for dialogue, quotations interrupted by tags and running over paragraphs.
#pragma once

#include <vector>

#include "text/story.h"

namespace troupe {

enum class QuoteStyle { Double, Single };

// Double quotes unless the story marks dialogue with single quotes (‘…’ or '…').
QuoteStyle detect_quote_style(const Story& story);

// Fills Paragraph::quotes for every text paragraph of the story.
void find_quotes(Story& story);

// The quotations of one paragraph. `open_before` says whether the previous paragraph ended
// inside a quotation (then a quotation opening this paragraph continues it).
std::vector<Quote> quotes_in(const Paragraph& paragraph, QuoteStyle style, bool open_before);

}  // namespace troupe
