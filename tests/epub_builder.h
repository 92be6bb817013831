// Building EPUB files for the tests, with libzip: a package document, a navigation document
// (EPUB 3) or an NCX (EPUB 2), content documents, and whatever broken or hostile variant a
// test needs.
#pragma once

#include <doctest/doctest.h>
#include <libxml/entities.h>
#include <libxml/xmlmemory.h>
#include <zip.h>

#include <string>
#include <utility>
#include <vector>

namespace troupe_test {

struct ZipEntry {
  std::string name, bytes;
  bool stored = false;  // no compression (EPUB's mimetype)
};

// Writes the entries into a new ZIP archive at `path`.
inline void write_zip(const std::string& path, const std::vector<ZipEntry>& entries) {
  int error = 0;
  zip_t* archive = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  REQUIRE(archive != nullptr);
  for (const ZipEntry& e : entries) {
    zip_source_t* source = zip_source_buffer(archive, e.bytes.data(), e.bytes.size(), 0);
    REQUIRE(source != nullptr);
    const zip_int64_t index = zip_file_add(archive, e.name.c_str(), source, ZIP_FL_ENC_UTF_8);
    REQUIRE(index >= 0);
    if (e.stored)
      zip_set_file_compression(archive, static_cast<zip_uint64_t>(index), ZIP_CM_STORE, 0);
  }
  REQUIRE(zip_close(archive) == 0);
}

// Text for XML: & < > " (and a carriage return) escaped, by libxml2.
inline std::string xml_escaped(const std::string& text) {
  xmlChar* escaped = xmlEncodeSpecialChars(nullptr, reinterpret_cast<const xmlChar*>(text.c_str()));
  REQUIRE(escaped != nullptr);
  std::string out(reinterpret_cast<const char*>(escaped));
  xmlFree(escaped);
  return out;
}

// An XHTML content document around `body` (markup), its <body> of the given epub:type.
inline std::string xhtml(const std::string& title, const std::string& body,
                         const std::string& body_type = "") {
  return "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<!DOCTYPE html>\n"
         "<html xmlns=\"http://www.w3.org/1999/xhtml\" "
         "xmlns:epub=\"http://www.idpf.org/2007/ops\">\n<head><title>" +
         xml_escaped(title) + "</title></head>\n<body" +
         (body_type.empty() ? "" : " epub:type=\"" + body_type + "\"") + ">\n" + body +
         "\n</body>\n</html>\n";
}

// Each line of a text as a paragraph of XHTML.
inline std::string paragraphs_of(const std::string& text) {
  std::string body;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") != std::string::npos)
      body += "<p>" + xml_escaped(line) + "</p>\n";
    start = end + 1;
  }
  return body;
}

// A content document of the book: its file name (under OEBPS/), its XHTML, whether it is
// in the spine, its title in the table of contents ("" for none).
struct EpubDocument {
  std::string name, content;
  std::string toc_title;
  std::string properties = {};  // manifest properties ("nav" ...)
  bool linear = true;
};

struct EpubBook {
  int version = 3;  // 3: a navigation document; 2: an NCX and no nav
  std::string title = "A Test Book", author = "Ann Writer", language = "en";
  std::string series, series_index;
  std::string cover_png;  // bytes of the cover image, or ""
  std::vector<EpubDocument> documents;
  std::vector<std::pair<std::string, std::string>> guide;  // EPUB 2: type, document
  std::vector<ZipEntry> extra;                             // more entries (encryption.xml ...)

  std::string package() const {
    std::string opf =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<package "
        "xmlns=\"http://www.idpf.org/2007/opf\" version=\"" +
        std::string(version == 3 ? "3.0" : "2.0") +
        "\" unique-identifier=\"id\">\n<metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
        "xmlns:opf=\"http://www.idpf.org/2007/opf\">\n"
        "<dc:identifier id=\"id\">urn:test:1</dc:identifier>\n<dc:title>" +
        xml_escaped(title) + "</dc:title>\n<dc:creator opf:role=\"aut\">" + xml_escaped(author) +
        "</dc:creator>\n<dc:language>" + language + "</dc:language>\n";
    if (!series.empty() && version == 3)
      opf += "<meta property=\"belongs-to-collection\" id=\"c1\">" + xml_escaped(series) +
             "</meta>\n<meta refines=\"#c1\" property=\"group-position\">" + series_index +
             "</meta>\n";
    if (!series.empty() && version == 2)
      opf += "<meta name=\"calibre:series\" content=\"" + xml_escaped(series) +
             "\"/>\n<meta name=\"calibre:series_index\" content=\"" + series_index + "\"/>\n";
    if (!cover_png.empty() && version == 2)
      opf += "<meta name=\"cover\" content=\"cover-image\"/>\n";
    opf += "</metadata>\n<manifest>\n";
    if (version == 3)
      opf +=
          "<item id=\"nav\" href=\"nav.xhtml\" media-type=\"application/xhtml+xml\" "
          "properties=\"nav\"/>\n";
    else
      opf += "<item id=\"ncx\" href=\"toc.ncx\" media-type=\"application/x-dtbncx+xml\"/>\n";
    if (!cover_png.empty())
      opf += std::string("<item id=\"cover-image\" href=\"cover.png\" media-type=\"image/png\"") +
             (version == 3 ? " properties=\"cover-image\"" : "") + "/>\n";
    for (std::size_t i = 0; i < documents.size(); ++i)
      opf += "<item id=\"d" + std::to_string(i) + "\" href=\"" + documents[i].name +
             "\" media-type=\"application/xhtml+xml\"/>\n";
    opf += std::string("</manifest>\n<spine") + (version == 2 ? " toc=\"ncx\"" : "") + ">\n";
    for (std::size_t i = 0; i < documents.size(); ++i)
      opf += "<itemref idref=\"d" + std::to_string(i) + "\"" +
             (documents[i].linear ? "" : " linear=\"no\"") + "/>\n";
    opf += "</spine>\n";
    if (!guide.empty()) {
      opf += "<guide>\n";
      for (const auto& [type, name] : guide)
        opf += "<reference type=\"" + type + "\" href=\"" + name + "\" title=\"" + type + "\"/>\n";
      opf += "</guide>\n";
    }
    return opf + "</package>\n";
  }

