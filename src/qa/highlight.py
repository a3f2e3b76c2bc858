"""The sentence of a passage that best answers a question, as offsets into the passage text."""

from __future__ import annotations

import re
from functools import lru_cache

import blingfire
import Stemmer
from bm25s.stopwords import STOPWORDS_EN

from qa import clean

_STEMMER = Stemmer.Stemmer("english")
# Question words carry no content to match: "when" is handled by preferring dated sentences.
_STOP = frozenset(STOPWORDS_EN) | {
    "when",
    "how",
    "what",
    "who",
    "whom",
    "whose",
    "where",
    "which",
    "why",
    "did",
    "does",
}
_DATE = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b|\b\d{1,2}\s+"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|\b(?:1[5-9]|20)\d{2}\b|"
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today)\b",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"\d")


def _stems(text: str) -> set[str]:
    return {_STEMMER.stemWord(w) for w in clean.words(text) if w not in _STOP}


@lru_cache(maxsize=4096)
def sentences(text: str) -> tuple[tuple[int, int], ...]:
    """Sentence spans of a passage (end exclusive), trimmed of surrounding spaces."""
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


def best_span(question: str, text: str) -> tuple[int, int] | None:
    """The sentence sharing most content words with the question; dated ones first for "when" questions."""
    wanted = _stems(question)
    asks_when = bool(re.match(r"\s*(when|what (date|day|year|month|time))\b", question, re.IGNORECASE))
    asks_count = bool(re.match(r"\s*how (many|much)\b", question, re.IGNORECASE))
    best, best_score = None, 0.0
    for start, end in sentences(text):
        sentence = text[start:end]
        score = float(len(wanted & _stems(sentence)))
        if asks_when and _DATE.search(sentence):
            score += 1.5
        if asks_count and _NUMBER.search(sentence):
            score += 1.0
        if score > best_score:
            best, best_score = (start, end), score
    return best
