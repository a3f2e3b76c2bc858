"""Text lines of a scanned PDF page (no text layer), read by tesseract from the page rendered at 300 dpi."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass

import pypdfium2 as pdfium

DPI = 300
# A page tesseract has not read in this time is given up (and named in the document's notes).
PAGE_TIMEOUT = 120.0
# Words tesseract is less sure of than this are noise (specks, rules, image texture), not text.
_MIN_CONFIDENCE = 30


@dataclass(frozen=True)
class OcrLine:
    """One line of words as tesseract grouped them, its box in PDF points (y up, as PDFium's)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float


class OcrError(Exception):
    """Tesseract failed or ran out of time on a page."""


def available() -> bool:
    """Tesseract is installed (its Python wrapper is a dependency; the program is the system's)."""
    return shutil.which("tesseract") is not None


def ocr_page(page: pdfium.PdfPage, language: str = "eng", timeout: float = PAGE_TIMEOUT) -> list[OcrLine]:
    """The page's text lines in tesseract's order, boxes in PDF points."""
    import pytesseract

    scale = DPI / 72
    bitmap = page.render(scale=scale, grayscale=True)
    image = bitmap.to_pil()
    height = page.get_height()
    # One thread per tesseract: pages run one at a time and OpenMP's threads only add overhead.
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    try:
        data = pytesseract.image_to_data(
            image, lang=language, output_type=pytesseract.Output.DICT, timeout=timeout
        )
    except (RuntimeError, OSError, pytesseract.TesseractError) as error:
        raise OcrError(str(error) or "timed out") from error
    finally:
        image.close()
        bitmap.close()
    return _lines(data, scale, height)


def _lines(data: dict[str, list], scale: float, height: float) -> list[OcrLine]:
    """Words grouped by tesseract's (block, paragraph, line), each line's box from its words."""
    grouped: dict[tuple[int, int, int], list[int]] = {}
    for i, word in enumerate(data["text"]):
        if data["level"][i] == 5 and word.strip() and float(data["conf"][i]) >= _MIN_CONFIDENCE:
            grouped.setdefault((data["block_num"][i], data["par_num"][i], data["line_num"][i]), []).append(i)
    lines = []
    for indices in grouped.values():
        left = min(data["left"][i] for i in indices)
        right = max(data["left"][i] + data["width"][i] for i in indices)
        top = min(data["top"][i] for i in indices)
        bottom = max(data["top"][i] + data["height"][i] for i in indices)
        text = " ".join(data["text"][i].strip() for i in indices)
        lines.append(
            OcrLine(text, left / scale, right / scale, height - top / scale, height - bottom / scale)
        )
    return lines
