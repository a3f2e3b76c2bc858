"""The PDF reader on real PDFs printed by Chromium: reading order, whole words, no running lines, pages, metadata."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from documents_fixtures import (
    article_html,
    encrypt_pdf,
    print_pdf,
    require,
    scan_pdf,
    truncated,
)
from qa.ingest.readers import Limits, Unreadable, page_of, read
from qa.ingest.readers.pdf import read_pdf

TITLE = "Settlers of the Northern Coast"
AUTHOR = "Maria Okafor"
_TOPICS = [
    "The Anglo-Saxon chroniclers described the settlers of the northern coast",
    "Merchants from the 10-county region traded wool, salt and timber",
    "Characteristically, the internationalization of their commerce followed the rivers",
    "Administrative responsibilities were divided between the abbeys and the counts",
    "Archaeologists have catalogued extraordinarily well-preserved longhouses",
    "The uncharacteristically mild winters encouraged agricultural experimentation",
]
# Long paragraphs of distinct sentences: several pages, paragraphs that run across page breaks.
PARAGRAPHS = [
    " ".join(
        f"{_TOPICS[(i + j) % len(_TOPICS)]} in settlement number {i * 10 + j}, according to surviving "
        f"documentation about neighbourhoods and congregations."
        for j in range(7)
    )
    for i in range(14)
]
COLUMNS = "body { columns: 2; column-gap: 2em; hyphens: auto; text-align: justify; }"


def _words(text: str) -> list[str]:
    return re.findall(r"\w+(?:-\w+)*", text.replace("\u00ad", "").lower())


def _fold(text: str) -> str:
    return " ".join(_words(text))


@pytest.fixture(scope="session")
def documents(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("documents")


@pytest.fixture(scope="session")
def report_pdf(documents: Path) -> Path:
    html = article_html(TITLE, f"By {AUTHOR}", "12 September 2018", PARAGRAPHS)
    return print_pdf(html, documents / "report.pdf")


@pytest.fixture(scope="session")
def columns_pdf(documents: Path) -> Path:
    html = article_html(TITLE, f"By {AUTHOR}", "12 September 2018", PARAGRAPHS, style=COLUMNS)
    return print_pdf(html, documents / "columns.pdf")


@pytest.fixture(scope="session")
def scanned_pdf(documents: Path, report_pdf: Path) -> Path:
    first = documents / "first-page.pdf"
    subprocess.run(
        [require("qpdf"), "--empty", "--pages", str(report_pdf), "1", "--", str(first)], check=True
    )
    return scan_pdf(first, documents / "scanned.pdf")


def _page_texts(pdf: Path) -> list[str]:
    """Each page's raw text as PDFium reads it, with words cut at line ends joined again."""
    document = pdfium.PdfDocument(pdf)
    texts = []
    for page in document:
        textpage = page.get_textpage()
        raw = textpage.get_text_range().replace("\ufffe", "-\r\n")
        texts.append(_fold(re.sub(r"[\u2010\u00ad-]\r\n", "", raw)))
        textpage.close()
        page.close()
    document.close()
    return texts


def _no_running_lines(text: str) -> None:
    assert "file://" not in text
    assert not re.search(r"\b\d{1,2}/\d{1,2}/\d{2},\s+\d{1,2}:\d\d", text), "the print stamp of the header"
    for line in text.split("\n"):
        assert not re.fullmatch(r"\s*(?:page\s*)?\d+\s*(?:/\s*\d+)?\s*", line, re.IGNORECASE), line


@pytest.mark.slow
def test_one_column_report_reads_whole(report_pdf: Path) -> None:
    extracted = read_pdf(report_pdf, Limits())
    assert "\f" not in extracted.text and "\r" not in extracted.text
    blocks = [_fold(extracted.text[b.start : b.end]) for b in extracted.blocks]
    for paragraph in PARAGRAPHS:
        assert _fold(paragraph) in blocks, paragraph[:60]
    _no_running_lines(extracted.text)
    assert extracted.title == TITLE
    assert extracted.author == AUTHOR
    assert extracted.date == "2018-09-12"
    # The headline, byline and date line are shown but not indexed.
    assert not any(_fold(TITLE) == block or AUTHOR.lower() in block for block in blocks)


@pytest.mark.slow
def test_pages_are_where_the_words_are(report_pdf: Path) -> None:
    extracted = read_pdf(report_pdf, Limits())
    pages = _page_texts(report_pdf)
    assert len(extracted.pages) == len(pages) >= 3
    assert list(extracted.pages) == sorted(extracted.pages) and extracted.pages[0] == 0
    spanning = 0
    for block in extracted.blocks:
        first, last = page_of(extracted.pages, block.start), page_of(extracted.pages, block.end - 1)
        assert first is not None and last is not None
        spanning += last > first
        shown = " ".join(pages[first - 1 : last])
        assert all(word in shown for word in _words(extracted.text[block.start : block.end]))
    # Paragraphs run across page breaks as one paragraph: their block starts on one page, ends on the next.
    assert spanning >= 1


