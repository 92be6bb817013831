#include "sources/ao3_layout.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>

#include "common/ascii.h"
#include "sources/xhtml_text.h"
#include "sources/xml_tree.h"

namespace troupe {
namespace {

constexpr int kMaxDepth = 256;  // deeper elements are not looked into (hostile nesting)

// Whether the element's class list holds `name`, calibre's renaming undone ("userstuff1").
bool has_class(const xmlNode* node, std::string_view name) {
  const std::string list = attribute(node, "class");
  std::size_t start = 0;
  while (start < list.size()) {
    std::size_t end = list.find_first_of(" \t\n\r", start);
    if (end == std::string::npos) end = list.size();
    std::string_view token = std::string_view(list).substr(start, end - start);
    while (!token.empty() && std::isdigit(static_cast<unsigned char>(token.back())))
      token.remove_suffix(1);
    if (equals_icase(token, name)) return true;
    start = end + 1;
  }
  return false;
}

// The first element below `root` (depth first, in document order) that `wanted` accepts.
const xmlNode* find_element(const xmlNode* root, const std::function<bool(const xmlNode*)>& wanted,
                            int depth = 0) {
  if (root == nullptr || depth > kMaxDepth) return nullptr;
  for (const xmlNode* n = root->children; n != nullptr; n = n->next) {
    if (n->type != XML_ELEMENT_NODE) continue;
    if (wanted(n)) return n;
    if (const xmlNode* found = find_element(n, wanted, depth + 1)) return found;
  }
  return nullptr;
}

bool is_preface(const xmlNode* n) { return attribute(n, "id") == "preface"; }

// AO3's own lines, never the author's: section labels, the archive's messages.
bool is_boilerplate(std::string_view text) {
  for (std::string_view label : {"Preface", "Afterword"})
    if (text == label) return true;
  for (std::string_view words :
       {"Posted originally on the ", "Please drop by the ", "See the end of the "})
    if (text.find(words) != std::string_view::npos) return true;
  return false;
}

// "Sherlock Holmes (BBC)" -> "Sherlock Holmes"; "" for a tag that names nobody in particular.
std::string character_of_tag(std::string tag) {
  if (auto paren = tag.rfind(" ("); paren != std::string::npos && tag.back() == ')')
    tag.erase(paren);
  const std::string lower = lower_ascii(tag);
  for (std::string_view generic : {"original character", "original female character",
                                   "original male character", "original non-binary character",
                                   "reader", "you", "everyone", "ensemble", "other", "various"})
    if (lower.starts_with(generic)) return "";
  return tag;
}

std::string language_code(const std::string& name) {
  static const std::map<std::string, std::string> kCodes = {
      {"English", "en"},         {"Español", "es"},   {"Français", "fr"},   {"Deutsch", "de"},
      {"Italiano", "it"},        {"Português", "pt"}, {"Русский", "ru"},    {"日本語", "ja"},
      {"한국어", "ko"},          {"Polski", "pl"},    {"Nederlands", "nl"}, {"Svenska", "sv"},
      {"中文-普通话 國語", "zh"}};
  auto it = kCodes.find(name);
  return it == kCodes.end() ? "" : it->second;
}

// The tags of one dd: its links' texts, else its text split at commas.
std::vector<std::string> tags_of(const xmlNode* dd) {
  std::vector<std::string> tags;
  for (const xmlNode* a : descendants(dd, "a"))
    if (std::string t = text_of(a); !t.empty()) tags.push_back(t);
  if (!tags.empty()) return tags;
  const std::string text = text_of(dd);
  for (std::size_t start = 0; start < text.size();) {
    std::size_t end = std::min(text.find(", ", start), text.size());
    if (end > start) tags.push_back(text.substr(start, end - start));
    start = end + 2;
  }
  return tags;
}

std::string joined(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : ", ") + p;
  return out;
}

// "Part 2 of The Long Way Round" (the first series when there are several).
void read_series(const xmlNode* dd, StoryMetadata& metadata) {
  const std::vector<std::string> links = tags_of(dd);
  const std::string text = text_of(dd);
  if (!text.starts_with("Part ") || links.empty()) return;
  const std::size_t of = text.find(" of ");
  if (of == std::string::npos) return;
  metadata.series = links.front();
  metadata.series_index = text.substr(5, of - 5);
}

// One dt/dd pair of the preface's tags list.
void read_tag(const std::string& label, const xmlNode* dd, StoryMetadata& metadata) {
  const std::string key = lower_ascii(label);
  if (key == "fandom" || key == "fandoms") metadata.fandom = joined(tags_of(dd));
  if (key == "language") metadata.language = language_code(text_of(dd));
  if (key == "series") read_series(dd, metadata);
  if (key != "character" && key != "characters") return;
  for (const std::string& tag : tags_of(dd))
    if (std::string name = character_of_tag(tag);
        !name.empty() && std::find(metadata.characters.begin(), metadata.characters.end(), name) ==
                             metadata.characters.end())
      metadata.characters.push_back(name);
}

void read_preface_metadata(const xmlNode* preface, StoryMetadata& metadata) {
  if (const xmlNode* h1 = find_element(preface, [](auto n) { return local_name(n) == "h1"; }))
    metadata.title = text_of(h1);
  const xmlNode* byline = find_element(preface, [](auto n) { return has_class(n, "byline"); });
  if (std::string by = text_of(byline); !by.empty())
    metadata.author = by.starts_with("by ") ? by.substr(3) : by;
  const xmlNode* tags = find_element(preface, [](auto n) { return local_name(n) == "dl"; });
  std::string label;
  for (const xmlNode* n : children(tags)) {
    if (local_name(n) == "dt") {
      label = text_of(n);
      while (!label.empty() && (label.back() == ':' || label.back() == ' ')) label.pop_back();
    } else if (local_name(n) == "dd" && !label.empty()) {
      read_tag(label, n, metadata);
    }
  }
}

// Gathers the chapters and the matter around them, document by document.
class Ao3Builder {
 public:
  Ao3Builder(Story& story, const ReadOptions& options) : story_(story), options_(options) {}

