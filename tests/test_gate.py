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

    # Daemon threads: one stuck at the gate fails the test below instead of keeping the process alive.
    threads = [threading.Thread(target=work, daemon=True) for _ in range(8)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 60
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    assert not any(thread.is_alive() for thread in threads), "a worker never got in: a slot was lost"
    assert most == 2

    # Both slots are free again: one thread takes both at once. A lost slot would block it for good, so it
    # tries in a thread of its own and the test waits for it with a deadline.
    both_in = threading.Event()

    def take_both() -> None:
        with gate, gate:
            both_in.set()

    taker = threading.Thread(target=take_both, daemon=True)
    taker.start()
    assert both_in.wait(30), "two holders could not get in at once: a slot was lost"
    taker.join(30)
    assert not taker.is_alive()
