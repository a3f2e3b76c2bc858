"""The chat widget in Chromium, on the demo page and on another origin, at desktop and phone sizes."""

from __future__ import annotations

import json
import re
import urllib.request
from typing import Any

import pytest

from .support import Live, Widget, ask_api, widget_page

pytestmark = pytest.mark.browser

SCRIPT_TEXT = "<script>window.__pwned=1</script>"
IMG_TEXT = '<img src=x onerror="window.__pwned=1">'
NO_ANSWER = "couldn’t find a confident answer"
QUESTION = "when was the deadline?"
SHOWN = 3  # the widget opens each answer with this many passages
MARKUP_QUESTION = "What did the prankster write in the harbour museum guestbook?"


def expect(target: Any) -> Any:
    from playwright.sync_api import expect

    return expect(target)


def highlighted(result: dict) -> str:
    span = result["highlight"]
    return result["text"][span["start"] : span["end"]]


def place(c: dict) -> str:
    lines = (
        f"line {c['line_start']}"
        if c["line_start"] == c["line_end"]
        else f"lines {c['line_start']}–{c['line_end']}"
    )
    return f"{c['source']}, {lines}"


def assert_fits(widget: Widget) -> None:
    """Nothing in the panel is wider than the screen: no sideways scrolling on a phone."""
    width = widget.page.viewport_size["width"]
    overflow = widget.page.evaluate(
        """(width) => [...document.querySelector('qa-widget').shadowRoot.querySelectorAll('.panel *')]
             .filter(el => el.getBoundingClientRect().right > width + 1).map(el => el.className || el.tagName)""",
        width,
    )
    assert overflow == []


def test_answers_with_highlighted_cited_passages(widget: Widget, live: Live) -> None:
    widget.open()
    answer = widget.ask(QUESTION)

    expect(answer.get_by_text(NO_ANSWER)).to_have_count(0)
    hit = answer.locator("li.result", has_text="July 20").first
    expect(hit).to_be_visible()
    # What the reader sees is exactly what the API says: highlighted span, source and lines, in rank order.
    expected = ask_api(live.url, QUESTION)["results"][:SHOWN]
    results = answer.locator("li.result")
    expect(results).to_have_count(len(expected))
    assert results.locator("mark").all_text_contents() == [highlighted(r) for r in expected if r["highlight"]]
    assert results.locator(".src").all_text_contents() == [place(r["citation"]) for r in expected]
    link = hit.get_by_role("link", name=re.compile("in context"))
    assert link.get_attribute("href").startswith(f"{live.url}/view/")
    assert link.get_attribute("target") == "_blank"
    assert "noopener" in link.get_attribute("rel")
    # Styles stay isolated: the cross-origin host page paints every element red with !important.
    assert hit.evaluate("el => getComputedStyle(el.querySelector('blockquote')).color") != "rgb(204, 0, 0)"
    if widget.page.viewport_size["width"] <= 480:
        assert widget.panel().bounding_box()["width"] == widget.page.viewport_size["width"]
    assert_fits(widget)
    widget.screenshot("answer")

    with widget.page.context.expect_page() as opened:
        link.click()
    view = opened.value
    expect(view.locator(".document .line.hit", has_text="July 20")).to_have_count(1)
    expect(view.locator("#passage")).to_be_in_viewport()
    expect(view.get_by_role("heading", level=1)).to_be_visible()
    widget.screenshot("view", page=view)
    assert widget.errors == []


def test_off_topic_question_gets_the_no_answer_message(widget: Widget) -> None:
    widget.open()
    widget.ask(QUESTION)
    answer = widget.ask("How do I bake sourdough bread?")

    expect(answer.get_by_text(NO_ANSWER)).to_be_visible()
    # The conversation stays: the first question and its answer are still in the panel.
    expect(widget.page.locator("qa-widget .q")).to_have_count(2)
    expect(widget.page.locator("qa-widget .a").first.locator("li.result").first).to_be_attached()
    widget.screenshot("no-answer")
    assert widget.errors == []