  void document(const Ao3Document& d) {
    source_ = d.source;
    blocks_before_ = 0;
    if (const xmlNode* root = xmlDocGetRootElement(d.doc)) visit(root, 0);
  }

  void finish() {
    if (!story_.chapters.empty())
      for (Paragraph& p : pending_) story_.chapters.back().paragraphs.push_back(std::move(p));
  }

 private:
  void visit(const xmlNode* node, int depth) {
    if (depth > kMaxDepth) return;
    for (const xmlNode* n = node->children; n != nullptr; n = n->next) {
      if (n->type != XML_ELEMENT_NODE) continue;
      const std::string id = attribute(n, "id");
      if (id == "preface" || id == "afterword")
        matter(n, {});
      else if (has_class(n, "meta"))
        meta(n);
      else if (has_class(n, "userstuff") && local_name(n) != "blockquote" && !holds_parts(n))
        text(n);
      else
        visit(n, depth + 1);
    }
  }

  static bool holds_parts(const xmlNode* n) {
    return find_element(n, [](auto e) {
             return has_class(e, "meta") || (has_class(e, "userstuff") && local_name(e) == "div");
           }) != nullptr;
  }

  // A chapter's heading and notes, or its end notes.
  void meta(const xmlNode* n) {
    const xmlNode* heading = find_element(n, [](auto e) {
      const std::string name = local_name(e);
      return name == "h2" || name == "h3";
    });
    if (heading != nullptr) new_chapter(text_of(heading), static_cast<int>(xmlGetLineNo(heading)));
    matter(n, [heading](const xmlNode* e) { return e == heading; });
  }

