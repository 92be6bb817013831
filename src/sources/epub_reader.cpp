#include "sources/epub_reader.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>

#include "common/ascii.h"
#include "sources/ao3_layout.h"
#include "sources/block_book.h"
#include "sources/epub_archive.h"
#include "sources/epub_package.h"
#include "sources/xhtml_text.h"
#include "sources/xml_tree.h"
#include "text/quotes.h"

namespace troupe {
namespace {

constexpr int kMaxCopyrightWords = 400;  // a copyright page is short
constexpr int kMaxTitlePageWords = 60;   // and a title page shorter still
constexpr std::uint64_t kMaxCoverBytes = 32ull << 20;

// epub:type / role tokens (and EPUB 2 guide types) of documents that are not story.
bool is_matter_type(std::string type) {
  if (type.rfind("doc-", 0) == 0) type.erase(0, 4);
  static const std::set<std::string> kMatter = {"cover",
                                                "titlepage",
                                                "halftitlepage",
                                                "title-page",
                                                "copyright-page",
                                                "copyright",
                                                "toc",
                                                "landmarks",
                                                "loi",
                                                "lot",
                                                "loa",
                                                "lov",
                                                "dedication",
                                                "colophon",
                                                "imprint",
                                                "imprimatur",
                                                "acknowledgments",
                                                "acknowledgements",
                                                "contributors",
                                                "other-credits",
                                                "errata",
                                                "index",
                                                "glossary",
                                                "bibliography",
                                                "endnotes",
                                                "footnotes",
                                                "rearnotes",
                                                "seriespage",
                                                "frontispiece",
                                                "notes",
                                                "credits"};
  return kMatter.count(type) != 0;
}

// Sections that belong to the book even inside front or back matter.
bool is_story_type(const std::string& type) {
  static const std::set<std::string> kStory = {
      "bodymatter", "chapter",  "part",     "volume",       "division", "prologue",
      "epilogue",   "preface",  "foreword", "introduction", "preamble", "conclusion",
      "afterword",  "epigraph", "appendix", "subchapter",   "text"};
  return kStory.count(type) != 0;
}

int words_of(const ContentDocument& doc) {
  int words = 0;
  for (const TextBlock& b : doc.blocks)
    if (b.kind == ParagraphKind::Text)
      words += 1 + static_cast<int>(std::count(b.text.begin(), b.text.end(), ' '));
  return words;
}

std::string all_text(const ContentDocument& doc) {
  std::string text;
  for (const TextBlock& b : doc.blocks) text += lower_ascii(b.text) + '\n';
  return text;
}

// What a document that declares nothing reads as: contents, about the author, a copyright
// page, a title page, or nothing to read at all.
std::string matter_by_content(const ContentDocument& doc, bool in_toc,
                              const std::string& book_title) {
  auto first = std::find_if(doc.blocks.begin(), doc.blocks.end(),
                            [](const TextBlock& b) { return b.kind == ParagraphKind::Text; });
  if (first == doc.blocks.end()) return doc.images > 0 ? "images only" : "no text";
  const std::string opening = lower_ascii(first->text);
  if (opening == "contents" || opening == "table of contents") return "table of contents";
  for (std::string_view start :
       {"about the author", "also by ", "other books by", "about the publisher", "books by "})
    if (opening.rfind(start, 0) == 0) return "about the author";
  const int words = words_of(doc);
  const std::string text = all_text(doc);
  if (words <= kMaxCopyrightWords && (text.find("all rights reserved") != std::string::npos ||
                                      text.find("isbn") != std::string::npos))
    return "copyright page";
  if (text.find("project gutenberg") != std::string::npos &&
      (text.find("license") != std::string::npos || text.find("licence") != std::string::npos) &&
      text.find("*** end of") == std::string::npos && !in_toc)
    return "Project Gutenberg licence";
  if (!in_toc && words <= kMaxTitlePageWords && !book_title.empty() &&
      text.find(lower_ascii(book_title)) != std::string::npos)
    return "title page";
  return "";
}

// Why a document of the spine is not story, or "" when it is.
std::string matter_of(const SpineItem& item, const ContentDocument& doc, const EpubPackage& package,
                      bool in_toc) {
  if (item.href == package.nav_href) return "table of contents";
  if (!item.linear) return "outside the reading order (linear=\"no\")";
  bool story = false, front_or_back = false;
  for (const std::string& type : doc.types) {
    if (is_matter_type(type)) return type;
    story = story || is_story_type(type);
    front_or_back = front_or_back || type == "frontmatter" || type == "backmatter";
  }
  if (auto landmark = package.landmarks.find(item.href); landmark != package.landmarks.end()) {
    const std::string type = landmark->second.substr(0, landmark->second.find(' '));
    if (is_matter_type(type)) return type;
  }
  if (front_or_back && !story) return "front or back matter";
  return matter_by_content(doc, in_toc, package.metadata.title);
}

Paragraph paragraph_of(const TextBlock& block, const std::string& source,
                       const ReadOptions& options) {
  Paragraph p;
  p.kind = block.kind;
  p.text = block.text;
  p.line = block.index;
  p.source = source;
  if (p.kind == ParagraphKind::Text && !options.read_notes && is_note_paragraph(p.text))
    p.kind = ParagraphKind::Skipped;
  return p;
}

// Builds the chapters document by document.
class BookBuilder {
 public:
  BookBuilder(Story& story, const ReadOptions& options) : story_(story), options_(options) {}

