"""Serving around a Searcher: the answer cache, and the solo embedding of a question that comes alone."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence

import numpy as np
import pytest

from fakes import WordsEmbedder, memory_index, passage
from qa.config import Settings
from qa.params import search_params
from qa.search import serving
from qa.search.filters import Filters
from qa.search.searcher import Searcher
from qa.search.serving import ServingSearcher

PASSAGES = [
    passage("The harbour museum reopened on 14 May after repairs.", "news/museum.txt"),
    passage("The ferry was cancelled for a week because of storms.", "news/ferry.txt"),
    passage("The council approved a budget for cycle lanes.", "council/budget.txt"),
]
DEADLINE = 30.0  # generous: a loaded machine is slow, a broken one fails the test rather than hanging it


class Clock:
    """A monotonic clock the test moves by hand: the quiet period is tested without sleeping."""

    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now

    perf_counter = staticmethod(time.perf_counter)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(serving, "time", fake)
    return fake


def serving_searcher(embedder: WordsEmbedder, answers: int = 0) -> ServingSearcher:
    searcher = Searcher(memory_index(PASSAGES, WordsEmbedder()), embedder, search_params(Settings()))
    return ServingSearcher(searcher, answers=answers, parallel=2)


def test_repeated_questions_come_from_the_cache_per_filter() -> None:
    embedder = WordsEmbedder()
    search = serving_searcher(embedder, answers=8)
    first = search.ask("museum reopened", k=2)
    again = search.ask("  museum   reopened ", k=2)  # the same question, spaced otherwise
    assert [h.passage for h in again.hits] == [h.passage for h in first.hits]
    assert len(embedder.solo_calls) == 1 and search.answers.hits == 1
    within = search.ask("museum reopened", k=2, filters=Filters(sources=("council/*",)))
    assert [h.passage.citation.source for h in within.hits] == ["council/budget.txt"]
    assert len(embedder.solo_calls) == 2  # another filter is another question


def test_only_a_request_with_the_server_to_itself_runs_solo(clock: Clock) -> None:
    second_arrived = threading.Event()
    calls: list[bool] = []

    class Waiting(WordsEmbedder):
        """The first call waits inside the embedder until a second request is embedding too."""

        def embed(self, texts: Sequence[str], *, solo: bool = False) -> np.ndarray:
            calls.append(solo)
            if len(calls) == 1:
                assert second_arrived.wait(DEADLINE)
            else:
                second_arrived.set()
            return super().embed(texts, solo=solo)

    search = serving_searcher(Waiting())
    first_done = threading.Event()
    errors: list[BaseException] = []

    def ask_first() -> None:
        try:
            search.ask("when did the museum reopen?")
        except BaseException as error:  # reported to the test, which a thread's exception would not be
            errors.append(error)
        finally:
            first_done.set()

    threading.Thread(target=ask_first, daemon=True).start()
    limit = time.monotonic() + DEADLINE
    while not calls:  # the first request is inside the embedder
        assert time.monotonic() < limit and not first_done.is_set(), errors
        time.sleep(0.001)
    second = search.ask("was the ferry cancelled?")
    assert first_done.wait(DEADLINE) and not errors, errors
    assert calls == [True, False] and second.hits
    # Both have left, but requests overlapped a moment ago: the next one is not yet taken to be alone...
    search.ask("what did the council approve?")
    assert calls[-1] is False
    # ...until the server has been quiet for a while.
    clock.now += serving.QUIET_SECONDS + 0.01
    search.ask("what did the council approve for cycle lanes?")
    assert calls[-1] is True
