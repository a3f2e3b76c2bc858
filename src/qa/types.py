"""Plain value types shared by every stage: citations, passages, search hits and their answers."""

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
    answer: AnswerSpan | None = None


@dataclass(frozen=True)
class AnswerSpan:
    """The words of a passage that answer a date or quantity question (offsets into the passage's text, end
    exclusive), and their value: a date as YYYY-MM-DD, YYYY-MM or YYYY, or a number with its unit."""

    start: int
    end: int
    text: str
    value: str | None = None


@dataclass(frozen=True)
class TimelineEntry:
    """One distinct date among a response's answers, from the best-ranked result that gives it."""

    date: str | None
    text: str
    rank: int


@dataclass(frozen=True)
class Answer:
    """Everything one question gets back."""

    question: str
    hits: list[Hit] = field(default_factory=list)
    no_answer: bool = False
    took_ms: float = 0.0
    timeline: tuple[TimelineEntry, ...] = ()
