#include "publish/mp3.h"

#include <sndfile.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <vector>

#include "common/errors.h"
#include "publish/av_objects.h"
#include "render/interrupt.h"

namespace troupe {
namespace {

// The MP3 in memory: FFmpeg's muxer writes it front to back, then seeks back to fill in the
// Info frame it left at the start (the frame count, the LAME tag's delay and padding).
struct MemoryFile {
  std::string bytes;
  std::int64_t at = 0;
};

#if LIBAVFORMAT_VERSION_MAJOR >= 61
using WrittenBytes = const std::uint8_t*;
#else
using WrittenBytes = std::uint8_t*;
#endif

int memory_write(void* user, WrittenBytes data, int size) {
  auto* file = static_cast<MemoryFile*>(user);
  const auto end = static_cast<std::size_t>(file->at) + static_cast<std::size_t>(size);
  if (file->bytes.size() < end) file->bytes.resize(end);
  std::memcpy(file->bytes.data() + file->at, data, static_cast<std::size_t>(size));
  file->at += size;
  return size;
}

std::int64_t memory_seek(void* user, std::int64_t offset, int whence) {
  auto* file = static_cast<MemoryFile*>(user);
  const auto size = static_cast<std::int64_t>(file->bytes.size());
  switch (whence & ~AVSEEK_FORCE) {
    case AVSEEK_SIZE:
      return size;
    case SEEK_SET:
      break;
    case SEEK_CUR:
      offset += file->at;
      break;
    case SEEK_END:
      offset += size;
      break;
    default:
      return AVERROR(EINVAL);
  }
  if (offset < 0) return AVERROR(EINVAL);
  return file->at = offset;
}

struct SndfileCloser {
  void operator()(SNDFILE* file) const { sf_close(file); }
};
using SndfilePtr = std::unique_ptr<SNDFILE, SndfileCloser>;

// The MP3 muxer writing into a MemoryFile through its own I/O context.
struct MemoryMuxer {
  AVFormatContext* context = nullptr;
  AVIOContext* io = nullptr;
  ~MemoryMuxer() {
    if (io) av_freep(&io->buffer);
    avio_context_free(&io);
    avformat_free_context(context);
  }
};

class Mp3Encoder {
 public:
  Mp3Encoder(const std::string& path, int sample_rate, int channels);
  // Encodes `frames` frames of interleaved samples: frame_size() of them, fewer at the end.
  void add(const float* samples, int frames);
  // The MP3, whole.
  std::string finish();
  int frame_size() const { return encoder_->frame_size; }

 private:
  void open_muxer();
  void encode(const AVFrame* frame);
  void check(int code) const {
    if (code < 0) throw RenderError(path_ + ": cannot encode as MP3: " + av_error_text(code));
  }

