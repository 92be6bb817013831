#include "speech/engine.h"

#include <espeak-ng/speak_lib.h>
#include <fcntl.h>
#include <signal.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "common/errors.h"
#include "common/fd_io.h"

namespace troupe {
namespace {

constexpr int kBufferMilliseconds = 200;

// Session messages, child -> parent, each a type byte, a count (u64) and that many items:
// 'S' samples and 'W' words of the utterance being spoken, as eSpeak NG hands them over (the
// child never holds a whole utterance), then 'D' (no items) when it is done; or 'E' and an
// error message's characters, after which the child stops.
constexpr char kSamplesMessage = 'S';
constexpr char kWordsMessage = 'W';
constexpr char kDoneMessage = 'D';
constexpr char kErrorMessage = 'E';
constexpr char kTextMessage = 'T';  // phonemes()' answer
// One byte, no count: puts the samples of the message after it at an even address in the ring,
// where the parent appends them with one copy (see receive_samples). Unaligned, they had to be
// zero-filled into place first, some 87 MB of writes for story 002.
constexpr char kPadMessage = 'P';
// The session's results travel through shared memory: a ring of kSlots slots, in a memfd (a
// SpeechRing) the parent makes and passes to the child with the session's socket (see
// fork_session). The child fills a slot with messages and sends the slot's length (u32) on
// the socket; the parent reads the messages from the slot and sends a byte back when the slot
// is free again. Through a pipe, each sample was copied into the kernel by the child and out
// again by the parent; this way it crosses once, by memory.
// The parent keeps a finished session's ring for the next session (see Engine::take_ring):
// made afresh by each child, the ring's 256 pages were allocated, zeroed, mapped in both
// processes and freed again for every group.
// A slot is handed over when it is full or the session ends, not after each utterance: each
// handover wakes the parent up (a system call on each side, and on a virtual machine an
// interrupt between the cores), and story 002 has hundreds of utterances in 87 MB of samples.
// Two slots of 512 KiB (12 s of speech each; the ring is 1 MiB, as it was with four slots)
// make that 171 handovers instead of 466 (each utterance flushed): the parent, which only
// joins the samples, frees a slot long before the child has filled the other.
constexpr std::size_t kSlotBytes = PipeWriter::kSlotSize;
constexpr std::size_t kSlots = 2;
constexpr std::size_t kRingBytes = kSlotBytes * kSlots;

// Up to two descriptors passed with a kind byte (-1: none).
struct PassedFds {
  int fds[2] = {-1, -1};
};
bool send_kind(int socket, char kind, PassedFds passed = {});
bool receive_kind(int socket, char& kind, PassedFds& passed);

// Maps a ring; nullptr on failure. MAP_POPULATE: the pages at once, not a fault for each.
char* map_ring(int fd, int protection) {
  void* ring = ::mmap(nullptr, kRingBytes, protection, MAP_SHARED | MAP_POPULATE, fd, 0);
  return ring == MAP_FAILED ? nullptr : static_cast<char*>(ring);
}

}  // namespace

SpeechRing::SpeechRing() {
  fd_ = ::memfd_create("troupe-speech", MFD_CLOEXEC);
  if (fd_ >= 0 && ::ftruncate(fd_, kRingBytes) == 0) data_ = map_ring(fd_, PROT_READ);
  if (data_ == nullptr) {
    const int error = errno;
    if (fd_ >= 0) ::close(fd_);
    throw RenderError(std::string("eSpeak NG: could not make a speech ring: ") +
                      std::strerror(error));
  }
}

SpeechRing::~SpeechRing() {
  ::munmap(const_cast<char*>(data_), kRingBytes);
  ::close(fd_);
}

PipeWriter::~PipeWriter() {
  if (ring_ != nullptr) ::munmap(ring_, kRingBytes);
  if (ring_fd_ >= 0) ::close(ring_fd_);
}

bool PipeWriter::write(const void* data, std::size_t size) {
  const char* bytes = static_cast<const char*>(data);
  while (size > 0) {
    if (ring_ == nullptr && !open_ring()) return false;
    if (used_ == kSlotBytes && !flush()) return false;
    const std::size_t take = std::min(size, kSlotBytes - used_);
    std::memcpy(ring_ + current_ * kSlotBytes + used_, bytes, take);
    used_ += take;
    bytes += take;
    size -= take;
  }
  return true;
}

bool PipeWriter::flush() { return used_ == 0 || (hand_over() && take_next_slot()); }

bool PipeWriter::finish() { return used_ == 0 || hand_over(); }

bool PipeWriter::hand_over() {
  const auto length = static_cast<std::uint32_t>(used_);
  if (!write_all(socket_, &length, sizeof length)) return false;
  used_ = 0;
  current_ = (current_ + 1) % kSlots;
  return true;
}

bool PipeWriter::take_next_slot() {
  if (free_ == 0) {
    char freed[kSlots];
    ssize_t n;
    while ((n = ::read(socket_, freed, sizeof freed)) < 0 && errno == EINTR) {
    }
    if (n <= 0) return false;  // the parent has gone
    free_ += static_cast<std::size_t>(n);
  }
  --free_;
  return true;
}

bool PipeWriter::open_ring() {
  // The ring's pages exist already (the parent's): mapping them all at once costs one system
  // call, where faulting them in as they are written would cost 256 faults.
  ring_ = map_ring(ring_fd_, PROT_READ | PROT_WRITE);
  if (ring_ == nullptr) return false;
  ::close(ring_fd_);
  ring_fd_ = -1;
  free_ = kSlots - 1;  // slot 0 is being filled
  return true;
}

namespace {

// Samples (eSpeak NG's short) are padded to lie aligned in the ring, for receive_samples.
static_assert(std::is_same_v<short, int16_t>);

template <typename T>
bool send_items(PipeWriter& out, char type, const T* items, std::uint64_t count) {
  constexpr std::size_t kHeader = 1 + sizeof count;
  if (std::is_same_v<T, int16_t> && (out.slot_offset() + kHeader) % 2 != 0 &&
      !out.write(&kPadMessage, 1))
    return false;
  return out.write(&type, 1) && out.write(&count, sizeof count) &&
         out.write(items, count * sizeof(T));
}

// The end of an utterance; it reaches the parent with the slot it is in (see kSlots).
bool send_done(PipeWriter& out) {
  const std::uint64_t none = 0;
  return out.write(&kDoneMessage, 1) && out.write(&none, sizeof none);
}

bool send_text(PipeWriter& out, char type, const std::string& text) {
  return send_items(out, type, text.data(), text.size()) && out.finish();
}

bool send_error(PipeWriter& out, const std::string& message) {
  return send_text(out, kErrorMessage, message);
}

// The most a message may carry. Far above anything a session sends (a samples message is one
// eSpeak NG buffer of kBufferMilliseconds), it stops a count from a broken child wrapping
// old + count or count * sizeof(T) round, which would overflow `into`.
constexpr std::uint64_t kMaxMessageBytes = std::uint64_t{256} << 20;

// Reads the count of a message's items, to be appended to `into`; false at the end of the
// session, or on a count no child sends.
template <typename T>
bool read_count(PipeReader& in, const std::vector<T>& into, std::uint64_t& count) {
  if (!in.read(&count, sizeof count)) return false;
  return count <= kMaxMessageBytes / sizeof(T) && count <= into.max_size() - into.size();
}

// Appends a message's items to `into`; false on a count no child sends.
template <typename T>
bool receive_items(PipeReader& in, std::vector<T>& into) {
  std::uint64_t count = 0;
  if (!read_count(in, into, count)) return false;
  const std::size_t old = into.size();
  into.resize(old + count);
  return in.read(into.data() + old, count * sizeof(T));
}

}  // namespace

bool receive_samples(PipeReader& in, std::vector<int16_t>& into) {
  std::uint64_t count = 0;
  if (!read_count(in, into, count)) return false;
  std::size_t left = count;
  const char* at = nullptr;
  // Aligned in the ring (see kPadMessage), whole samples are appended as they lie; a message
  // that is not (or what is left of it) is read into zero-filled room.
  while (left > 0) {
    const std::size_t bytes = in.unread(at);
    if (bytes == 0) return false;
    if (reinterpret_cast<std::uintptr_t>(at) % 2 != 0 || bytes < 2) break;
    const std::size_t take = std::min(left, bytes / 2);
    const auto* samples = reinterpret_cast<const int16_t*>(at);
    into.insert(into.end(), samples, samples + take);
    in.skip(take * 2);
    left -= take;
  }
  const std::size_t old = into.size();
  into.resize(old + left);
  return in.read(into.data() + old, left * 2);
}

namespace {

// Where the synth callback sends what eSpeak NG produces; reached through user_data.
struct SynthSink {
  PipeWriter* out;  // to the session's parent
  int sample_rate;
  bool failed = false;  // the parent has gone
};

bool send_word(const espeak_EVENT& event, const SynthSink& sink) {
  // Clause ends can bring words of length 0: they mark no text.
  if (event.length <= 0 || event.text_position <= 0) return true;
  const auto sample = static_cast<long long>(event.audio_position) * sink.sample_rate / 1000;
  const WordTiming word{static_cast<std::size_t>(event.text_position - 1),
                        static_cast<std::size_t>(event.length), static_cast<int>(sample)};
  return send_items(*sink.out, kWordsMessage, &word, 1);
}

// eSpeak NG's synth callback: returns 0 to go on, 1 to abort.
int collect_audio(short* samples, int count, espeak_EVENT* events) {
  auto* sink = static_cast<SynthSink*>(events->user_data);
  if (sink == nullptr || sink->failed) return 1;
  if (sink->out == nullptr) return 0;  // the engine's warm-up: nothing to keep
  bool sent = true;
  if (samples != nullptr && count > 0)
    sent = send_items(*sink->out, kSamplesMessage, samples, count);
  for (const espeak_EVENT* e = events; sent && e->type != espeakEVENT_LIST_TERMINATED; ++e)
    if (e->type == espeakEVENT_WORD) sent = send_word(*e, *sink);
  sink->failed = !sent;
  return sent ? 0 : 1;
}

// Word events report the time of the word's start, which can fall a little past the last
// sample; keep every timing an index into samples, in order.
void clamp_word_samples(Utterance& utterance) {
  const int last = utterance.samples.empty() ? 0 : static_cast<int>(utterance.samples.size()) - 1;
  int previous = 0;
  for (WordTiming& word : utterance.words) {
    word.sample = std::clamp(word.sample, previous, last);
    previous = word.sample;
  }
}

std::string espeak_error_text(espeak_ERROR error) {
  switch (error) {
    case EE_BUFFER_FULL:
      return "buffer full";
    case EE_NOT_FOUND:
      return "not found";
    default:
      return "internal error";
  }
}

bool same_name(const std::string& a, const std::string& b) {
  return strcasecmp(a.c_str(), b.c_str()) == 0;
}

// A voice's languages field: a priority byte then a zero-terminated name, repeated,
// ending with a zero priority byte.
std::vector<std::string> languages_of(const espeak_VOICE& voice) {
  std::vector<std::string> languages;
  const char* entry = voice.languages;
  while (entry != nullptr && *entry != 0) {
    languages.emplace_back(entry + 1);
    entry += 1 + std::char_traits<char>::length(entry + 1) + 1;
  }
  return languages;
}

// The speech server's requests, on a socket from the engine's process: a kind byte (the
// session's socket and its ring's memfd attached, for kSpeakRequest and kPhonemesRequest), then
// kSpeakRequest/kPhonemesRequest: nothing more; answered with the child's pid as i32
//   (negative: -errno of a failed fork). The engine's process then sends the child, on the
//   session's socket, a u64 size and the requests (see encode_requests);
// kWaitRequest: the pid as i32; answered, once that child has stopped, with its wait status.
constexpr char kSpeakRequest = 's';
constexpr char kPhonemesRequest = 'p';
constexpr char kWaitRequest = 'w';
// The most a session's requests may take: far above any group's text, it keeps a broken size
// from making the child allocate without bound.
constexpr std::uint64_t kMaxRequestBytes = std::uint64_t{1} << 30;

// Writes to a socket, without SIGPIPE when the other side has gone.
bool send_all(int socket, const void* data, std::size_t size) {
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t n = ::send(socket, p, size, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

// One byte, with the descriptors that are not -1 passed along (SCM_RIGHTS).
bool send_kind(int socket, char kind, PassedFds passed) {
  iovec part{&kind, 1};
  msghdr message{};
  message.msg_iov = &part;
  message.msg_iovlen = 1;
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof passed.fds)] = {};
  const std::size_t count = passed.fds[0] < 0 ? 0 : passed.fds[1] < 0 ? 1 : 2;
  if (count > 0) {
    message.msg_control = control;
    message.msg_controllen = CMSG_SPACE(count * sizeof(int));
    cmsghdr* header = CMSG_FIRSTHDR(&message);
    header->cmsg_level = SOL_SOCKET;
    header->cmsg_type = SCM_RIGHTS;
    header->cmsg_len = CMSG_LEN(count * sizeof(int));
    std::memcpy(CMSG_DATA(header), passed.fds, count * sizeof(int));
  }
  ssize_t n;
  while ((n = ::sendmsg(socket, &message, MSG_NOSIGNAL)) < 0 && errno == EINTR) {
  }
  return n == 1;
}

// The byte send_kind sent, and the descriptors passed with it (-1 where none).
bool receive_kind(int socket, char& kind, PassedFds& passed) {
  iovec part{&kind, 1};
  msghdr message{};
  message.msg_iov = &part;
  message.msg_iovlen = 1;
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof passed.fds)] = {};
  message.msg_control = control;
  message.msg_controllen = sizeof control;
  ssize_t n;
  while ((n = ::recvmsg(socket, &message, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR) {
  }
  passed = PassedFds{};
  if (n != 1) return false;
  // Descriptors beyond the first two (a second SCM_RIGHTS header) are closed, not leaked.
  std::size_t kept = 0;
  for (cmsghdr* header = CMSG_FIRSTHDR(&message); header != nullptr;
       header = CMSG_NXTHDR(&message, header)) {
    if (header->cmsg_level != SOL_SOCKET || header->cmsg_type != SCM_RIGHTS) continue;
    const std::size_t count = (header->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    for (std::size_t i = 0; i < count; ++i) {
      int fd = -1;
      std::memcpy(&fd, CMSG_DATA(header) + i * sizeof(int), sizeof fd);
      if (kept < 2)
        passed.fds[kept++] = fd;
      else
        ::close(fd);
    }
  }
  return true;
}

void close_passed(PassedFds& passed) {
  for (int& fd : passed.fds) {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
}

template <typename T>
void put_value(std::string& out, const T& value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof value);
}
void put_string(std::string& out, const std::string& text) {
  put_value(out, static_cast<std::uint64_t>(text.size()));
  out += text;
}

// Reads what put_value and put_string wrote, in order; false once the data is short.
class Decoder {
 public:
  explicit Decoder(const std::string& data) : data_(data) {}
  template <typename T>
  bool value(T& into) {
    if (data_.size() - at_ < sizeof into) return false;
    std::memcpy(&into, data_.data() + at_, sizeof into);
    at_ += sizeof into;
    return true;
  }
  bool string(std::string& into) {
    std::uint64_t size = 0;
    if (!value(size) || data_.size() - at_ < size) return false;
    into.assign(data_, at_, size);
    at_ += size;
    return true;
  }

 private:
  const std::string& data_;
  std::size_t at_ = 0;
};

std::string encode_requests(const std::vector<SpeechRequest>& requests) {
  std::string out;
  put_value(out, static_cast<std::uint64_t>(requests.size()));
  for (const SpeechRequest& r : requests) {
    put_string(out, r.text);
    put_string(out, r.voice.espeak_voice);
    put_string(out, r.voice.variant);
    for (int value : {r.voice.rate, r.voice.pitch, r.voice.range, r.voice.volume})
      put_value(out, static_cast<std::int32_t>(value));
  }
  return out;
}

bool decode_requests(const std::string& data, std::vector<SpeechRequest>& requests) {
  Decoder in(data);
  std::uint64_t count = 0;
  if (!in.value(count)) return false;
  for (std::uint64_t i = 0; i < count; ++i) {
    SpeechRequest r;
    std::int32_t rate = 0, pitch = 0, range = 0, volume = 0;
    if (!in.string(r.text) || !in.string(r.voice.espeak_voice) || !in.string(r.voice.variant) ||
        !in.value(rate) || !in.value(pitch) || !in.value(range) || !in.value(volume))
      return false;
    r.voice.rate = rate;
    r.voice.pitch = pitch;
    r.voice.range = range;
    r.voice.volume = volume;
    requests.push_back(std::move(r));
  }
  return true;
}

// Die with the parent rather than work for nobody: false if it has gone already.
bool die_with_parent(pid_t parent) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  return ::getppid() == parent;
}

// Waits for a child; its status.
int reap(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

std::string child_death(int status) {
  if (WIFSIGNALED(status))
    return std::string("eSpeak NG: the speech process died of signal ") +
           std::to_string(WTERMSIG(status)) + " (" + strsignal(WTERMSIG(status)) + ")";
  return "eSpeak NG: the speech process stopped unexpectedly";
}

}  // namespace

PipeReader::PipeReader() { close(); }

PipeReader::~PipeReader() { close(); }

bool PipeReader::next_slot() {
  if (started_) {
    // The slot just read is free again. The child may have finished: no SIGPIPE.
    const char freed = 0;
    while (::send(fd_, &freed, 1, MSG_NOSIGNAL) < 0 && errno == EINTR) {
    }
  }
  started_ = true;
  std::uint32_t length = 0;
  if (!read_all(fd_, &length, sizeof length) || length == 0 || length > kSlotBytes) return false;
  slot_ = (slot_ + 1) % kSlots;
  begin_ = 0;
  end_ = length;
  return true;
}

std::size_t PipeReader::unread(const char*& at) {
  if (begin_ == end_ && !next_slot()) return 0;
  at = ring_ + slot_ * kSlotBytes + begin_;
  return end_ - begin_;
}

void PipeReader::skip(std::size_t n) {
  if (n > end_ - begin_) throw std::logic_error("PipeReader: skipping more than is unread");
  begin_ += n;
}

bool PipeReader::read(void* into, std::size_t size) {
  char* out = static_cast<char*>(into);
  while (size > 0) {
    if (begin_ == end_ && !next_slot()) return false;
    const std::size_t take = std::min(size, end_ - begin_);
    std::memcpy(out, ring_ + slot_ * kSlotBytes + begin_, take);
    begin_ += take;
    out += take;
    size -= take;
  }
  return true;
}

void PipeReader::open(int fd, const SpeechRing& ring) {
  close();
  fd_ = fd;
  ring_ = ring.data();
}

void PipeReader::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  ring_ = nullptr;
  started_ = false;
  slot_ = kSlots - 1;  // the first slot handed over is slot 0
  begin_ = end_ = 0;
}

namespace {

// Room for an utterance of 47 s at 22,050 Hz, made once per buffer (the caller's buffers are
// reused from utterance to utterance).
constexpr std::size_t kReservedSamples = std::size_t{1} << 20;

// Gives samples room for kReservedSamples, its pages mapped at once by one system call: grown
// by doubling as eSpeak NG's chunks came in, the buffers of story 002's worker took some 1,600
// page faults, and on a virtual machine a page fault costs about twice as much as a page
// mapped in advance.
void reserve_samples(std::vector<int16_t>& samples) {
  if (samples.capacity() >= kReservedSamples) return;
  samples.reserve(kReservedSamples);
#ifdef MADV_POPULATE_WRITE
  constexpr std::uintptr_t kPage = 4096;
  const auto begin = (reinterpret_cast<std::uintptr_t>(samples.data()) + kPage - 1) & ~(kPage - 1);
  const auto end =
      reinterpret_cast<std::uintptr_t>(samples.data() + samples.capacity()) & ~(kPage - 1);
  // Only a hint: a kernel without it (before Linux 5.14) faults the pages in as they are used.
  if (end > begin) ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_POPULATE_WRITE);
#endif
}

}  // namespace

