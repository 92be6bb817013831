// `troupe script --format jsonl` from a test: the records, and what of them a reader of another
// format must give alike (the quotations with their speakers, the chapter titles).
#pragma once

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "run_troupe.h"

namespace troupe_test {

using Json = nlohmann::json;

inline std::vector<Json> script_records(const ScratchDir& scratch,
                                        const std::vector<std::string>& args) {
  std::vector<std::string> all = {"script"};
  all.insert(all.end(), args.begin(), args.end());
  all.insert(all.end(), {"--format", "jsonl"});
  const Run run = troupe(scratch, all);
  INFO("stderr: " << run.err);
  REQUIRE(run.code == 0);
  std::vector<Json> records;
  for (const std::string& line : lines_of(run.out)) records.push_back(Json::parse(line));
  return records;
}

// The quotation records as (speaker, words).
inline std::vector<std::pair<std::string, std::string>> quotation_records(
    const std::vector<Json>& records) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const Json& r : records)
    if (r["kind"] == "quote") out.emplace_back(r["speaker"], r["text"]);
  return out;
}

// The same as text, one "speaker: words" a line, for comparisons whose failures show the lines.
inline std::string quotations_text(const std::vector<Json>& records) {
  std::string text;
  for (const auto& [speaker, words] : quotation_records(records))
    text += speaker + ": " + words + "\n";
  return text;
}

inline std::vector<std::string> records_of_kind(const std::vector<Json>& records,
                                                const std::string& kind) {
  std::vector<std::string> out;
  for (const Json& r : records)
    if (r["kind"] == kind) out.push_back(r["text"]);
  return out;
}

// Every spoken record's text (titles, narration, quotations), one per line.
inline std::string spoken_text(const std::vector<Json>& records) {
  std::string text;
  for (const Json& r : records)
    if (r["kind"] != "skipped" && r["kind"] != "pause") text += r["text"].get<std::string>() + "\n";
  return text;
}

// A text file's paragraphs (its non-blank lines), as HTML <p> elements, every character that
// HTML writes as an entity written as one (curly quotes too, as web pages write them).
inline std::string html_paragraphs(const std::string& text) {
  std::string body;
  for (const std::string& line : lines_of(text)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    std::string p;
    for (std::size_t i = 0; i < line.size(); ++i) {
      const std::string_view rest = std::string_view(line).substr(i);
      if (line[i] == '&')
        p += "&amp;";
      else if (line[i] == '<')
        p += "&lt;";
      else if (line[i] == '>')
        p += "&gt;";
      else if (line[i] == '\r')
        continue;
      else if (rest.starts_with("\u201C"))
        p += "&ldquo;", i += 2;
      else if (rest.starts_with("\u201D"))
        p += "&rdquo;", i += 2;
      else if (rest.starts_with("\u2019"))
        p += "&rsquo;", i += 2;
      else
        p += line[i];
    }
    body += "<p>" + p + "</p>\n";
  }
  return body;
}

}  // namespace troupe_test
