#include "sources/html_reader.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

#include "common/ascii.h"
#include "common/errors.h"
#include "sources/ao3_layout.h"
#include "sources/block_book.h"
#include "sources/xhtml_text.h"
#include "sources/xml_tree.h"
#include "text/encoding.h"
#include "text/quotes.h"
#include "text/utf8.h"

namespace troupe {
namespace {

constexpr int kMaxDepth = 256;
constexpr double kMainShare = 0.8;  // the main block holds this much of the page's prose
constexpr std::size_t kSniffBytes = 1024;
constexpr std::size_t kCharsetBytes = 4096;  // where a <meta charset> must stand

// The charset named in a <meta http-equiv="Content-Type"> element's content ("text/html;
// charset=windows-1252"), as the Encoding Standard extracts it; "" when none.
std::string charset_of_content(std::string content) {
  content = lower_ascii(content);
  const std::size_t at = content.find("charset");
  if (at == std::string::npos) return "";
  std::size_t start = content.find_first_not_of(" \t\n\r\f", at + 7);
  if (start == std::string::npos || content[start] != '=') return "";
  start = content.find_first_not_of(" \t\n\r\f", start + 1);
  if (start == std::string::npos) return "";
  if (content[start] == '"' || content[start] == '\'') {
    const std::size_t end = content.find(content[start], start + 1);
    return end == std::string::npos ? "" : content.substr(start + 1, end - start - 1);
  }
  return content.substr(start, content.find_first_of(" \t\n\r\f;", start) - start);
}

// The charset a page's <meta> declares in its first kCharsetBytes (<meta charset="..."> or
// http-equiv="Content-Type"), read by libxml2 (the bytes as Latin-1: a charset's name is
// ASCII); "" when none.
std::string declared_charset(std::string_view bytes) {
  std::string head;
  for (unsigned char c : bytes.substr(0, kCharsetBytes)) head += encode_utf8(c);
  XmlDoc doc;
  try {
    doc = parse_html_file("", head);
  } catch (const InputError&) {
    return "";  // nothing to read in it
  }
  const xmlNode* root = xmlDocGetRootElement(doc.get());
  std::vector<const xmlNode*> metas = descendants(root, "meta");
  if (local_name(root) == "meta") metas.insert(metas.begin(), root);  // a page without <html>
  for (const xmlNode* meta : metas) {
    std::string charset = fold_space(attribute(meta, "charset"));
    if (charset.empty() && lower_ascii(fold_space(attribute(meta, "http-equiv"))) == "content-type")
      charset = fold_space(charset_of_content(attribute(meta, "content")));
    if (!charset.empty()) return lower_ascii(charset);
  }
  return "";
}

// The encoding a declared charset names. The Encoding Standard (WHATWG) reads the labels of
// Latin-1 and ASCII as Windows-1252, as browsers do: such pages use 0x93 and 0x94 for curly
// quotes. "" for a charset ICU does not know (the declaration is then ignored).
std::string encoding_of_label(const std::string& label) {
  for (std::string_view latin1 : {"iso-8859-1", "iso8859-1", "latin1", "l1", "us-ascii", "ascii",
                                  "iso_8859-1", "cp819", "ibm819"})
    if (label == latin1) return "windows-1252";
  return is_known_encoding(label) ? label : "";
}

// The page as UTF-8 text, decoded by decode_text: a byte-order mark wins, then --encoding
// (`encoding`), then UTF-8 when the bytes are UTF-8 whatever the page declares (a page saved
// as UTF-8 often keeps its old declaration), then the charset it declares, then the encoding
// its bytes look like (guess_encoding: Windows-1252 for most Western pages, the Encoding
// Standard's default for a page that declares nothing). A page that declares UTF-8 and is not,
// or bytes its charset does not define, are bad input naming the line.
std::string page_text(std::string_view bytes, const std::string& path,
                      const std::string& encoding) {
  std::string chosen = encoding;
  if (chosen.empty() && first_invalid_utf8(bytes)) {
    chosen = encoding_of_label(declared_charset(bytes));
    if (chosen.empty()) chosen = guess_encoding(bytes);
  }
  std::string text = decode_text(bytes, path, chosen);
  // decode_text hands text with NUL bytes on as it is (for the line reader to name them): such
  // a page whose other bytes are not UTF-8 either is no text page.
  if (const auto bad = first_invalid_utf8(text)) {
    const auto before = std::string_view(text).substr(0, *bad);
    const int line = 1 + static_cast<int>(std::count(before.begin(), before.end(), '\n'));
    throw input_error(path, line, "NUL bytes and bytes that are not UTF-8: not a text page");
  }
  return text;
}

// Words of an element's class and id: "post-notes reblog_list" -> post, notes, reblog, list.
std::vector<std::string> class_words(const xmlNode* n) {
  std::vector<std::string> words;
  std::string word;
  for (char c : lower_ascii(attribute(n, "class") + " " + attribute(n, "id"))) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      word += c;
    } else if (!word.empty()) {
      words.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

// Page chrome: navigation, comments, a post's notes and reblogs, sharing, sidebars, forms.
bool is_chrome(const xmlNode* n) {
  const std::string name = local_name(n);
  for (std::string_view chrome : {"nav", "footer", "form", "menu", "aside", "head", "script",
                                  "style", "noscript", "template", "select", "button", "iframe"})
    if (name == chrome) return true;
  static const std::vector<std::string_view> kWords = {
      "nav",     "navbar",  "navigation", "menu",        "sidebar",    "footer", "comments",
      "comment", "reblog",  "reblogs",    "notes",       "likes",      "share",  "sharing",
      "social",  "related", "breadcrumb", "breadcrumbs", "pagination", "pager",  "advert",
      "ads",     "banner",  "cookie",     "login",       "signup",     "search", "widget",
      "tags",    "toolbar", "masthead",   "reviews",     "review",     "disqus", "reactions"};
  for (const std::string& word : class_words(n))
    if (std::find(kWords.begin(), kWords.end(), word) != kWords.end()) return true;
  return false;
}

std::size_t visible_length(const xmlNode* text) {
  std::size_t length = 0;
  for (const xmlChar* c = text->content; c != nullptr && *c != 0; ++c)
    if (*c > ' ') ++length;
  return length;
}

// How much prose (text outside links) each element holds, below chrome never counted.
std::size_t count_prose(const xmlNode* node, int depth, bool in_link,
                        std::map<const xmlNode*, std::size_t>& prose) {
  std::size_t total = 0;
  for (const xmlNode* n = node->children; n != nullptr; n = n->next) {
    if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) && !in_link)
      total += visible_length(n);
    else if (n->type == XML_ELEMENT_NODE && depth < kMaxDepth && !is_chrome(n))
      total += count_prose(n, depth + 1, in_link || local_name(n) == "a", prose);
  }
  prose[node] = total;
  return total;
}

// The deepest element holding kMainShare of the page's prose.
const xmlNode* main_block(const xmlNode* root) {
  std::map<const xmlNode*, std::size_t> prose;
  const std::size_t total = count_prose(root, 0, false, prose);
  const xmlNode* main = root;
  for (bool deeper = true; deeper;) {
    deeper = false;
    for (const xmlNode* n = main->children; n != nullptr; n = n->next) {
      auto it = prose.find(n);
      if (it != prose.end() && it->second > 0 &&
          static_cast<double>(it->second) >= kMainShare * static_cast<double>(total)) {
        main = n;
        deeper = true;
        break;
      }
    }
  }
  return main;
}

std::string page_title(const xmlDoc* doc) {
  for (const xmlNode* title : descendants(xmlDocGetRootElement(doc), "title")) {
    const std::string text = without_markup_residue(text_of(title));
    if (!text.empty()) return text;
  }
  return "";
}

Story read_page(const xmlDoc* doc, const std::string& path, const ReadOptions& options) {
  const xmlNode* root = xmlDocGetRootElement(doc);
  const xmlNode* main = main_block(root);
  const auto unread = [main](const xmlNode* n) { return n != main && is_chrome(n); };
  const std::string fallback = page_title(doc);
  Story story;
  story.path = path;
  story.title = fallback.empty() ? title_from_file_name(path) : fallback;
  PageChapters page =
      chapters_of_page(element_blocks(main, unread).blocks, path, story.title, options);
  if (!page.title.empty()) story.title = page.title;
  story.chapters = std::move(page.chapters);
  return story;
}

}  // namespace

