"""Operations: rate limiting, request ids, structured logs and Prometheus metrics, without an index."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from qa.api.app import create_app
from qa.api.observability import REQUEST_ID, JsonFormatter, RequestIdFilter
from qa.config import Settings


@pytest.fixture
def bare(tmp_path: Path) -> Settings:
    """Settings whose index never loads (no corpus): the app answers, /ask says 503."""
    return Settings(corpus_dir=tmp_path / "missing", index_dir=tmp_path / "index", index_poll_seconds=0)


def _message(response) -> str:  # type: ignore[no-untyped-def]
    assert response.headers["content-type"].startswith("application/json"), response.text
    return response.json()["message"]


def test_every_response_has_a_request_id_and_a_valid_caller_id_is_kept(bare: Settings) -> None:
    client = TestClient(create_app(bare))
    first, second = client.get("/healthz"), client.get("/healthz")
    assert len(first.headers["x-request-id"]) == 32
    assert first.headers["x-request-id"] != second.headers["x-request-id"]
    assert client.get("/nope", headers={"X-Request-ID": "trace-42"}).headers["x-request-id"] == "trace-42"
    # An id that could forge log lines or headers is replaced.
    forged = client.get("/healthz", headers={"X-Request-ID": "a b\tc" + "x" * 200})
    assert forged.headers["x-request-id"] != "a b\tc" + "x" * 200


def test_rate_limit_answers_429_with_retry_after(bare: Settings) -> None:
    client = TestClient(create_app(bare.model_copy(update={"rate_limit": "3/minute"})))
    statuses = [client.get("/nope").status_code for _ in range(3)]
    assert statuses == [404, 404, 404]
    limited = client.get("/nope")
    assert limited.status_code == 429
    assert int(limited.headers["retry-after"]) >= 1
    assert "3 per 1 minute" in _message(limited)
    # Probes and scrapers are never limited.
    assert client.get("/healthz").status_code == 200
    assert client.get("/metrics").status_code == 200


def test_rate_limit_is_off_by_default_and_checked_when_set(bare: Settings) -> None:
    client = TestClient(create_app(bare))
    assert {client.get("/nope").status_code for _ in range(200)} == {404}
    with pytest.raises(ValueError, match="rate_limit"):
        Settings(rate_limit="lots per second")


def test_metrics_count_requests_by_route_template(bare: Settings) -> None:
    client = TestClient(create_app(bare))
    client.get("/healthz")
    client.get("/passages/abc")  # 503: the index is not loaded
    client.get("/passages/def")
    client.get("/no/such/path")
    response = client.get("/metrics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    samples = {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(response.text)
        for s in family.samples
    }
    route = (("method", "GET"), ("route", "/passages/{passage_id}"), ("status", "503"))
    assert samples[("qa_http_requests_total", route)] == 2
    assert (
        samples[("qa_http_requests_total", (("method", "GET"), ("route", "unmatched"), ("status", "404")))]
        == 1
    )
    count = ("qa_http_request_duration_seconds_count", (("method", "GET"), ("route", "/healthz")))
    assert samples[count] == 1
    assert samples[("qa_http_requests_in_flight", ())] == 1  # this scrape
    assert ("qa_index_passages", ()) in samples and ("process_resident_memory_bytes", ()) in samples


def test_metrics_can_be_turned_off(bare: Settings) -> None:
    client = TestClient(create_app(bare.model_copy(update={"metrics": False})))
    assert client.get("/metrics").status_code == 404


def test_access_log_line_carries_the_request_id(bare: Settings, caplog: pytest.LogCaptureFixture) -> None:
    client = TestClient(create_app(bare))
    caplog.handler.addFilter(RequestIdFilter())  # as `qa serve` sets up its handler: stamped when written
    with caplog.at_level(logging.INFO, logger="qa.access"):
        response = client.get("/nope", headers={"X-Request-ID": "abc-123"})
    (record,) = [r for r in caplog.records if r.name == "qa.access"]
    assert response.headers["x-request-id"] == "abc-123"
    assert (record.method, record.path, record.route, record.status) == ("GET", "/nope", "unmatched", 404)  # type: ignore[attr-defined]
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "abc-123" and line["logger"] == "qa.access" and line["status"] == 404


def test_log_lines_outside_requests_say_so_and_odd_text_stays_valid_json() -> None:
    token = REQUEST_ID.set("-")
    try:
        record = logging.LogRecord("qa", logging.WARNING, __file__, 1, "path %s", ("/\ud800\x00",), None)
        RequestIdFilter().filter(record)
        line = json.loads(JsonFormatter().format(record))
    finally:
        REQUEST_ID.reset(token)
    assert line["request_id"] == "-" and line["level"] == "warning"
