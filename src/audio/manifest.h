// The manifest: a JSON record of what was rendered, chapter by chapter and line by line,
// and the book's other files made from it (an M3U8 playlist, an FFMETADATA chapters file).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace troupe {

// A subtitle cue of an utterance (the span a read-along highlights): its text as written and
// when each of its spoken words begins (eSpeak NG's word events).
struct ManifestCue {
  double start = 0, end = 0;  // seconds from the start of the chapter file
  std::string text;
  std::vector<double> words;  // seconds, in order, within [start, end]
  // Where each of those words begins in the text eSpeak NG was given for the utterance (code
  // points): what maps them back to the words as written (src/publish/read_along).
  std::vector<std::size_t> word_offsets = {};
};

struct ManifestUtterance {
  double start = 0, end = 0;  // seconds from the start of the chapter file
  std::string speaker, voice, text;
  int line = 0;  // 1-based line in the source
  std::vector<ManifestCue> cues;
};

struct ManifestLoudness {
  double integrated = 0;  // LUFS, as rendered
  double true_peak = 0;   // dBTP, as rendered
  double gain = 0;        // dB applied to the chapter
};

struct ManifestChapter {
  int number = 0;
  std::string title, file;
  double duration = 0;                       // seconds
  std::string srt, vtt;                      // subtitle files beside the audio
  std::string inputs;                        // hash of everything the chapter was rendered from
  std::uint64_t bytes = 0;                   // size of the audio file
  std::optional<ManifestLoudness> loudness;  // absent with --loudness off
  std::vector<ManifestUtterance> utterances;
  // The audio's sample rate: not in the chapter's JSON (the manifest gives one for the book).
  int sample_rate = 0;
};

struct ManifestCastEntry {
  std::string speaker, voice;
  char gender = 'x';  // m, f or x
  int lines = 0;
};

struct Manifest {
  std::string story, source, author;
  // What the book says about itself (EPUB metadata), and its cover image's file beside it.
  std::string language, series, series_index, cover;
  int sample_rate = 22050;
  std::vector<ManifestChapter> chapters;
  std::vector<ManifestCastEntry> cast;
};

// Pretty JSON (2-space indent, keys in the order of the structs above), ending in a newline.
// Times are rounded to milliseconds; invalid UTF-8 in text becomes U+FFFD. "author",
// "language", "series", "series_index", "cover" and "loudness" only when there are any.
//
//   {"story": ..., "source": ..., "sample_rate": 22050,
//    "chapters": [{"number": 1, "title": ..., "file": ..., "duration": 12.345,
//                  "srt": ..., "vtt": ..., "inputs": "<hash>", "bytes": 123,
//                  "loudness": {"integrated": -18.0, "true_peak": -3.4, "gain": 1.9},
//                  "utterances": [{"start", "end", "speaker", "voice", "text", "line",
//                                  "cues": [{"start", "end", "text", "words": [1.2, ...],
//                                            "word_offsets": [0, ...]}]}]}],
//    "cast": [{"speaker", "voice", "gender": "f", "lines": 3}]}
std::string manifest_json(const Manifest& manifest);

// Writes manifest_json(manifest) to path atomically; throws RenderError naming path.
void write_manifest(const std::string& path, const Manifest& manifest);

// The manifest in text (manifest_json's form); throws std::exception when it is not one.
Manifest manifest_from_json(const std::string& text);

// The manifest at path; nullopt when there is none or it cannot be read as one.
std::optional<Manifest> read_manifest(const std::string& path);

// A chapter kept as the text it has in manifest.json: a long book's utterances take several
// times more memory as structs, and more again as a JSON tree, than as that text (Oliver Twist:
// 10 MB of JSON). `head` is the chapter without its utterances: what the playlist, the chapters
// file, the M4B and the freshness checks read.
struct ManifestEntry {
  ManifestChapter head;       // utterances left out
  bool missing_cues = false;  // it has utterances and none has cues (recorded before cues were)
  std::string json;           // the chapter's pretty JSON, as in manifest.json (not indented)
};
ManifestEntry manifest_entry(const ManifestChapter& chapter);
// The JSON of a chapter's utterances as it stands in the chapter's (manifest_entry's text):
// made apart, on another thread while the chapter's audio is written, and given to the next.
std::string utterances_json(const std::vector<ManifestUtterance>& utterances);
// manifest_entry(chapter), the utterances' part of its text being `utterances`
// (utterances_json of chapter.utterances): the same entry.
ManifestEntry manifest_entry(ManifestChapter chapter, const std::string& utterances);

// A manifest with its chapters as entries (book.chapters is empty).
struct ManifestEntries {
  Manifest book;
  std::vector<ManifestEntry> chapters;
};

// manifest_json of book with these chapters (book.chapters is not read): the same bytes,
// made from the chapters' texts without a tree of the whole book.
std::string manifest_json(const Manifest& book, const std::vector<const ManifestEntry*>& chapters);

// The manifest at path, as entries: each chapter is read and made an entry before the next is
// (never a tree of the whole book). Null when there is none, it is another user's file, or it
// cannot be read as one. Shared: a render reads its book's manifest up to four times, most
// often unchanged, and each read of the same text gets the entries of one parse (copied each
// time, a six-chapter book's 640 kB of them cost the main process some 600 page faults).
std::shared_ptr<const ManifestEntries> read_manifest_entries(const std::string& path);

// One chapter as compact JSON and back (how a worker process hands a chapter over).
std::string chapter_json(const ManifestChapter& chapter);
ManifestChapter chapter_from_json(const std::string& text);  // throws std::exception

// The chapters as an extended M3U8 playlist, in order, with their durations and titles.
std::string playlist_m3u8(const Manifest& manifest);

// FFMETADATA1 for ffmpeg: the book's title, album and artist, and a [CHAPTER] per chapter at
// its place in the chapters played one after another (milliseconds).
//   ffmpeg -f concat -safe 0 -i list.txt -i chapters.ffmeta -map_metadata 1 -map_chapters 1 ...
std::string ffmetadata(const Manifest& manifest);

}  // namespace troupe
