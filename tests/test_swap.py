"""Index swaps under traffic: a real `qa serve`, reindexed through the admin API and by `qa build` beside it."""

from __future__ import annotations

import subprocess
import threading
import time
from pathlib import Path

import httpx
import pytest

from live import Server, environment, qa_command, workspace

pytestmark = pytest.mark.slow

QUESTION = "when does the quokka festival take place in Perth?"
NEW_DOCUMENT = (
    b"The zebra quokka festival takes place every March in Perth.\n\n"
    b"Organisers said the quokka parade drew ten thousand visitors this year, a record for the festival.\n"
)
SWAP_LIMIT = 120.0  # safety bound while waiting for the server to pick up a build, not a timing assertion


def _ranking(response: httpx.Response) -> tuple:
    """What identifies an answer's source index: passage ids, their scores and citations, in order."""
    body = response.json()
    return tuple((r["passage_id"], r["score"], r["citation"]["source"]) for r in body["results"])


class Traffic:
    """Threads asking the same question in a loop, recording every outcome until stopped."""

    def __init__(self, base: str, threads: int = 4) -> None:
        self.base = base
        self.stop = threading.Event()
        self.outcomes: list[tuple | str] = []
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self._run) for _ in range(threads)]

    def _run(self) -> None:
        with httpx.Client(base_url=self.base, timeout=60) as client:
            while not self.stop.is_set():
                try:
                    response = client.post("/ask", json={"question": QUESTION, "k": 5})
                    outcome = _ranking(response) if response.status_code == 200 else f"{response.status_code}"
                except httpx.HTTPError as error:
                    outcome = f"{type(error).__name__}: {error}"
                with self.lock:
                    self.outcomes.append(outcome)

    def __enter__(self) -> Traffic:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(60)


def _wait_for(server: Server, predicate) -> tuple:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + SWAP_LIMIT
    while time.monotonic() < deadline:
        ranking = _ranking(httpx.post(server.base + "/ask", json={"question": QUESTION, "k": 5}, timeout=60))
        if predicate(ranking):
            return ranking
        time.sleep(0.1)
    raise AssertionError(f"the server did not swap in the new index:\n{server.log()[-3000:]}")


def test_reindex_under_traffic_serves_whole_answers_from_old_or_new(
    settings,  # type: ignore[no-untyped-def]
    corpus_dir: Path,
    tmp_path: Path,
) -> None:
    corpus, index = workspace(tmp_path, corpus_dir, settings.index_dir)
    with Server(corpus, index, tmp_path / "serve.log", QA_INDEX_POLL_SECONDS="0.2") as server:
        old = _ranking(httpx.post(server.base + "/ask", json={"question": QUESTION, "k": 5}, timeout=60))
        assert all(source != "quokka.txt" for _, _, source in old)
        with Traffic(server.base) as traffic:
            # 1. Through the admin API: upload a document, rebuild inside the server, swap.
            upload = httpx.post(
                server.base + "/documents",
                files={"file": ("quokka.txt", NEW_DOCUMENT)},
                headers=server.admin(),
                timeout=60,
            )
            assert upload.status_code == 201, upload.text
            reindex = httpx.post(server.base + "/admin/reindex", headers=server.admin(), timeout=300)
            assert reindex.status_code == 200, reindex.text
            new = _ranking(httpx.post(server.base + "/ask", json={"question": QUESTION, "k": 5}, timeout=60))
            assert new[0][2] == "quokka.txt"

            # 2. From the command line, beside the running server: remove the document and build.
            deleted = httpx.delete(server.base + "/documents/quokka.txt", headers=server.admin(), timeout=60)
            assert deleted.status_code == 200
            build = subprocess.run(
                qa_command("build"),
                env=environment(corpus, index),
                capture_output=True,
                text=True,
                timeout=300,
            )
            assert build.returncode == 0, build.stderr
            back = _wait_for(server, lambda ranking: all(s != "quokka.txt" for _, _, s in ranking))
            time.sleep(0.5)  # let the traffic see the rebuilt index too, not only the probe
        outcomes = traffic.outcomes

    failures = [o for o in outcomes if isinstance(o, str)]
    assert not failures, failures[:5]
    references = {old, new, back}
    mixed = [o for o in outcomes if o not in references]
    assert not mixed, mixed[:3]
    assert new in outcomes, "no request saw the index built through the admin API"
    print(f"swap under traffic: {len(outcomes)} requests, 0 failed, {outcomes.count(new)} from the new index")
