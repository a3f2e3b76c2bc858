"""Ingest on the real seed corpus: articles, titles, dates, boilerplate, and exact citations."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.ingest.articles import paragraphs
from qa.ingest.citations import citation_matches
from qa.ingest.corpus import load_corpus, read_corpus
from qa.ingest.documents import Document


@pytest.fixture(scope="module")
def documents(corpus_dir: Path) -> list[Document]:
    return read_corpus(corpus_dir)


@pytest.fixture(scope="module")
def found(documents: list[Document]):  # type: ignore[no-untyped-def]
    return paragraphs(documents)


def test_reads_every_seed(documents: list[Document], corpus_dir: Path) -> None:
    seeds = sorted(p.name for p in corpus_dir.glob("*.txt"))
    assert len(seeds) == 5 and [d.source for d in documents] == seeds


def test_every_citation_reproduces_its_text(documents: list[Document], found) -> None:  # type: ignore[no-untyped-def]
    text_of = {d.source: d.text for d in documents}
    for paragraph in found:
        c = paragraph.citation
        raw = text_of[c.source][c.char_start : c.char_end]
        assert citation_matches(paragraph.text, raw), (c, paragraph.text)
        lines = text_of[c.source].splitlines()
        assert c.line_start <= c.line_end
        joined = "\n".join(lines[c.line_start - 1 : c.line_end])
        assert raw in joined


def test_no_boilerplate_survives(found) -> None:  # type: ignore[no-untyped-def]
    texts = " ".join(p.text for p in found)
    for chrome in (
        "Facebook",
        "comments",
        "©",
        "Newer Posts",
        "Back To Top",
        "Photo Gallery",
        "Nejat Society",
        "»",
    ):
        assert chrome not in texts


def test_blog_listing_is_split_into_dated_articles(found) -> None:  # type: ignore[no-untyped-def]
    blog = [p.citation for p in found if p.source.startswith("004_")]
    titles = {c.title: c.date for c in blog}
    assert titles["No family visits for MKO hostages in Camp Ashraf"] == "2011-12-29"
    assert titles["Ban welcomes the MoU signed by Iraq and UN on Camp Ashraf"] == "2011-12-28"
    assert titles["MEK group in Iraq agrees to quit Camp Ashraf"] == "2011-12-29"
    assert len(titles) == 10
    # Section labels ("MEK Camp Ashraf", "UN") are not titles.
    assert "MEK Camp Ashraf" not in titles and "UN" not in titles


def test_titles_of_single_article_pages(found) -> None:  # type: ignore[no-untyped-def]
    by_source = {p.source[:3]: p.citation.title for p in found}
    assert by_source["002"] == "Iranian dissidents in Iraq want refuge in 3rd country"
    assert by_source["003"] == "Iranian exile group under new pressure in Iraq"
    assert by_source["000"] is None


def test_wrapped_line_is_one_paragraph(found) -> None:  # type: ignore[no-untyped-def]
    first = next(p for p in found if p.source.startswith("001_"))
    assert (first.citation.line_start, first.citation.line_end) == (1, 2)
    assert "court of the group’s supporters" in first.text


def test_fused_captions_are_removed(found) -> None:  # type: ignore[no-untyped-def]
    texts = [p.text for p in found]
    assert any("has not extended the end-of-year deadline" in t for t in texts)
    assert not any("al-Dabbaghend" in t for t in texts)
    assert not any("Camp Ashrafstatus" in t for t in texts)


def test_bad_files_are_skipped_and_named_with_the_reason(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("  \n")
    (tmp_path / "latin1.txt").write_bytes("caf\xe9 au lait".encode("latin-1"))
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "good.md").write_text("# A heading\n\nSome real text that is long enough to keep.\n")
    corpus = load_corpus(tmp_path)
    assert [d.source for d in corpus.documents] == ["sub/good.md"]
    reasons = {s.source: s.reason for s in corpus.skipped}
    assert set(reasons) == {"empty.txt", "latin1.txt", "notes.pdf", "photo.jpg"}
    assert "empty" in reasons["empty.txt"]
    assert "UTF-8" in reasons["latin1.txt"]
    assert "damaged" in reasons["notes.pdf"]
    assert "unsupported file type .jpg" in reasons["photo.jpg"]


def test_markdown_heading_becomes_title(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(
        "# Harbour report\n\nThe harbour reopened on May 3 after the storm passed.\n"
    )
    (found,) = paragraphs(read_corpus(tmp_path))
    assert found.citation.title == "Harbour report"
    assert found.text == "The harbour reopened on May 3 after the storm passed."


def test_declared_html_title_is_never_replaced_by_a_line() -> None:
    from qa.ingest.articles import page_paragraphs
    from qa.ingest.lines import Line, Page

    texts = [
        "WASHINGTON —",
        "Written by: Ann Lee",
        "1 Introduction",
        "The senate passed the harbour bill on Tuesday.",
    ]
    source = "\n".join(texts)
    lines, at = [], 0
    for number, text in enumerate(texts, 1):
        lines += [
            Line(number, number, at, at + len(text), text),
            Line(number, number, at + len(text), at + len(text), ""),
        ]
        at += len(text) + 1
    page = Page(Document("a.html", source), lines, title="Senate passes harbour bill", author="Ann Lee")
    found = page_paragraphs(page, set())
    assert {p.citation.title for p in found} == {"Senate passes harbour bill"}
    assert {p.citation.author for p in found} == {"Ann Lee"}


def test_lines_are_counted_one_way_everywhere() -> None:
    """CRLF, a lone CR and LF end lines; a form feed (what PDF tools put between pages) does not."""
    from qa.ingest.citations import narrow
    from qa.ingest.lines import text_lines
    from qa.text import line_number
    from qa.types import Citation

    text = "first line\r\nsecond\rthird has a \x0c form feed\nfourth line here\n"
    lines = [line for line in text_lines(Document("a.txt", text)) if line.text]
    assert [(line.number, line.text) for line in lines] == [
        (1, "first line"),
        (2, "second"),
        (3, "third has a \x0c form feed"),
        (4, "fourth line here"),
    ]
    for line in lines:
        assert line_number(text, line.start) == line.number
    whole = Citation("a.txt", 1, 4, 0, len(text) - 1)
    piece = narrow(whole, text, "fourth line")
    assert (piece.line_start, piece.line_end) == (4, 4)
    assert text[piece.char_start : piece.char_end] == "fourth line"


def test_the_corpus_read_once_gives_the_fingerprint_freshness_computes(tmp_path: Path) -> None:
    from qa.ingest.documents import corpus_fingerprint

    (tmp_path / "a.txt").write_text("The harbour reopened on Monday after the storm.\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text("# Ferries\n\nThe ferry sailed at dawn with forty passengers.\n")
    (tmp_path / "sub" / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    (tmp_path / "big.txt").write_text("x " * 600)
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    from qa.ingest.readers import Limits

    corpus = load_corpus(tmp_path, limits=Limits(max_bytes=1000))
    assert "over the size limit" in {s.source: s.reason for s in corpus.skipped}["big.txt"]
    assert corpus.fingerprint == corpus_fingerprint(tmp_path)
    (tmp_path / "a.txt").write_text("The harbour reopened on Tuesday after the storm.\n")
    assert load_corpus(tmp_path).fingerprint == corpus_fingerprint(tmp_path) != corpus.fingerprint
