#include "publish/m4b.h"

extern "C" {
#include <libavutil/channel_layout.h>
}

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>

#include "audio/atomic_file.h"
#include "common/errors.h"
#include "publish/av_objects.h"
#include "render/hash.h"
#include "render/interrupt.h"

namespace troupe {
namespace fs = std::filesystem;

namespace {

// A bump here rewrites every M4B: change it when the same inputs should make a different file.
constexpr const char* kM4bLayout = "m4b/1";
// The Nero chapter list counts its chapters in one byte.
constexpr std::size_t kMaxChplChapters = 255;
// iTunes' media kind for an audiobook (the `stik` atom).
constexpr const char* kAudiobookMediaType = "2";

struct OutputFreer {
  void operator()(AVFormatContext* context) const {
    if (context->pb) avio_closep(&context->pb);
    avformat_free_context(context);
  }
};
using OutputPtr = std::unique_ptr<AVFormatContext, OutputFreer>;

// "file:" keeps a ':' in a folder's name from being read as a protocol.
std::string file_url(const std::string& path) { return "file:" + path; }

// FFmpeg opens its output by name (and reopens it to move the index to the front), so it is
// given the temporary file's descriptor through /proc: the very file troupe created
// exclusively, whatever happens to names in a shared folder meanwhile.
std::string temp_file_url(const TempFile& temp) {
  return file_url("/proc/self/fd/" + std::to_string(temp.fd()));
}

// The channel layout of a decoder, or the usual one for its channel count when the file does
// not say (WAV often does not).
AVChannelLayout layout_of(const AVCodecContext& codec) {
  AVChannelLayout layout{};
  if (codec.ch_layout.order != AV_CHANNEL_ORDER_UNSPEC)
    av_channel_layout_copy(&layout, &codec.ch_layout);
  else
    av_channel_layout_default(&layout, codec.ch_layout.nb_channels);
  return layout;
}

AVCodecID image_codec(const std::string& bytes) {
  if (bytes.rfind("\xFF\xD8\xFF", 0) == 0) return AV_CODEC_ID_MJPEG;
  if (bytes.rfind("\x89PNG\r\n\x1A\n", 0) == 0) return AV_CODEC_ID_PNG;
  return AV_CODEC_ID_NONE;
}

struct ImageSize {
  int width = 0, height = 0;
};

// Decodes the image to learn its size (the muxer needs it), which also proves it whole.
// Returns a zero size when it cannot be decoded.
ImageSize image_size(const std::string& bytes, AVCodecID codec_id) {
  const AVCodec* codec = avcodec_find_decoder(codec_id);
  if (!codec) return {};
  CodecPtr decoder(avcodec_alloc_context3(codec));
  if (!decoder || avcodec_open2(decoder.get(), codec, nullptr) < 0) return {};
  PacketPtr packet = new_packet();
  if (av_new_packet(packet.get(), static_cast<int>(bytes.size())) < 0) return {};
  std::memcpy(packet->data, bytes.data(), bytes.size());
  FramePtr frame = new_frame();
  if (avcodec_send_packet(decoder.get(), packet.get()) < 0 ||
      avcodec_send_packet(decoder.get(), nullptr) < 0 ||
      avcodec_receive_frame(decoder.get(), frame.get()) < 0)
    return {};
  return {frame->width, frame->height};
}

// Decodes one chapter file frame by frame.
class ChapterDecoder {
 public:
  explicit ChapterDecoder(std::string path) : path_(std::move(path)) {
    AVFormatContext* raw = nullptr;
    check(avformat_open_input(&raw, file_url(path_).c_str(), nullptr, nullptr), "cannot open");
    input_.reset(raw);
    check(avformat_find_stream_info(raw, nullptr), "cannot read");
    const AVCodec* codec = nullptr;
    stream_ = av_find_best_stream(raw, AVMEDIA_TYPE_AUDIO, -1, -1, &codec, 0);
    check(stream_, "has no audio stream");
    decoder_.reset(avcodec_alloc_context3(codec));
    if (!decoder_) throw std::bad_alloc();
    check(avcodec_parameters_to_context(decoder_.get(), raw->streams[stream_]->codecpar),
          "cannot decode");
    check(avcodec_open2(decoder_.get(), codec, nullptr), "cannot decode");
  }

