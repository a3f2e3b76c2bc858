"""Running headers and footers: lines repeated at one height in the top or bottom band of most pages."""

from __future__ import annotations

import math
import re
from collections import defaultdict

from qa.ingest.readers.lines import Line

# Running headers and footers live in this share of the page height at its top and bottom.
_BAND = 0.08
# A bare page number in a header or footer: "3", "Page 3", "3/12", "3 of 12", "- 3 -".
_PAGE_NUMBER = re.compile(
    r"^(?:page\s*)?[-–—(\[]?\s*\d{1,5}\s*(?:(?:/|of)\s*\d{1,5})?\s*[-–—)\]]?$", re.IGNORECASE
)
# A browser's print stamp or a file address opening a header/footer line ("12/4/26, 2:18 PM", "file:///...").
_PRINT_STAMP = re.compile(r"^(?:\d{1,2}/\d{1,2}/\d{2,4},?\s+\d{1,2}:\d\d(?:\s*[AP]M)?|(?:https?|file)://\S+)")


def drop_running(pages: list[list[Line]], heights: list[float]) -> list[list[Line]]:
    """The pages without header and footer lines: the same line (digits aside) at the same height in the top
    or bottom band of most pages, and page counters and print stamps there."""
    seen: defaultdict[str, list[tuple[int, float]]] = defaultdict(list)
    for index, (lines, height) in enumerate(zip(pages, heights, strict=True)):
        for line in lines:
            if _in_band(line, height):
                seen[_mask(line.text)].append((index, line.baseline))
    text_pages = sum(1 for lines in pages if lines)
    repeated = max(2, math.ceil(text_pages / 2))
    running = {text for text, places in seen.items() if _repeats(places) >= repeated}
    return [
        [line for line in lines if not (_in_band(line, height) and _running(line, running))]
        for lines, height in zip(pages, heights, strict=True)
    ]


def _mask(text: str) -> str:
    return re.sub(r"\d+", "#", text.lower())


def _in_band(line: Line, height: float) -> bool:
    return line.bottom > height * (1 - _BAND) or line.top < height * _BAND


def _repeats(places: list[tuple[int, float]]) -> int:
    """On how many pages a line stands at one height (within a few points): where a running line stays."""
    return max(len({page for page, y in places if abs(y - at) <= 3}) for _, at in places)


def _running(line: Line, running: set[str]) -> bool:
    return _mask(line.text) in running or bool(_PAGE_NUMBER.match(line.text) or _PRINT_STAMP.match(line.text))
