#include "text/utf8.h"

namespace troupe {
namespace {

int sequence_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;
}

bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

}  // namespace

std::optional<std::size_t> first_invalid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    auto lead = static_cast<unsigned char>(s[i]);
    int len = sequence_length(lead);
    if (len == 0 || i + len > s.size()) return i;
    for (int k = 1; k < len; ++k)
      if (!is_continuation(static_cast<unsigned char>(s[i + k]))) return i;
    auto second = static_cast<unsigned char>(len > 1 ? s[i + 1] : 0);
    // Overlong forms, surrogates and code points above U+10FFFF.
    if ((lead == 0xE0 && second < 0xA0) || (lead == 0xED && second > 0x9F) ||
        (lead == 0xF0 && second < 0x90) || (lead == 0xF4 && second > 0x8F))
      return i;
    i += len;
  }
  return std::nullopt;
}

char32_t next_code_point(std::string_view s, std::size_t& i) {
  auto lead = static_cast<unsigned char>(s[i]);
  int len = sequence_length(lead);
  if (len <= 1 || i + len > s.size()) {
    ++i;
    return lead;
  }
  char32_t c = lead & (0xFF >> (len + 1));
  for (int k = 1; k < len; ++k) c = (c << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  i += len;
  return c;
}

char32_t previous_code_point(std::string_view s, std::size_t& i) {
  if (i == 0) return 0;
  std::size_t start = i - 1;
  while (start > 0 && is_continuation(static_cast<unsigned char>(s[start]))) --start;
  std::size_t j = start;
  char32_t c = next_code_point(s, j);
  i = start;
  return c;
}

char32_t code_point_at(std::string_view s, std::size_t i) {
  if (i >= s.size()) return 0;
  return next_code_point(s, i);
}

std::string encode_utf8(char32_t c) {
  std::string out;
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
  return out;
}

std::size_t code_point_count(std::string_view s) {
  std::size_t n = 0;
  for (char ch : s)
    if (!is_continuation(static_cast<unsigned char>(ch))) ++n;
  return n;
}

bool is_letter(char32_t c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  if (c < 0xC0) return false;
  if (c == 0xD7 || c == 0xF7) return false;
  if (c >= 0x2000 && c <= 0x2BFF) return false;  // punctuation, symbols, arrows, dingbats
  if (c >= 0x3000 && c <= 0x303F) return false;  // CJK punctuation
  if (c >= 0x1F000) return false;                // emoji and pictographs
  if (c >= 0xFE00 && c <= 0xFE0F) return false;  // variation selectors
  return true;
}

bool is_space(char32_t c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0xA0 || c == 0x2009 ||
         c == 0x200A || c == 0x202F || c == 0x3000 || (c >= 0x2000 && c <= 0x2008);
}

}  // namespace troupe
