// In the troupe executable only: the libxml2 and cmark functions troupe calls, forwarded to
// their libraries, each loaded the first time one of its functions is called (an EPUB, a web
// page or a read-along book; a Markdown story). Linked, they cost every troupe process some
// 2.5 ms of CPU and 45 page faults at start-up (with liblzma), most of which read none of
// these. The tests link both. As in zip_loader.cpp, each definition is checked against its
// header's declaration and each pointer's type taken from it.
#include <cmark.h>
#include <libxml/HTMLparser.h>
#include <libxml/entities.h>
#include <libxml/hash.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/uri.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlmemory.h>
#include <libxml/xmlwriter.h>

#include "sources/library_loader.h"

namespace troupe {
namespace {

// The functions troupe calls (`nm -u libtroupe_core.a`), as X(name); and xmlFree, a variable.
#define TROUPE_XML_FUNCTIONS(X)   \
  X(htmlEntityLookup)             \
  X(htmlReadMemory)               \
  X(xmlBufferContent)             \
  X(xmlBufferCreate)              \
  X(xmlBufferFree)                \
  X(xmlBufferLength)              \
  X(xmlCtxtGetLastError)          \
  X(xmlCtxtReadMemory)            \
  X(xmlDocGetRootElement)         \
  X(xmlFreeDoc)                   \
  X(xmlFreeParserCtxt)            \
  X(xmlFreeTextWriter)            \
  X(xmlGetLineNo)                 \
  X(xmlHashSize)                  \
  X(xmlInitParser)                \
  X(xmlNewParserCtxt)             \
  X(xmlNewTextWriterMemory)       \
  X(xmlNodeGetContent)            \
  X(xmlNodeListGetString)         \
  X(xmlSetExternalEntityLoader)   \
  X(xmlSetGenericErrorFunc)       \
  X(xmlTextWriterEndDocument)     \
  X(xmlTextWriterEndElement)      \
  X(xmlTextWriterFlush)           \
  X(xmlTextWriterFullEndElement)  \
  X(xmlTextWriterStartDocument)   \
  X(xmlTextWriterStartElement)    \
  X(xmlTextWriterWriteAttribute)  \
  X(xmlTextWriterWriteDTD)        \
  X(xmlTextWriterWriteRawLen)     \
  X(xmlTextWriterWriteString)     \
  X(xmlThrDefSetGenericErrorFunc) \
  X(xmlURIUnescapeString)

#define TROUPE_CMARK_FUNCTIONS(X) \
  X(cmark_node_first_child)       \
  X(cmark_node_free)              \
  X(cmark_node_get_heading_level) \
  X(cmark_node_get_literal)       \
  X(cmark_node_get_start_line)    \
  X(cmark_node_get_type)          \
  X(cmark_node_next)              \
  X(cmark_parse_document)

struct XmlLibrary {
  TROUPE_XML_FUNCTIONS(TROUPE_LIBRARY_POINTER)
  xmlFreeFunc* free = nullptr;  // libxml2's xmlFree, the function that frees what it returns
};

struct CmarkLibrary {
  TROUPE_CMARK_FUNCTIONS(TROUPE_LIBRARY_POINTER)
};

XmlLibrary load_xml_library() {
  const char* soname = TROUPE_LIBXML2_SONAME;
  void* handle =
      open_library(soname, "read or write XML or HTML (EPUB, web pages, read-along books)");
  XmlLibrary library;
  TROUPE_XML_FUNCTIONS(TROUPE_LIBRARY_LOOKUP)
  library.free = library_symbol<xmlFreeFunc*>(handle, soname, "xmlFree");
  return library;
}

CmarkLibrary load_cmark_library() {
  const char* soname = TROUPE_CMARK_SONAME;
  void* handle = open_library(soname, "read Markdown");
  CmarkLibrary library;
  TROUPE_CMARK_FUNCTIONS(TROUPE_LIBRARY_LOOKUP)
  return library;
}

// Loaded by the first call (a failure is thrown to it, and the next call tries again).
const XmlLibrary& xml_library() {
  static const XmlLibrary library = load_xml_library();
  return library;
}

const CmarkLibrary& cmark_library() {
  static const CmarkLibrary library = load_cmark_library();
  return library;
}

// Only what libxml2 allocated is freed with xmlFree: it is loaded already.
void free_from_xml(void* memory) { (*xml_library().free)(memory); }

}  // namespace

void load_libxml2() { xml_library(); }

}  // namespace troupe

// xmlFree as troupe's code reads it (a variable, not a function): libxml2's own, called through.
xmlFreeFunc xmlFree = &troupe::free_from_xml;

// The forwarders, each as its header declares it.
#define TROUPE_XML_FORWARD(...) TROUPE_LIBRARY_FORWARD(xml_library, __VA_ARGS__)
#define TROUPE_CMARK_FORWARD(...) TROUPE_LIBRARY_FORWARD(cmark_library, __VA_ARGS__)

TROUPE_XML_FORWARD(const htmlEntityDesc*, htmlEntityLookup, (const xmlChar* name), (name))
TROUPE_XML_FORWARD(htmlDocPtr, htmlReadMemory,
                   (const char* buffer, int size, const char* url, const char* encoding,
                    int options),
                   (buffer, size, url, encoding, options))
