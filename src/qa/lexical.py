"""Lexical scoring with BM25 (bm25s): tokenise, index, save, load, score."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import bm25s
import numpy as np
import Stemmer

_STEMMER = Stemmer.Stemmer("english")
# bm25s logs every index build at DEBUG level through its own handler.
logging.getLogger("bm25s").setLevel(logging.WARNING)


def _tokens(texts: Sequence[str]) -> list[list[str]]:
    tokens = bm25s.tokenize(
        list(texts), stopwords="en", stemmer=_STEMMER, return_ids=False, show_progress=False
    )
    return tokens if isinstance(tokens, list) else []


class LexicalIndex:
    """BM25 over passage texts; ids are positions in the passage list."""

    def __init__(self, retriever: bm25s.BM25, size: int) -> None:
        self.retriever = retriever
        self.size = size
        self.vocabulary = set(retriever.vocab_dict)

    @classmethod
    def build(cls, texts: Sequence[str]) -> LexicalIndex:
        retriever = bm25s.BM25()
        retriever.index(_tokens(texts), show_progress=False)
        return cls(retriever, len(texts))

    def save(self, folder: Path) -> None:
        self.retriever.save(str(folder), show_progress=False)

    @classmethod
    def load(cls, folder: Path, size: int) -> LexicalIndex:
        return cls(bm25s.BM25.load(str(folder), show_progress=False, mmap=False), size)

    def search(self, questions: Sequence[str], k: int) -> list[tuple[np.ndarray, np.ndarray]]:
        """Per question: (ids, scores) of the best `k` passages with a positive score."""
        results = []
        for tokens in _tokens(questions):
            known = [t for t in tokens if t in self.vocabulary]
            if not known or self.size == 0:
                results.append((np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)))
                continue
            # Scoring directly, not through retrieve(): that hands every query to a new worker thread
            # and builds progress bars, which costs more than the scoring on a busy server.
            scores = self.retriever.get_scores(known)
            top = np.argpartition(-scores, min(k, self.size) - 1)[: min(k, self.size)]
            top = top[np.argsort(-scores[top], kind="stable")]
            top = top[scores[top] > 0]
            results.append((top.astype(np.int64), scores[top].astype(np.float32)))
        return results