SpeechSession::SpeechSession(Engine& engine, std::vector<SpeechRequest> requests)
    : engine_(engine), remaining_(requests.size()) {
  if (requests.empty()) return;
  ring_ = engine.take_ring();
  int read_fd = -1;
  pid_ = engine.fork_session(kSpeakRequest, requests, *ring_, read_fd);
  results_.open(read_fd, *ring_);
}

SpeechSession::~SpeechSession() {
  if (pid_ > 0 && remaining_ > 0) ::kill(pid_, SIGKILL);
  finish();
}

int SpeechSession::finish() {
  results_.close();  // a child still writing stops
  std::optional<int> status;
  if (pid_ > 0) status = engine_.child_status(pid_);
  pid_ = -1;
  // Once the child has stopped, nothing writes the ring any more: the next session may have it.
  if (status && ring_ != nullptr) engine_.give_back_ring(std::move(ring_));
  return status.value_or(0);
}

void SpeechSession::next(Utterance& into) {
  if (remaining_ == 0 || !results_.is_open())
    throw RenderError("eSpeak NG: no more utterances in the session");
  reserve_samples(into.samples);
  into.samples.clear();
  into.words.clear();
  char type = 0;
  bool ok = true;
  while ((ok = results_.read(&type, 1))) {
    if (type == kPadMessage) continue;
    if (type == kSamplesMessage) {
      ok = receive_samples(results_, into.samples);
    } else if (type == kWordsMessage) {
      ok = receive_items(results_, into.words);
    } else if (type == kErrorMessage) {
      std::vector<char> text;
      if (!receive_items(results_, text)) text.clear();
      remaining_ = 0;
      finish();
      throw RenderError(text.empty() ? "eSpeak NG: could not speak"
                                     : std::string(text.begin(), text.end()));
    } else {
      std::uint64_t none = 0;
      ok = type == kDoneMessage && results_.read(&none, sizeof none);
      break;
    }
    if (!ok) break;
  }
  if (!ok) {
    remaining_ = 0;
    throw RenderError(child_death(finish()));
  }
  clamp_word_samples(into);
  if (--remaining_ == 0) finish();
}

