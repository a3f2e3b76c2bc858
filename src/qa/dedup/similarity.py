"""Exact and near-duplicate tests over texts: content hashes, word shingles, Jaccard and containment."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from qa.text import WORD, fold, normalise, words

Shingles = frozenset[tuple[str, ...]]


@dataclass(frozen=True)
class Thresholds:
    """When two texts are one: Jaccard of their word shingles, or the share of one inside the other."""

    jaccard: float
    containment: float
    shingle: int = 5


def content_hash(text: str) -> str:
    """Stable id of a text: equal after normalisation and folding means equal id."""
    return hashlib.sha256(fold(normalise(text)).encode()).hexdigest()[:16]


def shingles(text: str, size: int = 5) -> Shingles:
    """Word n-grams; a text shorter than n words is one shingle of all its words."""
    tokens = words(text)
    if len(tokens) <= size:
        return frozenset([tuple(tokens)]) if tokens else frozenset()
    return frozenset(tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1))


def has_shingles(text: str) -> bool:
    """Whether `shingles(text)` is not empty, without making them."""
    return WORD.search(fold(text)) is not None


def jaccard(a: Shingles, b: Shingles) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def containment(inner: Shingles, outer: Shingles) -> float:
    """Share of `inner`'s shingles found in `outer`: 1.0 when inner is a prefix or fragment of outer."""
    return len(inner & outer) / len(inner) if inner else 0.0


def similar(a: Shingles, b: Shingles, thresholds: Thresholds) -> bool:
    """Shingle sets similar as wholes, or one mostly inside the other."""
    if not a or not b:
        return False
    shared = len(a & b)  # one intersection serves all three measures
    return (
        shared / (len(a) + len(b) - shared) >= thresholds.jaccard
        or shared / min(len(a), len(b)) >= thresholds.containment
    )


def near_duplicate(a: str, b: str, *, jaccard_at: float, containment_at: float, size: int = 5) -> bool:
    """Two texts similar as wholes, or one mostly inside the other (the test every pair must pass)."""
    return similar(shingles(a, size), shingles(b, size), Thresholds(jaccard_at, containment_at, size))
