"""Shared fixtures: the real corpus, and one real index built from it for the slow tests."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """Settings pointing at the real corpus and a fresh index folder, built once with the real model."""
    from qa.build.pipeline import build
    from qa.config import Settings

    settings = Settings(corpus_dir=CORPUS, index_dir=tmp_path_factory.mktemp("index"))
    build(settings, progress=False)
    return settings


@pytest.fixture(scope="session")
def searcher(settings):  # type: ignore[no-untyped-def]
    from qa.serve import open_searcher

    return open_searcher(settings)


@pytest.fixture(scope="session")
def client(settings) -> Iterator:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from qa.api.app import create_app

    with TestClient(create_app(settings, load_in_background=False)) as client:
        yield client
