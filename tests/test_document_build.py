"""A real folder of mixed documents through `qa build`: every file indexed or named, one passage per text (the
same article as PDF, HTML, text and Word), exact pages, OCR of a scan."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from documents_fixtures import article_html, encrypt_pdf, print_pdf, require, scan_pdf, truncated

pytestmark = pytest.mark.slow

TITLE = "The Harbour Board and the Winter Ferries"
AUTHOR = "Ines Carvalho"
SUBJECTS = [
    "The harbour board",
    "The ferry company",
    "The fishermen's guild",
    "The town council",
    "The pilots",
]
# Long enough for three printed pages, every sentence distinct, so that pages and duplicates can be checked.
PARAGRAPHS = [
    " ".join(
        f"{SUBJECTS[(i + j) % len(SUBJECTS)]} reported in meeting {i * 10 + j} that the winter crossings "
        f"to the northern islands needed {j + 2} more vessels and a timetable agreed before the spring tides."
        for j in range(6)
    )
    for i in range(12)
]
SCANNED_TITLE = "Lighthouse keepers remember the storm"
SCANNED = [
    "The lighthouse keepers kept the lamp burning through three nights of gales while the supply boat waited "
    "in the sheltered bay for the wind to drop."
]


def qa(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "qa.cli", *args],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        timeout=900,
    )


def words(text: str) -> set[str]:
    # Hyphens out: poppler's pdftotext keeps soft hyphens and the hyphens that cut words at line ends.
    return set(
        re.findall(r"\w+", re.sub(r"[\u00ad\u2010-]", "", unicodedata.normalize("NFKC", text).lower()))
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, subprocess.CompletedProcess[str]]:
    require("chromium")
    require("tesseract")
    require("qpdf")
    from docx import Document as WordDocument

    work = tmp_path_factory.mktemp("documents")
    corpus = work / "corpus"
    corpus.mkdir()
    html = article_html(TITLE, f"By {AUTHOR}", "3 March 2021", PARAGRAPHS)
    report = print_pdf(html, corpus / "harbour.pdf")  # leaves the page it printed beside it: harbour.html
    (corpus / "harbour.txt").write_text(
        "\n\n".join([TITLE, f"By {AUTHOR}\n3 March 2021", *PARAGRAPHS]) + "\n", encoding="utf-8"
    )
    word = WordDocument()
    word.add_heading(TITLE, level=1)
    word.add_paragraph(f"By {AUTHOR}")
    word.add_paragraph("3 March 2021")
    for text in PARAGRAPHS:
        word.add_paragraph(text)
    word.save(str(corpus / "harbour.docx"))
    scan_pdf(
        print_pdf(article_html(SCANNED_TITLE, "By A. Keeper", "5 May 2020", SCANNED), work / "storm.pdf"),
        corpus / "storm-scan.pdf",
    )
    encrypt_pdf(report, corpus / "locked.pdf")
    truncated(report, corpus / "cut.pdf")
    (corpus / "renamed.docx").write_bytes(os.urandom(4096))
    (corpus / "photo.heic").write_bytes(b"\0\0\0\x18ftypheic")
    index = work / "index"
    return corpus, index, qa("build", "--corpus", str(corpus), "--index", str(index))


def test_every_file_is_indexed_or_named_with_its_reason(built) -> None:  # type: ignore[no-untyped-def]
    _, _, result = built
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    summary = result.stderr
    assert "indexed" in summary and "from 5 documents" in summary  # .pdf, .html, .txt, .docx, the scan
    for name, reason in [
        ("locked.pdf", "encrypted"),
        ("cut.pdf", "damaged"),
        ("renamed.docx", "damaged"),
        ("photo.heic", "unsupported file type .heic"),
    ]:
        line = next((ln for ln in summary.splitlines() if ln.strip().startswith(name + ":")), "")
        assert reason in line, (name, summary)


def test_one_text_is_one_passage_with_its_copies_cited_and_paged(built) -> None:  # type: ignore[no-untyped-def]
    from qa.index.store import load

    corpus, index_dir, _ = built
    passages = load(index_dir).passages
    harbour = [p for p in passages if "winter crossings" in p.text]
    # Every sentence of the article stands in exactly one passage, whichever file it was kept from.
    for paragraph in PARAGRAPHS:
        first = paragraph.split(". ")[0]
        assert sum(first in p.text for p in harbour) == 1, first
    for passage in harbour:
        sources = {c.source for c in (passage.citation, *passage.also_in)}
        assert sources == {"harbour.pdf", "harbour.html", "harbour.txt", "harbour.docx"}, sources
        for cited in (passage.citation, *passage.also_in):
            assert (cited.title, cited.author, cited.date) == (TITLE, AUTHOR, "2021-03-03"), cited
            if cited.source == "harbour.pdf":
                assert cited.page is not None and cited.page_end is not None
                pages = subprocess.run(
                    [
                        "pdftotext",
                        "-f",
                        str(cited.page),
                        "-l",
                        str(cited.page_end),
                        str(corpus / cited.source),
                        "-",
                    ],
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout
                assert words(passage.text) <= words(pages), (cited.page, cited.page_end, passage.text[:80])
            else:
                assert cited.page is None and cited.page_end is None
    assert max(c.page_end or 0 for p in harbour for c in (p.citation, *p.also_in)) >= 2


def test_citations_slice_the_text_the_documents_route_serves(built) -> None:  # type: ignore[no-untyped-def]
    from qa.index.store import load
    from qa.ingest.citations import citation_matches
    from qa.ingest.corpus import read_document
    from qa.ingest.readers.store import in_cache

    corpus, index_dir, _ = built
    store = in_cache(index_dir / "cache")
    for passage in load(index_dir).passages:
        cited = passage.citation
        text = read_document(corpus, cited.source, store).text
        assert citation_matches(passage.text, text[cited.char_start : cited.char_end]), passage.text[:80]
        assert text.count("\n", 0, cited.char_start) + 1 == cited.line_start


def test_a_scanned_pdf_is_read_by_ocr(built) -> None:  # type: ignore[no-untyped-def]
    from qa.index.store import load

    _, index_dir, _ = built
    scanned = [p for p in load(index_dir).passages if p.citation.source == "storm-scan.pdf"]
    assert scanned and any("lighthouse keepers" in p.text.lower() for p in scanned)
    assert all(p.citation.page == 1 for p in scanned)
    assert scanned[0].citation.title == SCANNED_TITLE
