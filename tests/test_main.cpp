// The test binary's main: doctest's, plus the guards that keep a green suite honest.
//  - A run that selects no test case fails: a CTest entry whose name does not match its test
//    case (a name CTest's discovery split, or a filter gone stale) would otherwise pass empty.
//  - A test that called skip_test() makes the run exit kSkipExitCode (CTest: "Skipped"), or
//    fail when TROUPE_NO_SKIP=1.
//  - With TROUPE_TEST_TALLY=<file>, every test case run is appended to that file, one
//    "ran<TAB>name" line each (one write per process, O_APPEND, so parallel CTest entries do
//    not interleave): scripts/ctest-all checks that each test case ran exactly once.
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
  std::vector<std::string> started;       // names of the test cases run
  std::vector<std::string> skip_reasons;  // "name: reason" for each skip_test()
  std::string current;                    // the test case running now
};

RunRecord& record() {
  static RunRecord instance;
  return instance;
}

// Listens to doctest's run: which test cases started.
struct Tally : doctest::IReporter {
  explicit Tally(const doctest::ContextOptions&) {}
  void report_query(const doctest::QueryData&) override {}
  void test_run_start() override {}
  void test_run_end(const doctest::TestRunStats&) override {}
  void test_case_start(const doctest::TestCaseData& data) override {
    record().current = data.m_name;
    record().started.emplace_back(data.m_name);
  }
  void test_case_reenter(const doctest::TestCaseData&) override {}
  void test_case_end(const doctest::CurrentTestCaseStats&) override {}
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

void append_tally(const char* file) {
  std::string lines;
  for (const std::string& name : record().started) lines += "ran\t" + name + "\n";
  for (const std::string& reason : record().skip_reasons) lines += "skipped\t" + reason + "\n";
  const int fd = ::open(file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  const bool written = fd >= 0 && ::write(fd, lines.data(), lines.size()) ==
                                      static_cast<ssize_t>(lines.size());
  if (fd >= 0) ::close(fd);
  if (!written) std::fprintf(stderr, "troupe_tests: cannot append to %s\n", file);
}

}  // namespace

void skip_test(const std::string& reason) {
  record().skip_reasons.push_back(record().current + ": " + reason);
  std::fprintf(stderr, "troupe_tests: SKIPPED %s: %s\n", record().current.c_str(), reason.c_str());
}

}  // namespace troupe_test

DOCTEST_REGISTER_LISTENER("troupe_tally", 1, troupe_test::Tally);

int main(int argc, char** argv) {
  using troupe_test::record;
  doctest::Context context(argc, argv);
  const int result = context.run();
  if (context.shouldExit()) return result;  // --list-test-cases, --count, --help ...
  if (const char* tally = std::getenv("TROUPE_TEST_TALLY")) troupe_test::append_tally(tally);
  if (record().started.empty()) {
    std::fprintf(stderr,
                 "troupe_tests: no test case matched the filters: a test name CTest's discovery "
                 "split (a ';' in it?) or a stale filter\n");
    return 1;
  }
  if (result != 0 || record().skip_reasons.empty()) return result;
  if (troupe_test::env_is_set("TROUPE_NO_SKIP")) {
    std::fprintf(stderr, "troupe_tests: a test was skipped and TROUPE_NO_SKIP forbids it\n");
    return 1;
  }
  return troupe_test::kSkipExitCode;
}