namespace {}  // namespace

namespace {
Engine* g_engine = nullptr;  // once Engine::instance() has made it
}  // namespace

Engine& Engine::instance() {
  // A function-local static is initialised once, thread-safely; if the constructor throws,
  // the next call tries again.
  static Engine engine;
  return engine;
}

Engine::Engine() {
  g_engine = this;
  sample_rate_ = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, kBufferMilliseconds, nullptr,
                                   espeakINITIALIZE_DONT_EXIT);
  if (sample_rate_ <= 0) {
    // Linked statically (CMakeLists.txt), troupe holds the eSpeak NG it was built with, whose
    // code must match the phoneme data installed in espeak-ng-data.
    throw RenderError(
        "eSpeak NG: could not initialise (is espeak-ng-data installed? after an espeak-ng "
        "update, rebuild troupe)");
  }
  espeak_SetSynthCallback(collect_audio);
  const char* path = nullptr;
  const char* version = espeak_Info(&path);
  version_ = version != nullptr ? version : "";
  data_path_ = path != nullptr ? path : "";
  // The voices listed before any is chosen: espeak_ListVoices reads every voice file again
  // each time it is called, and choosing a voice by name lists them first when no list is
  // there yet (eSpeak NG keeps the one made here). Listed after the default voice was chosen,
  // the some 450 files were read twice (about a third of this constructor's CPU).
  const espeak_VOICE** voices = espeak_ListVoices(nullptr);
  for (const espeak_VOICE** v = voices; v != nullptr && *v != nullptr; ++v)
    voices_.push_back({(*v)->name != nullptr ? (*v)->name : "",
                       (*v)->identifier != nullptr ? (*v)->identifier : "", languages_of(**v)});
  // Every session starts from this state: with the default voice chosen, the English
  // dictionary is loaded once here instead of in every session.
  try {
    select_voice(VoiceParams{});
  } catch (const RenderError&) {
    // No default voice: each session chooses its own, and reports what is missing.
  }
  // eSpeak NG reads [[phonemes]] only once an espeak_Synth has asked for it, and phonemes()
  // translates without speaking: say nothing once, here, so that every session and every
  // translation starts from that state.
  SynthSink nothing{nullptr, sample_rate_};
  espeak_Synth(" ", 2, 0, POS_CHARACTER, 0, espeakCHARS_UTF8 | espeakPHONEMES, nullptr, &nothing);
}

