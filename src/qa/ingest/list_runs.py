"""Runs of list items of one shape in a text page: a tour's dates, a race calendar, numbered picks."""

from __future__ import annotations

import re
from collections.abc import Sequence

from qa.text import normalise, word_count

# Separators a list item sets between its fields ("June 9 – Tampa @ Arena", "3rd round: 22 April – Velopark").
_SEPARATORS = re.compile(r"\s[–—-]\s|\s@\s|:\s|\s\|\s|\s/\s")
# How an item opens: a number or ordinal ("1)", "12.", "3a", "2nd") or a word.
_NUMBERED = re.compile(r"^\d+\w{0,2}[.):]?\s")
_BULLETED = re.compile(r"^[•·▪◦‣*+-]\s")
# A list item's first field: a few words with a number among them.
_LEADING_FIELD = re.compile(r"^\W*(?:\w+\W+){0,2}\d+\w{0,2}\W*$")
# Fewer items than this in a row are no list: two lines can share a shape by chance.
_MIN_ITEMS = 3
# Menu links and buttons are shorter than this; the fields of a list item are not.
_MIN_WORDS = 4


def _shape(text: str) -> tuple[str, frozenset[str]] | None:
    """How an item opens and the separators between its fields; None for a line no item of a list reads as."""
    if word_count(text) < _MIN_WORDS:
        return None
    if _BULLETED.match(text):
        return None  # bulleted links to other stories look just like a bulleted list of the article's
    opening = "number" if _NUMBERED.match(text) else "word"
    found = list(_SEPARATORS.finditer(text))
    if opening == "word" and not (found and _LEADING_FIELD.search(text[: found[0].start()])):
        # Headlines of related stories have fields too ("Moon landing: How ..."); an item's first field
        # is a short date or number ("June 9 – ...", "Week 3: ...").
        return None
    return opening, frozenset(match.group().strip() for match in found)


def _alike(one: tuple[str, frozenset[str]], other: tuple[str, frozenset[str]]) -> bool:
    # Items open alike, and share a separator unless their numbering or bullets already mark them as items.
    return one[0] == other[0] and (one[0] != "word" or bool(one[1] & other[1]))


def list_lines(lines: Sequence[str]) -> set[int]:
    """Indexes of lines in runs of at least three consecutive items of one shape.

    A list in an article is a column of items built alike (a date, a dash, a place); headlines in a
    box of related stories each read differently, and menu links are too short to count.
    """
    found: set[int] = set()
    run: list[int] = []
    previous: tuple[str, frozenset[str]] | None = None
    for index, line in enumerate(lines):
        text = normalise(line)
        if not text:
            continue  # a blank line between items does not break their list
        shape = _shape(text)
        if shape is not None and previous is not None and _alike(previous, shape):
            run.append(index)
        else:
            if len(run) >= _MIN_ITEMS:
                found.update(run)
            run = [index] if shape is not None else []
        previous = shape
    if len(run) >= _MIN_ITEMS:
        found.update(run)
    return found
