#include <doctest/doctest.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "common/errors.h"
#include "run_troupe.h"
#include "speech/engine.h"

namespace troupe {
namespace {

double rms(const std::vector<int16_t>& samples) {
  if (samples.empty()) return 0;
  double sum = 0;
  for (int16_t s : samples) sum += static_cast<double>(s) * s;
  return std::sqrt(sum / static_cast<double>(samples.size()));
}

VoiceParams voice_with(const std::string& variant, int rate = 170) {
  VoiceParams voice;
  voice.espeak_voice = "en-us";
  voice.variant = variant;
  voice.rate = rate;
  return voice;
}

}  // namespace

TEST_CASE("a session message's item count that would overflow the buffer is refused") {
  int fds[2];
  REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) == 0);
  SpeechRing ring;
  PipeReader in;
  in.open(fds[0], ring);
  {  // what a broken child might send: three samples, then a count that wraps size + count
    PipeWriter out(fds[1], ::dup(ring.fd()));
    const int16_t samples[3] = {1, -2, 3};
    const std::uint64_t three = 3, wrapping = ~std::uint64_t{0} - 1;
    REQUIRE(out.write("S", 1));
    REQUIRE(out.write(&three, sizeof three));
    REQUIRE(out.write(samples, sizeof samples));
    REQUIRE(out.write("S", 1));
    REQUIRE(out.write(&wrapping, sizeof wrapping));
    REQUIRE(out.finish());
  }
  ::close(fds[1]);
  std::vector<int16_t> into;
  char type = 0;
  REQUIRE(in.read(&type, 1));
  REQUIRE(receive_samples(in, into));
  CHECK(into == std::vector<int16_t>{1, -2, 3});
  REQUIRE(in.read(&type, 1));
  CHECK_FALSE(receive_samples(in, into));
  CHECK(into.size() == 3);
}

namespace {

// One session's messages: when `lone`, a one-sample message first, which puts the big message's
// samples at an even offset in the ring (20), else they start at an odd one (9).
std::vector<std::vector<int16_t>> sent_and_received(const std::vector<int16_t>& big, bool lone) {
  int fds[2];
  REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) == 0);
  SpeechRing ring;
  PipeReader in;
  in.open(fds[0], ring);
  const std::vector<int16_t> one{-5};
  const int messages = lone ? 2 : 1;
  {
    PipeWriter out(fds[1], ::dup(ring.fd()));
    for (const std::vector<int16_t>* items : {&one, &big}) {
      if (items == &one && !lone) continue;
      const std::uint64_t count = items->size();
      REQUIRE(out.write("S", 1));
      REQUIRE(out.write(&count, sizeof count));
      REQUIRE(out.write(items->data(), count * 2));
    }
    REQUIRE(out.finish());
  }
  ::close(fds[1]);
  std::vector<std::vector<int16_t>> received(static_cast<std::size_t>(messages));
  for (std::vector<int16_t>& into : received) {
    char type = 0;
    REQUIRE(in.read(&type, 1));
    REQUIRE(receive_samples(in, into));
  }
  return received;
}

}  // namespace

TEST_CASE("samples that cross from one ring slot to the next arrive whole, aligned or not") {
  std::vector<int16_t> big(PipeWriter::kSlotSize / 2 + 1000);  // more than a slot holds
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<int16_t>(i * 7);
  CHECK(sent_and_received(big, true) == std::vector<std::vector<int16_t>>{{-5}, big});
  CHECK(sent_and_received(big, false) == std::vector<std::vector<int16_t>>{big});
}

TEST_CASE("the engine reports eSpeak NG's sample rate and version") {
  Engine& engine = Engine::instance();
  CHECK(engine.sample_rate() == 22050);
  CHECK_FALSE(engine.version().empty());
  CHECK(&engine == &Engine::instance());
}

TEST_CASE("speaking gives audible audio, more of it for longer text") {
  Engine& engine = Engine::instance();
  const Utterance hello = engine.speak("Hello there.", voice_with("m3"));
  CHECK(hello.samples.size() > 22050 / 4);  // more than a quarter second
  CHECK(rms(hello.samples) > 500);

  const Utterance longer =
      engine.speak("Hello there. It has been a long time since we last met.", voice_with("m3"));
  CHECK(longer.samples.size() > hello.samples.size() * 2);
}

TEST_CASE("a higher rate gives fewer samples for the same text") {
  Engine& engine = Engine::instance();
  const std::string text = "The quick brown fox jumps over the lazy dog.";
  const Utterance slow = engine.speak(text, voice_with("m3", 120));
  const Utterance fast = engine.speak(text, voice_with("m3", 300));
  CHECK(fast.samples.size() < slow.samples.size() * 3 / 4);
}

