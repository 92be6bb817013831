// Rendering a prepared story into audio files: one per chapter, plus a manifest.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "audio/wav_writer.h"
#include "render/prepare.h"

namespace troupe {

struct RenderOptions {
  std::string out_dir = "out";
  int first_chapter = 1;       // 1-based, inclusive
  int last_chapter = 1 << 30;  // inclusive
  double rate_scale = 1.0;     // --rate: speeds every voice up or down
  AudioFormat format = AudioFormat::kWav;
};

struct RenderedChapter {
  int number = 0;
  std::string file;
  double seconds = 0;
};

struct RenderResult {
  std::string folder;  // OUTDIR/<story>
  std::vector<RenderedChapter> chapters;
  std::string manifest;
};

// Called after each chapter is written.
using ChapterDone = std::function<void(const RenderedChapter&, int chapters_total)>;

RenderResult render_story(const PreparedStory& story, const RenderOptions& options,
                          const ChapterDone& on_chapter = {});

// "Chapter 3: The Lake" -> "chapter-3-the-lake" (lower-case ASCII, hyphens).
std::string slug(const std::string& title);

// "07-chapter-7.wav": number zero-padded to the width of the count, at least two digits.
std::string chapter_file_name(int number, int count, const std::string& title,
                              const std::string& extension);

}  // namespace troupe
