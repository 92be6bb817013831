#include "audio/atomic_file.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <utility>
#include <vector>

#include "audio/folder_sync.h"
#include "common/errors.h"

namespace troupe {
namespace {
namespace fs = std::filesystem;

// Writes all of [data, data + size) to fd, going on after short writes and signals.
// Returns 0 or errno.
int write_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t written = ::write(fd, data, size);
    if (written < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    data += written;
    size -= static_cast<std::size_t>(written);
  }
  return 0;
}

// The permissions a new file gets: 0666 less the process's umask.
mode_t new_file_mode() {
  static const mode_t mode = [] {
    const mode_t mask = ::umask(0);
    ::umask(mask);
    return static_cast<mode_t>(0666 & ~mask);
  }();
  return mode;
}

[[noreturn]] void refuse(const std::string& path, const std::string& why) {
  throw RenderError(path + ": could not write: " + why);
}

// Flushes a folder's entries (a rename in it) to disk. Until that succeeds the rename may not
// survive a crash: a failure is a write error (RenderError naming the folder), as a failed
// fsync of the file itself is. EINVAL only says the file system cannot sync a folder at all
// (some network and FUSE file systems): there is nothing more to wait for. Nor is a folder the
// user may write in but not read (a drop folder, mode 0733): it cannot be opened to sync, and
// its renames have been made.
void sync_folder(const std::string& folder) {
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0 && errno == EACCES) return;
  if (fd < 0)
    refuse(folder, std::string("cannot open the folder to sync it: ") + std::strerror(errno));
  int error = 0;
  while (::fsync(fd) != 0) {
    if (errno == EINTR) continue;
    if (errno != EINVAL) error = errno;
    break;
  }
  ::close(fd);
  if (error != 0) refuse(folder, std::string("cannot sync the folder: ") + std::strerror(error));
}

std::string folder_of(const std::string& path) {
  const fs::path parent = fs::path(path).parent_path();
  return parent.empty() ? std::string(".") : parent.string();
}

}  // namespace

void throw_write_error(const std::string& path, int error_number) {
  refuse(path, std::strerror(error_number));
}

TempFile::TempFile(std::string final_path, Target target, bool durable)
    : final_path_(std::move(final_path)), write_path_(final_path_), durable_(durable) {
  struct stat seen {};
  mode_t mode = new_file_mode();
  if (::lstat(final_path_.c_str(), &seen) == 0) {
    if (S_ISLNK(seen.st_mode) && target == Target::kUserFile) {
      // The user's link is followed: what it points to is the target.
      if (::stat(final_path_.c_str(), &seen) != 0)
        refuse(final_path_,
               std::string("a symbolic link to a missing file (") + std::strerror(errno) + ")");
      if (S_ISREG(seen.st_mode)) {
        char resolved[PATH_MAX];
        if (::realpath(final_path_.c_str(), resolved) == nullptr)
          throw_write_error(final_path_, errno);
        write_path_ = resolved;
      }
    }
    if (S_ISDIR(seen.st_mode)) refuse(final_path_, "it is a folder");
    if (S_ISREG(seen.st_mode)) mode = seen.st_mode & 07777;
    if (!S_ISREG(seen.st_mode) && !S_ISLNK(seen.st_mode)) {
      if (target == Target::kOwnFile)
        refuse(final_path_, "it is not a regular file (a device, FIFO or socket): left alone");
      into_special_ = true;
    }
  }
  if (into_special_) {
    open_anonymous();
  } else {
    open_beside(fs::path(write_path_).filename().string());
    if (::fchmod(fd_, mode) != 0) throw_write_error(final_path_, errno);
  }
}

// A temporary file with an unpredictable name beside the target: .NAME.XXXXXX.tmp.
void TempFile::open_beside(const std::string& final_name) {
  const std::string name = final_name.substr(0, 200);  // room for the suffix within NAME_MAX
  std::string path = (fs::path(folder_of(write_path_)) / ("." + name + ".XXXXXX.tmp")).string();
  std::vector<char> buffer(path.begin(), path.end());
  buffer.push_back('\0');
  fd_ = ::mkostemps(buffer.data(), 4, O_CLOEXEC);
  if (fd_ < 0) throw_write_error(final_path_, errno);
  temp_path_ = buffer.data();
}

