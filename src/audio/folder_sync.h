// Several files renamed into one folder made durable by one fsync of the folder.
#pragma once

#include <set>
#include <string>

namespace troupe {

// While one lives on a thread, the files its TempFiles commit (audio/atomic_file.h) leave the
// fsync of their folder, which makes their renames durable, to it: the folders are synced
// once each when the batch ends (sync(), or its destructor). Nothing becomes durable later for
// whoever waits for the batch to end: a chapter's files before the chapter is reported done,
// a book's manifest before its lock is let go.
class FolderSyncBatch {
 public:
  FolderSyncBatch();
  ~FolderSyncBatch();  // sync(), its failure not thrown: call sync() to learn of it
  FolderSyncBatch(const FolderSyncBatch&) = delete;
  FolderSyncBatch& operator=(const FolderSyncBatch&) = delete;

  // fsyncs the folders of the files committed since. Throws RenderError naming a folder whose
  // sync failed (after trying the others): the renames into it may not survive a crash, so the
  // files have not landed, and whoever waits for the batch must not report them written.
  void sync();
  // The batch that files committed on this thread go to, or nullptr.
  static FolderSyncBatch* current();
  void add(const std::string& folder) { folders_.insert(folder); }

 private:
  FolderSyncBatch* outer_;
  std::set<std::string> folders_;
};

}  // namespace troupe
