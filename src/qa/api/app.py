"""The FastAPI application: loads the index once in its lifespan and maps every error to a JSON message."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from qa import __version__
from qa.config import Settings
from qa.search import Searcher

log = logging.getLogger("qa.api")


class Service:
    """What the routes share: the current Searcher (None until loaded) and a status line for /readyz."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.searcher: Searcher | None = None
        self.status = "loading the index"
        self.lock = threading.Lock()

    def load(self) -> None:
        """Build when the index is missing or stale, then load it; a failure is kept as the status."""
        from qa.build import BuildError, build, stale_reason
        from qa.serving import open_searcher
        from qa.store import IndexProblem

        try:
            reason = stale_reason(self.settings)
            if reason is not None:
                self.status = f"building the index: {reason}"
                log.info(self.status)
                build(self.settings, progress=False)
            self.searcher = open_searcher(self.settings)
            self.status = "ready"
            log.info("index loaded: %d passages", len(self.searcher.index.passages))
        except (BuildError, IndexProblem) as problem:
            self.status = str(problem)
            log.error("index not available: %s", problem)


def _message(error: dict) -> str:
    where = ".".join(str(part) for part in error.get("loc", ()) if part != "body")
    return f"{where}: {error.get('msg', 'invalid')}" if where else str(error.get("msg", "invalid request"))


def create_app(settings: Settings | None = None, *, load_in_background: bool = True) -> FastAPI:
    """The app for `settings`; the index loads in the lifespan, in a thread so /healthz answers at once."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        service = app.state.service
        if load_in_background:
            threading.Thread(target=service.load, name="qa-load", daemon=True).start()
        else:
            service.load()
        yield

    app = FastAPI(
        title="qa",
        version=__version__,
        description="Ask questions of a document collection; get the source passages back with citations.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.service = Service(settings)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        errors = [{k: v for k, v in e.items() if k in ("loc", "msg", "type")} for e in error.errors()]
        message = "; ".join(_message(e) for e in errors) or "invalid request"
        return JSONResponse({"message": message, "detail": errors}, status_code=422)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> JSONResponse:
        message = error.detail if isinstance(error.detail, str) else "request failed"
        return JSONResponse(
            {"message": message, "detail": error.detail}, status_code=error.status_code, headers=error.headers
        )

    from qa.api.routes import router

    app.include_router(router)
    return app
