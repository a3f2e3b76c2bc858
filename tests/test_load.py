"""A real `qa serve` under load (10,000 requests at concurrency 32) and at shutdown (SIGTERM mid-request)."""

from __future__ import annotations

import json
import os
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from live import Server, blast, workspace

pytestmark = pytest.mark.slow

REQUESTS = int(os.environ.get("QA_LOAD_REQUESTS", "10000"))
CONCURRENCY = 32
WARM_UP = 1100  # more than the answer cache holds (QA_QUERY_CACHE, 1,024)
QUESTIONS = (
    "when was the deadline?",
    "who is Maryam Rajavi?",
    "how many residents moved to Camp Hurriya?",
    "what happened at Camp Ashraf?",
)


def _questions(count: int, *, start: int = 0, every: int = 8) -> list[str]:
    """Four real questions, with every `every`-th one made unique: the answer cache serves the repeats,
    the unique ones take the whole search path and keep the cache evicting."""
    return [
        f"{QUESTIONS[n % len(QUESTIONS)]} (variant {n})" if n % every == 0 else QUESTIONS[n % len(QUESTIONS)]
        for n in range(start, start + count)
    ]


def _metrics(base: str) -> dict[str, dict[tuple, float]]:
    """The server's /metrics as {sample name: {sorted labels: value}}, parsed by the reference parser."""
    response = httpx.get(base + "/metrics", timeout=30)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    samples: dict[str, dict[tuple, float]] = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            samples.setdefault(sample.name, {})[tuple(sorted(sample.labels.items()))] = sample.value
    return samples


def test_ten_thousand_requests_without_errors_or_memory_growth(
    settings,  # type: ignore[no-untyped-def]
    corpus_dir: Path,
    tmp_path: Path,
) -> None:
    corpus, index = workspace(tmp_path, corpus_dir, settings.index_dir)
    with Server(corpus, index, tmp_path / "serve.log") as server:
        # Warm-up: enough unique questions to fill the answer cache, so that it is full before measuring.
        warm = blast(server.port, _questions(WARM_UP, start=-WARM_UP, every=1), CONCURRENCY)
        before, started = server.rss_kib(), time.monotonic()
        first = blast(server.port, _questions(REQUESTS // 2), CONCURRENCY)
        middle = server.rss_kib()
        second = blast(server.port, _questions(REQUESTS - REQUESTS // 2, start=REQUESTS // 2), CONCURRENCY)
        after, seconds = server.rss_kib(), time.monotonic() - started
        metrics = _metrics(server.base)
        log = server.log()

    outcomes = warm + first + second
    print(
        f"load: {REQUESTS} requests (+{WARM_UP} warm-up) at concurrency {CONCURRENCY} in {seconds:.0f} s: "
        f"{dict(outcomes)}; "
        f"RSS {before / 1024:.1f} MiB -> {middle / 1024:.1f} MiB -> {after / 1024:.1f} MiB"
    )
    assert outcomes == Counter(ok=REQUESTS + WARM_UP)
    # Allocator pools settle during the warm-up; a leak keeps growing through both halves.
    assert after - before < 32 * 1024, (before, middle, after)
    assert after - middle < 16 * 1024, (before, middle, after)

    # Metrics count every request, by route template, with latency histograms and the index size.
    ask = (("method", "POST"), ("route", "/ask"), ("status", "200"))
    assert metrics["qa_http_requests_total"][ask] == REQUESTS + WARM_UP
    histogram = (("method", "POST"), ("route", "/ask"))
    assert metrics["qa_http_request_duration_seconds_count"][histogram] == REQUESTS + WARM_UP
    assert metrics["qa_index_passages"][()] > 0 and metrics["qa_index_bytes"][()] > 0
    assert metrics["process_resident_memory_bytes"][()] > 0

    # Every log line is one JSON object with a request id; one access line per request.
    lines = [json.loads(line) for line in log.splitlines() if line.strip()]
    assert all("request_id" in line for line in lines)
    access = [line for line in lines if line["logger"] == "qa.access" and line["path"] == "/ask"]
    assert len(access) == REQUESTS + WARM_UP
    assert len({line["request_id"] for line in access}) == len(access)
    assert {line["status"] for line in access} == {200}


def test_sigterm_lets_requests_in_flight_finish(
    settings,  # type: ignore[no-untyped-def]
    corpus_dir: Path,
    tmp_path: Path,
) -> None:
    corpus, index = workspace(tmp_path, corpus_dir, settings.index_dir)
    batch = {"questions": [f"{q} ({n})" for n in range(4) for q in QUESTIONS], "k": 50}
    results: list[int | str] = []

    def ask() -> None:
        try:
            response = httpx.post(server.base + "/ask/batch", json=batch, timeout=120)
            results.append(response.status_code if len(response.json()["responses"]) == 16 else "short")
        except httpx.HTTPError as error:
            results.append(f"{type(error).__name__}: {error}")

    with Server(corpus, index, tmp_path / "serve.log") as server:
        clients = [threading.Thread(target=ask) for _ in range(4)]
        for client in clients:
            client.start()
        # In flight: the four batches, plus this scrape itself.
        deadline = time.monotonic() + 60
        while _metrics(server.base)["qa_http_requests_in_flight"][()] < 5:
            assert time.monotonic() < deadline, "the batches never were in flight together"
        status = server.terminate()
        for client in clients:
            client.join(120)
        log = server.log()
        with pytest.raises(httpx.TransportError):
            httpx.get(server.base + "/healthz", timeout=5)

    assert results == [200, 200, 200, 200], (results, log[-3000:])
    assert status == 0, log[-3000:]
    assert "Shutting down" in log and "Finished server process" in log
