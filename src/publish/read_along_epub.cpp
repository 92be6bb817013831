// BOOK.epub: an EPUB 3 with Media Overlays, built in memory with libzip and written through a
// temporary file (src/audio/atomic_file). Its layout:
//   mimetype                      "application/epub+zip", first and stored
//   META-INF/container.xml        -> EPUB/package.opf
//   EPUB/package.opf              metadata (media:duration ...), manifest, spine
//   EPUB/nav.xhtml                the chapters
//   EPUB/style.css                the text, and each speaker's colour for the active span
//   EPUB/text/chNN.xhtml          a chapter's text, each spoken span in an element with an id
//   EPUB/smil/chNN.smil           its media overlay: a <par> per span or word
//   EPUB/audio/chNN-HASH.mp3      its audio (HASH: of what the chapter was rendered from)
//   EPUB/cover.EXT                the input's cover, when it has one
// The archive's comment holds a hash of everything in it: an EPUB whose comment matches is
// up to date, and the MP3 of a chapter that has not changed is taken from the EPUB before.
#include <zip.h>

#include <cmath>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <memory>
#include <optional>

#include "audio/atomic_file.h"
#include "common/errors.h"
#include "publish/mp3.h"
#include "publish/read_along.h"
#include "publish/read_along_markup.h"
#include "render/hash.h"

