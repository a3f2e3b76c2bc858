"""Positioned lines of any source (a PDF's text or OCR) laid out as text: paragraphs, blocks, page starts, title."""

from __future__ import annotations

from qa.ingest.dates import line_date
from qa.ingest.metadata import byline_author
from qa.ingest.readers import Block, Extracted
from qa.ingest.readers.breaks import Paragraph, Style, paragraphs_of, style_of
from qa.ingest.readers.columns import reading_order
from qa.ingest.readers.line_ends import HYPHENS, Vocabulary
from qa.ingest.readers.lines import Line
from qa.ingest.readers.running import drop_running

# Page 1's headline, byline and date lie among its first paragraphs.
_HEADER_REACH = 12


def lay_out(pages: list[list[Line]], heights: list[float]) -> Extracted | None:
    """The pages' text, blocks, page starts and the title, date and author page 1 shows; None without text.

    `pages[i]` holds page i's lines in any order, `heights[i]` its height in points.
    """
    ordered = [reading_order(lines) for lines in drop_running(pages, heights)]
    if not any(ordered):
        return None
    style = style_of(ordered)
    paragraphs = paragraphs_of(ordered, style)
    title, date, author = _header(paragraphs, style)
    text, blocks, starts = _render(paragraphs, Vocabulary.of(paragraphs), len(pages))
    return Extracted(
        text=text, blocks=tuple(blocks), pages=tuple(starts), title=title, date=date, author=author
    )


def _render(
    paragraphs: list[Paragraph], vocabulary: Vocabulary, count: int
) -> tuple[str, list[Block], list[int]]:
    """The text (a line per paragraph), a block per indexed paragraph and the offset where each page starts."""
    parts: list[str] = []
    blocks: list[Block] = []
    starts: list[int | None] = [None] * count
    offset = 0
    for paragraph in paragraphs:
        if parts:
            parts.append("\n\n")
            offset += 2
        begin = offset
        for i, line in enumerate(paragraph.lines):
            if i:
                glue = vocabulary.joins(paragraph.lines[i - 1].text, line.text)
                if glue == "" and paragraph.lines[i - 1].text[-1:] in HYPHENS:
                    parts[-1] = parts[-1][:-1]
                    offset -= 1
                if glue == " ":
                    parts.append(" ")
                    offset += 1
            if starts[line.page] is None:
                starts[line.page] = offset
            parts.append(line.text)
            offset += len(line.text)
        if not paragraph.meta:
            blocks.append(Block(begin, offset, paragraph.heading))
    text = "".join(parts)
    return text, blocks, _fill(starts, len(text))


def _fill(starts: list[int | None], end: int) -> list[int]:
    """Pages without text start where the next page with text starts; the first page starts at 0."""
    filled: list[int] = []
    following = end
    for start in reversed(starts):
        following = start if start is not None else following
        filled.append(following)
    filled.reverse()
    if filled:
        filled[0] = 0
    return filled


def _header(paragraphs: list[Paragraph], style: Style) -> tuple[str | None, str | None, str | None]:
    """Title, date and author as page 1 shows them first; their paragraphs become metadata (no block)."""
    first = [p for p in paragraphs[:_HEADER_REACH] if p.lines[0].page == 0 and len(p.lines) <= 3]
    headings = [p for p in first if p.heading]
    title = None
    if headings:
        top = max(headings, key=lambda p: (p.lines[0].size, p.lines[0].top))
        if top.lines[0].size > style.body_size:
            top.meta = True
            title = " ".join(line.text for line in top.lines)
    author = date = None
    for paragraph in first:
        text = " ".join(line.text for line in paragraph.lines)
        if len(text.split()) > 16:
            continue
        found_author = byline_author(text) if author is None else None
        found_date = line_date(text) if date is None else None
        if found_author or found_date:
            paragraph.meta = True
            author = author or found_author
            date = date or found_date
    return title, date, author
