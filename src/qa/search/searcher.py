"""Searcher: question -> ranked, deduplicated, cited hits from one loaded index; the retrieval around scoring."""

from __future__ import annotations

import re
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

import numpy as np

from qa.answers.timeline import with_answers
from qa.dedup.similarity import Shingles, Thresholds, shingles, similar
from qa.embed.runtime import Embedder
from qa.index.store import LoadedIndex
from qa.search import scoring
from qa.search.answers import ANSWER_KINDS, answer_type, content_stems, overlap
from qa.search.filters import NO_FILTERS, Filters
from qa.search.scoring import SearchParams
from qa.types import Answer, Hit, Passage

# Passage masks of the last few filters, so that a widget asking within one section pays for it once.
MASKS_KEPT = 64


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


EMPTY = Ranking(np.zeros(0, np.int64), np.zeros(0), np.zeros(0), np.zeros(0), np.zeros((0, 2), np.int64))


def _top(scores: np.ndarray, ids: np.ndarray, limit: int) -> np.ndarray:
    """The ids of the `limit` best scores, best first."""
    if len(scores) > limit:
        keep = np.argpartition(-scores, limit - 1)[:limit]
        ids, scores = ids[keep], scores[keep]
    return ids[np.argsort(-scores, kind="stable")]


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
        self._result_limits = Thresholds(params.result_jaccard, params.result_containment)
        self._stems: dict[int, frozenset[str]] = {}
        self._shingles: dict[int, Shingles] = {}
        self._masks: OrderedDict[Filters, np.ndarray] = OrderedDict()
        self._masks_lock = threading.Lock()

    def passage(self, passage_id: str) -> Passage | None:
        return self._by_id.get(passage_id)

    def ask(self, question: str, k: int = 5, filters: Filters = NO_FILTERS) -> Answer:
        return self.ask_batch([question], k, filters)[0]

    def ask_batch(self, questions: Sequence[str], k: int = 5, filters: Filters = NO_FILTERS) -> list[Answer]:
        """Answers in question order; the questions are embedded in one pass."""
        started = time.perf_counter()
        answers = self.rank(questions, self.embedder.embed(list(questions)), k, filters)
        return timed(answers, started)

    def rank(
        self, questions: Sequence[str], vectors: np.ndarray, k: int, filters: Filters = NO_FILTERS
    ) -> list[Answer]:
        """Answers to questions already embedded (`took_ms` left at zero)."""
        mask = self.mask(filters)
        return [self._answer(q, v, k, mask) for q, v in zip(questions, vectors, strict=True)]

    def mask(self, filters: Filters) -> np.ndarray | None:
        """Which passages the filters admit (None: all), remembered for the last few filters."""
        if not filters:
            return None
        with self._masks_lock:
            found = self._masks.get(filters)
            if found is not None:
                self._masks.move_to_end(filters)
                return found
        found = filters.mask(self.index.passages)
        with self._masks_lock:
            self._masks[filters] = found
            while len(self._masks) > MASKS_KEPT:
                self._masks.popitem(last=False)
        return found

    def candidates(self, question: str, vector: np.ndarray, mask: np.ndarray | None = None) -> Ranking:
        """Passages found by any retriever (passage vectors, sentence vectors, BM25), scored and fused.

        With a `mask`, only the passages it admits are retrieved and ranked. The formula is
        `qa.search.scoring`'s; this gathers its inputs as array arithmetic over the candidates' sentences.
        """
        params, index = self.params, self.index
        positions, lex_ids, lex_scores = self._retrieve(question, vector, params.candidates, mask)
        if not len(positions):
            return EMPTY
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
        best = scoring.best_sentences(sentence_scores, typed, params.answer_type_weight, owner, starts)

        passage_scores = (self._passage_matrix[positions] @ vector).astype(np.float64)
        dense = scoring.dense_mix(passage_scores, sentence_scores[best], params.sentence_weight)
        bonus = np.where(typed[best], params.answer_type_weight, 0.0)
        if params.phrase_weight:
            held, holders = index.phrases.holdings(question, positions)
            bonus += params.phrase_weight * scoring.phrase_shares(held, holders, index.phrases.passages)
        fused, order = scoring.fuse(dense, lexical, lexical_found, params.dense_weight, bonus, params.fusion)
        spans = index.sentences.rows[rows[best], 1:]
        return Ranking(positions[order], dense[order], lexical[order], fused[order], spans[order])

    def _retrieve(
        self, question: str, vector: np.ndarray, limit: int, mask: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Candidate positions (sorted) from every retriever, and BM25's ids and scores among them."""
        index = self.index
        sentence_owner = index.sentences.rows[:, 0]
        if mask is None:
            _, ids = index.vectors.search(vector[None, :], limit)
            _, sentence_ids = index.sentences.vectors.search(vector[None, :], limit)
            by_passage, by_sentence = (
                ids[0][ids[0] >= 0],
                sentence_owner[sentence_ids[0][sentence_ids[0] >= 0]],
            )
        else:
            # Filtering comes before ranking: the best `limit` among the admitted passages, scored exactly.
            allowed = np.flatnonzero(mask)
            by_passage = _top(self._passage_matrix[allowed] @ vector, allowed, limit)
            allowed_rows = np.flatnonzero(mask[sentence_owner])
            by_sentence = sentence_owner[
                _top(self._sentence_matrix[allowed_rows] @ vector, allowed_rows, limit)
            ]
        ((lex_ids, lex_scores),) = index.lexical.search([question], limit, mask)
        positions = np.union1d(np.union1d(by_passage, by_sentence), np.asarray(lex_ids, dtype=np.int64))
        return positions.astype(np.int64), lex_ids, lex_scores

    def _answer(self, question: str, vector: np.ndarray, k: int, mask: np.ndarray | None) -> Answer:
        chosen: list[Candidate] = []
        ranked = self.candidates(question, vector, mask)
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
        hits, timeline = with_answers(question, hits)
        return Answer(question, hits, no_answer=best_dense < self.abstain_threshold, timeline=timeline)

    def _highlight(
        self, position: int, vector: np.ndarray, asked: frozenset[str], wanted: re.Pattern[str] | None
    ) -> tuple[int, int]:
        """The sentence that best answers, by `scoring.highlight_values`."""
        first = int(self._first[position])
        rows = np.arange(first, first + int(self._count[position]))
        shared = np.array([overlap(asked, self._stems_of(row)) for row in rows.tolist()]) if asked else 0.0
        value = scoring.highlight_values(
            self._sentence_matrix[rows] @ vector,
            self._holds[wanted][rows] if wanted is not None else None,
            np.broadcast_to(shared, len(rows)),
            self.params,
        )
        _, start, end = self.index.sentences.rows[rows[int(np.argmax(value))]].tolist()
        return start, end

    def _stems_of(self, row: int) -> frozenset[str]:
        found = self._stems.get(row)
        if found is None:
            position, start, end = self.index.sentences.rows[row].tolist()
            found = self._stems[row] = content_stems(self.index.passages[position].text[start:end])
        return found

    def _shingles_of(self, position: int) -> Shingles:
        found = self._shingles.get(position)
        if found is None:
            found = self._shingles[position] = shingles(self.index.passages[position].text)
        return found

    def _similar(self, a: int, b: int) -> bool:
        """Near-duplicates at query time: looser than ingest's, since one response should not repeat itself."""
        return similar(self._shingles_of(a), self._shingles_of(b), self._result_limits)


def timed(answers: list[Answer], started: float) -> list[Answer]:
    """The answers with `took_ms`: the time since `started`, shared out over them."""
    each_ms = (time.perf_counter() - started) * 1000 / max(len(answers), 1)
    return [replace(a, took_ms=round(each_ms, 3)) for a in answers]
