"""Documents are read in child processes: a reader that runs too long or out of memory costs that file only."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.ingest.readers import Extracted, Limits, Unreadable
from qa.ingest.readers.isolated import read_all


def word_file(path: Path, text: str) -> Path:
    from docx import Document

    document = Document()
    document.add_paragraph(text)
    document.save(str(path))
    return path


def image_pdf(path: Path) -> Path:
    """A one-page PDF holding only an image (a scan): reading it means OCR, or says why not."""
    import img2pdf
    from PIL import Image

    picture = path.with_suffix(".png")
    Image.new("RGB", (1200, 1600), "white").save(picture)
    path.write_bytes(img2pdf.convert(str(picture)))
    return path


def test_each_file_gets_its_text_or_its_reason_in_order(tmp_path: Path) -> None:
    good = word_file(tmp_path / "good.docx", "The harbour reopened on Monday after the storm.")
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"not a zip at all")
    results = dict(read_all([good, broken, good], Limits(), workers=2))
    assert set(results) == {0, 1, 2}
    assert isinstance(results[0], Extracted) and "harbour reopened" in results[0].text
    assert isinstance(results[1], Unreadable) and "damaged" in str(results[1])
    assert isinstance(results[2], Extracted)


def test_a_read_that_takes_too_long_is_stopped_and_the_next_file_is_read(tmp_path: Path) -> None:
    scan = image_pdf(tmp_path / "scan.pdf")
    ((_, slow),) = read_all([scan], Limits(seconds=0.001))
    assert isinstance(slow, Unreadable) and "took over" in str(slow)
    good = word_file(tmp_path / "good.docx", "The ferry sailed at dawn with forty passengers aboard.")
    ((_, fine),) = read_all([good], Limits())
    assert isinstance(fine, Extracted)


def test_a_read_over_the_memory_limit_is_named_not_fatal(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    good = word_file(tmp_path / "good.docx", "The council met on Tuesday to agree the budget for the port.")
    # An address space far too small: the child fails somewhere (a MemoryError, or a library that gives up when
    # an allocation fails); the caller hears a reason for the file, and nothing is printed.
    ((_, result),) = read_all([good], Limits(memory_bytes=64 << 20))
    assert isinstance(result, Unreadable)
    assert "memory limit" in str(result) or "damaged" in str(result)
    assert "Traceback" not in capfd.readouterr().err
    ((_, fine),) = read_all([good], Limits())
    assert isinstance(fine, Extracted)


@pytest.mark.parametrize("workers", [1, 2])
def test_pages_are_counted_as_they_are_read(tmp_path: Path, workers: int) -> None:
    scan = image_pdf(tmp_path / "scan.pdf")
    pages: list[int] = []
    list(read_all([scan], Limits(ocr=False), workers=workers, on_pages=pages.append))
    assert sum(pages) == 1
