"""Question -> ranked, deduplicated, cited hits: dense and lexical retrieval, fused, with abstention."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from qa.dedup import near_duplicate
from qa.embed import Embedder
from qa.highlight import best_span
from qa.store import LoadedIndex
from qa.types import Answer, Hit, Passage


@dataclass(frozen=True)
class SearchParams:
    """The ranking knobs, from Settings; kept apart so evaluation can sweep them."""

    candidates: int = 100
    dense_weight: float = 0.6
    abstain_threshold: float | None = None
    result_jaccard: float = 0.5
    result_containment: float = 0.8


@dataclass(frozen=True)
class Candidate:
    position: int
    dense: float
    lexical: float
    fused: float


def fuse(dense: dict[int, float], lexical: dict[int, float], dense_weight: float) -> list[Candidate]:
    """Convex combination of normalised scores, best first.

    Cosine is min-max normalised over the candidates; BM25 is divided by its maximum, its
    natural floor being zero. A passage missing from one list scores that list's floor there.
    """
    positions = set(dense) | set(lexical)
    if not positions:
        return []
    low, high = min(dense.values(), default=0.0), max(dense.values(), default=0.0)
    top_lexical = max(lexical.values(), default=0.0)
    candidates = []
    for position in positions:
        d = dense.get(position, low)
        d_norm = (d - low) / (high - low) if high > low else 1.0
        lex = lexical.get(position, 0.0)
        lex_norm = lex / top_lexical if top_lexical > 0 else 0.0
        fused = dense_weight * d_norm + (1 - dense_weight) * lex_norm
        candidates.append(Candidate(position, d, lex, fused))
    return sorted(candidates, key=lambda c: (-c.fused, -c.dense, c.position))


class Searcher:
    """Answers questions from one loaded index with one embedder; safe to share between threads."""

    def __init__(self, index: LoadedIndex, embedder: Embedder, params: SearchParams) -> None:
        self.index = index
        self.embedder = embedder
        self.params = params
        threshold = params.abstain_threshold
        self.abstain_threshold = index.manifest.abstain_threshold if threshold is None else threshold
        self._by_id = {p.passage_id: p for p in index.passages}

    def passage(self, passage_id: str) -> Passage | None:
        return self._by_id.get(passage_id)

    def ask(self, question: str, k: int = 5) -> Answer:
        return self.ask_batch([question], k)[0]

    def ask_batch(self, questions: Sequence[str], k: int = 5) -> list[Answer]:
        """Answers in question order; the questions are embedded in one pass."""
        started = time.perf_counter()
        vectors = self.embedder.embed(list(questions))
        answers = [self._answer(q, v, k) for q, v in zip(questions, vectors, strict=True)]
        each_ms = (time.perf_counter() - started) * 1000 / max(len(questions), 1)
        return [Answer(a.question, a.hits, a.no_answer, round(each_ms, 3)) for a in answers]

    def dense_top(self, vectors: np.ndarray) -> np.ndarray:
        """Best cosine per question: the signal abstention is calibrated on."""
        scores, _ = self.index.vectors.search(vectors, 1)
        return scores[:, 0] if scores.shape[1] else np.full(len(vectors), -1.0, dtype=np.float32)

    def candidates(self, question: str, vector: np.ndarray) -> list[Candidate]:
        limit = self.params.candidates
        scores, ids = self.index.vectors.search(vector[None, :], limit)
        dense = {int(i): float(s) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0}
        ((lex_ids, lex_scores),) = self.index.lexical.search([question], limit)
        lexical = {int(i): float(s) for i, s in zip(lex_ids, lex_scores, strict=True)}
        missing = np.array([i for i in lexical if i not in dense], dtype=np.int64)
        if len(missing):
            for position, score in zip(missing, self.index.vectors.vectors(missing) @ vector, strict=True):
                dense[int(position)] = float(score)
        return fuse(dense, lexical, self.params.dense_weight)

    def _answer(self, question: str, vector: np.ndarray, k: int) -> Answer:
        chosen: list[Candidate] = []
        for candidate in self.candidates(question, vector):
            text = self.index.passages[candidate.position].text
            if any(self._similar(text, self.index.passages[c.position].text) for c in chosen):
                continue
            chosen.append(candidate)
            if len(chosen) == k:
                break
        best_dense = max((c.dense for c in chosen), default=-1.0)
        hits = [
            Hit(
                rank=rank,
                passage=self.index.passages[c.position],
                score=round(c.fused, 6),
                dense=round(c.dense, 6),
                lexical=round(c.lexical, 6),
                highlight=best_span(question, self.index.passages[c.position].text),
            )
            for rank, c in enumerate(chosen, start=1)
        ]
        return Answer(question, hits, no_answer=best_dense < self.abstain_threshold)

    def _similar(self, a: str, b: str) -> bool:
        return near_duplicate(
            a, b, jaccard_at=self.params.result_jaccard, containment_at=self.params.result_containment
        )


def calibrate_abstention(top_scores: np.ndarray, quantile: float = 0.95, margin: float = 0.02) -> float:
    """Threshold on the best cosine, from the scores that off-topic questions reach on this corpus.

    Cosine scores bunch together differently on every corpus, so the threshold is measured, not
    guessed: just above what nearly all off-topic questions reach.
    """
    if len(top_scores) == 0:
        return 0.0
    return float(np.quantile(top_scores, quantile) + margin)
