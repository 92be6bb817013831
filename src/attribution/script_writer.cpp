// Writing a chapter's script from its decided quotation paragraphs: titles, narration, pauses,
// and each quotation with its speaker, rule and delivery (a nested quotation as its pieces).
#include <algorithm>

#include "attribution/sieve.h"
#include "text/utf8.h"

namespace troupe::sieve {

std::string Sieve::speaker_label(int id) const {
  return id == kUnknown ? kUnknownLabel : table_.characters[id].name;
}

ChapterScript Sieve::write_chapter(const Chapter& chapter,
                                   const std::vector<QuoteParagraph>& qps) const {
  ChapterScript out;
  out.title = chapter.title;
  out.source = chapter.source;
  // The title, in line order: after notes that stand above a story's title line.
  bool title_written = chapter.title.empty();
  auto write_title = [&] {
    ScriptLine title;
    title.kind = LineKind::Title;
    title.line = chapter.line;
    title.speaker = kNarratorLabel;
    title.text = chapter.title;
    title.paragraph_start = true;
    // An archive's chapter: the document its heading is in.
    if (!chapter.paragraphs.empty() && !chapter.paragraphs.front().source.empty())
      title.source = chapter.source;
    out.lines.push_back(title);
    title_written = true;
  };
  std::size_t next_qp = 0;
  for (int i = 0; i < static_cast<int>(chapter.paragraphs.size()); ++i) {
    const auto& p = chapter.paragraphs[i];
    if (!title_written && p.line > chapter.line) write_title();
    if (p.kind == ParagraphKind::SceneBreak) {
      out.lines.push_back(ScriptLine{LineKind::Pause, p.line, kNarratorLabel, p.text, "", "",
                                     Delivery::Normal, PauseKind::SceneBreak, true, p.source});
      continue;
    }
    if (p.kind == ParagraphKind::Skipped) {
      out.lines.push_back(ScriptLine{LineKind::Skipped, p.line, kNarratorLabel, p.text, "", "",
                                     Delivery::Normal, PauseKind::None, true, p.source});
      continue;
    }
    const QuoteParagraph* qp =
        next_qp < qps.size() && qps[next_qp].paragraph == i ? &qps[next_qp++] : nullptr;
    write_paragraph(p, qp, out.lines);
  }
  if (!title_written) write_title();
  return out;
}

void Sieve::write_paragraph(const Paragraph& p, const QuoteParagraph* qp,
                            std::vector<ScriptLine>& lines) const {
  bool first = true;
  // A paragraph without speech is one stretch of narration, mentioned words and all.
  auto segments =
      qp ? qp->segments : std::vector<Segment>{Segment{false, 0, p.text.size(), nullptr}};
  int quote_index = 0;
  for (const auto& s : segments) {
    ScriptLine line;
    line.text = p.text.substr(s.begin, s.end - s.begin);
    line.paragraph_start = first;
    line.source = p.source;
    if (s.is_quote) {
      line.kind = LineKind::Quote;
      line.line = s.quote->line;
      line.speaker = speaker_label(qp->speakers[quote_index]);
      line.rule = rule_name(qp->rules[quote_index]);
      line.delivery = qp->deliveries[quote_index];
      ++quote_index;
      if (!s.quote->nested.empty()) {
        write_nested_pieces(p, s, line, lines);
        first = false;
        continue;
      }
    } else {
      line.kind = LineKind::Narration;
      line.line = p.line_of(s.begin);
      line.speaker = kNarratorLabel;
      trim_narration(line.text);
      if (!has_words(line.text)) continue;
    }
    lines.push_back(std::move(line));
    first = false;
  }
}

// A quotation that quotes another ("I said 'no,' you know") is written as its pieces, the
// nested quotation one of them, each on its own source line; the speaker says them all.
void Sieve::write_nested_pieces(const Paragraph& p, const Segment& s, const ScriptLine& whole,
                                std::vector<ScriptLine>& lines) {
  auto write_piece = [&](std::size_t begin, std::size_t end) {
    begin = std::max(begin, s.begin);
    end = std::min(end, s.end);
    if (begin >= end) return;
    while (begin < end && (p.text[begin] == ' ' || p.text[begin] == ',')) ++begin;
    ScriptLine piece = whole;
    piece.text = p.text.substr(begin, end - begin);
    trim_narration(piece.text);
    if (!has_words(piece.text)) return;
    piece.line = begin == s.begin ? whole.line : p.line_of(begin);
    lines.push_back(std::move(piece));
  };
  const std::size_t first_line = lines.size();
  std::size_t at = s.begin;
  for (const auto& [open, close] : s.quote->nested) {
    std::size_t words_begin = open, words_end = close;
    next_code_point(p.text, words_begin);
    previous_code_point(p.text, words_end);
    write_piece(at, open);
    write_piece(words_begin, words_end);
    at = close;
  }
  write_piece(at, s.end);
  for (std::size_t i = first_line; i < lines.size(); ++i)
    lines[i].paragraph_start = whole.paragraph_start && i == first_line;
}

void Sieve::trim_narration(std::string& text) {
  std::size_t b = 0, e = text.size();
  while (b < e && (text[b] == ' ' || text[b] == ',')) ++b;
  while (e > b && text[e - 1] == ' ') --e;
  text = text.substr(b, e - b);
}

bool Sieve::has_words(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    char32_t c = next_code_point(text, i);
    if (is_letter(c) || (c >= '0' && c <= '9')) return true;
  }
  return false;
}
}  // namespace troupe::sieve
