"""Answers attached to a response's hits, and the timeline of the distinct dates they give."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from qa.answers.spans import answer_span, moved, question
from qa.text import fold
from qa.types import Hit, TimelineEntry


def with_answers(text: str, hits: Sequence[Hit]) -> tuple[list[Hit], tuple[TimelineEntry, ...]]:
    """Each hit with the span of its passage that answers the question (or None), and, for a date question,
    the timeline of their dates."""
    asked = question(text)
    if asked is None:
        return list(hits), ()
    answered = [
        replace(hit, answer=answer_span(asked, hit.passage.text, hit.highlight, hit.passage.citation.date))
        for hit in hits
    ]
    return answered, timeline(answered) if asked.is_date else ()


def timeline(hits: Sequence[Hit]) -> tuple[TimelineEntry, ...]:
    """One entry per distinct date, in date order, from the best-ranked hit that gives it (a hit whose answer's
    sentence moves the date, "extend by six months a year-end deadline", gives both the date and the moved
    one); undated answers after them, one per distinct wording. Empty unless there are at least two entries."""
    dated: dict[str, TimelineEntry] = {}
    undated: dict[str, TimelineEntry] = {}
    for hit in sorted(hits, key=lambda h: h.rank):
        answer = hit.answer
        if answer is None:
            continue
        if answer.value is None:
            undated.setdefault(
                " ".join(fold(answer.text).split()), TimelineEntry(None, answer.text, hit.rank)
            )
            continue
        for span in (answer, moved(hit.passage.text, answer)):
            if span is not None and span.value is not None:
                dated.setdefault(span.value, TimelineEntry(span.value, span.text, hit.rank))
    entries = [dated[day] for day in sorted(dated)] + list(undated.values())
    return tuple(entries) if len(entries) >= 2 else ()
