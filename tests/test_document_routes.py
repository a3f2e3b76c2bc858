"""GET /documents/{source} and /documents/{source}/text, page numbers in citations, the view page of a paged
document, line numbers as ingest counts them, and uploads of formats a build reads."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr

from documents_fixtures import print_pdf
from fakes import WordsEmbedder, memory_index
from live import TOKEN
from qa.api.app import create_app
from qa.cli.render import cite
from qa.config import Settings
from qa.dedup.similarity import content_hash
from qa.ingest.documents import Document
from qa.ingest.readers import Block, Unreadable, page_of
from qa.params import search_params
from qa.search.searcher import Searcher
from qa.search.serving import ServingSearcher
from qa.text import line_number
from qa.types import Citation, Passage

AUTH = {"Authorization": f"Bearer {TOKEN}"}

# Form feeds are not line breaks, a lone CR is: str.splitlines() would count this file's lines differently.
TEXT = "Weather notes\fcontinued on the same line\rsecond line\r\nThe harbour flooded twice in March.\nlast line\n"
HTML = "<html><head><title>Council</title></head><body><p>The council approved a budget for cycle lanes.</p></body></html>"
LATIN = "Caf\u00e9 owners met on Tuesday.\n"
LATIN_HTML = (
    '<html><head><meta charset="windows-1252"></head><body><p>Caf\u00e9 owners met.</p></body></html>'
)
# A PDF as a reader extracts it: three pages, one paragraph each.
PAGES = (
    "The museum reopened on 14 May after repairs.",
    "The ferry to the islands was cancelled for a week because of storms.",
    "Volunteers repainted the lighthouse gallery.",
)
PDF_TEXT = "\n\n".join(PAGES)
PDF_STARTS = tuple(PDF_TEXT.index(page) for page in PAGES)
PDF_BYTES = b"%PDF-1.4\n% not a real PDF: read_document is replaced in these tests\n"


def _cited(source: str, text: str, words: str, *, pages: tuple[int, ...] = ()) -> Passage:
    """A passage of `words` as they stand in `text`, cited as ingest cites it (lines, offsets, pages)."""
    start = text.index(words)
    end = start + len(words)
    citation = Citation(
        source,
        line_number(text, start),
        line_number(text, end - 1),
        start,
        end,
        page=page_of(pages, start),
        page_end=page_of(pages, end - 1),
    )
    return Passage(content_hash(words), words, citation)


FERRY = dataclasses.replace(
    _cited("report.pdf", PDF_TEXT, PAGES[1], pages=PDF_STARTS),
    also_in=(_cited("copy.pdf", PDF_TEXT, PAGES[1], pages=PDF_STARTS).citation,),
)
PASSAGES = [
    _cited("notes/a.txt", TEXT, "The harbour flooded twice in March."),
    _cited("news/b.html", HTML, "The council approved a budget for cycle lanes."),
    FERRY,
    _cited("latin.txt", LATIN, "Caf\u00e9 owners met on Tuesday."),
    _cited("latin.html", LATIN_HTML, "Caf\u00e9 owners met."),
    # Cited by the index, but a symlink to a file outside the corpus, or missing from it: never served.
    _cited("escape.txt", "Secret outside text.", "Secret outside text."),
    _cited("gone.txt", "A deleted document.", "A deleted document."),
]


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _read_document(corpus_dir: Path, source: str, store: object = None) -> Document:
    """read_document, with the PDFs of this corpus read as the PDF reader would (they are not real PDFs)."""
    from qa.ingest.corpus import read_document

    if source.endswith(".pdf"):
        if not (corpus_dir / source).is_file():
            raise Unreadable("not a document of the corpus")
        blocks = tuple(Block(start, start + len(page)) for start, page in zip(PDF_STARTS, PAGES, strict=True))
        return Document(source, PDF_TEXT, blocks, PDF_STARTS, title="Harbour report")
    return read_document(corpus_dir, source, store)  # type: ignore[arg-type]


def _app(root: Path, passages: list[Passage]) -> FastAPI:
    settings = Settings(
        corpus_dir=root / "corpus",
        index_dir=root / "index",
        index_poll_seconds=0,
        admin_token=SecretStr(TOKEN),
        max_upload_bytes=1 << 20,
    )
    app = create_app(settings)
    index = memory_index(passages, WordsEmbedder())
    searcher = Searcher(index, WordsEmbedder(), search_params(Settings()))
    app.state.service.searcher = ServingSearcher(searcher, answers=0, parallel=1)
    return app


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    (folder / "notes").mkdir(parents=True)
    (folder / "news").mkdir()
    (folder / "notes" / "a.txt").write_bytes(TEXT.encode())
    (folder / "news" / "b.html").write_bytes(HTML.encode())
    (folder / "report.pdf").write_bytes(PDF_BYTES)
    (folder / "copy.pdf").write_bytes(PDF_BYTES)
    (folder / "latin.txt").write_bytes(LATIN.encode("cp1252"))
    (folder / "latin.html").write_bytes(LATIN_HTML.encode("cp1252"))
    (folder / "unindexed.txt").write_bytes(b"In the corpus, not in the index.\n")
    (folder / ".hidden.txt").write_bytes(b"A hidden file.\n")
    (tmp_path / "outside.txt").write_bytes(b"Secret outside text.\n")
    (folder / "escape.txt").symlink_to(tmp_path / "outside.txt")
    return folder


@pytest.fixture
def client(corpus_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """The app over an in-memory index of PASSAGES; no lifespan, so nothing is built or loaded."""
    monkeypatch.setattr("qa.api.documents.read_document", _read_document)
    monkeypatch.setattr("qa.api.view.read_document", _read_document)
    yield TestClient(_app(corpus_dir.parent, PASSAGES))


# --- GET /documents/{source} and /documents/{source}/text


@pytest.mark.parametrize(
    ("source", "media_type"),
    [
        ("notes/a.txt", "text/plain; charset=utf-8"),
        ("news/b.html", "text/html; charset=utf-8"),
        ("report.pdf", "application/pdf"),
        ("latin.txt", "text/plain"),  # not UTF-8: the browser decides, as for the file itself
        ("latin.html", "text/html"),  # declares its charset
    ],
)
def test_the_original_file_as_stored(
    client: TestClient, corpus_dir: Path, source: str, media_type: str
) -> None:
    response = client.get(f"/documents/{source}")
    assert response.status_code == 200, response.text
    assert response.content == (corpus_dir / source).read_bytes()
    assert response.headers["content-type"] == media_type
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("inline") and Path(source).name in disposition
    assert response.headers["x-content-type-options"] == "nosniff"


def test_a_stored_html_page_runs_nothing_on_our_origin(client: TestClient) -> None:
    csp = client.get("/documents/news/b.html").headers["content-security-policy"]
    assert csp.startswith("sandbox") and "script-src" not in csp


def test_the_text_citations_index(client: TestClient) -> None:
    for passage in PASSAGES[:3]:
        c = passage.citation
        response = client.get(f"/documents/{c.source}/text")
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "text/plain; charset=utf-8"
        # Slicing it by the citation gives the passage's words, for a PDF as for a text file.
        assert response.text[c.char_start : c.char_end] == passage.text
    assert client.get("/documents/report.pdf/text").text == PDF_TEXT
    assert client.get("/documents/notes/a.txt/text").content == TEXT.encode()


@pytest.mark.parametrize(
    "source",
    [
        "unindexed.txt",  # in the corpus, not in the index
        "nothing.txt",
        ".hidden.txt",
        "notes/%2E%2E/notes/a.txt",
        "..%2Foutside.txt",
        "%2E%2E/outside.txt",
        "notes/..%2F..%2Foutside.txt",
        "%2Fetc%2Fpasswd",
        "/etc/passwd",
        "escape.txt",  # indexed, but a symlink out of the corpus
        "gone.txt",  # indexed, but the file is gone
        "notes",
        "notes/",
        "a%00.txt",
        "%F0%9F%92%A9.txt",
        "x" * 5000 + ".txt",
    ],
)
def test_not_an_indexed_document_is_404(client: TestClient, source: str) -> None:
    for url in (f"/documents/{source}", f"/documents/{source}/text"):
        response = client.get(url)
        assert response.status_code == 404, (url, response.status_code, response.text[:200])
        assert response.headers["content-type"] == "application/json"
        assert response.json()["message"]
        assert b"Secret" not in response.content


def test_documents_before_the_index_is_loaded_is_503(tmp_path: Path) -> None:
    app = create_app(Settings(corpus_dir=tmp_path, index_dir=tmp_path / "index", index_poll_seconds=0))
    with TestClient(app) as client:
        assert client.get("/documents/a.txt").status_code == 503
        assert client.get("/documents/a.txt/text").status_code == 503


def test_the_list_of_documents_and_the_admin_routes_beside_it(client: TestClient, corpus_dir: Path) -> None:
    listed = client.get("/documents").json()
    assert listed["documents"] == sorted({c.source for p in PASSAGES for c in (p.citation, *p.also_in)})
    assert listed["skipped"] == []
    # The public GETs leave the admin POST and DELETE where they were.
    assert client.post("/documents", files={"file": ("n.txt", b"New text.\n")}).status_code == 401
    assert client.delete("/documents/notes/a.txt").status_code == 401
    saved = client.post("/documents", files={"file": ("n.txt", b"New text.\n")}, headers=AUTH)
    assert saved.status_code == 201
    deleted = client.delete("/documents/news/b.html", headers=AUTH)
    assert deleted.status_code == 200 and not (corpus_dir / "news" / "b.html").exists()
    assert client.get("/documents/news/b.html").status_code == 404


def test_skipped_documents_are_counted_and_listed(corpus_dir: Path) -> None:
    app = _app(corpus_dir.parent, PASSAGES)
    index = app.state.service.searcher.index
    skipped = (("locked.pdf", "encrypted (password protected)"), ("a.exe", "unsupported file type .exe"))
    index = dataclasses.replace(index, folder=corpus_dir.parent / "index", skipped=skipped)
    (corpus_dir.parent / "index").mkdir()
    app.state.service.searcher.index = index
    app.state.service.searcher.searcher.index = index
    app.state.service.metrics.index_loaded(index)
    client = TestClient(app)
    assert re.search(r"^qa_documents_skipped 2\.0$", client.get("/metrics").text, re.MULTILINE)
    assert client.get("/documents").json()["skipped"][0] == {
        "source": "locked.pdf",
        "reason": "encrypted (password protected)",
    }


# --- pages in citations


def test_pages_in_ask_and_passages(client: TestClient) -> None:
    body = client.post("/ask", json={"question": "ferry cancelled storms", "k": 5}).json()
    ferry = next(r for r in body["results"] if r["citation"]["source"] == "report.pdf")
    assert (ferry["citation"]["page"], ferry["citation"]["page_end"]) == (2, 2)
    assert [(a["source"], a["page"], a["page_end"]) for a in ferry["also_in"]] == [("copy.pdf", 2, 2)]
    others = [r["citation"] for r in body["results"] if r["citation"]["source"] != "report.pdf"]
    assert others and all(c["page"] is None and c["page_end"] is None for c in others)

    listed = {p["passage_id"]: p for p in client.get("/passages").json()["passages"]}
    assert listed[FERRY.passage_id]["citation"]["page"] == 2
    assert listed[FERRY.passage_id]["also_in"][0]["page_end"] == 2
    one = client.get(f"/passages/{FERRY.passage_id}").json()
    assert one["citation"]["page"] == 2 and one["also_in"][0]["page"] == 2
    schema = client.get("/openapi.json").json()["components"]["schemas"]["CitationOut"]["properties"]
    assert "page" in schema and "page_end" in schema


def test_qa_ask_prints_the_pages() -> None:
    c = FERRY.citation
    assert cite(c).startswith("report.pdf, p. 2, line")
    assert "pp. 2–3" in cite(dataclasses.replace(c, page_end=3))
    assert ", p." not in cite(PASSAGES[0].citation)


# --- the view page


def test_view_of_a_paged_document_shows_the_cited_page(client: TestClient) -> None:
    response = client.get(f"/view/{FERRY.passage_id}")
    assert response.status_code == 200, response.text
    page = response.text
    assert "page 2 of 3" in page
    assert 'href="/documents/report.pdf#page=2"' in page and "Open the PDF at page 2" in page
    # Only the cited page's lines, numbered as in the citation, the passage marked.
    line = FERRY.citation.line_start
    assert f'data-n="{line}"><mark>{PAGES[1]}</mark></div>' in page
    assert PAGES[0] not in page and PAGES[2] not in page
    assert "p. 2, line" in page
    # Its other copy opens at its own page.
    other = client.get(f"/view/{FERRY.passage_id}?also=1").text
    assert 'href="/documents/copy.pdf#page=2"' in other


def test_view_of_a_passage_over_two_pages(client: TestClient, corpus_dir: Path) -> None:
    words = f"{PAGES[1]}\n\n{PAGES[2]}"
    spanning = _cited("report.pdf", PDF_TEXT, words, pages=PDF_STARTS)
    assert (spanning.citation.page, spanning.citation.page_end) == (2, 3)
    page = TestClient(_app(corpus_dir.parent, [spanning])).get(f"/view/{spanning.passage_id}").text
    assert "pages 2–3 of 3" in page and "#page=2" in page
    assert PAGES[0] not in page and f"<mark>{PAGES[2]}</mark>" in page


def test_view_counts_lines_as_ingest_does(client: TestClient) -> None:
    """A form feed does not break a line and a lone CR does: the marked row has the citation's number."""
    passage = PASSAGES[0]
    assert passage.citation.line_start == 3  # TEXT.splitlines() would say 4
    page = client.get(f"/view/{passage.passage_id}").text
    rows = re.findall(r'<div class="line( hit)?"(?: id=passage)? data-n="(\d+)">(.*?)</div>', page)
    assert [(n, cell) for _, n, cell in rows] == [
        ("1", "Weather notes\fcontinued on the same line"),
        ("2", "second line"),
        ("3", "<mark>The harbour flooded twice in March.</mark>"),
        ("4", "last line"),
    ]
    assert [n for hit, n, _ in rows if hit] == ["3"]
    # A text file has no pages and needs no link to its original: the page is as it was.
    assert "of 1" not in page and "/documents/" not in page


