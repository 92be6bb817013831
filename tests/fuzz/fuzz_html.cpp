// libFuzzer target: HTML bytes through the HTML reader (libxml2's HTML parser, the main-block
// finder, AO3's layout, the chapter builder), quotation finding and attribution. Built and run
// by scripts/fuzz.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_html_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  troupe::fuzz::run_html_input(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