bool is_html_file(const std::string& path) {
  namespace fs = std::filesystem;
  const std::string ext = lower_ascii(fs::path(path).extension().string());
  if (ext == ".html" || ext == ".htm" || ext == ".xhtml" || ext == ".xht") return true;
  std::error_code ec;
  if (ext == ".md" || ext == ".markdown" || !fs::is_regular_file(path, ec)) return false;
  std::ifstream in(path, std::ios::binary);
  std::string head(kSniffBytes, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  std::string_view text = head;
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  while (!text.empty() && (text.front() == ' ' || text.front() == '\n' || text.front() == '\r' ||
                           text.front() == '\t'))
    text.remove_prefix(1);
  return starts_with_icase(text, "<!doctype html") || starts_with_icase(text, "<html");
}

Story story_from_html(std::string_view bytes, const std::string& path, const ReadOptions& options) {
  const XmlDoc doc = parse_html_file(path, page_text(bytes, path, options.encoding));
  Story story = is_ao3_download(doc.get())
                    ? read_ao3({{doc.get(), ""}}, path, title_from_file_name(path), options)
                    : read_page(doc.get(), path, options);
  if (std::none_of(story.chapters.begin(), story.chapters.end(), has_text))
    throw input_error(path, 0, "no story text in the page");
  find_quotes(story);
  return story;
}

Story read_html(const std::string& path, const ReadOptions& options) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw input_error(path, 0, "no such file or folder");
  return story_from_html(read_file_bytes(path), path, options);
}

}  // namespace troupe
