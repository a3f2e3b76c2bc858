"""Word (.docx) documents: body paragraphs, headings and table rows in document order, with their metadata."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from lxml import etree

from qa.ingest.readers import Extracted, Limits, Unreadable
from qa.ingest.readers.paragraphs import Header, Para, assemble, one_line
from qa.ingest.readers.zipped import PARSE_ERRORS, check_zip, damaged

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_P, _TBL, _TR, _TC, _T = f"{_W}p", f"{_W}tbl", f"{_W}tr", f"{_W}tc", f"{_W}t"
_BREAKS = {f"{_W}tab", f"{_W}ptab", f"{_W}br", f"{_W}cr"}
# Text boxes float beside the flow; a fallback repeats the content of its choice.
_SKIPPED = {f"{_W}txbxContent", f"{_MC}Fallback", f"{_W}footnoteReference", f"{_W}endnoteReference"}
# Wrappers (content controls, custom XML, tracked insertions) whose content stands in the flow.
_WRAPPERS = {f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_W}ins"}
_NS = {"w": _W[1:-1]}
_NAME = etree.XPath("string(w:name/@w:val)", namespaces=_NS)
_LEVEL = etree.XPath("string(w:pPr/w:outlineLvl/@w:val)", namespaces=_NS)
_BASED_ON = etree.XPath("string(w:basedOn/@w:val)", namespaces=_NS)
_STYLE_ID = etree.XPath("string(w:pPr/w:pStyle/@w:val)", namespaces=_NS)
_CONTENT_TYPE = re.compile(r"is not a Word file, content type is '([^']*)'")
_HEADING_STYLE = re.compile(r"^(?:heading\s*\d|title)$", re.IGNORECASE)

# Properties a generator writes, not a person: python-docx's template and common account names.
_TEMPLATE_CREATED = datetime.fromisoformat("2013-12-23T23:15:00+00:00")
_GENERATOR_AUTHORS = {
    "python-docx",
    "microsoft office user",
    "windows user",
    "user",
    "admin",
    "administrator",
}


def read_docx(path: Path, limits: Limits) -> Extracted:
    """A Word file's text, blocks and metadata; Unreadable when damaged, encrypted or without text."""
    check_zip(path, limits, "a Word file")
    document = _open(path)
    try:
        paras = list(_flow(document))
        properties = document.core_properties
        fallback = Header(
            title=_clean(properties.title),
            date=_day(properties.created),
            author=_person(properties.author),
        )
    except PARSE_ERRORS as error:
        raise Unreadable(damaged(error)) from error
    return assemble(paras, fallback)


def _open(path: Path) -> Any:
    """The python-docx document, or Unreadable with why it cannot be opened."""
    import docx
    from docx.opc.exceptions import OpcError

    try:
        return docx.Document(str(path))
    except ValueError as error:
        if found := _CONTENT_TYPE.search(str(error)):
            # python-docx refuses templates and macro-enabled files by their content type.
            raise Unreadable(f"unsupported: not a Word document (content type {found[1]})") from error
        raise Unreadable(damaged(error)) from error
    except (OpcError, *PARSE_ERRORS) as error:
        raise Unreadable(damaged(error)) from error


def _flow(document: Any) -> Iterator[Para]:
    """The body's paragraphs and table rows in document order."""
    styles = _Styles(document.styles.element)
    yield from _blocks(document.element.body, styles, itertools.count(1))


def _blocks(parent: Any, styles: _Styles, tables: Iterator[int]) -> Iterator[Para]:
    """Paragraphs and tables among `parent`'s children, wrappers opened."""
    for child in parent.iterchildren():
        if child.tag == _P:
            text = paragraph_text(child)
            if text:
                heading, title = styles.kind(child)
                yield Para(text, heading=heading or title, title=title)
        elif child.tag == _TBL:
            yield from _table(child, styles, tables)
        elif child.tag in _WRAPPERS:
            yield from _blocks(child, styles, tables)


def _table(table: Any, styles: _Styles, tables: Iterator[int]) -> Iterator[Para]:
    """A table's rows, one line each, cells joined with " | ".

    A row of one cell is a layout box, not data: its paragraphs stand in the flow as they are.
    """
    number = next(tables)
    for row in table.iterchildren(_TR):
        cells = list(row.iterchildren(_TC))
        if len(cells) == 1:
            yield from _blocks(cells[0], styles, tables)
            continue
        texts = [_cell_text(cell) for cell in cells]
        line = " | ".join(text for text in texts if text)
        if line:
            yield Para(line, table=number)


def _cell_text(cell: Any) -> str:
    """A cell's paragraphs (nested tables' too) on one line."""
    return " ".join(text for p in cell.iter(_P) if (text := paragraph_text(p)))


def paragraph_text(p: Any) -> str:
    """A w:p's visible text on one line: breaks and tabs as spaces, its own spacing kept."""
    return one_line("".join(_run_text(p)))


def _run_text(element: Any) -> Iterator[str]:
    for child in element.iterchildren():
        tag = child.tag
        if tag == _T:
            yield child.text or ""
        elif tag in _BREAKS:
            yield " "
        elif tag == f"{_W}noBreakHyphen":
            yield "-"
        elif tag not in _SKIPPED and tag != _P:
            yield from _run_text(child)


class _Styles:
    """Which paragraph styles make headings or titles: by name ("Heading 2", "Title") or outline level."""

    def __init__(self, styles_element: Any) -> None:
        own: dict[str, tuple[bool, bool]] = {}
        bases: dict[str, str] = {}
        self._default = (False, False)
        for style in styles_element.iterchildren(f"{_W}style"):
            if style.get(f"{_W}type") != "paragraph":
                continue
            style_id = style.get(f"{_W}styleId") or ""
            name = str(_NAME(style)).strip().lower()
            title = name == "title"
            own[style_id] = (title or bool(_HEADING_STYLE.match(name)) or _is_outline(_LEVEL(style)), title)
            if base := str(_BASED_ON(style)):
                bases[style_id] = base
            if style.get(f"{_W}default") in {"1", "true", "on"}:
                self._default = own[style_id]
        self._kinds = {style_id: _inherited(style_id, own, bases) for style_id in own}

    def kind(self, p: Any) -> tuple[bool, bool]:
        """Whether a paragraph is a heading, and whether it is the document's title."""
        style_id = str(_STYLE_ID(p))
        heading, title = self._kinds.get(style_id, self._default) if style_id else self._default
        if level := _LEVEL(p):
            heading = title or _is_outline(level)
        return heading, title


def _inherited(style_id: str, own: dict[str, tuple[bool, bool]], bases: dict[str, str]) -> tuple[bool, bool]:
    """A style's kind, else its bases' (a "Chapter" style based on "Heading 1" is a heading)."""
    seen: set[str] = set()
    current: str | None = style_id
    while current is not None and current in own and current not in seen:
        if any(own[current]):
            return own[current]
        seen.add(current)
        current = bases.get(current)
    return (False, False)


def _is_outline(level: object) -> bool:
    """An outline level of a heading: 0 to 8 (9 is body text)."""
    return str(level).isdigit() and int(str(level)) < 9


def _clean(value: str | None) -> str | None:
    text = " ".join((value or "").split())
    return text or None


def _person(value: str | None) -> str | None:
    name = _clean(value)
    return None if name is None or name.lower() in _GENERATOR_AUTHORS else name


def _day(value: datetime | None) -> str | None:
    """The day of a creation time, unless it is the one python-docx's blank template carries."""
    if not isinstance(value, datetime) or value == _TEMPLATE_CREATED:
        return None
    return value.date().isoformat()
