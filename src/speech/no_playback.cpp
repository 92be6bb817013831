// pcaudio's functions, for eSpeak NG linked statically (CMakeLists.txt): there is no sound
// device. eSpeak NG asks for one only to play what it speaks, which troupe never has it do
// (espeak_Initialize with AUDIO_OUTPUT_SYNCHRONOUS: the samples come to troupe's callback);
// were it asked, it would find none, as on a machine without sound, and say so.
#include <cstddef>
#include <cstdint>

extern "C" {

struct audio_object;

audio_object* create_audio_device_object(const char* /*device*/, const char* /*application*/,
                                         const char* /*description*/) {
  return nullptr;
}

int audio_object_open(audio_object* /*object*/, int /*format*/, std::uint32_t /*rate*/,
                      std::uint8_t /*channels*/) {
  return -1;
}

void audio_object_close(audio_object* /*object*/) {}

void audio_object_destroy(audio_object* /*object*/) {}

int audio_object_write(audio_object* /*object*/, const void* /*data*/, std::size_t /*bytes*/) {
  return -1;
}

int audio_object_drain(audio_object* /*object*/) { return -1; }

int audio_object_flush(audio_object* /*object*/) { return -1; }

const char* audio_object_strerror(audio_object* /*object*/, int /*error*/) {
  return "troupe plays no sound: no sound device";
}

}  // extern "C"
