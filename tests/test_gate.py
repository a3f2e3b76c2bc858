"""The serving gate: never more holders than slots, and waiters let in in the order they came."""

from __future__ import annotations

import threading
import time

from qa.search.gate import FifoGate


def _wait_until(condition, seconds: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.001)


def test_waiters_enter_in_the_order_they_came() -> None:
    gate = FifoGate(1)
    entered: list[int] = []

    def enter(number: int) -> None:
        with gate:
            entered.append(number)

    gate.__enter__()
    threads = []
    for number in range(6):
        thread = threading.Thread(target=enter, args=(number,))
        thread.start()
        threads.append(thread)
        # The next one arrives only once this one waits in line.
        _wait_until(lambda waiting=number + 1: len(gate._waiting) == waiting)
    gate.__exit__(None, None, None)
    for thread in threads:
        thread.join(10)
    assert entered == list(range(6))


def test_no_more_holders_than_slots_and_every_slot_comes_back() -> None:
    gate = FifoGate(2)
    inside = most = 0
    lock = threading.Lock()

    def work() -> None:
        nonlocal inside, most
        for _ in range(20):
            with gate:
                with lock:
                    inside += 1
                    most = max(most, inside)
                time.sleep(0.0005)
                with lock:
                    inside -= 1

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert most == 2
    # Both slots are free again: two holders get in at once without waiting.
    with gate, gate:
        assert not gate._waiting
