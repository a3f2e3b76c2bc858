"""The build machine's own cores: a pass over the pages spread over worker processes, in order, with progress."""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from types import TracebackType
from typing import Any

from tqdm import tqdm

log = logging.getLogger(__name__)

# Below this much text a pass costs less than starting the workers (each imports the cleaning libraries).
PARALLEL_MIN_CHARS = 2_000_000
# A pass over fewer pages (a rebuild's changed ones) runs here: starting the workers would cost more.
PARALLEL_MIN_PAGES = 32
# Pages per task, as a share of each worker's pages: small enough to even out long pages, large enough that
# sending the boilerplate set with each task costs little.
CHUNKS_PER_WORKER = 8


def build_workers(configured: int) -> int:
    """Processes for the build's passes: as configured, or one per core."""
    return configured or os.cpu_count() or 1


class PagePool:
    """Runs each pass of `qa.ingest.articles.paragraphs` over worker processes, results in page order.

    A pass over a small corpus, or with one worker, runs here. Workers are started fresh ("spawn"), not
    forked: the build process already holds ONNX Runtime and tokenizer threads, which a fork would copy
    in whatever state they were.
    """

    def __init__(self, workers: int, *, total_chars: int, progress: bool) -> None:
        self.workers = workers if total_chars >= PARALLEL_MIN_CHARS else 1
        self.progress = progress
        self._executor: ProcessPoolExecutor | None = None

    def __enter__(self) -> PagePool:
        if self.workers > 1:
            context = multiprocessing.get_context("spawn")
            self._executor = ProcessPoolExecutor(self.workers, mp_context=context)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._executor is not None:
            self._executor.shutdown(cancel_futures=True)

    def __call__(self, label: str, function: Callable[[Any], Any], items: Sequence[Any]) -> list[Any]:
        if self._executor is not None and len(items) >= PARALLEL_MIN_PAGES:
            chunk = max(1, len(items) // (self.workers * CHUNKS_PER_WORKER))
            try:
                return self._collect(label, self._executor.map(function, items, chunksize=chunk), len(items))
            except BrokenProcessPool as error:
                # A worker that died (out of memory, killed) or could not start (a script that builds without
                # an `if __name__ == "__main__":` guard is run again by each spawned worker): the pass is
                # done here instead; it gives the same result, only slower.
                log.warning("cleaning on one core: the worker processes stopped (%s)", error)
                self._executor.shutdown(cancel_futures=True)
                self._executor = None
        return self._collect(label, map(function, items), len(items))

    def _collect(self, label: str, done: Iterator[Any], total: int) -> list[Any]:
        return list(tqdm(done, total=total, desc=label, unit="page", disable=not self.progress))
