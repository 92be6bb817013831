// The one eSpeak NG engine of the process: speech to PCM in memory, with word timings.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "speech/voice_params.h"

namespace troupe {

struct WordTiming {
  std::size_t char_offset;  // 0-based, in Unicode code points of the utterance text
  std::size_t char_length;  // in code points
  int sample;               // index into Utterance::samples where the word starts
};

struct Utterance {
  std::vector<int16_t> samples;  // mono, at Engine::sample_rate()
  std::vector<WordTiming> words;
};

struct SpeechRequest {
  std::string text;
  VoiceParams voice;
};

class Engine;

// A session's ring: shared memory (a memfd of two PipeWriter::kSlotSize slots, see kSlots in
// engine.cpp) that the session's child writes its results into, mapped here to read them.
class SpeechRing {
 public:
  SpeechRing();  // throws RenderError
  ~SpeechRing();
  SpeechRing(const SpeechRing&) = delete;
  SpeechRing& operator=(const SpeechRing&) = delete;
  int fd() const { return fd_; }  // to pass to the child
  const char* data() const { return data_; }

 private:
  int fd_ = -1;
  const char* data_ = nullptr;
};

// The child's end of a session: messages written into the ring's slots (see kSlots in
// engine.cpp), one system call for many small messages. Takes ring_fd, a SpeechRing's
// descriptor (its own copy), and maps it on the first write.
class PipeWriter {
 public:
  PipeWriter(int socket, int ring_fd) : socket_(socket), ring_fd_(ring_fd) {}
  ~PipeWriter();
  PipeWriter(const PipeWriter&) = delete;
  PipeWriter& operator=(const PipeWriter&) = delete;

  bool write(const void* data, std::size_t size);  // false when the parent has gone
  // Hands the slot being filled to the parent, and takes the next once the parent has freed it.
  bool flush();
  // Hands the last slot over without waiting for a free one: the session ends here, nothing is
  // written after it, and the child need not wait for the parent to read before it exits.
  bool finish();
  // Where the next byte written lands in its slot: slots begin page-aligned and hold an even
  // number of bytes, so its parity is the parity of that byte's address.
  std::size_t slot_offset() const { return used_ % kSlotSize; }

  static constexpr std::size_t kSlotSize = 512 * 1024;

 private:
  bool hand_over();
  bool take_next_slot();
  bool open_ring();

  int socket_;
  int ring_fd_;
  char* ring_ = nullptr;
  std::size_t current_ = 0, used_ = 0;  // the slot being filled, and its bytes so far
  std::size_t free_ = 0;                // slots the parent has freed, besides that one
};

// The parent's end of a session: the messages the child wrote into the ring's slots (see
// kSlots in engine.cpp), read from shared memory.
class PipeReader {
 public:
  PipeReader();
  ~PipeReader();
  PipeReader(const PipeReader&) = delete;
  PipeReader& operator=(const PipeReader&) = delete;
  void open(int socket, const SpeechRing& ring);  // takes the socket; the ring must outlive it
  // Exactly size bytes; false at the end of the session or on an error.
  bool read(void* into, std::size_t size);
  // The unread bytes of the current slot, at least one (waiting for the next slot if none):
  // their count, and `at` pointing to them; 0 at the end of the session or on an error.
  // skip(n) then consumes n of them (more is a bug: it throws std::logic_error).
  std::size_t unread(const char*& at);
  void skip(std::size_t n);
  bool is_open() const { return fd_ >= 0; }
  void close();

 private:
  bool next_slot();  // waits for the next slot the child fills
  int fd_ = -1;
  // The rest are set by close(), which the constructor and open() call.
  const char* ring_;
  bool started_;  // a slot has been handed over
  // The slot being read, and what is left of it; the first slot handed over is slot 0.
  std::size_t slot_, begin_, end_;
};

// Appends a samples message's items (a u64 count, then the samples) to `into`; false at the end
// of the session, or on a count no child sends (one that would overflow `into`).
bool receive_samples(PipeReader& in, std::vector<int16_t>& into);

// Speaks requests, in order, in a child process forked from the engine's speech server (see
// Engine). eSpeak NG 1.51 carries
// state from one utterance to the next that no API call resets (a pitch flutter index, wave
// phase and gain statics in wavegen.c, Klatt filter statics, rand() for noise, the
// translator's guesses about the previous words), so the same text comes out with different
// samples depending on what was said before it. The engine itself never speaks: every session
// starts from the same state, the one eSpeak NG has once initialised (the default voice
// chosen, nothing said), and what a session says depends only on its requests. A fork costs
// about 25 ms of CPU on a virtual machine (copy-on-write faults of eSpeak NG's state): give a
// session a group of utterances, not one.
class SpeechSession {
 public:
  SpeechSession(Engine& engine, std::vector<SpeechRequest> requests);
  ~SpeechSession();  // stops the child if it is still speaking
  SpeechSession(const SpeechSession&) = delete;
  SpeechSession& operator=(const SpeechSession&) = delete;

  // The next request's utterance into `into` (reusing its memory). Throws RenderError with the
  // child's error (an unknown voice, ...) or when the child died.
  void next(Utterance& into);