def test_view_of_a_changed_source_shows_the_indexed_text(client: TestClient, corpus_dir: Path) -> None:
    (corpus_dir / "notes" / "a.txt").write_text("Rewritten entirely.\n", encoding="utf-8")
    page = client.get(f"/view/{PASSAGES[0].passage_id}").text
    assert "has changed" in page and "<mark>The harbour flooded twice in March.</mark>" in page


# --- uploads


def _upload(client: TestClient, name: str, content: bytes):  # type: ignore[no-untyped-def]
    return client.post(
        "/documents", files={"file": (name, content, "application/octet-stream")}, headers=AUTH
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bad.pdf", b"%PDF-1.7\nthis is not really a PDF at all\n"),
        ("bad.docx", b"PK\x03\x04 not a zip archive"),
        ("bad.odt", b"\x00\x01\x02 junk"),
    ],
)
def test_an_unreadable_upload_is_refused_with_the_reason(
    client: TestClient, corpus_dir: Path, name: str, content: bytes
) -> None:
    before = _tree(corpus_dir.parent)
    response = _upload(client, name, content)
    assert response.status_code == 422, response.text
    message = response.json()["message"]
    assert message.startswith("the document cannot be indexed: ") and "nothing was changed" in message
    assert _tree(corpus_dir.parent) == before


