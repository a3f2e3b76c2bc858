"""Answers to repeated questions from memory: a small LRU cache in front of one Searcher."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import replace
from typing import Any

from qa.search import Searcher
from qa.types import Answer


def question_key(question: str, k: int) -> tuple[str, int]:
    """Questions that differ only in spacing get the same answer; case is kept, as a cased model reads it."""
    return " ".join(question.split()), k


class AnswerCache:
    """Least recently used answers by (question, k); thread-safe, and empty when `size` is 0."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._answers: OrderedDict[tuple[Any, ...], Answer] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: tuple[Any, ...]) -> Answer | None:
        with self._lock:
            answer = self._answers.get(key)
            if answer is None:
                self.misses += 1
                return None
            self._answers.move_to_end(key)
            self.hits += 1
            return answer

    def put(self, key: tuple[Any, ...], answer: Answer) -> None:
        if self.size <= 0:
            return
        with self._lock:
            self._answers[key] = answer
            self._answers.move_to_end(key)
            while len(self._answers) > self.size:
                self._answers.popitem(last=False)


class CachingSearcher(Searcher):
    """A Searcher whose `ask` remembers answers; it lives and dies with its index, so a new build starts empty."""

    def __init__(self, *args: Any, answers: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.answers = AnswerCache(answers)

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
