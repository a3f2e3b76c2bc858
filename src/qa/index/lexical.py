"""Lexical indexes: BM25 (bm25s) over passages, and which passages hold each pair of consecutive content words."""

from __future__ import annotations

import itertools
import json
import logging
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import Stemmer

from qa.index.bm25 import STOPWORDS_EN, bm25s

_STEMMER = Stemmer.Stemmer("english")
# bm25s logs every index build at DEBUG level through its own handler.
logging.getLogger("bm25s").setLevel(logging.WARNING)
_WORD = re.compile(r"(?u)\b\w\w+\b")  # bm25s's token pattern
_BM25_STOPWORDS = frozenset(STOPWORDS_EN)
# Words that carry no topic: BM25's stopwords and the question words.
STOPWORDS = _BM25_STOPWORDS | {
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


def stems(words: Sequence[str]) -> list[str]:
    """English stems, as BM25 and the phrase index store words."""
    return _STEMMER.stemWords(list(words))


def _tokens(texts: Sequence[str]) -> list[list[str]]:
    tokens = bm25s.tokenize(
        list(texts), stopwords="en", stemmer=_STEMMER, return_ids=False, show_progress=False
    )
    return tokens if isinstance(tokens, list) else []


def _stemmed_words(text: str, stopwords: frozenset[str]) -> list[str]:
    """Words in text order exactly as bm25s.tokenize makes them (lower case, its word pattern, stopwords
    out, then the stemmer), without its per-call set-up, which costs more than scoring one question."""
    return _STEMMER.stemWords([w for w in _WORD.findall(text.lower()) if w not in stopwords])


def _query_tokens(text: str) -> list[str]:
    """A question's BM25 tokens."""
    return _stemmed_words(text, _BM25_STOPWORDS)


def _content_words(text: str) -> list[str]:
    """Without question words either: what a phrase is made of."""
    return _stemmed_words(text, STOPWORDS)


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

    def search(
        self, questions: Sequence[str], k: int, allowed: np.ndarray | None = None
    ) -> list[tuple[np.ndarray, np.ndarray]]:
        """Per question: (ids, scores) of the best `k` passages with a positive score, among the `allowed`."""
        results = []
        for tokens in map(_query_tokens, questions):
            known = [t for t in tokens if t in self.vocabulary]
            if not known or self.size == 0:
                results.append((np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)))
                continue
            # Scoring directly, not through retrieve(): that hands every query to a new worker thread
            # and builds progress bars, which costs more than the scoring on a busy server.
            scores = self.retriever.get_scores(known)
            if allowed is not None:
                scores = np.where(allowed, scores, 0.0)
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

    def __init__(
        self, vocabulary: dict[str, int], pair_keys: np.ndarray, pair_passages: np.ndarray, passages: int
    ):
        self._vocabulary = vocabulary
        self._pair_keys = pair_keys  # sorted
        self._pair_passages = pair_passages  # the passages holding pair_keys[i], sorted within each key
        self._passages = passages

    @classmethod
    def build(cls, sentences: Sequence[str], owners: np.ndarray, passages: int) -> PhraseIndex:
        """`owners[i]` is the position, among `passages`, of the passage that sentence `i` belongs to."""
        vocabulary: dict[str, int] = {}
        words_of = [[vocabulary.setdefault(w, len(vocabulary)) for w in _content_words(s)] for s in sentences]
        lengths = np.array([len(words) for words in words_of], dtype=np.int64)
        words = np.fromiter(itertools.chain.from_iterable(words_of), np.int64)
        sentence = np.repeat(np.arange(len(lengths)), lengths)
        inside = sentence[1:] == sentence[:-1]  # pairs never span two sentences
        keys = _pair_key(words[:-1][inside], words[1:][inside], len(vocabulary))
        holders = np.asarray(owners, dtype=np.int64)[sentence[1:][inside]]
        # Each (pair, passage) once, sorted by pair: the passages holding a pair are one slice.
        order = np.lexsort((holders, keys))
        keys, holders = keys[order], holders[order]
        first = np.ones(len(keys), dtype=bool)
        first[1:] = (keys[1:] != keys[:-1]) | (holders[1:] != holders[:-1])
        return cls(vocabulary, keys[first], holders[first].astype(np.int32), passages)

    def save(self, folder: Path) -> None:
        folder.mkdir()
        (folder / "vocabulary.json").write_text(json.dumps(list(self._vocabulary), ensure_ascii=False))
        np.save(folder / "pair_keys.npy", self._pair_keys)
        np.save(folder / "pair_passages.npy", self._pair_passages)

    @classmethod
    def load(cls, folder: Path, passages: int) -> PhraseIndex:
        words = json.loads((folder / "vocabulary.json").read_text())
        keys, holders = np.load(folder / "pair_keys.npy"), np.load(folder / "pair_passages.npy")
        if len(keys) != len(holders) or (len(holders) and int(holders.max()) >= passages):
            raise ValueError("its word pairs do not match its passages")
        return cls({w: i for i, w in enumerate(words)}, keys, holders, passages)

    def holdings(self, question: str, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each distinct pair of consecutive content words in the question: which of the passages at
        `positions` hold it (a boolean row each), and how many passages of the index hold it in all."""
        pairs = list(dict.fromkeys(itertools.pairwise(_content_words(question))))
        if not pairs:
            return np.zeros((0, len(positions)), dtype=bool), np.zeros(0, dtype=np.int64)
        words = np.array([[self._vocabulary.get(w, -1) for w in pair] for pair in pairs], dtype=np.int64)
        # A pair with a word the corpus lacks gets key -1, which no passage holds.
        keys = np.where(
            (words >= 0).all(axis=1), _pair_key(words[:, 0], words[:, 1], len(self._vocabulary)), -1
        )
        starts = np.searchsorted(self._pair_keys, keys, side="left")
        ends = np.searchsorted(self._pair_keys, keys, side="right")
        held = np.zeros((len(pairs), len(positions)), dtype=bool)
        # A pair's holders are sorted: looking the candidates up costs the same for a rare or a common pair.
        for row, (start, end) in enumerate(zip(starts.tolist(), ends.tolist(), strict=True)):
            if end > start:
                holders = self._pair_passages[start:end]
                found = np.minimum(np.searchsorted(holders, positions), end - start - 1)
                held[row] = holders[found] == positions
        return held, ends - starts

    @property
    def passages(self) -> int:
        return self._passages


def _pair_key(left: np.ndarray, right: np.ndarray, vocabulary: int) -> np.ndarray:
    """One integer per ordered pair of word ids."""
    return left * max(vocabulary, 1) + right
