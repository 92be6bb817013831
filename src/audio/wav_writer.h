// Streaming one chapter's PCM to an audio file with libsndfile, committed atomically.
#pragma once

#include <sndfile.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "audio/atomic_file.h"

namespace troupe {

enum class AudioFormat { kWav, kFlac, kOgg, kMp3 };

// "wav", "flac", "ogg", "mp3" (the file extension); nullopt for anything else.
std::optional<AudioFormat> parse_audio_format(const std::string& name);
std::string audio_format_extension(AudioFormat format);

// Samples in ms milliseconds at sample_rate (rounded down; 0 for negative ms).
std::size_t ms_to_samples(int ms, int sample_rate);

// Writes mono 16-bit audio to final_path + ".tmp"; commit() renames it to final_path.
// Destroyed without commit(), it closes and removes the temporary file.
// Every failure throws RenderError naming the file.
class ChapterWriter {
 public:
  ChapterWriter(const std::string& final_path, int sample_rate,
                AudioFormat format = AudioFormat::kWav);
  ~ChapterWriter();
  ChapterWriter(const ChapterWriter&) = delete;
  ChapterWriter& operator=(const ChapterWriter&) = delete;

  void write(const int16_t* samples, std::size_t count);
  void write_silence(std::size_t count);
  std::size_t frames_written() const { return frames_written_; }
  const std::string& path() const { return temp_.final_path(); }

  // Finishes the file and moves it into place. No writes after this.
  void commit();

 private:
  [[noreturn]] void fail(const std::string& what) const;
  void close_file();

  TempFile temp_;
  SNDFILE* file_ = nullptr;
  std::size_t frames_written_ = 0;
};

}  // namespace troupe
