#include "casting/toml_fields.h"

#include <algorithm>
#include <filesystem>

#include "common/errors.h"

namespace troupe {

std::string quoted_key(std::string_view key) { return "'" + std::string(key) + "'"; }

toml::table TomlFile::parse() const {
  if (!std::filesystem::is_regular_file(path_)) throw input_error(path_, 0, "cannot read the file");
  try {
    return toml::parse_file(path_);
  } catch (const toml::parse_error& error) {
    throw input_error(path_, static_cast<int>(error.source().begin.line),
                      "TOML syntax error: " + std::string(error.description()));
  }
}

int TomlFile::line_of(const toml::node& node) { return static_cast<int>(node.source().begin.line); }

int TomlFile::line_of(const toml::key& key) { return static_cast<int>(key.source().begin.line); }

void TomlFile::reject_unknown_keys(const toml::table& table,
                                   std::initializer_list<std::string_view> allowed,
                                   std::string_view where) const {
  for (auto&& [key, node] : table) {
    if (std::find(allowed.begin(), allowed.end(), key.str()) != allowed.end()) continue;
    const int line = line_of(key) > 0 ? line_of(key) : line_of(node);
    throw input_error(path_, line,
                      "unknown key " + quoted_key(key.str()) + " in " + std::string(where));
  }
}

void TomlFile::fail(const toml::key& key, const toml::node& node, std::string_view want) const {
  throw input_error(path_, line_of(node), quoted_key(key.str()) + " must be " + std::string(want));
}

std::string TomlFile::string_of(const toml::key& key, const toml::node& node) const {
  if (!node.is_string()) fail(key, node, "a string");
  return node.as_string()->get();
}

std::int64_t TomlFile::integer_of(const toml::key& key, const toml::node& node) const {
  if (!node.is_integer()) fail(key, node, "a whole number");
  return node.as_integer()->get();
}

int TomlFile::integer_in_range(const toml::key& key, const toml::node& node, int low,
                               int high) const {
  const std::int64_t value = integer_of(key, node);
  if (value < low || value > high) {
    throw input_error(path_, line_of(node),
                      quoted_key(key.str()) + " is " + std::to_string(value) + ", outside " +
                          std::to_string(low) + "-" + std::to_string(high));
  }
  return static_cast<int>(value);
}

std::vector<std::string> TomlFile::strings_of(const toml::key& key, const toml::node& node) const {
  const toml::array* array = node.as_array();
  if (array == nullptr) fail(key, node, "a list of strings");
  std::vector<std::string> strings;
  for (const toml::node& element : *array) {
    if (!element.is_string()) fail(key, element, "a list of strings");
    strings.push_back(element.as_string()->get());
  }
  return strings;
}

Gender TomlFile::gender_of(const toml::key& key, const toml::node& node) const {
  const std::optional<Gender> gender = parse_gender(string_of(key, node));
  if (!gender) fail(key, node, "\"m\", \"f\" or \"x\"");
  return *gender;
}

const toml::table& TomlFile::table_of(const toml::key& key, const toml::node& node) const {
  if (!node.is_table()) fail(key, node, "a table");
  return *node.as_table();
}

}  // namespace troupe
