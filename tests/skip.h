// A test that cannot run says so: skip_test() marks the running test case as skipped, and the
// test binary then exits with kSkipExitCode, which CTest reports as "Skipped" (see
// SKIP_RETURN_CODE in CMakeLists.txt). With TROUPE_NO_SKIP=1 (CI) a skip fails instead.
#pragma once

#include <string>

namespace troupe_test {

inline constexpr int kSkipExitCode = 77;

// Call, then return from the test case: `skip_test("ffmpeg is not installed"); return;`
void skip_test(const std::string& reason);

}  // namespace troupe_test
