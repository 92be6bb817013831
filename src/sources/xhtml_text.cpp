#include "sources/xhtml_text.h"

#include <libxml/HTMLparser.h>

#include <algorithm>
#include <cctype>
#include <string_view>

#include "sources/xml_tree.h"
#include "text/utf8.h"

namespace troupe {
namespace {

constexpr int kMaxDepth = 256;  // deeper elements are not read (hostile nesting)

bool is_one_of(std::string_view name, std::initializer_list<std::string_view> names) {
  for (std::string_view n : names)
    if (n == name) return true;
  return false;
}

bool is_block(std::string_view name) {
  return is_one_of(
      name, {"p",      "div",     "li",      "blockquote", "pre",     "dd",      "dt",     "td",
             "th",     "tr",      "caption", "figcaption", "section", "article", "header", "footer",
             "main",   "address", "center",  "table",      "ul",      "ol",      "dl",     "figure",
             "hgroup", "body",    "details", "summary",    "poem",    "stanza"});
}

bool is_heading(std::string_view name) {
  return name.size() == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6';
}

// Elements whose content is never read: metadata, scripts, ruby annotations, asides and
// navigation, pictures (with their alt text), embedded media and forms.
bool is_unread(std::string_view name) {
  return is_one_of(
      name, {"head",   "script", "style",    "title", "rt",     "rp",     "aside",    "nav",
             "svg",    "math",   "audio",    "video", "object", "iframe", "noscript", "template",
             "button", "select", "textarea", "img",   "image",  "picture"});
}

// Footnote references and bodies, by epub:type or ARIA role.
bool is_note(const xmlNode* node) {
  const std::string type = attribute(node, "type") + " " + attribute(node, "role");
  for (std::string_view token :
       {"noteref", "footnote", "endnote", "rearnote", "note", "footnotes", "endnotes", "rearnotes",
        "annoref", "annotation", "doc-noteref", "doc-footnote", "doc-endnote", "doc-endnotes"})
    if (has_token(type, token)) return true;
  return false;
}

// Project Gutenberg's header and licence: <section id="pg-header" class="pg-boilerplate">.
bool is_boilerplate(const xmlNode* node) {
  const std::string id = attribute(node, "id");
  return id == "pg-header" || id == "pg-footer" ||
         has_token(attribute(node, "class"), "pg-boilerplate");
}

bool is_word_byte(char c) {
  return static_cast<unsigned char>(c) >= 0x80 || std::isalnum(static_cast<unsigned char>(c));
}

class BlockWalker {
 public:
  explicit BlockWalker(const std::set<std::string>& section_ids, UnreadElement unread = {})
      : section_ids_(section_ids), unread_(std::move(unread)) {}

  void walk(const xmlNode* node, int depth) {
    for (const xmlNode* n = node; n != nullptr; n = n->next) walk_node(n, depth);
  }

  void walk_node(const xmlNode* n, int depth) {
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
      const bool opens = text_.empty();
      text(n->content ? reinterpret_cast<const char*>(n->content) : "");
      if (opens && !text_.empty()) line_ = static_cast<int>(std::max(0L, xmlGetLineNo(n)));
    } else if (n->type == XML_ELEMENT_NODE && depth < kMaxDepth) {
      element(n, depth);
    }
  }

  ContentDocument finish() {
    flush();
    if (!types_taken_) doc_.types.insert(seen_types_.begin(), seen_types_.end());
    return std::move(doc_);
  }

 private:
  void element(const xmlNode* n, int depth) {
    const std::string name = local_name(n);
    if (name == "img" || name == "image" || name == "svg" || name == "picture") ++doc_.images;
    if (is_unread(name) || is_note(n) || (unread_ && unread_(n))) return;
    if (const std::string id = attribute(n, "id"); !id.empty() && section_ids_.count(id)) {
      flush();
      section_ = id;
    }
    if (name == "br") return line_break();
    if (name == "hr") {
      flush();
      line_ = static_cast<int>(std::max(0L, xmlGetLineNo(n)));
      return add_block(ParagraphKind::SceneBreak, "* * *", 0);
    }
    const std::size_t types_before = types_.size();
    for (const std::string& attr : {attribute(n, "type"), attribute(n, "role")})
      for (std::string_view rest = attr; !rest.empty();) {
        const auto end = std::min(rest.find(' '), rest.size());
        if (end > 0) types_.emplace_back(rest.substr(0, end));
        rest.remove_prefix(std::min(end + 1, rest.size()));
      }
    seen_types_.insert(types_.begin() + static_cast<std::ptrdiff_t>(types_before), types_.end());
    const bool boilerplate = is_boilerplate(n);
    skipping_ += boilerplate ? 1 : 0;
    if (name == "em" || name == "i")
      italics(n, depth);
    else if (is_heading(name) || is_block(name))
      block(n, depth, is_heading(name) ? name[1] - '0' : 0);
    else
      walk(n->children, depth + 1);
    skipping_ -= boilerplate ? 1 : 0;
    types_.resize(types_before);
  }

