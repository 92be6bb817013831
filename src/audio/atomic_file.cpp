#include "audio/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>

#include "common/errors.h"

namespace troupe {
namespace {

// Writes all of content to fd, going on after short writes and signals. Returns 0 or errno.
int write_all(int fd, const std::string& content) {
  const char* data = content.data();
  std::size_t left = content.size();
  while (left > 0) {
    const ssize_t written = ::write(fd, data, left);
    if (written < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    data += written;
    left -= static_cast<std::size_t>(written);
  }
  return 0;
}

}  // namespace

void throw_write_error(const std::string& path, int error_number) {
  throw RenderError(path + ": could not write: " + std::strerror(error_number));
}

TempFile::TempFile(std::string final_path)
    : final_path_(std::move(final_path)), temp_path_(final_path_ + ".tmp") {}

TempFile::~TempFile() {
  if (!committed_) std::remove(temp_path_.c_str());
}

void TempFile::commit() {
  if (std::rename(temp_path_.c_str(), final_path_.c_str()) != 0) {
    throw_write_error(final_path_, errno);
  }
  committed_ = true;
}

void write_file_atomically(const std::string& path, const std::string& content) {
  TempFile temp(path);
  const int fd = ::open(temp.path().c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw_write_error(path, errno);
  const int write_error = write_all(fd, content);
  // close() can report a failed write (e.g. a full disk on NFS): check it too.
  const int close_error = ::close(fd) != 0 ? errno : 0;
  if (write_error != 0) throw_write_error(path, write_error);
  if (close_error != 0) throw_write_error(path, close_error);
  temp.commit();
}

bool write_file_if_changed(const std::string& path, const std::string& content) {
  std::ifstream in(path, std::ios::binary);
  if (in) {
    std::stringstream buffer;
    buffer << in.rdbuf();
    if (buffer.str() == content) return false;
  }
  write_file_atomically(path, content);
  return true;
}

}  // namespace troupe
