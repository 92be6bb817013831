// What troupe speaks: reader names, notes skipped, markup, symbols, interjections, the lexicon.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "common/errors.h"
#include "render/prepare.h"
#include "scratch_dir.h"
#include "speech/engine.h"
#include "text/lexicon.h"
#include "text/reader.h"
#include "text/speakable.h"

namespace troupe {
namespace {
namespace fs = std::filesystem;

const std::string kSource = TROUPE_SOURCE_DIR;

SpeakContext reader(const std::string& name, const std::string& last = "",
                    const std::string& main_character = "") {
  SpeakContext context;
  context.reader_name = name;
  context.reader_last_name = last;
  context.main_character = main_character;
  return context;
}

VoiceParams en_us() { return VoiceParams{}; }

// eSpeak NG reads [[...]] as phonemes only once espeak_Synth has been called with
// espeakPHONEMES (the engine always does); espeak_TextToPhonemes keeps that mode from the last
// call, so speak once before asking for phonemes.
std::string phonemes_of(const std::string& text) {
  Engine& engine = Engine::instance();
  (void)engine.speak("a", en_us());
  return engine.phonemes(text, en_us());
}

std::string strip_stress(std::string s) {
  std::string out;
  for (char c : s)
    if (c != '\'' && c != ',' && c != ' ') out += c;
  return out;
}

using ScratchDir = troupe_test::ScratchDir;

std::vector<ParagraphKind> kinds_of(const Story& story) {
  std::vector<ParagraphKind> kinds;
  for (const auto& chapter : story.chapters)
    for (const auto& p : chapter.paragraphs) kinds.push_back(p.kind);
  return kinds;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// The reader's name

TEST_CASE("speakable: every way of writing the reader becomes their name") {
  auto jamie = reader("Jamie", "Park", "Nam-jun");
  CHECK(speakable("Thanks, Y/N.", jamie) == "Thanks, Jamie.");
  CHECK(speakable("Thanks, (Y/N).", jamie) == "Thanks, Jamie.");
  CHECK(speakable("Thanks, [Y/N].", jamie) == "Thanks, Jamie.");
  CHECK(speakable("thanks, y/n.", jamie) == "thanks, Jamie.");
  CHECK(speakable("Y/F/N smiled.", jamie) == "Jamie smiled.");
  CHECK(speakable("I'm Y/L/N Y/N, the leader.", jamie) == "I'm Park Jamie, the leader.");
  CHECK(speakable("{{user}}\u2026", jamie) == "Jamie...");
  CHECK(speakable("{{char}} looked at {{user}}.", jamie) == "Nam-jun looked at Jamie.");
  CHECK(speakable("Y/N's phone rang.", jamie) == "Jamie's phone rang.");
  CHECK(speakable("Her Y/E/C eyes.", jamie) == "Her eyes.");
}

TEST_CASE("speakable: without a reader name, 'you', never letters and slashes") {
  CHECK(speakable("Thanks, Y/N.") == "Thanks, you.");
  CHECK(speakable("Y/N smiled.") == "You smiled.");
  CHECK(speakable("It was Y/N's turn.") == "It was your turn.");
  CHECK(speakable("{{user}} waved at {{char}}.") == "You waved at they.");
  CHECK(speakable("I'm Y/L/N Y/N.") == "I'm you.");
  for (const char* text : {"Y/N", "(Y/N)", "[y/n]", "Y/L/N", "{{user}}", "{{char}}'s"}) {
    auto say = speakable(text);
    CHECK(say.find('/') == std::string::npos);
    CHECK(say.find('{') == std::string::npos);
  }
}

// ---------------------------------------------------------------------------------------------
// Markup

TEST_CASE("speakable: markup is spoken without its marks") {
  CHECK(speakable("_You_ want to tell me.") == "You want to tell me.");
  CHECK(speakable("He *may* fall in love.") == "He may fall in love.");
  CHECK(speakable("It was **so** loud.") == "It was so loud.");
  CHECK(speakable("~from the moment we met~") == "from the moment we met");
  CHECK(speakable("<i>Fuck</i>, he&#8217;s cute &amp; kind.") == "Fuck, he\u2019s cute and kind.");
  CHECK(speakable("Tom &mdash; the cat.") == "Tom, the cat.");
  CHECK(speakable("yah! [taeyong]") == "yah! taeyong");
  CHECK(speakable("He said [...] nothing.") == "He said... nothing.");
  CHECK(speakable("follow @markleee on insta") == "follow markleee on insta");
  CHECK(speakable("lyrics @ the beginning") == "lyrics at the beginning");
  CHECK(speakable("a #blessed day, my #1 fan") == "a blessed day, my number one fan");
}

TEST_CASE("speakable: footnote marks and inline notes are dropped, unless notes are read") {
  CHECK(speakable("the paper.[Footnote: Or nearly so, at that time.] Mr. Halloran") ==
        "the paper. Mr. Halloran");
  CHECK(speakable("as he said[1] and then\u2020 left") == "as he said and then left");
  CHECK(speakable("a house [Illustration: A VICARAGE] here") == "a house here");
  SpeakContext notes;
  notes.read_notes = true;
  CHECK(speakable("the paper.[Footnote: Or nearly so, at that time.] Mr. Halloran", notes) ==
        "the paper. Footnote: Or nearly so, at that time. Mr. Halloran");
}

// ---------------------------------------------------------------------------------------------
// Symbols and numbers

TEST_CASE("speakable: ornaments and emoji are dropped, pauses become punctuation eSpeak honours") {
  CHECK(speakable("\u2726 \u2726 \u2726") == "");
  CHECK(speakable("\u2767 so sweet \U0001F495\u2728 \u2661") == "so sweet");
  CHECK(speakable("Yeah\u2026 a long while.") == "Yeah... a long while.");
  CHECK(speakable("Yeah. . . a long while.") == "Yeah... a long while.");
  CHECK(speakable("backstage\u2014behind the music") == "backstage, behind the music");
  CHECK(speakable("In town--for I am fond of it") == "In town, for I am fond of it");
  CHECK(speakable("Yes;--but he seemed") == "Yes; but he seemed");
  CHECK(speakable("You\u2019re such a\u2014") == "You\u2019re such a...");
  CHECK(speakable("\u2014and then") == "and then");
  CHECK(speakable("Out of breath - not from fatigue") == "Out of breath, not from fatigue");
  CHECK(speakable("Mark & Lexie") == "Mark and Lexie");
}

TEST_CASE("speakable: numbers are read as people say them") {
  CHECK(speakable("word count: 6.5k") == "word count: six point five thousand");
  CHECK(speakable("10k views") == "ten thousand views");
  CHECK(speakable("October 23, 2022") == "October twenty-third, twenty twenty-two");
  CHECK(speakable("in 1999 and 2005 and 1905") ==
        "in nineteen ninety-nine and two thousand five and nineteen oh five");
  CHECK(speakable("the 1990s and the 80s") == "the nineteen nineties and the eighties");
  CHECK(speakable("at 3:30, 10:00 and 10:05 pm") ==
        "at three thirty, ten o'clock and ten oh five P M");
  CHECK(speakable("at 5pm") == "at five P M");
  CHECK(speakable("their 1st win, the 2nd, 3rd and 21st") ==
        "their first win, the second, third and twenty-first");
  CHECK(speakable("We're NCT 127!") == "We're N C T one two seven!");
  CHECK(speakable("NCT 127\u2019s leader") == "N C T one two seven\u2019s leader");
  CHECK(speakable("10,000 fans paid $5.50, 50% more") ==
        "ten thousand fans paid five dollars and fifty cents, fifty percent more");
  CHECK(speakable("pages 3\u20135") == "pages three to five");
  CHECK(cardinal_words(127) == "one hundred twenty-seven");
  CHECK(cardinal_words(1'000'001) == "one million one");
  CHECK(ordinal_words(12) == "twelfth");
  CHECK(ordinal_words(40) == "fortieth");
  CHECK(year_words(2000) == "two thousand");
  CHECK(year_words(1800) == "eighteen hundred");
}

// ---------------------------------------------------------------------------------------------
// Interjections

TEST_CASE("speakable: interjections are spoken as sounds, not spelled letter by letter") {
  CHECK(speakable("Let\u2019s talk outside, hm?") == "Let\u2019s talk outside, hmm?");
  CHECK(speakable("Hmmmm.") == "Hmm.");
  CHECK(speakable("Uhm, I\u2019d like that.") == "Um, I\u2019d like that.");
  CHECK(speakable("Shh!") == "[[S::]]!");
  // What eSpeak NG says for a letter's name, e.g. "H" -> "eItS".
  auto letter = [](char c) { return strip_stress(phonemes_of(std::string(1, c) + ".")); };
  for (const char* word : {"Hm", "Hmm", "Mhm", "Mm", "Uh", "Uhm", "Um", "Oof", "Psst", "Shh", "Ah",
                           "Yah", "Ugh", "Tsk"}) {
    CAPTURE(word);
    const std::string said = strip_stress(phonemes_of(speakable(word)));
    CHECK_FALSE(said.empty());
    // Spelled out, the word would hold the names of its letters one after another.
    std::string spelled;
    for (const char* c = word; *c != 0; ++c) spelled += letter(*c);
    CHECK(said != spelled);
    // Its first two letters' names (e.g. "eItS" then "Em" for Hm) do not follow each other.
    CHECK(said.find(letter(word[0]) + letter(word[1])) == std::string::npos);
  }
  // And they were: eSpeak NG alone spells these out.
  CHECK(strip_stress(phonemes_of("Hm")) == letter('H') + letter('m'));
  CHECK(strip_stress(phonemes_of("Shh")) == letter('S') + letter('h') + letter('h'));
}

// ---------------------------------------------------------------------------------------------
// The lexicon

TEST_CASE("lexicon: whole-word, case-aware, user entries win, suffixes and possessives") {
  Lexicon lexicon;
  lexicon.add("maknae", "[[m'A:kneI]]", false);
  lexicon.add("Mark", "[[m'A:rk]]", false);
  lexicon.add("oppa", "[['oUpA:]]", false);
  lexicon.add("-chan", "[[tS'A:n]]", false);
  lexicon.add("Lee Taeyong", "[[l'i: t'eIj0N]]", true);
  lexicon.add("oppa", "Oh-pah", true);  // the user's entry wins over the shipped one
  SpeakContext context;
  context.lexicon = &lexicon;
  CHECK(speakable("your fiery maknae, our MAKNAE, Maknae", context) ==
        "your fiery [[m'A:kneI]], our [[m'A:kneI]], [[m'A:kneI]]");
  CHECK(speakable("maknaes and makna", context) == "maknaes and makna");  // whole words only
  CHECK(speakable("Mark will mark it", context) == "[[m'A:rk]] will mark it");
  CHECK(speakable("Oppa!", context) == "Oh-pah!");
  CHECK(speakable("Sakura-chan and Chan", context) == "Sakura [[tS'A:n]] and Chan");
  CHECK(speakable("your maknae\u2019s head", context) == "your [[m'A:kneIz]] head");
  CHECK(speakable("I\u2019m Lee Taeyong.", context) == "I\u2019m [[l'i: t'eIj0N]].");
  CHECK(lexicon_key_matches("maknae", "MAKNAE"));
  CHECK_FALSE(lexicon_key_matches("Mark", "mark"));
}

TEST_CASE("lexicon: an entry changes how eSpeak NG says a name, including the reader's") {
  Lexicon lexicon;
  lexicon.add("Taeyong", "[[t'eIj0N]]", true);
  lexicon.add("Jamie", "Jay-mee", true);
  SpeakContext context = reader("Jamie");
  context.lexicon = &lexicon;
  const std::string plain = phonemes_of(speakable("Taeyong"));
  const std::string said = phonemes_of(speakable("Taeyong", context));
  CHECK(plain != said);
  CHECK(strip_stress(said).find("teIj0N") != std::string::npos);
  CHECK(speakable("Thanks, Y/N.", context) == "Thanks, Jay-mee.");
  CHECK(phonemes_of(speakable("Jamie")) != phonemes_of(speakable("Y/N", context)));
}

TEST_CASE("lexicon: the shipped files load, and a bad file is an error naming file and line") {
  Lexicon shipped;
  shipped.add_folder(kSource + "/voices/lexicon");
  for (const char* word :
       {"maknae", "aegyo", "oppa", "unnie", "hyung", "sunbae", "selca", "senpai"})
    CHECK_MESSAGE(shipped.lookup(word).has_value(), word);
  CHECK(shipped.lookup_suffix("chan").has_value());
  CHECK(shipped.lookup_suffix("kun").has_value());
  // Every shipped entry is [[phonemes]] that eSpeak NG reads without spelling brackets.
  const std::string maknae = phonemes_of(*shipped.lookup("maknae"));
  CHECK(maknae.find("kn") != std::string::npos);

  ScratchDir dir("troupe-speakable");
  auto bad = dir.write("bad.toml", "# words\nmaknae = 3\n");
  try {
    Lexicon lexicon;
    lexicon.add_file(bad);
    FAIL("no error");
  } catch (const InputError& error) {
    CHECK(std::string(error.what()).find("bad.toml:2:") != std::string::npos);
  }
  auto broken = dir.write("broken.toml", "maknae = \"x\"\noppa = \n");
  CHECK_THROWS_AS(Lexicon().add_file(broken), InputError);
}

// ---------------------------------------------------------------------------------------------
// Metadata and notes

TEST_CASE("reader: metadata and notes are skipped paragraphs, kept for troupe script") {
  CHECK(is_note_paragraph("\u2767 word count: 6.5k"));
  CHECK(is_note_paragraph("Word count: 2,300"));
  CHECK(is_note_paragraph("warnings: none"));
  CHECK(is_note_paragraph("Genre: fluff"));
  CHECK(is_note_paragraph("pairing: Taeyong x reader"));
  CHECK(is_note_paragraph("A/N: thank you for reading!"));
  CHECK(is_note_paragraph("(a/n: this took forever)"));
  CHECK(is_note_paragraph("Author's note: hi"));
  CHECK(is_note_paragraph("tw: blood"));
  CHECK(is_note_paragraph("#also the little italics part @ the beginning are lyrics"));
  CHECK(is_note_paragraph("#nct #taeyong x reader"));
  CHECK(is_note_paragraph("\u2767 anything at all"));
  CHECK(is_note_paragraph("[Illustration: A VICARAGE HOUSE.]"));
  CHECK(is_note_paragraph("[Footnote 1: See above.]"));
  CHECK(is_note_paragraph("Transcriber's note: spelling kept."));
  CHECK_FALSE(is_note_paragraph("# Chapter One"));
  CHECK_FALSE(is_note_paragraph("#1 on the charts, they said."));
  CHECK_FALSE(is_note_paragraph("Warnings were given, but nobody listened."));
  CHECK_FALSE(is_note_paragraph("\"Genre: fluff,\" she said."));
  CHECK_FALSE(is_note_paragraph("Another day began."));

  const std::string text =
      "#tags and notes\nyah! [taeyong]\n\u2767 word count: 6.5k\n\u2767 warnings: none\n\n"
      "\u201CHi,\u201D she said.\nA/N: thanks for reading!\n";
  auto story = story_from_text(text, "s.txt");
  // The short line above the notes is the story's title, no longer a paragraph.
  CHECK(story.chapters[0].title == "yah! [taeyong]");
  CHECK(kinds_of(story) == std::vector<ParagraphKind>{ParagraphKind::Skipped,
                                                      ParagraphKind::Skipped,
                                                      ParagraphKind::Skipped, ParagraphKind::Text,
                                                      ParagraphKind::Skipped});
  ReadOptions read_notes;
  read_notes.read_notes = true;
  auto all = story_from_text(text, "s.txt", read_notes);
  for (auto kind : kinds_of(all)) CHECK(kind == ParagraphKind::Text);
}

TEST_CASE("reader: Project Gutenberg illustrations are skipped in wrapped text") {
  const std::string text =
      "It was a fine day, and the lane\nwas quiet.\n\n[Illustration: A VICARAGE\nHOUSE.]\n\n"
      "\"Come in,\" said she, and the door\nopened.\n";
  auto story = story_from_text(text, "book.txt");
  CHECK(kinds_of(story) == std::vector<ParagraphKind>{ParagraphKind::Text, ParagraphKind::Skipped,
                                                      ParagraphKind::Text});
}

// ---------------------------------------------------------------------------------------------
// End to end: prepare_story fills `say`, keeps `text`

TEST_CASE(
    "prepare_story: say uses the cast file's reader and --reader and [pronounce] but text stays") {
  ScratchDir dir("troupe-speakable");
  auto story =
      dir.write("s.txt",
                "\u2767 word count: 1k\n"
                "\u201CThanks, Y/N,\u201D Taeyong said. \u201CI\u2019m Y/L/N Y/N,\u201D you said.\n"
                "\u2726 \u2726 \u2726\n"
                "{{char}} smiled at the maknae.\n");
  dir.write("s.cast.toml",
            "main_character = \"Nam-jun\"\n[reader]\nname = \"Jiwoo\"\nlast_name = \"Kim\"\n"
            "[pronounce]\nTaeyong = \"[[t'eIj0N]]\"\n");
  PrepareOptions options;
  options.voices_dir = kSource + "/voices";
  auto says = [&](const PrepareOptions& o) {
    std::vector<std::pair<std::string, std::string>> out;  // text, say
    for (const auto& chapter : prepare_story(story, o).script.chapters)
      for (const auto& line : chapter.lines)
        if (line.kind != LineKind::Title) out.emplace_back(line.text, line.say);
    return out;
  };
  auto lines = says(options);
  REQUIRE(lines.size() == 7);
  CHECK(lines[0] == std::pair<std::string, std::string>{"\u2767 word count: 1k", ""});
  CHECK(lines[1] == std::pair<std::string, std::string>{"Thanks, Y/N,", "Thanks, Jiwoo,"});
  CHECK(lines[2].second == "[[t'eIj0N]] said.");
  CHECK(lines[3] ==
        std::pair<std::string, std::string>{"I\u2019m Y/L/N Y/N,", "I\u2019m Kim Jiwoo,"});
  CHECK(lines[5].second == "");  // the scene break is a pause
  CHECK(lines[6].second == "Nam-jun smiled at the [[m'A:kneI]].");

  options.reader_name = "Jamie";
  lines = says(options);
  CHECK(lines[1].second == "Thanks, Jamie,");

  options.read_notes = true;
  lines = says(options);
  CHECK(lines[0].second == "word count: one thousand");
}

}  // namespace troupe
