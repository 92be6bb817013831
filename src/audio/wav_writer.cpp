#include "audio/wav_writer.h"

#include <algorithm>
#include <array>

#include "common/errors.h"

namespace troupe {
namespace {

int sndfile_format(AudioFormat format) {
  switch (format) {
    case AudioFormat::kFlac:
      return SF_FORMAT_FLAC | SF_FORMAT_PCM_16;
    case AudioFormat::kOgg:
      return SF_FORMAT_OGG | SF_FORMAT_VORBIS;
    case AudioFormat::kMp3:
      return SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III;
    case AudioFormat::kWav:
      break;
  }
  return SF_FORMAT_WAV | SF_FORMAT_PCM_16;
}

}  // namespace

std::optional<AudioFormat> parse_audio_format(const std::string& name) {
  if (name == "wav") return AudioFormat::kWav;
  if (name == "flac") return AudioFormat::kFlac;
  if (name == "ogg") return AudioFormat::kOgg;
  if (name == "mp3") return AudioFormat::kMp3;
  return std::nullopt;
}

std::string audio_format_extension(AudioFormat format) {
  switch (format) {
    case AudioFormat::kFlac:
      return "flac";
    case AudioFormat::kOgg:
      return "ogg";
    case AudioFormat::kMp3:
      return "mp3";
    case AudioFormat::kWav:
      break;
  }
  return "wav";
}

std::size_t ms_to_samples(int ms, int sample_rate) {
  if (ms <= 0 || sample_rate <= 0) return 0;
  return static_cast<std::size_t>(static_cast<long long>(ms) * sample_rate / 1000);
}

ChapterWriter::ChapterWriter(const std::string& final_path, int sample_rate, AudioFormat format)
    : temp_(final_path) {
  SF_INFO info{};
  info.samplerate = sample_rate;
  info.channels = 1;
  info.format = sndfile_format(format);
  file_ = sf_open(temp_.path().c_str(), SFM_WRITE, &info);
  // sf_open returns nullptr on failure; the reason is only in sf_strerror(nullptr).
  if (file_ == nullptr || sf_error(file_) != SF_ERR_NO_ERROR) {
    const std::string reason = sf_strerror(file_);
    if (file_ != nullptr) sf_close(file_);
    file_ = nullptr;
    fail(reason);
  }
}

ChapterWriter::~ChapterWriter() { close_file(); }  // temp_ then removes the unfinished file

void ChapterWriter::fail(const std::string& what) const {
  throw RenderError(temp_.final_path() + ": could not write: " + what);
}

void ChapterWriter::close_file() {
  if (file_ != nullptr) sf_close(file_);
  file_ = nullptr;
}

void ChapterWriter::write(const int16_t* samples, std::size_t count) {
  if (file_ == nullptr) fail("the file is already finished");
  if (count == 0) return;
  const sf_count_t written = sf_write_short(file_, samples, static_cast<sf_count_t>(count));
  if (written != static_cast<sf_count_t>(count)) fail(sf_strerror(file_));
  frames_written_ += count;
}

void ChapterWriter::write_silence(std::size_t count) {
  static constexpr std::array<int16_t, 4096> kZeros{};
  while (count > 0) {
    const std::size_t chunk = std::min(count, kZeros.size());
    write(kZeros.data(), chunk);
    count -= chunk;
  }
}

void ChapterWriter::commit() {
  if (file_ == nullptr) fail("the file is already finished");
  SNDFILE* file = file_;
  file_ = nullptr;
  // sf_close flushes and finishes the header: its failure means a broken file.
  const int error = sf_close(file);
  if (error != SF_ERR_NO_ERROR) fail(sf_error_number(error));
  temp_.commit();
}

}  // namespace troupe
