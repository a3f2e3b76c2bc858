"""Readers of documents that are not plain text or HTML (PDF, Word, ...): one module per format, one interface.

A reader takes a file and gives its text as `qa` cites it (`Extracted`): paragraphs and headings as blocks
with exact spans in that text, where each page starts, and the title, date and author the document shows.
Nothing after ingest knows formats: it sees blocks, pages and metadata.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qa.config import Settings


@dataclass(frozen=True)
class Block:
    """A paragraph or heading: its span in the extracted text (end exclusive)."""

    start: int
    end: int
    heading: bool = False


@dataclass(frozen=True)
class Extracted:
    """A document's text as `qa` cites it, with its blocks, page starts and the metadata it shows.

    `text` uses "\\n" alone for line breaks: one line per paragraph, a blank line between paragraphs.
    `blocks` are the indexable paragraphs and headings, in reading order; lines of the text outside every
    block (a headline, byline or date line already taken as metadata) are shown but not indexed.
    `pages[i]` is the offset in `text` where page i + 1 starts (empty for formats without pages).
    """

    text: str
    blocks: tuple[Block, ...]
    pages: tuple[int, ...] = ()
    title: str | None = None
    date: str | None = None  # YYYY-MM-DD
    author: str | None = None
    notes: tuple[str, ...] = field(default=())  # what a reader wants said, e.g. pages it could not read


class Unreadable(Exception):
    """A file no reader can index, with the reason a person can act on ("encrypted", "no text and no OCR")."""


@dataclass(frozen=True)
class Limits:
    """What one document may cost: bytes on disk, pages, and bytes once unpacked (a zip bomb in a .docx)."""

    max_bytes: int = 200 << 20
    max_pages: int = 2000
    max_unpacked_bytes: int = 500 << 20
    seconds: float = 600.0  # one document's reading, OCR included
    memory_bytes: int = 4 << 30  # the address space of the process that reads one document
    ocr: bool = True  # read pages without a text layer with tesseract, where it is installed
    ocr_language: str = "eng"

    def check_size(self, size: int) -> None:
        """Unreadable when a file of `size` bytes is over the size limit."""
        if size > self.max_bytes:
            raise Unreadable(
                f"over the size limit ({size / (1 << 20):.0f} MiB > {self.max_bytes / (1 << 20):g} MiB)"
            )

    @classmethod
    def of(cls, settings: Settings) -> Limits:
        """The limits a build's settings set."""
        return cls(
            max_bytes=int(settings.max_document_mb * (1 << 20)),
            max_pages=settings.max_document_pages,
            seconds=settings.document_seconds,
            memory_bytes=settings.document_memory_mb << 20,
            ocr=settings.ocr,
            ocr_language=settings.ocr_language,
        )


# Told the pages read so far, for progress on long documents.
Progress = Callable[[int], None]
Reader = Callable[[Path, Limits, Progress | None], Extracted]


def _pdf(path: Path, limits: Limits, progress: Progress | None) -> Extracted:
    from qa.ingest.readers.pdf import read_pdf

    return read_pdf(path, limits, progress=progress)


def _docx(path: Path, limits: Limits, progress: Progress | None) -> Extracted:
    from qa.ingest.readers.docx import read_docx

    return read_docx(path, limits)


def _odt(path: Path, limits: Limits, progress: Progress | None) -> Extracted:
    from qa.ingest.readers.odt import read_odt

    return read_odt(path, limits)


def _eml(path: Path, limits: Limits, progress: Progress | None) -> Extracted:
    from qa.ingest.readers.eml import read_eml

    return read_eml(path, limits)


def preload() -> None:
    """Import every reader and its libraries now (a reading process does, before it caps its memory)."""
    import qa.ingest.readers.docx
    import qa.ingest.readers.eml
    import qa.ingest.readers.odt
    import qa.ingest.readers.pdf  # noqa: F401


# Readers are imported when first used: a corpus of text files never loads PDFium.
READERS: dict[str, Reader] = {".pdf": _pdf, ".docx": _docx, ".odt": _odt, ".eml": _eml}


def reader_for(source: str) -> Reader | None:
    """The reader of a file by its name's suffix, or None when it is text, HTML or unsupported."""
    suffix = source[source.rfind(".") :].lower() if "." in source else ""
    return READERS.get(suffix)


def read(path: Path, limits: Limits | None = None, progress: Progress | None = None) -> Extracted:
    """The file's text, blocks, pages and metadata; Unreadable with the reason when it cannot be indexed."""
    limits = limits or Limits()
    reader = reader_for(path.name)
    if reader is None:
        raise Unreadable(f"unsupported file type {path.suffix or '(none)'}")
    try:
        size = path.stat().st_size
    except OSError as error:
        raise Unreadable(f"cannot be read ({error.strerror})") from error
    limits.check_size(size)
    if size == 0:
        raise Unreadable("empty file")
    return reader(path, limits, progress)


def page_of(pages: tuple[int, ...], offset: int) -> int | None:
    """The 1-based page holding `offset` of a paged document's text, or None without pages."""
    return bisect.bisect_right(pages, offset) if pages else None
