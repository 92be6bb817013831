// An EPUB's package: META-INF/container.xml names the package document (OPF), which gives the
// metadata, the manifest, the spine (reading order) and, through the navigation document
// (EPUB 3) or the NCX (EPUB 2), the table of contents and the landmarks (or EPUB 2's guide).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "text/story.h"

namespace troupe {

class EpubArchive;

struct SpineItem {
  std::string href;        // archive name of the content document
  std::string media_type;  // "application/xhtml+xml" ...
  bool linear = true;      // linear="no": outside the reading order (notes, a cover ...)
};

// One entry of the table of contents.
struct TocEntry {
  std::string href;      // archive name of the document
  std::string fragment;  // the id it points at inside the document, or ""
  std::string title;
  int depth = 0;  // 0 at the top level
};

struct EpubPackage {
  std::string opf;  // archive name of the package document
  StoryMetadata metadata;
  std::string cover_href;  // archive name of the cover image, or ""
  std::string nav_href;    // archive name of the EPUB 3 navigation document, or ""
  std::vector<SpineItem> spine;
  std::vector<TocEntry> toc;
  // Document -> its kind from the landmarks or the guide ("cover", "toc", "copyright-page" ...).
  std::map<std::string, std::string> landmarks;
};

// Reads container.xml, the package document and its navigation; checks META-INF/encryption.xml.
// Throws InputError "FILE: ENTRY: what" when there is no package document, the spine is
// empty, or a content document is encrypted (font obfuscation is allowed).
EpubPackage read_package(const EpubArchive& archive);

}  // namespace troupe
