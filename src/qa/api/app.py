"""The FastAPI application: loads the index in its lifespan, swaps in new builds, maps every error to JSON."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from qa import __version__
from qa.api.guards import BodyLimit, RateLimit
from qa.api.metrics import CONTENT_TYPE, Metrics
from qa.api.observability import Observe
from qa.api.problems import problem
from qa.config import Settings
from qa.search.serving import ServingSearcher

log = logging.getLogger("qa.api")


class Service:
    """What the routes share: the current Searcher (None until loaded) and a status line for /readyz.

    A new build replaces `searcher` in one assignment; a request reads the attribute once and keeps
    that Searcher throughout, so every response comes wholly from the old index or wholly from the new.
    """

    def __init__(self, settings: Settings, metrics: Metrics | None = None) -> None:
        self.settings = settings
        self.metrics = metrics
        self.searcher: ServingSearcher | None = None
        self.status = "loading the index"
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self._refused: Path | None = None

    def load(self) -> None:
        """Build when the index is missing or stale, then load it; a damaged index is rebuilt from the corpus.

        When neither works, the reason stays as the status and /readyz answers 503 with it.
        """
        from qa.build import BuildError
        from qa.build.freshness import stale_reason
        from qa.index.store import IndexProblem, current_build

        try:
            reason = stale_reason(self.settings)
            if reason is not None:
                try:
                    self._build(reason)
                except BuildError as error:
                    raise BuildError(f"{reason}, and rebuilding failed: {error}") from error
            try:
                self.refresh()
            except IndexProblem as damage:
                # Fingerprints cover the manifest only: a truncated or corrupt file shows up on loading.
                try:
                    self._build(str(damage))
                except BuildError as error:
                    raise BuildError(f"{damage}, and rebuilding failed: {error}") from error
                self.refresh()
        except (BuildError, IndexProblem) as problem:
            self.status = str(problem)
            self._refused = current_build(self.settings.index_dir)
            log.error("index not available: %s", problem)

    def _build(self, reason: str) -> None:
        from qa.build.pipeline import build

        self.status = f"building the index: {reason}"
        log.warning(self.status)
        build(self.settings, progress=False)

    def refresh(self) -> bool:
        """Swap in the build that index/CURRENT names, if it is not the one served; True when swapped."""
        from qa.index.store import current_build
        from qa.search.serving import open_searcher

        with self.lock:
            folder = current_build(self.settings.index_dir)
            served = self.searcher.index.folder if self.searcher else None
            if folder is None or folder == served:
                return False
            searcher = open_searcher(self.settings)
            self.searcher = searcher
            self.status = "ready"
            self._refused = None
        if self.metrics:
            self.metrics.index_loaded(searcher.index)
        log.info("serving index %s: %d passages", searcher.index.folder.name, len(searcher.index.passages))
        return True

    def reindex(self) -> ServingSearcher:
        """Rebuild from the corpus and swap the new index in; the old one serves until then."""
        from qa.build.pipeline import build

        build(self.settings, progress=False)
        self.refresh()
        assert self.searcher is not None
        return self.searcher

    def watch(self) -> None:
        """Poll index/CURRENT so that a `qa build` run beside the server is served without a restart."""
        from qa.index.store import IndexProblem, current_build

        interval = self.settings.index_poll_seconds
        while interval and not self.stopping.wait(interval):
            try:
                if current_build(self.settings.index_dir) != self._refused:
                    self.refresh()
            except IndexProblem as problem:
                # Keep serving the last good index (if any), and say so once per refused build.
                self._refused = current_build(self.settings.index_dir)
                log.error("the new index is not served: %s", problem)
                if self.searcher is None:
                    self.status = str(problem)
            except Exception:  # the watcher must outlive any surprise, or the server stops following builds
                log.exception("checking for a new index failed")


def _message(error: dict, request: Request) -> str:
    where = ".".join(str(part) for part in error.get("loc", ()) if part != "body")
    if error.get("type") == "json_invalid":
        reason = error.get("ctx", {}).get("error", "invalid")
        return f"the body is not valid JSON (at character {where}: {reason})"
    if error.get("loc") == ("body",) and error.get("type") == "model_attributes_type":
        # FastAPI reads JSON only when it is labelled so; say that rather than "not a dictionary".
        if not _is_json(request):
            return "the body must be a JSON object sent with Content-Type: application/json"
        return "the body must be a JSON object"
    return f"{where}: {error.get('msg', 'invalid')}" if where else str(error.get("msg", "invalid request"))


def _is_json(request: Request) -> bool:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    return kind == "application/json" or kind.endswith("+json")


def create_app(settings: Settings | None = None, *, load_in_background: bool = True) -> FastAPI:
    """The app for `settings`; the index loads in the lifespan, in a thread so /healthz answers at once."""
    settings = settings or Settings()
    metrics = Metrics() if settings.metrics else None
    service = Service(settings, metrics)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        def load_and_watch() -> None:
            service.load()
            service.watch()

        if load_in_background:
            threading.Thread(target=load_and_watch, name="qa-index", daemon=True).start()
        else:
            service.load()
            threading.Thread(target=service.watch, name="qa-index", daemon=True).start()
        yield
        service.stopping.set()

    app = FastAPI(
        title="qa",
        version=__version__,
        description="Ask questions of a document collection; get the source passages back with citations.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.service = service

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> Response:
        message = "; ".join(_message(e, request) for e in error.errors()) or "invalid request"
        # The offending input is left out: it may be large, and it is the client's own anyway.
        errors = [{k: v for k, v in e.items() if k in ("loc", "msg", "type")} for e in error.errors()]
        return problem(422, message, errors)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        status, detail = error.status_code, error.detail
        if status == 400:
            # Only body parsing answers 400 (JSON that its parser rejects outright: bad UTF-8, deep nesting,
            # huge numbers; broken multipart): the contract says 422 for every invalid body.
            status = 422
            if detail == "There was an error parsing the body":
                detail = "the body is not valid UTF-8 JSON (or is nested too deeply)"
            else:
                detail = f"the body could not be read: {detail}"
        elif status == 404 and detail == "Not Found":
            detail = f"no endpoint {request.url.path}: see /docs for the API"
        elif status == 405 and detail == "Method Not Allowed":
            detail = f"{request.method} is not allowed on {request.url.path}: see /docs for the API"
        message = detail if isinstance(detail, str) else "request failed"
        return problem(status, message, detail, getattr(error, "headers", None))

    from qa.api.admin import UPLOAD_PATH
    from qa.api.admin import router as admin_router
    from qa.api.routes import router
    from qa.api.widget import add_cors
    from qa.api.widget import router as widget_router

    app.include_router(router)
    app.include_router(admin_router)
    app.include_router(widget_router)
    if metrics:

        @app.get("/metrics", tags=["operations"], response_class=Response)
        def scrape() -> Response:
            """Prometheus metrics: request counts and latencies by route, requests in flight, index size."""
            return Response(metrics.exposition(), media_type=CONTENT_TYPE)

    # Middleware added later wraps what was added before: Observe is outermost of these three, so refusals
    # by the guards are logged, counted and carry a request id too.
    app.add_middleware(
        BodyLimit,
        limit=settings.max_body_bytes,
        limit_for=lambda path: settings.max_upload_bytes if path == UPLOAD_PATH else None,
    )
    if settings.rate_limit:
        app.add_middleware(RateLimit, rate=settings.rate_limit)
    app.add_middleware(Observe, metrics=metrics)
    # Outermost, so the guards' refusals (413, 429) still reach the widget readable from another origin.
    add_cors(app, settings.cors_origins)

    return app