TROUPE_XML_FORWARD(const xmlChar*, xmlBufferContent, (const xmlBuffer* buffer), (buffer))
TROUPE_XML_FORWARD(xmlBufferPtr, xmlBufferCreate, (void), ())
TROUPE_XML_FORWARD(void, xmlBufferFree, (xmlBufferPtr buffer), (buffer))
TROUPE_XML_FORWARD(int, xmlBufferLength, (const xmlBuffer* buffer), (buffer))
// xmlErrorPtr before libxml2 2.12, const xmlError* since.
TROUPE_XML_FORWARD(decltype(::xmlCtxtGetLastError(nullptr)), xmlCtxtGetLastError, (void* context),
                   (context))
TROUPE_XML_FORWARD(xmlDocPtr, xmlCtxtReadMemory,
                   (xmlParserCtxtPtr context, const char* buffer, int size, const char* url,
                    const char* encoding, int options),
                   (context, buffer, size, url, encoding, options))
TROUPE_XML_FORWARD(xmlNodePtr, xmlDocGetRootElement, (const xmlDoc* doc), (doc))
TROUPE_XML_FORWARD(void, xmlFreeDoc, (xmlDocPtr doc), (doc))
TROUPE_XML_FORWARD(void, xmlFreeParserCtxt, (xmlParserCtxtPtr context), (context))
TROUPE_XML_FORWARD(void, xmlFreeTextWriter, (xmlTextWriterPtr writer), (writer))
TROUPE_XML_FORWARD(long, xmlGetLineNo, (const xmlNode* node), (node))
TROUPE_XML_FORWARD(int, xmlHashSize, (xmlHashTablePtr table), (table))
TROUPE_XML_FORWARD(void, xmlInitParser, (void), ())
TROUPE_XML_FORWARD(xmlParserCtxtPtr, xmlNewParserCtxt, (void), ())
TROUPE_XML_FORWARD(xmlTextWriterPtr, xmlNewTextWriterMemory, (xmlBufferPtr buffer, int compression),
                   (buffer, compression))
TROUPE_XML_FORWARD(xmlChar*, xmlNodeGetContent, (const xmlNode* node), (node))
TROUPE_XML_FORWARD(xmlChar*, xmlNodeListGetString,
                   (xmlDocPtr doc, const xmlNode* list, int in_line), (doc, list, in_line))
TROUPE_XML_FORWARD(void, xmlSetExternalEntityLoader, (xmlExternalEntityLoader loader), (loader))
TROUPE_XML_FORWARD(void, xmlSetGenericErrorFunc, (void* context, xmlGenericErrorFunc handler),
                   (context, handler))
TROUPE_XML_FORWARD(int, xmlTextWriterEndDocument, (xmlTextWriterPtr writer), (writer))
TROUPE_XML_FORWARD(int, xmlTextWriterEndElement, (xmlTextWriterPtr writer), (writer))
TROUPE_XML_FORWARD(int, xmlTextWriterFlush, (xmlTextWriterPtr writer), (writer))
TROUPE_XML_FORWARD(int, xmlTextWriterFullEndElement, (xmlTextWriterPtr writer), (writer))
TROUPE_XML_FORWARD(int, xmlTextWriterStartDocument,
                   (xmlTextWriterPtr writer, const char* version, const char* encoding,
                    const char* standalone),
                   (writer, version, encoding, standalone))
TROUPE_XML_FORWARD(int, xmlTextWriterStartElement, (xmlTextWriterPtr writer, const xmlChar* name),
                   (writer, name))
TROUPE_XML_FORWARD(int, xmlTextWriterWriteAttribute,
                   (xmlTextWriterPtr writer, const xmlChar* name, const xmlChar* content),
                   (writer, name, content))
TROUPE_XML_FORWARD(int, xmlTextWriterWriteDTD,
                   (xmlTextWriterPtr writer, const xmlChar* name, const xmlChar* pubid,
                    const xmlChar* sysid, const xmlChar* subset),
                   (writer, name, pubid, sysid, subset))
TROUPE_XML_FORWARD(int, xmlTextWriterWriteRawLen,
                   (xmlTextWriterPtr writer, const xmlChar* content, int length),
                   (writer, content, length))
TROUPE_XML_FORWARD(int, xmlTextWriterWriteString, (xmlTextWriterPtr writer, const xmlChar* content),
                   (writer, content))
TROUPE_XML_FORWARD(void, xmlThrDefSetGenericErrorFunc, (void* context, xmlGenericErrorFunc handler),
                   (context, handler))
TROUPE_XML_FORWARD(char*, xmlURIUnescapeString, (const char* text, int length, char* target),
                   (text, length, target))

TROUPE_CMARK_FORWARD(cmark_node*, cmark_node_first_child, (cmark_node * node), (node))
TROUPE_CMARK_FORWARD(void, cmark_node_free, (cmark_node * node), (node))
TROUPE_CMARK_FORWARD(int, cmark_node_get_heading_level, (cmark_node * node), (node))
TROUPE_CMARK_FORWARD(const char*, cmark_node_get_literal, (cmark_node * node), (node))
TROUPE_CMARK_FORWARD(int, cmark_node_get_start_line, (cmark_node * node), (node))
TROUPE_CMARK_FORWARD(cmark_node_type, cmark_node_get_type, (cmark_node * node), (node))
TROUPE_CMARK_FORWARD(cmark_node*, cmark_node_next, (cmark_node * node), (node))
TROUPE_CMARK_FORWARD(cmark_node*, cmark_parse_document,
                     (const char* buffer, size_t length, int options), (buffer, length, options))
