"""Word, OpenDocument and e-mail readers on documents the tests make, and the bad files they must refuse."""

from __future__ import annotations

import contextlib
import io
import random
import zipfile
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

import pytest

from qa.ingest.readers import Extracted, Limits, Unreadable, read
from qa.ingest.readers.eml import read_eml

docx = pytest.importorskip("docx")


def texts(extracted: Extracted) -> list[str]:
    return [extracted.text[block.start : block.end] for block in extracted.blocks]


def headings(extracted: Extracted) -> list[str]:
    return [extracted.text[block.start : block.end] for block in extracted.blocks if block.heading]


def assert_shape(extracted: Extracted) -> None:
    """The contract every reader keeps: exact spans, one line per block, no empty blocks, no pages."""
    assert extracted.pages == ()
    assert "\n\n\n" not in extracted.text and not extracted.text.startswith("\n")
    ends = [0]
    for block in extracted.blocks:
        span = extracted.text[block.start : block.end]
        assert span and span == span.strip() and "\n" not in span
        assert block.start >= ends[-1]
        ends.append(block.end)


# Word ------------------------------------------------------------------------------------------------


def make_docx(path: Path, *, top: bool = True, title_style: str = "Title") -> Path:
    document = docx.Document()
    properties = document.core_properties
    properties.title, properties.author = "Properties title", "Properties Author"
    properties.created = datetime(2001, 2, 3, 4, 5, tzinfo=UTC)
    if top:
        document.add_paragraph("The Norman conquest", style=title_style)
        document.add_paragraph("By Maria Okafor")
        document.add_paragraph("12 September 2018")
    document.add_paragraph("The Normans were the people who gave their name to Normandy, a region in France.")
    broken = document.add_paragraph("A paragraph whose line")
    broken.add_run().add_break()
    broken.add_run("breaks softly  inside.")
    document.add_paragraph("")
    document.add_heading("Their language", level=1)
    document.add_paragraph("Old Norse gave way to French.", style="List Bullet")
    document.add_paragraph("Latin stayed the language of the church.", style="List Bullet")
    table = document.add_table(rows=3, cols=3)
    for row, values in zip(
        table.rows, [("Name", "Born", "Died"), ("Rollo", "860", "930"), ("", "", "")], strict=True
    ):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    document.add_paragraph("After the table, the story goes on.")
    document.save(str(path))
    return path


def test_docx_body_in_order_with_headings_lists_and_table_rows(tmp_path: Path) -> None:
    extracted = read(make_docx(tmp_path / "a.docx"))
    assert_shape(extracted)
    assert texts(extracted) == [
        "The Normans were the people who gave their name to Normandy, a region in France.",
        "A paragraph whose line breaks softly  inside.",
        "Their language",
        "Old Norse gave way to French.",
        "Latin stayed the language of the church.",
        "Name | Born | Died",
        "Rollo | 860 | 930",
        "After the table, the story goes on.",
    ]
    assert headings(extracted) == ["Their language"]


def test_docx_metadata_from_top_lines_which_stay_in_text_but_unindexed(tmp_path: Path) -> None:
    extracted = read(make_docx(tmp_path / "a.docx"))
    assert (extracted.title, extracted.author, extracted.date) == (
        "The Norman conquest",
        "Maria Okafor",
        "2018-09-12",
    )
    assert extracted.text.startswith("The Norman conquest\n\nBy Maria Okafor\n\n12 September 2018\n\n")
    indexed = " ".join(texts(extracted))
    assert "Maria Okafor" not in indexed and "12 September 2018" not in indexed


def test_docx_first_heading_is_the_title_when_nothing_is_styled_title(tmp_path: Path) -> None:
    extracted = read(make_docx(tmp_path / "a.docx", title_style="Heading 1"))
    assert extracted.title == "The Norman conquest"
    assert "The Norman conquest" not in texts(extracted)


def test_docx_metadata_from_core_properties_when_the_page_shows_none(tmp_path: Path) -> None:
    extracted = read(make_docx(tmp_path / "a.docx", top=False))
    assert (extracted.title, extracted.author, extracted.date) == (
        "Properties title",
        "Properties Author",
        "2001-02-03",
    )
    # A section heading deep in the body is not the document's title, and stays indexed.
    assert "Their language" in headings(extracted)


def test_docx_outline_level_makes_a_heading(tmp_path: Path) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    document.add_paragraph(
        "A long enough opening paragraph of plain prose, that is the body of the text here."
    )
    outlined = document.add_paragraph("Outlined heading")
    outlined._p.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl {nsdecls("w")} w:val="1"/>'))
    document.add_paragraph("Body under it.")
    document.save(str(tmp_path / "o.docx"))
    assert headings(read(tmp_path / "o.docx")) == ["Outlined heading"]


