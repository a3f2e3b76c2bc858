"""Question -> ranked, deduplicated, cited hits: dense and lexical retrieval, fused, with abstention."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from qa.dedup import Thresholds, shingles, similar
from qa.embed import Embedder
from qa.highlight import ANSWER_KINDS, answer_type, best_sentences, content_stems, overlap
from qa.store import LoadedIndex
from qa.types import Answer, Hit, Passage


@dataclass(frozen=True)
class SearchParams:
    """The ranking knobs, from Settings; kept apart so evaluation can sweep them."""

    candidates: int = 100
    dense_weight: float = 0.7
    sentence_weight: float = 0.7
    answer_type_weight: float = 0.1
    phrase_weight: float = 0.2
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


@dataclass(frozen=True)
class Ranking:
    """Fused candidates as aligned arrays, best first; a Candidate is made only for those looked at."""

    positions: np.ndarray
    dense: np.ndarray
    lexical: np.ndarray
    fused: np.ndarray
    spans: np.ndarray  # (start, end) of each candidate's best sentence

    def __len__(self) -> int:
        return len(self.positions)

    def __iter__(self) -> Iterator[Candidate]:
        for i in range(len(self)):
            start, end = self.spans[i].tolist()
            yield Candidate(
                int(self.positions[i]),
                float(self.dense[i]),
                float(self.lexical[i]),
                float(self.fused[i]),
                (start, end),
            )


def _normalised(scores: np.ndarray, found: np.ndarray, method: str, floor: float | None) -> np.ndarray:
    """One retriever's scores on a common scale; `found` marks the candidates it returned, the rest get its floor."""
    values = scores[found]
    if not len(values):
        return np.zeros(len(scores))
    low = float(values.min()) if floor is None else floor
    scores = np.where(found, scores, low)
    if method == "rrf":
        # Rank among the retriever's own results; what it did not return scores zero.
        order = np.lexsort((np.arange(len(scores)), -scores))
        rank = np.empty(len(scores))
        rank[order] = np.arange(1, len(scores) + 1)
        return np.where(found, 61 / (60 + rank), 0.0)
    if method == "zscore":
        return (scores - values.mean()) / (float(values.std()) or 1.0)
    high = float(values.max())
    return (scores - low) / (high - low) if high > low else np.ones(len(scores))


