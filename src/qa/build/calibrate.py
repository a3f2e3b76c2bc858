"""Abstention threshold, measured per corpus from questions it cannot answer."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from importlib import resources

import numpy as np

from qa.embed.runtime import Embedder
from qa.search.scoring import dense_scores
from qa.types import Passage

_NAME = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*\b")
_WORD = re.compile(r"\b[a-z]+\b")


def _lines(name: str) -> list[str]:
    text = resources.files("qa").joinpath(f"data/{name}").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip()]


def offtopic_questions() -> list[str]:
    """General questions that no ordinary document collection answers."""
    return _lines("offtopic.txt")


def frequent_names(texts: Sequence[str], limit: int = 15) -> list[str]:
    """The corpus's most widespread capitalised names, leaving out words that are only capitalised to open a sentence."""
    lower = {w for text in texts for w in _WORD.findall(text)}
    counts = Counter(name for text in texts for name in set(_NAME.findall(text)))
    return [name for name, _ in counts.most_common() if len(name) > 3 and name.lower() not in lower][:limit]


def probe_questions(texts: Sequence[str]) -> list[str]:
    """In-domain questions the corpus almost surely cannot answer: its own names, asked about odd attributes.

    They score far higher than general off-topic questions (they share the corpus's names), which
    is exactly the case a threshold set on general questions alone lets through.
    """
    templates = _lines("probes.txt")
    return [t.format(entity=name) for name in frequent_names(texts) for t in templates]


def threshold_from(offtopic_best: np.ndarray, probe_best: np.ndarray) -> float:
    """The best dense score under which a question gets no_answer.

    Above nearly all general off-topic questions (95th percentile, plus a small margin), and above
    half of the in-domain probes: cosine scores bunch together differently on every corpus, so the
    threshold is measured on this one rather than guessed.
    """
    general = float(np.quantile(offtopic_best, 0.95)) + 0.02 if len(offtopic_best) else 0.0
    in_domain = float(np.median(probe_best)) if len(probe_best) else 0.0
    return max(general, in_domain)


def abstention_threshold(
    embedder: Embedder,
    passages: Sequence[Passage],
    vectors: np.ndarray,
    sentence_vectors: np.ndarray,
    sentence_rows: np.ndarray,
    sentence_weight: float,
) -> float:
    """The threshold for a new index: its best dense score for each probe, as the searcher scores it."""

    def best(questions: np.ndarray) -> np.ndarray:
        scores = dense_scores(questions, vectors, sentence_vectors, sentence_rows, sentence_weight)
        return scores.max(axis=1) if scores.size else np.zeros(0)

    offtopic = embedder.embed(offtopic_questions())
    probes = embedder.embed(probe_questions([p.text for p in passages]))
    return threshold_from(best(offtopic), best(probes))
