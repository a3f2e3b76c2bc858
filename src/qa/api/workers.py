"""Entry point for several server processes: each uvicorn or gunicorn worker builds its app from QA_* variables."""

from __future__ import annotations

from fastapi import FastAPI

from qa.api.app import create_app
from qa.config import Settings


def app() -> FastAPI:
    """The app factory that workers import by name (`qa.api.workers:app`); each loads the index itself.

    The index files are memory-mapped, so workers on one machine share their pages; each worker polls
    index/CURRENT on its own, so a new build reaches every one of them.
    """
    return create_app(Settings())
