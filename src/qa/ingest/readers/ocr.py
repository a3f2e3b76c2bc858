"""Text lines of scanned PDF pages (no text layer), read by tesseract from each page rendered at 300 dpi."""

from __future__ import annotations

import os
import shutil
import statistics
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import TYPE_CHECKING

import pypdfium2 as pdfium

from qa.ingest.readers.lines import Line, clean

if TYPE_CHECKING:
    from PIL.Image import Image

DPI = 300
_SCALE = DPI / 72
# A page tesseract has not read in this time is given up (and named in the document's notes).
PAGE_TIMEOUT = 120.0
# Words tesseract is less sure of than this are noise (specks, rules, image texture), not text.
_MIN_CONFIDENCE = 30


class OcrError(Exception):
    """Tesseract failed or ran out of time on a page."""


def available() -> bool:
    """Tesseract is installed (its Python wrapper is a dependency; the program is the system's)."""
    return shutil.which("tesseract") is not None


class Ocr:
    """Tesseract on several pages at once, one child process per core.

    Pages are rendered in the calling thread (PDFium is not thread-safe); tesseract reads the images in a
    small pool of threads. At most `workers` pages are rendered and not yet read at any time.
    """

    def __init__(
        self, language: str = "eng", timeout: float = PAGE_TIMEOUT, workers: int | None = None
    ) -> None:
        self.language = language
        self.timeout = timeout
        self.workers = max(1, workers or os.cpu_count() or 1)
        self._pool: ThreadPoolExecutor | None = None
        self._reading: set[Future[list[Line]]] = set()
        # One thread per tesseract: each reads one page, and OpenMP's threads would only add overhead.
        os.environ.setdefault("OMP_THREAD_LIMIT", "1")

    def submit(self, page: pdfium.PdfPage, index: int) -> Future[list[Line]]:
        """Page `index`'s lines, read in the background; the future raises OcrError when tesseract fails.

        Waits while `workers` pages are being read, then renders the page here.
        """
        while len(self._reading) >= self.workers:
            done, _ = wait(self._reading, return_when=FIRST_COMPLETED)
            self._reading -= done
        if self._pool is None:
            import pytesseract  # noqa: F401  (here, not first in a pool's threads)

            self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="ocr")
        image = _render(page)
        future = self._pool.submit(self._read, image, page.get_height(), index)
        self._reading.add(future)
        return future

    def close(self) -> None:
        """Stops the threads: pages not begun are dropped, pages being read are waited for."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        self._reading.clear()

    def __enter__(self) -> Ocr:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _read(self, image: Image, height: float, index: int) -> list[Line]:
        import pytesseract

        try:
            data = pytesseract.image_to_data(
                image, lang=self.language, output_type=pytesseract.Output.DICT, timeout=self.timeout
            )
        except (RuntimeError, OSError, pytesseract.TesseractError) as error:
            raise OcrError(str(error) or "timed out") from error
        finally:
            image.close()
        return _even_sizes(_lines(data, height, index))


def _render(page: pdfium.PdfPage) -> Image:
    """The page in grey at DPI, as an image of its own (not PDFium's buffer, which is freed here)."""
    bitmap = page.render(scale=_SCALE, grayscale=True)
    try:
        shared = bitmap.to_pil()
        image = shared.copy()
        shared.close()
    finally:
        bitmap.close()
    return image


def _lines(data: dict[str, list], height: float, index: int) -> list[Line]:
    """Words grouped by tesseract's (block, paragraph, line), each line's box from its words, in PDF points."""
    grouped: dict[tuple[int, int, int], list[int]] = {}
    for i, word in enumerate(data["text"]):
        if data["level"][i] == 5 and word.strip() and float(data["conf"][i]) >= _MIN_CONFIDENCE:
            grouped.setdefault((data["block_num"][i], data["par_num"][i], data["line_num"][i]), []).append(i)
    lines = []
    for indices in grouped.values():
        text = clean(" ".join(data["text"][i].strip() for i in indices))
        if not text:
            continue
        left = min(data["left"][i] for i in indices)
        right = max(data["left"][i] + data["width"][i] for i in indices)
        top = height - min(data["top"][i] for i in indices) / _SCALE
        bottom = height - max(data["top"][i] + data["height"][i] for i in indices) / _SCALE
        # A line box spans ascenders to descenders: about three quarters of the font size.
        size = round((top - bottom) * 1.33, 1)
        lines.append(Line(text, left / _SCALE, right / _SCALE, top, bottom, bottom, size, False, index, True))
    return lines


def _even_sizes(lines: list[Line]) -> list[Line]:
    """OCR line heights vary with ascenders and descenders: lines near the page's usual size take that size."""
    if not lines:
        return lines
    usual = statistics.median(line.size for line in lines)
    for line in lines:
        if abs(line.size - usual) <= 0.25 * usual:
            line.size = usual
    return lines
