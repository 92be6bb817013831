// Archive of Our Own downloads for the tests, in the markup of AO3's download templates
// (otwcode/otwarchive app/views/downloads/: show, _download_preface, _download_chapter,
// _download_afterword, in the barebones layout), filled with the tests' own text: the HTML
// download, and the EPUB as calibre makes it from that HTML (a document for the preface, one
// per chapter, one for the afterword; classes renamed "userstuff1", "meta1" as calibre's
// stylesheet flattening does).
#pragma once

#include <string>
#include <vector>

#include "epub_builder.h"

namespace troupe_test {

struct Ao3Chapter {
  std::string title;  // as AO3 writes it: "Chapter 1: Arrival", "Chapter 3"
  std::string text;   // the chapter's markup
  std::string summary = {}, notes = {}, end_notes = {};
};

struct Ao3Work {
  std::string title = "The Lantern Keeper", author = "quietquill";
  std::string fandom = "Original Work", series = "Harbour Lights", series_part = "2";
  std::vector<std::string> characters;
  std::string summary = "Moths gather where the lamp burns late.";
  std::string notes = "Written for the autumn exchange, betaed by a patient friend.";
  std::string end_notes = "Kudos and comments feed the lighthouse cat.";
  std::vector<Ao3Chapter> chapters;

  std::string tags() const {
    std::string dl =
        "<dl class=\"tags\">\n<dt>Rating:</dt>\n<dd><a href=\"#r\">General Audiences</a></dd>\n"
        "<dt>Archive Warning:</dt>\n<dd><a href=\"#w\">No Archive Warnings Apply</a></dd>\n"
        "<dt>Fandom:</dt>\n<dd><a href=\"#f\">" +
        xml_escaped(fandom) + "</a></dd>\n";
    if (!characters.empty()) {
      dl += std::string("<dt>") + (characters.size() == 1 ? "Character" : "Characters") +
            ":</dt>\n<dd>";
      for (std::size_t i = 0; i < characters.size(); ++i)
        dl +=
            (i ? ", " : "") + std::string("<a href=\"#c\">") + xml_escaped(characters[i]) + "</a>";
      dl += "</dd>\n";
    }
    dl +=
        "<dt>Additional Tags:</dt>\n<dd><a href=\"#t\">Fluff</a>, <a href=\"#t\">Slow "
        "Burn</a></dd>\n"
        "<dt>Language:</dt>\n<dd>English</dd>\n";
    if (!series.empty())
      dl += "<dt>Series:</dt>\n<dd>Part " + series_part + " of <a href=\"#s\">" +
            xml_escaped(series) + "</a></dd>\n";
    return dl + "<dt>Stats:</dt>\n<dd>\nPublished: 2024-03-01\nWords: 1,234\nChapters: " +
           std::to_string(chapters.size()) + "/" + std::to_string(chapters.size()) +
           "\n</dd>\n</dl>\n";
  }

  std::string preface(const std::string& c = "") const {
    return "<div id=\"preface\">\n<h2 class=\"toc-heading\">Preface</h2>\n<p class=\"message" + c +
           "\">\n<b>" + xml_escaped(title) +
           "</b><br/>\nPosted originally on the <a href=\"https://archiveofourown.org/\">Archive "
           "of Our Own</a> at <a "
           "href=\"https://archiveofourown.org/works/1\">https://archiveofourown.org/works/1</"
           "a>.\n</p>\n"
           "<div class=\"meta" +
           c + "\">\n" + tags() + "<h1>" + xml_escaped(title) + "</h1>\n<div class=\"byline" + c +
           "\">by <a rel=\"author\" href=\"#a\">" + xml_escaped(author) +
           "</a></div>\n<p>Summary</p>\n<blockquote class=\"userstuff" + c + "\"><p>" +
           xml_escaped(summary) + "</p></blockquote>\n<p>Notes</p>\n<blockquote class=\"userstuff" +
           c + "\"><p>" + xml_escaped(notes) + "</p></blockquote>\n<div class=\"endnote-link" + c +
           "\">See the end of the work for more "
           "<a href=\"#endnotes\">notes</a></div>\n</div>\n</div>\n";
  }

