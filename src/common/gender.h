#pragma once

#include <optional>
#include <string>

namespace troupe {

enum class Gender { Male, Female, Unknown };

inline char gender_letter(Gender g) {
  return g == Gender::Male ? 'm' : g == Gender::Female ? 'f' : 'x';
}

// "m", "f" or "x" (also "male"/"female"); nullopt for anything else.
inline std::optional<Gender> parse_gender(const std::string& s) {
  if (s == "m" || s == "male") return Gender::Male;
  if (s == "f" || s == "female") return Gender::Female;
  if (s == "x") return Gender::Unknown;
  return std::nullopt;
}

}  // namespace troupe
