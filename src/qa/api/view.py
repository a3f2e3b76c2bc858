"""The view page, /view/{passage_id}: a passage marked in its source document, and where else it occurs."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from qa.api.pages import VIEW_CSP, page
from qa.ingest.citations import citation_matches
from qa.ingest.documents import Document, decode
from qa.ingest.lines import html_lines
from qa.types import Citation

router = APIRouter(include_in_schema=False)


def _lines(c: Citation) -> str:
    return f"line {c.line_start}" if c.line_start == c.line_end else f"lines {c.line_start}–{c.line_end}"


def _rows(document: Document, start: int, end: int) -> list[tuple[int, str, bool]]:
    """(line number, escaped HTML, in the span) for each line of a text file or each block of an HTML page."""
    rows = []
    if document.source.lower().endswith((".html", ".htm")):
        # Raw markup would be unreadable: show the extracted blocks, marking those the span covers.
        for block in html_lines(document)[0]:
            if block.text:
                hit = block.start < end and start < block.end
                text = escape(block.text)
                rows.append((block.number, f"<mark>{text}</mark>" if hit else text, hit))
        return rows
    offset = 0
    # splitlines() as in ingest, so the numbers here are the numbers in the citation.
    for number, raw in enumerate(document.text.splitlines(keepends=True), start=1):
        line = raw.rstrip("\r\n")
        a, b = max(start - offset, 0), min(end - offset, len(line))
        if a < b:
            cell = f"{escape(line[:a])}<mark>{escape(line[a:b])}</mark>{escape(line[b:])}"
            rows.append((number, cell, True))
        else:
            rows.append((number, escape(line), False))
        offset += len(raw)
    return rows


def _source_rows(corpus: Path, cited: Citation, words: str | None) -> list[tuple[int, str, bool]] | None:
    """The cited document's rows, or None when the file is gone or no longer holds `words` at the span."""
    path = (corpus / cited.source).resolve()
    if not path.is_relative_to(corpus.resolve()):
        return None
    try:
        text = decode(path, cited.source)  # as the build read it, so the offsets point where they did
    except OSError:
        return None
    if text is None:
        return None
    span = text[cited.char_start : cited.char_end]
    if not span.strip() or (words is not None and not citation_matches(words, span)):
        return None
    return _rows(Document(cited.source, text), cited.char_start, cited.char_end)


def _place(c: Citation) -> str:
    about = " · ".join(escape(part) for part in (c.title, c.author and f"by {c.author}", c.date) if part)
    where = f"{escape(c.source)}, {_lines(c)}"
    return f"{where} <span class=muted>· {about}</span>" if about else where


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


@router.get("/view/{passage_id}")
def view(
    passage_id: str,
    request: Request,
    also: Annotated[int, Query(ge=0, description="0: the passage itself; n: its n-th other occurrence")] = 0,
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
    rows = _source_rows(request.app.state.settings.corpus_dir, cited, passage.text if also == 0 else None)
    notice = ""
    if rows is None:
        notice = "<p class=notice>The source file has changed since the index was built; this is the indexed text.</p>"
        rows = [(cited.line_start, f"<mark>{escape(passage.text)}</mark>", True)]
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
                _lines(cited),
            )
            if part
        ),
        places=_places_html(places, also) if passage.also_in else "",
        notice=notice,
        document=_document_html(rows),
    )
