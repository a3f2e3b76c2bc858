"""Real documents made on the spot: HTML printed to PDF by Debian's Chromium, scans, broken and locked files."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"


def require(tool: str) -> str:
    """The tool's path; a skip without it, but a failure on CI (CI=true), where every test must run."""
    found = shutil.which(tool) or (tool if Path(tool).is_file() else None)
    if found is None:
        message = f"{tool} is not installed"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return found


def print_pdf(html: str, out: Path, *, header_footer: bool = True) -> Path:
    """The HTML printed to PDF as a browser prints it: running header (date, title), footer (address, n/m);
    without them if `header_footer` is False. The page is written beside the PDF (`out` as .html)."""
    chromium = require(CHROMIUM)
    source = out.with_suffix(".html")
    source.write_text(html, encoding="utf-8")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={profile}",
                *([] if header_footer else ["--no-pdf-header-footer"]),
                f"--print-to-pdf={out}",
                source.resolve().as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
    if not out.is_file():
        raise RuntimeError(f"chromium printed nothing to {out}")
    return out


def scan_pdf(pdf: Path, out: Path, dpi: int = 150) -> Path:
    """The PDF as a scanner gives it: page images only, no text layer."""
    pdftoppm = require("pdftoppm")
    import img2pdf

    with tempfile.TemporaryDirectory() as images:
        subprocess.run(
            [pdftoppm, "-r", str(dpi), "-png", str(pdf), f"{images}/page"], check=True, timeout=120
        )
        pages = sorted(str(page) for page in Path(images).glob("page*.png"))
        out.write_bytes(img2pdf.convert(pages))
    return out


def encrypt_pdf(pdf: Path, out: Path, password: str = "secret") -> Path:
    """The PDF locked with a user password (AES-256)."""
    qpdf = require("qpdf")
    subprocess.run(
        [qpdf, "--encrypt", password, password + "-owner", "256", "--", str(pdf), str(out)], check=True
    )
    return out


def truncated(pdf: Path, out: Path, share: float = 0.5) -> Path:
    """The first part of the file, as an interrupted download leaves it."""
    data = pdf.read_bytes()
    out.write_bytes(data[: int(len(data) * share)])
    return out


def article_html(
    title: str, byline: str, date: str, paragraphs: list[str], style: str = "", lang: str = "en"
) -> str:
    """A page with a headline, byline and date line above its paragraphs."""
    body = "\n".join(f"<p>{text}</p>" for text in paragraphs)
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>'
        f"<style>body {{ font-family: serif; font-size: 15px; }} {style}</style></head><body>"
        f"<h1>{title}</h1><p class='byline'>{byline}</p><p class='date'>{date}</p>{body}</body></html>"
    )