def test_markup_in_a_document_is_shown_as_text_and_never_runs(widget: Widget, live: Live) -> None:
    widget.open()
    answer = widget.ask(MARKUP_QUESTION)

    hit = answer.locator("li.result", has_text=SCRIPT_TEXT).first
    expect(hit).to_be_visible()
    expect(hit).to_contain_text(IMG_TEXT)
    expect(hit.locator(".src")).to_contain_text("900_markup.txt")
    expect(hit.locator(".title")).to_have_text("Harbour museum reopens")
    expect(hit.locator(".author")).to_have_text("by Jane Doe")
    shadow_elements = widget.page.evaluate(
        "() => document.querySelector('qa-widget').shadowRoot.querySelectorAll('.log script, .log img').length"
    )
    assert shadow_elements == 0
    assert widget.page.evaluate("() => window.__pwned") is None
    widget.screenshot("markup")

    view = widget.page.context.new_page()
    view.goto(hit.get_by_role("link").get_attribute("href"))
    expect(view.locator(".document .line.hit", has_text=SCRIPT_TEXT)).to_contain_text(IMG_TEXT)
    assert view.locator(".document script, .document img").count() == 0
    assert view.evaluate("() => window.__pwned") is None
    widget.screenshot("markup-view", page=view)
    assert widget.errors == []


def test_keyboard_and_aria(widget: Widget) -> None:
    launcher = widget.launcher()
    expect(launcher).to_have_attribute("aria-expanded", "false")
    launcher.focus()
    widget.page.keyboard.press("Enter")
    expect(widget.panel()).to_be_visible()
    expect(launcher).to_have_attribute("aria-expanded", "true")
    expect(widget.question_box()).to_be_focused()
    expect(widget.page.get_by_role("log", name="Conversation")).to_be_attached()

    widget.question_box().press("Shift+Enter")  # a new line, not a question
    expect(widget.page.locator("qa-widget .q")).to_have_count(0)

    widget.page.keyboard.press("Escape")
    expect(widget.panel()).to_be_hidden()
    expect(launcher).to_be_focused()
    expect(launcher).to_have_attribute("aria-expanded", "false")
    widget.screenshot("closed")
    assert widget.errors == []


@pytest.mark.parametrize("viewport", ["desktop"])
def test_data_sources_keep_answers_to_those_sources(browser: Any, live: Live, viewport: str) -> None:
    """A section's page (data-sources="900_*") answers the deadline question from that source alone."""
    with widget_page(browser, live.embed_url + "section.html", viewport, f"sources-{viewport}") as widget:
        widget.open()
        answer = widget.ask(QUESTION)
        # Nothing in that source answers it confidently: the closest passages come folded, but they come,
        # and from that source only.
        sources = answer.locator("li.result .src")
        expect(sources.first).to_be_attached()
        assert sources.count() >= 1
        assert all(text.startswith("900_markup.txt") for text in sources.all_text_contents())
        widget.screenshot("sources")
        assert widget.errors == []


@pytest.mark.parametrize("viewport", ["desktop"])
def test_an_origin_not_allowed_gets_a_clear_error(browser: Any, live: Live, viewport: str) -> None:
    """CORS holds: the same page on an origin missing from QA_CORS_ORIGINS cannot read answers."""
    with widget_page(browser, live.foreign_url, viewport, f"foreign-{viewport}") as widget:
        widget.open()
        answer = widget.ask(QUESTION)
        expect(answer.get_by_role("alert")).to_contain_text("Couldn’t reach")
        expect(answer.get_by_role("button", name="Try again")).to_be_visible()
        expect(answer.locator("li.result")).to_have_count(0)
        widget.screenshot("error")


def test_view_page_marks_every_place_a_passage_occurs(browser: Any, live: Live) -> None:
    """/view/{id} marks the cited lines; `also` links open each other copy, marked the same way."""
    with urllib.request.urlopen(f"{live.url}/passages?limit=1000", timeout=30) as response:
        passages = json.load(response)["passages"]
    passage = next((p for p in passages if p["also_in"]), None)
    assert passage is not None, "the corpus repeats a story, so some passage has also_in"
    with widget_page(browser, f"{live.url}/", "desktop", "view") as widget:
        page = widget.page
        for n, cited in enumerate([passage["citation"], *passage["also_in"]]):
            page.goto(f"{live.url}/view/{passage['passage_id']}?also={n}#passage")
            marked = [
                int(x) for x in page.locator(".line.hit").evaluate_all("els => els.map(e => e.dataset.n)")
            ]
            assert marked == list(range(cited["line_start"], cited["line_end"] + 1))
            expect(page.locator(".notice")).to_have_count(0)  # the source text, not the fallback
            expect(page.locator(".meta")).to_contain_text(place(cited).split(", ")[-1])
            expect(page.locator(".places li", has_text="(shown here)")).to_contain_text(place(cited))
        widget.screenshot("also-in")

        response = page.goto(f"{live.url}/view/no-such-passage")
        assert response is not None and response.status == 404
        expect(page.get_by_role("heading", name="Passage not found")).to_be_visible()
