"""Sentences of a passage, the kind of answer a question asks for, and the sentence that best answers it."""

from __future__ import annotations

import re
from functools import lru_cache

import blingfire
import numpy as np
import Stemmer

from qa import clean
from qa.bm25 import STOPWORDS_EN

_STEMMER = Stemmer.Stemmer("english")
# Words that carry no topic: BM25's stopwords and the question words.
STOPWORDS = frozenset(STOPWORDS_EN) | {
    "what",
    "when",
    "where",
    "which",
    "who",
    "whom",
    "whose",
    "why",
    "how",
    "did",
    "does",
}

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


@lru_cache(maxsize=65536)
def sentences(text: str) -> tuple[tuple[int, int], ...]:
    """Sentence spans of a passage (end exclusive), trimmed of surrounding spaces."""
    # blingfire's offsets come from a Python loop over every byte; its sentences alone come from C,
    # and are found again in the text in order. The offsets are the fallback if one is not found.
    spans, cursor = [], 0
    for sentence in blingfire.text_to_sentences(text).split("\n"):
        sentence = sentence.strip()
        at = text.find(sentence, cursor) if sentence else cursor
        if at < 0:
            return _sentences_by_offsets(text)
        if sentence:
            spans.append((at, at + len(sentence)))
            cursor = at + len(sentence)
    return tuple(spans) or ((0, len(text)),)


def _sentences_by_offsets(text: str) -> tuple[tuple[int, int], ...]:
    _, offsets = blingfire.text_to_sentences_and_offsets(text)
    spans = []
    for start, end in offsets:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            spans.append((start, end))
    return tuple(spans) or ((0, len(text)),)


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


def best_sentences(
    scores: np.ndarray, holds_kind: np.ndarray, bonus: float, owner: np.ndarray, starts: np.ndarray
) -> np.ndarray:
    """The row of each passage's best sentence: highest cosine, plus `bonus` where the sentence holds the
    asked-for kind of answer; the first in text order on a tie.

    Rows are sentences, a passage's consecutive: `owner[i]` is the passage of row i, `starts[j]` the first
    row of passage j.
    """
    value = scores + np.where(holds_kind, bonus, 0.0)
    return np.lexsort((np.arange(len(value)), -value, owner))[starts]


def content_stems(text: str) -> frozenset[str]:
    """Stemmed content words: what a question and a sentence must share to be about the same thing."""
    return frozenset(_STEMMER.stemWords([w for w in clean.words(text) if w not in STOPWORDS]))


def overlap(question: frozenset[str], sentence: frozenset[str]) -> float:
    """Share of the question's content words that the sentence contains."""
    return len(question & sentence) / len(question) if question else 0.0
