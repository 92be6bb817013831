#include "speech/engine.h"

#include <espeak-ng/speak_lib.h>
#include <fcntl.h>
#include <signal.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <new>
#include <string>

#include "common/errors.h"

namespace troupe {
namespace {

constexpr int kBufferMilliseconds = 200;

// Where the synth callback puts what eSpeak NG produces; reached through user_data.
struct SynthSink {
  Utterance* utterance;
  int sample_rate;
  bool failed = false;  // an exception inside the callback; it must not cross into C
};

void record_word(const espeak_EVENT& event, SynthSink& sink) {
  // Clause ends can bring words of length 0: they mark no text.
  if (event.length <= 0 || event.text_position <= 0) return;
  const auto sample = static_cast<long long>(event.audio_position) * sink.sample_rate / 1000;
  sink.utterance->words.push_back(WordTiming{static_cast<std::size_t>(event.text_position - 1),
                                             static_cast<std::size_t>(event.length),
                                             static_cast<int>(sample)});
}

// eSpeak NG's synth callback: returns 0 to go on, 1 to abort.
int collect_audio(short* samples, int count, espeak_EVENT* events) {
  auto* sink = static_cast<SynthSink*>(events->user_data);
  if (sink == nullptr || sink->failed) return 1;
  try {
    if (samples != nullptr && count > 0) {
      sink->utterance->samples.insert(sink->utterance->samples.end(), samples, samples + count);
    }
    for (const espeak_EVENT* e = events; e->type != espeakEVENT_LIST_TERMINATED; ++e) {
      if (e->type == espeakEVENT_WORD) record_word(*e, *sink);
    }
  } catch (const std::bad_alloc&) {
    sink->failed = true;
    return 1;
  }
  return 0;
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

bool same_name(const std::string& a, const char* b) {
  return b != nullptr && strcasecmp(a.c_str(), b) == 0;
}

// A voice's languages field: a priority byte then a zero-terminated name, repeated,
// ending with a zero priority byte.
bool speaks_language(const espeak_VOICE& voice, const std::string& language) {
  const char* entry = voice.languages;
  while (entry != nullptr && *entry != 0) {
    if (same_name(language, entry + 1)) return true;
    entry += 1 + std::char_traits<char>::length(entry + 1) + 1;
  }
  return false;
}

bool matches_voice(const espeak_VOICE& voice, const std::string& wanted) {
  if (same_name(wanted, voice.name) || same_name(wanted, voice.identifier)) return true;
  if (voice.identifier != nullptr) {
    const char* slash = std::strrchr(voice.identifier, '/');
    if (slash != nullptr && same_name(wanted, slash + 1)) return true;
  }
  return speaks_language(voice, wanted);
}


// Session messages, child -> parent: 'U', the sample count (u64), the samples, the word count
// (u64), the words; or 'E', the message's length (u64), the message.
constexpr char kUtteranceMessage = 'U';
constexpr char kErrorMessage = 'E';
constexpr int kPipeBytes = 1 << 20;

bool write_all(int fd, const void* data, std::size_t size) {
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t n = ::write(fd, p, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

bool read_all(int fd, void* data, std::size_t size) {
  char* p = static_cast<char*>(data);
  while (size > 0) {
    const ssize_t n = ::read(fd, p, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

template <typename T>
bool send_vector(int fd, const std::vector<T>& items) {
  const std::uint64_t count = items.size();
  return write_all(fd, &count, sizeof count) && write_all(fd, items.data(), count * sizeof(T));
}

bool send_text(int fd, char type, const std::string& text) {
  return write_all(fd, &type, 1) && send_vector(fd, std::vector<char>(text.begin(), text.end()));
}

bool send_error(int fd, const std::string& message) {
  return send_text(fd, kErrorMessage, message);
}

template <typename T>
bool receive_vector(int fd, std::vector<T>& into) {
  std::uint64_t count = 0;
  if (!read_all(fd, &count, sizeof count)) return false;
  into.resize(count);
  return read_all(fd, into.data(), count * sizeof(T));
}

// Forks a child whose standard streams are the parent's and whose results go to the returned
// pipe; in the child, write_fd is the other end. Throws RenderError if it cannot.
pid_t fork_child(int& read_fd, int& write_fd) {
  int fds[2];
  if (::pipe(fds) != 0)
    throw RenderError(std::string("eSpeak NG: could not make a pipe: ") + std::strerror(errno));
  // A pipe as large as an unprivileged process may make (1 MB by default): an utterance
  // passes in one or two writes instead of a context switch every 64 kB, which on a
  // virtual machine cost more than the copying.
  ::fcntl(fds[0], F_SETPIPE_SZ, kPipeBytes);
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) {
    const int error = errno;
    ::close(fds[0]);
    ::close(fds[1]);
    throw RenderError(std::string("eSpeak NG: could not start a speech process: ") +
                      std::strerror(error));
  }
  if (pid == 0) {
    ::close(fds[0]);
    // Die with the parent rather than speak for nobody; a parent that stops reading is gone.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    ::signal(SIGPIPE, SIG_DFL);
    write_fd = fds[1];
    read_fd = -1;
    return 0;
  }
  ::close(fds[1]);
  read_fd = fds[0];
  write_fd = -1;
  return pid;
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

SpeechSession::SpeechSession(Engine& engine, std::vector<SpeechRequest> requests)
    : remaining_(requests.size()) {
  if (requests.empty()) return;
  int write_fd = -1;
  {
    std::lock_guard<std::mutex> lock(engine.mutex_);
    pid_ = fork_child(fd_, write_fd);
  }
  if (pid_ == 0) engine.serve_session(write_fd, requests);
}

SpeechSession::~SpeechSession() {
  if (pid_ > 0 && remaining_ > 0) ::kill(pid_, SIGKILL);
  finish();
}

void SpeechSession::finish() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  int status = 0;
  if (pid_ > 0) status = reap(pid_);
  pid_ = -1;
  (void)status;
}

void SpeechSession::next(Utterance& into) {
  if (remaining_ == 0 || fd_ < 0) throw RenderError("eSpeak NG: no more utterances in the session");
  char type = 0;
  bool ok = read_all(fd_, &type, 1);
  if (ok && type == kErrorMessage) {
    std::string message;
    std::vector<char> text;
    if (receive_vector(fd_, text)) message.assign(text.begin(), text.end());
    remaining_ = 0;
    finish();
    throw RenderError(message.empty() ? "eSpeak NG: could not speak" : message);
  }
  ok = ok && type == kUtteranceMessage && receive_vector(fd_, into.samples) &&
       receive_vector(fd_, into.words);
  if (!ok) {
    remaining_ = 0;
    ::close(fd_);
    fd_ = -1;
    const int status = reap(pid_);
    pid_ = -1;
    throw RenderError(child_death(status));
  }
  if (--remaining_ == 0) finish();
}

namespace {
}  // namespace

Engine& Engine::instance() {
  // A function-local static is initialised once, thread-safely; if the constructor throws,
  // the next call tries again.
  static Engine engine;
  return engine;
}

Engine::Engine() {
  sample_rate_ = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, kBufferMilliseconds, nullptr,
                                   espeakINITIALIZE_DONT_EXIT);
  if (sample_rate_ <= 0) {
    throw RenderError("eSpeak NG: could not initialise (is espeak-ng-data installed?)");
  }
  espeak_SetSynthCallback(collect_audio);
  const char* path = nullptr;
  const char* version = espeak_Info(&path);
  version_ = version != nullptr ? version : "";
  data_path_ = path != nullptr ? path : "";
  // Every session starts from this state: with the default voice chosen, the English
  // dictionary is loaded once here instead of in every session.
  try {
    select_voice(VoiceParams{});
  } catch (const RenderError&) {
    // No default voice: each session chooses its own, and reports what is missing.
  }
}

Engine::~Engine() { espeak_Terminate(); }

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

void Engine::speak_here(const SpeechRequest& request, Utterance& utterance) {
  utterance.samples.clear();
  utterance.words.clear();
  select_voice(request.voice);
  set_parameter(espeakRATE, request.voice.rate, "rate");
  set_parameter(espeakPITCH, request.voice.pitch, "pitch");
  set_parameter(espeakRANGE, request.voice.range, "range");
  set_parameter(espeakVOLUME, request.voice.volume, "volume");

  SynthSink sink{&utterance, sample_rate_};
  // No espeakSSML: story text may hold '<' and '&', which must be spoken, not parsed.
  const std::string& text = request.text;
  const espeak_ERROR error = espeak_Synth(text.c_str(), text.size() + 1, 0, POS_CHARACTER, 0,
                                          espeakCHARS_UTF8 | espeakPHONEMES, nullptr, &sink);
  if (sink.failed) throw RenderError("eSpeak NG: out of memory while speaking");
  if (error != EE_OK) throw RenderError("eSpeak NG: could not speak: " + espeak_error_text(error));
  clamp_word_samples(utterance);
}

void Engine::serve_session(int fd, const std::vector<SpeechRequest>& requests) {
  Utterance utterance;
  for (const SpeechRequest& request : requests) {
    try {
      speak_here(request, utterance);
    } catch (const std::exception& e) {
      send_error(fd, e.what());
      ::_exit(0);
    }
    // The parent has gone (stopped the session): nothing left to do.
    if (!write_all(fd, &kUtteranceMessage, 1) || !send_vector(fd, utterance.samples) ||
        !send_vector(fd, utterance.words))
      ::_exit(0);
  }
  ::_exit(0);
}

std::string Engine::phonemes(const std::string& text, const VoiceParams& voice) {
  int read_fd = -1, write_fd = -1;
  pid_t pid;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    pid = fork_child(read_fd, write_fd);
  }
  if (pid == 0) {
    std::string result;
    try {
      select_voice(voice);
      const void* cursor = text.c_str();
      // Each call translates up to the end of one clause and advances cursor; nullptr at the end.
      while (cursor != nullptr) {
        const char* clause = espeak_TextToPhonemes(&cursor, espeakCHARS_UTF8, /*phonememode=*/0);
        if (clause == nullptr || *clause == 0) continue;
        if (!result.empty()) result += ' ';
        result += clause;
      }
    } catch (const std::exception& e) {
      send_error(write_fd, e.what());
      ::_exit(0);
    }
    send_text(write_fd, kUtteranceMessage, result);
    ::_exit(0);
  }
  char type = 0;
  std::vector<char> message;
  const bool ok = read_all(read_fd, &type, 1) && receive_vector(read_fd, message);
  ::close(read_fd);
  const int status = reap(pid);
  if (!ok) throw RenderError(child_death(status));
  std::string result(message.begin(), message.end());
  if (type == kErrorMessage) throw RenderError(result);
  return result;
}

std::string Engine::identifier_for(const std::string& espeak_voice) const {
  const espeak_VOICE** voices = espeak_ListVoices(nullptr);
  for (const espeak_VOICE** v = voices; v != nullptr && *v != nullptr; ++v)
    if ((*v)->identifier != nullptr && matches_voice(**v, espeak_voice)) return (*v)->identifier;
  return "";
}

bool Engine::has_voice(const std::string& espeak_voice) {
  std::lock_guard<std::mutex> lock(mutex_);
  const espeak_VOICE** voices = espeak_ListVoices(nullptr);
  for (const espeak_VOICE** v = voices; v != nullptr && *v != nullptr; ++v) {
    if (matches_voice(**v, espeak_voice)) return true;
  }
  return false;
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
