"""The view page, /view/{passage_id}: a passage marked in its source document, and where else it occurs."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from qa.answers.spans import answer_span, question
from qa.api.documents import document_url, extraction_store
from qa.api.pages import VIEW_CSP, page
from qa.config import Settings
from qa.ingest.citations import citation_matches
from qa.ingest.corpus import read_document
from qa.ingest.documents import HTML_SUFFIXES, Document
from qa.ingest.lines import html_lines
from qa.ingest.readers import Unreadable, page_of
from qa.text import line_spans
from qa.types import Citation, Passage

router = APIRouter(include_in_schema=False)


def _lines(c: Citation) -> str:
    return f"line {c.line_start}" if c.line_start == c.line_end else f"lines {c.line_start}–{c.line_end}"


def _pages(first: int, last: int) -> str:
    return f"page {first}" if first == last else f"pages {first}–{last}"


Row = tuple[int, str, bool]


def _rows(document: Document, start: int, end: int, within: tuple[int, int] | None = None) -> list[Row]:
    """(line number, escaped HTML, in the span) for each line of the document's text, or each block of an HTML
    page; with `within`, only the lines that stand in that range of the text (the cited pages of a PDF)."""
    rows = []
    if document.blocks is None and document.source.lower().endswith(HTML_SUFFIXES):
        # Raw markup would be unreadable: show the extracted blocks, marking those the span covers.
        for block in html_lines(document)[0]:
            if block.text:
                hit = block.start < end and start < block.end
                text = escape(block.text)
                rows.append((block.number, f"<mark>{text}</mark>" if hit else text, hit))
        return rows
    low, high = within or (0, len(document.text))
    # Lines counted as ingest counts them (CRLF, lone CR, LF; not form feeds), so the numbers here are the
    # numbers in the citation.
    for number, (offset, line_end, break_end) in enumerate(line_spans(document.text), start=1):
        if offset >= high or break_end <= low:
            continue
        line = document.text[offset:line_end]
        a, b = max(start - offset, 0), min(end - offset, len(line))
        if a < b:
            cell = f"{escape(line[:a])}<mark>{escape(line[a:b])}</mark>{escape(line[b:])}"
            rows.append((number, cell, True))
        else:
            rows.append((number, escape(line), False))
    return rows


@dataclass(frozen=True)
class Shown:
    """What the page shows of the cited document: its rows, and for a paged one which pages of how many."""

    rows: list[Row]
    pages: tuple[int, int, int] | None = None  # first and last page shown, and the document's page count
    original: bool = False  # a format whose original file is not its text (PDF, Word, ...): link to it


def _cited_pages(document: Document, cited: Citation) -> tuple[int, int, int]:
    count = len(document.pages)
    first = cited.page or page_of(document.pages, cited.char_start) or 1
    last = cited.page_end or page_of(document.pages, max(cited.char_start, cited.char_end - 1)) or first
    first = min(max(first, 1), count)
    return first, min(max(last, first), count), count


def _shown(settings: Settings, cited: Citation, words: str | None) -> Shown | None:
    """The cited document as shown, or None when it is gone or no longer holds `words` at the span."""
    try:
        # The one way to read a document: for a PDF or Word file the extracted text, so the offsets match.
        document = read_document(settings.corpus_dir, cited.source, extraction_store(settings))
    except (Unreadable, OSError, ValueError):
        return None
    span = document.text[cited.char_start : cited.char_end]
    if not span.strip() or (words is not None and not citation_matches(words, span)):
        return None
    original = document.blocks is not None
    if not document.pages:
        return Shown(_rows(document, cited.char_start, cited.char_end), original=original)
    first, last, count = _cited_pages(document, cited)
    low = document.pages[first - 1]
    high = document.pages[last] if last < count else len(document.text)
    return Shown(
        _rows(document, cited.char_start, cited.char_end, (low, high)), (first, last, count), original
    )


def _original_html(request: Request, cited: Citation, shown: Shown) -> str:
    """The line under the heading that says which pages are shown, with a link to the original file."""
    url = escape(document_url(request, cited.source))
    if shown.pages is not None:
        first, last, count = shown.pages
        kind = "PDF" if cited.source.lower().endswith(".pdf") else "document"
        link = f'<a href="{url}#page={first}">Open the {kind} at page {first}</a>'
        return f"<p class=pages>{_pages(first, last)} of {count} · {link}</p>"
    if shown.original:
        return f'<p class=pages><a href="{url}">Open the original file</a></p>'
    return ""


def _place(c: Citation) -> str:
    about = " · ".join(escape(part) for part in (c.title, c.author and f"by {c.author}", c.date) if part)
    where = f"{escape(c.source)}, {_where(c)}"
    return f"{where} <span class=muted>· {about}</span>" if about else where


def _where(c: Citation) -> str:
    """ "lines 5–7", or "p. 3, lines 5–7" for a passage of a paged document."""
    if c.page is None:
        return _lines(c)
    last = c.page_end or c.page
    pages = f"p. {c.page}" if last == c.page else f"pp. {c.page}–{last}"
    return f"{pages}, {_lines(c)}"


def _document_html(rows: list[tuple[int, str, bool]]) -> str:
    """One div per line, numbered; the first marked line is the #passage anchor that links jump to."""
    first_hit = next((i for i, row in enumerate(rows) if row[2]), 0)
    return "\n".join(
        f'<div class="line{" hit" if hit else ""}"{" id=passage" if i == first_hit else ""} data-n="{n}">{cell}</div>'
        for i, (n, cell, hit) in enumerate(rows)
    )


