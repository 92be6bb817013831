#include "sources/markdown_reader.h"

#include <cmark.h>

#include <filesystem>
#include <memory>
#include <sstream>

#include "common/ascii.h"
#include "common/errors.h"
#include "sources/block_book.h"
#include "sources/xhtml_text.h"
#include "sources/xml_tree.h"
#include "text/encoding.h"
#include "text/quotes.h"
#include "text/utf8.h"

namespace troupe {
namespace {

constexpr int kMaxDepth = 256;  // deeper nesting is not read (hostile input)

struct NodeFree {
  void operator()(cmark_node* node) const { cmark_node_free(node); }
};

std::string literal(cmark_node* node) {
  const char* text = cmark_node_get_literal(node);
  return text == nullptr ? "" : text;
}

bool is_word_byte(char c) {
  return static_cast<unsigned char>(c) >= 0x80 || std::isalnum(static_cast<unsigned char>(c));
}

// The words of inline content: emphasis as _italics_ (not inside a word), links as their text.
void append_inlines(cmark_node* node, std::string& out, int depth) {
  if (depth > kMaxDepth) return;
  for (cmark_node* n = cmark_node_first_child(node); n != nullptr; n = cmark_node_next(n)) {
    switch (cmark_node_get_type(n)) {
      case CMARK_NODE_TEXT:
      case CMARK_NODE_CODE:
        out += literal(n);
        break;
      case CMARK_NODE_SOFTBREAK:
      case CMARK_NODE_LINEBREAK:
        out += ' ';
        break;
      case CMARK_NODE_HTML_INLINE:  // a tag or a comment: not words
        out += without_markup_residue(literal(n));
        break;
      case CMARK_NODE_EMPH: {
        const bool marked = out.empty() || !is_word_byte(out.back());
        if (marked) out += '_';
        append_inlines(n, out, depth + 1);
        if (marked) out += '_';
        break;
      }
      case CMARK_NODE_IMAGE:
        break;
      default:  // strong, link: their words
        append_inlines(n, out, depth + 1);
    }
  }
}

class MarkdownBlocks {
 public:
  void block(cmark_node* node, int depth) {
    if (depth > kMaxDepth) return;
    const int line = cmark_node_get_start_line(node);
    switch (cmark_node_get_type(node)) {
      case CMARK_NODE_HEADING:
      case CMARK_NODE_PARAGRAPH: {
        std::string text;
        append_inlines(node, text, depth);
        const int level = cmark_node_get_type(node) == CMARK_NODE_HEADING
                              ? cmark_node_get_heading_level(node)
                              : 0;
        add(fold_space(text), line, level);
        break;
      }
      case CMARK_NODE_THEMATIC_BREAK:
        add_break(line);
        break;
      case CMARK_NODE_CODE_BLOCK:
        code_block(literal(node), line);
        break;
      case CMARK_NODE_HTML_BLOCK:
        html_block(literal(node), line);
        break;
      default:  // the document, block quotes, lists and their items
        for (cmark_node* n = cmark_node_first_child(node); n != nullptr; n = cmark_node_next(n))
          block(n, depth + 1);
    }
  }

  std::vector<TextBlock> take() { return std::move(blocks_); }

 private:
  void add(std::string text, int line, int level) {
    if (text.empty()) return;
    if (!has_letter_or_digit(text)) return add_break(line);
    TextBlock b;
    b.text = std::move(text);
    b.level = level;
    b.heading = level > 0;
    b.source_line = line;
    b.index = static_cast<int>(blocks_.size()) + 1;
    blocks_.push_back(std::move(b));
  }

  void add_break(int line) {
    TextBlock b;
    b.kind = ParagraphKind::SceneBreak;
    b.text = "* * *";
    b.source_line = line;
    b.index = static_cast<int>(blocks_.size()) + 1;
    blocks_.push_back(std::move(b));
  }

  // Each line of a fenced or indented block is a paragraph (a text message, a letter).
  void code_block(const std::string& text, int line) {
    std::istringstream lines(text);
    int offset = 1;  // the fence's own line comes first
    for (std::string l; std::getline(lines, l); ++offset) add(fold_space(l), line + offset, 0);
  }

  // Raw HTML read as HTML: its words, never its tags (a comment has none).
  void html_block(const std::string& html, int line) {
    if (without_markup_residue(html).empty()) return;  // comments and bare tags: no words
    XmlDoc doc;
    try {
      doc = parse_html_file("", html);
    } catch (const InputError&) {
      return;  // nothing but an unclosed comment: no words either
    }
    for (TextBlock& b : element_blocks(xmlDocGetRootElement(doc.get())).blocks) {
      if (b.kind == ParagraphKind::SceneBreak)
        add_break(line);
      else
        add(std::move(b.text), line, b.level);
    }
  }

  std::vector<TextBlock> blocks_;
};

}  // namespace

bool is_markdown_file(const std::string& path) {
  const std::string ext = lower_ascii(std::filesystem::path(path).extension().string());
  std::error_code ec;
  return (ext == ".md" || ext == ".markdown" || ext == ".mdown" || ext == ".mkd") &&
         !std::filesystem::is_directory(path, ec);
}

Story story_from_markdown(std::string_view text, const std::string& path,
                          const ReadOptions& options) {
  const auto lines = split_checked_lines(text, path);  // invalid UTF-8, NUL: bad input
  std::string checked;
  for (const std::string& line : lines) checked += line + "\n";
  const std::unique_ptr<cmark_node, NodeFree> root(
      cmark_parse_document(checked.data(), checked.size(), CMARK_OPT_DEFAULT));
  if (!root) throw std::bad_alloc();
  MarkdownBlocks blocks;
  blocks.block(root.get(), 0);
  Story story;
  story.path = path;
  story.title = title_from_file_name(path);
  PageChapters page = chapters_of_page(blocks.take(), path, story.title, options);
  if (!page.title.empty()) story.title = page.title;
  story.chapters = std::move(page.chapters);
  if (std::none_of(story.chapters.begin(), story.chapters.end(), has_text))
    throw input_error(path, 0, "the story is empty");
  find_quotes(story);
  return story;
}

Story read_markdown(const std::string& path, const ReadOptions& options) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw input_error(path, 0, "no such file or folder");
  return story_from_markdown(decode_text(read_file_bytes(path), path, options.encoding), path,
                             options);
}

}  // namespace troupe
