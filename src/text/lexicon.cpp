#include "text/lexicon.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "common/ascii.h"
#include "common/errors.h"

namespace troupe {
namespace fs = std::filesystem;

namespace {

char upper(char c) { return static_cast<char>(std::toupper(static_cast<unsigned char>(c))); }

bool has_upper(std::string_view s) {
  return std::any_of(s.begin(), s.end(),
                     [](char c) { return std::isupper(static_cast<unsigned char>(c)); });
}

bool equal_all_caps(std::string_view key, std::string_view word) {
  return key.size() == word.size() && std::equal(key.begin(), key.end(), word.begin(),
                                                 [](char k, char w) { return upper(k) == w; });
}

}  // namespace

bool lexicon_key_matches(std::string_view key, std::string_view word) {
  if (!has_upper(key)) return equals_icase(key, word);
  return key == word || equal_all_caps(key, word);
}

void Lexicon::add(std::string key, std::string say, bool user) {
  while (!key.empty() && key.back() == ' ') key.pop_back();
  while (!key.empty() && key.front() == ' ') key.erase(key.begin());
  if (key.empty() || key == "-") return;
  entries_.push_back(Entry{std::move(key), std::move(say), user});
  // User entries first; stable, so the first entry of each kind for a key stays first.
  std::stable_sort(entries_.begin(), entries_.end(),
                   [](const Entry& a, const Entry& b) { return a.user && !b.user; });
  reindex();
}

void Lexicon::add_file(const std::string& path) {
  toml::table table;
  try {
    table = toml::parse_file(path);
  } catch (const toml::parse_error& error) {
    throw input_error(path, static_cast<int>(error.source().begin.line),
                      std::string(error.description()));
  }
  std::vector<std::pair<int, Entry>> lined;
  for (auto&& [key, value] : table) {
    const int line = static_cast<int>(value.source().begin.line);
    const auto* text = value.as_string();
    if (text == nullptr)
      throw input_error(
          path, line,
          "'" + std::string(key.str()) + "' must be a string: a respelling or \"[[phonemes]]\"");
    lined.push_back({line, Entry{std::string(key.str()), text->get(), false}});
  }
  std::stable_sort(lined.begin(), lined.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [line, entry] : lined) add(std::move(entry.key), std::move(entry.say), false);
}

void Lexicon::add_folder(const std::string& folder) {
  std::error_code error;
  if (!fs::is_directory(folder, error)) return;
  std::vector<std::string> files;
  for (auto it = fs::directory_iterator(folder, error); !error && it != fs::directory_iterator();
       it.increment(error))
    if (it->is_regular_file() && it->path().extension() == ".toml")
      files.push_back(it->path().string());
  if (error) throw input_error(folder, 0, "cannot list the lexicon folder: " + error.message());
  std::sort(files.begin(), files.end());
  for (const auto& file : files) add_file(file);
}

const Lexicon::Entry* Lexicon::find(std::string_view word, bool suffix) const {
  // Entries are indexed by their lower-cased key: most words of a story are in no lexicon.
  const std::string folded = lower_ascii(word);
  auto it = (suffix ? by_suffix_ : by_word_).find(folded);
  if (it == (suffix ? by_suffix_ : by_word_).end()) return nullptr;
  for (std::size_t index : it->second) {
    const Entry& entry = entries_[index];
    std::string_view key = entry.key;
    if (suffix) key.remove_prefix(1);
    if (lexicon_key_matches(key, word)) return &entry;
  }
  return nullptr;
}

void Lexicon::reindex() {
  by_word_.clear();
  by_suffix_.clear();
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    std::string key = entries_[i].key;
    const bool suffix = key.front() == '-';
    if (suffix) key.erase(key.begin());
    key = lower_ascii(key);
    (suffix ? by_suffix_ : by_word_)[key].push_back(i);
  }
}

std::optional<std::string> Lexicon::lookup(std::string_view word) const {
  if (const Entry* entry = find(word, false)) return entry->say;
  return std::nullopt;
}

std::optional<std::string> Lexicon::lookup_suffix(std::string_view suffix) const {
  if (const Entry* entry = find(suffix, true)) return entry->say;
  return std::nullopt;
}

std::vector<const Lexicon::Entry*> Lexicon::phrases() const {
  std::vector<const Entry*> out;
  for (const auto& entry : entries_)
    if (entry.key.find(' ') != std::string::npos) out.push_back(&entry);
  // Longer phrases first, so "Lee Taeyong" is tried before "Lee Tae".
  std::stable_sort(out.begin(), out.end(), [](const Entry* a, const Entry* b) {
    return a->user != b->user ? a->user : a->key.size() > b->key.size();
  });
  return out;
}

}  // namespace troupe
