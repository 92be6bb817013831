// Issue 12, point 6, the text side: a byte-order mark inside a file, elisions in single-quote
// dialogue, pins that match nothing or name nobody, subtitles that hold the words as written
// (one cue per sentence), `cast --write` keeping a cast file's comments, and memory that stays
// flat with the length of a quotation. Each at its lowest stage, and through the real binary.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "audio/subtitles.h"
#include "casting/cast_file.h"
#include "common/errors.h"
#include "render/prepare.h"
#include "run_troupe.h"
#include "text/lexicon.h"
#include "text/quotes.h"
#include "text/reader.h"
#include "text/speakable.h"

namespace troupe {
namespace {

namespace fs = std::filesystem;
using troupe_test::read_text;
using troupe_test::Run;
using troupe_test::ScratchDir;

std::vector<std::string> single_quoted(const std::string& text) {
  Paragraph p;
  p.text = text;
  p.line = 1;
  std::vector<std::string> words;
  for (const Quote& q : quotes_in(p, QuoteStyle::Single, false))
    words.push_back(text.substr(q.begin, q.end - q.begin));
  return words;
}

std::vector<std::string> written_sentences(const SpokenText& spoken, std::string_view text) {
  std::vector<std::string> sentences;
  for (const SentenceSpan& s : spoken.sentences)
    sentences.emplace_back(text.substr(s.written_begin, s.written_end - s.written_begin));
  return sentences;
}

std::vector<std::string> spoken_sentences(const SpokenText& spoken) {
  std::vector<std::string> sentences;
  for (const SentenceSpan& s : spoken.sentences)
    sentences.push_back(spoken.spoken.substr(s.spoken_begin, s.spoken_end - s.spoken_begin));
  return sentences;
}

// The cue lines of an SRT file (the third line of each block).
std::vector<std::string> srt_cue_texts(const std::string& srt) {
  std::vector<std::string> texts;
  const auto lines = troupe_test::lines_of(srt);
  for (std::size_t i = 2; i < lines.size(); i += 3) texts.push_back(lines[i]);
  return texts;
}

}  // namespace

// --- a byte-order mark inside a file ---------------------------------------------------------

TEST_CASE("text safety: a byte-order mark opening a line (two files joined) hides no heading") {
  const std::string joined =
      "\xEF\xBB\xBF"
      "Chapter 1\n\nShe left.\n"
      "\xEF\xBB\xBF"
      "Chapter 2\n\nShe came back.\n";
  const auto lines = split_checked_lines(joined, "s.txt");
  CHECK(lines[3] == "Chapter 2");
  const Story story = story_from_text(joined, "s.txt");
  REQUIRE(story.chapters.size() == 2);
  CHECK(story.chapters[1].title == "Chapter 2");
}

// --- elisions in single-quote dialogue ------------------------------------------------------

TEST_CASE("text safety: elisions inside single-quote dialogue do not end the quotation") {
  CHECK(single_quoted("'I like rock 'n' roll,' she said.") ==
        std::vector<std::string>{"I like rock 'n' roll,"});
  CHECK(single_quoted("‘I like rock ’n’ roll,’ she said.") ==
        std::vector<std::string>{"I like rock ’n’ roll,"});
  CHECK(single_quoted("'Rock'n'roll, ma'am, 'til dawn,' he said.") ==
        std::vector<std::string>{"Rock'n'roll, ma'am, 'til dawn,"});
  CHECK(single_quoted("'A cup o' tea and bread an' butter for 'em,' she said.") ==
        std::vector<std::string>{"A cup o' tea and bread an' butter for 'em,"});
  CHECK(single_quoted("'I was goin' home,' he said. 'Nothin' more.'") ==
        std::vector<std::string>{"I was goin' home,", "Nothin' more."});
  // A quotation that really ends after such a word still ends there.
  CHECK(single_quoted("'Rock 'n' roll' she said.") == std::vector<std::string>{"Rock 'n' roll"});
}

// --- subtitles: the words as written, one cue per sentence ----------------------------------

TEST_CASE("text safety: sentences_of splits at sentence ends, not at titles or initials") {
  const std::string text =
      "Mr. Lee waved. J. K. Rowling wrote it! (Was it so? Yes.) “Go.” Then he left…";
  std::vector<std::string> sentences;
  for (const auto& [b, e] : sentences_of(text)) sentences.push_back(text.substr(b, e - b));
  CHECK(sentences == std::vector<std::string>{"Mr. Lee waved.", "J. K. Rowling wrote it!",
                                              "(Was it so? Yes.)", "“Go.”", "Then he left…"});
  // "&c." is no sentence end; a sentence without one is cut between words after 1000 bytes.
  CHECK(sentences_of("Love, &c. &c. Yours.").size() == 1);
  std::string endless;
  for (int i = 0; i < 500; ++i) endless += "word, ";
  const auto pieces = sentences_of(endless);
  CHECK(pieces.size() >= 3);
  for (const auto& [b, e] : pieces) CHECK(e - b <= 1000);
}

TEST_CASE("text safety: written and spoken words of each sentence are kept apart") {
  Lexicon lexicon;
  lexicon.add("maknae", "mahk-neh", true);
  lexicon.add("Taeyong", "Tay young", true);
  lexicon.add("Haechan", "[[h'EtSan]]", true);
  SpeakContext context;
  context.lexicon = &lexicon;
  const std::string text =
      "Taeyong smiled at the maknae. NCT 127 sang on. Haechan laughed! It was late.";
  const SpokenText spoken = speakable_sentences(text, context);
  CHECK(written_sentences(spoken, text) ==
        std::vector<std::string>{"Taeyong smiled at the maknae.", "NCT 127 sang on.",
                                 "Haechan laughed!", "It was late."});
  const auto said = spoken_sentences(spoken);
  REQUIRE(said.size() == 4);
  CHECK(said[0].find("Tay young") != std::string::npos);
  CHECK(said[0].find("mahk-neh") != std::string::npos);
  CHECK(said[1].find("one two seven") != std::string::npos);
  CHECK(said[2].find("[[h'EtSan]]") != std::string::npos);
  CHECK(said[3] == "It was late.");
}

TEST_CASE("text safety: cues show the written sentences, one per sentence, timed by the spoken") {
  // Spoken: "Tay young smiled. N C T one two seven sang." Word starts in code points.
  const std::vector<CueSentence> sentences = {{"Taeyong smiled.", 0}, {"NCT 127 sang.", 18}};
  const std::vector<TimedWord> words = {{0, 3, 1.0},  {4, 5, 1.3},  {10, 7, 1.8},
                                        {18, 1, 2.5}, {20, 1, 2.7}, {22, 1, 2.9},
                                        {24, 3, 3.1}, {28, 3, 3.3}, {32, 5, 3.6}};
  const auto cues = utterance_cues(sentences, "Ann", words, 1.0, 4.5);
  REQUIRE(cues.size() == 2);
  CHECK(cues[0].text == "Taeyong smiled.");
  CHECK(cues[0].start == doctest::Approx(1.0));
  CHECK(cues[0].end == doctest::Approx(2.5));
  CHECK(cues[1].text == "NCT 127 sang.");
  CHECK(cues[1].end == doctest::Approx(4.5));
  // A long sentence is cut near kCueChars, every word kept.
  const std::string long_one(40, 'a');
  const std::string sentence = long_one + " " + long_one + ", " + long_one + " end.";
  const auto split = utterance_cues({{sentence, 0}}, "Ann", {{0, 1, 0.0}}, 0.0, 20.0);
  REQUIRE(split.size() == 2);
  CHECK(split[0].text == long_one + " " + long_one + ",");
  CHECK(split[1].text == long_one + " end.");
  // Without word times an utterance is one cue.
  CHECK(utterance_cues({{"Hello.", 0}, {"Bye.", 7}}, "narrator", {}, 0, 1).size() == 1);
}

}  // namespace troupe

