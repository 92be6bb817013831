// Running the real troupe binary from a test: its exit code and what it printed.
#pragma once

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "scratch_dir.h"

namespace troupe_test {

inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// 'text' quoted for the POSIX shell.
inline std::string shell_quote(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

struct Run {
  int code = -1;
  std::string out, err;
};

// Runs `BINARY ARGS...` inside `where`, stdin closed, capturing stdout, stderr and the exit code.
inline Run run_binary(const ScratchDir& where, const std::string& binary,
                      const std::vector<std::string>& args) {
  std::string command = "cd " + shell_quote(where.path().string()) + " && " + shell_quote(binary);
  for (const auto& arg : args) command += " " + shell_quote(arg);
  const std::filesystem::path out = where.path() / ".stdout", err = where.path() / ".stderr";
  command += " </dev/null >" + shell_quote(out.string()) + " 2>" + shell_quote(err.string());
  const int status = std::system(command.c_str());
  Run run;
  run.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.out = read_text(out);
  run.err = read_text(err);
  std::filesystem::remove(out);
  std::filesystem::remove(err);
  return run;
}

// Runs `troupe ARGS...` inside `where`, as run_binary does.
inline Run troupe(const ScratchDir& where, const std::vector<std::string>& args) {
  return run_binary(where, TROUPE_BINARY, args);
}

// The shared libraries the dynamic loader would load for the troupe binary, one a line
// (LD_TRACE_LOADED_OBJECTS: ldd's way), without running it; empty when that fails.
inline std::string troupe_libraries(const ScratchDir& where) {
  const std::filesystem::path listing = where.path() / ".libraries";
  const std::string command = "LD_TRACE_LOADED_OBJECTS=1 " + shell_quote(TROUPE_BINARY) + " >" +
                              shell_quote(listing.string()) + " 2>&1";
  if (std::system(command.c_str()) != 0) return "";
  return read_text(listing);
}

// The non-empty lines of text.
inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(line);
  return lines;
}

}  // namespace troupe_test
