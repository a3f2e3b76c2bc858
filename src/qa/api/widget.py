"""The embeddable chat widget (/widget.js) and the demo page at / that embeds it."""

from __future__ import annotations

from html import escape

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse

from qa.api.pages import PAGE_CSP, STATIC, page

router = APIRouter(include_in_schema=False)


@router.get("/widget.js")
def widget_js() -> FileResponse:
    # Cross-origin resource policy lets host pages that require CORP/COEP still load the script.
    return FileResponse(
        STATIC / "widget.js",
        media_type="text/javascript; charset=utf-8",
        headers={"Cache-Control": "public, max-age=300", "Cross-Origin-Resource-Policy": "cross-origin"},
    )


@router.get("/")
def demo(request: Request) -> HTMLResponse:
    endpoint = str(request.base_url).rstrip("/")
    return page("demo.html", PAGE_CSP, endpoint=escape(endpoint))
