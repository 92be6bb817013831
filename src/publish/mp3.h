// MP3 from a chapter's audio, for the read-along EPUB (a core media type every reading system
// plays): libsndfile reads whatever format the chapter was written in and writes MP3 through
// LAME, constant bit rate, at the chapter's own sample rate and channels.
#pragma once

#include <string>

namespace troupe {

// The MP3's bit rate for speech at eSpeak NG's 22050 Hz, mono.
inline constexpr int kReadAlongMp3Kbps = 48;

// The MP3 bytes of the audio file at path. Throws RenderError naming path when it cannot be
// read or encoded.
std::string encode_mp3(const std::string& path);

}  // namespace troupe