TEST_CASE("different variants sound different") {
  Engine& engine = Engine::instance();
  const Utterance female = engine.speak("Hello there.", voice_with("f3"));
  const Utterance male = engine.speak("Hello there.", voice_with("m3"));
  CHECK(female.samples != male.samples);
  // eSpeak NG is not bit-exact from call to call (lengths wander by a few samples), so compare
  // lengths: f3 and m3 differ by far more than that.
  const auto length_ratio = static_cast<double>(female.samples.size()) / male.samples.size();
  CHECK(std::abs(length_ratio - 1.0) > 0.05);
  // Switching back gives the first voice again: the cached voice name follows the changes.
  const Utterance again = engine.speak("Hello there.", voice_with("f3"));
  CHECK(static_cast<double>(again.samples.size()) / female.samples.size() ==
        doctest::Approx(1.0).epsilon(0.01));
}

TEST_CASE("word timings are in order, within the samples, in code points") {
  Engine& engine = Engine::instance();
  // "Café" has a two-byte character: offsets after it must count it once.
  const std::string text = "Café owners greet the morning.";
  const Utterance utterance = engine.speak(text, voice_with("m3"));
  REQUIRE(utterance.words.size() >= 4);
  for (std::size_t i = 0; i < utterance.words.size(); ++i) {
    const WordTiming& word = utterance.words[i];
    CHECK(word.char_length > 0);
    CHECK(word.sample >= 0);
    CHECK(static_cast<std::size_t>(word.sample) < utterance.samples.size());
    if (i > 0) {
      CHECK(word.char_offset > utterance.words[i - 1].char_offset);
      CHECK(word.sample > utterance.words[i - 1].sample);
    }
  }
  CHECK(utterance.words[0].char_offset == 0);
  CHECK(utterance.words[0].char_length == 4);  // "Café"
  CHECK(utterance.words[1].char_offset == 5);  // "owners", in code points
}

TEST_CASE("speaking into a buffer reuses it and gives what speak() gives") {
  Engine& engine = Engine::instance();
  Utterance buffer;
  engine.speak("A much longer sentence than the next one, to grow the buffer.", voice_with("m3"),
               buffer);
  const std::size_t capacity = buffer.samples.capacity();
  engine.speak("Hello there.", voice_with("m3"), buffer);
  CHECK(buffer.samples.capacity() == capacity);
  const Utterance fresh = engine.speak("Hello there.", voice_with("m3"));
  CHECK(static_cast<double>(buffer.samples.size()) / fresh.samples.size() ==
        doctest::Approx(1.0).epsilon(0.01));
  CHECK(buffer.words.size() == fresh.words.size());
}

TEST_CASE("a session left before its child has finished does not disturb the next ones") {
  // Sessions reuse their shared rings: a ring must not be handed on while a child can still
  // write into it. Each round, `left` is left with its second utterance unread while its child
  // is still at it: that utterance is longer than the whole ring (1 MiB, 24 s of samples), so
  // the child fills both slots and waits for one to be freed. Meanwhile another session speaks
  // beside it, and after the rounds the rings they leave speak as they should.
  Engine& engine = Engine::instance();
  const std::string text =
      "Tamsin folded the map twice, tucked it under the lantern, and walked out into the rain.";
  std::string longer = text;
  for (int i = 0; i < 5; ++i) longer += " " + text;
  const Utterance alone = engine.speak(text, voice_with("f3"));
  REQUIRE(engine.speak(longer, voice_with("m3")).samples.size() * 2 > (std::size_t{1} << 20));
  for (int round = 0; round < 3; ++round) {
    SpeechSession left(engine, {{"One.", voice_with("m3")}, {longer, voice_with("m3")}});
    Utterance first;
    left.next(first);
    {
      SpeechSession beside(engine, {{text, voice_with("f3")}});
      Utterance again;
      beside.next(again);
      CHECK(again.samples == alone.samples);
    }
  }  // each `left` stops its child, still writing, with its second utterance unread
  CHECK(engine.speak(text, voice_with("f3")).samples == alone.samples);
  CHECK(engine.phonemes("rain", voice_with("f3")) == engine.phonemes("rain", voice_with("f3")));
  CHECK(engine.speak(text, voice_with("f3")).samples == alone.samples);
}

namespace {

// In a forked copy of the test process: whether six sessions in a row give `expected` (no
// doctest assertions here, they belong to the original process).
bool speaks_as_expected(Engine& engine, const std::vector<SpeechRequest>& group,
                        const std::vector<Utterance>& expected) {
  try {
    for (int round = 0; round < 6; ++round) {
      SpeechSession session(engine, group);
      for (const Utterance& wanted : expected) {
        Utterance got;
        session.next(got);
        if (got.samples != wanted.samples) return false;
      }
    }
    return true;
  } catch (...) {
    return false;
  }
}

}  // namespace