@pytest.mark.slow
def test_two_columns_read_in_order_with_whole_words(columns_pdf: Path) -> None:
    extracted = read_pdf(columns_pdf, Limits())
    assert "\u00ad" not in extracted.text
    blocks = [_fold(extracted.text[b.start : b.end]) for b in extracted.blocks]
    found = [blocks.index(_fold(p)) for p in PARAGRAPHS if _fold(p) in blocks]
    assert len(found) >= len(PARAGRAPHS) - 1, "paragraphs recovered across columns and pages"
    assert found == sorted(found), "column by column, page by page"
    # Every word hyphenated at a column's line end is whole again; compounds keep their hyphen.
    vocabulary = set(_words(" ".join(PARAGRAPHS)))
    vocabulary |= {part for word in vocabulary for part in word.split("-")}
    vocabulary |= set(_words(f"{TITLE} By {AUTHOR} 12 September 2018"))
    assert set(_words(extracted.text)) <= vocabulary
    assert "anglo-saxon" in _words(extracted.text) and "10-county" in _words(extracted.text)
    _no_running_lines(extracted.text)
    assert (extracted.title, extracted.author, extracted.date) == (TITLE, AUTHOR, "2018-09-12")


@pytest.mark.slow
def test_scanned_page_is_read_by_ocr(scanned_pdf: Path) -> None:
    require("tesseract")
    extracted = read_pdf(scanned_pdf, Limits())
    assert extracted.title == TITLE
    assert extracted.author == AUTHOR
    assert extracted.date == "2018-09-12"
    _no_running_lines(extracted.text)
    words = set(_words(extracted.text))
    expected = set(_words(PARAGRAPHS[0]))
    assert len(words & expected) >= 0.9 * len(expected)
    assert len(extracted.blocks) >= 1


@pytest.mark.slow
def test_scanned_without_ocr_says_how_to_read_it(scanned_pdf: Path) -> None:
    with pytest.raises(Unreadable, match="scanned pages and no OCR: install tesseract-ocr"):
        read_pdf(scanned_pdf, Limits(ocr=False))


@pytest.mark.slow
def test_some_scanned_pages_without_ocr_are_noted(
    documents: Path, report_pdf: Path, scanned_pdf: Path
) -> None:
    mixed = documents / "mixed.pdf"
    subprocess.run(
        [require("qpdf"), "--empty", "--pages", str(report_pdf), str(scanned_pdf), "--", str(mixed)],
        check=True,
    )
    extracted = read_pdf(mixed, Limits(ocr=False))
    pages = len(_page_texts(report_pdf))
    assert any(f"pages {pages + 1} " in note and "tesseract" in note for note in extracted.notes)
    assert _fold(PARAGRAPHS[0]) in [_fold(extracted.text[b.start : b.end]) for b in extracted.blocks]


@pytest.mark.slow
def test_bad_files_are_unreadable_with_the_reason(documents: Path, report_pdf: Path) -> None:
    cases = {
        "encrypted": encrypt_pdf(report_pdf, documents / "locked.pdf"),
        "damaged": truncated(report_pdf, documents / "truncated.pdf"),
    }
    binary = documents / "binary.pdf"
    binary.write_bytes(bytes(range(256)) * 64)
    cases["damaged: "] = binary
    empty = documents / "empty.pdf"
    empty.write_bytes(b"")
    cases["empty"] = empty
    for reason, path in cases.items():
        with pytest.raises(Unreadable, match=f"^{reason}"):
            read(path, Limits())


@pytest.mark.slow
def test_too_many_pages(report_pdf: Path) -> None:
    count = len(_page_texts(report_pdf))
    with pytest.raises(Unreadable, match=rf"\b{count}\b"):
        read_pdf(report_pdf, Limits(max_pages=count - 1))


@pytest.mark.slow
def test_progress_counts_pages(report_pdf: Path) -> None:
    seen: list[int] = []
    read_pdf(report_pdf, Limits(), progress=seen.append)
    assert seen == list(range(1, len(_page_texts(report_pdf)) + 1))


def test_not_a_pdf_is_damaged(tmp_path: Path) -> None:
    path = tmp_path / "notes.pdf"
    path.write_text("these are notes, not a PDF\n" * 40)
    with pytest.raises(Unreadable, match=r"^damaged"):
        read_pdf(path, Limits())


@pytest.mark.parametrize(
    ("before", "after", "glue"),
    [
        ("naval bases of the Adriatic", "—fell again to Byzantine hands", ""),  # unspaced dash, broken before
        ("naval bases of the Adriatic", "— fell again", " "),  # a spaced dash keeps its spaces
        ("the Adriatic—", "fell again", ""),
        ("through gener-", "ations of assimilation", ""),  # a word the document knows whole
        ("the Anglo-", "Saxon chroniclers", "-"),  # a capital after the hyphen: a compound
        ("from the 10-", "county region", "-"),
        ("an ordinary", "line", " "),
    ],
)
def test_lines_meet_as_the_words_were_written(before: str, after: str, glue: str) -> None:
    from qa.ingest.readers.line_ends import Vocabulary

    vocabulary = Vocabulary({"generations", "county"}, set(), auto_hyphen=False)
    assert vocabulary.joins(before, after) == glue


@pytest.mark.slow
def test_one_line_paragraphs_stay_apart(documents: Path) -> None:
    """A short page whose paragraphs are mostly one line: most gaps are between paragraphs, not inside them."""
    items = [
        "Hundreds of tasks that will make the evening more interesting for everyone",
        "Dozens of questions that help the players know each other better",
        "A large variety of challenges for every level of experience",
        "Quizzes, surprises and bonuses, so that each game is different",
    ]
    long = (
        "You are a group of friends who have known each other for years and want to try something new. " * 4
    )
    html = article_html("Games for the long evenings", f"By {AUTHOR}", "3 March 2020", [long, *items])
    extracted = read(print_pdf(html, documents / "short.pdf"), Limits())
    blocks = [extracted.text[b.start : b.end] for b in extracted.blocks]
    assert blocks == [long.strip(), *items]
    assert (extracted.title, extracted.author, extracted.date) == (
        "Games for the long evenings",
        AUTHOR,
        "2020-03-03",
    )
