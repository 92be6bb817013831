#include "text/utf8.h"

#include <unicode/utf8.h>

#include <cstdint>

namespace troupe {
namespace {

const std::uint8_t* bytes_of(std::string_view s) {
  return reinterpret_cast<const std::uint8_t*>(s.data());
}

}  // namespace

// ICU's UTF-8 macros decode: they refuse overlong forms, surrogates and code points above
// U+10FFFF, as the Unicode standard's well-formed UTF-8 does.
std::optional<std::size_t> first_invalid_utf8(std::string_view s) {
  const std::uint8_t* bytes = bytes_of(s);
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t start = i;
    UChar32 c = 0;
    U8_NEXT(bytes, i, s.size(), c);
    if (c < 0) return start;
  }
  return std::nullopt;
}

char32_t next_code_point(std::string_view s, std::size_t& i) {
  const std::size_t start = i;
  UChar32 c = 0;
  U8_NEXT(bytes_of(s), i, s.size(), c);
  if (c >= 0) return static_cast<char32_t>(c);
  i = start + 1;  // not UTF-8: the byte as it is
  return static_cast<unsigned char>(s[start]);
}

char32_t previous_code_point(std::string_view s, std::size_t& i) {
  if (i == 0) return 0;
  std::size_t start = i - 1;
  while (start > 0 && U8_IS_TRAIL(static_cast<unsigned char>(s[start]))) --start;
  i = start;
  std::size_t j = start;
  return next_code_point(s, j);
}

char32_t code_point_at(std::string_view s, std::size_t i) {
  if (i >= s.size()) return 0;
  return next_code_point(s, i);
}

std::string encode_utf8(char32_t c) {
  std::uint8_t out[U8_MAX_LENGTH];
  std::size_t length = 0;
  U8_APPEND_UNSAFE(out, length, static_cast<UChar32>(c));
  return std::string(reinterpret_cast<const char*>(out), length);
}

std::size_t code_point_count(std::string_view s) {
  std::size_t n = 0;
  for (char ch : s)
    if (!U8_IS_TRAIL(static_cast<unsigned char>(ch))) ++n;
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
