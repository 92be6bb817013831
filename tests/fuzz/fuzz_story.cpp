// libFuzzer target: story bytes through reading, quotation finding and attribution.
// Built and run by scripts/fuzz.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  troupe::fuzz::run_story_input(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
