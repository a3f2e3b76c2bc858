"""Late chunking: sentence vectors pooled from the token states of their passage's own model run."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

Span = tuple[int, int]


def token_spans(offsets: Sequence[Span], spans: Sequence[Span]) -> list[Span]:
    """The tokens [first, last) that each character span [start, end) of the text covers.

    `offsets` are the tokenizer's character offsets of each token; special tokens ([CLS], [SEP]) have
    empty ones and belong to no span. A token counts when it overlaps the span: a sentence boundary
    never falls inside a word, so a token is never shared. A span with no token (cut off by
    truncation) is (0, 0).
    """
    starts = np.array([start for start, _ in offsets], dtype=np.int64)
    ends = np.array([end for _, end in offsets], dtype=np.int64)
    real = ends > starts
    found: list[Span] = []
    for start, end in spans:
        inside = np.flatnonzero(real & (starts < end) & (ends > start))
        found.append((int(inside[0]), int(inside[-1]) + 1) if len(inside) else (0, 0))
    return found


def pool(states: np.ndarray, spans: Sequence[Span], fallback: np.ndarray) -> np.ndarray:
    """Unit vectors of the mean token state in each token span; `fallback` for an empty span.

    The mean over the span is the model's own pooling (mean over a text's tokens) applied to the
    sentence's tokens, which still saw the whole passage through attention.
    """
    out = np.empty((len(spans), states.shape[1]), dtype=np.float32)
    for row, (first, last) in enumerate(spans):
        if last <= first:
            out[row] = fallback
            continue
        mean = states[first:last].mean(axis=0)
        out[row] = mean / max(float(np.linalg.norm(mean)), 1e-12)
    return out
