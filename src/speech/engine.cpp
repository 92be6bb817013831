#include "speech/engine.h"

#include <espeak-ng/speak_lib.h>
#include <strings.h>

#include <algorithm>
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
  utterance.samples.clear();
  utterance.words.clear();
  std::lock_guard<std::mutex> lock(mutex_);
  select_voice(voice);
  set_parameter(espeakRATE, voice.rate, "rate");
  set_parameter(espeakPITCH, voice.pitch, "pitch");
  set_parameter(espeakRANGE, voice.range, "range");
  set_parameter(espeakVOLUME, voice.volume, "volume");

  SynthSink sink{&utterance, sample_rate_};
  // No espeakSSML: story text may hold '<' and '&', which must be spoken, not parsed.
  const espeak_ERROR error = espeak_Synth(text.c_str(), text.size() + 1, 0, POS_CHARACTER, 0,
                                          espeakCHARS_UTF8 | espeakPHONEMES, nullptr, &sink);
  if (sink.failed) throw RenderError("eSpeak NG: out of memory while speaking");
  if (error != EE_OK) throw RenderError("eSpeak NG: could not speak: " + espeak_error_text(error));
  clamp_word_samples(utterance);
}

std::string Engine::phonemes(const std::string& text, const VoiceParams& voice) {
  std::lock_guard<std::mutex> lock(mutex_);
  select_voice(voice);
  std::string result;
  const void* cursor = text.c_str();
  // Each call translates up to the end of one clause and advances cursor; nullptr at the end.
  while (cursor != nullptr) {
    const char* clause = espeak_TextToPhonemes(&cursor, espeakCHARS_UTF8, /*phonememode=*/0);
    if (clause == nullptr || *clause == 0) continue;
    if (!result.empty()) result += ' ';
    result += clause;
  }
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
