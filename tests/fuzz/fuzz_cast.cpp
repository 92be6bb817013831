// libFuzzer target: cast file bytes through read_cast_file (and back through cast_file_toml).
// Built and run by scripts/fuzz.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  troupe::fuzz::run_cast_input(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