namespace troupe {
namespace fs = std::filesystem;

namespace {

// A bump here rewrites every read-along EPUB: change it when the same book should make a
// different file.
constexpr const char* kEpubLayout = "read-along-epub/2";
constexpr const char* kActiveClass = "troupe-active";
// Every entry's time, so that the same book makes the same bytes: 1 January 2000, 00:00.
constexpr zip_uint16_t kDosDate = ((2000 - 1980) << 9) | (1 << 5) | 1;
// Nothing in the inputs says when the book was made; the package's required modification
// date is the same fixed moment.
constexpr const char* kModified = "2000-01-01T00:00:00Z";

struct Entry {
  std::string name, content;
  bool stored = false;  // already compressed (MP3, images) or the mimetype
};

std::string chapter_key(const ReadAlongBook& book, const ReadAlongChapter& chapter) {
  const std::size_t width =
      std::max<std::size_t>(2, std::to_string(book.chapters.back().number).size());
  std::string digits = std::to_string(chapter.number);
  return "ch" + std::string(width - std::min(width, digits.size()), '0') + digits;
}

std::string audio_entry(const ReadAlongBook& book, const ReadAlongChapter& chapter) {
  Hasher hasher;
  hasher.add(kReadAlongMp3Encoding).add(chapter.inputs).add(chapter.audio);
  hasher.add(static_cast<std::int64_t>(chapter.bytes));
  return "audio/" + chapter_key(book, chapter) + "-" + hasher.hex().substr(0, 12) + ".mp3";
}

std::string cover_entry(const ReadAlongBook& book) {
  if (book.cover.empty()) return {};
  const std::string type = book.cover_media_type.substr(book.cover_media_type.find('/') + 1);
  return "cover." + (type == "jpeg" ? std::string("jpg") : type == "svg+xml" ? "svg" : type);
}

std::string container_xml() {
  Markup out(Markup::Syntax::kXml);
  out.declaration()
      .open("container")
      .attribute("version", "1.0")
      .attribute("xmlns", "urn:oasis:names:tc:opendocument:xmlns:container")
      .raw("\n")
      .open("rootfiles")
      .raw("\n")
      .open("rootfile")
      .attribute("full-path", "EPUB/package.opf")
      .attribute("media-type", "application/oebps-package+xml")
      .close()
      .raw("\n")
      .close()
      .raw("\n")
      .close()
      .raw("\n");
  return out.str();
}

// An XHTML document's start, up to its open <body>.
void xhtml_head(Markup& out, const ReadAlongBook& book, const std::string& title,
                const std::string& css) {
  out.declaration()
      .doctype()
      .open("html")
      .attribute("xmlns", "http://www.w3.org/1999/xhtml")
      .attribute("xmlns:epub", "http://www.idpf.org/2007/ops")
      .attribute("xml:lang", book.language)
      .attribute("lang", book.language)
      .raw("\n")
      .open("head")
      .raw("\n")
      .open("meta")
      .attribute("charset", "utf-8")
      .close()
      .raw("\n")
      .element("title", without_italic_marks(title))
      .raw("\n")
      .open("link")
      .attribute("rel", "stylesheet")
      .attribute("type", "text/css")
      .attribute("href", css)
      .close()
      .raw("\n")
      .close()
      .raw("\n")
      .open("body")
      .raw("\n");
}

// The id of the chapter's <section> (what its overlay's <seq> stands for).
std::string section_id(const ReadAlongChapter& chapter) {
  return "c" + std::to_string(chapter.number);
}

std::string chapter_xhtml(const ReadAlongBook& book, const ReadAlongChapter& chapter, bool words) {
  Markup out(Markup::Syntax::kXml);
  xhtml_head(out, book, chapter.title, "../style.css");
  out.open("section").attribute("epub:type", "chapter").attribute("id", section_id(chapter));
  out.raw("\n");
  write_chapter(out, chapter, words, false);
  out.close().raw("\n").close().raw("\n").close().raw("\n");
  return out.str();
}

void par(Markup& out, const std::string& text, const std::string& audio, double begin, double end) {
  out.open("par").open("text").attribute("src", text).close();
  out.open("audio")
      .attribute("src", audio)
      .attribute("clipBegin", clock_value(begin))
      .attribute("clipEnd", clock_value(end))
      .close();
  out.close().raw("\n");
}

std::string chapter_smil(const ReadAlongBook& book, const ReadAlongChapter& chapter, bool words) {
  const std::string text = "../text/" + chapter_key(book, chapter) + ".xhtml";
  const std::string audio = "../" + audio_entry(book, chapter);
  Markup out(Markup::Syntax::kXml);
  out.declaration()
      .open("smil")
      .attribute("xmlns", "http://www.w3.org/ns/SMIL")
      .attribute("xmlns:epub", "http://www.idpf.org/2007/ops")
      .attribute("version", "3.0")
      .raw("\n")
      .open("body")
      .raw("\n")
      .open("seq")
      .attribute("epub:textref", text + "#" + section_id(chapter))
      .raw("\n");
  for (const ReadAlongSpan& span : chapter.spans) {
    if (!words || span.words.empty()) {
      par(out, text + "#" + span.id, audio, span.start, span.end);
      continue;
    }
    for (std::size_t w = 0; w < span.words.size(); ++w)
      par(out, text + "#" + span.id + "w" + std::to_string(w + 1), audio, span.words[w].start,
          span.words[w].stop);
  }
  out.close().raw("\n").close().raw("\n").close().raw("\n");
  return out.str();
}

std::string nav_xhtml(const ReadAlongBook& book) {
  Markup out(Markup::Syntax::kXml);
  xhtml_head(out, book, book.title, "style.css");
  out.open("nav").attribute("epub:type", "toc").attribute("id", "toc").raw("\n");
  out.element("h1", without_italic_marks(book.title)).raw("\n").open("ol").raw("\n");
  for (const ReadAlongChapter& chapter : book.chapters)
    out.open("li")
        .open("a")
        .attribute("href", "text/" + chapter_key(book, chapter) + ".xhtml")
        .text(without_italic_marks(chapter.title))
        .close()
        .close()
        .raw("\n");
  out.close().raw("\n").close().raw("\n").close().raw("\n").close().raw("\n");
  return out.str();
}

std::string stylesheet(const ReadAlongBook& book) {
  return "body { font-family: serif; line-height: 1.5; }\n"
         "h1 { text-align: center; font-size: 1.4em; }\n"
         "hr.scene-break { border: none; margin: 1.5em 0; text-align: center; }\n"
         "hr.scene-break::after { content: \"* * *\"; }\n"
         "." +
         std::string(kActiveClass) + " { background-color: #fff0a0; }\n" +
         speaker_css(book, kActiveClass);
}

void item(Markup& out, const std::string& id, const std::string& href, const std::string& type,
          const char* property = nullptr, const std::string& value = {}) {
  out.raw("    ").open("item").attribute("id", id).attribute("href", href);
  out.attribute("media-type", type);
  if (property) out.attribute(property, value);
  out.close().raw("\n");
}

void meta(Markup& out, const char* property, const std::string& value,
          const std::string& refines = {}) {
  out.raw("    ").open("meta").attribute("property", property);
  if (!refines.empty()) out.attribute("refines", refines);
  out.text(value).close().raw("\n");
}

void package_metadata(Markup& out, const ReadAlongBook& book) {
  out.raw("  ").open("metadata").attribute("xmlns:dc", "http://purl.org/dc/elements/1.1/");
  out.raw("\n    ").open("dc:identifier").attribute("id", "book-id").text(book.identifier);
  out.close().raw("\n    ").element("dc:title", without_italic_marks(book.title)).raw("\n");
  if (!book.author.empty()) out.raw("    ").element("dc:creator", book.author).raw("\n");
  out.raw("    ").element("dc:language", book.language).raw("\n");
  meta(out, "dcterms:modified", kModified);
  // The book's duration is the sum of the overlays' durations as written (epubcheck adds them).
  long long total_ms = 0;
  for (const ReadAlongChapter& chapter : book.chapters) {
    const long long ms = std::llround(chapter.duration * 1000.0);
    total_ms += ms;
    meta(out, "media:duration", clock_value(static_cast<double>(ms) / 1000.0),
         "#mo-" + chapter_key(book, chapter));
  }
  meta(out, "media:duration", clock_value(static_cast<double>(total_ms) / 1000.0));
  meta(out, "media:narrator", "eSpeak NG voices, cast by troupe");
  meta(out, "media:active-class", kActiveClass);
  out.raw("  ").close().raw("\n");
}

std::string package_opf(const ReadAlongBook& book) {
  Markup out(Markup::Syntax::kXml);
  out.declaration()
      .open("package")
      .attribute("xmlns", "http://www.idpf.org/2007/opf")
      .attribute("version", "3.0")
      .attribute("unique-identifier", "book-id")
      .attribute("xml:lang", book.language)
      .raw("\n");
  package_metadata(out, book);
  out.raw("  ").open("manifest").raw("\n");
  item(out, "nav", "nav.xhtml", "application/xhtml+xml", "properties", "nav");
  item(out, "style", "style.css", "text/css");
  if (!book.cover.empty())
    item(out, "cover", cover_entry(book), book.cover_media_type, "properties", "cover-image");
  for (const ReadAlongChapter& chapter : book.chapters) {
    const std::string key = chapter_key(book, chapter);
    item(out, key, "text/" + key + ".xhtml", "application/xhtml+xml", "media-overlay", "mo-" + key);
    item(out, "mo-" + key, "smil/" + key + ".smil", "application/smil+xml");
    item(out, "audio-" + key, audio_entry(book, chapter), "audio/mpeg");
  }
  out.raw("  ").close().raw("\n  ").open("spine").raw("\n");
  for (const ReadAlongChapter& chapter : book.chapters)
    out.raw("    ")
        .open("itemref")
        .attribute("idref", chapter_key(book, chapter))
        .close()
        .raw("\n");
  out.raw("  ").close().raw("\n").close().raw("\n");
  return out.str();
}

// Every entry but the audio, whose names stand for their content.
std::vector<Entry> text_entries(const ReadAlongBook& book, bool words) {
  std::vector<Entry> entries{{"mimetype", "application/epub+zip", true},
                             {"META-INF/container.xml", container_xml(), false},
                             {"EPUB/package.opf", package_opf(book), false},
                             {"EPUB/nav.xhtml", nav_xhtml(book), false},
                             {"EPUB/style.css", stylesheet(book), false}};
  if (!book.cover.empty()) entries.push_back({"EPUB/" + cover_entry(book), book.cover, true});
  for (const ReadAlongChapter& chapter : book.chapters) {
    const std::string key = chapter_key(book, chapter);
    entries.push_back({"EPUB/text/" + key + ".xhtml", chapter_xhtml(book, chapter, words), false});
    entries.push_back({"EPUB/smil/" + key + ".smil", chapter_smil(book, chapter, words), false});
  }
  return entries;
}

std::string archive_comment(const std::vector<Entry>& entries) {
  Hasher hasher;
  hasher.add(kEpubLayout).add(kReadAlongMp3Kbps);
  for (const Entry& entry : entries) hasher.add(entry.name).add(entry.content);
  return std::string("troupe ") + TROUPE_VERSION + " read-along " + hasher.hex();
}

std::string zip_error_text(zip_error_t* error) {
  std::string text = zip_error_strerror(error);
  zip_error_fini(error);
  return text;
}

// An EPUB troupe wrote before, open for reading: its comment and entries.
class OldEpub {
 public:
  explicit OldEpub(const std::string& path) {
    const auto bytes = read_regular_file(path);
    if (!bytes) return;
    bytes_ = *bytes;
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* source = zip_source_buffer_create(bytes_.data(), bytes_.size(), 0, &error);
    if (source) archive_ = zip_open_from_source(source, ZIP_RDONLY, &error);
    if (source && !archive_) zip_source_free(source);
    zip_error_fini(&error);
  }
  ~OldEpub() {
    if (archive_) zip_discard(archive_);
  }
  OldEpub(const OldEpub&) = delete;
  OldEpub& operator=(const OldEpub&) = delete;

