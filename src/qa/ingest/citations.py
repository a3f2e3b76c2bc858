"""Citation arithmetic: whether a passage's words stand in its cited span, and narrowing or joining spans."""

from __future__ import annotations

from dataclasses import replace

from qa.text import fold, normalise, words
from qa.types import Citation


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
        line_start=document.count("\n", 0, start) + 1,
        line_end=document.count("\n", 0, end) + 1,
    )


def span(first: Citation, last: Citation) -> Citation:
    """One citation covering `first` through `last` of the same source."""
    return replace(first, line_end=last.line_end, char_end=last.char_end)
