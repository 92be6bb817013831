// troupe in a shared folder and on every error (issue 12), each case on the real binary:
// temporary files nobody can hijack, devices and FIFOs written into rather than replaced,
// standard output checked, renders of one book locked against each other, file names that are
// ASCII, bounded and never shared by two books, stale chapter files removed.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "run_troupe.h"
#include "scratch_dir.h"

namespace fs = std::filesystem;
using troupe_test::read_text;
using troupe_test::Run;
using troupe_test::ScratchDir;
using troupe_test::shell_quote;
using troupe_test::troupe;

namespace {

const char* kStory = "\"Hi,\" said Anna. \"Are you there?\"\n";

const char* kTwoChapters =
    "Chapter 1\n\n\"Hello,\" said Anna.\n\n"
    "Chapter 2\n\n\"Goodbye,\" said Bob.\n";

// Runs a shell command line inside `where` (for redirections the helper does not make),
// capturing its standard error (its standard output, unless redirected, is dropped);
// `command` names the binary as $TROUPE.
Run shell(const ScratchDir& where, const std::string& command) {
  const fs::path err = where.path() / ".stderr";
  const std::string line = "cd " + shell_quote(where.path().string()) +
                           " && TROUPE=" + shell_quote(TROUPE_BINARY) + " && (" + command +
                           ") >/dev/null 2>" + shell_quote(err.string());
  const int status = std::system(line.c_str());
  Run run;
  run.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.err = read_text(err);
  fs::remove(err);
  return run;
}

std::vector<std::string> names_in(const fs::path& folder) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(folder))
    names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

bool is_link(const fs::path& path) { return fs::is_symlink(fs::symlink_status(path)); }

// Every chapter the manifest lists has its files beside it, the audio of the size it records.
void check_manifest_agrees(const fs::path& book) {
  const auto manifest = nlohmann::json::parse(read_text(book / "manifest.json"));
  for (const auto& chapter : manifest["chapters"]) {
    const fs::path audio = book / chapter["file"].get<std::string>();
    REQUIRE(fs::is_regular_file(audio));
    CHECK(fs::file_size(audio) == chapter["bytes"].get<std::uint64_t>());
    CHECK(fs::is_regular_file(book / chapter["srt"].get<std::string>()));
    CHECK(fs::is_regular_file(book / chapter["vtt"].get<std::string>()));
  }
}

}  // namespace

TEST_CASE("safety: a symlink at an old temporary name is never written through") {
  ScratchDir scratch;
  scratch.write("s.txt", kStory);
  const std::string victim = scratch.write("victim.txt", "precious\n");
  const fs::path book = scratch.path() / "o" / "s";
  REQUIRE(troupe(scratch, {"render", "s.txt", "-o", "o", "-q"}).code == 0);
  // Every file troupe wrote, with a link planted at its old predictable temporary name.
  for (const auto& name : names_in(book))
    if (name[0] != '.') fs::create_symlink(victim, book / (name + ".tmp"));
  const Run run = troupe(scratch, {"render", "s.txt", "-o", "o", "-q", "--force"});
  CHECK(run.code == 0);
  CHECK(read_text(victim) == "precious\n");
  check_manifest_agrees(book);
}

TEST_CASE("safety: a symlink at a final name in the book folder is replaced, not followed") {
  ScratchDir scratch;
  scratch.write("s.txt", kStory);
  const std::string victim = scratch.write("victim.txt", "precious\n");
  const fs::path book = scratch.path() / "o" / "s";
  fs::create_directories(book);
  fs::create_symlink(victim, book / "manifest.json");
  REQUIRE(troupe(scratch, {"render", "s.txt", "-o", "o", "-q"}).code == 0);
  CHECK(read_text(victim) == "precious\n");
  CHECK_FALSE(is_link(book / "manifest.json"));
  check_manifest_agrees(book);
}