  const AVCodecContext& codec() const { return *decoder_; }

  // Calls take() with every decoded frame, in order.
  void decode(const std::function<void(const AVFrame&)>& take) {
    PacketPtr packet = new_packet();
    FramePtr frame = new_frame();
    for (;;) {
      const int read = av_read_frame(input_.get(), packet.get());
      if (read == AVERROR_EOF) break;
      check(read, "cannot read");
      if (packet->stream_index == stream_) send(packet.get(), frame.get(), take);
      av_packet_unref(packet.get());
    }
    send(nullptr, frame.get(), take);
  }

 private:
  void send(const AVPacket* packet, AVFrame* frame,
            const std::function<void(const AVFrame&)>& take) {
    check(avcodec_send_packet(decoder_.get(), packet), "cannot decode");
    for (;;) {
      const int got = avcodec_receive_frame(decoder_.get(), frame);
      if (got == AVERROR(EAGAIN) || got == AVERROR_EOF) return;
      check(got, "cannot decode");
      take(*frame);
      av_frame_unref(frame);
    }
  }

  void check(int code, const char* what) const {
    if (code < 0) throw RenderError(path_ + ": " + what + ": " + av_error_text(code));
  }

  std::string path_;
  InputPtr input_;
  CodecPtr decoder_;
  int stream_ = -1;
};

struct ChapterMark {
  std::string title;
  std::int64_t start = 0, end = 0;  // samples at the M4B's rate
};

// The M4B being written: AAC from the chapters' samples, then the chapter marks and the index.
class M4bEncoder {
 public:
  M4bEncoder(const std::string& path, const std::string& url, const AVCodecContext& first,
             const BookInfo& book, const std::string& tool, std::size_t chapters);

  // Encodes all of a chapter; returns how many samples it added.
  std::int64_t add(ChapterDecoder& chapter);

  // Encodes what is left, adds the chapter marks and writes the index; closes the file.
  void finish(const std::vector<ChapterMark>& marks);

 private:
  void open_audio(const AVCodecContext& first);
  void add_cover(const std::string& image);
  void write_tags(const BookInfo& book, const std::string& tool);
  void encode_fifo(bool flush);
  void encode(const AVFrame* frame);
  void check(int code, const char* what) const {
    if (code < 0) throw RenderError(path_ + ": " + what + ": " + av_error_text(code));
  }

