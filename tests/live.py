"""End-to-end test support: a real `qa serve` on a private copy of corpus and index, and a load generator."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from qa.bench import live
from qa.bench.live import qa_command

__all__ = ["TOKEN", "Server", "blast", "environment", "free_port", "qa_command", "workspace"]

PORTS = range(8020, 8030)  # the ports this project's tests may use
TOKEN = "test-admin-token-0123456789"


def free_port(ports: range = PORTS) -> int:
    return live.free_port(ports)


def workspace(tmp: Path, corpus: Path, index: Path) -> tuple[Path, Path]:
    """Copies of a corpus and a built index that a test may change freely."""
    shutil.copytree(corpus, tmp / "corpus")
    shutil.copytree(index, tmp / "index", ignore=shutil.ignore_patterns(".lock"))
    return tmp / "corpus", tmp / "index"


def environment(corpus: Path, index: Path, **extra: str) -> dict[str, str]:
    """This process's environment without its QA_* settings, pointing at `corpus` and `index`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("QA_")}
    env.update(HF_HUB_OFFLINE="1", QA_CORPUS_DIR=str(corpus), QA_INDEX_DIR=str(index), **extra)
    return env


class Server(live.LiveServer):
    """`qa serve` on a free port of the tests' range, with the admin API on; a context manager."""

    def __init__(self, corpus: Path, index: Path, log: Path, **env: str) -> None:
        super().__init__(
            corpus,
            index,
            port=free_port(),
            environment=environment(corpus, index, QA_ADMIN_TOKEN=TOKEN, **env),
            log=log,
        )
        self.base = self.url

    def rss_kib(self) -> int:
        """Resident memory of the server process, from /proc."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise RuntimeError("no VmRSS")

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