TEST_CASE("safety: a FIFO at a name troupe writes in its folder is an error, left alone") {
  ScratchDir scratch;
  scratch.write("s.txt", kStory);
  const fs::path book = scratch.path() / "o" / "s";
  fs::create_directories(book);
  // (the chapter's audio: a name troupe only writes, so a troupe that opened it would hang)
  REQUIRE(::mkfifo((book / "01-s.wav").c_str(), 0644) == 0);
  const Run run = troupe(scratch, {"render", "s.txt", "-o", "o", "-q"});
  CHECK(run.code == 1);
  CHECK(run.err.find("o/s/01-s.wav: could not write") != std::string::npos);
  CHECK(fs::is_fifo(book / "01-s.wav"));
  check_manifest_agrees(book);
}

TEST_CASE("safety: a FIFO or a symlink at a pack's name in the cache is no pack, and no hang") {
  ScratchDir scratch;
  scratch.write("s.txt", kStory);
  const fs::path cache = scratch.path() / "o" / "s" / ".cache";
  fs::create_directories(cache);
  // (opened for reading without O_NONBLOCK, the FIFO would block the render forever)
  REQUIRE(::mkfifo((cache / "01-s.0123456789abcdef.pack").c_str(), 0644) == 0);
  fs::create_symlink("/dev/zero", cache / "01-s.fedcba9876543210.pack");
  const Run run = troupe(scratch, {"render", "s.txt", "-o", "o", "-q"});
  CHECK(run.code == 0);
  check_manifest_agrees(scratch.path() / "o" / "s");
}

// The first book's manifest cannot be written (a folder at its name) while the second book's
// chapters are still being spoken: the run fails with that error, and the workers finish what
// they write rather than being killed mid-write: no temporary file is left anywhere.
TEST_CASE("safety: a book whose manifest cannot be written fails the run and leaves no temp file") {
  ScratchDir scratch;
  scratch.write("a.txt", kStory);
  std::string longer;
  for (int i = 0; i < 40; ++i)
    longer += "Chapter " + std::to_string(i + 1) + "\n\n" + kStory + "\n";
  scratch.write("b.txt", longer);
  fs::create_directories(scratch.path() / "o" / "a" / "manifest.json");
  const Run run = troupe(scratch, {"render", "a.txt", "b.txt", "-o", "o", "-q", "--jobs", "2"});
  CHECK(run.code != 0);
  CHECK(run.err.find("manifest.json") != std::string::npos);
  for (const auto& entry : fs::recursive_directory_iterator(scratch.path() / "o"))
    CHECK_MESSAGE(entry.path().filename().string().find(".tmp") == std::string::npos,
                  entry.path().string());
  // No worker goes on rendering after troupe has exited (a process working in this folder).
  std::error_code error;
  for (const auto& proc : fs::directory_iterator("/proc", error)) {
    std::error_code unreadable;
    const fs::path cwd = fs::read_symlink(proc.path() / "cwd", unreadable);
    CHECK_MESSAGE((unreadable || cwd != scratch.path()), "a process left in ", proc.path());
  }
}

TEST_CASE("safety: cast --write through a link to /dev/full is an error, the link kept") {
  ScratchDir scratch;
  scratch.write("s.txt", kStory);
  fs::create_symlink("/dev/full", scratch.path() / "full");
  const Run run = troupe(scratch, {"cast", "s.txt", "--write", "full"});
  CHECK(run.code == 1);
  CHECK(run.err.find("full: could not write") != std::string::npos);
  CHECK(is_link(scratch.path() / "full"));
  CHECK(fs::is_character_file("/dev/full"));
}

TEST_CASE("safety: cast --write into a FIFO writes into it") {
  ScratchDir scratch;
  scratch.write("s.txt", kStory);
  REQUIRE(::mkfifo((scratch.path() / "pipe").c_str(), 0644) == 0);
  // (timeout only keeps a broken troupe from leaving the reader blocked forever)
  const Run run = shell(scratch,
                        "timeout 60 cat pipe > got & \"$TROUPE\" cast s.txt --write pipe; "
                        "c=$?; wait; exit $c");
  CHECK(run.code == 0);
  CHECK(fs::is_fifo(scratch.path() / "pipe"));
  CHECK(read_text(scratch.path() / "got").find("narrator") != std::string::npos);
}

