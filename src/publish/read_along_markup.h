// What the read-along EPUB and page share: the chapters' text as XHTML markup (valid HTML
// too), and the speakers' colours as CSS.
#pragma once

#include <string>

#include "publish/read_along.h"

namespace troupe {

// text with &, <, > and " escaped for XML and HTML.
std::string xml_escape(const std::string& text);

// The chapter's blocks: <h1> headings (the chapter's title when the script has none), <p>
// paragraphs and <hr class="scene-break"/>, each span in
// <span id="ID" class="SPEAKER">text</span>; with words, each word of a span in its own
// <span id="IDwN">; link: each span also a link target for the page (data-start).
std::string chapter_markup(const ReadAlongChapter& chapter, bool words, bool page);

// For every speaker: `.SPEAKER.ACTIVE, .SPEAKER .ACTIVE { background-color: COLOUR }`.
std::string speaker_css(const ReadAlongBook& book, const std::string& active_class);

// "0:01:02.345": a SMIL clock value, to the millisecond.
std::string clock_value(double seconds);

}  // namespace troupe
