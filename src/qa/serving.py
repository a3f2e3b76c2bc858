"""Opening a Searcher for serving: the current index and its exported model, checked against the settings."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from qa.config import Settings
from qa.embed import OnnxEmbedder
from qa.gate import FifoGate
from qa.querycache import AnswerCache, question_key
from qa.search import Searcher, SearchParams
from qa.store import IndexProblem, LoadedIndex, load
from qa.types import Answer


def search_params(settings: Settings) -> SearchParams:
    return SearchParams(
        candidates=settings.candidates,
        dense_weight=settings.dense_weight,
        sentence_weight=settings.sentence_weight,
        answer_type_weight=settings.answer_type_weight,
        phrase_weight=settings.phrase_weight,
        highlight_overlap_weight=settings.highlight_overlap_weight,
        abstain_threshold=settings.abstain_threshold,
        result_jaccard=settings.result_jaccard,
    )


def open_searcher(settings: Settings) -> Searcher:
    """The Searcher over the current index; refuses an index built with another model."""
    index = load(settings.index_dir)
    if index.manifest.model != settings.model:
        raise IndexProblem(
            f"the index was built with model {index.manifest.model}, the configured model is {settings.model}: "
            "run `qa build`"
        )
    embedder = OnnxEmbedder(
        index.model_dir,
        threads=settings.threads,
        batch_size=settings.embed_batch_size,
        solo_threads=settings.solo_threads,
    )
    embedder.keep_solo_if_faster(sample_questions(index))
    return ServingSearcher(
        index, embedder, search_params(settings), answers=settings.query_cache, parallel=os.cpu_count() or 1
    )


# How long since requests last overlapped before one is taken to come alone.
QUIET_SECONDS = 0.25


def sample_questions(index: LoadedIndex, count: int = 10, words: int = 10) -> list[str]:
    """Question-sized texts from the index's own sentences, spread over it: for timing the query path."""
    rows = index.sentences.rows
    picked = rows[np.linspace(0, len(rows) - 1, num=min(count, len(rows)), dtype=int)] if len(rows) else rows
    return [" ".join(index.passages[p].text[a:b].split()[:words]) for p, a, b in picked.tolist()]


class ServingSearcher(Searcher):
    """The Searcher that serving uses: repeated questions come from memory, and one search per core runs
    at a time. It lives and dies with its index, so a new build starts with an empty cache."""

    embedder: OnnxEmbedder

    def __init__(self, *args: Any, answers: int, parallel: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.answers = AnswerCache(answers)
        self._in_flight = 0
        self._crowded_at = 0.0  # when a request last arrived while another was in flight
        self._counting = threading.Lock()
        # Searches beyond one per core only take turns holding the GIL. On 2 cores at concurrency 8, letting
        # two in at a time served about 30% more requests, with a 25% lower p99 and 20% less CPU each; letting
        # the rest in first come, first served (not as threading.Semaphore does) cut the p99 by another 30%.
        self._gate = FifoGate(parallel)

    def ask(self, question: str, k: int = 5) -> Answer:
        started = time.perf_counter()
        # The ranking parameters are part of the key: evaluation changes them on a live Searcher.
        key = (*question_key(question, k), self.params, self.abstain_threshold)
        cached = self.answers.get(key)
        if cached is None:
            answer = super().ask(question, k)
            self.answers.put(key, answer)
            return answer
        took = round((time.perf_counter() - started) * 1000, 3)
        return replace(cached, question=question, took_ms=took)

    def ask_batch(self, questions: Sequence[str], k: int = 5) -> list[Answer]:
        with self._counting:
            self._in_flight += 1
            if self._in_flight > 1:
                self._crowded_at = time.monotonic()
        try:
            with self._gate:
                return super().ask_batch(questions, k)
        finally:
            with self._counting:
                self._in_flight -= 1

    def embed_questions(self, questions: list[str]) -> np.ndarray:
        # A request with the server to itself may use every core: on a CPU where that pays, a lone question is
        # answered sooner. Under load each keeps to one: the solo session's threads would take the cores from
        # the others, and a moment alone between two requests (the rest still in HTTP) is no quiet.
        alone = self._in_flight == 1 and time.monotonic() - self._crowded_at > QUIET_SECONDS
        return self.embedder.embed(questions, solo=alone)