 private:
  int finish();  // the child's wait status
  Engine& engine_;
  // The child's results; declared before results_, which reads it.
  std::unique_ptr<SpeechRing> ring_;
  pid_t pid_ = -1;
  PipeReader results_;  // from the child
  std::size_t remaining_ = 0;
};

// Owns eSpeak NG's global state. eSpeak NG is not thread-safe and has no context handle, so
// there is one engine per process and every call into it is serialised.
class Engine {
 public:
  // Initialises eSpeak NG on first use. Throws RenderError if it cannot.
  static Engine& instance();

  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  int sample_rate() const { return sample_rate_; }
  std::string version() const { return version_; }
  // The espeak-ng-data folder in use.
  std::string data_path() const { return data_path_; }

  // Speaks text (UTF-8; [[...]] is eSpeak phoneme input; no SSML) with the voice, in a
  // session of its own (see SpeechSession): the same samples whatever was spoken before.
  // Nothing is trimmed. Throws RenderError on eSpeak errors or an uninstalled voice/variant.
  Utterance speak(const std::string& text, const VoiceParams& voice);
  // The same into `into`, reusing the memory it already holds (no allocation per utterance
  // once it has grown to the longest one).
  void speak(const std::string& text, const VoiceParams& voice, Utterance& into);

  // The phonemes eSpeak NG would speak for text with the voice, in eSpeak's ascii mnemonics,
  // one clause after another separated by spaces. Translated in a child process, like speech:
  // translating changes the translator's state.
  std::string phonemes(const std::string& text, const VoiceParams& voice);

  // Whether eSpeak NG lists the voice; see voice_installed().
  bool has_voice(const std::string& espeak_voice);

 private:
  friend class SpeechSession;
  friend void stop_speech_server();
  Engine();
  ~Engine();

  void select_voice(const VoiceParams& voice);  // caller holds mutex_
  void set_parameter(int parameter, int value, const char* name);
  // In a session's child: speaks one request, sending its audio and words as they come.
  void speak_here(const SpeechRequest& request, PipeWriter& out);
  [[noreturn]] void serve_session(PipeWriter& out, const std::vector<SpeechRequest>& requests);
  [[noreturn]] void serve_phonemes(PipeWriter& out, const SpeechRequest& request);

  // The speech server: a process forked from this one once eSpeak NG is initialised, that
  // forks a child for each session and does nothing else. Forking from the engine's own
  // process, which goes on allocating and writing its buffers, cost a copy-on-write fault
  // (and on a virtual machine a TLB shootdown) for every page it wrote after each fork: on
  // story 002 more system time than the speech children's. The server writes almost nothing.
  void stop_server();
  void start_server();  // caller holds mutex_; once per process (a forked copy starts its own)
  [[noreturn]] void serve_forks(int socket);
  // In a session's child: reads its requests from fd, its end of the session's socket, and
  // serves them, writing the results into the ring ring_fd.
  [[noreturn]] void serve_requests(char kind, int fd, int ring_fd);
  // Has the server fork a child that does kind (speak, phonemes) and sends its results into
  // ring, telling of them on a new socket (see kSlots in engine.cpp), whose end is returned in
  // read_fd. Returns the child's pid.
  pid_t fork_session(char kind, const std::vector<SpeechRequest>& requests, const SpeechRing& ring,
                     int& read_fd);
  // The child's wait status once it has stopped (its session socket closed); nullopt if the
  // server has gone (and the child with it, in its own time).
  std::optional<int> child_status(pid_t pid);
  pid_t server_pid_ = -1, server_owner_ = -1;
  int server_socket_ = -1;
  // A ring for a session: one a finished session gave back, or a new one. A ring is given back
  // only once its child has stopped; a forked copy of this process makes its own.
  std::unique_ptr<SpeechRing> take_ring();
  void give_back_ring(std::unique_ptr<SpeechRing> ring);
  std::vector<std::unique_ptr<SpeechRing>> free_rings_;
  pid_t rings_owner_ = -1;

  std::mutex mutex_;
  int sample_rate_ = 0;
  std::string version_;
  std::string data_path_;
  // The identifier ("gmw/en") of the installed voice called or speaking espeak_voice.
  std::string identifier_for(const std::string& espeak_voice) const;
  std::string current_voice_name_;  // the last name given to espeak_SetVoiceByName

  // eSpeak NG's voices as listed once, at initialisation. espeak_ListVoices reads every voice
  // file (about a thousand files opened and read) each time it is called, and every speech
  // session is a new process: looking a voice up there on every change of voice cost story
  // 002 more system time than eSpeak NG's whole run.
  struct InstalledVoice {
    std::string name, identifier;
    std::vector<std::string> languages;
  };
  std::vector<InstalledVoice> voices_;
  bool matches(const InstalledVoice& voice, const std::string& wanted) const;
};

// Stops this process's speech server (see Engine), if it has one, and waits for it: before a
// process that used the engine leaves by _exit, so that no server is left to init and the
// speech's CPU time is counted among the process's children's.
void stop_speech_server();

// Whether eSpeak NG's data has the variant file voices/!v/NAME (e.g. "f3"). Needed because
// espeak_SetVoiceByName("en-us+nosuch") reports success.
bool variant_installed(const std::string& variant);

// Whether eSpeak NG has the voice (language), e.g. "en-us", "en-gb", "en", matched
// case-insensitively against voice file names, identifiers and voice names.
bool voice_installed(const std::string& espeak_voice);

// eSpeak NG's version ("1.51"), without initialising it: safe in a process that will fork.
std::string espeak_ng_version();

// "en-us+f3", or "en-us" when there is no variant.
std::string espeak_voice_name(const VoiceParams& voice);

}  // namespace troupe
