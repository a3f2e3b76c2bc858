"""Request ids, structured access logs and per-request metrics: one ASGI middleware and the log setup."""

from __future__ import annotations

import contextvars
import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from qa.api.errors import send_problem
from qa.api.metrics import Metrics

REQUEST_ID: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
HEADER = "X-Request-ID"
# A caller's id is kept when it is safe to echo into headers and logs, else replaced.
_CALLER_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
ACCESS_FIELDS = ("method", "path", "route", "status", "duration_ms", "client")

access_log = logging.getLogger("qa.access")


def route_of(scope: Scope) -> str:
    """The route's template (`/passages/{passage_id}`), never the raw path: metric labels stay few."""
    route = scope.get("route")
    return getattr(route, "path", None) or "unmatched"


class Observe:
    """Gives every request an id (the caller's X-Request-ID or a new one), echoes it in the response,
    and when the response is done writes one access log line and updates the metrics."""

    def __init__(self, app: ASGIApp, *, metrics: Metrics | None) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = Headers(scope=scope).get(HEADER)
        request_id = given if given and _CALLER_ID.fullmatch(given) else uuid.uuid4().hex
        # Each request runs in its own task with a copy of the context, so this stays with the request,
        # reaches the threads that run sync routes, and is still set when the server logs a crash.
        REQUEST_ID.set(request_id)
        status = 0
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (b"x-request-id", request_id.encode())]
            await send(message)

        if self.metrics:
            self.metrics.in_flight.inc()
        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            # Answered here rather than by Starlette's outer handler so that the 500 is JSON and
            # carries the id; the exception goes on up to be logged with its traceback.
            if not status:
                await send_problem(send_with_id, 500, f"internal error: report request id {request_id}")
            raise
        finally:
            seconds = time.perf_counter() - started
            route = route_of(scope)
            if self.metrics:
                self.metrics.in_flight.dec()
                self.metrics.observe(scope["method"], route, status, seconds)
            client = scope.get("client")
            access_log.info(
                "%s %s %d %.1f ms",
                scope["method"],
                scope["path"],
                status,
                seconds * 1000,
                extra={
                    "method": scope["method"],
                    "path": scope["path"],
                    "route": route,
                    "status": status,
                    "duration_ms": round(seconds * 1000, 3),
                    "client": client[0] if client else None,
                },
            )


class RequestIdFilter(logging.Filter):
    """Stamps every log record with the id of the request it was written for ("-" outside requests)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = REQUEST_ID.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, request id, and the access fields if any."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        data.update({key: getattr(record, key) for key in ACCESS_FIELDS if hasattr(record, key)})
        if record.exc_info:
            data["error"] = self.formatException(record.exc_info)
        # ensure_ascii: a path or message with unpaired surrogates still makes a valid line.
        return json.dumps(data, default=str)


def log_config(level: str = "info", *, json_lines: bool = True) -> dict[str, Any]:
    """The logging setup for `qa serve` (passed to uvicorn): every line on stderr carries a request id."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": {
            "json": {"()": JsonFormatter},
            "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        },
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": "json" if json_lines else "text",
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["stderr"], "level": level.upper()},
        # Uvicorn's own loggers pass their records up to the root handler instead of printing them.
        "loggers": {name: {"handlers": [], "propagate": True} for name in ("uvicorn", "uvicorn.error")},
    }
