// One M4B audiobook per book, encoded in-process with FFmpeg's libraries: the chapter files
// joined into one AAC track, the chapter marks (a QuickTime chapter text track, which Apple
// Books, VLC and ffprobe read, and a Nero `chpl` list when the book has at most 255 chapters,
// the most it can hold), the cover as an attached picture, and the book's tags.
#pragma once

#include <functional>
#include <string>

#include "audio/manifest.h"

namespace troupe {

// What a player shows about the book. Empty fields are left out of the file.
struct BookInfo {
  std::string title;        // the title and album tags
  std::string author;       // the artist and album artist tags
  std::string year;         // the date tag, e.g. "1838"
  std::string series;       // the grouping tag, with series_part: "Series, Book 2"
  std::string series_part;  // e.g. "2"
  std::string cover;        // the cover image's bytes (JPEG or PNG); empty: no cover
};

// The M4B's bit rate (AAC, the chapters' own sample rate and channels).
inline constexpr int kM4bBitRate = 64000;

// The bytes of a cover image file for BookInfo::cover. Throws InputError naming the file when
// it cannot be read or is neither a JPEG nor a PNG.
std::string read_cover_image(const std::string& path);

// "OUTDIR/STORY" -> "OUTDIR/STORY/STORY.m4b".
std::string m4b_path(const std::string& book_folder);

// Writes the book's M4B beside its chapters (m4b_path) from the chapter files the manifest
// lists, in order, unless the M4B there was already made from the same chapters and BookInfo.
// Written to a temporary file that is renamed into place. Returns whether it wrote. Throws
// RenderError naming the file at fault (a chapter that cannot be read, the M4B that cannot be
// written), or "interrupted" once SIGINT or SIGTERM has arrived.
// starting(path), when given, is called once it is decided that the M4B will be written.
bool publish_m4b(const std::string& book_folder, const Manifest& manifest, const BookInfo& book,
                 const std::function<void(const std::string&)>& starting = {});

}  // namespace troupe
