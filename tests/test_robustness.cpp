// Interrupted renders and full disks, on the real binary: nothing half-written, nothing lost.
#include <doctest/doctest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "audio/atomic_file.h"
#include "common/errors.h"
#include "scratch_dir.h"
#include "skip.h"

extern char** environ;

namespace troupe {
namespace {

namespace fs = std::filesystem;
using troupe_test::ScratchDir;

// A story of `chapters` chapters, each a slice of sample story 002 made different (numbered
// lines), so that the utterance cache cannot skip the work.
void write_long_story(const fs::path& file, int chapters) {
  std::ifstream sample(std::string(TROUPE_SOURCE_DIR) + "/stories/002_a9073757c4daf437.txt");
  std::vector<std::string> lines;
  for (std::string line; std::getline(sample, line);) lines.push_back(line);
  std::ofstream out(file);
  for (int c = 1; c <= chapters; ++c) {
    out << "Chapter " << c << "\n";
    for (std::size_t i = 8; i < 40 && i < lines.size(); ++i)
      out << "Part " << c << " line " << i << ". " << lines[i] << "\n";
  }
}

std::vector<fs::path> files_ending(const fs::path& dir, const std::string& ending) {
  std::vector<fs::path> found;
  if (!fs::exists(dir)) return found;
  for (const auto& entry : fs::recursive_directory_iterator(dir))
    if (entry.path().string().ends_with(ending)) found.push_back(entry.path());
  return found;
}

// Starts troupe in a process group of its own, as a shell does for a job.
pid_t spawn_troupe(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  std::string binary = TROUPE_BINARY;
  argv.push_back(binary.data());
  std::vector<std::string> copies = args;
  for (auto& a : copies) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attributes, 0);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  pid_t pid = -1;
  posix_spawn(&pid, binary.c_str(), &actions, &attributes, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  return pid;
}

int wait_for(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int run_troupe(const std::vector<std::string>& args) { return wait_for(spawn_troupe(args)); }

}  // namespace

// Release only (scripts/sanitize leaves it out): 24 chapters are its slowest render, and the
// sanitized run interrupts a render in the determinism test.
TEST_CASE(
    "robustness: Ctrl-C leaves finished chapters and no temporary file and a rerun completes" *
    doctest::test_suite("release-only")) {
  ScratchDir dir("troupe-interrupt-test");
  const int chapters = 24;
  write_long_story(dir.path() / "long.txt", chapters);
  const fs::path out = dir.path() / "out";
  const std::vector<std::string> render = {
      "render", (dir.path() / "long.txt").string(), "-o", out.string(), "--jobs", "2", "-q"};
  pid_t pid = spawn_troupe(render);
  REQUIRE(pid > 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  kill(-pid, SIGINT);  // the whole process group, workers included, like Ctrl-C
  const int code = wait_for(pid);
  const auto finished = files_ending(out, ".wav").size();
  // Interrupted (exit 130) unless the machine finished every chapter before the signal.
  CHECK((code == 130 || (code == 0 && finished == static_cast<std::size_t>(chapters))));
  CHECK(files_ending(out, ".tmp").empty());

  CHECK(run_troupe(render) == 0);
  CHECK(files_ending(out, ".wav").size() == static_cast<std::size_t>(chapters));
  CHECK(files_ending(out, ".tmp").empty());
}

TEST_CASE("robustness: a full disk stops with exit 1 and leaves no temporary file") {
  ScratchDir dir("troupe-disk-full-test");
  const fs::path small = dir.path() / "small";
  fs::create_directories(small);
  if (geteuid() != 0) {
    troupe_test::skip_test("mounting a small tmpfs needs root (CI runs as root)");
    return;
  }
  if (mount("tmpfs", small.c_str(), "tmpfs", 0, "size=256k") != 0) {
    troupe_test::skip_test(std::string("cannot mount a small tmpfs: ") + std::strerror(errno));
    return;
  }
  const std::string story = std::string(TROUPE_SOURCE_DIR) + "/stories/001_3cd6856fb4b86c2d.txt";
  const int code = run_troupe({"render", story, "-o", small.string(), "--loudness", "off", "-q"});
  CHECK(code == 1);
  CHECK(files_ending(small, ".tmp").empty());
  CHECK(files_ending(small, ".wav").empty());
  umount(small.c_str());
}

// The rename, at its own stage: TempFile checks the final name when it opens (a folder there is
// refused before anything is written), so only a folder that appears there while the file is
// being written gets past every check and makes rename() itself fail (EISDIR).
TEST_CASE("robustness: a rename that fails at commit is an error naming the file, nothing left") {
  ScratchDir dir;
  const std::string path = dir.file("chapter.wav");
  {
    TempFile temp(path);
    REQUIRE(::write(temp.fd(), "RIFF", 4) == 4);
    fs::create_directories(fs::path(path) / "inside");  // taken meanwhile, by a full folder
    try {
      temp.commit();
      FAIL("commit() reported success where rename() failed");
    } catch (const RenderError& error) {
      CHECK(std::string(error.what()).rfind(path + ": could not write: ", 0) == 0);
    }
  }  // destroyed uncommitted: it removes its temporary file
  CHECK(fs::is_directory(fs::path(path) / "inside"));
  CHECK(files_ending(dir.path(), ".tmp").empty());
}

}  // namespace troupe
