// Web pages through the real `troupe` binary: a Tumblr-like post and a FanFiction.net-like
// chapter page made from the sample stories give the quotations of their text files; page
// chrome (navigation, scripts, styles, comments, notes and reblogs, reviews) is never read;
// markup and entities are never spoken, even from a broken page; a Gutenberg-like HTML book
// has its chapters and no licence spoken.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "fuzz/fuzz_html_checks.h"
#include "source_tests.h"

namespace {

using namespace troupe_test::source_tests;
namespace fs = std::filesystem;

const char* const kSamples[] = {"000_6874ef4b4f612f50", "001_3cd6856fb4b86c2d",
                                "002_a9073757c4daf437"};

// Words of the page's chrome: none may be spoken.
const std::vector<std::string> kChromeWords = {
    "Dashboard",   "Archive",       "reblogged this from", "liked this", "var notes",
    "font-family", "Follow me",     "Leave a review",      "Rated: T",   "Sign up",
    "Privacy",     "hidden comment"};

std::string tumblr_page(const std::string& story_html) {
  return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>inkblot-writes</title>\n"
         "<style>body { font-family: serif; } .post { margin: 2em; }</style>\n"
         "<script>var notes = []; function load() { return \"Hello,\" + ' said the script'; }"
         "</script></head>\n<body>\n<div id=\"header\"><h1>inkblot-writes</h1>"
         "<nav><a href=\"/\">Dashboard</a> <a href=\"/archive\">Archive</a></nav></div>\n"
         "<div class=\"sidebar\"><p>Follow me for more fics! Requests are open.</p></div>\n"
         "<!-- a hidden comment \"said nobody\" -->\n"
         "<article class=\"post text-post\">\n<div class=\"post-body\">\n" +
         story_html +
         "</div>\n<div class=\"post-tags\"><a href=\"/tagged/fluff\">#fluff</a> "
         "<a href=\"/tagged/idol\">#idol au</a></div>\n"
         "<footer class=\"post-footer\">42 notes</footer>\n"
         "<ol class=\"notes\">\n<li><a href=\"/a\">moonlit-reader</a> reblogged this from "
         "<a href=\"/b\">inkblot-writes</a></li>\n<li><a href=\"/c\">sunny-days</a> liked "
         "this</li>\n"
         "<li><a href=\"/d\">fic-rec-blog</a> reblogged this from <a "
         "href=\"/b\">inkblot-writes</a> "
         "and added: \"I loved it,\" they said.</li>\n</ol>\n</article>\n"
         "<footer><a href=\"/privacy\">Privacy</a></footer>\n</body></html>\n";
}

std::string ffn_page(const std::string& story_html) {
  return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n<title>Story Chapter 1, a "
         "fanfic | FanFiction</title>\n<script>var storyid = 1; var title = \"Story\";</script>\n"
         "</head>\n<body>\n<div id=\"top\"><div class=\"menulink\"><a href=\"/login\">Login</a> | "
         "<a href=\"/signup\">Sign up</a></div></div>\n"
         "<div id=\"profile_top\"><b class=\"xcontrast_txt\">Story</b> By: <a href=\"/u/1\">author"
         "</a><div class=\"xcontrast_txt\">A summary of the story.</div>\n<span class=\"xgray\">"
         "Rated: T - English - Romance - Chapters: 1 - Words: 6,000</span></div>\n"
         "<span><select id=\"chap_select\"><option value=\"1\" selected>1. Chapter 1</option>"
         "</select></span>\n<div role=\"main\" id=\"storytextp\">\n<div class=\"storytext "
         "xcontrast_txt\" "
         "id=\"storytext\">\n" +
         story_html +
         "</div>\n</div>\n"
         "<div id=\"review\"><form><textarea>Leave a review</textarea><button>Post</button></form>"
         "</div>\n<div class=\"footer\"><a href=\"/privacy\">Privacy</a> | "
         "Help</div>\n</body></html>\n";
}

void check_page_like_text(std::string (*make_page)(const std::string&), const char* suffix) {
  for (const char* name : kSamples) {
    CAPTURE(name);
    const Scratch scratch("troupe-html");
    const std::string txt = kSourceDir + "/stories/" + name + ".txt";
    const std::string cast = kSourceDir + "/stories/" + name + ".cast.toml";
    const std::string page =
        scratch.write(std::string("page") + suffix,
                      make_page(troupe_test::html_paragraphs(troupe_test::read_text(txt))));
    const auto from_text = quotations_text(script_records(scratch, {txt, "--cast", cast}));
    const auto records = script_records(scratch, {page, "--cast", cast});
    CHECK(!from_text.empty());
    CHECK(quotations_text(records) == from_text);
    const std::string spoken = spoken_text(records);
    for (const std::string& words : kChromeWords) CHECK_MESSAGE(!holds(spoken, words), words);
    for (const char* markup : {"<", "&ldquo;", "&amp;", "class="})
      CHECK_FALSE(holds(spoken, markup));
  }
}

}  // namespace

TEST_CASE("html: a Tumblr-like post of each sample story gives its text's quotations") {
  check_page_like_text(&tumblr_page, ".html");
}

TEST_CASE(
    "html: a FanFiction.net-like chapter page of each sample story gives its text's quotations") {
  // Saved as .txt: a page is known by its opening <!DOCTYPE html>, whatever its name.
  check_page_like_text(&ffn_page, ".txt");
}

