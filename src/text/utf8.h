// Small UTF-8 helpers: validation and code point stepping.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace troupe {

// The byte offset of the first invalid sequence, or nullopt when `s` is valid UTF-8.
std::optional<std::size_t> first_invalid_utf8(std::string_view s);

// Decodes the code point at s[i] and advances i past it (s must be valid UTF-8).
char32_t next_code_point(std::string_view s, std::size_t& i);

// Decodes the code point that ends just before s[i] and moves i back to its start.
char32_t previous_code_point(std::string_view s, std::size_t& i);

// The code point at i without moving (0 at the end).
char32_t code_point_at(std::string_view s, std::size_t i);

std::string encode_utf8(char32_t c);

// Number of code points in s.
std::size_t code_point_count(std::string_view s);

bool is_letter(char32_t c);  // ASCII and Latin letters, and any code point above U+00BF that is
                             // not punctuation or a symbol we know of
bool is_space(char32_t c);

}  // namespace troupe
