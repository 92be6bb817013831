#include "render/script_format.h"

#include <nlohmann/json.hpp>

namespace troupe {
namespace {

std::string voice_of(const ScriptLine& line, const Cast& cast) {
  if (line.kind == LineKind::Pause || line.kind == LineKind::Skipped) return "";
  if (line.kind != LineKind::Quote) return cast.narrator.profile;
  try {
    return cast.voice_for(line.speaker).profile;
  } catch (const std::out_of_range&) {
    return cast.narrator.profile;
  }
}

}  // namespace

const char* line_kind_name(LineKind kind) {
  switch (kind) {
    case LineKind::Title:
      return "title";
    case LineKind::Narration:
      return "narration";
    case LineKind::Quote:
      return "quote";
    case LineKind::Pause:
      return "pause";
    case LineKind::Skipped:
      return "skipped";
  }
  return "narration";
}

void write_script_jsonl(std::ostream& out, const Script& script, const Cast& cast) {
  for (std::size_t ch = 0; ch < script.chapters.size(); ++ch)
    for (const auto& line : script.chapters[ch].lines) {
      nlohmann::ordered_json record;
      record["chapter"] = ch + 1;
      record["line"] = line.line;
      if (!line.source.empty()) record["source"] = line.source;
      record["kind"] = line_kind_name(line.kind);
      record["speaker"] = line.speaker;
      record["voice"] = voice_of(line, cast);
      if (line.kind == LineKind::Quote) record["rule"] = line.rule;
      if (line.delivery != Delivery::Normal)
        record["delivery"] = line.delivery == Delivery::Soft ? "soft" : "loud";
      record["text"] = line.text;
      record["say"] = line.say;
      out << record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    }
}

void write_script_text(std::ostream& out, const Script& script, const Cast& cast) {
  for (std::size_t ch = 0; ch < script.chapters.size(); ++ch)
    for (const auto& line : script.chapters[ch].lines) {
      out << ch + 1 << ':';
      if (!line.source.empty()) out << line.source << ':';
      out << line.line << "  ";
      if (line.kind == LineKind::Quote)
        out << line.speaker << " (" << voice_of(line, cast) << ") [" << line.rule << "]: \""
            << line.text << "\"\n";
      else
        out << line_kind_name(line.kind) << ": " << line.text << '\n';
    }
}

}  // namespace troupe
