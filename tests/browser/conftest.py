"""Browser fixtures: a live `qa serve` on a copy of the corpus, host pages on other origins, and Chromium."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from .support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    HOST_PAGE,
    PATIENCE_MS,
    VIEWPORTS,
    Live,
    Widget,
    browser_missing,
    free_port,
    make_corpus,
    qa_serve,
    static_site,
    widget_page,
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Skip at collection, before the session fixtures start a server for nothing. In CI a missing browser fails
    # the run instead: a green CI must mean the browser tests ran.
    reason = browser_missing()
    if reason and os.environ.get("CI") == "true":
        raise pytest.UsageError(f"browser tests cannot run in CI: {reason}")
    if reason:
        for item in items:
            if "browser" in item.keywords:
                item.add_marker(pytest.mark.skip(reason=f"browser test skipped: {reason}"))


# Package scope: the live server and Playwright's event loop (which owns the main thread while it runs)
# end with the browser tests, so later tests may start event loops of their own.
@pytest.fixture(scope="package")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """`qa serve` on the corpus plus a markup document, and two sites that embed it: one allowed by CORS."""
    corpus = make_corpus(tmp_path_factory.mktemp("corpus"))
    index = tmp_path_factory.mktemp("index")
    log = tmp_path_factory.mktemp("logs") / "qa-serve.log"
    # The host page needs the service's URL and the service needs the page's origin: pick the port first.
    port = free_port()
    host = tmp_path_factory.mktemp("host")
    endpoint = f"http://127.0.0.1:{port}"
    (host / "index.html").write_text(HOST_PAGE.format(endpoint=endpoint, attributes=""), encoding="utf-8")
    # A section's page: its widget answers from the markup document's source only.
    (host / "section.html").write_text(
        HOST_PAGE.format(endpoint=endpoint, attributes=' data-sources="900_*"'), encoding="utf-8"
    )
    with (
        static_site(host) as embed_url,
        static_site(host) as foreign_url,
        qa_serve(corpus, index, log, port=port, cors_origins=embed_url.rstrip("/")) as server,
    ):
        yield Live(url=server.url, embed_url=embed_url, foreign_url=foreign_url)


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    from playwright.sync_api import expect, sync_playwright

    # expect() waits 5 s by default: too short for a page on a machine whose cores are busy.
    expect.set_options(timeout=PATIENCE_MS)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(params=["demo", "cross-origin"])
def site(request: pytest.FixtureRequest, live: Live) -> tuple[str, str]:
    """The demo page served by qa, and a page on another, allowed origin with the one script tag."""
    return request.param, (f"{live.url}/" if request.param == "demo" else live.embed_url)


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def widget(browser: Any, site: tuple[str, str], viewport: str) -> Iterator[Widget]:
    name, url = site
    with widget_page(browser, url, viewport, f"{name}-{viewport}") as widget:
        yield widget
