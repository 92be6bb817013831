// Every fuzz corpus file and crash reproducer (tests/fuzz/corpus/, tests/fuzz/regressions/) runs
// through the same code as the libFuzzer targets (tests/fuzz/fuzz_checks.h): bad input may only
// be an InputError, and the invariants the fuzzers check must hold.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "fuzz/fuzz_checks.h"

namespace {

namespace fs = std::filesystem;

std::vector<fs::path> inputs_for(const std::string& target) {
  std::vector<fs::path> files;
  for (const char* kind : {"corpus", "regressions"}) {
    const fs::path dir = fs::path(TROUPE_SOURCE_DIR) / "tests" / "fuzz" / kind / target;
    if (!fs::is_directory(dir)) continue;
    for (const auto& entry : fs::directory_iterator(dir))
      if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string bytes_of(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

template <typename Run>
void replay(const std::string& target, Run run) {
  const auto files = inputs_for(target);
  CHECK(files.size() >= 10);
  for (const fs::path& file : files) {
    CAPTURE(file.string());
    CHECK_NOTHROW(run(bytes_of(file)));
  }
}

}  // namespace

TEST_CASE("fuzz regressions: story corpus and crash inputs read and attribute") {
  replay("story", [](const std::string& bytes) { troupe::fuzz::run_story_input(bytes); });
}

TEST_CASE("fuzz regressions: cast corpus and crash inputs read (and round-trip)") {
  replay("cast", [](const std::string& bytes) { troupe::fuzz::run_cast_input(bytes); });
}
