"""CORS for the read-only endpoints only: pages on the configured origins may ask, nothing else opens."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

# Read-only endpoints that pages on the configured origins may call; any other route stays same-origin.
PUBLIC_PATHS = frozenset({"/ask", "/ask/batch", "/passages", "/healthz", "/readyz"})
PUBLIC_PREFIXES = ("/passages/",)


class PublicCORS:
    """CORSMiddleware for the read-only endpoints only, so routes added later are never opened by accident."""

    def __init__(self, app: ASGIApp, origins: list[str]) -> None:
        self.app = app
        self.cors = CORSMiddleware(
            app,
            allow_origins=origins,
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=["Content-Type"],
            allow_credentials=False,
            max_age=600,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        public = scope["type"] == "http" and (path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES))
        await (self.cors if public else self.app)(scope, receive, send)


def add_cors(app: FastAPI, origins: list[str]) -> None:
    """Let pages on `origins` (QA_CORS_ORIGINS) call the read-only endpoints; no origins, no CORS at all."""
    if origins:
        app.add_middleware(PublicCORS, origins=origins)
