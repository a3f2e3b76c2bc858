"""`qa serve --workers 2`: two real server processes answer from one index, and a new build reaches both."""

from __future__ import annotations

import json
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from live import environment, free_port, qa_command, workspace
from qa.bench.live import LiveServer
from qa.index.store import MANIFEST, current_build

pytestmark = pytest.mark.slow

PORTS = range(8040, 8050)  # the ports issue 7's tests may use
LIMIT = 180.0


def _workers(pid: int) -> list[int]:
    """Uvicorn's worker processes: the spawned children of the supervisor."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [
        int(c)
        for c in children
        if "spawn_main" in Path(f"/proc/{c}/cmdline").read_bytes().decode(errors="replace")
    ]


def _until(check, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + LIMIT
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def _all_ready(base: str, built_at: str | None = None) -> bool:
    """Twenty readiness answers in a row, so that every worker has been asked (the kernel spreads them)."""
    try:
        answers = [httpx.get(base + "/readyz", timeout=5) for _ in range(20)]
    except httpx.TransportError:
        return False
    return all(a.status_code == 200 and built_at in (None, a.json()["built_at"]) for a in answers)


def test_two_workers_answer_from_one_index_and_follow_a_new_build(settings, tmp_path: Path) -> None:
    corpus, index = workspace(tmp_path, settings.corpus_dir, settings.index_dir)
    env = environment(corpus, index, QA_INDEX_POLL_SECONDS="0.2", QA_QUERY_CACHE="0")
    server = LiveServer(
        corpus,
        index,
        port=free_port(PORTS),
        environment=env,
        args=["--workers", "2"],
        log=tmp_path / "serve.log",
    )
    base = server.url
    with server:
        # Ready as soon as one worker is: wait for both.
        _until(lambda: _all_ready(base), "both workers to be ready")
        assert len(_workers(server.pid)) == 2

        questions = [
            "when was the deadline?",
            "who leads the exile group?",
            "what happened at Camp Ashraf?",
        ]
        with ThreadPoolExecutor(8) as pool, httpx.Client(timeout=30) as client:
            answers = list(
                pool.map(lambda i: client.post(base + "/ask", json={"question": questions[i % 3]}), range(64))
            )
        assert [a.status_code for a in answers] == [200] * 64

        # A new document, a new build beside the running server: every worker must serve it.
        (corpus / "zz_new.txt").write_text(
            "The Vinterhavn lighthouse keeper counted 4,117 migrating cranes over the fjord on Tuesday morning.\n"
        )
        before = httpx.get(base + "/readyz").json()["built_at"]
        subprocess.run(qa_command("build"), env=env, check=True, capture_output=True, timeout=LIMIT)
        after = _built_at(index)
        assert after != before
        _until(lambda: _all_ready(base, after), "every worker to serve the new build")
        for _ in range(20):
            top = httpx.post(
                base + "/ask", json={"question": "How many cranes did the lighthouse keeper count?"}
            )
            assert top.status_code == 200
            assert "4,117" in top.json()["results"][0]["text"]


def _built_at(index: Path) -> str:
    folder = current_build(index)
    assert folder is not None
    return json.loads((folder / MANIFEST).read_text())["built_at"]
