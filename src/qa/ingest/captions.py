"""Photo captions known by their neighbours: the line over a photo credit, the line under a caption label."""

from __future__ import annotations

import re
from collections.abc import Sequence

from qa.text import normalise, word_count

# A caption's label, set on its own line above the caption by the page ("Image caption").
_LABEL = re.compile(r"^(?:image|photo|picture)?\s*caption\s*:?$", re.IGNORECASE)
# A credit under a photo's caption: "Photo: Getty Images", "(Image: © Team)", "Photo by Ann Lee".
# The whole line is the credit: a caption that carries its credit at its end ("... (Image: Getty)") is no
# credit line, and a line in brackets alone may be an aside of the article.
_CREDIT_BELOW = re.compile(
    r"^\(?\s*(?:photo(?:graph)?|image|picture|credit|source)s?\s*(?:by\b|:)\s*\S[^()]*\)?$",
    re.IGNORECASE,
)
# A credit set above its caption: "© Ann Lee" alone on a line.
_CREDIT_ABOVE = re.compile(r"^(?:©|\(c\))\s*[^\d\s]", re.IGNORECASE)
_CREDIT_WORDS = 8
# A caption that carries its credit at its end: "... landers. Credit: Tyvak", "... of Titan. (NASA/JPL/ASU)".
# Agencies join their names with slashes; an article's bracketed aside does not end a line with them.
_CREDIT_AT_END = re.compile(
    r"[.!?]\s*(?:(?:photo |image )?credit\s*:\s*[\w&.'’ -]{2,40}|\((?:[\w.&-]+/)+[\w.& -]+\))$", re.IGNORECASE
)
# A caption is a sentence or two; a paragraph of the article next to a credit is longer than this.
_CAPTION_WORDS = 40
_CAPTION_SENTENCES = 2


def caption_lines(texts: Sequence[str], start: int, end: int) -> set[int]:
    """Indices in [start, end) of captions that their neighbour marks: a credit or a caption label.

    A caption reads as a sentence of the article, so its own shape does not give it away; what
    stands next to it does.
    """
    found: set[int] = set()
    for index in range(start, end):
        text = normalise(texts[index])
        if _caption_shaped(text) and _CREDIT_AT_END.search(text):
            found.add(index)
            continue
        if not text or word_count(text) > _CREDIT_WORDS:
            continue
        if _LABEL.match(text) or _CREDIT_ABOVE.match(text):
            neighbour = _next(texts, index + 1, end, 1)
        elif _CREDIT_BELOW.match(text):
            neighbour = _next(texts, index - 1, start - 1, -1)
        else:
            continue
        if neighbour is not None and _caption_shaped(texts[neighbour]):
            found.add(neighbour)
    return found


def _next(texts: Sequence[str], first: int, stop: int, step: int) -> int | None:
    """The first non-blank line from first towards stop, or None."""
    for index in range(first, stop, step):
        if normalise(texts[index]):
            return index
    return None


def _caption_shaped(line: str) -> bool:
    text = normalise(line)
    sentences = len(re.findall(r"[.!?](?:\s|$)", text))
    return 3 <= word_count(text) <= _CAPTION_WORDS and sentences <= _CAPTION_SENTENCES
