// Read-along books: the text of a rendered book with each spoken span timed, written as an
// EPUB 3 with Media Overlays (BOOK.epub: a reading system highlights the span being read) and
// as one self-contained web page beside the audio (BOOK.html).
//
// The spans are the subtitle cues of the manifest (their text as written); words, in `words`
// mode, are the cue's written words timed by eSpeak NG's word events.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "audio/manifest.h"
#include "render/prepare.h"

namespace troupe {

enum class ReadAlongMode { kOff, kSentences, kWords };

// "sentences" / "words" -> the mode; throws std::invalid_argument for anything else.
ReadAlongMode read_along_mode(const std::string& name);

// A word of a span: where it is in the span's text (bytes) and when it is spoken.
struct ReadAlongWord {
  std::size_t begin = 0, end = 0;
  double start = 0, stop = 0;  // seconds from the start of the chapter's audio
};

// One spoken span: a cue, in the element with this id.
struct ReadAlongSpan {
  std::string id;       // "c3s12": unique in the book
  std::string speaker;  // the speaker's class
  std::string text;     // as written
  double start = 0, end = 0;
  std::vector<ReadAlongWord> words;  // cover the span's words, in order
};

// A piece of a paragraph: a span (span >= 0) or text nobody speaks (quotation marks, text the
// script skips).
struct ReadAlongPiece {
  int span = -1;     // index into the chapter's spans
  std::string text;  // when span < 0
};

enum class BlockKind { kHeading, kParagraph, kSceneBreak };

struct ReadAlongBlock {
  BlockKind kind = BlockKind::kParagraph;
  std::vector<ReadAlongPiece> pieces;
};

struct ReadAlongChapter {
  int number = 0;
  std::string title;        // never empty
  std::string audio;        // the chapter's audio file, beside the manifest
  std::string inputs;       // the manifest's hash of what the chapter was rendered from
  std::uint64_t bytes = 0;  // the audio file's size
  double duration = 0;
  std::vector<ReadAlongSpan> spans;
  std::vector<ReadAlongBlock> blocks;
};

struct ReadAlongSpeaker {
  std::string name;    // as the manifest says it
  std::string css;     // its class: "narrator" or a slug of the name
  std::string colour;  // "#rrggbb": the background of its active span
};

struct ReadAlongBook {
  std::string title, author, language;  // language: a BCP 47 tag, "en" when unknown
  std::string identifier;               // "urn:uuid:...", from the source's path and title
  std::string cover, cover_media_type;  // the input's cover image; empty: none
  std::vector<ReadAlongSpeaker> speakers;
  std::vector<ReadAlongChapter> chapters;
};

// The words of a cue's written text, timed: each from its start to the next one's, a word with
// no time of its own joining the one before. spoken: what eSpeak NG was given to say the cue's
// utterance, where the cue's word_offsets point; with them, eSpeak NG's word events are mapped
// back to the words as written (a respelled word begins when its spoken words do), without them
// (an older manifest) the written words are timed at even steps through the spoken words.
std::vector<ReadAlongWord> read_along_words(const ManifestCue& cue, const std::string& spoken);

// The read-along book from a story and its manifest: every chapter the manifest lists that was
// rendered from the story as it is now (one whose utterances are not those the story says now,
// or that has no cues, is left out). rate_scale: --rate, as rendered.
ReadAlongBook read_along_book(const PreparedStory& story, const Manifest& manifest,
                              double rate_scale);

// "OUTDIR/STORY" -> "OUTDIR/STORY/STORY.epub" and ".html".
std::string read_along_epub_path(const std::string& book_folder);
std::string read_along_html_path(const std::string& book_folder);

// The page: the book's text and timings inline, playing the chapter files beside it.
std::string read_along_html(const ReadAlongBook& book);

// Writes BOOK.epub and BOOK.html into the book's folder (atomically, each only when it
// changes), the chapters' audio encoded as MP3 into the EPUB. Throws RenderError naming the
// file at fault.
void publish_read_along(const std::string& book_folder, const ReadAlongBook& book,
                        ReadAlongMode mode);

}  // namespace troupe