// --- through the real binary ----------------------------------------------------------------

namespace troupe {

namespace {

// Runs `troupe ARGS...` in `where` (output thrown away) and returns its exit code and the peak
// resident memory, in KiB, of it and the worker processes it waited for (wait4's ru_maxrss).
std::pair<int, long> troupe_peak_memory(const ScratchDir& where,
                                        const std::vector<std::string>& args) {
  std::vector<std::string> argv_strings{TROUPE_BINARY};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& arg : argv_strings) argv.push_back(arg.data());
  argv.push_back(nullptr);
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    // Under AddressSanitizer, freed memory waits in a quarantine that would count as in use.
    const char* asan = std::getenv("ASAN_OPTIONS");
    const std::string options = std::string(asan ? asan : "") + ":quarantine_size_mb=0";
    ::setenv("ASAN_OPTIONS", options.c_str(), 1);
    if (::chdir(where.path().c_str()) != 0) ::_exit(127);
    const int null = ::open("/dev/null", O_RDWR);
    ::dup2(null, 0);
    ::dup2(null, 1);
    ::dup2(null, 2);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  int status = 0;
  struct rusage usage {};
  REQUIRE(::wait4(pid, &status, 0, &usage) == pid);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, usage.ru_maxrss};
}

// A story whose middle quotation is `words` words long.
std::string story_with_quotation(std::size_t words) {
  std::string quotation;
  const char* sentence[] = {"The", "rain",   "had", "stopped,", "and",
                            "the", "street", "was", "quiet",    "again."};
  for (std::size_t i = 0; i < words; ++i) quotation += std::string(i ? " " : "") + sentence[i % 10];
  return "\"Hello,\" said Anna.\n\n\"" + quotation + "\" said Ben.\n\n\"Bye,\" said Anna.\n";
}

}  // namespace

