#include "publish/mp3.h"

#include <sndfile.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <vector>

#include "common/errors.h"
#include "render/interrupt.h"

namespace troupe {
namespace {

// libsndfile's virtual I/O into a growing string: the MP3 is written in memory (LAME's header
// is written last, after a seek back to the start).
struct MemoryFile {
  std::string bytes;
  sf_count_t at = 0;
};

sf_count_t memory_length(void* user) { return static_cast<MemoryFile*>(user)->bytes.size(); }

sf_count_t memory_seek(sf_count_t offset, int whence, void* user) {
  auto* file = static_cast<MemoryFile*>(user);
  const sf_count_t base = whence == SEEK_CUR   ? file->at
                          : whence == SEEK_END ? static_cast<sf_count_t>(file->bytes.size())
                                               : 0;
  file->at = std::max<sf_count_t>(0, base + offset);
  return file->at;
}

sf_count_t memory_read(void* out, sf_count_t count, void* user) {
  auto* file = static_cast<MemoryFile*>(user);
  const auto size = static_cast<sf_count_t>(file->bytes.size());
  const sf_count_t n = std::clamp<sf_count_t>(size - file->at, 0, count);
  std::memcpy(out, file->bytes.data() + file->at, static_cast<std::size_t>(n));
  file->at += n;
  return n;
}

sf_count_t memory_write(const void* in, sf_count_t count, void* user) {
  auto* file = static_cast<MemoryFile*>(user);
  const auto end = static_cast<std::size_t>(file->at + count);
  if (file->bytes.size() < end) file->bytes.resize(end);
  std::memcpy(file->bytes.data() + file->at, in, static_cast<std::size_t>(count));
  file->at += count;
  return count;
}

sf_count_t memory_tell(void* user) { return static_cast<MemoryFile*>(user)->at; }

struct SndfileCloser {
  void operator()(SNDFILE* file) const { sf_close(file); }
};
using SndfilePtr = std::unique_ptr<SNDFILE, SndfileCloser>;

// LAME's compression level for a constant bit rate: libsndfile maps 0..1 onto the bit rates
// of the MPEG version the sample rate calls for (MPEG-2: 8 to 160 kbps at 22050 Hz).
double compression_level(int sample_rate, int kbps) {
  const double low = 8, high = sample_rate >= 32000 ? 320 : 160;
  return std::clamp((high - kbps) / (high - low), 0.0, 1.0);
}

}  // namespace

std::string encode_mp3(const std::string& path) {
  SF_INFO in_info{};
  SndfilePtr in(sf_open(path.c_str(), SFM_READ, &in_info));
  if (!in) throw RenderError(path + ": cannot read: " + sf_strerror(nullptr));
  SF_INFO out_info{};
  out_info.samplerate = in_info.samplerate;
  out_info.channels = in_info.channels;
  out_info.format = SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III;
  MemoryFile memory;
  SF_VIRTUAL_IO io{memory_length, memory_seek, memory_read, memory_write, memory_tell};
  SndfilePtr out(sf_open_virtual(&io, SFM_WRITE, &out_info, &memory));
  if (!out) throw RenderError(path + ": cannot encode as MP3: " + sf_strerror(nullptr));
  int mode = SF_BITRATE_MODE_CONSTANT;
  double level = compression_level(in_info.samplerate, kReadAlongMp3Kbps);
  // libsndfile 1.2.0 answers SFC_SET_BITRATE_MODE with 0 whether or not it took: ask back.
  sf_command(out.get(), SFC_SET_BITRATE_MODE, &mode, sizeof mode);
  if (sf_command(out.get(), SFC_GET_BITRATE_MODE, nullptr, 0) != mode ||
      !sf_command(out.get(), SFC_SET_COMPRESSION_LEVEL, &level, sizeof level))
    throw RenderError(path + ": cannot encode as MP3: " + sf_strerror(out.get()));
  std::vector<short> buffer(static_cast<std::size_t>(8192 * std::max(1, in_info.channels)));
  for (;;) {
    throw_if_interrupted();
    const sf_count_t frames = sf_readf_short(in.get(), buffer.data(), 8192);
    if (frames <= 0) break;
    if (sf_writef_short(out.get(), buffer.data(), frames) != frames)
      throw RenderError(path + ": cannot encode as MP3: " + sf_strerror(out.get()));
  }
  if (sf_error(in.get()) != SF_ERR_NO_ERROR)
    throw RenderError(path + ": cannot read: " + sf_strerror(in.get()));
  out.reset();  // LAME writes its last frames and header
  return std::move(memory.bytes);
}

}  // namespace troupe
