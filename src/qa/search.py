"""Question -> ranked, deduplicated, cited hits: dense and lexical retrieval, fused, with abstention."""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from qa.dedup import Thresholds, shingles, similar
from qa.embed import Embedder
from qa.highlight import answer_type, best_sentence, content_stems, overlap, sentences
from qa.store import LoadedIndex
from qa.types import Answer, Hit, Passage


@dataclass(frozen=True)
class SearchParams:
    """The ranking knobs, from Settings; kept apart so evaluation can sweep them."""

    candidates: int = 100
    dense_weight: float = 0.7
    sentence_weight: float = 0.7
    answer_type_weight: float = 0.1
    highlight_overlap_weight: float = 0.3
    fusion: str = "minmax"
    abstain_threshold: float | None = None
    result_jaccard: float = 0.5
    result_containment: float = 0.8


@dataclass(frozen=True)
class Candidate:
    position: int
    dense: float
    lexical: float
    fused: float
    highlight: tuple[int, int] | None = None


def _normalised(
    scores: dict[int, float], positions: set[int], method: str, floor: float | None
) -> dict[int, float]:
    """Scores of one retriever on a common scale; a passage it did not find gets its floor."""
    if not scores:
        return dict.fromkeys(positions, 0.0)
    values = np.array(list(scores.values()))
    low = float(values.min()) if floor is None else floor
    if method == "rrf":
        order = sorted(scores, key=lambda p: -scores[p])
        rank = {p: i for i, p in enumerate(order, start=1)}
        return {p: (1 / (60 + rank[p]) if p in rank else 0.0) * 61 for p in positions}
    if method == "zscore":
        mean, std = float(values.mean()), float(values.std()) or 1.0
        return {p: (scores.get(p, low) - mean) / std for p in positions}
    high = float(values.max())
    return {p: (scores.get(p, low) - low) / (high - low) if high > low else 1.0 for p in positions}


def fuse(
    dense: dict[int, float],
    lexical: dict[int, float],
    dense_weight: float,
    bonus: dict[int, float] | None = None,
    method: str = "minmax",
) -> list[Candidate]:
    """Convex combination of normalised scores (plus any bonus), best first.

    By default cosine is min-max normalised over the candidates and BM25 divided by its maximum,
    its natural floor being zero; "zscore" and "rrf" (reciprocal rank fusion) are there to compare.
    """
    positions = set(dense) | set(lexical)
    if not positions:
        return []
    bonus = bonus or {}
    d_norm = _normalised(dense, positions, method, None)
    l_norm = _normalised(lexical, positions, method, 0.0 if method == "minmax" else None)
    low = min(dense.values(), default=0.0)
    candidates = [
        Candidate(
            p,
            dense.get(p, low),
            lexical.get(p, 0.0),
            dense_weight * d_norm[p] + (1 - dense_weight) * l_norm[p] + bonus.get(p, 0.0),
        )
        for p in positions
    ]
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
        # Views into the FAISS storage: candidate scoring is one small matrix product.
        self._passage_matrix = index.vectors.matrix()
        self._sentence_matrix = index.sentences.vectors.matrix()
        self._shingles: dict[int, frozenset[tuple[str, ...]]] = {}

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

    def candidates(self, question: str, vector: np.ndarray) -> list[Candidate]:
        """Passages found by any retriever (passage vectors, sentence vectors, BM25), scored and fused."""
        params, index = self.params, self.index
        limit = params.candidates
        found: set[int] = set()
        _, ids = index.vectors.search(vector[None, :], limit)
        found.update(int(i) for i in ids[0] if i >= 0)
        _, sentence_ids = index.sentences.vectors.search(vector[None, :], limit)
        found.update(int(index.sentences.rows[i, 0]) for i in sentence_ids[0] if i >= 0)
        ((lex_ids, lex_scores),) = index.lexical.search([question], limit)
        lexical = {int(i): float(s) for i, s in zip(lex_ids, lex_scores, strict=True)}
        found.update(lexical)

        wanted = answer_type(question)
        positions = sorted(found)
        passage_scores = self._passage_matrix[positions] @ vector
        dense, bonus, spans = {}, {}, {}
        for position, passage_score in zip(positions, passage_scores, strict=True):
            rows = index.sentences.of_passage(position)
            text = index.passages[position].text
            local = sentences(text)
            best, sentence_score, typed = best_sentence(
                text,
                local,
                self._sentence_matrix[rows.start : rows.stop] @ vector,
                wanted,
                params.answer_type_weight,
            )
            dense[position] = (1 - params.sentence_weight) * float(
                passage_score
            ) + params.sentence_weight * sentence_score
            if typed:
                bonus[position] = params.answer_type_weight
            spans[position] = local[best]
        ranked = fuse(dense, lexical, params.dense_weight, bonus, params.fusion)
        return [Candidate(c.position, c.dense, c.lexical, c.fused, spans[c.position]) for c in ranked]

    def _answer(self, question: str, vector: np.ndarray, k: int) -> Answer:
        chosen: list[Candidate] = []
        ranked = self.candidates(question, vector)
        asked = content_stems(question)
        wanted = answer_type(question)
        for candidate in ranked:
            if any(self._similar(candidate.position, c.position) for c in chosen):
                continue
            chosen.append(candidate)
            if len(chosen) == k:
                break
        best_dense = max((c.dense for c in ranked), default=-1.0)
        hits = [
            Hit(
                rank=rank,
                passage=self.index.passages[c.position],
                score=round(c.fused, 6),
                dense=round(c.dense, 6),
                lexical=round(c.lexical, 6),
                highlight=self._highlight(c.position, vector, asked, wanted),
            )
            for rank, c in enumerate(chosen, start=1)
        ]
        return Answer(question, hits, no_answer=best_dense < self.abstain_threshold)

    def _highlight(
        self, position: int, vector: np.ndarray, asked: frozenset[str], wanted: re.Pattern[str] | None
    ) -> tuple[int, int]:
        """The sentence that best answers: by cosine, answer kind, and the question words it shares."""
        text = self.index.passages[position].text
        spans = sentences(text)
        rows = self.index.sentences.of_passage(position)
        shared = [overlap(asked, content_stems(text[a:b])) for a, b in spans]
        best, _, _ = best_sentence(
            text,
            spans,
            self._sentence_matrix[rows.start : rows.stop] @ vector,
            wanted,
            self.params.answer_type_weight,
            shared,
            self.params.highlight_overlap_weight,
        )
        return spans[best]

    def _shingles_of(self, position: int) -> frozenset[tuple[str, ...]]:
        found = self._shingles.get(position)
        if found is None:
            found = self._shingles[position] = shingles(self.index.passages[position].text)
        return found

    def _similar(self, a: int, b: int) -> bool:
        """Near-duplicates at query time: looser than ingest's, since one response should not repeat itself."""
        limits = Thresholds(self.params.result_jaccard, self.params.result_containment)
        return similar(self._shingles_of(a), self._shingles_of(b), limits)


def dense_scores(
    questions: np.ndarray,
    passages: np.ndarray,
    sentence_vectors: np.ndarray,
    rows: np.ndarray,
    sentence_weight: float,
) -> np.ndarray:
    """The dense score of every passage for every question, exactly as Searcher combines them; for calibration."""
    by_sentence = sentence_vectors @ questions.T
    best = np.full((len(passages), len(questions)), -1.0, dtype=np.float32)
    np.maximum.at(best, rows[:, 0], by_sentence)
    return ((1 - sentence_weight) * (passages @ questions.T) + sentence_weight * best).T
