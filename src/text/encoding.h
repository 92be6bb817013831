// Story bytes into UTF-8 text: byte-order marks, UTF-16, other encodings named by the user, and
// a guess at the encoding of text that is not UTF-8 (ICU's converters and charset detector).
#pragma once

#include <string>
#include <string_view>

namespace troupe {

// The bytes of a file as UTF-8 text; `source` names the file in errors. Any reader of raw bytes
// (plain text, HTML, Markdown) calls this before it parses.
//
// A byte-order mark names the encoding and always wins (UTF-8, UTF-16LE/BE, UTF-32LE/BE; the mark
// is dropped). Without one:
// - `encoding` empty (or a name of UTF-8): the bytes must be UTF-8. If they are not, throws
//   InputError "SOURCE:LINE: invalid UTF-8 at byte B of the line; it looks like cp1252:
//   --encoding cp1252 reads it" (the guess from guess_encoding; left out when there is none).
// - `encoding` an ICU converter name or alias (cp1252, latin1, utf-16le, koi8-r, shift_jis ...):
//   the bytes are converted from it. An unknown name, or bytes the encoding does not define,
//   throw InputError naming the file (and the line).
// The text may still hold NUL or control characters: the line reader refuses or blanks those.
std::string decode_text(std::string_view bytes, const std::string& source,
                        const std::string& encoding = "");

// Whether `encoding` names one of ICU's converters (a name or an alias decode_text takes).
bool is_known_encoding(const std::string& encoding);

// What bytes that are not UTF-8 look like, as a name --encoding accepts: "cp1252", "latin1",
// "UTF-16LE", "Shift_JIS" ...; "" when nothing fits.
std::string guess_encoding(std::string_view bytes);

}  // namespace troupe
