// Streaming one chapter's PCM to an audio file with libsndfile, committed atomically.
// Opus is written at 48000 Hz, resampled with libsoxr as the samples stream in.
#pragma once

#include <sndfile.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audio/atomic_file.h"

namespace troupe {

enum class AudioFormat { kWav, kFlac, kOgg, kOpus, kMp3 };

// "wav", "flac", "ogg", "opus", "mp3" (the file extension); nullopt for anything else.
std::optional<AudioFormat> parse_audio_format(const std::string& name);
std::string audio_format_extension(AudioFormat format);

// The sample rate a format's file gets for audio at sample_rate (Opus: 48000).
int file_sample_rate(AudioFormat format, int sample_rate);

// Tags written into the file where the format holds them (WAV: LIST INFO; FLAC, Ogg, Opus:
// Vorbis comments; MP3: ID3). Empty ones are left out.
struct AudioTags {
  std::string title, artist, album;
};

// WAV files hold at most 4 GiB. A WAV chapter expected to come near that is written as RF64
// (libsndfile's SF_FORMAT_RF64), which downgrades itself to a plain WAV when it stays small.
constexpr std::uint64_t kWavLimitBytes = (std::uint64_t{1} << 32) - (std::uint64_t{1} << 20);

// Samples in ms milliseconds at sample_rate (rounded down; 0 for negative ms).
std::size_t ms_to_samples(int ms, int sample_rate);

// Writes mono 16-bit audio to a TempFile for final_path; commit() puts it in place.
// Destroyed without commit(), it closes and removes the temporary file.
// Every failure throws RenderError naming the file.
class ChapterWriter {
 public:
  // large: the WAV may pass kWavLimitBytes, write RF64.
  ChapterWriter(const std::string& final_path, int sample_rate,
                AudioFormat format = AudioFormat::kWav, const AudioTags& tags = {},
                bool large = false, Target target = Target::kOwnFile);
  ~ChapterWriter();
  ChapterWriter(const ChapterWriter&) = delete;
  ChapterWriter& operator=(const ChapterWriter&) = delete;

  void write(const int16_t* samples, std::size_t count);
  void write_silence(std::size_t count);
  // Frames given to write(), at the sample rate given to the constructor.
  std::size_t frames_written() const { return frames_written_; }
  const std::string& path() const { return temp_.final_path(); }

  // Finishes the file and moves it into place. No writes after this.
  void commit();

 private:
  [[noreturn]] void fail(const std::string& what) const;
  void close_file();
  void write_file(const int16_t* samples, std::size_t count);
  void resample(const int16_t* samples, std::size_t count);  // nullptr: flush

  TempFile temp_;
  SNDFILE* file_ = nullptr;
  std::size_t frames_written_ = 0;
  void* resampler_ = nullptr;  // soxr_t, for Opus
  std::vector<int16_t> resampled_;
};

}  // namespace troupe
