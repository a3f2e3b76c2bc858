"""Errors: every error the API sends is JSON `{"message": ..., "detail": ...}`, whatever caused it."""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
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


async def invalid(request: Request, error: RequestValidationError) -> Response:
    message = "; ".join(_message(e, request) for e in error.errors()) or "invalid request"
    # The offending input is left out: it may be large, and it is the client's own anyway.
    errors = [{k: v for k, v in e.items() if k in ("loc", "msg", "type")} for e in error.errors()]
    return problem(422, message, errors)


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


def add_error_handlers(app: FastAPI) -> None:
    """Invalid bodies answer 422 with a message that says what is wrong; every HTTP error is JSON."""
    app.add_exception_handler(RequestValidationError, invalid)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, http_error)  # type: ignore[arg-type]
