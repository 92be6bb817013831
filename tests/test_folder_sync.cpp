// FolderSyncBatch: while a batch lives on a thread, the files committed on that thread are
// written and renamed at once, their folder's fsync left to the batch; batches nest, and other
// threads are not in them.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "audio/atomic_file.h"
#include "audio/folder_sync.h"
#include "scratch_dir.h"

namespace troupe {
namespace {

std::string read_back(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST_CASE("folder sync: a batch takes its thread's commits, nests, and leaves other threads") {
  troupe_test::ScratchDir scratch;
  CHECK(FolderSyncBatch::current() == nullptr);
  {
    FolderSyncBatch outer;
    CHECK(FolderSyncBatch::current() == &outer);
    {
      FolderSyncBatch inner;
      CHECK(FolderSyncBatch::current() == &inner);
      write_file_atomically(scratch.file("inner.txt"), "written inside");
      // The file is in place as soon as it is committed; only the folder's fsync waits.
      CHECK(read_back(scratch.file("inner.txt")) == "written inside");
    }
    CHECK(FolderSyncBatch::current() == &outer);
    bool other_thread_in_batch = true;
    std::thread([&] { other_thread_in_batch = FolderSyncBatch::current() != nullptr; }).join();
    CHECK_FALSE(other_thread_in_batch);
    write_file_atomically(scratch.file("outer.txt"), "written outside");
    outer.sync();
    outer.sync();  // twice is harmless
  }
  CHECK(FolderSyncBatch::current() == nullptr);
  write_file_atomically(scratch.file("alone.txt"), "no batch");  // synced at once
  CHECK(read_back(scratch.file("outer.txt")) == "written outside");
  CHECK(read_back(scratch.file("alone.txt")) == "no batch");
}

}  // namespace
}  // namespace troupe
