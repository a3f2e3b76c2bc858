"""Words cut at line ends: joined again, kept hyphenated or spaced, as the document's own words tell."""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.ingest.readers.breaks import Paragraph

HYPHENS = "-\u2010\u2011"
_DASHES = "–—"
_WORD_END = re.compile(r"([^\W\d_]+)$")
_WORD_START = re.compile(r"^([^\W_]+)")


@dataclass
class Vocabulary:
    """The document's own words: whether a word cut at a line end is one word or a compound."""

    words: set[str]
    compounds: set[str]
    auto_hyphen: bool  # the document marks hyphenation with U+2010: its plain "-" at a line end is real

    @classmethod
    def of(cls, paragraphs: list[Paragraph]) -> Vocabulary:
        text = " ".join(line.text for p in paragraphs for line in p.lines)
        words = set(re.findall(r"[^\W\d_]+", text.lower()))
        compounds = set(re.findall(r"[^\W\d_]+-[^\W\d_]+", text.lower()))
        auto = any(p.lines[i].text.endswith("\u2010") for p in paragraphs for i in range(len(p.lines) - 1))
        return cls(words, compounds, auto)

    def joins(self, before: str, after: str) -> str:
        """How a line ending in `before` meets the next line starting with `after`: "", "-" kept or " "."""
        mark = before[-1:]
        if mark in _DASHES:
            return "" if len(before) > 1 and not before[-2].isspace() else " "
        if after[:1] in _DASHES:
            # A line broken before an unspaced dash ("Adriatic" / "—fell"): the dash was glued to both words.
            return "" if len(after) > 1 and not after[1].isspace() else " "
        if mark not in HYPHENS or not after or not after[0].isalpha():
            return " "
        head, tail = _WORD_END.search(before[:-1]), _WORD_START.search(after)
        if head is None or tail is None or after[0].isupper() or tail.group(1)[0].isdigit():
            return "-"
        joined, hyphenated = (
            (head.group(1) + tail.group(1)).lower(),
            f"{head.group(1)}-{tail.group(1)}".lower(),
        )
        if hyphenated in self.compounds and joined not in self.words:
            return "-"
        if joined in self.words:
            return ""
        if mark == "-" and (self.auto_hyphen or any(h in before.rsplit(" ", 1)[-1][:-1] for h in HYPHENS)):
            return "-"  # real hyphens where hyphenation has its own mark, or a chain ("Saint-Clair-sur-Epte")
        return ""
