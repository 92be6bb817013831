// Archive of Our Own downloads, HTML and EPUB (AO3's app/views/downloads templates; the EPUB is
// calibre's conversion of the HTML, split into files at the headings, its classes renamed
// "userstuff1" ...). The layout:
//
//   <div id="preface">  title (h1), byline, <dl class="tags"> (dt "Fandom:", dd tag links ...),
//                       "Summary" + <blockquote class="userstuff">, "Notes" + blockquote
//   <div id="chapters" class="userstuff">
//     per chapter: <div class="meta group"> <h2 class="heading">Chapter 1: Title</h2>, chapter
//                  summary and notes </div>  <div class="userstuff"> the text </div>
//                  <div class="meta" id="endnotes1"> chapter end notes </div>
//     (a one-chapter work: a bare <div class="userstuff">)
//   <div id="afterword"> the work's end notes, "Please drop by the Archive and comment" </div>
//
// The chapters are read; the preface, summaries, notes and end notes are Skipped paragraphs
// (Text with --read-notes), the boilerplate lines always Skipped.
#pragma once

#include <libxml/tree.h>

#include <string>
#include <vector>

#include "text/reader.h"
#include "text/story.h"

namespace troupe {

// Whether a parsed page is an AO3 download (or the first part of one): a #preface holding the
// tags list, or the "Posted originally on the Archive of Our Own" line.
bool is_ao3_download(const xmlDoc* doc);

struct Ao3Document {
  const xmlDoc* doc = nullptr;
  // The document's name inside an EPUB, where a paragraph's line is its block's index; empty
  // for an HTML file, where it is the line of the file.
  std::string source;
};

// The story of an AO3 download's documents, in reading order: chapters and metadata (title,
// author, fandom, series, language, characters). `path` names the file; `fallback_title`
// titles a one-chapter work whose preface has no title. Quotations are not found here.
Story read_ao3(const std::vector<Ao3Document>& documents, const std::string& path,
               const std::string& fallback_title, const ReadOptions& options);

}  // namespace troupe
