// Typed reads from toml++ nodes: every mistake becomes an InputError naming the file and line.
#pragma once

#include <toml++/toml.h>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "common/gender.h"

namespace troupe {

class TomlFile {
 public:
  explicit TomlFile(std::string path) : path_(std::move(path)) {}

  const std::string& path() const { return path_; }

  // Parses the whole file; a missing file or a syntax error is an InputError with its line.
  toml::table parse() const;

  static int line_of(const toml::node& node);
  static int line_of(const toml::key& key);

  // Throws for the first key of `table` that is not in `allowed`; `where` names the table.
  void reject_unknown_keys(const toml::table& table,
                           std::initializer_list<std::string_view> allowed,
                           std::string_view where) const;

  std::string string_of(const toml::key& key, const toml::node& node) const;
  std::int64_t integer_of(const toml::key& key, const toml::node& node) const;
  int integer_in_range(const toml::key& key, const toml::node& node, int low, int high) const;
  std::vector<std::string> strings_of(const toml::key& key, const toml::node& node) const;
  Gender gender_of(const toml::key& key, const toml::node& node) const;
  const toml::table& table_of(const toml::key& key, const toml::node& node) const;

 private:
  [[noreturn]] void fail(const toml::key& key, const toml::node& node, std::string_view want) const;

  std::string path_;
};

// The key's text in quotes, for messages: 'rate', 'characters.Mark'.
std::string quoted_key(std::string_view key);

}  // namespace troupe