// For a device, FIFO or socket: the content is gathered in an unnamed file first (so that a
// failed render writes nothing into it), then copied in on commit.
void TempFile::open_anonymous() {
  const char* env = std::getenv("TMPDIR");
  const std::string folder = env != nullptr && *env != '\0' ? env : "/tmp";
  fd_ = ::open(folder.c_str(), O_TMPFILE | O_RDWR | O_EXCL | O_CLOEXEC, 0600);
  if (fd_ >= 0) return;
  std::string path = folder + "/troupe-XXXXXX";
  std::vector<char> buffer(path.begin(), path.end());
  buffer.push_back('\0');
  fd_ = ::mkostemp(buffer.data(), O_CLOEXEC);
  if (fd_ < 0) throw_write_error(final_path_, errno);
  ::unlink(buffer.data());
}

void TempFile::copy_into_target() {
  const int out = ::open(write_path_.c_str(), O_WRONLY | O_NOCTTY | O_CLOEXEC);
  if (out < 0) throw_write_error(final_path_, errno);
  std::vector<char> chunk(1 << 16);
  off_t at = 0;
  int error = 0;
  for (;;) {
    const ssize_t got = ::pread(fd_, chunk.data(), chunk.size(), at);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) {
      error = got < 0 ? errno : 0;
      break;
    }
    error = write_all(out, chunk.data(), static_cast<std::size_t>(got));
    if (error != 0) break;
    at += got;
  }
  const int close_error = ::close(out) != 0 ? errno : 0;
  if (error != 0) throw_write_error(final_path_, error);
  if (close_error != 0) throw_write_error(final_path_, close_error);
}

TempFile::~TempFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_ && !temp_path_.empty()) ::unlink(temp_path_.c_str());
}

void TempFile::start_writeback() {
  if (durable_ && !into_special_ && fd_ >= 0) ::sync_file_range(fd_, 0, 0, SYNC_FILE_RANGE_WRITE);
}

void TempFile::commit() {
  if (committed_ || fd_ < 0) refuse(final_path_, "the file is already finished");
  if (into_special_) copy_into_target();
  if (durable_ && !into_special_ && ::fsync(fd_) != 0) throw_write_error(final_path_, errno);
  const int fd = fd_;
  fd_ = -1;
  // close() can report a failed write (e.g. a full disk on NFS): check it too.
  if (::close(fd) != 0) throw_write_error(final_path_, errno);
  if (!into_special_) {
    if (::rename(temp_path_.c_str(), write_path_.c_str()) != 0)
      throw_write_error(final_path_, errno);
    temp_path_.clear();
    if (durable_ && FolderSyncBatch::current() != nullptr)
      FolderSyncBatch::current()->add(folder_of(write_path_));
    else if (durable_)
      sync_folder(folder_of(write_path_));
  }
  committed_ = true;
}

void write_file_atomically(const std::string& path, const std::string& content, Target target) {
  staged_file(path, content, target)->commit();
}

std::unique_ptr<TempFile> staged_file(const std::string& path, const std::string& content,
                                      Target target) {
  auto temp = std::make_unique<TempFile>(path, target);
  const int error = write_all(temp->fd(), content.data(), content.size());
  if (error != 0) throw_write_error(path, error);
  temp->start_writeback();
  return temp;
}

namespace {

// Opens path as a regular file of `owner` (never through a link; a FIFO neither blocks the
// open nor is read), tells `start` its size, then hands `piece` what it holds, 64 kB at a
// time, until its end. Returns true when the file was read to its end; false when path is no
// such file, a read failed, or `start` or `piece` returned false to stop early.
template <typename Start, typename Piece>
bool for_each_piece(const std::string& path, FileOwner owner, Start start, Piece piece) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat seen {};
  bool going = ::fstat(fd, &seen) == 0 && S_ISREG(seen.st_mode) &&
               (owner == FileOwner::kAnyone || seen.st_uid == ::geteuid()) &&
               start(static_cast<std::size_t>(std::max<off_t>(seen.st_size, 0)));
  bool to_the_end = false;
  char chunk[1 << 16];
  while (going) {
    const ssize_t got = ::read(fd, chunk, sizeof chunk);
    if (got < 0 && errno == EINTR) continue;
    to_the_end = got == 0;
    if (got <= 0) break;
    going = piece(chunk, static_cast<std::size_t>(got));
  }
  ::close(fd);
  return to_the_end;
}

}  // namespace

