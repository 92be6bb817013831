#include "audio/wav_writer.h"

#include <soxr.h>

#include <algorithm>

#include "common/errors.h"

namespace troupe {
namespace {

constexpr int kOpusRate = 48000;

int sndfile_format(AudioFormat format, bool large) {
  switch (format) {
    case AudioFormat::kFlac:
      return SF_FORMAT_FLAC | SF_FORMAT_PCM_16;
    case AudioFormat::kOgg:
      return SF_FORMAT_OGG | SF_FORMAT_VORBIS;
    case AudioFormat::kOpus:
      return SF_FORMAT_OGG | SF_FORMAT_OPUS;
    case AudioFormat::kMp3:
      return SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III;
    case AudioFormat::kWav:
      break;
  }
  return (large ? SF_FORMAT_RF64 : SF_FORMAT_WAV) | SF_FORMAT_PCM_16;
}

}  // namespace

std::optional<AudioFormat> parse_audio_format(const std::string& name) {
  if (name == "wav") return AudioFormat::kWav;
  if (name == "flac") return AudioFormat::kFlac;
  if (name == "ogg") return AudioFormat::kOgg;
  if (name == "opus") return AudioFormat::kOpus;
  if (name == "mp3") return AudioFormat::kMp3;
  return std::nullopt;
}

std::string audio_format_extension(AudioFormat format) {
  switch (format) {
    case AudioFormat::kFlac:
      return "flac";
    case AudioFormat::kOgg:
      return "ogg";
    case AudioFormat::kOpus:
      return "opus";
    case AudioFormat::kMp3:
      return "mp3";
    case AudioFormat::kWav:
      break;
  }
  return "wav";
}

int file_sample_rate(AudioFormat format, int sample_rate) {
  return format == AudioFormat::kOpus ? kOpusRate : sample_rate;
}

std::size_t ms_to_samples(int ms, int sample_rate) {
  if (ms <= 0 || sample_rate <= 0) return 0;
  return static_cast<std::size_t>(static_cast<long long>(ms) * sample_rate / 1000);
}

ChapterWriter::ChapterWriter(const std::string& final_path, int sample_rate, AudioFormat format,
                             const AudioTags& tags, bool large, Target target)
    : temp_(final_path, target) {
  SF_INFO info{};
  info.samplerate = file_sample_rate(format, sample_rate);
  info.channels = 1;
  info.format = sndfile_format(format, large);
  // Through the temporary file's descriptor: its name is never opened again.
  file_ = sf_open_fd(temp_.fd(), SFM_WRITE, &info, SF_FALSE);
  // sf_open returns nullptr on failure; the reason is only in sf_strerror(nullptr).
  if (file_ == nullptr || sf_error(file_) != SF_ERR_NO_ERROR) {
    const std::string reason = sf_strerror(file_);
    if (file_ != nullptr) sf_close(file_);
    file_ = nullptr;
    fail(reason);
  }
  if (large) sf_command(file_, SFC_RF64_AUTO_DOWNGRADE, nullptr, SF_TRUE);
  // Tags go in before the first sample: Ogg, Opus and MP3 write them into their headers.
  if (!tags.title.empty()) sf_set_string(file_, SF_STR_TITLE, tags.title.c_str());
  if (!tags.artist.empty()) sf_set_string(file_, SF_STR_ARTIST, tags.artist.c_str());
  if (!tags.album.empty()) sf_set_string(file_, SF_STR_ALBUM, tags.album.c_str());
  sf_set_string(file_, SF_STR_SOFTWARE, "troupe");
  if (info.samplerate != sample_rate) {
    soxr_error_t error = nullptr;
    soxr_io_spec_t io = soxr_io_spec(SOXR_INT16_I, SOXR_INT16_I);
    // libsoxr dithers 16-bit output with a random seed: two runs gave different samples.
    io.flags |= SOXR_NO_DITHER;
    const soxr_quality_spec_t quality = soxr_quality_spec(SOXR_HQ, 0);
    resampler_ = soxr_create(sample_rate, info.samplerate, 1, &error, &io, &quality, nullptr);
    if (error != nullptr) {
      close_file();
      fail(std::string("cannot resample: ") + error);
    }
  }
}

ChapterWriter::~ChapterWriter() { close_file(); }  // temp_ then removes the unfinished file

void ChapterWriter::fail(const std::string& what) const {
  throw RenderError(temp_.final_path() + ": could not write: " + what);
}

void ChapterWriter::close_file() {
  if (resampler_ != nullptr) soxr_delete(static_cast<soxr_t>(resampler_));
  resampler_ = nullptr;
  if (file_ != nullptr) sf_close(file_);
  file_ = nullptr;
}

void ChapterWriter::write_file(const int16_t* samples, std::size_t count) {
  if (count == 0) return;
  const sf_count_t written = sf_write_short(file_, samples, static_cast<sf_count_t>(count));
  if (written != static_cast<sf_count_t>(count)) fail(sf_strerror(file_));
}

void ChapterWriter::resample(const int16_t* samples, std::size_t count) {
  auto* soxr = static_cast<soxr_t>(resampler_);
  resampled_.resize(8192);
  std::size_t offset = 0;
  // With samples == nullptr soxr drains what it holds; done when it gives nothing more.
  for (;;) {
    std::size_t used = 0, made = 0;
    const std::size_t give = samples ? std::min<std::size_t>(count - offset, 2048) : 0;
    soxr_error_t error = soxr_process(soxr, samples ? samples + offset : nullptr, give, &used,
                                      resampled_.data(), resampled_.size(), &made);
    if (error != nullptr) fail(std::string("cannot resample: ") + error);
    write_file(resampled_.data(), made);
    offset += used;
    if (samples ? offset >= count : made == 0) break;
  }
}

void ChapterWriter::write(const int16_t* samples, std::size_t count) {
  if (file_ == nullptr) fail("the file is already finished");
  if (count == 0) return;
  if (resampler_ != nullptr)
    resample(samples, count);
  else
    write_file(samples, count);
  frames_written_ += count;
  // The file is fsync'ed on commit: its pages go to disk every few megabytes as they are
  // written, and commit waits for the last ones only (story 002's 94 MB WAV took 0.27 s to
  // fsync at the end of its chapter, while the machine was busy).
  constexpr std::size_t kWritebackFrames = std::size_t{1} << 22;  // 8 MB of 16-bit samples
  if ((frames_written_ - count) / kWritebackFrames != frames_written_ / kWritebackFrames)
    temp_.start_writeback();
}

void ChapterWriter::write_silence(std::size_t count) {
  // Three seconds at 22,050 Hz: a pause between lines is one write, not one per 4,096 samples
  // (story 002's thousand pauses cost some 2,000 system calls more).
  static const std::vector<int16_t> kZeros(std::size_t{1} << 16);
  while (count > 0) {
    const std::size_t chunk = std::min(count, kZeros.size());
    write(kZeros.data(), chunk);
    count -= chunk;
  }
}

void ChapterWriter::commit() {
  if (file_ == nullptr) fail("the file is already finished");
  if (resampler_ != nullptr) {
    resample(nullptr, 0);
    soxr_delete(static_cast<soxr_t>(resampler_));
    resampler_ = nullptr;
  }
  SNDFILE* file = file_;
  file_ = nullptr;
  // sf_close flushes and finishes the header: its failure means a broken file.
  const int error = sf_close(file);
  if (error != SF_ERR_NO_ERROR) fail(sf_error_number(error));
  temp_.commit();
}

}  // namespace troupe
