"""A real `qa serve` in a subprocess, on a private copy of corpus and index, for the end-to-end tests."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

PORTS = range(8020, 8030)  # the ports this project's tests may use
TOKEN = "test-admin-token-0123456789"
# Safety bounds for waiting on a subprocess, so that a broken server fails the test instead of hanging it.
START_LIMIT = 180.0


def free_port(ports: range = PORTS) -> int:
    for port in ports:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {ports.start}-{ports.stop - 1}")


def workspace(tmp: Path, corpus: Path, index: Path) -> tuple[Path, Path]:
    """Copies of a corpus and a built index that a test may change freely."""
    shutil.copytree(corpus, tmp / "corpus")
    shutil.copytree(index, tmp / "index", ignore=shutil.ignore_patterns(".lock"))
    return tmp / "corpus", tmp / "index"


def qa_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "qa.cli", *args]


def environment(corpus: Path, index: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QA_")}
    env.update(HF_HUB_OFFLINE="1", QA_CORPUS_DIR=str(corpus), QA_INDEX_DIR=str(index), **extra)
    return env


class Server:
    """`qa serve` on a free port; use as a context manager, which stops it whatever happens."""

    def __init__(self, corpus: Path, index: Path, log: Path, **env: str) -> None:
        self.port = free_port()
        self.log_path = log
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = environment(corpus, index, QA_ADMIN_TOKEN=TOKEN, **env)
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        self.log_file = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            qa_command("serve", "--port", str(self.port)),
            env=self.env,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
        )
        self.wait_ready()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(30)
        self.log_file.close()

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def log(self) -> str:
        self.log_file.flush()
        return self.log_path.read_text(errors="replace")

    def wait_ready(self) -> None:
        deadline = time.monotonic() + START_LIMIT
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"qa serve exited with {self.process.returncode}:\n{self.log()[-3000:]}")
            try:
                if httpx.get(self.base + "/readyz", timeout=5).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"qa serve was not ready in {START_LIMIT} s:\n{self.log()[-3000:]}")

    def rss_kib(self) -> int:
        """Resident memory of the server process, from /proc."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise RuntimeError("no VmRSS")

    def terminate(self, timeout: float = 60) -> int:
        """SIGTERM, then the exit status once the server has shut down."""
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout)

    def admin(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {TOKEN}"}


def blast(port: int, questions: list[str], concurrency: int) -> Counter[str]:
    """POST each question to /ask from `concurrency` keep-alive connections; count the outcomes.

    A bare HTTP/1.1 client on asyncio streams: httpx spends more CPU per request than the server
    does, and on two cores the client would be what the test measures.
    """

    async def run() -> Counter[str]:
        outcomes: Counter[str] = Counter()
        pending = iter(questions)

        async def connection() -> None:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            try:
                for question in pending:
                    body = json.dumps({"question": question}).encode()
                    writer.write(
                        b"POST /ask HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
                    )
                    await writer.drain()
                    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
                    status = int(head[0].split()[1])
                    length = next(
                        int(h.split(":")[1]) for h in head if h.lower().startswith("content-length:")
                    )
                    answer = json.loads(await reader.readexactly(length))
                    ok = status == 200 and len(answer["results"]) == 5
                    outcomes["ok" if ok else f"status {status}"] += 1
            except (OSError, asyncio.IncompleteReadError, ValueError) as error:
                outcomes[type(error).__name__] += 1
            finally:
                writer.close()

        await asyncio.gather(*(connection() for _ in range(concurrency)))
        return outcomes

    # In a thread of its own: the browser tests leave an event loop running in the main thread.
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, run()).result()