  std::string comment() const {
    if (!archive_) return {};
    int length = 0;
    const char* text = zip_get_archive_comment(archive_, &length, ZIP_FL_ENC_RAW);
    return text ? std::string(text, static_cast<std::size_t>(length)) : std::string();
  }

  // The entry called name, whole; nullopt when there is none or it cannot be read.
  std::optional<std::string> entry(const std::string& name) const {
    if (!archive_) return std::nullopt;
    zip_stat_t stat;
    if (zip_stat(archive_, name.c_str(), 0, &stat) != 0 || !(stat.valid & ZIP_STAT_SIZE))
      return std::nullopt;
    std::unique_ptr<zip_file_t, decltype(&zip_fclose)> file(zip_fopen(archive_, name.c_str(), 0),
                                                            zip_fclose);
    if (!file) return std::nullopt;
    std::string content(stat.size, '\0');
    const zip_int64_t read = zip_fread(file.get(), content.data(), stat.size);
    if (read < 0 || static_cast<zip_uint64_t>(read) != stat.size) return std::nullopt;
    return content;
  }

 private:
  std::string bytes_;
  zip_t* archive_ = nullptr;
};

// The ZIP archive of entries, in order, with comment, as bytes.
std::string zip_bytes(const std::string& path, const std::deque<Entry>& entries,
                      const std::string& comment) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
  zip_t* archive = buffer ? zip_open_from_source(buffer, ZIP_TRUNCATE, &error) : nullptr;
  if (!archive) {
    if (buffer) zip_source_free(buffer);
    throw RenderError(path + ": cannot write: " + zip_error_text(&error));
  }
  zip_source_keep(buffer);  // read back after zip_close
  std::unique_ptr<zip_source_t, decltype(&zip_source_free)> kept(buffer, zip_source_free);
  const auto fail = [&] {
    const std::string text = zip_strerror(archive);
    zip_discard(archive);
    throw RenderError(path + ": cannot write: " + text);
  };
  for (const Entry& entry : entries) {
    zip_source_t* source =
        zip_source_buffer(archive, entry.content.data(), entry.content.size(), 0);
    const zip_int64_t index = source ? zip_file_add(archive, entry.name.c_str(), source, 0) : -1;
    if (index < 0) {
      if (source) zip_source_free(source);
      fail();
    }
    const auto at = static_cast<zip_uint64_t>(index);
    if (zip_set_file_compression(archive, at, entry.stored ? ZIP_CM_STORE : ZIP_CM_DEFLATE, 9) ||
        zip_file_set_dostime(archive, at, 0, kDosDate, 0))
      fail();
  }
  if (zip_set_archive_comment(archive, comment.c_str(), static_cast<zip_uint16_t>(comment.size())))
    fail();
  if (zip_close(archive) != 0) fail();
  zip_stat_t stat;
  if (zip_source_stat(buffer, &stat) != 0 || zip_source_open(buffer) != 0)
    throw RenderError(path + ": cannot write: " + zip_error_strerror(zip_source_error(buffer)));
  std::string bytes(stat.size, '\0');
  const zip_int64_t read = zip_source_read(buffer, bytes.data(), stat.size);
  zip_source_close(buffer);
  if (read < 0 || static_cast<zip_uint64_t>(read) != stat.size)
    throw RenderError(path + ": cannot write: the archive could not be read back");
  return bytes;
}

// Writes the EPUB unless the one there holds the same book.
void publish_epub(const std::string& book_folder, const ReadAlongBook& book, bool words) {
  const std::string path = read_along_epub_path(book_folder);
  std::vector<Entry> texts = text_entries(book, words);
  std::vector<std::string> audio_names;
  for (const ReadAlongChapter& chapter : book.chapters)
    audio_names.push_back("EPUB/" + audio_entry(book, chapter));
  std::vector<Entry> signed_entries = texts;
  for (const std::string& name : audio_names) signed_entries.push_back({name, {}, true});
  const std::string comment = archive_comment(signed_entries);
  const OldEpub old(path);
  if (old.comment() == comment) return;

  std::deque<Entry> entries(texts.begin(), texts.end());
  for (std::size_t c = 0; c < book.chapters.size(); ++c) {
    std::optional<std::string> mp3 = old.entry(audio_names[c]);
    if (!mp3) mp3 = encode_mp3((fs::path(book_folder) / book.chapters[c].audio).string());
    entries.push_back({audio_names[c], std::move(*mp3), true});
  }
  write_file_atomically(path, zip_bytes(path, entries, comment));
}

}  // namespace

void publish_read_along(const std::string& book_folder, const ReadAlongBook& book,
                        ReadAlongMode mode) {
  if (mode == ReadAlongMode::kOff || book.chapters.empty()) return;
  publish_epub(book_folder, book, mode == ReadAlongMode::kWords);
  write_file_if_changed(read_along_html_path(book_folder), read_along_html(book));
}

}  // namespace troupe