  std::string path_;
  CodecPtr encoder_;
  MemoryFile memory_;
  MemoryMuxer muxer_;
  AVStream* stream_ = nullptr;
  FramePtr frame_ = new_frame();
  PacketPtr packet_ = new_packet();
  std::int64_t next_pts_ = 0;
};

Mp3Encoder::Mp3Encoder(const std::string& path, int sample_rate, int channels) : path_(path) {
  const AVCodec* lame = avcodec_find_encoder_by_name("libmp3lame");
  if (!lame) throw RenderError(path + ": cannot encode as MP3: this FFmpeg has no LAME encoder");
  encoder_.reset(avcodec_alloc_context3(lame));
  if (!encoder_) throw std::bad_alloc();
  encoder_->sample_fmt = AV_SAMPLE_FMT_FLTP;
  encoder_->sample_rate = sample_rate;
  av_channel_layout_default(&encoder_->ch_layout, channels);
  encoder_->bit_rate = kReadAlongMp3Kbps * 1000;
  encoder_->time_base = AVRational{1, sample_rate};
  encoder_->flags |= AV_CODEC_FLAG_BITEXACT;
  check(avcodec_open2(encoder_.get(), lame, nullptr));
  open_muxer();
}

void Mp3Encoder::open_muxer() {
  check(avformat_alloc_output_context2(&muxer_.context, nullptr, "mp3", nullptr));
  // No library versions in the file: the same chapter makes the same bytes.
  muxer_.context->flags |= AVFMT_FLAG_BITEXACT;
  constexpr int kBufferSize = 1 << 16;
  auto* buffer = static_cast<unsigned char*>(av_malloc(kBufferSize));
  if (buffer)
    muxer_.io =
        avio_alloc_context(buffer, kBufferSize, 1, &memory_, nullptr, memory_write, memory_seek);
  if (!muxer_.io) {
    av_free(buffer);
    throw std::bad_alloc();
  }
  muxer_.context->pb = muxer_.io;
  stream_ = avformat_new_stream(muxer_.context, nullptr);
  if (!stream_) throw std::bad_alloc();
  stream_->time_base = encoder_->time_base;
  check(avcodec_parameters_from_context(stream_->codecpar, encoder_.get()));
  AVDictionary* options = nullptr;
  // No ID3v2 tag (nothing to say in it); the Info frame with the LAME tag, which the muxer
  // writes only into output it can seek back in, as this is.
  av_dict_set(&options, "id3v2_version", "0", 0);
  av_dict_set(&options, "write_xing", "1", 0);
  const int written = avformat_write_header(muxer_.context, &options);
  av_dict_free(&options);
  check(written);
}

void Mp3Encoder::add(const float* samples, int frames) {
  av_frame_unref(frame_.get());
  frame_->nb_samples = frames;
  frame_->format = encoder_->sample_fmt;
  frame_->sample_rate = encoder_->sample_rate;
  check(av_channel_layout_copy(&frame_->ch_layout, &encoder_->ch_layout));
  check(av_frame_get_buffer(frame_.get(), 0));
  const int channels = encoder_->ch_layout.nb_channels;
  for (int c = 0; c < channels; ++c) {
    auto* plane = reinterpret_cast<float*>(frame_->extended_data[c]);
    for (int i = 0; i < frames; ++i) plane[i] = samples[i * channels + c];
  }
  frame_->pts = next_pts_;
  next_pts_ += frames;
  encode(frame_.get());
}

// Sends a frame (nullptr: the end) to the encoder and writes the packets it gives back.
void Mp3Encoder::encode(const AVFrame* frame) {
  check(avcodec_send_frame(encoder_.get(), frame));
  for (;;) {
    const int got = avcodec_receive_packet(encoder_.get(), packet_.get());
    if (got == AVERROR(EAGAIN) || got == AVERROR_EOF) return;
    check(got);
    av_packet_rescale_ts(packet_.get(), encoder_->time_base, stream_->time_base);
    packet_->stream_index = stream_->index;
    const int written = av_write_frame(muxer_.context, packet_.get());
    av_packet_unref(packet_.get());
    check(written);
  }
}

std::string Mp3Encoder::finish() {
  encode(nullptr);
  check(av_write_trailer(muxer_.context));
  avio_flush(muxer_.io);
  check(muxer_.io->error);
  return std::move(memory_.bytes);
}

}  // namespace

std::string encode_mp3(const std::string& path) {
  // Errors reach the user as troupe's own one-line messages, not FFmpeg's log.
  av_log_set_level(AV_LOG_QUIET);
  SF_INFO info{};
  SndfilePtr in(sf_open(path.c_str(), SFM_READ, &info));
  if (!in) throw RenderError(path + ": cannot read: " + sf_strerror(nullptr));
  if (info.channels < 1 || info.channels > 2)
    throw RenderError(path + ": cannot encode as MP3: it has " + std::to_string(info.channels) +
                      " channels (MP3 holds one or two)");
  Mp3Encoder encoder(path, info.samplerate, info.channels);
  // Whole frames of the encoder's size, the last one shorter.
  const int frames = encoder.frame_size();
  std::vector<float> buffer(static_cast<std::size_t>(frames * info.channels));
  for (;;) {
    throw_if_interrupted();
    const sf_count_t read = sf_readf_float(in.get(), buffer.data(), frames);
    if (read <= 0) break;
    encoder.add(buffer.data(), static_cast<int>(read));
  }
  if (sf_error(in.get()) != SF_ERR_NO_ERROR)
    throw RenderError(path + ": cannot read: " + sf_strerror(in.get()));
  return encoder.finish();
}

}  // namespace troupe