def fuse_arrays(
    dense: np.ndarray,
    lexical: np.ndarray,
    lexical_found: np.ndarray,
    dense_weight: float,
    bonus: np.ndarray,
    method: str = "minmax",
) -> tuple[np.ndarray, np.ndarray]:
    """Fused scores of candidates given as aligned arrays, and their order, best first.

    Ties break on the dense score, then on the candidate's position in the arrays.
    """
    d_norm = _normalised(dense, np.ones(len(dense), dtype=bool), method, None)
    l_norm = _normalised(lexical, lexical_found, method, 0.0 if method == "minmax" else None)
    fused = dense_weight * d_norm + (1 - dense_weight) * l_norm + bonus
    return fused, np.lexsort((np.arange(len(fused)), -dense, -fused))


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
    A passage one retriever did not find gets that retriever's floor.
    """
    positions = sorted(set(dense) | set(lexical))
    if not positions:
        return []
    bonus = bonus or {}
    low = min(dense.values(), default=0.0)
    dense_array = np.array([dense.get(p, low) for p in positions])
    lexical_array = np.array([lexical.get(p, 0.0) for p in positions])
    lexical_found = np.array([p in lexical for p in positions])
    bonus_array = np.array([bonus.get(p, 0.0) for p in positions])
    fused, order = fuse_arrays(dense_array, lexical_array, lexical_found, dense_weight, bonus_array, method)
    return [
        Candidate(positions[i], float(dense_array[i]), float(lexical_array[i]), float(fused[i]))
        for i in order
    ]


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
        # Each passage's sentences are the contiguous rows first[p]:first[p] + count[p] of the sentence index.
        rows = index.sentences.rows
        owners = np.arange(len(index.passages))
        self._first = np.searchsorted(rows[:, 0], owners, side="left")
        self._count = np.searchsorted(rows[:, 0], owners, side="right") - self._first
        # Which sentences hold a date or a number: once here, not a regex per sentence per query.
        texts = [index.passages[p].text[a:b] for p, a, b in rows.tolist()]
        self._holds = {
            kind: np.array([bool(kind.search(t)) for t in texts], dtype=bool) for kind in ANSWER_KINDS
        }
        self._stems: dict[int, frozenset[str]] = {}
        self._shingles: dict[int, frozenset[tuple[str, ...]]] = {}

    def passage(self, passage_id: str) -> Passage | None:
        return self._by_id.get(passage_id)

    def ask(self, question: str, k: int = 5) -> Answer:
        return self.ask_batch([question], k)[0]

    def ask_batch(self, questions: Sequence[str], k: int = 5) -> list[Answer]:
        """Answers in question order; the questions are embedded in one pass."""
        started = time.perf_counter()
        vectors = self.embed_questions(list(questions))
        answers = [self._answer(q, v, k) for q, v in zip(questions, vectors, strict=True)]
        each_ms = (time.perf_counter() - started) * 1000 / max(len(questions), 1)
        return [Answer(a.question, a.hits, a.no_answer, round(each_ms, 3)) for a in answers]

    def embed_questions(self, questions: list[str]) -> np.ndarray:
        return self.embedder.embed(questions)

    def candidates(self, question: str, vector: np.ndarray) -> Ranking:
        """Passages found by any retriever (passage vectors, sentence vectors, BM25), scored and fused.

        A passage's dense score mixes its own cosine with that of its best sentence, where a sentence
        holding the asked-for kind of answer (a date for "when") gets a bonus; the fused score adds
        that bonus and one for the share of the question's word pairs the passage holds; all of it
        array arithmetic over the candidates' sentence rows.
        """
        params, index = self.params, self.index
        limit = params.candidates
        _, ids = index.vectors.search(vector[None, :], limit)
        _, sentence_ids = index.sentences.vectors.search(vector[None, :], limit)
        ((lex_ids, lex_scores),) = index.lexical.search([question], limit)
        positions = np.union1d(
            np.union1d(ids[0][ids[0] >= 0], index.sentences.rows[sentence_ids[0][sentence_ids[0] >= 0], 0]),
            np.asarray(lex_ids, dtype=np.int64),
        ).astype(np.int64)
        if not len(positions):
            return Ranking(*(np.zeros(0) for _ in range(4)), np.zeros((0, 2), dtype=np.int64))
        lexical = np.zeros(len(positions))
        lexical_found = np.zeros(len(positions), dtype=bool)
        slots = np.searchsorted(positions, lex_ids)
        lexical[slots], lexical_found[slots] = lex_scores, True

        # The candidates' sentence rows, passage after passage, and which candidate owns each.
        counts = self._count[positions]
        ends = np.cumsum(counts)
        starts = ends - counts
        rows = np.repeat(self._first[positions] - starts, counts) + np.arange(ends[-1])
        owner = np.repeat(np.arange(len(positions)), counts)
        sentence_scores = (self._sentence_matrix[rows] @ vector).astype(np.float64)
        wanted = answer_type(question)
        typed = self._holds[wanted][rows] if wanted is not None else np.zeros(len(rows), dtype=bool)
        best = best_sentences(sentence_scores, typed, params.answer_type_weight, owner, starts)

        passage_scores = (self._passage_matrix[positions] @ vector).astype(np.float64)
        dense = (1 - params.sentence_weight) * passage_scores + params.sentence_weight * sentence_scores[best]
        bonus = np.where(typed[best], params.answer_type_weight, 0.0)
        if params.phrase_weight:
            bonus += params.phrase_weight * index.phrases.shares(question, positions)
        fused, order = fuse_arrays(dense, lexical, lexical_found, params.dense_weight, bonus, params.fusion)
        spans = index.sentences.rows[rows[best], 1:]
        return Ranking(positions[order], dense[order], lexical[order], fused[order], spans[order])

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
        best_dense = float(ranked.dense.max()) if len(ranked) else -1.0
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
        first = int(self._first[position])
        rows = np.arange(first, first + int(self._count[position]))
        value = (self._sentence_matrix[rows] @ vector).astype(np.float64)
        if wanted is not None:
            value += np.where(self._holds[wanted][rows], self.params.answer_type_weight, 0.0)
        if asked:
            shared = [overlap(asked, self._stems_of(row)) for row in rows.tolist()]
            value += self.params.highlight_overlap_weight * np.array(shared)
        _, start, end = self.index.sentences.rows[rows[int(np.argmax(value))]].tolist()
        return start, end

    def _stems_of(self, row: int) -> frozenset[str]:
        found = self._stems.get(row)
        if found is None:
            position, start, end = self.index.sentences.rows[row].tolist()
            found = self._stems[row] = content_stems(self.index.passages[position].text[start:end])
        return found

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
