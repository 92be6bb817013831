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
constexpr const char* kEpubLayout = "read-along-epub/1";
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
  hasher.add(chapter.inputs).add(chapter.audio).add(static_cast<std::int64_t>(chapter.bytes));
  return "audio/" + chapter_key(book, chapter) + "-" + hasher.hex().substr(0, 12) + ".mp3";
}

std::string cover_entry(const ReadAlongBook& book) {
  if (book.cover.empty()) return {};
  const std::string type = book.cover_media_type.substr(book.cover_media_type.find('/') + 1);
  return "cover." + (type == "jpeg" ? std::string("jpg") : type == "svg+xml" ? "svg" : type);
}

constexpr const char* kContainer =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<container version=\"1.0\" xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">\n"
    "  <rootfiles>\n"
    "    <rootfile full-path=\"EPUB/package.opf\" media-type=\"application/oebps-package+xml\"/>\n"
    "  </rootfiles>\n"
    "</container>\n";

std::string xhtml_head(const ReadAlongBook& book, const std::string& title,
                       const std::string& css) {
  const std::string lang = xml_escape(book.language);
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n"
         "<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" "
         "xml:lang=\"" +
         lang + "\" lang=\"" + lang + "\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>" +
         xml_escape(title) + "</title>\n<link rel=\"stylesheet\" type=\"text/css\" href=\"" + css +
         "\"/>\n</head>\n";
}

// The id of the chapter's <section> (what its overlay's <seq> stands for).
std::string section_id(const ReadAlongChapter& chapter) {
  return "c" + std::to_string(chapter.number);
}

std::string chapter_xhtml(const ReadAlongBook& book, const ReadAlongChapter& chapter, bool words) {
  return xhtml_head(book, chapter.title, "../style.css") +
         "<body>\n<section epub:type=\"chapter\" id=\"" + section_id(chapter) + "\">\n" +
         chapter_markup(chapter, words, false) + "</section>\n</body>\n</html>\n";
}

std::string par(const std::string& text, const std::string& audio, double begin, double end) {
  return "<par><text src=\"" + text + "\"/><audio src=\"" + audio + "\" clipBegin=\"" +
         clock_value(begin) + "\" clipEnd=\"" + clock_value(end) + "\"/></par>\n";
}

std::string chapter_smil(const ReadAlongBook& book, const ReadAlongChapter& chapter, bool words) {
  const std::string text = "../text/" + chapter_key(book, chapter) + ".xhtml";
  const std::string audio = "../" + audio_entry(book, chapter);
  std::string out =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<smil xmlns=\"http://www.w3.org/ns/SMIL\" xmlns:epub=\"http://www.idpf.org/2007/ops\" "
      "version=\"3.0\">\n<body>\n<seq epub:textref=\"" +
      text + "#" + section_id(chapter) + "\">\n";
  for (const ReadAlongSpan& span : chapter.spans) {
    if (!words || span.words.empty()) {
      out += par(text + "#" + span.id, audio, span.start, span.end);
      continue;
    }
    for (std::size_t w = 0; w < span.words.size(); ++w)
      out += par(text + "#" + span.id + "w" + std::to_string(w + 1), audio, span.words[w].start,
                 span.words[w].stop);
  }
  return out + "</seq>\n</body>\n</smil>\n";
}

std::string nav_xhtml(const ReadAlongBook& book) {
  std::string out = xhtml_head(book, book.title, "style.css") +
                    "<body>\n<nav epub:type=\"toc\" id=\"toc\">\n<h1>" + xml_escape(book.title) +
                    "</h1>\n<ol>\n";
  for (const ReadAlongChapter& chapter : book.chapters)
    out += "<li><a href=\"text/" + chapter_key(book, chapter) + ".xhtml\">" +
           xml_escape(chapter.title) + "</a></li>\n";
  return out + "</ol>\n</nav>\n</body>\n</html>\n";
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

std::string item(const std::string& id, const std::string& href, const std::string& type,
                 const std::string& extra = {}) {
  return "    <item id=\"" + id + "\" href=\"" + href + "\" media-type=\"" + type + "\"" + extra +
         "/>\n";
}

std::string package_metadata(const ReadAlongBook& book) {
  std::string out =
      "  <metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
      "    <dc:identifier id=\"book-id\">" +
      book.identifier + "</dc:identifier>\n    <dc:title>" + xml_escape(book.title) +
      "</dc:title>\n";
  if (!book.author.empty()) out += "    <dc:creator>" + xml_escape(book.author) + "</dc:creator>\n";
  out += "    <dc:language>" + xml_escape(book.language) + "</dc:language>\n";
  out += std::string("    <meta property=\"dcterms:modified\">") + kModified + "</meta>\n";
  // The book's duration is the sum of the overlays' durations as written (epubcheck adds them).
  long long total_ms = 0;
  for (const ReadAlongChapter& chapter : book.chapters) {
    const long long ms = std::llround(chapter.duration * 1000.0);
    total_ms += ms;
    out += "    <meta property=\"media:duration\" refines=\"#mo-" + chapter_key(book, chapter) +
           "\">" + clock_value(static_cast<double>(ms) / 1000.0) + "</meta>\n";
  }
  out += "    <meta property=\"media:duration\">" +
         clock_value(static_cast<double>(total_ms) / 1000.0) + "</meta>\n";
  out += "    <meta property=\"media:narrator\">eSpeak NG voices, cast by troupe</meta>\n";
  out += std::string("    <meta property=\"media:active-class\">") + kActiveClass + "</meta>\n";
  return out + "  </metadata>\n";
}

std::string package_opf(const ReadAlongBook& book) {
  std::string out =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\" "
      "unique-identifier=\"book-id\" xml:lang=\"" +
      xml_escape(book.language) + "\">\n" + package_metadata(book) + "  <manifest>\n";
  out += item("nav", "nav.xhtml", "application/xhtml+xml", " properties=\"nav\"");
  out += item("style", "style.css", "text/css");
  if (!book.cover.empty())
    out += item("cover", cover_entry(book), book.cover_media_type, " properties=\"cover-image\"");
  for (const ReadAlongChapter& chapter : book.chapters) {
    const std::string key = chapter_key(book, chapter);
    out += item(key, "text/" + key + ".xhtml", "application/xhtml+xml",
                " media-overlay=\"mo-" + key + "\"");
    out += item("mo-" + key, "smil/" + key + ".smil", "application/smil+xml");
    out += item("audio-" + key, audio_entry(book, chapter), "audio/mpeg");
  }
  out += "  </manifest>\n  <spine>\n";
  for (const ReadAlongChapter& chapter : book.chapters)
    out += "    <itemref idref=\"" + chapter_key(book, chapter) + "\"/>\n";
  return out + "  </spine>\n</package>\n";
}

// Every entry but the audio, whose names stand for their content.
std::vector<Entry> text_entries(const ReadAlongBook& book, bool words) {
  std::vector<Entry> entries{{"mimetype", "application/epub+zip", true},
                             {"META-INF/container.xml", kContainer, false},
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
