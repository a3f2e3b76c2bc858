"""A line of text where it stands on a page, from a PDF's text layer or from OCR, and the cleaning each gets."""

from __future__ import annotations

import re
from dataclasses import dataclass

_LIGATURES = str.maketrans({"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"})
# Characters a line never keeps: soft hyphens (a break opportunity, not text), controls, PDFium's markers.
_DROP = re.compile(r"[\u00ad\u0000-\u0008\u000b-\u001f\u200b\ufeff\uffff]")
_SPACES = re.compile(r"\s+")


@dataclass
class Line:
    """One visual line of text: its words, box (PDF points, y up), baseline and font."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    baseline: float
    size: float
    bold: bool
    page: int
    ocr: bool = False

    @property
    def width(self) -> float:
        return self.x1 - self.x0


def clean(text: str) -> str:
    """A line's text as shown: ligatures spelled out, invisible characters dropped, spaces collapsed."""
    text = _DROP.sub("", text.translate(_LIGATURES))
    return _SPACES.sub(" ", text).strip()
