"""Cleaning spread over worker processes gives the same paragraphs, in the same order, as cleaning in one."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Sequence
from pathlib import Path

from qa.build.parallel import PagePool
from qa.ingest.articles import paragraphs
from qa.ingest.corpus import read_corpus
from qa.ingest.documents import Document

ROOT = Path(__file__).resolve().parent.parent


def _documents() -> list[Document]:
    seeds = read_corpus(ROOT / "corpus")
    # Many pages, so that each worker gets several tasks and order across tasks is exercised.
    return [Document(f"copy{n}/{d.source}", d.text) for n in range(8) for d in seeds]


def test_worker_processes_clean_pages_as_one_process_does() -> None:
    documents = _documents()
    alone = paragraphs(documents)
    with PagePool(2, total_chars=10**12, progress=False) as pool:
        assert pool.workers == 2
        spread = paragraphs(documents, map_pages=pool)
    assert spread == alone
    assert len({p.source for p in spread}) == len(documents)


def test_a_small_corpus_is_cleaned_in_process() -> None:
    with PagePool(2, total_chars=1000, progress=False) as pool:
        assert pool.workers == 1


def test_a_pass_over_a_few_pages_starts_no_worker() -> None:
    # Were they sent to a worker, this would die: a rebuild's one changed page is cleaned here.
    with PagePool(2, total_chars=10**12, progress=False) as pool:
        assert pool("doubling", _dies_in_a_worker, [1, 2, 3]) == [2, 4, 6]


def test_counting_tokens_in_batches_cuts_the_same_passages() -> None:
    from qa.build.passages import build_passages
    from qa.config import Settings
    from qa.params import dedup_thresholds

    found = paragraphs(read_corpus(ROOT / "corpus"))
    batches: list[int] = []

    def count(text: str) -> int:
        return len(text.split()) + 2

    def count_many(texts: Sequence[str]) -> list[int]:
        batches.append(len(texts))
        return [count(text) for text in texts]

    def cut(**extra: object) -> list:
        return build_passages(
            found,
            count_tokens=count,
            max_tokens=120,
            target_tokens=90,
            thresholds=dedup_thresholds(Settings()),
            **extra,  # type: ignore[arg-type]
        )

    assert cut(count_many=count_many) == cut()
    assert batches and max(batches) > 50  # the paragraphs were counted together


def _dies_in_a_worker(number: int) -> int:
    if multiprocessing.parent_process() is not None:
        os._exit(1)  # as a worker killed for memory would
    return number * 2


def test_a_pass_whose_workers_die_is_done_in_process() -> None:
    with PagePool(2, total_chars=10**12, progress=False) as pool:
        assert pool("doubling", _dies_in_a_worker, list(range(40))) == [n * 2 for n in range(40)]
