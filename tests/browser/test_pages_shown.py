"""Pages of a PDF in Chromium: the widget shows "p. N" beside the source, linking to the PDF at that page, and the
view page shows the cited page of how many, with a link that opens the PDF there."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

import pytest

from documents_fixtures import print_pdf
from qa.bench.live import LiveServer

from .support import ask_api, browser_missing, widget_page

pytestmark = pytest.mark.browser

# The browser tests are skipped where Chromium is missing; in CI that must fail the run instead.
if os.environ.get("CI") == "true" and (missing := browser_missing()):
    pytest.fail(f"browser tests cannot run in CI: {missing}", pytrace=False)

REPORT = """<html><head><title>Harbour report</title></head><body>
<p>The harbour museum reopened on 14 May after a year of repairs to its roof and its lighthouse gallery,
the trustees said in their annual statement to members.</p>
<div style="page-break-after: always"></div>
<p>The ferry to the outer islands was cancelled for a whole week in January because of winter storms that
closed the harbour mouth to all shipping.</p>
</body></html>
"""
QUESTION = "Why was the ferry to the outer islands cancelled?"


def expect(target: Any) -> Any:
    from playwright.sync_api import expect

    return expect(target)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`qa serve` on a corpus of a two-page PDF and a text file; yields its URL."""
    corpus = tmp_path_factory.mktemp("paged-corpus")
    (corpus / "reports").mkdir()
    scratch = tmp_path_factory.mktemp("printing")
    (corpus / "reports" / "harbour report.pdf").write_bytes(
        print_pdf(REPORT, scratch / "report.pdf", header_footer=False).read_bytes()
    )
    (corpus / "council.txt").write_text(
        "The council approved a budget for new cycle lanes along the seafront on Tuesday evening.\n",
        encoding="utf-8",
    )
    log = tmp_path_factory.mktemp("logs") / "qa-serve-paged.log"
    with LiveServer(corpus, tmp_path_factory.mktemp("paged-index"), log=log) as server:
        yield server.url


def pages(c: dict) -> str:
    last = c["page_end"] or c["page"]
    return f"p. {c['page']}" if last == c["page"] else f"pp. {c['page']}–{last}"


def test_the_widget_shows_the_page_and_links_to_it(browser: Any, served: str) -> None:
    top = ask_api(served, QUESTION)["results"][0]
    cited = top["citation"]
    assert cited["source"] == "reports/harbour report.pdf" and cited["page"] is not None
    with widget_page(browser, f"{served}/", "desktop", "pages") as widget:
        widget.open()
        answer = widget.ask(QUESTION)
        hit = answer.locator("li.result").first
        expect(hit.locator(".src")).to_contain_text("reports/harbour report.pdf")
        link = hit.locator("a.page")
        expect(link).to_have_text(pages(cited))
        href = link.get_attribute("href")
        assert href == f"{served}/documents/reports/harbour%20report.pdf#page={cited['page']}"
        assert link.get_attribute("target") == "_blank"
        # A text file's result has no page.
        expect(answer.locator("li.result", has_text="cycle lanes").locator("a.page")).to_have_count(0)
        widget.screenshot("pages")

        # The link's target is the PDF itself, shown inline.
        original = widget.page.request.get(href.split("#")[0])
        assert original.status == 200 and original.headers["content-type"] == "application/pdf"
        assert original.headers["content-disposition"].startswith("inline")
        assert original.body().startswith(b"%PDF")

        view = widget.page.context.new_page()
        view.goto(hit.get_by_role("link", name="Open in context").get_attribute("href"))
        count = len(json.loads(widget.page.request.get(f"{served}/documents").text())["documents"])
        assert count == 2
        expect(view.locator(".pages")).to_contain_text("of 2")
        opener = view.get_by_role("link", name=f"Open the PDF at page {cited['page']}")
        expect(opener).to_have_attribute(
            "href", f"/documents/reports/harbour%20report.pdf#page={cited['page']}"
        )
        # The cited page(s) only, the passage marked (a passage may run on from the page before).
        expect(view.locator(".document .line.hit", has_text="ferry")).to_have_count(1)
        widget.screenshot("pages-view", page=view)
        assert widget.errors == []