TEST_CASE("forked copies of the engine's process do not share the rings they inherited") {
  // A copy of the process (fork() after sessions have run) inherits the engine's free rings,
  // which are shared memory: were both processes to hand the same ring to their sessions, their
  // children would write into each other's results. The two groups spoken here leave their
  // ring (one, reused) free; two copies then each speak one of them, and must hear their own.
  Engine& engine = Engine::instance();
  const std::string text =
      "Bellamy counted the lanterns along the quay, lost count twice, and began again slowly.";
  const std::vector<std::vector<SpeechRequest>> groups{
      {{text, voice_with("f3")}, {text, voice_with("m3")}, {text + " " + text, voice_with("f3")}},
      {{text + " " + text, voice_with("m3")}, {text, voice_with("f3", 120)}}};
  std::vector<std::vector<Utterance>> expected;
  for (const std::vector<SpeechRequest>& group : groups) {
    SpeechSession session(engine, group);
    expected.emplace_back(group.size());
    for (Utterance& utterance : expected.back()) session.next(utterance);
  }  // the ring is now on the free list, inherited by the copies below
  std::vector<pid_t> copies;
  for (std::size_t which = 0; which < groups.size(); ++which) {
    const pid_t copy = ::fork();
    REQUIRE(copy >= 0);
    if (copy == 0) ::_exit(speaks_as_expected(engine, groups[which], expected[which]) ? 0 : 1);
    copies.push_back(copy);
  }
  for (pid_t copy : copies) {
    int status = -1;
    REQUIRE(::waitpid(copy, &status, 0) == copy);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
  }
}

TEST_CASE("eSpeak NG's version is known without the engine") {
  CHECK(espeak_ng_version() == Engine::instance().version());
}

TEST_CASE("phoneme input in [[...]] is spoken") {
  const Utterance utterance = Engine::instance().speak("[[h@'loU]]", voice_with("m3"));
  CHECK(utterance.samples.size() > 22050 / 5);
  CHECK(rms(utterance.samples) > 500);
}

TEST_CASE("angle brackets are text, not SSML") {
  const Utterance utterance = Engine::instance().speak("<b>", voice_with("m3"));
  CHECK(rms(utterance.samples) > 100);
}

TEST_CASE("phonemes shows how eSpeak NG would say a word") {
  const std::string hello = Engine::instance().phonemes("hello", voice_with(""));
  CHECK_FALSE(hello.empty());
  CHECK(hello.find('h') != std::string::npos);
  CHECK(Engine::instance().phonemes("one, two", voice_with("")).find(' ') != std::string::npos);
}

TEST_CASE("installed variants and voices are told from missing ones") {
  CHECK(variant_installed("f3"));
  CHECK(variant_installed("m3"));
  CHECK_FALSE(variant_installed("nosuch"));
  CHECK_FALSE(variant_installed("../f3"));
  CHECK_FALSE(variant_installed(""));
  CHECK(voice_installed("en-us"));
  CHECK(voice_installed("en-gb"));
  CHECK(voice_installed("en"));
  CHECK_FALSE(voice_installed("xx-nosuch"));
  CHECK_FALSE(voice_installed(""));
}

TEST_CASE("a voice eSpeak NG finds only by its file's name speaks, the same each time") {
  // Pins the fallback, not the order the constructor lists and chooses in (it passes either
  // way): "en-gb" is not a voice name eSpeak NG knows (its file is gmw/en), so the engine finds
  // it by the file's name in the voices it listed when it started.
  VoiceParams british;
  british.espeak_voice = "en-gb";
  const Utterance first = Engine::instance().speak("Good morning.", british);
  CHECK_FALSE(first.samples.empty());
  CHECK(Engine::instance().speak("Good morning.", british).samples == first.samples);
}

TEST_CASE("speaking with a missing variant or voice is a RenderError") {
  CHECK_THROWS_AS(Engine::instance().speak("Hi.", voice_with("nosuch")), RenderError);
  VoiceParams missing;
  missing.espeak_voice = "xx-nosuch";
  CHECK_THROWS_AS(Engine::instance().speak("Hi.", missing), RenderError);
  // The engine still works afterwards.
  CHECK_FALSE(Engine::instance().speak("Hi.", voice_with("f3")).samples.empty());
}

TEST_CASE("speech: troupe loads no sound library when eSpeak NG is linked statically") {
  // eSpeak NG's archive is linked with src/speech/no_playback.cpp in pcaudio's place where the
  // build found it and could link it (CMakeLists.txt says which, TROUPE_ESPEAK_STATIC): pcaudio
  // loaded PulseAudio, ALSA, X11's client and D-Bus into every run. Linked against the shared
  // library, troupe loads them all: whichever the build chose, the binary must be that one.
  troupe_test::ScratchDir scratch;
  const std::string libraries = troupe_test::troupe_libraries(scratch);
  REQUIRE(libraries.find("libsndfile") != std::string::npos);  // the listing is one
  const bool static_espeak = TROUPE_ESPEAK_STATIC;
  CHECK((libraries.find("libespeak-ng") == std::string::npos) == static_espeak);
  CHECK((libraries.find("libpcaudio") == std::string::npos) == static_espeak);
  CHECK((libraries.find("libpulse") == std::string::npos) == static_espeak);
}

}  // namespace troupe
