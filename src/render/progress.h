// Progress of a render on stderr: a bar on a terminal, a line per chapter otherwise, or only
// the failures (--quiet).
#pragma once

#include <chrono>
#include <cstdio>
#include <string>

#include "render/render.h"

namespace troupe {

class ProgressReport : public RenderObserver {
 public:
  enum class Style { kBar, kLines, kQuiet };
  // kBar when out is a terminal and not quiet, else kLines or kQuiet.
  static Style style_for(std::FILE* out, bool quiet);

  explicit ProgressReport(Style style, std::FILE* out = stderr);
  ~ProgressReport() override;

  void planned(const std::vector<ChapterTask>& to_render, int up_to_date) override;
  void progress(std::size_t utterances) override;
  void part_done(const PreparedStory& story, const ChapterTask& task, std::size_t part,
                 std::size_t parts) override;
  void chapter_done(const PreparedStory& story, const ChapterTask& task,
                    const ManifestChapter& chapter) override;
  void chapter_failed(const PreparedStory& story, const ChapterTask& task,
                      const std::string& message) override;
  void story_done(const PreparedStory& story, const StoryOutcome& outcome) override;
  void writing(const PreparedStory& story, const std::string& path) override;

  // "1:05:09" or "4:02".
  static std::string clock(double seconds);
  // The bar's text for a width of columns.
  std::string bar_line(int columns) const;

 private:
  void draw(bool force);
  void clear();

  Style style_;
  std::FILE* out_;
  std::chrono::steady_clock::time_point start_, last_draw_;
  std::size_t utterances_total_ = 0, utterances_done_ = 0;
  int chapters_total_ = 0, chapters_done_ = 0;
  std::size_t parts_done_ = 0;  // parts of long chapters spoken (see RenderObserver)
  bool drawn_ = false;
};

}  // namespace troupe