  void block(const xmlNode* n, int depth, int heading_level) {
    flush();
    const int outer = heading_level_;
    if (outer == 0) heading_level_ = heading_level;
    walk(n->children, depth + 1);
    flush();
    heading_level_ = outer;
  }

  // _italics_, the marks around the words only; none inside a word ("<i>Titanic</i>'s" keeps
  // no mark before the apostrophe's word, "un<i>believ</i>able" none at all).
  void italics(const xmlNode* n, int depth) {
    const std::size_t start = text_.size(), flushes = flushes_;
    walk(n->children, depth + 1);
    // A block inside the italics ("<i>Fast<p>...", tag soup) ended the paragraph they began in:
    // no marks then.
    if (flushes_ != flushes) return;
    std::size_t a = start, b = text_.size();
    while (a < b && text_[a] == ' ') ++a;
    while (b > a && text_[b - 1] == ' ') --b;
    if (a == b || (a > 0 && is_word_byte(text_[a - 1]))) return;
    text_.insert(b, 1, '_');
    text_.insert(a, 1, '_');
    italic_open_ = a;
    italic_close_ = b + 1;
  }

  void text(std::string_view s) {
    for (char c : s) {
      const bool space = static_cast<unsigned char>(c) < 0x20 || c == ' ' || c == '\x7f';
      if (space) {
        if (!text_.empty() && text_.back() != ' ') text_ += ' ';
        continue;
      }
      // A word running on right after italics: the marks would split it.
      if (italic_close_ != std::string::npos && italic_close_ + 1 == text_.size() &&
          is_word_byte(c)) {
        text_.erase(italic_close_, 1);
        text_.erase(italic_open_, 1);
      }
      italic_close_ = std::string::npos;
      breaks_ = 0;
      text_ += c;
    }
  }

  // One <br> is a line break inside the paragraph, two in a row end it.
  void line_break() {
    if (++breaks_ >= 2) return flush();
    if (!text_.empty() && text_.back() != ' ') text_ += ' ';
  }

  void flush() {
    ++flushes_;
    breaks_ = 0;
    italic_close_ = std::string::npos;
    std::string_view t = text_;
    while (!t.empty() && t.front() == ' ') t.remove_prefix(1);
    while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
    if (!t.empty()) {
      const ParagraphKind kind = skipping_ > 0            ? ParagraphKind::Skipped
                                 : has_letter_or_digit(t) ? ParagraphKind::Text
                                                          : ParagraphKind::SceneBreak;
      add_block(kind, std::string(t), kind == ParagraphKind::Text ? heading_level_ : 0);
    }
    text_.clear();
  }

  void add_block(ParagraphKind kind, std::string text, int heading_level) {
    if (!types_taken_) {
      doc_.types.insert(types_.begin(), types_.end());
      types_taken_ = true;
    }
    TextBlock block{kind,
                    std::move(text),
                    static_cast<int>(doc_.blocks.size()) + 1,
                    heading_level > 0,
                    std::move(section_),
                    heading_level,
                    line_};
    section_.clear();
    doc_.blocks.push_back(std::move(block));
  }

  const std::set<std::string>& section_ids_;
  const UnreadElement unread_;
  ContentDocument doc_;
  std::string text_;  // the paragraph being gathered
  std::string section_;
  std::vector<std::string> types_;  // of the elements open now
  std::set<std::string> seen_types_;
  std::size_t italic_open_ = 0, italic_close_ = std::string::npos;
  std::size_t flushes_ = 0;  // paragraphs ended so far (each flush())
  int breaks_ = 0;
  int skipping_ = 0;
  int heading_level_ = 0;
  int line_ = 0;  // of the paragraph being gathered
  bool types_taken_ = false;
};

}  // namespace

