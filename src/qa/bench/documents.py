"""PDF reading speed: pages per second of qa's reader next to poppler's pdftotext on the same files, and of OCR."""

from __future__ import annotations

import resource
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

# pdftotext's text on a page with fewer characters than this: the page is a scan (an image without text).
_SCANNED_CHARS = 20


@dataclass(frozen=True)
class Reading:
    """Pages read per second, over a set of files."""

    files: int
    pages: int
    seconds: float  # CPU seconds, except for OCR: wall seconds

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0


@dataclass(frozen=True)
class DocumentSpeeds:
    qa_text: Reading  # PDFs with a text layer, qa's reader (no OCR needed)
    pdftotext: Reading | None  # the same files, poppler's pdftotext (None where it is not installed)
    qa_ocr: Reading | None  # scanned PDFs, qa's reader with OCR, wall time (None without tesseract or scans)
    qa_first: Reading | None = (
        None  # qa's reader on the text PDFs in a fresh process: start-up costs included
    )


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _own_cpu() -> float:
    return time.process_time()


def _pdftotext(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=False).stdout


def _page_count(path: Path) -> int:
    import pypdfium2

    document = pypdfium2.PdfDocument(path)
    try:
        return len(document)
    finally:
        document.close()


def measure(folder: Path, *, rounds: int = 3) -> DocumentSpeeds | None:
    """Every PDF below `folder`, split into text PDFs and scans by what pdftotext finds; None without PDFs."""
    from qa.ingest.readers import Limits
    from qa.ingest.readers.pdf import read_pdf

    files = sorted(folder.rglob("*.pdf"))
    if not files:
        return None
    has_pdftotext = shutil.which("pdftotext") is not None
    pages = {path: _page_count(path) for path in files}
    if has_pdftotext:
        scanned = {p for p in files if len(_pdftotext(p).strip()) < _SCANNED_CHARS * pages[p]}
    else:
        scanned = set()
    text_files = [p for p in files if p not in scanned]
    text_pages = sum(pages[p] for p in text_files)

    def qa_read(paths: list[Path], limits: Limits, repeat: int) -> float:
        started = _own_cpu() + _children_cpu()  # tesseract runs as a child process
        for _ in range(repeat):
            for path in paths:
                read_pdf(path, limits)
        return _own_cpu() + _children_cpu() - started

    # A first round over every file warms both up and is not counted: files in the page cache, libraries
    # loaded, and the date parser's patterns for the languages it tries compiled (a once-per-process cost
    # of some seconds, which `first_round` reports apart).
    first_round = Reading(len(text_files), text_pages, qa_read(text_files, Limits(ocr=False), 1))
    qa_text = Reading(len(text_files), text_pages * rounds, qa_read(text_files, Limits(ocr=False), rounds))
    poppler = None
    if has_pdftotext:
        started = _children_cpu()
        for _ in range(rounds):
            for path in text_files:
                _pdftotext(path)
        poppler = Reading(len(text_files), text_pages * rounds, _children_cpu() - started)
    ocr = None
    if scanned and shutil.which("tesseract"):
        # Wall time: a document's pages are OCR'd by several tesseract processes at once.
        scans = sorted(scanned)
        started = time.perf_counter()
        for path in scans:
            read_pdf(path, Limits())
        ocr = Reading(len(scans), sum(pages[p] for p in scans), time.perf_counter() - started)
    return DocumentSpeeds(qa_text, poppler, ocr, first_round)
