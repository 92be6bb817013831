// The two kinds of failure troupe reports, mapped to exit codes by the CLI.
#pragma once

#include <stdexcept>
#include <string>

namespace troupe {

// Bad input from the user (story, cast file, voice profile, options): exit code 2.
// The message is one line that starts with the file at fault: "FILE:LINE: what is wrong".
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A failure while rendering (engine, disk): exit code 1. The message names the file.
class RenderError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

inline InputError input_error(const std::string& file, int line, const std::string& what) {
  return InputError(line > 0 ? file + ":" + std::to_string(line) + ": " + what
                             : file + ": " + what);
}

}  // namespace troupe
