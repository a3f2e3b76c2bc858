"""The ranking formula, whole and in one place: pure numpy over the candidates' scores.

A passage's score for a question is

    fused = w_dense * norm(dense) + (1 - w_dense) * norm(bm25) + kind bonus + phrase bonus
    dense = (1 - w_sentence) * cos(question, passage) + w_sentence * cos(question, best sentence)

where the best sentence is the one with the highest cosine plus the kind bonus, the kind bonus is
`answer_type_weight` when that sentence holds the kind of answer asked for (a date for "when"), and the
phrase bonus is `phrase_weight` times the IDF-weighted share of the question's word pairs the passage holds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class SearchParams:
    """The ranking knobs; made from Settings by `qa.params.search_params`, where their defaults live."""

    candidates: int
    dense_weight: float
    sentence_weight: float
    answer_type_weight: float
    phrase_weight: float
    highlight_overlap_weight: float
    fusion: str
    abstain_threshold: float | None
    result_jaccard: float
    result_containment: float


def dense_mix(passage: np.ndarray, best_sentence: np.ndarray, sentence_weight: float) -> np.ndarray:
    """The dense score: the passage's own cosine mixed with its best sentence's."""
    return (1 - sentence_weight) * passage + sentence_weight * best_sentence


def dense_scores(
    questions: np.ndarray,
    passages: np.ndarray,
    sentence_vectors: np.ndarray,
    rows: np.ndarray,
    sentence_weight: float,
) -> np.ndarray:
    """The dense score of every passage for every question (questions x passages), without the kind bonus;
    for calibrating abstention at build time on the same scale the searcher abstains on."""
    by_sentence = sentence_vectors @ questions.T
    best = np.full((len(passages), len(questions)), -1.0, dtype=np.float32)
    np.maximum.at(best, rows[:, 0], by_sentence)
    return dense_mix(passages @ questions.T, best, sentence_weight).T


def best_sentences(
    scores: np.ndarray, holds_kind: np.ndarray, bonus: float, owner: np.ndarray, starts: np.ndarray
) -> np.ndarray:
    """The row of each passage's best sentence: highest cosine, plus `bonus` where the sentence holds the
    asked-for kind of answer; the first in text order on a tie.

    Rows are sentences, a passage's consecutive: `owner[i]` is the passage of row i, `starts[j]` the first
    row of passage j.
    """
    value = scores + np.where(holds_kind, bonus, 0.0)
    return np.lexsort((np.arange(len(value)), -value, owner))[starts]


def phrase_shares(held: np.ndarray, holders: np.ndarray, passages: int) -> np.ndarray:
    """For each candidate, the share of the question's word pairs it holds, each pair weighted by its IDF.

    `held[p, c]`: whether candidate c holds pair p; `holders[p]`: how many of the `passages` hold it. A
    pair that most passages hold (the corpus's subject, "complexity theory") says little about which answers.
    """
    if not len(holders):
        return np.zeros(held.shape[1])
    weights = np.log(1 + (passages - holders + 0.5) / (holders + 0.5))
    total = np.zeros(held.shape[1])
    for row, weight in zip(held, weights.tolist(), strict=True):
        total += np.where(row, weight, 0.0)
    return total / weights.sum()


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


def fuse(
    dense: np.ndarray,
    lexical: np.ndarray,
    lexical_found: np.ndarray,
    dense_weight: float,
    bonus: np.ndarray,
    method: str = "minmax",
) -> tuple[np.ndarray, np.ndarray]:
    """Fused scores of candidates given as aligned arrays, and their order, best first.

    By default cosine is min-max normalised over the candidates and BM25 divided by its maximum, its
    natural floor being zero; "zscore" and "rrf" (reciprocal rank fusion) are there to compare. A
    candidate BM25 did not return gets its floor. Ties break on the dense score, then on the position.
    """
    d_norm = _normalised(dense, np.ones(len(dense), dtype=bool), method, None)
    l_norm = _normalised(lexical, lexical_found, method, 0.0 if method == "minmax" else None)
    fused = dense_weight * d_norm + (1 - dense_weight) * l_norm + bonus
    return fused, np.lexsort((np.arange(len(fused)), -dense, -fused))


def highlight_values(
    cosines: np.ndarray, holds_kind: np.ndarray | None, shared: np.ndarray, params: SearchParams
) -> np.ndarray:
    """How well each sentence of one passage answers: cosine, the kind bonus, and the question words it shares."""
    value = cosines.astype(np.float64)
    if holds_kind is not None:
        value += np.where(holds_kind, params.answer_type_weight, 0.0)
    return value + params.highlight_overlap_weight * shared