  std::string path_;
  OutputPtr output_;
  CodecPtr encoder_;
  FifoPtr fifo_;
  FramePtr frame_ = new_frame(), resampled_ = new_frame();
  PacketPtr packet_ = new_packet();
  AVStream* audio_ = nullptr;
  int cover_stream_ = -1;
  std::int64_t next_pts_ = 0;
};

M4bEncoder::M4bEncoder(const std::string& path, const std::string& url, const AVCodecContext& first,
                       const BookInfo& book, const std::string& tool, std::size_t chapters)
    : path_(path) {
  AVFormatContext* raw = nullptr;
  check(avformat_alloc_output_context2(&raw, nullptr, "ipod", url.c_str()), "cannot write");
  output_.reset(raw);
  // No creation time or library versions in the file: the same book makes the same bytes.
  raw->flags |= AVFMT_FLAG_BITEXACT;
  open_audio(first);
  if (!book.cover.empty()) add_cover(book.cover);
  write_tags(book, tool);
  check(avio_open(&raw->pb, url.c_str(), AVIO_FLAG_WRITE), "cannot write");
  AVDictionary* options = nullptr;
  // The index first, so that players can start before the whole file is read; no Nero list
  // when it cannot hold every chapter (a player would show it and miss the rest).
  av_dict_set(&options, "movflags",
              chapters <= kMaxChplChapters ? "+faststart" : "+faststart+disable_chpl", 0);
  const int written = avformat_write_header(raw, &options);
  av_dict_free(&options);
  check(written, "cannot write");
  if (cover_stream_ >= 0) {
    PacketPtr cover = new_packet();
    check(av_new_packet(cover.get(), static_cast<int>(book.cover.size())), "cannot write");
    std::memcpy(cover->data, book.cover.data(), book.cover.size());
    cover->stream_index = cover_stream_;
    cover->flags |= AV_PKT_FLAG_KEY;
    check(av_write_frame(raw, cover.get()), "cannot write the cover");
  }
}

void M4bEncoder::open_audio(const AVCodecContext& first) {
  const AVCodec* aac = avcodec_find_encoder(AV_CODEC_ID_AAC);
  if (!aac) throw RenderError(path_ + ": cannot write: this FFmpeg has no AAC encoder");
  encoder_.reset(avcodec_alloc_context3(aac));
  if (!encoder_) throw std::bad_alloc();
  encoder_->sample_fmt = AV_SAMPLE_FMT_FLTP;
  encoder_->sample_rate = first.sample_rate;
  encoder_->ch_layout = layout_of(first);
  encoder_->bit_rate = kM4bBitRate;
  encoder_->time_base = AVRational{1, first.sample_rate};
  encoder_->flags |= AV_CODEC_FLAG_BITEXACT;
  if (output_->oformat->flags & AVFMT_GLOBALHEADER) encoder_->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  AVDictionary* options = nullptr;
  // The "fast" coder spends a fraction of the default's time searching for the quantisation
  // (about 4 times less CPU on speech) at no loss a listener hears at this bit rate.
  av_dict_set(&options, "aac_coder", "fast", 0);
  const int opened = avcodec_open2(encoder_.get(), aac, &options);
  av_dict_free(&options);
  check(opened, "cannot encode AAC");
  audio_ = avformat_new_stream(output_.get(), nullptr);
  if (!audio_) throw std::bad_alloc();
  audio_->time_base = encoder_->time_base;
  check(avcodec_parameters_from_context(audio_->codecpar, encoder_.get()), "cannot encode AAC");
  fifo_.reset(av_audio_fifo_alloc(AV_SAMPLE_FMT_FLTP, encoder_->ch_layout.nb_channels,
                                  encoder_->frame_size));
  if (!fifo_) throw std::bad_alloc();
}

void M4bEncoder::add_cover(const std::string& image) {
  const AVCodecID codec = image_codec(image);
  const ImageSize size = image_size(image, codec);
  if (size.width <= 0 || size.height <= 0)
    throw RenderError(path_ + ": the cover is not a JPEG or PNG image that can be decoded");
  AVStream* cover = avformat_new_stream(output_.get(), nullptr);
  if (!cover) throw std::bad_alloc();
  cover->codecpar->codec_type = AVMEDIA_TYPE_VIDEO;
  cover->codecpar->codec_id = codec;
  cover->codecpar->width = size.width;
  cover->codecpar->height = size.height;
  cover->disposition = AV_DISPOSITION_ATTACHED_PIC;
  cover_stream_ = cover->index;
}

void M4bEncoder::write_tags(const BookInfo& book, const std::string& tool) {
  AVDictionary** tags = &output_->metadata;
  const auto set = [&](const char* key, const std::string& value) {
    if (!value.empty()) av_dict_set(tags, key, value.c_str(), 0);
  };
  set("title", book.title);
  set("album", book.title);
  set("artist", book.author);
  set("album_artist", book.author);
  set("date", book.year);
  set("genre", "Audiobook");
  set("media_type", kAudiobookMediaType);
  set("grouping", book.series.empty() || book.series_part.empty()
                      ? book.series
                      : book.series + ", Book " + book.series_part);
  set("encoding_tool", tool);
}

std::int64_t M4bEncoder::add(ChapterDecoder& chapter) {
  AVChannelLayout in_layout = layout_of(chapter.codec());
  SwrContext* raw = nullptr;
  const int allocated = swr_alloc_set_opts2(
      &raw, &encoder_->ch_layout, encoder_->sample_fmt, encoder_->sample_rate, &in_layout,
      chapter.codec().sample_fmt, chapter.codec().sample_rate, 0, nullptr);
  av_channel_layout_uninit(&in_layout);
  ResamplerPtr resampler(raw);
  check(allocated, "cannot resample");
  check(swr_init(raw), "cannot resample");
  std::int64_t samples = 0;
  // swr_convert rather than swr_convert_frame: a WAV frame's layout is "1 channel, order
  // unspecified", which swr_convert_frame takes for a change of input.
  const auto convert = [&](const AVFrame* in) {
    const int in_samples = in ? in->nb_samples : 0;
    const int room = swr_get_out_samples(raw, in_samples);
    check(room, "cannot resample");
    if (room == 0) return;
    av_frame_unref(resampled_.get());
    resampled_->format = encoder_->sample_fmt;
    resampled_->sample_rate = encoder_->sample_rate;
    resampled_->nb_samples = room;
    check(av_channel_layout_copy(&resampled_->ch_layout, &encoder_->ch_layout), "cannot resample");
    check(av_frame_get_buffer(resampled_.get(), 0), "cannot resample");
    const int made =
        swr_convert(raw, resampled_->data, room,
                    in ? const_cast<const std::uint8_t**>(in->extended_data) : nullptr, in_samples);
    check(made, "cannot resample");
    if (made == 0) return;
    check(av_audio_fifo_write(fifo_.get(), reinterpret_cast<void**>(resampled_->data), made),
          "cannot resample");
    samples += made;
    encode_fifo(false);
  };
  chapter.decode([&](const AVFrame& frame) { convert(&frame); });
  convert(nullptr);  // what the resampler still holds
  return samples;
}

// Encodes whole frames from the FIFO; with flush, the short last one too.
void M4bEncoder::encode_fifo(bool flush) {
  const int size = encoder_->frame_size;
  while (av_audio_fifo_size(fifo_.get()) >= size ||
         (flush && av_audio_fifo_size(fifo_.get()) > 0)) {
    av_frame_unref(frame_.get());
    frame_->nb_samples = std::min(size, av_audio_fifo_size(fifo_.get()));
    frame_->format = encoder_->sample_fmt;
    frame_->sample_rate = encoder_->sample_rate;
    check(av_channel_layout_copy(&frame_->ch_layout, &encoder_->ch_layout), "cannot encode AAC");
    check(av_frame_get_buffer(frame_.get(), 0), "cannot encode AAC");
    check(
        av_audio_fifo_read(fifo_.get(), reinterpret_cast<void**>(frame_->data), frame_->nb_samples),
        "cannot encode AAC");
    frame_->pts = next_pts_;
    next_pts_ += frame_->nb_samples;
    encode(frame_.get());
  }
}

// Sends a frame (nullptr: the end) to the encoder and writes the packets it gives back.
void M4bEncoder::encode(const AVFrame* frame) {
  check(avcodec_send_frame(encoder_.get(), frame), "cannot encode AAC");
  for (;;) {
    const int got = avcodec_receive_packet(encoder_.get(), packet_.get());
    if (got == AVERROR(EAGAIN) || got == AVERROR_EOF) return;
    check(got, "cannot encode AAC");
    av_packet_rescale_ts(packet_.get(), encoder_->time_base, audio_->time_base);
    packet_->stream_index = audio_->index;
    const int written = av_write_frame(output_.get(), packet_.get());
    av_packet_unref(packet_.get());
    check(written, "could not write");
  }
}

void M4bEncoder::finish(const std::vector<ChapterMark>& marks) {
  encode_fifo(true);
  encode(nullptr);
  // Chapters given after the header go into the QuickTime chapter track the muxer adds at the
  // end (and into the Nero list unless disabled): their times are known only now.
  AVFormatContext* output = output_.get();
  output->chapters = static_cast<AVChapter**>(av_calloc(marks.size(), sizeof(AVChapter*)));
  if (!output->chapters && !marks.empty()) throw std::bad_alloc();
  for (const ChapterMark& mark : marks) {
    auto* chapter = static_cast<AVChapter*>(av_mallocz(sizeof(AVChapter)));
    if (!chapter) throw std::bad_alloc();
    output->chapters[output->nb_chapters++] = chapter;
    chapter->id = output->nb_chapters;
    chapter->time_base = AVRational{1, encoder_->sample_rate};
    chapter->start = mark.start;
    chapter->end = mark.end;
    av_dict_set(&chapter->metadata, "title", mark.title.c_str(), 0);
  }
  check(av_write_trailer(output), "could not write");
  const int write_error = output->pb->error;
  const int closed = avio_closep(&output->pb);
  check(write_error, "could not write");
  check(closed, "could not write");
}

// What the M4B is made from, as its encoding-tool tag: an M4B whose tag matches is up to date.
std::string tool_tag(const Manifest& manifest, const BookInfo& book) {
  Hasher hasher;
  hasher.add(kM4bLayout).add(kM4bBitRate);
  hasher.add(book.title).add(book.author).add(book.year).add(book.series).add(book.series_part);
  hasher.add(book.cover);
  for (const auto& chapter : manifest.chapters)
    hasher.add(chapter.number)
        .add(chapter.title)
        .add(chapter.file)
        .add(chapter.inputs)
        .add(static_cast<std::int64_t>(chapter.bytes));
  return std::string("troupe ") + TROUPE_VERSION + " (inputs " + hasher.hex() + ")";
}

// Whether the file still holds all of its audio. A file cut short keeps its index, which is at
// the front, and loses the end of the audio the index places after it.
bool holds_all_audio(AVFormatContext* input) {
  const int audio = av_find_best_stream(input, AVMEDIA_TYPE_AUDIO, -1, -1, nullptr, 0);
  if (audio < 0) return false;
  AVStream* stream = input->streams[audio];
  const int entries = avformat_index_get_entries_count(stream);
  const AVIndexEntry* last = entries > 0 ? avformat_index_get_entry(stream, entries - 1) : nullptr;
  return last && last->pos + last->size <= avio_size(input->pb);
}

// The encoding-tool tag of the M4B at path; empty when there is none, it cannot be read, or it
// has lost the end of its audio.
std::string existing_tool_tag(const std::string& path) {
  std::error_code error;
  if (!fs::is_regular_file(path, error)) return {};
  AVFormatContext* raw = nullptr;
  if (avformat_open_input(&raw, file_url(path).c_str(), nullptr, nullptr) < 0) return {};
  InputPtr input(raw);
  const AVDictionaryEntry* tag = av_dict_get(raw->metadata, "encoder", nullptr, 0);
  return tag && holds_all_audio(raw) ? tag->value : "";
}

std::string chapter_title(const ManifestChapter& chapter) {
  return chapter.title.empty() ? "Chapter " + std::to_string(chapter.number) : chapter.title;
}

}  // namespace

std::string read_cover_image(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw input_error(path, 0, std::string("cannot read the cover: ") + std::strerror(errno));
  std::stringstream bytes;
  bytes << in.rdbuf();
  const std::string image = bytes.str();
  const AVCodecID codec = image_codec(image);
  if (codec == AV_CODEC_ID_NONE) throw input_error(path, 0, "the cover is not a JPEG or PNG image");
  av_log_set_level(AV_LOG_QUIET);
  const ImageSize size = image_size(image, codec);
  if (size.width <= 0 || size.height <= 0)
    throw input_error(path, 0, "the cover image is damaged: it cannot be decoded");
  return image;
}

std::string m4b_path(const std::string& book_folder) {
  const fs::path folder = fs::path(book_folder).lexically_normal();
  const std::string name =
      folder.has_filename() ? folder.filename().string() : folder.parent_path().filename().string();
  return (fs::path(book_folder) / (name + ".m4b")).string();
}

bool publish_m4b(const std::string& book_folder, const Manifest& manifest, const BookInfo& book,
                 const std::function<void(const std::string&)>& starting) {
  // Errors reach the user as troupe's own one-line messages, not FFmpeg's log.
  av_log_set_level(AV_LOG_QUIET);
  const std::string path = m4b_path(book_folder);
  const std::string tool = tool_tag(manifest, book);
  if (manifest.chapters.empty() || existing_tool_tag(path) == tool) return false;

  if (starting) starting(path);
  TempFile temp(path);
  std::vector<ChapterMark> marks;
  std::unique_ptr<M4bEncoder> encoder;
  std::int64_t at = 0;
  for (const auto& chapter : manifest.chapters) {
    throw_if_interrupted();
    ChapterDecoder decoder((fs::path(book_folder) / chapter.file).string());
    if (!encoder)
      encoder = std::make_unique<M4bEncoder>(path, temp_file_url(temp), decoder.codec(), book, tool,
                                             manifest.chapters.size());
    const std::int64_t samples = encoder->add(decoder);
    marks.push_back({chapter_title(chapter), at, at + samples});
    at += samples;
  }
  encoder->finish(marks);
  temp.commit();
  return true;
}

}  // namespace troupe
