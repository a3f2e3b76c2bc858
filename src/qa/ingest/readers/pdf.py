"""PDF reader (PDFium): each page's text lines with their boxes and fonts, or OCR's; the document's metadata."""

from __future__ import annotations

import ctypes
import dataclasses
import re
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from qa.ingest.readers import Extracted, Limits, Unreadable, ocr
from qa.ingest.readers.layout import lay_out
from qa.ingest.readers.lines import Line, clean

# A page with fewer visible characters than this has no text layer worth reading: it is scanned.
_MIN_PAGE_CHARS = 8
_LINE_END_HYPHEN = "\ufffe"  # PDFium's mark for a "-" it found at a line's end (and joined the next line to)
_FONT_NAME = ctypes.create_string_buffer(256)
_BOLD_NAMES = ("bold", "black", "heavy", "semibold", "demi")
_FORCE_BOLD = 1 << 18


@dataclass
class _Pages:
    """Lines of every page as read, with what the reading noted on the way."""

    lines: list[list[Line]] = field(default_factory=list)
    heights: list[float] = field(default_factory=list)
    unread: list[int] = field(default_factory=list)  # scanned pages left unread (no OCR)
    failed: list[int] = field(default_factory=list)  # scanned pages OCR could not read


def read_pdf(path: Path, limits: Limits, progress: Callable[[int], None] | None = None) -> Extracted:
    """The PDF's text, blocks, page starts and metadata; Unreadable with the reason for a file it cannot read."""
    pdf = _open(path)
    try:
        count = len(pdf)
        if count > limits.max_pages:
            raise Unreadable(f"too many pages ({count} > {limits.max_pages})")
        if count == 0:
            raise Unreadable("damaged: no pages")
        pages = _read_pages(pdf, count, limits, progress)
        metadata = _metadata(pdf)
    except pdfium.PdfiumError as error:
        raise Unreadable(f"damaged: {error}") from error
    finally:
        pdf.close()
    laid = lay_out(pages.lines, pages.heights)
    if laid is None:
        if pages.unread:
            raise Unreadable(
                "scanned pages and no OCR: install tesseract-ocr (apt-get install tesseract-ocr)"
            )
        raise Unreadable("no text (no text layer and OCR found none)")
    return dataclasses.replace(
        laid,
        title=laid.title or metadata.get("title"),
        date=laid.date or metadata.get("date"),
        author=laid.author or metadata.get("author"),
        notes=_notes(pages),
    )


def _open(path: Path) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(path)
    except pdfium.PdfiumError as error:
        if getattr(error, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD:
            raise Unreadable("encrypted (password protected)") from error
        raise Unreadable(f"damaged: {error}") from error
    except (OSError, ValueError) as error:
        raise Unreadable(f"damaged: {error}") from error


def _read_pages(
    pdf: pdfium.PdfDocument, count: int, limits: Limits, progress: Callable[[int], None] | None
) -> _Pages:
    """Every page's lines in page order; scanned pages are read by OCR, a few at once, while later pages load."""
    pages = _Pages()
    can_ocr = limits.ocr and ocr.available()
    # Pages read but not yet reported, in order, each with the OCR reading it (None: its lines are in).
    waiting: deque[tuple[int, Future[list[Line]] | None]] = deque()
    with ocr.Ocr(limits.ocr_language) as reader:
        for index in range(count):
            page = pdf[index]
            try:
                pages.heights.append(page.get_height())
                lines = _text_lines(page, index)
                reading = None
                if not lines and _has_images(page):
                    if can_ocr:
                        reading = reader.submit(page, index)
                    else:
                        pages.unread.append(index)
                pages.lines.append(lines)
                waiting.append((index, reading))
            finally:
                page.close()
            _collect(pages, waiting, progress, block=False)
        _collect(pages, waiting, progress, block=True)
    return pages


def _collect(
    pages: _Pages,
    waiting: deque[tuple[int, Future[list[Line]] | None]],
    progress: Callable[[int], None] | None,
    block: bool,
) -> None:
    """Takes in the OCR'd lines of the pages at the head of `waiting` and reports those pages done, in page
    order; unless `block`, stops at the first page OCR is still reading."""
    while waiting and (block or waiting[0][1] is None or waiting[0][1].done()):
        index, reading = waiting.popleft()
        if reading is not None:
            try:
                pages.lines[index] = reading.result()
            except ocr.OcrError:
                pages.failed.append(index)
        if progress is not None:
            progress(index + 1)


def _has_images(page: pdfium.PdfPage) -> bool:
    return any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3))


# --- text layer ------------------------------------------------------------------------------------------


def _text_lines(page: pdfium.PdfPage, index: int) -> list[Line]:
    """The page's visual lines, from PDFium's line breaks split further where a run jumps to another line."""
    textpage = page.get_textpage()
    try:
        text = textpage.get_text_range()
        if len(text) - text.count(" ") - text.count("\r") - text.count("\n") < _MIN_PAGE_CHARS:
            return []
        lines: list[Line] = []
        for match in re.finditer("[^\r\n\ufffe]+\ufffe?", text):
            lines.extend(_segment_lines(textpage, match.start(), match.group(), index))
        return lines
    finally:
        textpage.close()