TEST_CASE("text safety e2e: a heading after a byte-order mark in a joined file is a chapter") {
  ScratchDir scratch;
  const std::string story = scratch.write("joined.txt",
                                          "\xEF\xBB\xBF"
                                          "Chapter 1\n\n\"Go,\" said Anna.\n"
                                          "\xEF\xBB\xBF"
                                          "Chapter 2\n\n\"Stay,\" said Ben.\n");
  const Run run = troupe_test::troupe(scratch, {"script", story});
  CHECK(run.code == 0);
  CHECK(run.out.find("2:4  title: Chapter 2") != std::string::npos);
}

TEST_CASE("text safety e2e: rock 'n' roll inside single-quote dialogue stays in the quotation") {
  ScratchDir scratch;
  const std::string story = scratch.write(
      "rock.txt",
      "'Hello,' said Anna.\n\n'Hi,' said Ben.\n\n'I love rock 'n' roll,' said Anna.\n\n"
      "'So do I,' said Ben.\n");
  const Run run = troupe_test::troupe(scratch, {"script", story, "--format", "jsonl"});
  CHECK(run.code == 0);
  CHECK(run.out.find("\"text\":\"I love rock 'n' roll,\"") != std::string::npos);
}

TEST_CASE("text safety e2e: a pin that matches nothing warns with its line, exit 0") {
  ScratchDir scratch;
  const std::string story = scratch.write("pins.txt", "\"Go,\" said Anna.\n\"Stay,\" said Ben.\n");
  scratch.write("pins.cast.toml",
                "# pins\n[characters.Anna]\ngender = \"f\"\n\n[[pin]]\nquote = \"Stay\"\n"
                "speaker = \"Anna\"\n\n[[pin]]\nquote = \"Nobody says this\"\nspeaker = \"Ben\"\n");
  const Run run = troupe_test::troupe(scratch, {"script", story});
  INFO(run.err);
  CHECK(run.code == 0);
  CHECK(run.err.find("troupe: warning: " + scratch.file("pins.cast.toml") + ":9: [[pin]]") !=
        std::string::npos);
  CHECK(run.err.find(":5:") == std::string::npos);  // the pin that matched is not mentioned
  CHECK(run.out.find("Anna (") != std::string::npos);
}

