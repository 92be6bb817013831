// Case folding for ASCII letters: names, keys and words that troupe compares without regard to
// case. Bytes outside ASCII (the rest of a UTF-8 sequence) pass through unchanged.
#pragma once

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>

namespace troupe {

// Not std::tolower: the same in the "C" locale troupe runs in, without a call per byte.
inline char lower_ascii(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

inline std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lower_ascii(c);
  return out;
}

inline bool equals_icase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return lower_ascii(x) == lower_ascii(y);
         });
}

inline bool starts_with_icase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && equals_icase(s.substr(0, prefix.size()), prefix);
}

}  // namespace troupe