def _segment_lines(textpage: pdfium.PdfTextPage, start: int, segment: str, index: int) -> list[Line]:
    """One PDFium line, boxed by its first and last characters; split per character when it spans lines."""
    body = segment.strip()
    if not body:
        return []
    raw = textpage.raw
    begin = start + segment.index(body[0])
    first = pdfium_c.FPDFText_GetCharIndexFromTextIndex(raw, begin)
    last = pdfium_c.FPDFText_GetCharIndexFromTextIndex(raw, begin + len(body) - 1)
    if first < 0 or last < first:
        return []
    head, tail = _char_box(raw, first), _char_box(raw, last)
    size = pdfium_c.FPDFText_GetFontSize(raw, first) or 10.0
    if abs(head[4] - tail[4]) > 0.5 * size:
        return _split_by_chars(textpage, first, last, index)
    return [_line(raw, body, first, head, tail, index)]


def _char_box(raw: pdfium_c.FPDF_TEXTPAGE, char: int) -> tuple[float, float, float, float, float]:
    """A character's box from its font's ascent to descent (left, right, bottom, top) and its baseline."""
    rect = pdfium_c.FS_RECTF()
    pdfium_c.FPDFText_GetLooseCharBox(raw, char, rect)
    x, y = ctypes.c_double(), ctypes.c_double()
    pdfium_c.FPDFText_GetCharOrigin(raw, char, x, y)
    return rect.left, rect.right, rect.bottom, rect.top, y.value


def _line(raw: pdfium_c.FPDF_TEXTPAGE, text: str, first: int, head: tuple, tail: tuple, index: int) -> Line:
    size = round(pdfium_c.FPDFText_GetFontSize(raw, first), 1)
    line_text = clean(text.replace(_LINE_END_HYPHEN, "-"))
    top, bottom = max(head[3], tail[3]), min(head[2], tail[2])
    return Line(
        line_text, head[0], max(head[1], tail[1]), top, bottom, head[4], size, _bold(raw, first), index
    )


def _bold(raw: pdfium_c.FPDF_TEXTPAGE, char: int) -> bool:
    flags = ctypes.c_int()
    length = pdfium_c.FPDFText_GetFontInfo(raw, char, _FONT_NAME, len(_FONT_NAME), flags)
    name = _FONT_NAME.value.decode("latin-1").lower() if length else ""
    weight = pdfium_c.FPDFText_GetFontWeight(raw, char)
    return any(mark in name for mark in _BOLD_NAMES) or bool(flags.value & _FORCE_BOLD) or weight >= 600


def _split_by_chars(textpage: pdfium.PdfTextPage, first: int, last: int, index: int) -> list[Line]:
    """A PDFium line that holds several visual lines (it joins hyphenated ones): split where the baseline moves."""
    raw = textpage.raw
    x, y = ctypes.c_double(), ctypes.c_double()
    pieces: list[tuple[int, int]] = []
    begin, baseline = first, None
    for char in range(first, last + 1):
        if pdfium_c.FPDFText_IsGenerated(raw, char) == 1:
            continue
        pdfium_c.FPDFText_GetCharOrigin(raw, char, x, y)
        size = pdfium_c.FPDFText_GetFontSize(raw, char) or 10.0
        if baseline is not None and abs(y.value - baseline) > 0.5 * size:
            pieces.append((begin, char))
            begin = char
        baseline = y.value
    pieces.append((begin, last + 1))
    lines = []
    for begin, end in pieces:
        text = textpage.get_text_range(begin, end - begin)
        body = text.strip()
        if body:
            first = begin + text.index(body[0])
            last = first + len(body) - 1
            lines.append(_line(raw, body, first, _char_box(raw, first), _char_box(raw, last), index))
    return lines


def _notes(pages: _Pages) -> tuple[str, ...]:
    notes = []
    if pages.unread:
        notes.append(
            f"pages {_numbers(pages.unread)} are scanned and were not read: no OCR (install tesseract-ocr)"
        )
    if pages.failed:
        notes.append(f"pages {_numbers(pages.failed)} are scanned and OCR could not read them")
    return tuple(notes)


def _numbers(indices: list[int]) -> str:
    return ", ".join(str(i + 1) for i in indices)


def _metadata(pdf: pdfium.PdfDocument) -> dict[str, str]:
    """Title, author and (unless a browser printed the file: then it is the print's day) creation date."""
    info = pdf.get_metadata_dict(skip_empty=True)
    found = {}
    if info.get("Title", "").strip():
        found["title"] = info["Title"].strip()
    if info.get("Author", "").strip():
        found["author"] = info["Author"].strip()
    printed = any(
        mark in info.get("Creator", "") + info.get("Producer", "") for mark in ("Mozilla", "Skia", "Chrome")
    )
    created = re.match(r"D:(\d{4})(\d\d)(\d\d)", info.get("CreationDate", ""))
    if created and not printed:
        found["date"] = "-".join(created.groups())
    return found
