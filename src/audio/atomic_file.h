// Writing files as if the folder were shared with a hostile user, so that a reader never sees
// half of one and nobody can redirect a write:
// - each file is written to a temporary file with an unpredictable name in the target folder,
//   created exclusively (mkostemps: O_CREAT|O_EXCL, which never follows a link), then fsync'ed
//   and renamed over the final name;
// - a name troupe chose itself (Target::kOwnFile) is never followed: a symlink there is
//   replaced by the file (the link, not what it points to), and a device, FIFO, socket or
//   folder there is an error;
// - a name the user gave (Target::kUserFile: `cast --write`, `voices --say -o`) is followed as
//   a shell's `>` would: a symlink to a regular file replaces that file (the link stays), and a
//   device, FIFO, socket or terminal (e.g. /dev/stdout) is written into, never replaced.
// Every write, fsync, close and rename is checked; a failure throws
// RenderError("PATH: could not write: <reason>").
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace troupe {

enum class Target {
  kOwnFile,   // named by troupe, inside its output folder
  kUserFile,  // named by the user on the command line
};

// Writes content to path through a TempFile (a staged_file committed at once).
void write_file_atomically(const std::string& path, const std::string& content,
                           Target target = Target::kOwnFile);

// Like write_file_atomically, but leaves the file alone (not even its time) when it already
// holds content. Returns whether it wrote.
bool write_file_if_changed(const std::string& path, const std::string& content);

class TempFile;

// A TempFile at path holding content, its writeback started, not yet committed: files staged
// before the first of them is committed are made durable mostly by that first fsync (its
// journal commit takes the others' new files and blocks along), so each further fsync waits
// for little. Three files committed one after the other took about 110 ms, staged together
// about 80 ms (ext4, 20 MB and twice 17 kB, best of 6 each, machine loaded).
std::unique_ptr<TempFile> staged_file(const std::string& path, const std::string& content,
                                      Target target = Target::kOwnFile);

// Like write_file_if_changed for several (path, content) files at once: each changed file
// staged, then all committed in order. Returns how many were written.
int write_files_if_changed(const std::vector<std::pair<std::string, std::string>>& files);

// Whose files read_regular_file reads: anyone's, or only those of this process's user (a file
// whose content is trusted, which another user may have planted in a shared folder).
enum class FileOwner { kAnyone, kMe };

// The content of the regular file at path, read without following a symlink and without
// blocking on a FIFO; nullopt when there is none (or it is a link, a device, another user's
// with FileOwner::kMe, ...).
std::optional<std::string> read_regular_file(const std::string& path,
                                             FileOwner owner = FileOwner::kAnyone);

// A file being written: open (fd()) until commit() puts it in place. Destroyed without
// commit(), it removes what it wrote.
class TempFile {
 public:
  // durable: fsync the file and its folder on commit (not for caches).
  explicit TempFile(std::string final_path, Target target = Target::kOwnFile, bool durable = true);
  ~TempFile();
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  int fd() const { return fd_; }  // read-write, at offset 0 when new
  const std::string& final_path() const { return final_path_; }

  // Starts writing what has been written so far to disk, without waiting for it, so that the
  // fsync of a long file in commit() waits for its last pages only. A hint: it does nothing for
  // a file that is not durable, and a failure shows (and is reported) at the fsync.
  void start_writeback();

  // Closes the file and moves it into place (or copies it into a device, FIFO, ...). Throws
  // RenderError naming the final path.
  void commit();

 private:
  void open_beside(const std::string& final_name);
  void open_anonymous();
  void copy_into_target();

  std::string final_path_;  // as given: what errors name
  std::string write_path_;  // where it is renamed to (final_path_ with links resolved)
  std::string temp_path_;   // empty for an anonymous temporary file
  int fd_ = -1;
  bool into_special_ = false;  // the target is a device, FIFO, socket: written into
  bool durable_ = true;
  bool committed_ = false;
};

// An exclusive flock(2) on a lock file, created if missing (never through a symlink). Lock
// files stay in place: removing one while another process waits on it would split the lock.
class FileLock {
 public:
  // The lock, or nullopt at once when another process holds it. Throws RenderError naming the
  // lock file when it cannot be opened.
  static std::optional<FileLock> try_lock(const std::string& path);
  // Waits for the lock.
  static FileLock lock(const std::string& path);

  FileLock(FileLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  FileLock& operator=(FileLock&& other) noexcept;
  ~FileLock();
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

  void release();  // for every process sharing the descriptor (forked workers too)

 private:
  explicit FileLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

// RenderError("PATH: could not write: <strerror(error_number)>").
[[noreturn]] void throw_write_error(const std::string& path, int error_number);

}  // namespace troupe