Engine::~Engine() {
  stop_server();
  espeak_Terminate();
}

void Engine::stop_server() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (server_owner_ != ::getpid()) return;
  ::close(server_socket_);  // the server reads the end and stops
  reap(server_pid_);
  server_socket_ = -1;
  server_pid_ = server_owner_ = -1;
}

void stop_speech_server() {
  if (g_engine != nullptr) g_engine->stop_server();
}

std::string espeak_ng_version() {
  // espeak_Info only reads two static strings; it touches no synthesis state.
  const char* version = espeak_Info(nullptr);
  return version != nullptr ? version : "";
}

std::string espeak_voice_name(const VoiceParams& voice) {
  return voice.variant.empty() ? voice.espeak_voice : voice.espeak_voice + "+" + voice.variant;
}

void Engine::select_voice(const VoiceParams& voice) {
  const std::string name = espeak_voice_name(voice);
  // Setting a voice reads its files: do it only when the voice changes.
  if (name == current_voice_name_) return;
  if (!voice.variant.empty() && !variant_installed(voice.variant)) {
    throw RenderError("eSpeak NG: no such variant \"" + voice.variant + "\" in " + data_path_ +
                      "/voices/!v");
  }
  current_voice_name_.clear();  // unknown until eSpeak accepts the new one
  espeak_ERROR error = espeak_SetVoiceByName(name.c_str());
  if (error != EE_OK) {
    // By name eSpeak NG finds "en-us" (file gmw/en-US) but not "en-gb" (file gmw/en): retry
    // with the identifier of the installed voice that speaks that language.
    std::string identifier = identifier_for(voice.espeak_voice);
    if (!identifier.empty()) {
      std::string by_file = voice.variant.empty() ? identifier : identifier + "+" + voice.variant;
      error = espeak_SetVoiceByName(by_file.c_str());
    }
  }
  if (error != EE_OK) {
    throw RenderError("eSpeak NG: could not set voice \"" + name +
                      "\": " + espeak_error_text(error));
  }
  current_voice_name_ = name;
}

