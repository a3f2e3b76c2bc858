"""Paragraphs and a header into text, blocks and metadata: what the Word, OpenDocument and e-mail readers share."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from qa.ingest.dates import line_date
from qa.ingest.metadata import byline_author
from qa.ingest.readers import Block, Extracted, Unreadable
from qa.text import word_count

# Soft hyphens, zero-width spaces and byte order marks are not shown; breaks and tabs join a line as spaces.
_ONE_LINE = {
    **dict.fromkeys(map(ord, "\u00ad\u200b\ufeff")),
    **dict.fromkeys(map(ord, "\t\n\r\v\f\x85\u2028\u2029"), " "),
}

# Metadata lines stand among the first paragraphs, above the first paragraph of prose.
_HEADER_REACH = 6
_PROSE_WORDS = 20


@dataclass(frozen=True)
class Para:
    """A paragraph of a document's flow; `table` numbers the table a row belongs to (0: not a row)."""

    text: str
    heading: bool = False
    title: bool = False  # styled as the document's title
    table: int = 0


@dataclass(frozen=True)
class Header:
    """Title, date and author the top lines show, and which lines they were (shown, not indexed)."""

    title: str | None = None
    date: str | None = None
    author: str | None = None
    taken: frozenset[int] = frozenset()


def one_line(text: str) -> str:
    """Text on one line as shown: line breaks and tabs as spaces, invisible characters dropped, ends trimmed.

    Runs of spaces stay: they are the document's, and a quoted passage must match it exactly.
    """
    return text.translate(_ONE_LINE).strip()


def header_of(paras: Sequence[Para]) -> Header:
    """Title, byline and date lines among the first paragraphs, above the first paragraph of prose.

    The title is a paragraph styled "Title", else a heading no prose stands above.
    """
    title = date = author = None
    taken: set[int] = set()
    prose = False
    for index, para in enumerate(paras[:_HEADER_REACH]):
        if para.table:
            break
        if title is None and (para.title or (para.heading and not prose)):
            title = para.text
        elif para.heading:
            continue
        elif author is None and (name := byline_author(para.text)):
            author, date = name, date or line_date(para.text)
        elif date is None and (found := line_date(para.text)):
            date = found
        elif word_count(para.text) > _PROSE_WORDS:
            break
        else:
            prose = True
            continue
        taken.add(index)
    return Header(title, date, author, frozenset(taken))


def assemble(
    paras: Sequence[Para], fallback: Header, notes: tuple[str, ...] = (), top_lines: bool = True
) -> Extracted:
    """The text of the paragraphs, one line each, blank lines between them (rows of a table: single breaks).

    Title, date and author are what the top lines show (unless `top_lines` is off: an e-mail's headers
    say them), else `fallback` (the document's properties). Lines taken as metadata get no block, unless
    nothing else would be left to index.
    """
    if not paras:
        raise Unreadable("no text")
    shown = header_of(paras) if top_lines else Header()
    taken = shown.taken if len(shown.taken) < len(paras) else frozenset()
    pieces: list[str] = []
    blocks: list[Block] = []
    offset = 0
    for index, para in enumerate(paras):
        if pieces:
            separator = "\n" if para.table and para.table == paras[index - 1].table else "\n\n"
            pieces.append(separator)
            offset += len(separator)
        pieces.append(para.text)
        if index not in taken:
            blocks.append(Block(offset, offset + len(para.text), para.heading))
        offset += len(para.text)
    return Extracted(
        text="".join(pieces),
        blocks=tuple(blocks),
        title=shown.title or fallback.title,
        date=shown.date or fallback.date,
        author=shown.author or fallback.author,
        notes=notes,
    )