def test_empty_binary_upload_is_refused(client: TestClient, corpus_dir: Path) -> None:
    before = _tree(corpus_dir)
    response = _upload(client, "empty.pdf", b"")
    assert response.status_code == 422 and "empty" in response.json()["message"]
    assert _tree(corpus_dir) == before


def test_unknown_formats_are_still_refused(client: TestClient, corpus_dir: Path) -> None:
    before = _tree(corpus_dir)
    response = _upload(client, "a.xlsx", b"PK\x03\x04")
    assert response.status_code == 422 and ".pdf" in response.json()["message"]
    assert _tree(corpus_dir) == before


# --- a real PDF, printed by Chromium


@pytest.fixture
def real_pdf(tmp_path: Path) -> bytes:
    folder = tmp_path / "printing"
    folder.mkdir()
    html = (
        "<html><body><p>The museum reopened on 14 May after repairs to its roof.</p>"
        '<div style="page-break-after: always"></div>'
        "<p>The ferry to the islands was cancelled for a week because of winter storms.</p></body></html>"
    )
    return print_pdf(html, folder / "page.pdf", header_footer=False).read_bytes()


@pytest.mark.browser
def test_a_real_pdf_uploaded_served_and_viewed_at_its_page(tmp_path: Path, real_pdf: bytes) -> None:
    from qa.ingest.corpus import read_document

    root = tmp_path / "served"
    (root / "corpus").mkdir(parents=True)
    upload_app = _app(root, PASSAGES)
    saved = _upload(TestClient(upload_app), "reports/harbour.pdf", real_pdf)
    assert saved.status_code == 201, saved.text
    assert (root / "corpus" / "reports" / "harbour.pdf").read_bytes() == real_pdf

    # The index a build would make of it: the ferry sentence, cited in the text the reader extracted.
    document = read_document(root / "corpus", "reports/harbour.pdf")
    assert len(document.pages) == 2
    words = "The ferry to the islands was cancelled for a week because of winter storms."
    ferry = _cited("reports/harbour.pdf", document.text, words, pages=document.pages)
    assert ferry.citation.page == 2
    client = TestClient(_app(root, [ferry]))

    original = client.get("/documents/reports/harbour.pdf")
    assert original.status_code == 200 and original.content == real_pdf
    assert original.headers["content-type"] == "application/pdf"
    assert original.headers["content-disposition"].startswith("inline")
    text = client.get("/documents/reports/harbour.pdf/text")
    assert text.text == document.text
    c = ferry.citation
    assert text.text[c.char_start : c.char_end] == words
    body = client.post("/ask", json={"question": "ferry cancelled", "k": 1}).json()
    assert body["results"][0]["citation"]["page"] == 2
    page = client.get(f"/view/{ferry.passage_id}").text
    assert "page 2 of 2" in page and 'href="/documents/reports/harbour.pdf#page=2"' in page
    assert "museum reopened" not in page


@pytest.mark.browser
def test_an_encrypted_pdf_upload_is_refused_with_the_reason(tmp_path: Path, real_pdf: bytes) -> None:
    qpdf = shutil.which("qpdf")
    if qpdf is None:
        pytest.skip("qpdf is missing: no way to encrypt a PDF here")
    plain, locked = tmp_path / "plain.pdf", tmp_path / "locked.pdf"
    plain.write_bytes(real_pdf)
    subprocess.run([qpdf, "--encrypt", "secret", "owner", "256", "--", str(plain), str(locked)], check=True)
    root = tmp_path / "served"
    (root / "corpus").mkdir(parents=True)
    before = _tree(root)
    response = _upload(TestClient(_app(root, PASSAGES)), "locked.pdf", locked.read_bytes())
    assert response.status_code == 422, response.text
    assert response.json()["message"] == (
        "the document cannot be indexed: encrypted (password protected); nothing was changed"
    )
    assert _tree(root) == before
