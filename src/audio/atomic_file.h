// Writing files so that a reader never sees half of one: write beside, then rename.
#pragma once

#include <string>

namespace troupe {

// Writes content to path + ".tmp" in the same folder, then renames it over path.
// On any error removes the temporary file and throws
// RenderError("PATH: could not write: <reason>").
void write_file_atomically(const std::string& path, const std::string& content);

// Like write_file_atomically, but leaves the file alone (not even its time) when it already
// holds content. Returns whether it wrote.
bool write_file_if_changed(const std::string& path, const std::string& content);

// The temporary file beside a final one: removed on destruction unless committed.
class TempFile {
 public:
  explicit TempFile(std::string final_path);
  ~TempFile();
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  const std::string& path() const { return temp_path_; }  // final_path + ".tmp"
  const std::string& final_path() const { return final_path_; }

  // Renames the temporary file to the final path; throws RenderError naming the final path.
  void commit();

 private:
  std::string final_path_;
  std::string temp_path_;
  bool committed_ = false;
};

// RenderError("PATH: could not write: <strerror(error_number)>").
[[noreturn]] void throw_write_error(const std::string& path, int error_number);

}  // namespace troupe
