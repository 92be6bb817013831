// What the tests of troupe's published files (the M4B, the read-along EPUB and page) share:
// their names for the test helpers, and the outside programs that check the files (ffmpeg and
// ffprobe), each test reporting a skip when its checker is not installed.
#pragma once

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "run_troupe.h"
#include "skip.h"

namespace troupe {

namespace fs = std::filesystem;
using Json = nlohmann::json;

using ScratchDir = troupe_test::ScratchDir;
using troupe_test::read_text;
using troupe_test::Run;
using troupe_test::shell_quote;
using troupe_test::troupe;
using troupe_test::write_text;

// True, with a skip reported (tests/skip.h), when ffmpeg or ffprobe is not installed: the test
// returns at once. (A doctest::skip decorator would leave CTest's entry running no test case,
// which fails, and would look for ffmpeg each time any test binary starts.)
inline bool skipped_without_ffmpeg() {
  static const bool found =
      std::system("command -v ffmpeg >/dev/null 2>&1 && command -v ffprobe >/dev/null 2>&1") == 0;
  if (!found)
    troupe_test::skip_test("ffmpeg and ffprobe check the audio: scripts/setup installs them");
  return !found;
}

// Runs a shell command inside `where`; returns its stdout, or fails the test.
inline std::string run_command(const ScratchDir& where, const std::string& command) {
  const fs::path out = where.path() / ".command-out";
  const int status = std::system((command + " >" + shell_quote(out.string())).c_str());
  INFO(command);
  REQUIRE(status == 0);
  return read_text(out);
}

}  // namespace troupe
