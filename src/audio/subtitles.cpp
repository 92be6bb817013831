#include "audio/subtitles.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace troupe {
namespace {

// A cue shorter than this is not split off: it would flash by.
constexpr double kMinCueSeconds = 0.6;

// Byte offset of every code point of text, plus one past the end.
std::vector<std::size_t> code_point_offsets(const std::string& text) {
  std::vector<std::size_t> offsets;
  for (std::size_t i = 0; i < text.size(); ++i)
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) offsets.push_back(i);
  offsets.push_back(text.size());
  return offsets;
}

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\n");
  if (first == std::string::npos) return "";
  const auto last = text.find_last_not_of(" \t\n");
  return text.substr(first, last - first + 1);
}

bool ends_sentence(const std::string& gap) {
  return gap.find_first_of(".!?") != std::string::npos ||
         gap.find("\xE2\x80\xA6") != std::string::npos;
}

bool has_break(const std::string& gap) {
  return gap.find_first_of(",;:") != std::string::npos ||
         gap.find("\xE2\x80\x94") != std::string::npos;
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

}  // namespace

std::vector<Cue> utterance_cues(const std::string& text, const std::string& speaker,
                                const std::vector<TimedWord>& words, double start, double end) {
  std::vector<Cue> cues;
  const std::vector<std::size_t> offsets = code_point_offsets(text);
  auto byte_at = [&](std::size_t code_point) {
    return offsets[std::min(code_point, offsets.size() - 1)];
  };
  // Cue boundaries: (byte where the cue's text begins, time it begins).
  std::vector<std::pair<std::size_t, double>> starts{{0, start}};
  for (std::size_t w = 1; w < words.size(); ++w) {
    const std::size_t here = byte_at(words[w].char_offset);
    const std::size_t previous_end = byte_at(words[w - 1].char_offset + words[w - 1].char_length);
    if (here <= starts.back().first || previous_end > here) continue;
    const double time = std::clamp(words[w].time, start, end);
    if (time - starts.back().second < kMinCueSeconds || end - time < kMinCueSeconds) continue;
    const std::string gap = text.substr(previous_end, here - previous_end);
    const std::size_t length = here - starts.back().first;
    // The text this cue would have if it ran on to the next word after this one.
    const std::size_t next = w + 1 < words.size() ? byte_at(words[w + 1].char_offset) : text.size();
    const bool too_long_next = next - starts.back().first > kCueChars;
    if (ends_sentence(gap) || (has_break(gap) && length > kCueChars * 3 / 5) || too_long_next)
      starts.emplace_back(here, time);
  }
  for (std::size_t c = 0; c < starts.size(); ++c) {
    const std::size_t from = starts[c].first;
    const std::size_t to = c + 1 < starts.size() ? starts[c + 1].first : text.size();
    Cue cue;
    cue.start = starts[c].second;
    cue.end = c + 1 < starts.size() ? starts[c + 1].second : end;
    cue.speaker = speaker;
    cue.text = trim(text.substr(from, to - from));
    if (cue.text.empty() || cue.end <= cue.start) continue;
    cues.push_back(std::move(cue));
  }
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