void Engine::set_parameter(int parameter, int value, const char* name) {
  const espeak_ERROR error =
      espeak_SetParameter(static_cast<espeak_PARAMETER>(parameter), value, /*relative=*/0);
  if (error != EE_OK) {
    throw RenderError(std::string("eSpeak NG: could not set ") + name + " to " +
                      std::to_string(value) + ": " + espeak_error_text(error));
  }
}

Utterance Engine::speak(const std::string& text, const VoiceParams& voice) {
  Utterance utterance;
  speak(text, voice, utterance);
  return utterance;
}

void Engine::speak(const std::string& text, const VoiceParams& voice, Utterance& utterance) {
  SpeechSession session(*this, {SpeechRequest{text, voice}});
  session.next(utterance);
}

void Engine::speak_here(const SpeechRequest& request, PipeWriter& out) {
  select_voice(request.voice);
  set_parameter(espeakRATE, request.voice.rate, "rate");
  set_parameter(espeakPITCH, request.voice.pitch, "pitch");
  set_parameter(espeakRANGE, request.voice.range, "range");
  set_parameter(espeakVOLUME, request.voice.volume, "volume");

  SynthSink sink{&out, sample_rate_};
  // No espeakSSML: story text may hold '<' and '&', which must be spoken, not parsed.
  const std::string& text = request.text;
  const espeak_ERROR error = espeak_Synth(text.c_str(), text.size() + 1, 0, POS_CHARACTER, 0,
                                          espeakCHARS_UTF8 | espeakPHONEMES, nullptr, &sink);
  if (sink.failed || !send_done(out)) ::_exit(0);  // the parent stopped listening: nobody to tell
  if (error != EE_OK) throw RenderError("eSpeak NG: could not speak: " + espeak_error_text(error));
}

