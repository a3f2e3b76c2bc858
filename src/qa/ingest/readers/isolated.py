"""Readers run in child processes: a hostile file that crashes PDFium, loops or eats memory costs one document."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import queue
import resource
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection
from multiprocessing.reduction import ForkingPickler
from pathlib import Path

from qa.ingest.readers import Extracted, Limits, Unreadable, preload, read

# What a worker tells: ("page", pages done), ("done", Extracted) or ("unreadable", reason).
_Message = tuple[str, object]


def _serve(connection: Connection, limits: Limits) -> None:
    """A worker's process: read each path it is sent; it never prints a traceback, whatever happens to it."""
    # Said without allocating, where even pickling a reply fails: the message is pickled while memory is free.
    out_of_memory = ForkingPickler.dumps(
        ("unreadable", f"over the memory limit ({limits.memory_bytes >> 20} MiB) while reading")
    )
    try:
        _read_each(connection, limits)
    except MemoryError:
        with contextlib.suppress(BaseException):
            connection.send_bytes(out_of_memory)
    except BaseException:  # the caller hears of a worker that died; nothing is printed here
        pass
    finally:
        os._exit(0)  # no interpreter teardown, which could print or fail under the memory cap


def _read_each(connection: Connection, limits: Limits) -> None:
    failure: str | None = None
    try:
        preload()
    except ImportError as error:  # a broken install: every document would fail the same way
        failure = f"the document readers cannot start here ({_first_line(error)})"
    else:
        # The address-space cap (set once the libraries are loaded) turns a runaway allocation by one document
        # into a MemoryError here, not the machine's OOM killer.
        resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    while True:
        try:
            path = connection.recv()
        except (EOFError, OSError):
            return
        result: _Message
        if failure is not None:
            connection.send(("unreadable", failure))
            continue
        try:
            result = ("done", read(Path(path), limits, lambda pages: connection.send(("page", pages))))
        except Unreadable as error:
            result = ("unreadable", str(error))
        except MemoryError:
            raise
        except Exception as error:  # a reader's library failing on a malformed file: that file is damaged
            result = ("unreadable", f"damaged ({type(error).__name__}: {_first_line(error)})")
        connection.send(result)


def _first_line(error: BaseException) -> str:
    """An error's message on one line, short enough for a build's summary."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    text = lines[0] if lines else type(error).__name__
    return text if len(text) <= 200 else text[:199] + "…"


class _Worker:
    """One child process that reads documents one after another."""

    def __init__(self, limits: Limits) -> None:
        context = multiprocessing.get_context("spawn")  # no fork of a threaded parent (tokenizers, ONNX)
        self._connection, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(child, limits), daemon=True)
        self._process.start()
        child.close()
        self._memory = limits.memory_bytes
        self.alive = True

    def read(self, path: Path, seconds: float, on_pages: Callable[[int], None]) -> Extracted:
        self._connection.send(str(path))
        deadline = time.monotonic() + seconds
        done = 0
        while True:
            remaining = deadline - time.monotonic()
            try:
                ready = remaining > 0 and self._connection.poll(remaining)
                if not ready:
                    self.stop()
                    raise Unreadable(f"reading took over {seconds:g} s: stopped")
                kind, value = self._connection.recv()
            except (EOFError, OSError) as error:
                self.stop()
                raise Unreadable(
                    "the reader stopped on it: damaged, or over the memory limit "
                    f"({self._memory >> 20} MiB; QA_DOCUMENT_MEMORY_MB)"
                ) from error
            if kind == "page":
                assert isinstance(value, int)
                on_pages(value - done)
                done = value
            elif kind == "done":
                assert isinstance(value, Extracted)
                return value
            else:
                raise Unreadable(str(value))

    def stop(self) -> None:
        self.alive = False
        self._process.kill()
        self._process.join(5)
        self._connection.close()


def read_all(
    paths: Sequence[Path],
    limits: Limits,
    *,
    workers: int = 1,
    on_pages: Callable[[int], None] = lambda pages: None,
) -> Iterator[tuple[int, Extracted | Unreadable]]:
    """Each path's extraction (or why it cannot be read), as they finish, by position in `paths`."""
    if not paths:
        return
    idle: queue.Queue[_Worker] = queue.Queue()
    started: list[_Worker] = []

    def one(index: int) -> tuple[int, Extracted | Unreadable]:
        try:
            worker = idle.get_nowait()
        except queue.Empty:
            worker = _Worker(limits)
            started.append(worker)
        try:
            return index, worker.read(paths[index], limits.seconds, on_pages)
        except Unreadable as error:
            return index, error
        finally:
            if not worker.alive:
                worker = _Worker(limits)
                started.append(worker)
            idle.put(worker)

    count = max(1, min(workers, len(paths)))
    try:
        with ThreadPoolExecutor(count, thread_name_prefix="reader") as pool:
            yield from (future.result() for future in [pool.submit(one, i) for i in range(len(paths))])
    finally:
        for worker in started:
            if worker.alive:
                worker.stop()
