"""Lexical scoring: BM25 (bm25s) over passages, and which passages hold a question's word pairs."""

from __future__ import annotations

import itertools
import logging
import re
from collections.abc import Sequence
from pathlib import Path

import bm25s
import numpy as np
import Stemmer

from qa.highlight import STOPWORDS

_STEMMER = Stemmer.Stemmer("english")
# bm25s logs every index build at DEBUG level through its own handler.
logging.getLogger("bm25s").setLevel(logging.WARNING)
_WORD = re.compile(r"(?u)\b\w\w+\b")


def _tokens(texts: Sequence[str]) -> list[list[str]]:
    tokens = bm25s.tokenize(
        list(texts), stopwords="en", stemmer=_STEMMER, return_ids=False, show_progress=False
    )
    return tokens if isinstance(tokens, list) else []


def _content_words(text: str) -> list[str]:
    """Stemmed words in text order, without stopwords or question words: what a phrase is made of.

    Split as bm25s splits; done here because bm25s.tokenize costs more per call than the scoring.
    """
    words = [w for w in _WORD.findall(text.lower()) if w not in STOPWORDS]
    return _STEMMER.stemWords(words)


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


class PhraseIndex:
    """Which passages hold each pair of consecutive content words of one of their sentences.

    Questions often copy a phrase of the passage that answers them ("the battle of Hastings"); BM25
    scores the words one by one and cannot tell a passage with the phrase from one with the words
    scattered. Word order counts; stopwords between the two words do not ("battle at Hastings" holds
    the pair of "battle of Hastings").
    """

    def __init__(self, sentences: Sequence[str], owners: np.ndarray, passages: int) -> None:
        """`owners[i]` is the position, among `passages`, of the passage that sentence `i` belongs to."""
        self._passages = passages
        self._vocabulary: dict[str, int] = {}
        words_of = [
            [self._vocabulary.setdefault(w, len(self._vocabulary)) for w in _content_words(s)]
            for s in sentences
        ]
        lengths = np.array([len(words) for words in words_of], dtype=np.int64)
        words = np.fromiter(itertools.chain.from_iterable(words_of), np.int64)
        sentence = np.repeat(np.arange(len(lengths)), lengths)
        inside = sentence[1:] == sentence[:-1]  # pairs never span two sentences
        keys = self._keys(words[:-1][inside], words[1:][inside])
        passages = np.asarray(owners, dtype=np.int64)[sentence[1:][inside]]
        # Each (pair, passage) once, sorted by pair: the passages holding a pair are one slice.
        order = np.lexsort((passages, keys))
        keys, passages = keys[order], passages[order]
        first = np.ones(len(keys), dtype=bool)
        first[1:] = (keys[1:] != keys[:-1]) | (passages[1:] != passages[:-1])
        self._pair_keys, self._pair_passages = keys[first], passages[first].astype(np.int32)

    def _keys(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        return left * max(len(self._vocabulary), 1) + right

    def shares(self, question: str, positions: np.ndarray) -> np.ndarray:
        """For each passage in `positions`, the share of the question's distinct word pairs it holds.

        Pairs count by their IDF, as BM25 counts words: holding a pair that most passages hold (the
        corpus's subject, "complexity theory") says little about which passage answers.
        """
        pairs = set(itertools.pairwise(_content_words(question)))
        if not pairs:
            return np.zeros(len(positions))
        words = np.array([[self._vocabulary.get(w, -1) for w in pair] for pair in pairs], dtype=np.int64)
        # A pair with a word the corpus lacks gets key -1, which no passage holds.
        keys = np.where((words >= 0).all(axis=1), self._keys(words[:, 0], words[:, 1]), -1)
        starts = np.searchsorted(self._pair_keys, keys, side="left")
        ends = np.searchsorted(self._pair_keys, keys, side="right")
        weights = np.log(1 + (self._passages - (ends - starts) + 0.5) / (ends - starts + 0.5))
        held = np.zeros(len(positions))
        # A pair's holders are sorted: looking the candidates up costs the same for a rare or a common pair.
        for start, end, weight in zip(starts.tolist(), ends.tolist(), weights.tolist(), strict=True):
            if end > start:
                holders = self._pair_passages[start:end]
                found = np.minimum(np.searchsorted(holders, positions), end - start - 1)
                held += np.where(holders[found] == positions, weight, 0.0)
        return held / weights.sum()