void Engine::serve_session(PipeWriter& out, const std::vector<SpeechRequest>& requests) {
  for (const SpeechRequest& request : requests) {
    try {
      speak_here(request, out);
    } catch (const std::exception& e) {
      send_error(out, e.what());
      ::_exit(0);
    }
  }
  out.finish();  // the utterances not handed over yet
  ::_exit(0);
}

[[noreturn]] void Engine::serve_phonemes(PipeWriter& out, const SpeechRequest& request) {
  std::string result;
  try {
    select_voice(request.voice);
    const void* cursor = request.text.c_str();
    // Each call translates up to the end of one clause and advances cursor; nullptr at the end.
    while (cursor != nullptr) {
      const char* clause = espeak_TextToPhonemes(&cursor, espeakCHARS_UTF8, /*phonememode=*/0);
      if (clause == nullptr || *clause == 0) continue;
      if (!result.empty()) result += ' ';
      result += clause;
    }
  } catch (const std::exception& e) {
    send_error(out, e.what());
    ::_exit(0);
  }
  send_text(out, kTextMessage, result);
  ::_exit(0);
}

std::string Engine::phonemes(const std::string& text, const VoiceParams& voice) {
  std::unique_ptr<SpeechRing> ring = take_ring();
  int read_fd = -1;
  const pid_t pid = fork_session(kPhonemesRequest, {SpeechRequest{text, voice}}, *ring, read_fd);
  char type = 0;
  std::vector<char> message;
  PipeReader in;
  in.open(read_fd, *ring);
  const bool ok = in.read(&type, 1) && receive_items(in, message);
  in.close();
  const std::optional<int> status = child_status(pid);
  if (status) give_back_ring(std::move(ring));
  if (!ok) throw RenderError(child_death(status.value_or(0)));
  std::string result(message.begin(), message.end());
  if (type == kErrorMessage) throw RenderError(result);
  return result;
}

