#include "render/progress.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>

#include "render/interrupt.h"

namespace troupe {

ProgressReport::Style ProgressReport::style_for(std::FILE* out, bool quiet) {
  if (quiet) return Style::kQuiet;
  return ::isatty(::fileno(out)) ? Style::kBar : Style::kLines;
}

ProgressReport::ProgressReport(Style style, std::FILE* out)
    : style_(style), out_(out), start_(std::chrono::steady_clock::now()) {}

ProgressReport::~ProgressReport() { clear(); }

std::string ProgressReport::clock(double seconds) {
  const long total = std::lround(std::max(0.0, seconds));
  char buffer[32];
  if (total >= 3600)
    std::snprintf(buffer, sizeof buffer, "%ld:%02ld:%02ld", total / 3600, total / 60 % 60,
                  total % 60);
  else
    std::snprintf(buffer, sizeof buffer, "%ld:%02ld", total / 60, total % 60);
  return buffer;
}

std::string ProgressReport::bar_line(int columns) const {
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double fraction =
      utterances_total_ > 0 ? static_cast<double>(utterances_done_) / utterances_total_ : 0.0;
  std::string tail =
      " " + std::to_string(chapters_done_) + "/" + std::to_string(chapters_total_) + " chapters" +
      (parts_done_ > 0 ? " (" + std::to_string(parts_done_) + " parts spoken)" : "") + ", " +
      std::to_string(utterances_done_) + "/" + std::to_string(utterances_total_) + " utterances, " +
      clock(elapsed);
  if (fraction > 0.02 && fraction < 1.0)
    tail += ", ~" + clock(elapsed / fraction * (1 - fraction)) + " left";
  const int width = std::clamp(columns - static_cast<int>(tail.size()) - 3, 10, 40);
  const int filled = static_cast<int>(std::lround(fraction * width));
  return "[" + std::string(static_cast<std::size_t>(filled), '#') +
         std::string(static_cast<std::size_t>(width - filled), '-') + "]" + tail;
}

void ProgressReport::draw(bool force) {
  if (style_ != Style::kBar) return;
  const auto now = std::chrono::steady_clock::now();
  if (!force && drawn_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  winsize size{};
  int columns = 80;
  if (::ioctl(::fileno(out_), TIOCGWINSZ, &size) == 0 && size.ws_col > 0) columns = size.ws_col;
  std::fprintf(out_, "\r%s\x1b[K", bar_line(columns - 1).c_str());
  std::fflush(out_);
  drawn_ = true;
}

void ProgressReport::clear() {
  if (!drawn_) return;
  std::fprintf(out_, "\r\x1b[K");
  std::fflush(out_);
  drawn_ = false;
}

void ProgressReport::planned(const std::vector<ChapterTask>& to_render, int /*up_to_date*/) {
  chapters_total_ = static_cast<int>(to_render.size());
  for (const auto& task : to_render) utterances_total_ += task.utterances;
  start_ = std::chrono::steady_clock::now();
  draw(true);
}

void ProgressReport::progress(std::size_t utterances) {
  utterances_done_ = std::min(utterances_total_, utterances_done_ + utterances);
  draw(false);
}

void ProgressReport::part_done(const PreparedStory& /*story*/, const ChapterTask& task,
                               std::size_t part, std::size_t parts) {
  ++parts_done_;
  if (style_ == Style::kLines) {
    std::fprintf(out_, "troupe: chapter %d/%d, part %zu/%zu spoken\n", task.number, task.count,
                 part + 1, parts);
    std::fflush(out_);
  }
  draw(true);
}

void ProgressReport::chapter_done(const PreparedStory& /*story*/, const ChapterTask& task,
                                  const ManifestChapter& chapter) {
  ++chapters_done_;
  if (style_ == Style::kLines) {
    const long seconds = std::lround(chapter.duration);
    std::fprintf(out_, "troupe: chapter %d/%d -> %s/%s (%ld min %ld s)\n", task.number, task.count,
                 task.folder.c_str(), task.audio.c_str(), seconds / 60, seconds % 60);
    std::fflush(out_);
  }
  draw(true);
}

void ProgressReport::chapter_failed(const PreparedStory& story, const ChapterTask& task,
                                    const std::string& message) {
  ++chapters_done_;
  if (interrupted()) return;  // one line says so at the end, not one per chapter left undone
  clear();
  std::fprintf(out_, "troupe: %s: chapter %d: %s\n", story.story.path.c_str(), task.number,
               message.c_str());
  std::fflush(out_);
  draw(true);
}

void ProgressReport::story_done(const PreparedStory& /*story*/, const StoryOutcome& outcome) {
  if (style_ == Style::kQuiet) return;
  clear();
  std::string line =
      "troupe: wrote " + std::to_string(outcome.rendered) + " chapter(s) to " + outcome.folder;
  if (outcome.up_to_date > 0) line += " (" + std::to_string(outcome.up_to_date) + " up to date)";
  if (outcome.failed > 0) line += " (" + std::to_string(outcome.failed) + " failed)";
  std::fprintf(out_, "%s\n", line.c_str());
  std::fflush(out_);
  if (chapters_done_ < chapters_total_) draw(true);
}

void ProgressReport::writing(const PreparedStory& /*story*/, const std::string& path) {
  if (style_ == Style::kQuiet) return;
  clear();
  std::fprintf(out_, "troupe: writing %s\n", path.c_str());
  std::fflush(out_);
}

}  // namespace troupe
