"""Answers to repeated questions from memory: a small, thread-safe LRU cache of answers."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable

from qa.types import Answer


def question_key(question: str, k: int, *extra: Hashable) -> tuple[Hashable, ...]:
    """Questions that differ only in spacing get the same answer; case is kept, as a cased model reads it."""
    return " ".join(question.split()), k, *extra


class AnswerCache:
    """Least recently used answers by key; thread-safe, and empty when `size` is 0."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._answers: OrderedDict[Hashable, Answer] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable) -> Answer | None:
        with self._lock:
            answer = self._answers.get(key)
            if answer is None:
                self.misses += 1
                return None
            self._answers.move_to_end(key)
            self.hits += 1
            return answer

    def put(self, key: Hashable, answer: Answer) -> None:
        if self.size <= 0:
            return
        with self._lock:
            self._answers[key] = answer
            self._answers.move_to_end(key)
            while len(self._answers) > self.size:
                self._answers.popitem(last=False)