def _places_html(places: list[Citation], shown: int) -> str:
    items = "".join(
        f"<li>{_place(c)} <span class=muted>(shown here)</span></li>"
        if i == shown
        else f'<li><a href="?also={i}#passage">{_place(c)}</a></li>'
        for i, c in enumerate(places)
    )
    return f"<section class=places><h2>The same text appears in</h2><ul>{items}</ul></section>"


def _answer_html(question_text: str | None, passage: Passage) -> str:
    """The words of the passage that answer the question, bold, over the document; empty without one."""
    asked = question(question_text) if question_text else None
    found = answer_span(asked, passage.text, None, passage.citation.date) if asked else None
    if found is None:
        return ""
    value = (
        f" <span class=value>{escape(found.value)}</span>"
        if found.value and found.value != found.text
        else ""
    )
    return f"<p class=answer><span class=muted>Answer</span> <strong>{escape(found.text)}</strong>{value}</p>"


@router.get("/view/{passage_id}")
def view(
    passage_id: str,
    request: Request,
    also: Annotated[int, Query(ge=0, description="0: the passage itself; n: its n-th other occurrence")] = 0,
    q: Annotated[
        str | None, Query(max_length=1000, description="the question: its answer is shown first")
    ] = None,
) -> HTMLResponse:
    """The passage in its document: the source text with the cited span marked, and where else it occurs."""
    service = request.app.state.service
    if service.searcher is None:
        return page("message.html", VIEW_CSP, 503, heading="Not ready yet", message=escape(service.status))
    passage = service.searcher.passage(passage_id)
    if passage is None or also > len(passage.also_in):
        message = "This passage is not in the index. The documents may have been re-indexed since the link was made."
        return page("message.html", VIEW_CSP, 404, heading="Passage not found", message=message)
    places = [passage.citation, *passage.also_in]
    cited = places[also]
    # Only the passage's own copy must hold all its words: the others may be near duplicates.
    shown = _shown(request.app.state.settings, cited, passage.text if also == 0 else None)
    notice = ""
    if shown is None:
        notice = "<p class=notice>The source file has changed since the index was built; this is the indexed text.</p>"
        shown = Shown([(cited.line_start, f"<mark>{escape(passage.text)}</mark>", True)])
    # Without a title the heading is the file name already: say it once.
    source = escape(cited.source) if cited.title else ""
    return page(
        "view.html",
        VIEW_CSP,
        title=escape(cited.title or cited.source),
        meta=" · ".join(
            part
            for part in (
                escape(f"by {cited.author}" if cited.author else ""),
                escape(cited.date or ""),
                source,
                _where(cited),
            )
            if part
        ),
        answer=_answer_html(q, passage),
        places=_places_html(places, also) if passage.also_in else "",
        original=_original_html(request, cited, shown),
        notice=notice,
        document=_document_html(shown.rows),
    )