def test_docx_without_text_is_refused(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("   ")
    document.save(str(tmp_path / "blank.docx"))
    with pytest.raises(Unreadable, match="no text"):
        read(tmp_path / "blank.docx")


def test_docx_matches_the_gold_documents() -> None:
    """The real benchmark Word files, where present: their paragraphs are blocks, their metadata right."""
    import json

    root = Path("/work/shared/benchmarks/documents/squad")
    if not (root / "gold.json").exists():
        pytest.skip("benchmark documents not here")
    gold = json.loads((root / "gold.json").read_text())
    for key, want in gold.items():
        if not key.startswith("docx/"):
            continue
        extracted = read(root / key)
        assert_shape(extracted)
        found = set(texts(extracted))
        assert sum(p in found for p in want["paragraphs"]) >= 0.97 * len(want["paragraphs"])
        assert (extracted.title, extracted.date, extracted.author) == (
            want["title"],
            want["date"],
            want["author"],
        )


# Bad zipped files ------------------------------------------------------------------------------------


def test_truncated_docx_is_damaged(tmp_path: Path) -> None:
    whole = make_docx(tmp_path / "whole.docx").read_bytes()
    (tmp_path / "cut.docx").write_bytes(whole[: len(whole) // 2])
    with pytest.raises(Unreadable, match="damaged"):
        read(tmp_path / "cut.docx")


def test_random_bytes_named_docx_is_not_a_zip(tmp_path: Path) -> None:
    (tmp_path / "r.docx").write_bytes(random.Random(1).randbytes(4096))
    with pytest.raises(Unreadable, match=r"damaged: not a Word file \(not a zip archive\)"):
        read(tmp_path / "r.docx")


def test_empty_files_are_refused(tmp_path: Path) -> None:
    from qa.ingest.readers.docx import read_docx

    for name in ("e.docx", "e.odt", "e.eml"):
        (tmp_path / name).write_bytes(b"")
        with pytest.raises(Unreadable, match="empty"):
            read(tmp_path / name)
    with pytest.raises(Unreadable, match="empty"):
        read_docx(tmp_path / "e.docx", Limits())


def test_zip_bomb_is_over_the_size_limit_unpacked(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            zeros = bytes(1 << 20)
            for _ in range(64):
                member.write(zeros)
    assert bomb.stat().st_size < 1 << 20
    with pytest.raises(Unreadable, match="over the size limit once unpacked"):
        read(bomb)


def test_unpacked_total_over_the_limit_is_refused(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "a.docx")
    with pytest.raises(Unreadable, match="over the size limit once unpacked"):
        read(path, Limits(max_unpacked_bytes=10_000))


def _set_encrypted_flag(data: bytes) -> bytes:
    """A zip's bytes with every member's "encrypted" flag set, in local and central headers."""
    patched = bytearray(data)
    for signature, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = patched.find(signature)
        while at != -1:
            patched[at + flag_at] |= 1
            at = patched.find(signature, at + 4)
    return bytes(patched)


def test_encrypted_zip_is_refused(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "a.docx")
    path.write_bytes(_set_encrypted_flag(path.read_bytes()))
    with pytest.raises(Unreadable, match="encrypted"):
        read(path)


def test_password_protected_office_file_is_encrypted(tmp_path: Path) -> None:
    # Word saves a password-protected file as an OLE compound file holding an "EncryptedPackage" stream.
    ole = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600) + "EncryptedPackage".encode("utf-16-le") + bytes(600)
    )
    (tmp_path / "locked.docx").write_bytes(ole)
    with pytest.raises(Unreadable, match="encrypted"):
        read(tmp_path / "locked.docx")


def test_too_many_members_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "many.docx"
    with zipfile.ZipFile(path, "w") as archive:
        for index in range(5001):
            archive.writestr(f"m/{index}", b"")
    with pytest.raises(Unreadable, match="too many parts"):
        read(path)


def test_zip_that_is_not_a_word_document_is_damaged(tmp_path: Path) -> None:
    path = tmp_path / "other.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(Unreadable, match="damaged"):
        read(path)


def test_docx_with_broken_xml_is_damaged(tmp_path: Path) -> None:
    source = make_docx(tmp_path / "a.docx")
    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(broken, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            new.writestr(info, b"<w:document><w:body>" if info.filename == "word/document.xml" else data)
    with pytest.raises(Unreadable, match="damaged"):
        read(broken)


def test_corrupted_docx_bytes_raise_only_unreadable(tmp_path: Path) -> None:
    whole = make_docx(tmp_path / "a.docx").read_bytes()
    rng = random.Random(7)
    for attempt in range(25):
        data = bytearray(whole)
        for _ in range(8):
            data[rng.randrange(len(data))] = rng.randrange(256)
        path = tmp_path / f"c{attempt}.docx"
        path.write_bytes(bytes(data))
        with contextlib.suppress(Unreadable):
            assert_shape(read(path))


# OpenDocument ----------------------------------------------------------------------------------------


def make_odt(path: Path, *, top: bool = True) -> Path:
    from odf.dc import Title
    from odf.meta import CreationDate, InitialCreator
    from odf.opendocument import OpenDocumentText
    from odf.style import Style
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import H, LineBreak, List, ListItem, P, S

    document = OpenDocumentText()
    title = Style(name="Title", family="paragraph")
    heading = Style(name="Heading_20_1", displayname="Heading 1", family="paragraph")
    document.styles.addElement(title)
    document.styles.addElement(heading)
    document.meta.addElement(Title(text="Meta title"))
    document.meta.addElement(InitialCreator(text="Meta Author"))
    document.meta.addElement(CreationDate(text="2003-04-05T06:07:08"))
    if top:
        document.text.addElement(P(stylename=title, text="Minutes of the meeting"))
        document.text.addElement(P(text="By Ann Lee"))
        document.text.addElement(P(text="March 4, 2016"))
    spaced = P(text="The committee met at noon with")
    spaced.addElement(S(c=2))
    spaced.addText("two spaces")
    spaced.addElement(LineBreak())
    spaced.addText("and a line break.")
    document.text.addElement(spaced)
    document.text.addElement(P(text=""))
    document.text.addElement(H(outlinelevel=1, stylename=heading, text="Decisions"))
    items = List()
    for text in ("Budget approved.", "Next meeting in May."):
        item = ListItem()
        item.addElement(P(text=text))
        items.addElement(item)
    document.text.addElement(items)
    table = Table(name="Votes")
    table.addElement(TableColumn(numbercolumnsrepeated=2))
    for values in (("Motion", "Votes"), ("Budget", "7")):
        row = TableRow()
        for value in values:
            cell = TableCell()
            cell.addElement(P(text=value))
            row.addElement(cell)
        table.addElement(row)
    document.text.addElement(table)
    document.text.addElement(P(text="The meeting closed at two."))
    document.save(str(path))
    return path


def test_odt_body_metadata_and_blocks(tmp_path: Path) -> None:
    extracted = read(make_odt(tmp_path / "m.odt"))
    assert_shape(extracted)
    assert (extracted.title, extracted.author, extracted.date) == (
        "Minutes of the meeting",
        "Ann Lee",
        "2016-03-04",
    )
    assert texts(extracted) == [
        "The committee met at noon with  two spaces and a line break.",
        "Decisions",
        "Budget approved.",
        "Next meeting in May.",
        "Motion | Votes",
        "Budget | 7",
        "The meeting closed at two.",
    ]
    assert headings(extracted) == ["Decisions"]
    assert extracted.text.startswith("Minutes of the meeting\n\nBy Ann Lee\n\nMarch 4, 2016\n\n")


def test_odt_metadata_falls_back_to_meta_xml(tmp_path: Path) -> None:
    extracted = read(make_odt(tmp_path / "m.odt", top=False))
    assert (extracted.title, extracted.author, extracted.date) == ("Meta title", "Meta Author", "2003-04-05")


def test_bad_odt_files_are_refused(tmp_path: Path) -> None:
    from odf.opendocument import OpenDocumentSpreadsheet

    (tmp_path / "r.odt").write_bytes(random.Random(2).randbytes(2048))
    with pytest.raises(Unreadable, match=r"not an OpenDocument file \(not a zip archive\)"):
        read(tmp_path / "r.odt")
    OpenDocumentSpreadsheet().save(str(tmp_path / "sheet.odt"))
    with pytest.raises(Unreadable, match="unsupported: not an OpenDocument text"):
        read(tmp_path / "sheet.odt")
    with zipfile.ZipFile(tmp_path / "nomanifest.odt", "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
    with pytest.raises(Unreadable, match="damaged"):
        read(tmp_path / "nomanifest.odt")
    whole = make_odt(tmp_path / "m.odt").read_bytes()
    (tmp_path / "cut.odt").write_bytes(whole[: len(whole) // 2])
    with pytest.raises(Unreadable, match="damaged"):
        read(tmp_path / "cut.odt")


def test_odt_without_text_is_refused(tmp_path: Path) -> None:
    from odf.opendocument import OpenDocumentText

    OpenDocumentText().save(str(tmp_path / "blank.odt"))
    with pytest.raises(Unreadable, match="no text"):
        read(tmp_path / "blank.odt")


# E-mail ----------------------------------------------------------------------------------------------


def write_mail(path: Path, message: EmailMessage) -> Path:
    path.write_bytes(bytes(message))
    return path


def mail(subject: str = "Budget for 2020") -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = "Ann Lee <ann@example.org>"
    message["To"] = "team@example.org"
    message["Date"] = "Tue, 03 Dec 2019 23:30:00 -0800"
    return message


REPLY = """Hi all,

The budget is approved. We will spend it on the new
roof and on the library, as agreed last week.

- first, the roof
- then, the library

On Mon, 2 Dec 2019 at 10:00, Bob Roe <bob@example.org>
wrote:
> Is the budget approved?
> We need to know by Friday.

--\u0020
Ann Lee, Treasurer
"""


def test_eml_plain_reply_without_quote_or_signature(tmp_path: Path) -> None:
    message = mail()
    message.set_content(REPLY)
    message.add_attachment(b"%PDF-1.4", maintype="application", subtype="pdf", filename="budget.pdf")
    extracted = read(write_mail(tmp_path / "m.eml", message))
    assert_shape(extracted)
    assert (extracted.title, extracted.author, extracted.date) == ("Budget for 2020", "Ann Lee", "2019-12-03")
    assert texts(extracted) == [
        "Hi all,",
        "The budget is approved. We will spend it on the new roof and on the library, as agreed last week.",
        "- first, the roof",
        "- then, the library",
    ]
    assert any("budget.pdf" in note for note in extracted.notes)


def test_eml_html_only_body_as_paragraphs(tmp_path: Path) -> None:
    message = mail()
    message.set_content(
        "<html><head><style>p {color: red}</style></head><body>"
        "<p>First   paragraph,\nwrapped in the source.</p><p>Second<br>line of it.</p>"
        "<div class='gmail_quote'>On Monday Bob wrote:<blockquote>Old text</blockquote></div>"
        "</body></html>",
        subtype="html",
    )
    extracted = read(write_mail(tmp_path / "h.eml", message))
    assert_shape(extracted)
    assert texts(extracted) == ["First paragraph, wrapped in the source.", "Second line of it."]
    assert extracted.notes == ()


def test_eml_sender_address_when_no_display_name(tmp_path: Path) -> None:
    message = mail()
    message.replace_header("From", "ann@example.org")
    message.set_content("Just one line.")
    assert read(write_mail(tmp_path / "a.eml", message)).author == "ann@example.org"


def test_bad_eml_files_are_refused(tmp_path: Path) -> None:
    (tmp_path / "r.eml").write_bytes(random.Random(3).randbytes(2048).replace(b":", b"."))
    with pytest.raises(Unreadable, match="not an e-mail"):
        read(tmp_path / "r.eml")
    only_quote = mail()
    only_quote.set_content("> nothing of its own\n")
    with pytest.raises(Unreadable, match="no text"):
        read(write_mail(tmp_path / "q.eml", only_quote))
    attachment_only = mail()
    attachment_only.add_attachment(b"data", maintype="application", subtype="octet-stream", filename="x.bin")
    with pytest.raises(Unreadable, match="no text"):
        read_eml(write_mail(tmp_path / "x.eml", attachment_only), Limits())


def test_readers_never_raise_other_errors_on_garbage(tmp_path: Path) -> None:
    rng = random.Random(11)
    for suffix in (".docx", ".odt", ".eml"):
        for attempt in range(5):
            path = tmp_path / f"g{attempt}{suffix}"
            path.write_bytes(rng.randbytes(rng.randrange(1, 3000)))
            with contextlib.suppress(Unreadable):
                read(path)


def test_docx_generator_properties_are_not_metadata(tmp_path: Path) -> None:
    """python-docx's blank template says author "python-docx", created 2013-12-23: neither is the document's."""
    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("A paragraph in a document whose properties nobody set.")
    document.save(buffer)
    (tmp_path / "b.docx").write_bytes(buffer.getvalue())
    extracted = read(tmp_path / "b.docx")
    assert texts(extracted) == ["A paragraph in a document whose properties nobody set."]
    assert (extracted.title, extracted.author, extracted.date) == (None, None, None)
