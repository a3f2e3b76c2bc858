"""Error bodies: every error the API sends is JSON `{"message": ..., "detail": ...}`, whatever caused it."""

from __future__ import annotations

import json
from typing import Any

from starlette.responses import Response
from starlette.types import Send


def _encode(message: str, detail: Any) -> bytes:
    # ensure_ascii: a message that quotes client input (even an unpaired surrogate) always encodes.
    return json.dumps({"message": message, "detail": detail}, default=str).encode()


def problem(status: int, message: str, detail: Any = None, headers: dict[str, str] | None = None) -> Response:
    """An error response, from an exception handler."""
    return Response(_encode(message, detail), status, headers, media_type="application/json")


async def send_problem(send: Send, status: int, message: str, headers: dict[str, str] | None = None) -> None:
    """An error response, from ASGI middleware that answers without the app."""
    body = _encode(message, None)
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw += [(key.lower().encode(), value.encode()) for key, value in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})