ContentDocument content_blocks(const xmlDoc* doc, const std::set<std::string>& section_ids) {
  BlockWalker walker(section_ids);
  walker.walk(xmlDocGetRootElement(doc), 0);
  return walker.finish();
}

bool has_letter_or_digit(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const char32_t c = next_code_point(s, i);
    if (is_letter(c) || (c >= '0' && c <= '9')) return true;
  }
  return false;
}

ContentDocument element_blocks(const xmlNode* element, const UnreadElement& unread) {
  static const std::set<std::string> kNoSections;
  BlockWalker walker(kNoSections, unread);
  if (element != nullptr) walker.walk_node(element, 0);
  ContentDocument doc = walker.finish();
  for (TextBlock& b : doc.blocks) b.text = without_markup_residue(b.text);
  std::erase_if(doc.blocks, [](const TextBlock& b) { return b.text.empty(); });
  return doc;
}

namespace {

constexpr std::size_t kMaxTagBytes = 300;
constexpr std::size_t kMaxEntityBytes = 12;
constexpr int kMaxResiduePasses = 4;

bool is_ascii_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// The length of a tag written as text at `at` ("<p class=x>", "</em>", "<!-- x -->"), or 0.
std::size_t tag_length(std::string_view s, std::size_t at) {
  if (at + 2 >= s.size() || s[at] != '<') return 0;
  const char next = s[at + 1];
  if (!is_ascii_alpha(next) && next != '/' && next != '!' && next != '?') return 0;
  if (next == '/' && !is_ascii_alpha(s[at + 2])) return 0;
  const std::size_t close = s.find('>', at);
  if (close == std::string_view::npos || close - at > kMaxTagBytes) return 0;
  if (s.substr(at + 1, close - at - 1).find('<') != std::string_view::npos) return 0;
  return close - at + 1;
}

std::string strip_markup_once(std::string_view text);

// The character an entity written as text at `at` stands for ("&ldquo;", "&#8220;",
// "&#x201C;"), with the entity's length; {0, ""} when no entity stands there.
std::pair<std::size_t, std::string> entity_at(std::string_view s, std::size_t at) {
  const std::size_t semi = s.find(';', at);
  if (semi == std::string_view::npos || semi - at > kMaxEntityBytes || semi - at < 3) return {};
  const std::string name(s.substr(at + 1, semi - at - 1));
  char32_t code = 0;
  if (name[0] == '#') {
    const bool hex = name.size() > 1 && (name[1] == 'x' || name[1] == 'X');
    const std::string digits = name.substr(hex ? 2 : 1);
    if (digits.empty() || digits.size() > 7) return {};
    for (char c : digits) {
      const int value = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
                        : hex && std::isxdigit(static_cast<unsigned char>(c))
                            ? std::tolower(static_cast<unsigned char>(c)) - 'a' + 10
                            : -1;
      if (value < 0) return {};
      code = code * (hex ? 16 : 10) + static_cast<char32_t>(value);
    }
  } else {
    if (!std::all_of(name.begin(), name.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }))
      return {};
    const htmlEntityDesc* entity = htmlEntityLookup(reinterpret_cast<const xmlChar*>(name.c_str()));
    if (entity == nullptr) return {semi - at + 1, ""};  // no such entity: a broken page's residue
    code = entity->value;
  }
  if (code < 0x20 || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) code = ' ';
  return {semi - at + 1, encode_utf8(code)};
}

}  // namespace

std::string without_markup_residue(std::string_view text) {
  // Each pass undoes one level of escaping ("&amp;lt;p&amp;gt;" takes two); a few are plenty.
  std::string out = strip_markup_once(text);
  for (int pass = 0; pass < kMaxResiduePasses; ++pass) {
    std::string again = strip_markup_once(out);
    if (again == out) break;
    out = std::move(again);
  }
  return out;
}

namespace {

std::string strip_markup_once(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    if (const std::size_t tag = tag_length(text, i); tag > 0) {
      out += ' ';
      i += tag;
      continue;
    }
    if (text[i] == '&') {
      if (auto [length, decoded] = entity_at(text, i); length > 0) {
        out += decoded;
        i += length;
        continue;
      }
    }
    out += text[i++];
  }
  return fold_space(out);
}

}  // namespace

}  // namespace troupe
