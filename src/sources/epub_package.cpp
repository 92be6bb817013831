#include "sources/epub_package.h"

#include <set>

#include "sources/epub_archive.h"
#include "sources/xml_tree.h"

namespace troupe {
namespace {

constexpr const char* kContainer = "META-INF/container.xml";
constexpr const char* kEncryption = "META-INF/encryption.xml";
constexpr int kMaxTocDepth = 16;

struct ManifestItem {
  std::string href, media_type, properties;
};
using ManifestItems = std::map<std::string, ManifestItem>;  // by id

// META-INF/container.xml:
//   <container><rootfiles><rootfile full-path="OEBPS/content.opf"
//       media-type="application/oebps-package+xml"/></rootfiles></container>
std::string package_document_name(const EpubArchive& archive) {
  if (archive.contains("mimetype")) {
    const std::string mimetype = fold_space(archive.read("mimetype"));
    if (mimetype != "application/epub+zip")
      archive.fail("mimetype", "not an EPUB: the media type is '" + mimetype.substr(0, 60) + "'");
  }
  if (!archive.contains(kContainer)) archive.fail(kContainer, "missing: not an EPUB");
  XmlDoc doc = parse_xml(archive, kContainer, archive.read(kContainer));
  std::string name;
  for (const xmlNode* rootfile : descendants(xmlDocGetRootElement(doc.get()), "rootfile")) {
    const std::string type = attribute(rootfile, "media-type");
    if (!type.empty() && type != "application/oebps-package+xml") continue;
    name = resolve_href("", attribute(rootfile, "full-path"));
    if (!name.empty()) break;
  }
  if (name.empty()) archive.fail(kContainer, "names no package document");
  if (!archive.contains(name))
    archive.fail(name, std::string("the package document named by ") + kContainer +
                           " is missing from the archive");
  return name;
}

const xmlNode* child_named(const xmlNode* node, std::string_view name) {
  for (const xmlNode* c : children(node))
    if (local_name(c) == name) return c;
  return nullptr;
}

// The authors: dc:creator elements whose role is the author's (or that have none).
std::string authors(const xmlNode* metadata, const std::map<std::string, std::string>& roles) {
  std::string joined;
  for (const xmlNode* creator : children(metadata)) {
    if (local_name(creator) != "creator") continue;
    std::string role = attribute(creator, "role");
    if (auto refined = roles.find(attribute(creator, "id")); refined != roles.end())
      role = refined->second;
    const std::string name = text_of(creator);
    if (name.empty() || (!role.empty() && role != "aut")) continue;
    joined += (joined.empty() ? "" : " and ") + name;
  }
  return joined;
}

// <metadata>: dc:title, dc:creator, dc:language; the series as EPUB 3's
// <meta property="belongs-to-collection" id="c">Name</meta> with
// <meta refines="#c" property="group-position">2</meta>, or Calibre's
// <meta name="calibre:series" content="Name"/> and <meta name="calibre:series_index" .../>.
StoryMetadata read_metadata(const xmlNode* metadata, std::string& cover_id) {
  StoryMetadata out;
  std::map<std::string, std::string> roles, positions;  // by the refined element's id
  std::string collection_id;
  for (const xmlNode* meta : children(metadata)) {
    if (local_name(meta) != "meta") continue;
    const std::string property = attribute(meta, "property");
    const std::string refines = attribute(meta, "refines");
    const std::string id = refines.empty() ? "" : refines.substr(1);
    const std::string name = attribute(meta, "name");
    const std::string content = attribute(meta, "content");
    if (property == "role" && !id.empty()) roles[id] = text_of(meta);
    if (property == "group-position" && !id.empty()) positions[id] = text_of(meta);
    if (property == "belongs-to-collection" && out.series.empty()) {
      out.series = text_of(meta);
      collection_id = attribute(meta, "id");
    }
    if (name == "calibre:series" && out.series.empty()) out.series = fold_space(content);
    if (name == "calibre:series_index") out.series_index = fold_space(content);
    if (name == "cover") cover_id = content;
  }
  if (auto p = positions.find(collection_id); !collection_id.empty() && p != positions.end())
    out.series_index = p->second;
  for (const xmlNode* element : children(metadata)) {
    const std::string tag = local_name(element);
    if (tag == "title" && out.title.empty()) out.title = text_of(element);
    if (tag == "language" && out.language.empty()) out.language = text_of(element);
  }
  out.author = authors(metadata, roles);
  return out;
}

// <manifest><item id="c1" href="text/c1.xhtml" media-type="application/xhtml+xml"
//   properties="nav"/></manifest>
ManifestItems read_manifest(const xmlNode* manifest, const std::string& opf) {
  ManifestItems items;
  for (const xmlNode* item : children(manifest)) {
    if (local_name(item) != "item") continue;
    items[attribute(item, "id")] =
        ManifestItem{resolve_href(opf, attribute(item, "href")), attribute(item, "media-type"),
                     attribute(item, "properties")};
  }
  return items;
}

// <spine toc="ncx"><itemref idref="c1" linear="no"/></spine>; an idref the manifest does not
// list is passed over.
std::vector<SpineItem> read_spine(const xmlNode* spine, const ManifestItems& items) {
  std::vector<SpineItem> out;
  for (const xmlNode* ref : children(spine)) {
    if (local_name(ref) != "itemref") continue;
    auto item = items.find(attribute(ref, "idref"));
    if (item == items.end() || item->second.href.empty()) continue;
    out.push_back({item->second.href, item->second.media_type, attribute(ref, "linear") != "no"});
  }
  return out;
}

// <ol><li><a href="c1.xhtml#s1">Chapter 1</a><ol>...</ol></li></ol>
void read_nav_list(const xmlNode* list, const std::string& base, int depth,
                   std::vector<TocEntry>& toc) {
  if (depth > kMaxTocDepth) return;
  for (const xmlNode* li : children(list)) {
    if (local_name(li) != "li") continue;
    for (const xmlNode* part : children(li)) {
      const std::string tag = local_name(part);
      if (tag == "a") {
        const std::string href = attribute(part, "href");
        const std::string name = resolve_href(base, href);
        if (!name.empty()) toc.push_back({name, href_fragment(href), text_of(part), depth});
      } else if (tag == "ol" || tag == "ul") {
        read_nav_list(part, base, depth + 1, toc);
      }
    }
  }
}

// EPUB 3's navigation document: <nav epub:type="toc"><ol>...</ol></nav> and
// <nav epub:type="landmarks"><ol><li><a epub:type="copyright-page" href="..."/></li></ol></nav>.
void read_nav(const EpubArchive& archive, EpubPackage& package) {
  XmlDoc doc = parse_html(archive, package.nav_href, archive.read(package.nav_href));
  for (const xmlNode* nav : descendants(xmlDocGetRootElement(doc.get()), "nav")) {
    const std::string type = attribute(nav, "type");
    if (has_token(type, "toc") && package.toc.empty()) {
      for (const xmlNode* list : children(nav))
        if (local_name(list) == "ol" || local_name(list) == "ul")
          read_nav_list(list, package.nav_href, 0, package.toc);
    } else if (has_token(type, "landmarks")) {
      for (const xmlNode* a : descendants(nav, "a")) {
        const std::string name = resolve_href(package.nav_href, attribute(a, "href"));
        if (!name.empty()) package.landmarks.emplace(name, attribute(a, "type"));
      }
    }
  }
}

// The NCX (EPUB 2): <navMap><navPoint><navLabel><text>Chapter 1</text></navLabel>
// <content src="c1.xhtml"/><navPoint>...</navPoint></navPoint></navMap>
void read_nav_points(const xmlNode* parent, const std::string& ncx, int depth,
                     std::vector<TocEntry>& toc) {
  if (depth > kMaxTocDepth) return;
  for (const xmlNode* point : children(parent)) {
    if (local_name(point) != "navpoint") continue;
    const xmlNode* label = child_named(point, "navlabel");
    const xmlNode* content = child_named(point, "content");
    const std::string src = content ? attribute(content, "src") : "";
    const std::string name = resolve_href(ncx, src);
    if (!name.empty())
      toc.push_back({name, href_fragment(src), text_of(child_named(label, "text")), depth});
    read_nav_points(point, ncx, depth + 1, toc);
  }
}

void read_ncx(const EpubArchive& archive, const std::string& ncx, EpubPackage& package) {
  if (ncx.empty() || !archive.contains(ncx)) return;
  XmlDoc doc = parse_xml(archive, ncx, archive.read(ncx));
  const xmlNode* nav_map = child_named(xmlDocGetRootElement(doc.get()), "navmap");
  if (nav_map != nullptr) read_nav_points(nav_map, ncx, 0, package.toc);
}

// META-INF/encryption.xml: <EncryptedData><EncryptionMethod Algorithm="..."/>
// <CipherData><CipherReference URI="OEBPS/c1.xhtml"/></CipherData></EncryptedData>.
// Font obfuscation (IDPF's and Adobe's) hides only fonts: the book is read.
void check_encryption(const EpubArchive& archive, const EpubPackage& package) {
  if (!archive.contains(kEncryption)) return;
  XmlDoc doc = parse_xml(archive, kEncryption, archive.read(kEncryption));
  std::set<std::string> documents{package.opf, package.nav_href};
  for (const SpineItem& item : package.spine) documents.insert(item.href);
  for (const xmlNode* data : descendants(xmlDocGetRootElement(doc.get()), "encrypteddata")) {
    const xmlNode* method = child_named(data, "encryptionmethod");
    const std::string algorithm = method ? attribute(method, "algorithm") : "";
    if (algorithm == "http://www.idpf.org/2008/embedding" ||
        algorithm == "http://ns.adobe.com/pdf/enc#RC")
      continue;
    for (const xmlNode* reference : descendants(data, "cipherreference")) {
      const std::string name = resolve_href("", attribute(reference, "uri"));
      if (documents.count(name) != 0)
        archive.fail(name, "the content document is encrypted (DRM" +
                               (algorithm.empty() ? std::string() : ", " + algorithm) +
                               "): troupe cannot read it");
    }
  }
}

std::string cover_href(const ManifestItems& items, const std::string& cover_id) {
  for (const auto& [id, item] : items)
    if (has_token(item.properties, "cover-image")) return item.href;
  auto item = items.find(cover_id);
  return item == items.end() ? "" : item->second.href;
}

}  // namespace

EpubPackage read_package(const EpubArchive& archive) {
  EpubPackage package;
  package.opf = package_document_name(archive);
  XmlDoc doc = parse_xml(archive, package.opf, archive.read(package.opf));
  const xmlNode* root = xmlDocGetRootElement(doc.get());
  if (local_name(root) != "package")
    archive.fail(package.opf, "not a package document (its root is <" + local_name(root) + ">)");
  std::string cover_id;
  package.metadata = read_metadata(child_named(root, "metadata"), cover_id);
  const ManifestItems items = read_manifest(child_named(root, "manifest"), package.opf);
  const xmlNode* spine = child_named(root, "spine");
  package.spine = read_spine(spine, items);
  if (package.spine.empty()) archive.fail(package.opf, "the spine is empty: nothing to read");
  package.cover_href = cover_href(items, cover_id);
  std::string ncx;
  for (const auto& [id, item] : items) {
    if (has_token(item.properties, "nav")) package.nav_href = item.href;
    if (item.media_type == "application/x-dtbncx+xml" && ncx.empty()) ncx = item.href;
  }
  if (auto toc = items.find(attribute(spine, "toc")); toc != items.end()) ncx = toc->second.href;
  check_encryption(archive, package);
  if (!package.nav_href.empty() && archive.contains(package.nav_href)) read_nav(archive, package);
  if (package.toc.empty()) read_ncx(archive, ncx, package);
  // EPUB 2's guide: <guide><reference type="copyright-page" href="copy.xhtml"/></guide>
  for (const xmlNode* reference : children(child_named(root, "guide")))
    if (local_name(reference) == "reference")
      package.landmarks.emplace(resolve_href(package.opf, attribute(reference, "href")),
                                attribute(reference, "type"));
  return package;
}

}  // namespace troupe
