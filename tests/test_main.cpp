// The test binary's main: doctest's, plus the guards that keep a green suite honest.
//  - A run that selects no test case fails: a CTest entry whose filters match nothing (a
//    filter gone stale) would otherwise pass empty.
//  - A test that called skip_test() makes the run exit kSkipExitCode (CTest: "Skipped"), or
//    fail when TROUPE_NO_SKIP=1.
//  - With TROUPE_TEST_TALLY=<file>, each test case appends to that file a "ran<TAB>name" line
//    when it starts and a "result<TAB>passed|FAILED<TAB>seconds<TAB>name" line when it ends
//    (one O_APPEND write a line, so the CTest entries running at once do not interleave, and a
//    crash leaves the name of the case that crashed), and prints its result on stdout (which
//    CTest shows for a failed entry): scripts/ctest-all checks that each test case ran exactly
//    once and reports each failed one by name, though one CTest entry runs several test cases
//    (tests/ctest_batches.cmake).
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "skip.h"

namespace troupe_test {
namespace {

struct RunRecord {
  int started = 0;                        // test cases run
  std::vector<std::string> skip_reasons;  // "name: reason" for each skip_test()
  std::string current;                    // the test case running now
  const char* tally = nullptr;            // TROUPE_TEST_TALLY, or null
};

RunRecord& record() {
  static RunRecord instance;
  return instance;
}

// Appends 'line' to the tally file, when there is one, in one write.
void append_tally(const std::string& line) {
  const char* file = record().tally;
  if (file == nullptr) return;
  const int fd = ::open(file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  const bool written =
      fd >= 0 && ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
  if (fd >= 0) ::close(fd);
  if (!written) std::fprintf(stderr, "troupe_tests: cannot append to %s\n", file);
}

// Listens to doctest's run: which test cases started.
struct Tally : doctest::IReporter {
  explicit Tally(const doctest::ContextOptions&) {}
  void report_query(const doctest::QueryData&) override {}
  void test_run_start() override {}
  void test_run_end(const doctest::TestRunStats&) override {}
  void test_case_start(const doctest::TestCaseData& data) override {
    record().current = data.m_name;
    ++record().started;
    append_tally("ran\t" + record().current + "\n");
  }
  void test_case_reenter(const doctest::TestCaseData&) override {}
  void test_case_end(const doctest::CurrentTestCaseStats& stats) override {
    if (record().tally == nullptr) return;
    const char* result = stats.testCaseSuccess ? "passed" : "FAILED";
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%.2f", stats.seconds);
    append_tally(std::string("result\t") + result + "\t" + seconds + "\t" + record().current +
                 "\n");
    std::printf("troupe_tests: %s (%s s): %s\n", result, seconds, record().current.c_str());
    std::fflush(stdout);
  }
  void test_case_exception(const doctest::TestCaseException&) override {}
  void subcase_start(const doctest::SubcaseSignature&) override {}
  void subcase_end() override {}
  void log_assert(const doctest::AssertData&) override {}
  void log_message(const doctest::MessageData&) override {}
  void test_case_skipped(const doctest::TestCaseData&) override {}
};

bool env_is_set(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' && std::string(value) != "0";
}

}  // namespace

void skip_test(const std::string& reason) {
  record().skip_reasons.push_back(record().current + ": " + reason);
  append_tally("skipped\t" + record().current + ": " + reason + "\n");
  std::fprintf(stderr, "troupe_tests: SKIPPED %s: %s\n", record().current.c_str(), reason.c_str());
}

}  // namespace troupe_test

DOCTEST_REGISTER_LISTENER("troupe_tally", 1, troupe_test::Tally);

int main(int argc, char** argv) {
  using troupe_test::record;
  doctest::Context context(argc, argv);
  const char* tally = std::getenv("TROUPE_TEST_TALLY");
  if (tally != nullptr && *tally != '\0') record().tally = tally;
  const int result = context.run();
  if (context.shouldExit()) return result;  // --list-test-cases, --count, --help ...
  if (record().started == 0) {
    std::fprintf(stderr, "troupe_tests: no test case matched the filters (a stale filter?)\n");
    return 1;
  }
  if (result != 0 || record().skip_reasons.empty()) return result;
  if (troupe_test::env_is_set("TROUPE_NO_SKIP")) {
    std::fprintf(stderr, "troupe_tests: a test was skipped and TROUPE_NO_SKIP forbids it\n");
    return 1;
  }
  return troupe_test::kSkipExitCode;
}
