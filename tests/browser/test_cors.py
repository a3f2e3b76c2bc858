"""CORS: configured origins may call the read-only endpoints, without credentials; nothing else opens up."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from qa.api.app import create_app
from qa.config import Settings

SITE = "https://site.example"


def client(origins: list[str]) -> TestClient:
    # No `with`: the lifespan (index loading) never runs, and CORS is answered before any route.
    return TestClient(create_app(Settings(cors_origins=origins, index_dir=Path("/nonexistent"))))


def preflight(c: TestClient, path: str, origin: str = SITE, method: str = "POST") -> dict[str, str]:
    headers = {
        "Origin": origin,
        "Access-Control-Request-Method": method,
        "Access-Control-Request-Headers": "content-type",
    }
    return dict(c.options(path, headers=headers).headers)


@pytest.mark.parametrize("path", ["/ask", "/ask/batch", "/passages", "/passages/abc", "/readyz"])
def test_read_only_endpoints_allow_the_configured_origins(path: str) -> None:
    headers = preflight(client([SITE, "https://other.example"]), path)
    assert headers["access-control-allow-origin"] == SITE
    assert "access-control-allow-credentials" not in headers
    assert set(headers["access-control-allow-methods"].split(", ")) == {"GET", "POST", "OPTIONS"}


@pytest.mark.parametrize(
    "path", ["/admin/reindex", "/documents", "/documents/a.txt", "/metrics", "/view/abc", "/"]
)
def test_other_endpoints_are_not_opened(path: str) -> None:
    c = client([SITE])
    assert "access-control-allow-origin" not in preflight(c, path)
    assert "access-control-allow-origin" not in c.post(path, headers={"Origin": SITE}).headers


def test_an_origin_not_configured_is_refused() -> None:
    headers = preflight(client([SITE]), "/ask", origin="https://evil.example")
    assert headers.get("access-control-allow-origin") != "https://evil.example"
    response = client([SITE]).get("/healthz", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in response.headers


def test_no_origins_configured_means_no_cors_at_all() -> None:
    c = client([])
    assert "access-control-allow-origin" not in preflight(c, "/ask")
    assert "access-control-allow-origin" not in c.get("/healthz", headers={"Origin": SITE}).headers


def test_a_wildcard_only_when_the_operator_configures_it() -> None:
    response = client(["*"]).get("/healthz", headers={"Origin": SITE})
    assert response.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in response.headers


def test_origins_come_comma_separated_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QA_CORS_ORIGINS", f"{SITE}, https://other.example")
    assert Settings().cors_origins == [SITE, "https://other.example"]
