// A character as a cast file gives it, for tests that hand attribution a cast.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "attribution/script.h"

namespace troupe {

inline Character cast_member(const std::string& name, std::vector<std::string> aliases,
                             Gender gender) {
  Character c;
  c.name = name;
  c.aliases = std::move(aliases);
  c.gender = gender;
  return c;
}

}  // namespace troupe
