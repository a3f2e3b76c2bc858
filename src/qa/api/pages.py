"""HTML pages from the templates in static/, with the security headers every page of ours carries."""

from __future__ import annotations

from pathlib import Path
from string import Template

from fastapi.responses import HTMLResponse

STATIC = Path(__file__).parent / "static"
# Our pages run no inline script and load nothing from elsewhere; the view page runs no script at all.
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; base-uri 'none'"
)
VIEW_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"


def page(name: str, csp: str, status: int = 200, **values: str) -> HTMLResponse:
    body = Template((STATIC / name).read_text(encoding="utf-8")).substitute(values)
    headers = {
        "Content-Security-Policy": csp,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
    }
    return HTMLResponse(body, status_code=status, headers=headers)
