// The part of publishing that FFmpeg does (the M4B audiobook, the read-along book's MP3s), kept
// in a module of its own (troupe-av.so) that troupe loads only when it publishes one of them.
//
// FFmpeg's libraries bring about 110 more shared libraries with them (codecs, TLS, X11, ...):
// loading and relocating them cost every run of troupe about 0.1 s of CPU, more than a tenth
// of eSpeak NG's time on a short story, and made every fork (workers, speech sessions) copy
// their page tables. A render that writes WAV files never calls into them.
//
// The module's functions are m4b.h's and mp3.h's own (src/publish/m4b.cpp, mp3.cpp), reached
// in troupe through the forwarding definitions of av_loader.cpp; the tests link those files
// directly. The module uses troupe's other functions from the executable, which exports them
// (src/publish/exported_symbols.list); it binds its own symbols to itself (-Bsymbolic), so that
// its publish_m4b is not the executable's forwarding one.
#pragma once

#include <functional>
#include <string>

#include "audio/manifest.h"
#include "publish/m4b.h"

namespace troupe {

// What the module hands over: pointers to its functions. Changing this struct changes
// kAvModuleInterface.
struct AvModule {
  int interface = 0;    // kAvModuleInterface of the module's build
  const char* version;  // TROUPE_VERSION of the module's build
  bool (*publish_m4b)(const std::string&, const Manifest&, const BookInfo&,
                      const std::function<void(const std::string&)>&);
  std::string (*read_cover_image)(const std::string&);
  std::string (*encode_mp3)(const std::string&);
};

inline constexpr int kAvModuleInterface = 1;
// The function the module exports (extern "C": a name dlsym can find).
inline constexpr const char* kAvModuleEntry = "troupe_av_module";
inline constexpr const char* kAvModuleFile = "troupe-av.so";

}  // namespace troupe