  // A document (or its part from one table-of-contents entry to the next) of story.
  void section(const std::string& source, const std::string& toc_title,
               const std::vector<TextBlock>& blocks) {
    std::size_t first = 0;
    std::string headings;
    int heading_line = 0;
    for (; first < blocks.size() && blocks[first].heading; ++first) {
      if (heading_line == 0) heading_line = blocks[first].index;
      headings += (headings.empty() ? "" : ". ") + blocks[first].text;
    }
    const std::string title = toc_title.empty() ? headings : toc_title;
    if (title.empty() && !story_.chapters.empty()) {
      add(story_.chapters.back(), blocks, 0, source);  // continues the chapter before
      return;
    }
    Chapter chapter{title.empty() ? story_.title : title, source, heading_line, {}};
    if (!pending_.empty()) chapter.line = 0;  // the title before the matter that went before
    chapter.paragraphs = std::move(pending_);
    pending_.clear();
    add(chapter, blocks, first, source);
    story_.chapters.push_back(std::move(chapter));
  }

  // A document that is not story: its blocks, or a note of what it was, as skipped records.
  void matter(const std::string& source, const std::string& reason,
              const std::vector<TextBlock>& blocks) {
    std::vector<Paragraph>& into =
        story_.chapters.empty() ? pending_ : story_.chapters.back().paragraphs;
    for (const TextBlock& b : blocks) {
      Paragraph p = paragraph_of(b, source, options_);
      p.kind = ParagraphKind::Skipped;
      into.push_back(std::move(p));
    }
    if (blocks.empty()) {
      Paragraph p;
      p.kind = ParagraphKind::Skipped;
      p.text = "[" + reason + "]";
      p.line = 1;
      p.source = source;
      into.push_back(std::move(p));
    }
  }

  // Chapters with nothing to read (a part's title page) pass their records on to the next.
  void finish() {
    story_.chapters = carry_empty_chapters(std::move(story_.chapters), RecordLines::InDocuments);
  }

 private:
  void add(Chapter& chapter, const std::vector<TextBlock>& blocks, std::size_t first,
           const std::string& source) {
    for (std::size_t i = first; i < blocks.size(); ++i)
      chapter.paragraphs.push_back(paragraph_of(blocks[i], source, options_));
  }

