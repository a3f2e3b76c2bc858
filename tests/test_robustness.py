"""Bad input never causes a 5xx: malformed bodies, limits, JSON errors everywhere, and a schema fuzz run."""

from __future__ import annotations

import contextlib
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from live import TOKEN, workspace
from qa.api.app import create_app
from qa.config import Settings

JSON = {"content-type": "application/json"}


def _problem(response) -> str:  # type: ignore[no-untyped-def]
    """The message of an error response, checking that it is JSON in the one error shape."""
    assert response.headers["content-type"].startswith("application/json"), response.text
    body = response.json()
    assert isinstance(body["message"], str) and body["message"], body
    return body["message"]


# ---- without an index: the guards and error mapping around the routes -------------------------------


@pytest.fixture
def bare(tmp_path: Path) -> Settings:
    """Settings whose index never loads (no corpus): the app answers, /ask says 503."""
    return Settings(corpus_dir=tmp_path / "missing", index_dir=tmp_path / "index", index_poll_seconds=0)


def test_unknown_paths_and_methods_get_json_errors(bare: Settings) -> None:
    client = TestClient(create_app(bare))
    missing = client.get("/no/such/thing")
    assert missing.status_code == 404 and "/no/such/thing" in _problem(missing)
    wrong = client.delete("/ask")
    assert wrong.status_code == 405 and "DELETE" in _problem(wrong)


def test_body_over_the_limit_is_413_from_the_header(bare: Settings) -> None:
    client = TestClient(create_app(bare.model_copy(update={"max_body_bytes": 1 << 19})))
    body = b'{"question": "' + b"a" * 600_000 + b'"}'
    response = client.post("/ask", content=body, headers=JSON)
    assert response.status_code == 413
    assert "larger than 0.5 MiB" in _problem(response)  # the message names the limit
    # No route reads the body of a request to an unknown path (without the guard it is a 404), so only its
    # Content-Length header can refuse it: the refusal comes before the app reads a byte.
    nowhere = client.post("/no/such/thing", content=body, headers=JSON)
    assert nowhere.status_code == 413 and "larger than 0.5 MiB" in _problem(nowhere)


def test_streamed_body_over_the_limit_is_413(bare: Settings) -> None:
    # A generator makes a chunked body: no Content-Length to refuse early, so bytes are counted.
    client = TestClient(create_app(bare.model_copy(update={"max_body_bytes": 2048})))
    chunks = (b"x" * 1024 for _ in range(8))
    response = client.post("/ask", content=chunks, headers=JSON)
    assert response.status_code == 413 and _problem(response)


def test_default_limit_allows_a_full_batch_but_not_a_flood(bare: Settings) -> None:
    client = TestClient(create_app(bare))
    assert client.post("/ask", content=b"x" * (2 << 20), headers=JSON).status_code == 413
    # The largest valid batch, 256 questions of 1,000 characters, passes the limit (and meets the
    # unloaded index: 503): evaluation scripts are never refused by the default.
    full = client.post("/ask/batch", json={"questions": ["a" * 1000] * bare.max_batch})
    assert full.status_code == 503


def test_a_crash_is_a_json_500_with_the_request_id(bare: Settings) -> None:
    class Exploding:
        def ask(self, question: str, k: int) -> None:
            raise RuntimeError("boom")

    app = create_app(bare)
    app.state.service.searcher = Exploding()
    client = TestClient(app, raise_server_exceptions=False)
    response = client.post("/ask", json={"question": "when?"})
    assert response.status_code == 500
    assert response.headers["x-request-id"] in _problem(response)


# ---- with the real index: every kind of bad body -----------------------------------------------------

BAD_BODIES = {
    # name: (content, content type, expected status)
    "lone surrogate escape": (b'{"question": "\\ud800 deadline"}', "application/json", 422),
    "reversed surrogate pair": (b'{"question": "\\udc00\\ud800"}', "application/json", 422),
    "invalid UTF-8": (b'{"question": "\xff\xfe deadline"}', "application/json", 422),
    "binary as text/plain": (bytes(range(256)), "text/plain", 422),
    "binary as JSON": (bytes(range(256)), "application/json", 422),
    "binary without a type": (bytes(range(256)), "", 422),
    "JSON as text/plain": (b'{"question": "deadline"}', "text/plain", 422),
    "JSON as a form": (b'{"question": "deadline"}', "application/x-www-form-urlencoded", 422),
    "form fields": (b"question=deadline", "application/x-www-form-urlencoded", 422),
    "broken multipart": (b"garbage", "multipart/form-data", 422),
    "raw NUL byte": (b'{"question": "dead\x00line"}', "application/json", 422),
    "truncated JSON": (b'{"question": ', "application/json", 422),
    "empty body": (b"", "application/json", 422),
    "JSON array": (b"[1, 2]", "application/json", 422),
    "JSON null": (b"null", "application/json", 422),
    "deep nesting": (b"[" * 100_000 + b"]" * 100_000, "application/json", 422),
    "huge number": (b'{"question": "x", "k": ' + b"9" * 5000 + b"}", "application/json", 422),
    "NaN": (b'{"question": "x", "k": NaN}', "application/json", 422),
    "k as a string": (b'{"question": "x", "k": "5"}', "application/json", 422),
    "k zero": (b'{"question": "x", "k": 0}', "application/json", 422),
    "k 51": (b'{"question": "x", "k": 51}', "application/json", 422),
    "blank question": (b'{"question": "   "}', "application/json", 422),
    "question of 1,001 characters": (b'{"question": "' + b"a" * 1001 + b'"}', "application/json", 422),
    "body over 1 MiB": (b'{"question": "' + b"a" * (1 << 20) + b'"}', "application/json", 413),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(BAD_BODIES))
