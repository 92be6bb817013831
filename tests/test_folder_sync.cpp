// FolderSyncBatch: while a batch lives on a thread, the files committed on that thread are
// written and renamed at once, their folder's fsync left to the batch; batches nest, and other
// threads are not in them; a folder that cannot be synced is a write error.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "audio/atomic_file.h"
#include "audio/folder_sync.h"
#include "common/errors.h"
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

// A folder whose sync fails has not made its renames durable: the batch reports it as a write
// error naming the folder (after syncing the others), and a render waiting for the batch fails.
// Here the folder is gone by the time the batch syncs it, so it cannot be opened to sync.
TEST_CASE("folder sync: a folder that cannot be synced is a write error naming it") {
  troupe_test::ScratchDir scratch;
  const std::filesystem::path gone = scratch.path() / "gone";
  std::filesystem::create_directories(gone);
  FolderSyncBatch batch;
  write_file_atomically((gone / "chapter.srt").string(), "cues");
  write_file_atomically(scratch.file("kept.txt"), "kept");
  std::filesystem::remove_all(gone);
  std::string message;
  try {
    batch.sync();
  } catch (const RenderError& e) {
    message = e.what();
  }
  CHECK(message.find(gone.string() + ": could not write: ") == 0);
  CHECK(read_back(scratch.file("kept.txt")) == "kept");
  batch.sync();  // the failed folder is not synced again
}

TEST_CASE("folder sync: a batch ended without sync() does not throw its failure") {
  troupe_test::ScratchDir scratch;
  const std::filesystem::path gone = scratch.path() / "gone";
  std::filesystem::create_directories(gone);
  CHECK_NOTHROW([&] {
    FolderSyncBatch batch;
    write_file_atomically((gone / "chapter.srt").string(), "cues");
    std::filesystem::remove_all(gone);
  }());
  CHECK(FolderSyncBatch::current() == nullptr);
}

}  // namespace
}  // namespace troupe
