#include "audio/subtitles.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string_view>

namespace troupe {
namespace {

// A cue shorter than this is not split off: it would flash by.
constexpr double kMinCueSeconds = 0.6;

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\n");
  if (first == std::string::npos) return "";
  const auto last = text.find_last_not_of(" \t\n");
  return text.substr(first, last - first + 1);
}

// Whether the word before the space at i ends a clause: a comma, semicolon, colon or dash.
bool clause_ends_before(const std::string& text, std::size_t space) {
  if (space == 0) return false;
  const char c = text[space - 1];
  return c == ',' || c == ';' || c == ':' ||
         std::string_view(text).substr(0, space).ends_with("\xE2\x80\x94");
}

// Where a text too long for one cue is cut after from: at the last clause end past three fifths
// of a cue's length, else at the last space, within kCueChars; never inside a code point.
std::size_t cut_for_cue(const std::string& text, std::size_t from) {
  const std::size_t limit = std::min(text.size(), from + kCueChars);
  std::size_t space = std::string::npos;
  for (std::size_t i = limit; i > from + 1; --i) {
    if (text[i - 1] != ' ') continue;
    if (i - 1 > from + kCueChars * 3 / 5 && clause_ends_before(text, i - 1)) return i;
    if (space == std::string::npos) space = i;
  }
  if (space != std::string::npos) return space;
  std::size_t i = limit;  // one long word: cut between code points
  while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) ++i;
  return i;
}

// Cues for one stretch of text shown from start to end: pieces of at most about kCueChars,
// each given a share of the time by its length, none shorter than kMinCueSeconds.
void add_cues(const std::string& text, const std::string& speaker, double start, double end,
              std::vector<Cue>& cues) {
  if (text.empty() || end <= start) return;
  const double per_byte = (end - start) / static_cast<double>(text.size());
  std::size_t from = 0;
  while (from < text.size()) {
    std::size_t to = text.size() - from > kCueChars ? cut_for_cue(text, from) : text.size();
    if ((text.size() - to) * per_byte < kMinCueSeconds) to = text.size();
    const double cue_start = start + static_cast<double>(from) * per_byte;
    const double cue_end = to == text.size() ? end : start + static_cast<double>(to) * per_byte;
    Cue cue{cue_start, cue_end, speaker, trim(text.substr(from, to - from)), {}};
    if (!cue.text.empty()) cues.push_back(std::move(cue));
    from = to;
  }
}

std::string timestamp(double seconds, char separator) {
  long long ms = std::llround(std::max(0.0, seconds) * 1000.0);
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%02lld:%02lld:%02lld%c%03lld", ms / 3600000,
                ms / 60000 % 60, ms / 1000 % 60, separator, ms % 1000);
  return buffer;
}

std::string escape_vtt(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '&')
      out += "&amp;";
    else if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else
      out += c;
  }
  return out;
}

// Each word's time to the cue whose time holds it (the last cue holds its end too).
void add_word_times(const std::vector<TimedWord>& words, std::vector<Cue>& cues) {
  std::size_t c = 0;
  for (const TimedWord& word : words) {
    if (cues.empty()) return;
    while (c + 1 < cues.size() && word.time >= cues[c + 1].start) ++c;
    if (word.time >= cues[c].start && word.time <= cues[c].end) {
      cues[c].words.push_back(word.time);
      cues[c].word_offsets.push_back(word.char_offset);
    }
  }
}

}  // namespace

std::vector<Cue> utterance_cues(const std::vector<CueSentence>& sentences,
                                const std::string& speaker, const std::vector<TimedWord>& words,
                                double start, double end) {
  // Each cue: its text (whole sentences) and when it begins.
  std::vector<std::pair<std::string, double>> groups;
  std::size_t w = 0;
  for (const CueSentence& sentence : sentences) {
    const std::string text = trim(sentence.written);
    if (text.empty()) continue;
    while (w < words.size() && words[w].char_offset < sentence.spoken_offset) ++w;
    const double time = w < words.size() ? std::clamp(words[w].time, start, end) : end;
    const bool own_cue = groups.empty() || (time - groups.back().second >= kMinCueSeconds &&
                                            end - time >= kMinCueSeconds && !words.empty());
    if (own_cue)
      groups.emplace_back(text, groups.empty() ? start : time);
    else
      groups.back().first += " " + text;
  }
  std::vector<Cue> cues;
  for (std::size_t g = 0; g < groups.size(); ++g)
    add_cues(groups[g].first, speaker, groups[g].second,
             g + 1 < groups.size() ? groups[g + 1].second : end, cues);
  add_word_times(words, cues);
  return cues;
}

std::string srt_text(const std::vector<Cue>& cues) {
  std::string out;
  int number = 0;
  for (const Cue& cue : cues) {
    out += std::to_string(++number) + "\n" + timestamp(cue.start, ',') + " --> " +
           timestamp(cue.end, ',') + "\n" + cue.speaker + ": " + cue.text + "\n\n";
  }
  return out;
}

std::string webvtt_text(const std::vector<Cue>& cues) {
  std::string out = "WEBVTT\n\n";
  for (const Cue& cue : cues) {
    out += timestamp(cue.start, '.') + " --> " + timestamp(cue.end, '.') + "\n<v " +
           escape_vtt(cue.speaker) + ">" + escape_vtt(cue.text) + "\n\n";
  }
  return out;
}

}  // namespace troupe
