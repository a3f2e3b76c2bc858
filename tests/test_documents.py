"""Tests for qa.ingest.documents.decode: BOMs, declared HTML charsets, confident detection, refusal."""

from __future__ import annotations

import codecs
import logging
from pathlib import Path

import pytest

from qa.ingest.corpus import read_corpus
from qa.ingest.documents import decode
from qa.ingest.html import extract_html

LATIN_PAGE = (
    "<!DOCTYPE html><html><head>{meta}<title>Crème brûlée à la française</title></head><body>"
    "<nav><a href='/'>Accueil</a> <a href='/recettes'>Recettes</a></nav><article>"
    "<h1>Crème brûlée à la française</h1>"
    "<p>Préchauffez le four à 150 °C. Fouettez les jaunes d’œufs avec le sucre jusqu’à ce que le "
    "mélange blanchisse, puis versez la crème chaude en filet sans cesser de remuer.</p>"
    "<p>Répartissez la préparation dans des ramequins et faites cuire au bain-marie pendant "
    "quarante minutes environ ; le cœur doit rester légèrement tremblotant.</p>"
    "<p>Laissez refroidir, réservez au frais, puis caramélisez le sucre au chalumeau juste avant "
    "de servir, pour une croûte fine et croustillante.</p>"
    "</article><footer>© 2021 Cuisine Facile</footer></body></html>"
)


@pytest.mark.parametrize(
    "meta",
    [
        '<meta charset="windows-1252">',
        '<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">',
    ],
)
def test_html_in_a_declared_legacy_encoding_is_decoded_as_declared(meta: str) -> None:
    page = LATIN_PAGE.format(meta=meta)
    text = decode(page.encode("cp1252"), "recettes/creme.html")
    assert text == page  # "’" and "œ" exist in windows-1252 only: ISO-8859-1 is read as browsers do


def test_citations_slice_the_decoded_legacy_page(tmp_path: Path) -> None:
    page = LATIN_PAGE.format(meta='<meta charset="iso-8859-1">')
    (tmp_path / "creme.html").write_bytes(page.encode("cp1252"))
    [document] = read_corpus(tmp_path)
    extracted = extract_html(document.text)
    assert extracted.title == "Crème brûlée à la française"
    texts = [block.text for block in extracted.blocks]
    assert any(t.startswith("Préchauffez le four à 150 °C. Fouettez les jaunes d’œufs") for t in texts)
    for block in extracted.blocks:
        assert " ".join(document.text[block.start : block.end].split()) == block.text
    assert not any("Accueil" in t or "Cuisine Facile" in t for t in texts)


def test_bom_wins_over_a_declared_charset() -> None:
    page = LATIN_PAGE.format(meta='<meta charset="windows-1252">')
    assert decode(codecs.BOM_UTF8 + page.encode("utf-8"), "a.html") == page


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-be", "utf-32"])
def test_text_with_a_bom_is_decoded_and_loses_the_bom(encoding: str) -> None:
    text = "Grüße aus München.\nSecond line: naïve café, 東京.\n"
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    assert decode(data, "notes.txt") == text


def test_utf8_html_without_declaration_and_mislabelled_utf8() -> None:
    page = "<html><body><p>Ærøskøbing ligger på Ærø.</p></body></html>"
    assert decode(page.encode("utf-8"), "a.html") == page
    labelled = page.replace("<html>", '<html><head><meta charset="utf-8"></head>')
    assert decode(labelled.encode("utf-8"), "a.html") == labelled


def test_a_page_saved_as_utf8_under_a_legacy_declaration_reads_as_utf8() -> None:
    # Archived pages are re-encoded to UTF-8 and keep the site's <meta charset="ISO-8859-2">.
    page = '<html><head><meta charset="ISO-8859-2"></head><body><p>Nowym prezesem będzie Paweł.</p></body></html>'
    assert decode(page.encode("utf-8"), "a.html") == page


def test_confident_detection_for_a_text_file() -> None:
    text = (
        "Les élèves sont allés à l'école très tôt ce matin, et la maîtresse leur a lu une histoire.\n"
        "Après la récréation, ils ont étudié la géographie de la région et préparé un exposé.\n"
    )
    assert decode(text.encode("cp1252"), "notes.txt") == text


def test_undecodable_text_is_refused_with_a_warning_naming_the_file(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        assert decode("caf\xe9".encode("latin-1"), "short/latin.txt") is None  # too little to tell
        assert decode(b"\xff\xfe not UTF-8", "junk.md") is None  # a UTF-16 BOM, then no text
    assert "short/latin.txt" in caplog.text and "junk.md" in caplog.text


def test_read_corpus_reads_a_utf16_file(tmp_path: Path) -> None:
    (tmp_path / "wide.txt").write_bytes("Harbour report: the bridge reopened.\n".encode("utf-16"))
    [document] = read_corpus(tmp_path)
    assert document.text == "Harbour report: the bridge reopened.\n"