TEST_CASE("safety: voices --say -o writes into /dev/stdout and refuses /dev/full") {
  ScratchDir scratch;
  fs::create_symlink("/dev/stdout", scratch.path() / "stdout.wav");
  const Run piped = shell(scratch, "\"$TROUPE\" voices --say Hi -o stdout.wav | head -c 4 > got");
  CHECK(piped.code == 0);
  CHECK(read_text(scratch.path() / "got") == "RIFF");
  fs::create_symlink("/dev/full", scratch.path() / "full.wav");
  const Run full = troupe(scratch, {"voices", "--say", "Hi", "-o", "full.wav"});
  CHECK(full.code == 1);
  CHECK(full.err.find("full.wav: could not write") != std::string::npos);
  CHECK(is_link(scratch.path() / "full.wav"));
}

TEST_CASE("safety: a failed write to standard output is an error naming it") {
  ScratchDir scratch;
  scratch.write("s.txt", kStory);
  const Run run = shell(scratch, "\"$TROUPE\" script s.txt --format jsonl > /dev/full");
  CHECK(run.code == 1);
  CHECK(run.err.find("standard output") != std::string::npos);
}

TEST_CASE("safety: a chapter another render holds fails at once with a clear message") {
  ScratchDir scratch;
  scratch.write("two.txt", kTwoChapters);
  const fs::path book = scratch.path() / "o" / "two";
  fs::create_directories(book);
  const int fd = ::open((book / ".chapter-2.lock").c_str(), O_RDWR | O_CREAT, 0644);
  REQUIRE(fd >= 0);
  REQUIRE(::flock(fd, LOCK_EX) == 0);
  const Run held = troupe(scratch, {"render", "two.txt", "-o", "o", "-q"});
  CHECK(held.code == 1);
  CHECK(held.err.find("chapter 2: another troupe is rendering it") != std::string::npos);
  check_manifest_agrees(book);
  const auto manifest = nlohmann::json::parse(read_text(book / "manifest.json"));
  CHECK(manifest["chapters"].size() == 1);
  ::close(fd);
  const Run free = troupe(scratch, {"render", "two.txt", "-o", "o", "-q"});
  CHECK(free.code == 0);
  CHECK(nlohmann::json::parse(read_text(book / "manifest.json"))["chapters"].size() == 2);
}

TEST_CASE("safety: two renders of one book at once leave a manifest that agrees with its files") {
  ScratchDir scratch;
  scratch.write("two.txt", kTwoChapters);
  const Run run = shell(scratch,
                        "\"$TROUPE\" render two.txt -o o -q -j 1 --rate 1.5 2>a & "
                        "\"$TROUPE\" render two.txt -o o -q -j 1 2>b || "
                        "grep -q 'another troupe' b || exit 1; "
                        "wait $! || grep -q 'another troupe' a");
  CHECK(run.code == 0);
  check_manifest_agrees(scratch.path() / "o" / "two");
  // Shards share the folder: together they list every chapter.
  const Run shards = shell(scratch,
                           "\"$TROUPE\" render two.txt -o s -q --shard 1/2 & "
                           "\"$TROUPE\" render two.txt -o s -q --shard 2/2 && wait $!");
  CHECK(shards.code == 0);
  check_manifest_agrees(scratch.path() / "s" / "two");
  CHECK(nlohmann::json::parse(read_text(scratch.path() / "s" / "two" / "manifest.json"))["chapters"]
            .size() == 2);
}

TEST_CASE("safety: titles are transliterated to ASCII and long ones capped") {
  ScratchDir scratch;
  scratch.write("태용.txt", kStory);
  scratch.write("accents.txt", "Chapter 1: Ünïcödé Çhâptér\n\n\"Hi,\" said Anna.\n");
  std::string heading = "#";
  for (int i = 0; i < 49; ++i) heading += " word";  // 245 characters
  scratch.write("long.txt", heading + "\n\n\"Hi,\" said Anna.\n");
  const Run run =
      troupe(scratch, {"render", "태용.txt", "accents.txt", "long.txt", "-o", "o", "-q"});
  CHECK(run.code == 0);
  CHECK(fs::is_regular_file(scratch.path() / "o" / "taeyong" / "manifest.json"));
  CHECK(fs::is_regular_file(scratch.path() / "o" / "accents" / "01-chapter-1-unicode-chapter.wav"));
  const auto long_names = names_in(scratch.path() / "o" / "long");
  CHECK(std::count(long_names.begin(), long_names.end(),
                   "01-word-word-word-word-word-word-word-word-word-word-word-cb2d3e38.wav") == 1);
  for (const auto& name : long_names) CHECK(name.size() <= 80);
}

