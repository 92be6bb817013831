#!/usr/bin/env python3
"""Drives a real headless Chromium on a read-along page (BOOK.html) for tests/test_read_along.cpp.

    read_along_browser.py CHROMIUM PAGE.html STEP...

Steps, run in order:
    seek:SECONDS        stand the audio at SECONDS of the chapter playing, wait for it to
                        settle, and report the highlighted element (id, class)
    click:ID            a real mouse click (DevTools Input events) on the element with id ID,
                        then report where the audio stands once it has moved
    wait:SECONDS        let the page be for SECONDS (a highlight fades in over 0.15 s)
    screenshot:PATH     a PNG of the page as it is

Prints one JSON object per step, one per line: {"step": ..., ...}. Exits 1 with a message on
stderr when Chromium cannot be driven.

Chromium is driven through its DevTools protocol over --remote-debugging-pipe (file
descriptors 3 and 4, messages ended by NUL), so nothing but Python's standard library is needed.
"""

import base64
import fcntl
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

TIMEOUT = 30.0


class Browser:
    def __init__(self, chromium, profile):
        to_browser_read, to_browser_write = os.pipe()
        from_browser_read, from_browser_write = os.pipe()
        # Out of the way of 3 and 4, where the child needs them.
        keep_in = fcntl.fcntl(to_browser_read, fcntl.F_DUPFD, 10)
        keep_out = fcntl.fcntl(from_browser_write, fcntl.F_DUPFD, 10)

        def give_pipes():
            os.dup2(keep_in, 3)
            os.dup2(keep_out, 4)

        self.process = subprocess.Popen(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--mute-audio",
             "--no-first-run", "--no-default-browser-check", "--disable-extensions",
             "--autoplay-policy=no-user-gesture-required", "--remote-debugging-pipe",
             "--user-data-dir=" + profile, "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=give_pipes, pass_fds=(3, 4, keep_in, keep_out))
        for fd in (to_browser_read, from_browser_write, keep_in, keep_out):
            os.close(fd)
        self.out = os.fdopen(to_browser_write, "wb")
        self.inp = os.fdopen(from_browser_read, "rb")
        self.buffer = b""
        self.next_id = 0
        self.session = None

    def send(self, method, params=None, session=True):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        self.out.write(json.dumps(message).encode() + b"\0")
        self.out.flush()
        while True:
            reply = self.receive()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(method + ": " + json.dumps(reply["error"]))
                return reply.get("result", {})

    def receive(self):
        while b"\0" not in self.buffer:
            chunk = self.inp.read1(65536)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def evaluate(self, expression):
        result = self.send("Runtime.evaluate", {"expression": expression, "awaitPromise": True,
                                                "returnByValue": True})
        if "exceptionDetails" in result:
            raise RuntimeError("page: " + json.dumps(result["exceptionDetails"])[:400])
        return result["result"].get("value")

    def open(self, url):
        target = self.send("Target.createTarget", {"url": "about:blank"}, session=False)
        attached = self.send("Target.attachToTarget",
                             {"targetId": target["targetId"], "flatten": True}, session=False)
        self.session = attached["sessionId"]
        self.send("Page.enable")
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": 1100, "height": 720, "deviceScaleFactor": 1, "mobile": False})
        self.send("Page.navigate", {"url": url})
        deadline = time.time() + TIMEOUT
        while time.time() < deadline:
            ready = self.evaluate("document.readyState === 'complete' && !!window.troupeReadAlong"
                                  " && troupeReadAlong.audio.readyState >= 1")
            if ready:
                return
            time.sleep(0.1)
        raise RuntimeError("the page did not load its audio within %d s" % TIMEOUT)

    def close(self):
        try:
            self.send("Browser.close", session=False)
        except (RuntimeError, OSError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


SEEK = """new Promise((resolve) => {
  const audio = troupeReadAlong.audio;
  audio.pause();
  audio.addEventListener("seeked", () => requestAnimationFrame(() => {
    const active = document.querySelectorAll(".troupe-active");
    resolve({time: audio.currentTime, count: active.length,
             id: active.length ? active[0].id : null,
             class: active.length ? active[0].className : null,
             text: active.length ? active[0].textContent : null});
  }), {once: true});
  audio.currentTime = %f;
})"""

CENTRE = """(() => {
  const element = document.getElementById(%s);
  element.scrollIntoView({block: "center"});
  const box = element.getClientRects()[0];
  return {x: box.left + Math.min(box.width / 2, 20), y: box.top + box.height / 2,
          start: Number(element.dataset.start)};
})()"""

# Waits for the audio to stand within a second of start (a click seeks, then plays on).
SETTLE = """new Promise((resolve) => {
  const audio = troupeReadAlong.audio, began = Date.now();
  (function check() {
    if ((!audio.seeking && Math.abs(audio.currentTime - %f) < 1) || Date.now() - began > 10000)
      resolve({time: audio.currentTime, paused: audio.paused,
               src: decodeURIComponent(audio.currentSrc.split("/").pop())});
    else setTimeout(check, 20);
  })();
})"""


def run(browser, step):
    kind, _, argument = step.partition(":")
    if kind == "seek":
        return browser.evaluate(SEEK % float(argument))
    if kind == "click":
        centre = browser.evaluate(CENTRE % json.dumps(argument))
        for event in ("mousePressed", "mouseReleased"):
            browser.send("Input.dispatchMouseEvent", {"type": event, "x": centre["x"],
                         "y": centre["y"], "button": "left", "clickCount": 1})
        settled = browser.evaluate(SETTLE % centre["start"])
        settled["start"] = centre["start"]
        return settled
    if kind == "wait":
        time.sleep(float(argument))
        return {}
    if kind == "screenshot":
        shot = browser.send("Page.captureScreenshot", {"format": "png"})
        pathlib.Path(argument).write_bytes(base64.b64decode(shot["data"]))
        return {"path": argument}
    raise RuntimeError("unknown step " + step)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    chromium, page, steps = sys.argv[1], pathlib.Path(sys.argv[2]).resolve(), sys.argv[3:]
    profile = tempfile.mkdtemp(prefix="troupe-chromium-")
    browser = Browser(chromium, profile)
    try:
        browser.open(page.as_uri())
        for step in steps:
            result = run(browser, step)
            result["step"] = step
            print(json.dumps(result), flush=True)
    except RuntimeError as error:
        print("read_along_browser: " + str(error), file=sys.stderr)
        return 1
    finally:
        browser.close()
        shutil.rmtree(profile, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
