// libxml2, as the EPUB reader uses it: the XML parser for the container, package and NCX
// documents, the HTML parser (forgiving, with every HTML entity) for XHTML content and
// navigation documents. Neither loads an external entity or DTD, nor touches the network.
#pragma once

#include <libxml/tree.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace troupe {

class EpubArchive;

struct XmlDocFree {
  void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
using XmlDoc = std::unique_ptr<xmlDoc, XmlDocFree>;

// Parses a well-formed XML entry; throws InputError "FILE: ENTRY:LINE: not well-formed XML".
XmlDoc parse_xml(const EpubArchive& archive, const std::string& entry, std::string_view bytes);

// Parses an (X)HTML entry as HTML, recovering from what is not well formed; throws InputError
// only when nothing can be made of it.
XmlDoc parse_html(const EpubArchive& archive, const std::string& entry, std::string_view bytes);

// Parses an HTML file's text, already decoded to UTF-8 (decode_text; a <meta charset> in it is
// ignored), recovering from what is not well formed; throws InputError "FILE: what" only when
// nothing can be made of it.
XmlDoc parse_html_file(const std::string& path, std::string_view text);

// An element's name without its namespace prefix: "dc:title" -> "title", lower case.
std::string local_name(const xmlNode* node);

// An attribute by its local name, whatever its namespace ("epub:type" as the HTML parser
// keeps it, or type in the ops namespace as the XML parser does); "" when absent.
std::string attribute(const xmlNode* node, std::string_view name);

// The element's text, white space folded to single spaces and trimmed.
std::string text_of(const xmlNode* node);

// The elements below `node` (depth first, in document order) whose local name is `name`.
std::vector<const xmlNode*> descendants(const xmlNode* node, std::string_view name);

// The element children of `node`.
std::vector<const xmlNode*> children(const xmlNode* node);

// Whether a space-separated token list ("bodymatter chapter") holds `token`.
bool has_token(std::string_view list, std::string_view token);

// White space runs folded to one space, ends trimmed.
std::string fold_space(std::string_view text);

}  // namespace troupe