TEST_CASE("safety: two books with one title never share a folder") {
  ScratchDir scratch;
  scratch.write("a/story.txt", "\"Hello,\" said Anna.\n");
  scratch.write("b/story.txt", "\"Goodbye,\" said Bob.\n");
  REQUIRE(troupe(scratch, {"render", "a/story.txt", "-o", "o", "-q"}).code == 0);
  REQUIRE(troupe(scratch, {"render", "b/story.txt", "-o", "o", "-q"}).code == 0);
  std::vector<std::string> sources;
  for (const auto& name : names_in(scratch.path() / "o")) {
    const auto manifest =
        nlohmann::json::parse(read_text(scratch.path() / "o" / name / "manifest.json"));
    sources.push_back(manifest["source"]);
    check_manifest_agrees(scratch.path() / "o" / name);
  }
  CHECK(sources == std::vector<std::string>{"a/story.txt", "b/story.txt"});
}

TEST_CASE("safety: a renamed or removed chapter's files go, nothing else does") {
  ScratchDir scratch;
  scratch.write("book.txt",
                "Chapter 1: Old Name\n\n\"Hi,\" said Anna.\n\n"
                "Chapter 2\n\n\"Bye,\" said Bob.\n");
  const fs::path book = scratch.path() / "o" / "book";
  REQUIRE(troupe(scratch, {"render", "book.txt", "-o", "o", "-q"}).code == 0);
  const std::string victim = scratch.write("victim.wav", "precious\n");
  fs::create_symlink(victim, book / "07-linked.wav");
  scratch.write("o/book/notes.txt", "mine\n");
  // A manifest that claims a file outside the folder as a chapter's.
  std::string manifest = read_text(book / "manifest.json");
  const auto at = manifest.find("\"01-chapter-1-old-name.srt\"");
  REQUIRE(at != std::string::npos);
  manifest.replace(at, std::string("\"01-chapter-1-old-name.srt\"").size(), "\"../../victim.wav\"");
  scratch.write("o/book/manifest.json", manifest);

  scratch.write("book.txt", "Chapter 1: New Name\n\n\"Hi,\" said Anna.\n");
  REQUIRE(troupe(scratch, {"render", "book.txt", "-o", "o", "-q"}).code == 0);
  std::vector<std::string> visible;
  for (const auto& name : names_in(book))
    if (name[0] != '.') visible.push_back(name);
  CHECK(visible ==
        std::vector<std::string>{"01-chapter-1-new-name.srt", "01-chapter-1-new-name.vtt",
                                 "01-chapter-1-new-name.wav", "07-linked.wav", "chapters.ffmeta",
                                 "manifest.json", "notes.txt", "playlist.m3u8"});
  CHECK(read_text(victim) == "precious\n");
  check_manifest_agrees(book);
}

TEST_CASE("safety: --chapters with a number too large is a one-line input error") {
  ScratchDir scratch;
  scratch.write("s.txt", kStory);
  const Run run = troupe(scratch, {"render", "s.txt", "--chapters", "99999999999999999999"});
  CHECK(run.code == 2);
  CHECK(run.err.find("--chapters") != std::string::npos);
  CHECK(troupe_test::lines_of(run.err).size() == 1);
}

TEST_CASE("safety: TROUPE_VOICES naming no folder is an error") {
  ScratchDir scratch;
  scratch.write("s.txt", kStory);
  const Run run = shell(scratch, "TROUPE_VOICES=/nonexistent \"$TROUPE\" cast s.txt >/dev/null");
  CHECK(run.code == 2);
  CHECK(run.err.find("/nonexistent") != std::string::npos);
}
