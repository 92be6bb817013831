// libFuzzer target: EPUB bytes through the EPUB reader (libzip, libxml2, the chapter builder),
// quotation finding and attribution. Built and run by scripts/fuzz.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_checks.h"
#include "sources/epub_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const troupe::fuzz::ScratchFile file("book.epub");
  const std::string& path = file.write(std::string_view(reinterpret_cast<const char*>(data), size));
  troupe::Story story;
  try {
    story = troupe::read_epub(path);
  } catch (const troupe::InputError&) {
    return 0;
  }
  troupe::fuzz::check_story(story);
  troupe::fuzz::check_script(troupe::attribute(story));
  return 0;
}
