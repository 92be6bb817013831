#include "sources/block_book.h"

#include <algorithm>
#include <cctype>

#include "common/ascii.h"

namespace troupe {
namespace {

constexpr int kMaxTitlePageWords = 60;

int words_of(const Chapter& chapter) {
  int words = 0;
  for (const Paragraph& p : chapter.paragraphs)
    if (p.kind == ParagraphKind::Text)
      words += 1 + static_cast<int>(std::count(p.text.begin(), p.text.end(), ' '));
  return words;
}

bool is_contents_title(const std::string& title) {
  const std::string t = lower_ascii(title);
  return t == "contents" || t == "table of contents" || t == "contents." || t == "index";
}

struct HeadingLevels {
  int chapter = 0;  // headings of this level or above open chapters (0: none do)
  int title = 0;    // the level of the book's title heading (0: none)
};

// The level whose headings open chapters, and the book title's: the only heading of the
// shallowest level, when it stands above all the text.
HeadingLevels heading_levels(const std::vector<TextBlock>& blocks) {
  int top = 7, top_count = 0;
  for (const TextBlock& b : blocks) {
    if (b.level == 0 || b.level > top) continue;
    top_count = b.level == top ? top_count + 1 : 1;
    top = b.level;
  }
  if (top == 7) return {};
  const auto first_text = std::find_if(blocks.begin(), blocks.end(), [](const TextBlock& b) {
    return b.kind == ParagraphKind::Text && b.level == 0;
  });
  const auto first_top = std::find_if(blocks.begin(), blocks.end(),
                                      [&](const TextBlock& b) { return b.level == top; });
  if (top_count != 1 || first_top > first_text) return {top, 0};
  int next = 7;
  for (const TextBlock& b : blocks)
    if (b.level > top) next = std::min(next, b.level);
  return {next == 7 ? 0 : next, top};
}

Paragraph paragraph_of(const TextBlock& block, const ReadOptions& options) {
  Paragraph p;
  p.kind = block.kind;
  p.text = block.text;
  p.line = std::max(block.source_line, 1);
  if (p.kind == ParagraphKind::Text && !options.read_notes && is_note_paragraph(p.text))
    p.kind = ParagraphKind::Skipped;
  return p;
}

}  // namespace

bool has_text(const Chapter& chapter) {
  return std::any_of(chapter.paragraphs.begin(), chapter.paragraphs.end(),
                     [](const Paragraph& p) { return p.kind == ParagraphKind::Text; });
}

std::vector<Chapter> carry_empty_chapters(std::vector<Chapter> chapters, RecordLines lines) {
  const bool in_documents = lines == RecordLines::InDocuments;
  std::vector<Chapter> kept;
  std::vector<Paragraph> carried;
  for (Chapter& chapter : chapters) {
    if (!has_text(chapter)) {
      // A page's chapter without a heading has a made-up title (the file's name): not carried.
      if (!chapter.title.empty() && (in_documents || chapter.line > 0)) {
        Paragraph title;
        title.kind = ParagraphKind::Skipped;
        title.text = chapter.title;
        title.line = std::max(chapter.line, 1);
        if (in_documents) title.source = chapter.source;
        carried.push_back(std::move(title));
      }
      for (Paragraph& p : chapter.paragraphs) carried.push_back(std::move(p));
      continue;
    }
    if (!carried.empty()) {
      chapter.paragraphs.insert(chapter.paragraphs.begin(),
                                std::make_move_iterator(carried.begin()),
                                std::make_move_iterator(carried.end()));
      // Records from other documents have lines of their own: the title comes first.
      if (in_documents) chapter.line = 0;
      carried.clear();
    }
    kept.push_back(std::move(chapter));
  }
  if (!kept.empty())
    for (Paragraph& p : carried) kept.back().paragraphs.push_back(std::move(p));
  return kept;
}

void skip_gutenberg_text(std::vector<TextBlock>& blocks) {
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    const std::string text = lower_ascii(blocks[i].text.substr(0, 200));
    if (text.rfind("***", 0) != 0 || text.find("gutenberg") == std::string::npos) continue;
    const bool start = text.find("start of th") != std::string::npos;
    const bool end = text.find("end of th") != std::string::npos;
    if (!start && !end) continue;
    for (std::size_t j = start ? 0 : i; j < (start ? i + 1 : blocks.size()); ++j)
      blocks[j].kind = ParagraphKind::Skipped;
  }
}

PageChapters chapters_of_page(std::vector<TextBlock> blocks, const std::string& path,
                              const std::string& default_title, const ReadOptions& options) {
  skip_gutenberg_text(blocks);
  PageChapters page;
  const HeadingLevels levels = heading_levels(blocks);
  std::vector<Chapter> chapters = {Chapter{default_title, path, 0, {}}};
  bool in_heading = false;  // the blocks so far since the chapter opened are headings
  for (const TextBlock& b : blocks) {
    if (levels.title > 0 && page.title.empty() && b.level == levels.title) {
      page.title = b.text;
      chapters.back().title = b.text;
      continue;
    }
    if (b.level > 0 && b.level <= levels.chapter && !in_heading) {
      chapters.push_back(Chapter{b.text, path, std::max(b.source_line, 1), {}});
      in_heading = true;
      continue;
    }
    if (b.level > 0 && in_heading) {
      std::string& title = chapters.back().title;
      const bool closed = !title.empty() && (title.back() == '.' || title.back() == ':');
      title += (closed ? " " : ". ") + b.text;
      continue;
    }
    in_heading = false;
    chapters.back().paragraphs.push_back(paragraph_of(b, options));
  }
  for (Chapter& chapter : chapters)
    if (is_contents_title(chapter.title))
      for (Paragraph& p : chapter.paragraphs) p.kind = ParagraphKind::Skipped;
  // A few words above the first heading of a book of chapters: its title page ("by ...").
  if (chapters.size() > 1 && chapters[0].line == 0 && words_of(chapters[0]) <= kMaxTitlePageWords)
    for (Paragraph& p : chapters[0].paragraphs) p.kind = ParagraphKind::Skipped;
  page.chapters = carry_empty_chapters(std::move(chapters), RecordLines::InTheFile);
  return page;
}

}  // namespace troupe
