"""Answers to repeated questions from memory: a small, thread-safe LRU cache of answers."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

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
