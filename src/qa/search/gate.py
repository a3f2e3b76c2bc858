"""A gate that lets a few threads through at a time, the rest in the order they came."""

from __future__ import annotations

import threading
from collections import deque


class FifoGate:
    """At most `slots` holders at a time, the others let in strictly in the order they came.

    threading.Semaphore is not fair: a woken waiter that finds its slot taken by a newcomer waits again at
    the back of the queue, and under load a few requests wait many turns.
    """

    def __init__(self, slots: int) -> None:
        self._free = slots
        self._lock = threading.Lock()
        self._waiting: deque[threading.Lock] = deque()

    def __enter__(self) -> None:
        with self._lock:
            if self._free:
                self._free -= 1
                return
            turn = threading.Lock()
            turn.acquire()
            self._waiting.append(turn)
        turn.acquire()  # released by a holder leaving, which hands its slot over directly

    def __exit__(self, *_: object) -> None:
        with self._lock:
            if self._waiting:
                self._waiting.popleft().release()
            else:
                self._free += 1