void Engine::start_server() {
  if (server_owner_ == ::getpid()) return;
  // A forked copy of the engine's process: the server it inherited is the original's.
  if (server_socket_ >= 0) ::close(server_socket_);
  server_socket_ = -1;
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
    throw RenderError(std::string("eSpeak NG: could not make a socket: ") + std::strerror(errno));
  const pid_t parent = ::getpid();
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) {
    const int error = errno;
    ::close(fds[0]);
    ::close(fds[1]);
    throw RenderError(std::string("eSpeak NG: could not start the speech server: ") +
                      std::strerror(error));
  }
  if (pid == 0) {
    ::close(fds[0]);
    if (!die_with_parent(parent)) ::_exit(0);
    // Nothing of the engine's process but the standard streams: its files and pipes are its
    // own (a pipe held open here would keep its reader waiting).
    if (fds[1] > 3) ::close_range(3, static_cast<unsigned>(fds[1]) - 1, 0);
    ::close_range(static_cast<unsigned>(fds[1]) + 1, ~0U, 0);
    serve_forks(fds[1]);
  }
  ::close(fds[1]);
  server_socket_ = fds[0];
  server_pid_ = pid;
  server_owner_ = parent;
}

void Engine::serve_forks(int socket) {
  const pid_t self = ::getpid();
  // Between forks the server writes as little as it can: every page it writes while a child
  // still shares it costs a copy-on-write fault (and, on a virtual machine, a TLB shootdown).
  // So it holds no request (the child reads its own from the session's socket, see
  // fork_session), allocates nothing, and forks with _Fork. The worker it was forked from had
  // threads, so glibc treats the server as multi-threaded and its fork() takes the
  // multi-threaded path: it runs the atfork handlers and takes and resets malloc's and
  // stdio's locks and other libc state, writing pages in both processes (some 14 faults in
  // each child, 2 in the server). No library troupe links registers atfork handlers
  // (libgnutls does, but only once a later dlopen of libavformat loads it, in the worker,
  // after the server was forked). The server stays single-threaded and holds no lock when it
  // forks, so the child's libc is as usable as after fork(); a thread started in the server
  // would break that.
  while (true) {
    char kind = 0;
    PassedFds passed;                                     // the session's socket and ring
    if (!receive_kind(socket, kind, passed)) ::_exit(0);  // the engine's process has gone
    if (kind == kWaitRequest) {
      close_passed(passed);  // none are sent with it
      std::int32_t pid = 0;
      if (!read_all(socket, &pid, sizeof pid)) ::_exit(0);
      const std::int32_t status = reap(pid);
      if (!send_all(socket, &status, sizeof status)) ::_exit(0);
      continue;
    }
    const bool ok = passed.fds[1] >= 0 && (kind == kSpeakRequest || kind == kPhonemesRequest);
    const pid_t pid = ok ? ::_Fork() : -1;
    if (pid == 0) {
      ::close(socket);
      if (!die_with_parent(self)) ::_exit(0);
      ::signal(SIGPIPE, SIG_DFL);
      serve_requests(kind, passed.fds[0], passed.fds[1]);
    }
    const std::int32_t reply = pid > 0 ? pid : ok ? -errno : -EINVAL;
    close_passed(passed);
    if (!send_all(socket, &reply, sizeof reply)) ::_exit(0);
  }
}

