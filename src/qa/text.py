"""Text primitives every stage shares: normalising, folding, words and sentence spans; pure functions."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import blingfire

# Characters that change nothing a reader sees but break matching.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_INVISIBLE_FOUND = re.compile(
    "[\u200b\u200c\u200d\u2060\ufeff\u00ad]"
)  # translate is slow; the search is not
# Typographic variants folded onto one form so that "Iraq’s" and "Iraq's" compare equal.
# (str.replace per pair, not str.translate: translate looks every character up in a dict, about 10x slower.)
_FOLD = (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"'), ("–", "-"), ("—", "-"))

WORD = re.compile(r"\w+(?:['’.-]\w+)*")
_TERMINAL = tuple(".!?\"”'’)…:")


# Cleaning asks many questions of each line (is it a byline, a caption, a menu item...), and each asks for its
# normalised, folded text and word count: the pure functions below remember the lines of the page at hand.
_LINES = 1 << 14


@lru_cache(maxsize=_LINES)
def normalise(text: str) -> str:
    """NFKC, invisible characters dropped, whitespace collapsed to single spaces."""
    text = unicodedata.normalize("NFKC", text)
    if _INVISIBLE_FOUND.search(text):
        text = text.translate(_INVISIBLE)
    return " ".join(text.split())


@lru_cache(maxsize=_LINES)
def fold(text: str) -> str:
    """Lower case with typographic variants unified; same length as the input, for offset-safe matching."""
    folded = text
    for typographic, plain in _FOLD:
        if typographic in folded:
            folded = folded.replace(typographic, plain)
    lowered = folded.lower()
    if len(lowered) == len(folded):
        return lowered
    # Rare characters whose lower case is longer ("İ"): keep them as they are.
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in folded)


def words(text: str) -> list[str]:
    """Folded word tokens, the unit of shingling and of citation checks."""
    return WORD.findall(fold(text))


@lru_cache(maxsize=_LINES)
def word_count(text: str) -> int:
    return len(WORD.findall(text))


def prose_words(text: str) -> int:
    """A line's length in words, Chinese and Japanese text (written without spaces) counted by its characters.

    Two such characters carry about what one English word does.
    """
    ideographs = len(_CJK.findall(text))
    return max(word_count(text), ideographs // _CJK_PER_WORD) if ideographs else word_count(text)


# Han, Hiragana, Katakana and Hangul syllables: scripts whose sentences have few or no spaces.
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_CJK_PER_WORD = 2


def ends_sentence(text: str) -> bool:
    return text.rstrip().endswith(_TERMINAL)


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


# Line breaks as editors and Python's universal newlines count them: CRLF, a lone CR, LF. Form feeds and other
# separators str.splitlines() would also break at are not line breaks of the file.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def line_spans(text: str) -> list[tuple[int, int, int]]:
    """(start, end without the break, end with it) of every line of `text`: the one way lines are counted."""
    spans, start = [], 0
    for match in _LINE_BREAK.finditer(text):
        spans.append((start, match.start(), match.end()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text), len(text)))
    return spans


def line_number(text: str, offset: int) -> int:
    """The 1-based line of `text` that `offset` falls on, counted as `line_spans` counts."""
    # An offset between the CR and LF of one break is still on the line that break ends.
    cut = offset - 1 if 0 < offset < len(text) and text[offset - 1 : offset + 1] == "\r\n" else offset
    return len(_LINE_BREAK.findall(text, 0, cut)) + 1