  std::string nav() const {
    std::string list;
    for (const auto& d : documents)
      if (!d.toc_title.empty())
        list += "<li><a href=\"" + d.name + "\">" + xml_escaped(d.toc_title) + "</a></li>\n";
    return xhtml("Contents",
                 "<nav epub:type=\"toc\"><h1>Contents</h1><ol>\n" + list + "</ol></nav>");
  }

  std::string ncx() const {
    std::string points;
    int order = 0;
    for (const auto& d : documents)
      if (!d.toc_title.empty()) {
        ++order;
        points += "<navPoint id=\"p" + std::to_string(order) + "\" playOrder=\"" +
                  std::to_string(order) + "\"><navLabel><text>" + xml_escaped(d.toc_title) +
                  "</text></navLabel><content src=\"" + d.name + "\"/></navPoint>\n";
      }
    return "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<ncx "
           "xmlns=\"http://www.daisy.org/z3986/2005/ncx/\" version=\"2005-1\">\n"
           "<head/><docTitle><text>" +
           xml_escaped(title) + "</text></docTitle>\n<navMap>\n" + points + "</navMap>\n</ncx>\n";
  }

  static std::string container() {
    return "<?xml version=\"1.0\"?>\n<container version=\"1.0\" "
           "xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">\n"
           "<rootfiles><rootfile full-path=\"OEBPS/content.opf\" "
           "media-type=\"application/oebps-package+xml\"/></rootfiles>\n"
           "</container>\n";
  }

  std::vector<ZipEntry> entries() const {
    std::vector<ZipEntry> out = {{"mimetype", "application/epub+zip", true},
                                 {"META-INF/container.xml", container()},
                                 {"OEBPS/content.opf", package()}};
    out.push_back(version == 3 ? ZipEntry{"OEBPS/nav.xhtml", nav()}
                               : ZipEntry{"OEBPS/toc.ncx", ncx()});
    if (!cover_png.empty()) out.push_back({"OEBPS/cover.png", cover_png});
    for (const auto& d : documents) out.push_back({"OEBPS/" + d.name, d.content});
    for (const auto& e : extra) out.push_back(e);
    return out;
  }

  void write(const std::string& path) const { write_zip(path, entries()); }
};

// A 1x1 PNG, for covers.
inline std::string tiny_png() {
  static const unsigned char kPng[] = {
      0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48,
      0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00,
      0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78,
      0x9C, 0x63, 0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00,
      0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82};
  return std::string(reinterpret_cast<const char*>(kPng), sizeof kPng);
}

// The book most tests start from: a cover page, a copyright page and chapters, with their
// titles in the table of contents.
inline EpubBook book_with_chapters(const std::vector<std::pair<std::string, std::string>>& chapters,
                                   int version = 3) {
  EpubBook book;
  book.version = version;
  book.cover_png = tiny_png();
  book.documents.push_back(
      {"cover.xhtml",
       xhtml("Cover", "<div><img src=\"cover.png\" alt=\"The cover of the book\"/></div>",
             version == 3 ? "cover" : ""),
       ""});
  book.documents.push_back(
      {"copyright.xhtml",
       xhtml("Copyright", "<p>Copyright © 2024 Ann Writer.</p>\n<p>All rights reserved.</p>"), ""});
  for (std::size_t i = 0; i < chapters.size(); ++i)
    book.documents.push_back({"chapter" + std::to_string(i + 1) + ".xhtml",
                              xhtml(chapters[i].first, "<h1>" + xml_escaped(chapters[i].first) +
                                                           "</h1>\n" + chapters[i].second),
                              chapters[i].first});
  if (version == 2) book.guide = {{"cover", "cover.xhtml"}, {"copyright-page", "copyright.xhtml"}};
  return book;
}

}  // namespace troupe_test