  // Preface, notes, afterword: Skipped, or read with --read-notes but for AO3's own lines.
  void matter(const xmlNode* n, const UnreadElement& unread) {
    std::vector<TextBlock> blocks = numbered(element_blocks(n, unread));
    for (std::size_t i = 0; i < blocks.size(); ++i) {
      TextBlock& b = blocks[i];
      // "Fandom:" then its tags: one paragraph.
      if (b.text.back() == ':' && i + 1 < blocks.size() && b.text.size() < 40) {
        blocks[i + 1].text = b.text + " " + blocks[i + 1].text;
        continue;
      }
      Paragraph p = paragraph_of(b);
      if (p.kind == ParagraphKind::Text && (!options_.read_notes || is_boilerplate(p.text)))
        p.kind = ParagraphKind::Skipped;
      into().push_back(std::move(p));
    }
  }

  void text(const xmlNode* n) {
    std::vector<TextBlock> blocks = numbered(element_blocks(n));
    // Text without a heading: a one-chapter work, or a chapter calibre split over two files.
    if (story_.chapters.empty()) new_chapter(story_.title, 0);
    for (const TextBlock& b : blocks) {
      Paragraph p = paragraph_of(b);
      if (p.kind == ParagraphKind::Text && !options_.read_notes && is_note_paragraph(p.text))
        p.kind = ParagraphKind::Skipped;
      story_.chapters.back().paragraphs.push_back(std::move(p));
    }
  }

  void new_chapter(const std::string& title, int heading_line) {
    Chapter chapter{title, story_.path, std::max(heading_line, 0), {}};
    if (!source_.empty()) {
      chapter.source = source_;
      chapter.line = heading_line > 0 ? blocks_before_ + 1 : 0;
    }
    chapter.paragraphs = std::move(pending_);
    pending_.clear();
    story_.chapters.push_back(std::move(chapter));
    if (!source_.empty() && heading_line > 0) ++blocks_before_;  // the heading is a block too
  }

  // Blocks numbered among their document's, for an EPUB's documents.
  std::vector<TextBlock> numbered(ContentDocument doc) {
    for (TextBlock& b : doc.blocks) b.index += blocks_before_;
    blocks_before_ += static_cast<int>(doc.blocks.size());
    return std::move(doc.blocks);
  }

  Paragraph paragraph_of(const TextBlock& b) const {
    Paragraph p;
    p.kind = b.kind;
    p.text = b.text;
    p.line = source_.empty() ? std::max(b.source_line, 1) : b.index;
    p.source = source_;
    return p;
  }

  std::vector<Paragraph>& into() {
    return story_.chapters.empty() ? pending_ : story_.chapters.back().paragraphs;
  }

  Story& story_;
  const ReadOptions& options_;
  std::string source_;
  int blocks_before_ = 0;
  std::vector<Paragraph> pending_;  // matter before the first chapter
};

}  // namespace

bool is_ao3_download(const xmlDoc* doc) {
  const xmlNode* root = xmlDocGetRootElement(doc);
  if (root == nullptr) return false;
  if (const xmlNode* preface = is_preface(root) ? root : find_element(root, &is_preface))
    if (find_element(preface, [](auto n) { return local_name(n) == "dl"; })) return true;
  return find_element(root, [](const xmlNode* n) {
           return has_class(n, "message") &&
                  text_of(n).find("Posted originally on the Archive of Our Own") !=
                      std::string::npos;
         }) != nullptr;
}

Story read_ao3(const std::vector<Ao3Document>& documents, const std::string& path,
               const std::string& fallback_title, const ReadOptions& options) {
  Story story;
  story.path = path;
  for (const Ao3Document& d : documents)
    if (const xmlNode* root = xmlDocGetRootElement(d.doc))
      if (const xmlNode* preface = find_element(root, &is_preface)) {
        read_preface_metadata(preface, story.metadata);
        break;
      }
  story.title = story.metadata.title.empty() ? fallback_title : story.metadata.title;
  Ao3Builder builder(story, options);
  for (const Ao3Document& d : documents) builder.document(d);
  builder.finish();
  return story;
}

}  // namespace troupe
