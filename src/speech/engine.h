// The one eSpeak NG engine of the process: speech to PCM in memory, with word timings.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
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

  // Speaks text (UTF-8; [[...]] is eSpeak phoneme input; no SSML) with the voice.
  // Nothing is trimmed. Throws RenderError on eSpeak errors or an uninstalled voice/variant.
  Utterance speak(const std::string& text, const VoiceParams& voice);
  // The same into `into`, reusing the memory it already holds (no allocation per utterance
  // once it has grown to the longest one).
  void speak(const std::string& text, const VoiceParams& voice, Utterance& into);

  // The phonemes eSpeak NG would speak for text with the voice, in eSpeak's ascii mnemonics,
  // one clause after another separated by spaces.
  std::string phonemes(const std::string& text, const VoiceParams& voice);

  // Whether eSpeak NG lists the voice; see voice_installed().
  bool has_voice(const std::string& espeak_voice);

 private:
  Engine();
  ~Engine();

  void select_voice(const VoiceParams& voice);  // caller holds mutex_
  void set_parameter(int parameter, int value, const char* name);

  std::mutex mutex_;
  int sample_rate_ = 0;
  std::string version_;
  std::string data_path_;
  // The identifier ("gmw/en") of the installed voice called or speaking espeak_voice.
  std::string identifier_for(const std::string& espeak_voice) const;
  std::string current_voice_name_;  // the last name given to espeak_SetVoiceByName
};

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
