"""Plain value types shared by every stage: citations, passages and search hits."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Citation:
    """Where a passage's text stands in a corpus file (lines 1-based inclusive, chars 0-based end-exclusive)."""

    source: str
    line_start: int
    line_end: int
    char_start: int
    char_end: int
    title: str | None = None
    date: str | None = None
    author: str | None = None
    page: int | None = None  # 1-based physical pages of a paged document (PDF); None for other formats
    page_end: int | None = None


@dataclass(frozen=True)
class Passage:
    """One indexed unit of text; `also_in` lists the duplicates that ingest folded into it."""

    passage_id: str
    text: str
    citation: Citation
    also_in: tuple[Citation, ...] = ()


@dataclass(frozen=True)
class Hit:
    """A passage returned for a question, with the scores that ranked it."""

    rank: int
    passage: Passage
    score: float
    dense: float
    lexical: float
    highlight: tuple[int, int] | None = None


@dataclass(frozen=True)
class Answer:
    """Everything one question gets back."""

    question: str
    hits: list[Hit] = field(default_factory=list)
    no_answer: bool = False
    took_ms: float = 0.0
