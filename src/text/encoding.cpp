#include "text/encoding.h"

#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>
#include <unicode/ustring.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <tuple>

#include "common/errors.h"
#include "text/utf8.h"

namespace troupe {
namespace {

struct ByteOrderMark {
  std::string_view bytes;
  const char* encoding;
};

// Longest first: UTF-32LE's mark begins with UTF-16LE's.
constexpr ByteOrderMark kMarks[] = {{{"\xFF\xFE\x00\x00", 4}, "UTF-32LE"},
                                    {{"\x00\x00\xFE\xFF", 4}, "UTF-32BE"},
                                    {"\xEF\xBB\xBF", "UTF-8"},
                                    {"\xFF\xFE", "UTF-16LE"},
                                    {"\xFE\xFF", "UTF-16BE"}};

bool names_utf8(const std::string& encoding) {
  return encoding.empty() || ucnv_compareNames(encoding.c_str(), "UTF-8") == 0;
}

// The 1-based line of `offset` in text whose lines end in \n, \r\n or \r (as the line reader
// splits them); works on bytes and on UTF-16 code units alike.
template <typename Char>
std::pair<int, std::size_t> line_and_start(std::basic_string_view<Char> text, std::size_t offset) {
  int line = 1;
  std::size_t start = 0;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    const bool crlf = text[i] == Char('\r') && i + 1 < text.size() && text[i + 1] == Char('\n');
    if ((text[i] == Char('\n') || text[i] == Char('\r')) && !crlf) {
      ++line;
      start = i + 1;
    }
  }
  return {line, start};
}

std::string hint_for(std::string_view bytes) {
  const std::string guess = guess_encoding(bytes);
  return guess.empty() ? "" : "; it looks like " + guess + ": --encoding " + guess + " reads it";
}

// UTF-16 without a byte-order mark: NUL bytes in the high halves of ASCII characters.
std::string utf16_without_mark(std::string_view bytes) {
  const std::size_t pairs = std::min<std::size_t>(bytes.size(), 4096) / 2;
  std::size_t even_nuls = 0, odd_nuls = 0;
  for (std::size_t i = 0; i < pairs; ++i) {
    even_nuls += bytes[2 * i] == '\0';
    odd_nuls += bytes[2 * i + 1] == '\0';
  }
  if (pairs == 0) return "";
  if (odd_nuls * 2 >= pairs && even_nuls * 10 < odd_nuls) return "UTF-16LE";
  if (even_nuls * 2 >= pairs && odd_nuls * 10 < even_nuls) return "UTF-16BE";
  return "";
}

std::string checked_utf8(std::string_view text, const std::string& source) {
  const auto bad = first_invalid_utf8(text);
  if (!bad) return std::string(text);
  const auto [line, start] = line_and_start(text, *bad);
  throw input_error(source, line,
                    "invalid UTF-8 at byte " + std::to_string(*bad - start + 1) + " of the line" +
                        hint_for(text));
}

using Converter = std::unique_ptr<UConverter, decltype(&ucnv_close)>;

Converter open_converter(const std::string& encoding, const std::string& source) {
  UErrorCode status = U_ZERO_ERROR;
  Converter converter(ucnv_open(encoding.c_str(), &status), &ucnv_close);
  if (U_FAILURE(status))
    throw input_error(
        source, 0,
        "unknown encoding '" + encoding + "' (--encoding: cp1252, latin1, utf-16le ...)");
  // Stop at bytes the encoding does not define, rather than reading U+FFFD for them.
  ucnv_setToUCallBack(converter.get(), UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
  return converter;
}

[[noreturn]] void throw_undefined(UConverter* converter, std::u16string_view done,
                                  const std::string& encoding, const std::string& source) {
  char invalid[32];
  int8_t length = sizeof invalid;
  UErrorCode status = U_ZERO_ERROR;
  ucnv_getInvalidChars(converter, invalid, &length, &status);
  std::string shown;
  for (int8_t k = 0; U_SUCCESS(status) && k < length; ++k) {
    char hex[8];
    std::snprintf(hex, sizeof hex, "%s0x%02X", k == 0 ? "" : " ",
                  static_cast<unsigned char>(invalid[k]));
    shown += hex;
  }
  const int line = line_and_start(done, done.size()).first;
  throw input_error(source, line,
                    "bytes " + shown + " are not " + encoding + " (--encoding " + encoding + ")");
}

std::string to_utf8(std::u16string_view text) {
  UErrorCode status = U_ZERO_ERROR;
  int32_t length = 0;
  u_strToUTF8(nullptr, 0, &length, text.data(), static_cast<int32_t>(text.size()), &status);
  std::string out(static_cast<std::size_t>(length), '\0');
  status = U_ZERO_ERROR;
  u_strToUTF8(out.data(), length, nullptr, text.data(), static_cast<int32_t>(text.size()), &status);
  return out;
}

// Converts the whole of `bytes` from `encoding` into UTF-8.
std::string converted(std::string_view bytes, const std::string& encoding,
                      const std::string& source) {
  Converter converter = open_converter(encoding, source);
  std::u16string out(bytes.size() + 16, u'\0');
  const char* from = bytes.data();
  char16_t* to = out.data();
  for (;;) {
    UErrorCode status = U_ZERO_ERROR;
    ucnv_toUnicode(converter.get(), &to, out.data() + out.size(), &from,
                   bytes.data() + bytes.size(), nullptr, true, &status);
    const std::size_t used = static_cast<std::size_t>(to - out.data());
    if (status == U_BUFFER_OVERFLOW_ERROR) {
      out.resize(out.size() * 2);
      to = out.data() + used;
      continue;
    }
    if (U_FAILURE(status))
      throw_undefined(converter.get(), std::u16string_view(out).substr(0, used), encoding, source);
    out.resize(used);
    return to_utf8(out);
  }
}

// ICU names of the Latin-1 family, as users type them: byte statistics tell which.
std::string latin_family(std::string_view bytes) {
  const bool c1 = std::any_of(bytes.begin(), bytes.end(), [](char c) {
    return static_cast<unsigned char>(c) >= 0x80 && static_cast<unsigned char>(c) <= 0x9F;
  });
  return c1 ? "cp1252" : "latin1";
}

}  // namespace

bool is_known_encoding(const std::string& encoding) {
  if (encoding.empty()) return false;  // ucnv_open's default converter, not a name
  UErrorCode status = U_ZERO_ERROR;
  const Converter converter(ucnv_open(encoding.c_str(), &status), &ucnv_close);
  return U_SUCCESS(status) && converter != nullptr;
}

std::string guess_encoding(std::string_view bytes) {
  if (std::string utf16 = utf16_without_mark(bytes); !utf16.empty()) return utf16;
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<UCharsetDetector, decltype(&ucsdet_close)> detector(ucsdet_open(&status),
                                                                      &ucsdet_close);
  const std::size_t sample = std::min<std::size_t>(bytes.size(), 1 << 16);
  ucsdet_setText(detector.get(), bytes.data(), static_cast<int32_t>(sample), &status);
  int32_t count = 0;
  const UCharsetMatch** matches = ucsdet_detectAll(detector.get(), &count, &status);
  std::string best;
  int32_t best_confidence = 0, latin_confidence = 0;
  for (int32_t k = 0; U_SUCCESS(status) && k < count; ++k) {
    const std::string name = ucsdet_getName(matches[k], &status);
    const int32_t confidence = ucsdet_getConfidence(matches[k], &status);
    if (name == "ISO-8859-1" || name == "windows-1252")
      latin_confidence = std::max(latin_confidence, confidence);
    else if (name != "UTF-8" && confidence > best_confidence)
      std::tie(best, best_confidence) = std::pair(name, confidence);
  }
  // Short texts leave the detector unsure between Western and Central European; mostly-ASCII
  // text with a few high bytes is most often Windows' Western encoding (or Latin-1). Another
  // encoding is named only when the detector clearly prefers it.
  constexpr int32_t kSure = 30, kMargin = 10;
  if (U_FAILURE(status) || best_confidence < kSure || best_confidence <= latin_confidence + kMargin)
    return latin_family(bytes);
  return best;
}

std::string decode_text(std::string_view bytes, const std::string& source,
                        const std::string& encoding) {
  for (const auto& mark : kMarks) {
    if (!bytes.starts_with(mark.bytes)) continue;
    const std::string_view rest = bytes.substr(mark.bytes.size());
    if (std::string_view(mark.encoding) == "UTF-8") return checked_utf8(rest, source);
    return converted(rest, mark.encoding, source);
  }
  if (!names_utf8(encoding)) return converted(bytes, encoding, source);
  if (bytes.find('\0') != std::string_view::npos) {
    // Text in UTF-16 without a mark reads as a binary file: say what it looks like.
    if (std::string utf16 = utf16_without_mark(bytes); !utf16.empty())
      throw input_error(source, 0,
                        "NUL bytes: it looks like " + utf16 +
                            " without a byte-order mark: --encoding " + utf16 + " reads it");
    return std::string(bytes);  // the line reader names the line of the NUL byte
  }
  return checked_utf8(bytes, source);
}

}  // namespace troupe