std::optional<std::string> read_regular_file(const std::string& path, FileOwner owner) {
  std::string content;
  const bool read = for_each_piece(
      path, owner,
      [&](std::size_t size) {
        // Room for the whole file at once: grown by doubling, the 640 kB manifest of a
        // six-chapter book was copied into new, freshly faulted memory at each step (some 500
        // page faults).
        content.reserve(size);
        return true;
      },
      [&](const char* data, std::size_t size) {
        content.append(data, size);
        return true;
      });
  if (!read) return std::nullopt;
  return content;
}

namespace {
thread_local FolderSyncBatch* current_batch = nullptr;
}  // namespace

FolderSyncBatch::FolderSyncBatch() : outer_(current_batch) { current_batch = this; }

FolderSyncBatch::~FolderSyncBatch() {
  // A batch left without sync() is being unwound (an error is on its way already) or its
  // owner did not need to know: the folders are still synced, a failure is not thrown here.
  try {
    sync();
  } catch (const RenderError&) {
  }
  current_batch = outer_;
}

FolderSyncBatch* FolderSyncBatch::current() { return current_batch; }

void FolderSyncBatch::sync() {
  // Every folder is synced even when one fails; the first failure is thrown after.
  std::exception_ptr failure;
  for (const std::string& folder : folders_) {
    try {
      sync_folder(folder);
    } catch (const RenderError&) {
      if (!failure) failure = std::current_exception();
    }
  }
  folders_.clear();
  if (failure) std::rethrow_exception(failure);
}

bool write_file_if_changed(const std::string& path, const std::string& content) {
  return write_files_if_changed({{path, content}}) == 1;
}

namespace {

// Whether path is a regular file of this user (not followed through a link) holding exactly
// `content`. Compared as it is read, a piece at a time, and not read at all when the sizes
// differ: read whole, the 640 kB manifest of a six-chapter book took a fresh 640 kB of memory
// (some 160 page faults) on every render only to be compared. A file of another user (one put
// in a shared output folder) is rewritten, so that it becomes this user's.
bool file_holds(const std::string& path, const std::string& content) {
  std::size_t at = 0;
  const bool read = for_each_piece(
      path, FileOwner::kMe, [&](std::size_t size) { return size == content.size(); },
      [&](const char* data, std::size_t size) {
        const bool same =
            size <= content.size() - at && std::memcmp(data, content.data() + at, size) == 0;
        at += size;
        return same;
      });
  return read && at == content.size();
}

}  // namespace

int write_files_if_changed(const std::vector<std::pair<std::string, std::string>>& files) {
  std::vector<std::unique_ptr<TempFile>> staged;
  for (const auto& [path, content] : files)
    if (!file_holds(path, content)) staged.push_back(staged_file(path, content));
  for (const auto& file : staged) file->commit();
  return static_cast<int>(staged.size());
}

namespace {

// The lock file at path, opened without following a link or blocking on a FIFO.
int open_lock_file(const std::string& path) {
  const int fd =
      ::open(path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0644);
  if (fd < 0) refuse(path, std::string("cannot open the lock file: ") + std::strerror(errno));
  struct stat seen {};
  if (::fstat(fd, &seen) != 0 || !S_ISREG(seen.st_mode)) {
    ::close(fd);
    refuse(path, "the lock file is not a regular file");
  }
  return fd;
}

}  // namespace

std::optional<FileLock> FileLock::try_lock(const std::string& path) {
  const int fd = open_lock_file(path);
  while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno == EINTR) continue;
    const int error = errno;
    ::close(fd);
    if (error == EWOULDBLOCK) return std::nullopt;
    refuse(path, std::string("cannot lock: ") + std::strerror(error));
  }
  return FileLock(fd);
}

FileLock FileLock::lock(const std::string& path) {
  const int fd = open_lock_file(path);
  while (::flock(fd, LOCK_EX) != 0) {
    if (errno == EINTR) continue;
    const int error = errno;
    ::close(fd);
    refuse(path, std::string("cannot lock: ") + std::strerror(error));
  }
  return FileLock(fd);
}

// Unlocks explicitly rather than by closing: forked worker processes share the descriptor,
// and the lock would last until the last of them exits.
void FileLock::release() {
  if (fd_ < 0) return;
  ::flock(fd_, LOCK_UN);
  ::close(fd_);
  fd_ = -1;
}

FileLock& FileLock::operator=(FileLock&& other) noexcept {
  if (this != &other) {
    release();
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

FileLock::~FileLock() { release(); }

}  // namespace troupe
