"""What a question asks for: the kind of answer ("when": a date) and its content words, for scoring and highlights."""

from __future__ import annotations

import re

from qa.index.lexical import STOPWORDS, stems
from qa.text import words

_DATE = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b|\b\d{1,2}\s+"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|\b(?:1[5-9]|20)\d{2}s?\b|"
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|century|centuries)\b",
    re.IGNORECASE,
)
_COUNT = (
    r"(?:\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|dozens?|hundreds?|thousands?|millions?)\b)"
)
_NUMBER = re.compile(_COUNT, re.I)
# A number with its unit, for questions that ask for a distance or a duration, not any number.
_DISTANCE_UNIT = r"(?:miles?|mi|kilomet(?:er|re)s?|km|met(?:er|re)s?|feet|foot|ft|yards?)"
_DURATION_UNIT = r"(?:years?|months?|weeks?|days?|hours?|minutes?|seconds?|decades?|centur(?:y|ies))"
_DISTANCE = re.compile(rf"{_COUNT}[\d,.]*(?:\s|-)*{_DISTANCE_UNIT}\b", re.I)
_LENGTH = re.compile(rf"{_COUNT}[\d,.]*(?:\s|-)*(?:{_DISTANCE_UNIT}|{_DURATION_UNIT})\b", re.I)
_ASKS_DATE = re.compile(
    r"^\s*(?:when|what (?:date|day|year|month|time|century|decade)|in what year|which year)\b", re.I
)
_ASKS_DISTANCE = re.compile(r"^\s*(?:how far|what distance)\b", re.I)
_ASKS_LENGTH = re.compile(r"^\s*how long\b", re.I)
_ASKS_NUMBER = re.compile(
    r"^\s*(?:how (?:many|much|old|big|large)|what (?:number|percentage|amount))\b", re.I
)
ANSWER_KINDS = (_DATE, _DISTANCE, _LENGTH, _NUMBER)


def answer_type(question: str) -> re.Pattern[str] | None:
    """What an answer must contain to be of the asked-for kind: a date for "when", a distance for "how far"."""
    if _ASKS_DATE.search(question):
        return _DATE
    if _ASKS_DISTANCE.search(question):
        return _DISTANCE
    if _ASKS_LENGTH.search(question):
        return _LENGTH
    if _ASKS_NUMBER.search(question):
        return _NUMBER
    return None


def content_stems(text: str) -> frozenset[str]:
    """Stemmed content words: what a question and a sentence must share to be about the same thing."""
    return frozenset(stems([w for w in words(text) if w not in STOPWORDS]))


def overlap(question: frozenset[str], sentence: frozenset[str]) -> float:
    """Share of the question's content words that the sentence contains."""
    return len(question & sentence) / len(question) if question else 0.0