@pytest.mark.parametrize("path", ["/ask", "/ask/batch"])
def test_bad_bodies_get_a_4xx_with_a_message(client, name: str, path: str) -> None:  # type: ignore[no-untyped-def]
    content, kind, status = BAD_BODIES[name]
    if path == "/ask/batch":
        content = re.sub(rb'"question": ("(?:[^"\\]|\\.)*")', rb'"questions": [\1]', content)
    response = client.post(path, content=content, headers={"content-type": kind} if kind else {})
    assert response.status_code == status, response.text
    message = _problem(response)
    if "type" in name or "form" in name:
        assert "application/json" in message


@pytest.mark.slow
def test_escaped_nul_and_odd_unicode_are_answered(client) -> None:  # type: ignore[no-untyped-def]
    for question in ("dead\x00line", "\u200b", "😀" * 1000, "\U0010ffff", "a\u0301" * 500, "???"):
        response = client.post("/ask", json={"question": question, "k": 3})
        assert response.status_code == 200, (question, response.text)


@pytest.mark.slow
def test_batch_size_is_bounded(client, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    too_many = client.post("/ask/batch", json={"questions": ["q"] * (settings.max_batch + 1)})
    assert too_many.status_code == 422 and str(settings.max_batch) in _problem(too_many)
    assert client.post("/ask/batch", json={"questions": []}).status_code == 422


# ---- the fuzz run ------------------------------------------------------------------------------------

EXAMPLES = 40  # per operation and generation mode: about 1,000 requests, a few seconds


@pytest.fixture
def fuzz_app(settings: Settings, corpus_dir: Path, tmp_path: Path) -> Iterator:  # type: ignore[no-untyped-def]
    """The app on a copy of the real index, with the admin API on (uploads land in a copy of the corpus)."""
    from pydantic import SecretStr

    corpus, index = workspace(tmp_path, corpus_dir, settings.index_dir)
    yield create_app(
        settings.model_copy(
            update={
                "corpus_dir": corpus,
                "index_dir": index,
                "admin_token": SecretStr(TOKEN),
                "index_poll_seconds": 0,
            }
        ),
        load_in_background=False,
    )


def _fuzz(operation, mode, seen: Counter) -> None:  # type: ignore[no-untyped-def]
    """EXAMPLES generated requests for one operation, each sent without and with the admin token."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis.errors import Unsatisfiable
    from schemathesis.checks import (
        content_type_conformance,
        negative_data_rejection,
        not_a_server_error,
        response_schema_conformance,
        status_code_conformance,
    )

    checks = [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
        negative_data_rejection,
    ]
    name = f"{operation.method.upper()} {operation.path}"

    @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case) -> None:  # type: ignore[no-untyped-def]
        for headers in ({}, {"Authorization": f"Bearer {TOKEN}"}):
            response = case.call(headers=headers)
            seen[(name, response.status_code)] += 1
            case.validate_response(response, checks=checks)
            if response.status_code >= 400:
                assert isinstance(response.json()["message"], str)

    # Unsatisfiable: no invalid request exists for an operation without parameters.
    with contextlib.suppress(Unsatisfiable):
        run()


@pytest.mark.slow
def test_schema_fuzzing_finds_no_server_error(fuzz_app) -> None:  # type: ignore[no-untyped-def]
    """Schemathesis generates valid and invalid requests for every operation in /openapi.json.

    Checks: no 5xx, every status documented, responses match their schema, invalid data rejected,
    and every error is JSON with a message. Reindexing is left out: each call would build for seconds.
    """
    import schemathesis
    from schemathesis import GenerationMode

    schema = schemathesis.openapi.from_asgi("/openapi.json", fuzz_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {"/ask", "/ask/batch", "/documents", "/passages"} <= {op.path for op in operations}
    seen: Counter[tuple[str, int]] = Counter()
    for operation in operations:
        if operation.path != "/admin/reindex":
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                _fuzz(operation, mode, seen)
    print(f"schemathesis: {sum(seen.values())} requests", dict(sorted(seen.items())))
    assert sum(seen.values()) > 500
    assert not [key for key in seen if key[1] >= 500]
