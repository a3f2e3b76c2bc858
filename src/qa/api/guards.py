"""Request guards: a request body size limit (413) and per-client rate limiting (429), as ASGI middleware."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from fastapi import HTTPException
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from qa.api.errors import send_problem

# Operations endpoints stay reachable for probes and scrapers whatever a client does.
EXEMPT = frozenset({"/healthz", "/readyz", "/metrics"})


def _mib(size: int) -> str:
    return f"{size / (1 << 20):g} MiB"


class BodyLimit:
    """Refuses bodies over the limit with 413: at once from Content-Length, else while they stream in.

    Written here rather than taken from Starlette so that the refusal is a JSON message like every
    other error, and so that uploads get their own, larger limit.
    """

    def __init__(self, app: ASGIApp, *, limit: int, limit_for: Callable[[str], int | None]) -> None:
        self.app = app
        self.limit = limit
        self.limit_for = limit_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"]) or self.limit
        too_large = f"the request body is larger than {_mib(limit)}: send less"
        declared = Headers(scope=scope).get("content-length")
        if declared is not None:
            if not declared.isdigit():
                await send_problem(send, 400, "the Content-Length header is not a number")
                return
            if int(declared) > limit:
                await send_problem(send, 413, too_large)
                return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:
                # FastAPI re-raises its own HTTPException from body reading; the app's handler answers.
                raise HTTPException(413, detail=too_large)
            return message

        await self.app(scope, counted, send)


def client_key(scope: Scope) -> str:
    """The peer address: behind a reverse proxy every client shares the proxy's, so limit there instead."""
    client = scope.get("client")
    return client[0] if client else "unknown"


class RateLimit:
    """Per-client request limits with a moving window, answering 429 with Retry-After when one is hit.

    The `limits` library does the counting: it is small, well kept (it also backs slowapi and
    Flask-Limiter), parses "20/second;600/minute" and keeps its counters in memory with expiry,
    so idle clients cost nothing. One process serves the API, so memory storage is enough.
    """

    def __init__(self, app: ASGIApp, *, rate: str) -> None:
        from limits import parse_many
        from limits.storage import MemoryStorage
        from limits.strategies import MovingWindowRateLimiter

        self.app = app
        self.items = parse_many(rate)
        self.limiter = MovingWindowRateLimiter(MemoryStorage())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in EXEMPT:
            await self.app(scope, receive, send)
            return
        key = client_key(scope)
        # Test every limit before counting, so that a refused request uses up none of them.
        for item in self.items:
            if not self.limiter.test(item, key):
                reset, _ = self.limiter.get_window_stats(item, key)
                wait = max(1, math.ceil(reset - time.time()))
                await send_problem(
                    send,
                    429,
                    f"rate limit of {item} per client exceeded: retry in {wait} s",
                    {"Retry-After": str(wait)},
                )
                return
        for item in self.items:
            self.limiter.hit(item, key)
        await self.app(scope, receive, send)