TEST_CASE("html: a Gutenberg-like HTML book reads its chapters, not its licence or contents") {
  const Scratch scratch("troupe-html");
  const std::string book = scratch.write(
      "book.htm",
      "<html><head><title>The Project Gutenberg eBook of The Tin Kettle</title></head><body>\n"
      "<section id=\"pg-header\" class=\"pg-boilerplate\"><p>This eBook is for the use of anyone "
      "anywhere in the United States.</p></section>\n"
      "<h1>THE TIN KETTLE</h1>\n<p class=\"center\">by Ann Writer</p>\n<h2>CONTENTS</h2>\n"
      "<p><a href=\"#c1\">CHAPTER I. The Kettle</a></p>\n<p><a href=\"#c2\">CHAPTER II. The "
      "Lid</a></p>\n"
      "<h2 id=\"c1\">CHAPTER I.</h2>\n<h3>The Kettle</h3>\n<p>&ldquo;It whistles,&rdquo; said "
      "Mark.</p>\n"
      "<p>Ann laughed. &ldquo;It always has,&rdquo; she said.</p>\n"
      "<h2 id=\"c2\">CHAPTER II.</h2>\n<h3>The Lid</h3>\n<p>&ldquo;Where is the lid?&rdquo; asked "
      "Ann.</p>\n"
      "<p class=\"pg-boilerplate\">*** END OF THE PROJECT GUTENBERG EBOOK THE TIN KETTLE ***</p>\n"
      "<section id=\"pg-footer\" class=\"pg-boilerplate\"><p>Project Gutenberg License "
      "terms.</p></section>\n"
      "</body></html>\n");
  const auto records = script_records(scratch, {book});
  CHECK(records_of_kind(records, "title") ==
        std::vector<std::string>{"CHAPTER I. The Kettle", "CHAPTER II. The Lid"});
  const auto quotes = quotation_records(records);
  REQUIRE(quotes.size() == 3);
  CHECK(quotes[0] == std::pair<std::string, std::string>{"Mark", "It whistles,"});
  CHECK(quotes[1].first == "Ann");
  const std::string spoken = spoken_text(records);
  for (const char* words : {"United States", "License", "END OF THE PROJECT", "CONTENTS"})
    CHECK_MESSAGE(!holds(spoken, words), words);
}

TEST_CASE("html: a malformed page never crashes and never speaks markup") {
  const Scratch scratch("troupe-html");
  const std::string page = scratch.write(
      "broken.html",
      "<html><body><div class=\"story\"><p class=\"x>\"Run,\" said Mark.\n<p>Ann ran. <i>Fast"
      "<p>&amp;ldquo;Wait!&amp;rdquo; she called. &lt;p class=&quot;note&quot;&gt;</p>"
      "<p>\"Keep going,\" said Mark. <b><i>Now</b></i> & then < 3 times.</p>\n"
      "<table><tr><td>\"Here,\" said Ann.<td></table><p>&bogus; &#xD800; &#99999999;</p>"
      "<!-- unterminated comment \"no words\"");
  const auto records = script_records(scratch, {page});
  const std::string spoken = spoken_text(records);
  CHECK(holds(spoken, "Wait!"));
  CHECK(holds(spoken, "Keep going,"));
  for (const char* markup : {"<p", "class=", "&amp;", "&ldquo;", "&quot;", "</", "unterminated"})
    CHECK_MESSAGE(!holds(spoken, markup), markup);
}

TEST_CASE("html: a Windows-1252 page that says so is read in its encoding") {
  const Scratch scratch("troupe-html");
  const std::string page = scratch.write(
      "old.html",
      "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\">"
      "</head><body><p>\x93I'm here,\x94 said Mark. \x93"
      "Caf\xe9?\x94</p></body></html>");
  const auto quotes = quotation_records(script_records(scratch, {page}));
  REQUIRE(quotes.size() == 2);
  CHECK(quotes[0] == std::pair<std::string, std::string>{"Mark", "I'm here,"});
  CHECK(quotes[1].second == "Caf\u00e9?");
}

TEST_CASE("html: a page with no story text is bad input, one line naming it") {
  const Scratch scratch("troupe-html");
  const std::string page = scratch.write("empty.html", "<html><body><nav>Home</nav></body></html>");
  const troupe_test::Run run = troupe_test::troupe(scratch, {"script", page});
  CHECK(run.code == 2);
  CHECK(run.err == "troupe: " + page + ": no story text in the page\n");
}

// Every HTML fuzz corpus file and crash reproducer runs through the fuzz target's code.
TEST_CASE("html: the fuzz corpus and crash inputs read and attribute, markup never kept") {
  int count = 0;
  for (const char* kind : {"corpus", "regressions"}) {
    const fs::path dir = fs::path(kSourceDir) / "tests" / "fuzz" / kind / "html";
    if (!fs::is_directory(dir)) continue;
    for (const auto& entry : fs::directory_iterator(dir)) {
      CAPTURE(entry.path().string());
      CHECK_NOTHROW(troupe::fuzz::run_html_input(troupe_test::read_text(entry.path())));
      ++count;
    }
  }
  CHECK(count > 0);
}
