"""Helpers for the browser tests: host sites on other origins, a live `qa serve`, and the widget as a reader sees it."""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import threading
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qa.bench.live import LiveServer, free_port

__all__ = ["free_port"]

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
# Playwright's own browser download is unavailable offline; these keep Debian's Chromium quiet and local.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# How long any step may take before it counts as failed: generous, so that a machine whose cores are busy with
# other work (CI beside other jobs) is slow but never wrong. Nothing waits this long when things work.
PATIENCE_MS = 120_000
VIEWPORTS: dict[str, dict[str, Any]] = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
}
# A document whose text is markup: the widget and the view page must show it, never run it.
MARKUP_DOCUMENT = """\
Harbour museum reopens
By Jane Doe

The Port Elsworth harbour museum reopened on 14 May after a year of repairs to its roof and its lighthouse gallery.

For a week the museum's guestbook page showed a prankster's entry, <script>window.__pwned=1</script> and \
<img src=x onerror="window.__pwned=1">, until volunteers spotted it and removed it on 16 May.
"""
# Hostile CSS on purpose: the widget's shadow DOM must keep its own look.
HOST_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>A reader's site</title>
<style>body {{ font: 18px Georgia, serif; margin: 40px; }} button {{ all: unset; }} * {{ color: #c00 !important; }}</style>
</head><body>
<h1>A site that embeds the widget</h1>
<p>This page lives on another origin, and its own CSS must not leak into the widget.</p>
<script src="{endpoint}/widget.js" data-endpoint="{endpoint}"{attributes} defer></script>
</body></html>
"""


def browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is missing (pip install playwright)"
    return None


@contextmanager
def static_site(folder: Path) -> Iterator[str]:
    """Serve `folder` from a thread on a port of its own, so its pages are another origin; yields the URL."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def make_corpus(folder: Path) -> Path:
    """The repository's corpus plus the markup document."""
    for path in (ROOT / "corpus").glob("*.txt"):
        shutil.copy(path, folder)
    (folder / "900_markup.txt").write_text(MARKUP_DOCUMENT, encoding="utf-8")
    return folder


def qa_serve(corpus: Path, index: Path, log: Path, *, port: int, cors_origins: str) -> LiveServer:
    """A real `qa serve` subprocess (it builds the index first), allowing the given origins."""
    environment = {**os.environ, "QA_CORS_ORIGINS": cors_origins}
    return LiveServer(corpus, index, port=port, environment=environment, log=log)


@dataclass(frozen=True)
class Live:
    url: str  # the qa service; its demo page is at url + "/"
    embed_url: str  # a page on an origin in QA_CORS_ORIGINS, with the one script tag
    foreign_url: str  # the same page on an origin that is not allowed


@dataclass
class Widget:
    """The widget on one page, driven as a reader would; `errors` collects the page's script errors."""

    page: Any
    name: str
    errors: list[str] = field(default_factory=list)

    def launcher(self) -> Any:
        return self.page.locator("qa-widget .launcher")

    def panel(self) -> Any:
        return self.page.get_by_role("dialog", name="Ask the documents")

    def question_box(self) -> Any:
        return self.page.get_by_role("textbox", name="Your question")

    def open(self) -> None:
        from playwright.sync_api import expect

        self.launcher().click()
        expect(self.panel()).to_be_visible()
        expect(self.question_box()).to_be_focused()

    def ask(self, question: str) -> Any:
        """Type the question, press Enter, and return the answer once it has arrived."""
        from playwright.sync_api import expect

        box = self.question_box()
        box.fill(question)
        box.press("Enter")
        answer = self.page.locator("qa-widget .a").last
        expect(answer.locator(".loading")).to_have_count(0, timeout=PATIENCE_MS)
        expect(answer).not_to_be_empty()
        return answer

    def screenshot(self, what: str, page: Any = None) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{self.name}-{what}.png"
        (page or self.page).screenshot(path=str(path))
        return path


@contextmanager
def widget_page(browser: Any, url: str, viewport: str, name: str) -> Iterator[Widget]:
    """A fresh browser context at `viewport` showing `url`, once the widget's launcher is there."""
    context = browser.new_context(**VIEWPORTS[viewport])
    try:
        page = context.new_page()
        widget = Widget(page, name)
        page.on("pageerror", lambda error: widget.errors.append(str(error)))
        context.set_default_timeout(PATIENCE_MS)
        page.goto(url)
        try:
            widget.launcher().wait_for()
        except Exception as error:
            raise AssertionError(
                f"the widget did not appear on {url}; page errors: {widget.errors}"
            ) from error
        yield widget
    finally:
        context.close()


def ask_api(url: str, question: str) -> dict:
    """The /ask response for `question`, straight from the API (what the widget should show)."""
    request = urllib.request.Request(
        f"{url}/ask",
        data=json.dumps({"question": question}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)