TEST_CASE("text safety e2e: a pin to an unknown speaker is an error naming the cast file line") {
  ScratchDir scratch;
  const std::string story = scratch.write("pins.txt", "\"Go,\" said Anna.\n\"Stay,\" said Ben.\n");
  scratch.write("pins.cast.toml", "[[pin]]\nquote = \"Stay\"\nspeaker = \"Benn\"\n");
  const Run run = troupe_test::troupe(scratch, {"script", story});
  CHECK(run.code == 2);
  CHECK(run.err.rfind("troupe: " + scratch.file("pins.cast.toml") + ":1: [[pin]] speaker 'Benn'",
                      0) == 0);
  // A speaker the cast file lists, or one the story names, is known.
  scratch.write("pins.cast.toml",
                "[characters.Carol]\n\n[[pin]]\nquote = \"Stay\"\nspeaker = \"Carol\"\n");
  CHECK(troupe_test::troupe(scratch, {"script", story}).code == 0);
  scratch.write("pins.cast.toml", "[[pin]]\nquote = \"Stay\"\nspeaker = \"Anna\"\n");
  CHECK(troupe_test::troupe(scratch, {"script", story}).code == 0);
  scratch.write("pins.cast.toml", "[[pin]]\nquote = \"Stay\"\nspeaker = \"Y/N\"\n");
  CHECK(troupe_test::troupe(scratch, {"script", story}).code == 0);
}

TEST_CASE("text safety: check of pins at the prepare stage") {
  ScratchDir scratch;
  const std::string story = scratch.write("p.txt", "\"Go,\" said Anna.\n\"Stay,\" said Ben.\n");
  const std::string cast =
      scratch.write("p.cast.toml",
                    "[[pin]]\nquote = \"Sta\"\nspeaker = \"Ben\"\n\n[[pin]]\nquote = \"Gone\"\n"
                    "speaker = \"Zed\"\n");
  PrepareOptions options;
  options.voices_dir = std::string(TROUPE_SOURCE_DIR) + "/voices";
  const PreparedStory prepared = prepare_story(story, options);
  CHECK(prepared.pin_matched == std::vector<bool>{true, false});
  scratch.write("p.cast.toml", "[[pin]]\nquote = \"Go\"\nspeaker = \"Zed\"\n");
  std::string error;
  try {
    prepare_story(story, options);
  } catch (const InputError& e) {
    error = e.what();
  }
  CHECK(error.rfind(cast + ":1: [[pin]] speaker 'Zed'", 0) == 0);
}

TEST_CASE("text safety: cast_file_text_for keeps a cast file's comments and layout") {
  ScratchDir scratch;
  const std::string original =
      "# The Lee household.\n"
      "narrator = \"narrator\"   # the usual one\n"
      "\n"
      "# Mark is the elder.\n"
      "[characters.\"Mark\"]\n"
      "aliases = [\"Mark Lee\"]  # his full name\n"
      "gender   = \"m\"\n"
      "\n"
      "[pronounce]\n"
      "Taeyong = \"Tae-yong\"  # say it right\n";
  const std::string path = scratch.write("c.toml", original);
  CastFile cast = read_cast_file(path);
  cast.narrator = "sage";
  cast.characters[0].voice = "cedar";
  CharacterSpec anna;
  anna.name = "Anna";
  anna.gender = Gender::Female;
  anna.voice = "ember";
  cast.characters.push_back(anna);
  const std::string updated = cast_file_text_for(path, cast);
  CHECK(updated ==
        "# The Lee household.\n"
        "narrator = \"sage\"   # the usual one\n"
        "\n"
        "# Mark is the elder.\n"
        "[characters.\"Mark\"]\n"
        "aliases = [\"Mark Lee\"]  # his full name\n"
        "gender   = \"m\"\n"
        "voice = \"cedar\"\n"
        "\n"
        "[pronounce]\n"
        "Taeyong = \"Tae-yong\"  # say it right\n"
        "\n[characters.\"Anna\"]\ngender = \"f\"\nvoice = \"ember\"\n");
  // Nothing changed: the file stays byte for byte.
  CHECK(cast_file_text_for(path, read_cast_file(path)) == original);
  // It reads back as the cast.
  scratch.write("c.toml", updated);
  const CastFile again = read_cast_file(path);
  CHECK(again.narrator == "sage");
  REQUIRE(again.characters.size() == 2);
  CHECK(again.characters[0].voice == "cedar");
  CHECK(again.characters[1].name == "Anna");
  // No file yet: written afresh.
  CHECK(cast_file_text_for(scratch.file("none.toml"), cast) == cast_file_toml(cast));
  // A value after letters outside ASCII is replaced where it stands, its comment kept.
  scratch.write("c.toml", "[characters.\"Zoë Ünal\"]\nvoice = \"ëmber\"  # hers\n");
  CastFile zoe = read_cast_file(path);
  zoe.characters[0].voice = "cedar";
  CHECK(cast_file_text_for(path, zoe) == "[characters.\"Zoë Ünal\"]\nvoice = \"cedar\"  # hers\n");
  // An inline table cannot be edited in place: the file is written afresh.
  scratch.write("c.toml", "characters = { Mark = { gender = \"m\" } }\n");
  CastFile inline_cast = read_cast_file(path);
  inline_cast.characters[0].voice = "cedar";
  CHECK(cast_file_text_for(path, inline_cast) == cast_file_toml(inline_cast));
}

