"""Prometheus metrics: request counts, latency histograms, requests in flight and the served index's size."""

from __future__ import annotations

from pathlib import Path

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    Info,
    ProcessCollector,
    generate_latest,
)

from qa.index.store import LoadedIndex

CONTENT_TYPE = CONTENT_TYPE_LATEST
# /ask takes a few milliseconds, a batch or a cold start seconds: buckets cover both ends.
BUCKETS = (0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


class Metrics:
    """The collectors of one app, in a registry of its own.

    prometheus-client is the reference Python client: it renders the text format and keeps the
    histograms. A registry per app, not the global one, lets tests build many apps in one process.
    """

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.requests = Counter(
            "qa_http_requests", "HTTP requests answered", ["method", "route", "status"], registry=r
        )
        self.latency = Histogram(
            "qa_http_request_duration_seconds",
            "time from request to response, by route",
            ["method", "route"],
            buckets=BUCKETS,
            registry=r,
        )
        self.in_flight = Gauge("qa_http_requests_in_flight", "requests being answered now", registry=r)
        self.passages = Gauge("qa_index_passages", "passages in the served index", registry=r)
        self.index_bytes = Gauge("qa_index_bytes", "size on disk of the served index build", registry=r)
        self.skipped = Gauge(
            "qa_documents_skipped", "corpus files the served index's build did not index", registry=r
        )
        self.swaps = Counter(
            "qa_index_swaps", "index builds swapped in since the process started", registry=r
        )
        self.index = Info("qa_index", "the served index build", registry=r)
        # Resident memory, CPU time and open files of the process, for spotting leaks under load.
        ProcessCollector(registry=r)

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(method, route).observe(seconds)

    def index_loaded(self, index: LoadedIndex) -> None:
        self.passages.set(len(index.passages))
        self.index_bytes.set(folder_bytes(index.folder))
        self.skipped.set(len(index.skipped))
        self.swaps.inc()
        self.index.info(
            {"build": index.folder.name, "model": index.manifest.model, "built_at": index.manifest.built_at}
        )

    def exposition(self) -> bytes:
        return generate_latest(self.registry)
