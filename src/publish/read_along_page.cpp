// BOOK.html: one page, no network and no build step, that plays the chapter files beside it
// and highlights the span being read. Its timings are inline (a JSON script element), so it
// works when opened from file://.
#include <cmath>
#include <nlohmann/json.hpp>

#include "publish/read_along.h"
#include "publish/read_along_markup.h"
#include "render/hash.h"

namespace troupe {
namespace {

constexpr const char* kPageStyle = R"CSS(
* { box-sizing: border-box; }
body { margin: 0; font: 18px/1.6 Georgia, "DejaVu Serif", serif; color: #222; background: #fbfaf7; }
header { position: sticky; top: 0; z-index: 2; display: flex; flex-wrap: wrap; gap: .6em 1em;
  align-items: center; padding: .6em 1em; background: #fff; border-bottom: 1px solid #ddd;
  font: 15px/1.3 system-ui, sans-serif; }
header h1 { font-size: 17px; margin: 0 1em 0 0; }
header .author { color: #666; font-weight: normal; }
header button, header select { font: inherit; padding: .25em .7em; }
#time { font-variant-numeric: tabular-nums; color: #555; min-width: 7em; }
.layout { display: flex; align-items: flex-start; }
nav { position: sticky; top: 3.5em; width: 15em; flex: none; max-height: calc(100vh - 4em);
  overflow: auto; padding: 1em; font: 14px/1.4 system-ui, sans-serif; }
nav ol { padding-left: 1.4em; margin: 0 0 1em; }
nav a { color: #335; text-decoration: none; cursor: pointer; }
nav li.current a { font-weight: bold; }
.legend span { display: inline-block; margin: 0 .3em .3em 0; padding: 0 .4em; border-radius: 3px; }
main { max-width: 40em; padding: 1em 2em 50vh; }
main h1 { font-size: 1.4em; text-align: center; }
hr.scene-break { border: none; text-align: center; margin: 1.5em 0; }
hr.scene-break::after { content: "* * *"; color: #888; }
span[data-start] { cursor: pointer; border-radius: 3px; transition: background-color .15s; }
span[data-start]:hover { text-decoration: underline dotted #aaa; }
.troupe-active { background-color: #fff0a0; }
@media (max-width: 700px) { nav { display: none; } main { padding: 1em; } }
)CSS";

constexpr const char* kPageScript = R"JS(
(function () {
  "use strict";
  const book = JSON.parse(document.getElementById("timings").textContent);
  const audio = document.getElementById("player");
  const playButton = document.getElementById("play");
  const speed = document.getElementById("speed");
  const clock = document.getElementById("time");
  const storeKey = "troupe-read-along:" + book.id;
  let chapter = -1, active = null, saved = 0;

  function format(t) {
    t = Math.max(0, Math.floor(t));
    const s = t % 60, m = Math.floor(t / 60) % 60, h = Math.floor(t / 3600);
    return (h ? h + ":" + String(m).padStart(2, "0") : m) + ":" + String(s).padStart(2, "0");
  }
  // The span being spoken at time t of chapter c: the last one begun, while it lasts.
  function spanAt(c, t) {
    const spans = book.chapters[c].spans;
    let lo = 0, hi = spans.length - 1, found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (spans[mid][1] <= t) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    return found >= 0 && t < spans[found][2] ? spans[found][0] : null;
  }
  function highlight() {
    if (chapter < 0) return;
    const id = spanAt(chapter, audio.currentTime);
    const element = id ? document.getElementById(id) : null;
    if (element !== active) {
      if (active) active.classList.remove("troupe-active");
      if (element) {
        element.classList.add("troupe-active");
        const box = element.getBoundingClientRect();
        if (box.top < 60 || box.bottom > window.innerHeight - 20)
          element.scrollIntoView({ block: "center", behavior: audio.paused ? "auto" : "smooth" });
      }
      active = element;
    }
    clock.textContent = format(audio.currentTime) + " / " + format(book.chapters[chapter].duration);
    playButton.textContent = audio.paused ? "\u25B6 Play" : "\u275A\u275A Pause";
  }
  function save(force) {
    const now = Date.now();
    if (!force && now - saved < 1000) return;
    saved = now;
    try {
      localStorage.setItem(storeKey, JSON.stringify(
        { chapter: chapter, time: audio.currentTime, rate: audio.playbackRate }));
    } catch (e) { /* storage off: the place is not kept */ }
  }
  // Plays (or, with play false, stands at) time t of chapter c.
  function go(c, t, play) {
    const seek = function () {
      audio.currentTime = t;
      if (play) audio.play().catch(function () {});
      highlight();
    };
    if (c !== chapter) {
      chapter = c;
      document.querySelectorAll("nav li").forEach(function (li, i) {
        li.classList.toggle("current", i === c);
      });
      audio.src = encodeURI(book.chapters[c].audio);
      audio.addEventListener("loadedmetadata", seek, { once: true });
      audio.load();
    } else {
      seek();
    }
  }
  document.querySelector("main").addEventListener("click", function (event) {
    const span = event.target.closest("span[data-start]");
    if (!span) return;
    const section = span.closest("section");
    go(Number(section.dataset.index), Number(span.dataset.start), true);
  });
  document.querySelectorAll("nav li a").forEach(function (link, i) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      document.getElementById("chapter-" + i).scrollIntoView();
      go(i, 0, !audio.paused);
    });
  });
  playButton.addEventListener("click", function () {
    if (chapter < 0) go(0, 0, true);
    else if (audio.paused) audio.play().catch(function () {});
    else audio.pause();
  });
  speed.addEventListener("change", function () {
    audio.playbackRate = Number(speed.value);
    save(true);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== " " || event.target.closest("select, button")) return;
    event.preventDefault();
    playButton.click();
  });
  audio.addEventListener("ratechange", function () { speed.value = String(audio.playbackRate); });
  ["timeupdate", "seeked", "play", "pause"].forEach(function (name) {
    audio.addEventListener(name, function () { highlight(); save(name !== "timeupdate"); });
  });
  audio.addEventListener("ended", function () {
    if (chapter + 1 < book.chapters.length) go(chapter + 1, 0, true);
  });
  (function tick() {  // smoother than timeupdate alone
    if (!audio.paused) highlight();
    requestAnimationFrame(tick);
  })();

  let place = null;
  try { place = JSON.parse(localStorage.getItem(storeKey)); } catch (e) { place = null; }
  if (place && place.chapter >= 0 && place.chapter < book.chapters.length) {
    audio.playbackRate = audio.defaultPlaybackRate = Number(place.rate) || 1;
    speed.value = String(audio.playbackRate);
    go(place.chapter, Number(place.time) || 0, false);
  } else if (book.chapters.length) {
    go(0, 0, false);
  }
  window.troupeReadAlong = { audio: audio, go: go };
})();
)JS";

// The timings the script needs, as JSON safe inside a <script> element.
std::string timings_json(const ReadAlongBook& book) {
  nlohmann::ordered_json json;
  Hasher hasher;
  hasher.add(book.identifier);
  json["id"] = hasher.hex().substr(0, 16);
  json["chapters"] = nlohmann::ordered_json::array();
  for (const ReadAlongChapter& chapter : book.chapters) {
    nlohmann::ordered_json spans = nlohmann::ordered_json::array();
    for (const ReadAlongSpan& span : chapter.spans)
      spans.push_back(
          {span.id, std::round(span.start * 1000) / 1000, std::round(span.end * 1000) / 1000});
    json["chapters"].push_back({{"title", without_italic_marks(chapter.title)},
                                {"audio", chapter.audio},
                                {"duration", std::round(chapter.duration * 1000) / 1000},
                                {"spans", std::move(spans)}});
  }
  std::string text = json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  for (std::size_t at = 0; (at = text.find("</", at)) != std::string::npos; at += 3)
    text.replace(at, 2, "<\\/");
  return text;
}

void write_header(Markup& out, const ReadAlongBook& book) {
  out.open("header").raw("\n").open("h1").text(without_italic_marks(book.title));
  if (!book.author.empty())
    out.raw(" ").open("span").attribute("class", "author").text("by " + book.author).close();
  out.close().raw("\n");
  out.open("button").attribute("id", "play").attribute("type", "button");
  out.text("\u25B6 Play").close().raw("\n");
  out.open("label").text("Speed ").open("select").attribute("id", "speed");
  for (const char* rate : {"0.75", "1", "1.25", "1.5", "1.75", "2"}) {
    out.open("option").attribute("value", rate);
    if (std::string(rate) == "1") out.attribute("selected", "selected");
    out.text(std::string(rate) + "\u00D7").close();
  }
  out.close().close().raw("\n");
  out.open("span").attribute("id", "time").close().raw("\n").close().raw("\n");
}

void write_nav(Markup& out, const ReadAlongBook& book) {
  out.open("nav").raw("\n").open("ol").raw("\n");
  for (std::size_t c = 0; c < book.chapters.size(); ++c)
    out.open("li")
        .open("a")
        .attribute("href", "#chapter-" + std::to_string(c))
        .text(without_italic_marks(book.chapters[c].title))
        .close()
        .close()
        .raw("\n");
  out.close().raw("\n").open("div").attribute("class", "legend");
  for (const ReadAlongSpeaker& speaker : book.speakers)
    out.open("span")
        .attribute("style", "background-color: " + speaker.colour)
        .text(speaker.name)
        .close();
  out.close().raw("\n").close().raw("\n");
}

}  // namespace

std::string read_along_html(const ReadAlongBook& book) {
  Markup out(Markup::Syntax::kHtml);
  out.doctype().open("html").attribute("lang", book.language).raw("\n").open("head").raw("\n");
  out.open("meta").attribute("charset", "utf-8").close().raw("\n");
  out.open("meta")
      .attribute("name", "viewport")
      .attribute("content", "width=device-width, initial-scale=1")
      .close()
      .raw("\n");
  out.element("title", without_italic_marks(book.title)).raw("\n");
  // The stylesheet and the script are troupe's own; the timings are JSON with every "</"
  // escaped (timings_json), so none of them can end its element early.
  out.open("style").raw(kPageStyle).raw(speaker_css(book, "troupe-active")).close().raw("\n");
  out.close().raw("\n").open("body").raw("\n");
  write_header(out, book);
  out.open("div").attribute("class", "layout").raw("\n");
  write_nav(out, book);
  out.open("main").raw("\n");
  for (std::size_t c = 0; c < book.chapters.size(); ++c) {
    out.open("section")
        .attribute("id", "chapter-" + std::to_string(c))
        .attribute("data-index", std::to_string(c))
        .raw("\n");
    write_chapter(out, book.chapters[c], false, true);
    out.close().raw("\n");
  }
  out.close().raw("\n").close().raw("\n");
  out.open("audio").attribute("id", "player").attribute("preload", "metadata").close().raw("\n");
  out.open("script").attribute("type", "application/json").attribute("id", "timings");
  out.raw(timings_json(book)).close().raw("\n");
  out.open("script").raw(kPageScript).close().raw("\n").close().raw("\n").close().raw("\n");
  return out.str();
}

}  // namespace troupe
