"""A live `qa serve` in a child process: started, awaited until /readyz says ready, and always stopped.

The benchmark and the end-to-end tests (load, swaps, workers, the browser) all run their servers through it.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO


def free_port(ports: range | None = None) -> int:
    """A port nothing listens on: the first free one of `ports`, or one the system picks."""
    for port in ports or [0]:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return int(probe.getsockname()[1])
    raise RuntimeError(f"no free port in {ports}")


def qa_command(*args: str) -> list[str]:
    """The `qa` command run by this Python, so a child process runs the same installation."""
    return [sys.executable, "-m", "qa.cli", *args]


def _ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/readyz", timeout=5) as response:
            return response.status == 200
    except OSError:
        return False  # not listening yet, or 503 while the index loads or builds


class LiveServer:
    """`qa serve` on `port` for `corpus` and `index`; a context manager that stops it whatever happens.

    `environment` is the child's whole environment (default: this process's, offline); `ready_within` bounds
    the wait for /readyz, which covers a first build, so that a broken server fails instead of hanging.
    """

    def __init__(
        self,
        corpus: Path,
        index: Path,
        *,
        port: int | None = None,
        environment: Mapping[str, str] | None = None,
        args: Sequence[str] = (),
        log: Path | None = None,
        ready_within: float = 300.0,
    ) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.command = qa_command(
            "serve", "--corpus", str(corpus), "--index", str(index), "--port", str(self.port), *args
        )
        self.environment = {**(environment if environment is not None else os.environ), "HF_HUB_OFFLINE": "1"}
        self.log_path = log or Path(tempfile.mkstemp(prefix="qa-serve-", suffix=".log")[1])
        self.ready_within = ready_within
        self.ready_seconds = 0.0
        self.process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    def __enter__(self) -> LiveServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        if self.process is not None:
            raise RuntimeError("the server is already started: use start() or a `with` block, not both")
        started = time.perf_counter()
        # Open for as long as the server runs, so not a `with`: stop() closes it.
        self._log = open(self.log_path, "wb")  # noqa: SIM115
        self.process = subprocess.Popen(
            self.command, env=self.environment, stdout=self._log, stderr=subprocess.STDOUT
        )
        try:
            self.wait_ready()
        except BaseException:
            self.stop()
            raise
        self.ready_seconds = time.perf_counter() - started

    def wait_ready(self) -> None:
        deadline = time.monotonic() + self.ready_within
        while not _ready(self.url):
            process = self.running()
            if process.poll() is not None:
                raise RuntimeError(f"qa serve exited with {process.returncode}:\n{self.log()[-3000:]}")
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"qa serve was not ready in {self.ready_within:.0f} s:\n{self.log()[-3000:]}"
                )
            time.sleep(0.05)

    def running(self) -> subprocess.Popen[bytes]:
        if self.process is None:
            raise RuntimeError("the server was not started")
        return self.process

    @property
    def pid(self) -> int:
        return self.running().pid

    def log(self) -> str:
        if self._log is not None and not self._log.closed:
            self._log.flush()
        return self.log_path.read_text(errors="replace")

    def terminate(self, timeout: float = 60) -> int:
        """SIGTERM, then the exit status once the server has shut down."""
        process = self.running()
        process.send_signal(signal.SIGTERM)
        return process.wait(timeout)

    def stop(self) -> None:
        """SIGTERM, and SIGKILL if it has not stopped within 15 s."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)
        if self._log is not None:
            self._log.close()
