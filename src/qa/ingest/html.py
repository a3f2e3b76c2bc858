"""Extract an HTML page's main-content text blocks, with exact raw offsets, and its title and date."""

from __future__ import annotations

import html
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser
from itertools import accumulate, repeat
from typing import Any

import trafilatura
from lxml.etree import _Element

# Elements a browser never renders as page text (title lives in the tab, not the page).
_HIDDEN_TAGS = frozenset({"script", "style", "noscript", "template", "title"})

# Elements rendered on their own line: text on either side of them never forms one word.
_BREAK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "br", "caption", "dd", "details",
        "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
        "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "html", "li", "main", "nav", "ol",
        "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    }
)  # fmt: skip

# Inline markup in trafilatura's output tree; every other element is a block of its own.
_INLINE_TAGS = frozenset({"hi", "ref", "del", "lb", "graphic", "span"})

# htmldate's extensive search guesses dates from free text (copyright lines, "updated"
# stamps); a missing date is better for retrieval than a wrong one.
_DATE_PARAMS: dict[str, Any] = {"original_date": True, "extensive_search": False}


@dataclass(frozen=True)
class Block:
    text: str  # the block's visible text, entities decoded, whitespace collapsed to single spaces, stripped
    start: int  # offset into the raw HTML string where the block's first visible character is
    end: int  # offset just after the block's last visible character (end exclusive)


@dataclass(frozen=True)
class HtmlPage:
    title: str | None
    date: str | None  # "YYYY-MM-DD" or None
    blocks: list[Block]  # main content paragraphs / headings / list items, in document order


def extract_html(raw: str) -> HtmlPage:
    """Return the main-content blocks of `raw` located in it, plus the page title and date."""
    if not raw.strip():
        return HtmlPage(None, None, [])
    title, published = _metadata(raw)
    blocks = _align(_main_paragraphs(raw), _VisibleText(raw))
    return HtmlPage(title, published, blocks)


def _metadata(raw: str) -> tuple[str | None, str | None]:
    meta = trafilatura.extract_metadata(raw, date_config=_DATE_PARAMS)
    return meta.title or None, _iso_date(meta.date)


def _iso_date(value: str | None) -> str | None:
    # The contract promises YYYY-MM-DD; refuse anything htmldate might hand back otherwise.
    try:
        return date.fromisoformat(value).isoformat() if value and len(value) == 10 else None
    except ValueError:
        return None


def _main_paragraphs(raw: str) -> list[str]:
    """Main-content paragraphs as trafilatura sees them, boilerplate and comments removed."""
    document = trafilatura.bare_extraction(
        raw, favor_precision=True, include_comments=False, include_tables=True, with_metadata=False
    )
    body = getattr(document, "body", None)
    return [] if body is None else _block_texts(body)


def _block_texts(body: _Element) -> list[str]:
    texts: list[str] = []
    pending: list[str] = []
    for piece in [*_text_events(body), None]:
        if piece is None:
            texts.append(" ".join("".join(pending).split()))
            pending.clear()
        else:
            pending.append(piece)
    return [text for text in texts if text]


def _text_events(elem: _Element) -> Iterator[str | None]:
    """Text of the tree in document order, with None wherever a block starts or ends."""
    if isinstance(elem.tag, str):  # comments and processing instructions carry no text
        is_block = elem.tag not in _INLINE_TAGS
        if is_block:
            yield None
        if elem.tag == "lb":
            yield " "
        yield elem.text or ""
        for child in elem:
            yield from _text_events(child)
        if is_block:
            yield None
    yield elem.tail or ""


