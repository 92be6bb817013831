// MP3 from a chapter's audio, for the read-along EPUB (a core media type every reading system
// plays): libsndfile reads whatever format the chapter was written in, and FFmpeg's libraries
// encode it with LAME (constant bit rate, the chapter's own sample rate and channels) into an
// MP3 whose first frame is a Xing "Info" frame with a LAME tag: the encoder's delay and
// padding, which players (FFmpeg, and Chromium, which reading systems such as Thorium are
// built on) skip, so that the decoded audio starts and ends where the chapter's does and a
// media overlay's clip times hold for it as they hold for the chapter file.
#pragma once

#include <string>

namespace troupe {

// The MP3's bit rate for speech at eSpeak NG's 22050 Hz, mono.
inline constexpr int kReadAlongMp3Kbps = 48;
// A bump here re-encodes the MP3s of every read-along EPUB (they are otherwise taken from the
// EPUB written before): change it when the same chapter should make a different MP3.
inline constexpr const char* kReadAlongMp3Encoding = "lame-info-tag/1";

// The MP3 bytes of the audio file at path. Throws RenderError naming path when it cannot be
// read or encoded.
std::string encode_mp3(const std::string& path);

}  // namespace troupe