TEST_CASE("text safety e2e: cast --write over a cast file keeps its comments") {
  ScratchDir scratch;
  const std::string story = scratch.write("w.txt", "\"Go,\" said Anna.\n\"Stay,\" said Ben.\n");
  const std::string cast = scratch.write(
      "w.cast.toml", "# My notes on the cast.\n[characters.Anna]  # the heroine\ngender = \"f\"\n");
  const Run run = troupe_test::troupe(scratch, {"cast", story, "--write", cast});
  CHECK(run.code == 0);
  const std::string written = read_text(cast);
  CHECK(written.rfind("narrator = \"narrator\"\n\n# My notes on the cast.\n"
                      "[characters.Anna]  # the heroine\ngender = \"f\"\nvoice = ",
                      0) == 0);
  CHECK(written.find("[characters.\"Ben\"]") != std::string::npos);
  // Written again, nothing changes.
  CHECK(troupe_test::troupe(scratch, {"cast", story, "--write", cast}).code == 0);
  CHECK(read_text(cast) == written);
}

TEST_CASE("text safety e2e: subtitles hold the words as written, one cue per sentence") {
  ScratchDir scratch;
  const std::string story = scratch.write(
      "idols.txt",
      "\"Taeyong is our leader. The maknae sings well. NCT 127 is here. Haechan waves.\" "
      "said Mark.\n");
  scratch.write("idols.cast.toml",
                "[characters.Mark]\n[pronounce]\nTaeyong = \"Tay young\"\n"
                "Haechan = \"[[h'EtSan]]\"\n");
  const Run run = troupe_test::troupe(
      scratch, {"render", story, "-o", scratch.file("out"), "-q", "--cache-size", "0"});
  REQUIRE(run.code == 0);
  const std::string srt = read_text(scratch.path() / "out" / "idols" / "01-idols.srt");
  INFO(srt);
  const auto cues = srt_cue_texts(srt);
  CHECK(cues == std::vector<std::string>{"narrator: idols", "Mark: Taeyong is our leader.",
                                         "Mark: The maknae sings well.", "Mark: NCT 127 is here.",
                                         "Mark: Haechan waves.", "narrator: said Mark."});
  CHECK(srt.find("Tay young") == std::string::npos);
  CHECK(srt.find("one two seven") == std::string::npos);
}

}  // namespace troupe

namespace troupe {

TEST_CASE("text safety e2e: memory stays flat with the length of a quotation") {
  // A quotation of 4000 words is about 20 minutes of speech, 60 MB of samples if it were held
  // at once; in pieces of whole sentences it takes a few MB more than a short story.
  ScratchDir scratch;
  scratch.write("short.txt", story_with_quotation(20));
  scratch.write("long.txt", story_with_quotation(4000));
  const auto [short_code, short_kib] = troupe_peak_memory(
      scratch, {"render", "short.txt", "-o", "out", "-q", "--cache-size", "0", "-j", "1"});
  const auto [long_code, long_kib] = troupe_peak_memory(
      scratch, {"render", "long.txt", "-o", "out", "-q", "--cache-size", "0", "-j", "1"});
  REQUIRE(short_code == 0);
  REQUIRE(long_code == 0);
  MESSAGE("peak memory: short story " << short_kib << " KiB, 4000-word quotation " << long_kib
                                      << " KiB");
  CHECK(long_kib < short_kib + 40 * 1024);
  // The quotation is one line of the script, and its subtitles hold every word as written.
  const std::string srt = read_text(scratch.path() / "out" / "long" / "01-long.srt");
  CHECK(srt.find("Ben: The rain had stopped,") != std::string::npos);
}

}  // namespace troupe