class _VisibleText(HTMLParser):
    """The page's rendered characters, whitespace dropped, each with the raw span it comes from.

    Whitespace is dropped because extractors re-flow it freely; `word_start` remembers where
    it (or a line-breaking tag) was so matches can be kept to whole words.
    """

    def __init__(self, raw: str) -> None:
        # Entities stay unconverted so each one's raw span is known.
        super().__init__(convert_charrefs=False)
        self._raw = raw
        # getpos() reports line/column, and the parser counts lines by "\n" only.
        self._line_starts = list(accumulate((len(line) + 1 for line in raw.split("\n")), initial=0))
        self._hidden_depth = 0
        self._after_gap = True
        self.chars: list[str] = []
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.word_start: list[bool] = []
        self.feed(raw)
        self.close()
        self.text = "".join(self.chars)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN_TAGS:
            self._hidden_depth += 1
        self._after_gap |= tag in _BREAK_TAGS

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # Self-closing: must not open a hidden region that is never closed.
        self._after_gap |= tag in _BREAK_TAGS

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN_TAGS and self._hidden_depth:
            self._hidden_depth -= 1
        self._after_gap |= tag in _BREAK_TAGS

    def handle_data(self, data: str) -> None:
        start = self._offset()
        if not self._raw.startswith(data, start):
            # Position unknown: leave the text unmapped so nothing can align to a wrong place.
            self._after_gap = True
            return
        self._add(data, range(start, start + len(data)), range(start + 1, start + len(data) + 1))

    def handle_entityref(self, name: str) -> None:
        self._add_reference("&" + name)

    def handle_charref(self, name: str) -> None:
        self._add_reference("&#" + name)

    def _add_reference(self, prefix: str) -> None:
        start = self._offset()
        if not self._raw.startswith(prefix, start):
            self._after_gap = True
            return
        end = start + len(prefix) + self._raw.startswith(";", start + len(prefix))
        # Every decoded character points at the whole reference: it has no finer location.
        self._add(html.unescape(self._raw[start:end]), repeat(start), repeat(end))

    def _add(self, text: str, starts: Iterable[int], ends: Iterable[int]) -> None:
        if self._hidden_depth:
            return
        for char, start, end in zip(text, starts, ends, strict=False):  # repeat() is endless
            if char.isspace():
                self._after_gap = True
            elif char.isprintable():  # extractors may or may not keep soft hyphens, zero-width spaces
                self.chars.append(char)
                self.starts.append(start)
                self.ends.append(end)
                self.word_start.append(self._after_gap)
                self._after_gap = False

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def first_match(self, needle: str, start: int) -> tuple[int, int] | None:
        """First whole-word occurrence of `needle` at or after character `start`."""
        i = self.text.find(needle, start) if needle else -1
        while i != -1 and not self._on_word_edges(i, i + len(needle)):
            i = self.text.find(needle, i + 1)
        return None if i == -1 else (i, i + len(needle))

    def last_match(self, needle: str, start: int, stop: int) -> tuple[int, int] | None:
        """Last whole-word occurrence of `needle` inside characters [start, stop)."""
        i = self.text.rfind(needle, start, stop) if needle else -1
        while i != -1 and not self._on_word_edges(i, i + len(needle)):
            i = self.text.rfind(needle, start, i + len(needle) - 1)
        return None if i == -1 else (i, i + len(needle))

    def _on_word_edges(self, i: int, j: int) -> bool:
        return self.word_start[i] and (j == len(self.text) or self.word_start[j])


def _align(paragraphs: list[str], visible: _VisibleText) -> list[Block]:
    """Locate each paragraph in the raw page, in order, skipping those that cannot be placed.

    A short paragraph ("Weather") may also occur in a menu before the article, so it takes
    its last occurrence before the place where the next paragraph is found.
    """
    needles = [_compact(p) for p in paragraphs]
    blocks: list[Block] = []
    cursor = 0
    for k, paragraph in enumerate(paragraphs):
        following = visible.first_match(needles[k + 1], cursor) if k + 1 < len(needles) else None
        span = visible.last_match(needles[k], cursor, following[0]) if following else None
        span = span or visible.first_match(needles[k], cursor)
        if span is None:
            continue
        i, j = span
        blocks.append(Block(paragraph, visible.starts[i], visible.ends[j - 1]))
        cursor = j
    return blocks


def _compact(text: str) -> str:
    # Same character filter as _VisibleText, so the two sides compare like for like.
    return "".join(c for c in text if c.isprintable() and not c.isspace())
