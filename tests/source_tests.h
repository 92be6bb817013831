// What the story readers' tests (test_ao3, test_html, test_markdown, test_epub) share: the
// records of `troupe script` and what is compared of them (script_records.h), the source tree,
// and a look for words in text. A test file says `using namespace troupe_test::source_tests;`.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "script_records.h"

namespace troupe_test::source_tests {

using troupe_test::Json;
using troupe_test::quotation_records;
using troupe_test::quotations_text;
using troupe_test::records_of_kind;
using troupe_test::script_records;
using troupe_test::spoken_text;
using Scratch = troupe_test::ScratchDir;

inline const std::string kSourceDir = TROUPE_SOURCE_DIR;

inline bool holds(const std::string& text, const std::string& words) {
  return text.find(words) != std::string::npos;
}

inline bool any_holds(const std::vector<std::string>& texts, const std::string& words) {
  return std::any_of(texts.begin(), texts.end(), [&](const auto& t) { return holds(t, words); });
}

}  // namespace troupe_test::source_tests
