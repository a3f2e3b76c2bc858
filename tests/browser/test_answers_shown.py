"""Answers in Chromium: the widget shows each result's answer first, in bold, and a timeline for "when"
questions whose links open the passage in context, where the view page shows the answer over it."""

from __future__ import annotations

from typing import Any

import pytest

from .support import Live, Widget, ask_api

pytestmark = pytest.mark.browser

QUESTION = "when was the deadline?"


def expect(target: Any) -> Any:
    from playwright.sync_api import expect

    return expect(target)


def test_answers_come_first_in_bold_with_a_timeline(widget: Widget, live: Live) -> None:
    body = ask_api(live.url, QUESTION)
    assert body["timeline"], "the seed question has dates in several results"
    widget.open()
    answer = widget.ask(QUESTION)

    entries = answer.locator("ol.timeline li")
    expect(entries).to_have_count(len(body["timeline"]))
    for shown, entry in zip(range(len(body["timeline"])), body["timeline"], strict=True):
        expect(entries.nth(shown)).to_contain_text(entry["text"])
        if entry["date"]:
            expect(entries.nth(shown).locator("time")).to_have_attribute("datetime", entry["date"])
        passage_id = next(r["passage_id"] for r in body["results"] if r["rank"] == entry["rank"])
        link = entries.nth(shown).locator("a")
        expect(link).to_have_attribute(
            "href", f"{live.url}/view/{passage_id}?q=when%20was%20the%20deadline%3F#passage"
        )

    first = body["results"][0]
    top = answer.locator("li.result").first
    line = top.locator("p.answer")
    expect(line).to_contain_text(first["answer"]["text"])
    weight = line.evaluate("el => getComputedStyle(el).fontWeight")
    assert int(weight) >= 700
    # The answer stands over its passage.
    above = top.evaluate(
        "li => li.querySelector('p.answer').getBoundingClientRect().bottom"
        " <= li.querySelector('blockquote').getBoundingClientRect().top + 1"
    )
    assert above
    assert widget.errors == []


def test_timeline_link_opens_the_passage_with_its_answer(widget: Widget, live: Live) -> None:
    widget.open()
    answer = widget.ask(QUESTION)
    link = answer.locator("ol.timeline li a").first
    with widget.page.context.expect_page() as opened:
        link.click()
    view = opened.value
    view.wait_for_load_state()
    expect(view.locator("p.answer strong")).to_have_text(link.inner_text())
    expect(view.locator("mark").first).to_be_visible()
