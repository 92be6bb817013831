#include "sources/xml_tree.h"

#include <libxml/HTMLparser.h>
#include <libxml/entities.h>
#include <libxml/hash.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <mutex>

#include "common/errors.h"
#include "sources/epub_archive.h"
#include "text/encoding.h"

namespace troupe {
namespace {

// No external entity, DTD or stylesheet is ever loaded, from disk or network.
xmlParserInputPtr refuse_external_entity(const char*, const char*, xmlParserCtxtPtr) {
  return nullptr;
}

void quiet_errors(void*, const char*, ...) {}

void init_libxml2() {
  static std::once_flag once;
  std::call_once(once, [] {
    xmlInitParser();
    xmlSetExternalEntityLoader(&refuse_external_entity);
    xmlSetGenericErrorFunc(nullptr, &quiet_errors);
    xmlThrDefSetGenericErrorFunc(nullptr, &quiet_errors);  // other threads' (prepare_stories)
  });
}

constexpr int kXmlOptions = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
constexpr int kHtmlOptions = HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                             HTML_PARSE_RECOVER | HTML_PARSE_NOIMPLIED;

int as_int_size(const EpubArchive& archive, const std::string& entry, std::string_view bytes) {
  if (bytes.size() > static_cast<std::size_t>(INT32_MAX)) archive.fail(entry, "too large");
  return static_cast<int>(bytes.size());
}

}  // namespace

XmlDoc parse_xml(const EpubArchive& archive, const std::string& entry, std::string_view bytes) {
  init_libxml2();
  xmlParserCtxtPtr context = xmlNewParserCtxt();
  if (context == nullptr) throw std::bad_alloc();
  XmlDoc doc(xmlCtxtReadMemory(context, bytes.data(), as_int_size(archive, entry, bytes),
                               entry.c_str(), nullptr, kXmlOptions));
  if (!doc || xmlDocGetRootElement(doc.get()) == nullptr) {
    const xmlError* error = xmlCtxtGetLastError(context);
    std::string what = "not well-formed XML";
    std::string where = entry;
    if (error != nullptr && error->message != nullptr) {
      what += ": " + fold_space(error->message);
      if (error->line > 0) where += ":" + std::to_string(error->line);
    }
    xmlFreeParserCtxt(context);
    archive.fail(where, what);
  }
  xmlFreeParserCtxt(context);
  // Entities a document declares itself are never expanded (no "billion laughs"): such a
  // document is refused, none of an EPUB's own documents needs them.
  const xmlDtd* dtd = doc->intSubset;
  if (dtd != nullptr && dtd->entities != nullptr &&
      xmlHashSize(static_cast<xmlHashTablePtr>(dtd->entities)) > 0)
    archive.fail(entry, "refused: the document declares XML entities");
  return doc;
}

XmlDoc parse_html(const EpubArchive& archive, const std::string& entry, std::string_view bytes) {
  init_libxml2();
  // An EPUB's XHTML is UTF-8 or UTF-16 (EPUB 3), whatever --encoding says: UTF-16 (or UTF-32)
  // by its byte-order mark, decoded first; else UTF-8, libxml2 recovering from what is not.
  std::string decoded;
  if (bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF") ||
      bytes.starts_with(std::string_view("\0\0\xFE\xFF", 4))) {
    decoded = decode_text(bytes, archive.path() + ": " + entry);
    bytes = decoded;
  }
  XmlDoc doc(htmlReadMemory(bytes.data(), as_int_size(archive, entry, bytes), entry.c_str(),
                            "UTF-8", kHtmlOptions | HTML_PARSE_IGNORE_ENC));
  if (!doc || xmlDocGetRootElement(doc.get()) == nullptr)
    archive.fail(entry, "not an XHTML document");
  return doc;
}

XmlDoc parse_html_file(const std::string& path, std::string_view text) {
  init_libxml2();
  if (text.size() > static_cast<std::size_t>(INT32_MAX))
    throw input_error(path, 0, "too large for an HTML page");
  XmlDoc doc(htmlReadMemory(text.data(), static_cast<int>(text.size()), path.c_str(), "UTF-8",
                            kHtmlOptions | HTML_PARSE_IGNORE_ENC));
  if (!doc || xmlDocGetRootElement(doc.get()) == nullptr)
    throw input_error(path, 0, "not an HTML page: nothing could be read from it");
  return doc;
}

std::string local_name(const xmlNode* node) {
  if (node == nullptr || node->name == nullptr) return "";
  std::string name = reinterpret_cast<const char*>(node->name);
  if (auto colon = name.rfind(':'); colon != std::string::npos) name.erase(0, colon + 1);
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return name;
}

std::string attribute(const xmlNode* node, std::string_view name) {
  if (node == nullptr || node->type != XML_ELEMENT_NODE) return "";
  for (const xmlAttr* a = node->properties; a != nullptr; a = a->next) {
    if (local_name(reinterpret_cast<const xmlNode*>(a)) != name) continue;
    xmlChar* value = xmlNodeListGetString(node->doc, a->children, 1);
    std::string text = value ? reinterpret_cast<const char*>(value) : "";
    xmlFree(value);
    return text;
  }
  return "";
}

std::string fold_space(std::string_view text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::string text_of(const xmlNode* node) {
  if (node == nullptr) return "";
  xmlChar* content = xmlNodeGetContent(node);
  std::string text = content ? fold_space(reinterpret_cast<const char*>(content)) : "";
  xmlFree(content);
  return text;
}

std::vector<const xmlNode*> children(const xmlNode* node) {
  std::vector<const xmlNode*> out;
  if (node == nullptr) return out;
  for (const xmlNode* c = node->children; c != nullptr; c = c->next)
    if (c->type == XML_ELEMENT_NODE) out.push_back(c);
  return out;
}

std::vector<const xmlNode*> descendants(const xmlNode* node, std::string_view name) {
  std::vector<const xmlNode*> out;
  // Iterative, so that deep nesting cannot exhaust the stack.
  std::vector<const xmlNode*> stack;
  for (auto it = children(node); !it.empty(); it.pop_back()) stack.push_back(it.back());
  while (!stack.empty()) {
    const xmlNode* n = stack.back();
    stack.pop_back();
    if (local_name(n) == name) out.push_back(n);
    auto kids = children(n);
    for (auto k = kids.rbegin(); k != kids.rend(); ++k) stack.push_back(*k);
  }
  return out;
}

bool has_token(std::string_view list, std::string_view token) {
  std::size_t start = 0;
  while (start < list.size()) {
    std::size_t end = list.find_first_of(" \t\n\r", start);
    if (end == std::string_view::npos) end = list.size();
    if (list.substr(start, end - start) == token) return true;
    start = end + 1;
  }
  return false;
}

}  // namespace troupe
