"""Citation arithmetic: whether a passage's words stand in its cited span, and narrowing or joining spans."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from qa.ingest.readers import page_of
from qa.text import fold, line_number, normalise, words
from qa.types import Citation, Passage


def citation_matches(text: str, raw: str) -> bool:
    """Whether the words of `text` occur in order in `raw`: the promise every citation keeps."""
    haystack = fold(normalise(raw))
    position = 0
    for word in words(text):
        found = haystack.find(word, position)
        if found < 0:
            return False
        position = found + len(word)
    return True


def narrow(citation: Citation, document: str, text: str, after: int = 0) -> Citation:
    """The citation cut down to where `text` (a piece of the cited passage) starts and ends in the file.

    `after` is a file offset the piece starts at or after (the end of the previous piece). Falls
    back to the whole citation when the words cannot be followed through the raw text (for
    instance where Unicode normalisation changed a character).
    """
    raw = fold(document[citation.char_start : citation.char_end])
    position, first, last = max(0, after - citation.char_start), None, None
    for word in words(text):
        found = raw.find(word, position)
        if found < 0:
            return citation
        first = found if first is None else first
        position = last = found + len(word)
    if first is None or last is None:
        return citation
    # Take in the punctuation and quotes that cling to the first and last words.
    while first > 0 and not raw[first - 1].isspace():
        first -= 1
    while last < len(raw) and not raw[last].isspace():
        last += 1
    start, end = citation.char_start + first, citation.char_start + last
    return replace(
        citation,
        char_start=start,
        char_end=end,
        line_start=line_number(document, start),
        line_end=line_number(document, max(start, end - 1)),
    )


def span(first: Citation, last: Citation) -> Citation:
    """One citation covering `first` through `last` of the same source."""
    return replace(first, line_end=last.line_end, char_end=last.char_end)


def paged(passages: Sequence[Passage], pages: Mapping[str, tuple[int, ...]]) -> list[Passage]:
    """Passages whose citations (and `also_in`) of paged documents name the pages their spans start and end on."""

    def cite(c: Citation) -> Citation:
        starts = pages.get(c.source)
        if not starts:
            return c
        return replace(
            c, page=page_of(starts, c.char_start), page_end=page_of(starts, max(c.char_start, c.char_end - 1))
        )

    return [
        replace(p, citation=cite(p.citation), also_in=tuple(cite(c) for c in p.also_in)) for p in passages
    ]
