"""A document as Lines: each line of a text file, each main-content block of an HTML page, or each paragraph a
reader extracted (PDF, Word, ...), with its exact span."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from qa.ingest.documents import Document
from qa.text import line_spans

_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")


@dataclass(frozen=True)
class Line:
    """A unit of source text (a line, or an HTML block) and its exact span in the file."""

    number: int
    end_number: int
    start: int
    end: int
    text: str
    heading: bool = False


def _line_starts(text: str) -> list[int]:
    return [start for start, _, _ in line_spans(text)] or [0]


def text_lines(document: Document) -> list[Line]:
    """Non-blank lines of a plain-text or Markdown file; blank lines become empty Lines (block breaks)."""
    lines = []
    markdown = document.source.lower().endswith((".md", ".markdown"))
    for number, (offset, line_end, _) in enumerate(line_spans(document.text), start=1):
        body = document.text[offset:line_end]
        stripped = body.strip()
        start = offset + (len(body) - len(body.lstrip()))
        end = start + len(stripped)
        heading = markdown and bool(_MD_HEADING.match(body))
        text = _MD_HEADING.sub("", body).strip() if heading else stripped
        lines.append(Line(number, number, start, end, text, heading))
    return lines


def block_lines(document: Document) -> list[Line]:
    """The paragraphs and headings a reader extracted, each its own block (an empty Line after each)."""
    starts = _line_starts(document.text)
    lines: list[Line] = []
    for block in document.blocks or ():
        first = bisect.bisect_right(starts, block.start)
        last = bisect.bisect_right(starts, max(block.start, block.end - 1))
        text = document.text[block.start : block.end].strip()
        lines.append(Line(first, last, block.start, block.end, text, block.heading))
        lines.append(Line(last, last, block.end, block.end, ""))
    return lines


def html_lines(document: Document) -> tuple[list[Line], str | None, str | None, str | None]:
    """Main-content blocks of an HTML file as Lines, each its own block, plus the page's title, date and author."""
    # Imported here: trafilatura is large, and serving (whose view page shows text files too) rarely needs it.
    from qa.ingest.html import extract_html

    page = extract_html(document.text)
    starts = _line_starts(document.text)
    lines: list[Line] = []
    for block in page.blocks:
        first = bisect.bisect_right(starts, block.start)
        last = bisect.bisect_right(starts, max(block.start, block.end - 1))
        lines.append(Line(first, last, block.start, block.end, block.text))
        lines.append(Line(last, last, block.end, block.end, ""))
    return lines, page.title, page.date, page.author


@dataclass(frozen=True)
class Page:
    """A document as Lines, with the title, date and author its format declares (HTML metadata), if any."""

    document: Document
    lines: list[Line]
    title: str | None = None
    date: str | None = None
    author: str | None = None


def page(document: Document) -> Page:
    """A document's lines, and its title, date and author when the format carries them (HTML, a reader's)."""
    if document.blocks is not None:
        return Page(document, block_lines(document), document.title, document.date, document.author)
    if document.source.lower().endswith((".html", ".htm")):
        lines, title, date, author = html_lines(document)
        return Page(document, lines, title, date, author)
    return Page(document, text_lines(document))