void Engine::serve_requests(char kind, int fd, int ring_fd) {
  std::uint64_t size = 0;
  std::string payload;
  std::vector<SpeechRequest> requests;
  bool ok = read_all(fd, &size, sizeof size) && size <= kMaxRequestBytes;
  if (ok) {
    payload.resize(size);
    ok = read_all(fd, payload.data(), size);
  }
  // The parent sees the socket close without an answer: "stopped unexpectedly".
  if (!ok || !decode_requests(payload, requests) || requests.empty()) ::_exit(0);
  // One ring for the whole session: a fresh buffer per utterance costs page faults that, on a
  // virtual machine, add up to more than the speech.
  PipeWriter out(fd, ring_fd);
  if (kind == kPhonemesRequest) serve_phonemes(out, requests.front());
  serve_session(out, requests);
}

pid_t Engine::fork_session(char kind, const std::vector<SpeechRequest>& requests,
                           const SpeechRing& ring, int& read_fd) {
  std::lock_guard<std::mutex> lock(mutex_);
  start_server();
  // The session's socket (see kSlots): the requests, then lengths of slots one way, freed
  // slots the other.
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
    throw RenderError(std::string("eSpeak NG: could not make a socket: ") + std::strerror(errno));
  std::int32_t reply = 0;
  const bool sent = send_kind(server_socket_, kind, PassedFds{{fds[1], ring.fd()}}) &&
                    read_all(server_socket_, &reply, sizeof reply);
  ::close(fds[1]);
  if (!sent || reply <= 0) {
    ::close(fds[0]);
    throw RenderError(!sent ? std::string("eSpeak NG: the speech server has stopped")
                            : std::string("eSpeak NG: could not start a speech process: ") +
                                  std::strerror(-reply));
  }
  // A child that stopped before reading them is reported by the first read of its results.
  const std::string payload = encode_requests(requests);
  const std::uint64_t size = payload.size();
  if (send_all(fds[0], &size, sizeof size)) send_all(fds[0], payload.data(), payload.size());
  read_fd = fds[0];
  return reply;
}

std::optional<int> Engine::child_status(pid_t pid) {
  std::lock_guard<std::mutex> lock(mutex_);
  const std::int32_t request = pid;
  std::int32_t status = 0;
  if (send_kind(server_socket_, kWaitRequest) &&
      send_all(server_socket_, &request, sizeof request) &&
      read_all(server_socket_, &status, sizeof status))
    return status;
  return std::nullopt;  // the server has gone, and the child with it
}

std::unique_ptr<SpeechRing> Engine::take_ring() {
  std::lock_guard<std::mutex> lock(mutex_);
  // A forked copy of the engine's process: the rings it inherited are the original's.
  if (rings_owner_ != ::getpid()) free_rings_.clear();
  rings_owner_ = ::getpid();
  if (free_rings_.empty()) return std::make_unique<SpeechRing>();
  std::unique_ptr<SpeechRing> ring = std::move(free_rings_.back());
  free_rings_.pop_back();
  return ring;
}

void Engine::give_back_ring(std::unique_ptr<SpeechRing> ring) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (rings_owner_ == ::getpid()) free_rings_.push_back(std::move(ring));
}

bool Engine::matches(const InstalledVoice& voice, const std::string& wanted) const {
  if (same_name(wanted, voice.name) || same_name(wanted, voice.identifier)) return true;
  const auto slash = voice.identifier.rfind('/');
  if (slash != std::string::npos && same_name(wanted, voice.identifier.substr(slash + 1)))
    return true;
  return std::any_of(voice.languages.begin(), voice.languages.end(),
                     [&](const std::string& language) { return same_name(wanted, language); });
}

std::string Engine::identifier_for(const std::string& espeak_voice) const {
  for (const InstalledVoice& voice : voices_)
    if (!voice.identifier.empty() && matches(voice, espeak_voice)) return voice.identifier;
  return "";
}

bool Engine::has_voice(const std::string& espeak_voice) {
  std::lock_guard<std::mutex> lock(mutex_);
  return std::any_of(voices_.begin(), voices_.end(),
                     [&](const InstalledVoice& voice) { return matches(voice, espeak_voice); });
}

bool variant_installed(const std::string& variant) {
  // A bare file name only: no way out of the variants folder.
  if (variant.empty() || variant.find('/') != std::string::npos || variant == "." ||
      variant == "..") {
    return false;
  }
  std::error_code error;
  const std::filesystem::path file =
      std::filesystem::path(Engine::instance().data_path()) / "voices" / "!v" / variant;
  return std::filesystem::is_regular_file(file, error);
}

bool voice_installed(const std::string& espeak_voice) {
  if (espeak_voice.empty()) return false;
  return Engine::instance().has_voice(espeak_voice);
}

}  // namespace troupe
