// `troupe script` output: the attributed script as JSON Lines or readable text.
#pragma once

#include <ostream>

#include "attribution/script.h"
#include "casting/casting.h"

namespace troupe {

// One JSON object per record, in story order:
// {"chapter":1,"line":12,"kind":"quote","speaker":"Lexie","voice":"ember","rule":"tag",
//  "text":"Hey, Mark.","say":"Hey, Mark."}
void write_script_jsonl(std::ostream& out, const Script& script, const Cast& cast);

// "12  Lexie (ember) [tag]: Hey, Mark." — one line per record, for reading.
void write_script_text(std::ostream& out, const Script& script, const Cast& cast);

const char* line_kind_name(LineKind kind);

}  // namespace troupe