  std::string chapter(std::size_t i, const std::string& c = "") const {
    const Ao3Chapter& ch = chapters[i];
    const std::string n = std::to_string(i + 1);
    std::string html = "<div class=\"meta" + c + " group\">\n<h2 class=\"heading" + c + "\">" +
                       xml_escaped(ch.title) + "</h2>\n";
    if (!ch.summary.empty())
      html += "<p>Chapter Summary</p>\n<blockquote class=\"userstuff" + c + "\"><p>" +
              xml_escaped(ch.summary) + "</p></blockquote>\n";
    if (!ch.notes.empty() || !ch.end_notes.empty()) html += "<p>Chapter Notes</p>\n";
    if (!ch.notes.empty())
      html += "<blockquote class=\"userstuff" + c + "\"><p>" + xml_escaped(ch.notes) +
              "</p></blockquote>\n";
    if (!ch.end_notes.empty())
      html += "<div class=\"endnote-link" + c +
              "\">See the end of the chapter for "
              "<a href=\"#endnotes" +
              n + "\">more notes</a></div>\n";
    html += "</div>\n\n<!--chapter content-->\n<div class=\"userstuff" + c + "\">\n" + ch.text +
            "\n</div>\n<!--/chapter content-->\n";
    if (!ch.end_notes.empty())
      html += "<div class=\"meta" + c + "\" id=\"endnotes" + n +
              "\">\n<p>Chapter End Notes</p>\n"
              "<blockquote class=\"userstuff" +
              c + "\"><p>" + xml_escaped(ch.end_notes) + "</p></blockquote>\n</div>\n";
    return html;
  }

  std::string afterword(const std::string& c = "") const {
    return "<div id=\"afterword\">\n<h2 class=\"toc-heading" + c +
           "\">Afterword</h2>\n<div class=\"meta" + c +
           "\">\n<div id=\"endnotes\">\n<p>End Notes</p>\n<blockquote class=\"userstuff" + c +
           "\"><p>" + xml_escaped(end_notes) +
           "</p></blockquote>\n</div>\n</div>\n<p class=\"message" + c +
           "\">Please drop by the Archive and comment to let the creator know if you enjoyed "
           "their work!</p>\n</div>\n";
  }

  // The chapters' part of show.html.erb: per chapter, or a bare userstuff for one chapter.
  std::string chapters_html(const std::string& c = "") const {
    std::string html = "<div id=\"chapters\" class=\"userstuff" + c + "\">\n";
    if (chapters.size() == 1)
      return html + "<div class=\"userstuff" + c + "\">\n" + chapters[0].text +
             "\n</div>\n</div>\n";
    for (std::size_t i = 0; i < chapters.size(); ++i) html += chapter(i, c);
    return html + "</div>\n";
  }

  std::string html() const {
    return "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\" "
           "\"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd\">\n"
           "<html xmlns=\"http://www.w3.org/1999/xhtml\" xml:lang=\"en\" lang=\"en\">\n<head>\n"
           "<meta charset=\"utf-8\" />\n<title>" +
           xml_escaped(title) + " - " + xml_escaped(author) +
           "</title>\n<style type=\"text/css\">\np.message { text-align: center; }\n"
           ".meta dl.tags { border: 1px solid; padding: 1em; }\n</style>\n</head>\n<body>\n" +
           preface() + "\n" + chapters_html() + "\n" + afterword() + "\n</body>\n</html>\n";
  }

  // As calibre splits the HTML: the preface, each chapter (its ancestors repeated), the
  // afterword, each a document of its own.
  EpubBook epub() const {
    EpubBook book;
    book.title = title;
    book.author = author;
    book.series = series;
    book.series_index = series_part;
    book.documents.push_back({"preface.xhtml", xhtml(title, preface("1")), "Preface"});
    if (chapters.size() == 1) {
      book.documents.push_back({"chapters.xhtml", xhtml(title, chapters_html("1")), title});
    } else {
      for (std::size_t i = 0; i < chapters.size(); ++i)
        book.documents.push_back(
            {"chapter" + std::to_string(i + 1) + ".xhtml",
             xhtml(title, "<div class=\"userstuff1\">\n" + chapter(i, "1") + "</div>"),
             chapters[i].title});
    }
    book.documents.push_back({"afterword.xhtml", xhtml(title, afterword("1")), "Afterword"});
    return book;
  }
};

}  // namespace troupe_test
