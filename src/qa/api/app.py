"""The FastAPI application: routes, middleware and error handlers around one Service."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.responses import Response

from qa import __version__
from qa.api.errors import add_error_handlers
from qa.api.guards import BodyLimit, RateLimit
from qa.api.metrics import CONTENT_TYPE, Metrics
from qa.api.observability import Observe
from qa.api.service import Service
from qa.config import Settings


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

    add_error_handlers(app)

    from qa.api.admin import UPLOAD_PATH
    from qa.api.admin import router as admin_router
    from qa.api.cors import add_cors
    from qa.api.documents import router as documents_router
    from qa.api.routes import router
    from qa.api.view import router as view_router
    from qa.api.widget import router as widget_router

    app.include_router(router)
    app.include_router(documents_router)
    app.include_router(admin_router)
    app.include_router(widget_router)
    app.include_router(view_router)
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