  Story& story_;
  const ReadOptions& options_;
  std::vector<Paragraph> pending_;  // skipped matter before the first chapter
};

bool is_content_document(const SpineItem& item) {
  const std::string ext = lower_ascii(std::filesystem::path(item.href).extension().string());
  return item.media_type == "application/xhtml+xml" || item.media_type == "text/html" ||
         (item.media_type.empty() && (ext == ".xhtml" || ext == ".html" || ext == ".htm"));
}

// The table-of-contents entries of one document, at the document's shallowest level.
std::vector<TocEntry> entries_for(const EpubPackage& package, const std::string& href) {
  std::vector<TocEntry> entries;
  for (const TocEntry& e : package.toc)
    if (e.href == href) entries.push_back(e);
  if (entries.empty()) return entries;
  int depth = entries.front().depth;
  for (const TocEntry& e : entries) depth = std::min(depth, e.depth);
  std::erase_if(entries, [depth](const TocEntry& e) { return e.depth != depth; });
  return entries;
}

// A document of story, split where the table of contents points into it.
void read_story_document(BookBuilder& book, const SpineItem& item, ContentDocument& doc,
                         const std::vector<TocEntry>& entries) {
  std::map<std::string, std::string> titles;  // fragment -> title
  for (const TocEntry& e : entries)
    if (!e.fragment.empty()) titles.emplace(e.fragment, e.title);
  // The document's own title: an entry without a fragment, or the first when its anchor
  // opens the document.
  std::string title;
  for (const TocEntry& e : entries)
    if (e.fragment.empty() && title.empty()) title = e.title;
  if (title.empty() && !entries.empty() &&
      (doc.blocks.empty() || doc.blocks.front().section == entries.front().fragment ||
       std::none_of(doc.blocks.begin(), doc.blocks.end(),
                    [&](const TextBlock& b) { return b.section == entries.front().fragment; })))
    title = entries.front().title;
  std::vector<TextBlock> part;
  for (TextBlock& block : doc.blocks) {
    if (!block.section.empty() && titles.count(block.section) && !part.empty()) {
      book.section(item.href, title, part);
      part.clear();
    }
    if (!block.section.empty() && titles.count(block.section)) title = titles[block.section];
    part.push_back(std::move(block));
  }
  if (!part.empty() || !title.empty()) book.section(item.href, title, part);
}

std::string image_media_type(std::string_view bytes) {
  if (bytes.substr(0, 3) == "\xFF\xD8\xFF") return "image/jpeg";
  if (bytes.substr(0, 8) == "\x89PNG\r\n\x1A\n") return "image/png";
  if (bytes.substr(0, 4) == "GIF8") return "image/gif";
  if (bytes.substr(0, 4) == "RIFF" && bytes.substr(8, 4) == "WEBP") return "image/webp";
  return "";
}

void read_cover(const EpubArchive& archive, const EpubPackage& package, StoryMetadata& metadata) {
  if (package.cover_href.empty() || !archive.contains(package.cover_href)) return;
  std::string bytes = archive.read(package.cover_href);
  metadata.cover_media_type = image_media_type(bytes);
  if (!metadata.cover_media_type.empty() && bytes.size() <= kMaxCoverBytes)
    metadata.cover = std::move(bytes);
  else
    metadata.cover_media_type.clear();
}

bool has_ascii_word(std::string_view s) {
  return std::any_of(s.begin(), s.end(),
                     [](unsigned char c) { return c < 0x80 && std::isalnum(c) != 0; });
}

// The first spine documents, where an AO3 download's preface stands.
constexpr std::size_t kAo3PrefaceDocuments = 2;

// An AO3 download (calibre's conversion of AO3's HTML): read by its layout, its metadata the
// package's with the preface's fandom, characters and whatever the package lacks.
std::optional<Story> read_ao3_epub(const EpubArchive& archive, const EpubPackage& package,
                                   const std::string& path, const ReadOptions& options) {
  std::vector<XmlDoc> docs;
  std::vector<Ao3Document> documents;
  bool ao3 = false;
  for (const SpineItem& item : package.spine) {
    if (!is_content_document(item)) continue;
    docs.push_back(parse_html(archive, item.href, archive.read(item.href)));
    ao3 = ao3 || (docs.size() <= kAo3PrefaceDocuments && is_ao3_download(docs.back().get()));
    if (!ao3 && docs.size() >= kAo3PrefaceDocuments) return std::nullopt;
    documents.push_back({docs.back().get(), item.href});
  }
  if (!ao3) return std::nullopt;
  Story story = read_ao3(documents, path, title_from_file_name(path), options);
  StoryMetadata preface = std::move(story.metadata);
  story.metadata = package.metadata;
  for (auto field : {&StoryMetadata::title, &StoryMetadata::author, &StoryMetadata::language,
                     &StoryMetadata::series, &StoryMetadata::series_index})
    if ((story.metadata.*field).empty()) story.metadata.*field = preface.*field;
  story.metadata.fandom = preface.fandom;
  story.metadata.characters = preface.characters;
  if (has_ascii_word(story.metadata.title)) story.title = story.metadata.title;
  return story;
}

}  // namespace

bool is_epub_file(const std::string& path) {
  if (lower_ascii(std::filesystem::path(path).extension().string()) == ".epub") return true;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return false;
  std::ifstream in(path, std::ios::binary);
  char head[38] = {};
  in.read(head, sizeof head);
  return in.gcount() == sizeof head && std::string_view(head, 4) == "PK\x03\x04" &&
         std::string_view(head + 30, 8) == "mimetype";
}

Story read_epub(const std::string& path, const ReadOptions& options) {
  const EpubArchive archive(path);
  const EpubPackage package = read_package(archive);
  if (std::optional<Story> ao3 = read_ao3_epub(archive, package, path, options)) {
    read_cover(archive, package, ao3->metadata);
    if (ao3->chapters.empty()) archive.fail("", "no story text in the AO3 download's chapters");
    find_quotes(*ao3);
    return std::move(*ao3);
  }
  Story story;
  story.path = path;
  story.metadata = package.metadata;
  story.title =
      has_ascii_word(package.metadata.title) ? package.metadata.title : title_from_file_name(path);
  read_cover(archive, package, story.metadata);
  BookBuilder book(story, options);
  for (const SpineItem& item : package.spine) {
    if (!is_content_document(item)) {
      book.matter(item.href, "not a content document (" + item.media_type + ")", {});
      continue;
    }
    const std::vector<TocEntry> entries = entries_for(package, item.href);
    std::set<std::string> section_ids;
    for (const TocEntry& e : entries)
      if (!e.fragment.empty()) section_ids.insert(e.fragment);
    const XmlDoc xml = parse_html(archive, item.href, archive.read(item.href));
    ContentDocument doc = content_blocks(xml.get(), section_ids);
    skip_gutenberg_text(doc.blocks);
    const std::string reason = matter_of(item, doc, package, !entries.empty());
    if (!reason.empty())
      book.matter(item.href, reason, doc.blocks);
    else
      read_story_document(book, item, doc, entries);
  }
  book.finish();
  if (story.chapters.empty())
    archive.fail("", "no story text: every document of the spine is front or back matter");
  find_quotes(story);
  return story;
}

}  // namespace troupe
