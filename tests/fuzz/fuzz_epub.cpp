// libFuzzer target: EPUB bytes through the EPUB reader (libzip, libxml2, the chapter builder),
// quotation finding and attribution. Built and run by scripts/fuzz.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_epub_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  troupe::fuzz::run_epub_input(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
