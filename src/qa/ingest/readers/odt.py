"""OpenDocument text (.odt): paragraphs, headings, lists and table rows in document order, with their metadata."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from odf.namespaces import DCNS, DRAWNS, METANS, OFFICENS, STYLENS, TABLENS, TEXTNS

from qa.ingest.readers import Extracted, Limits, Unreadable
from qa.ingest.readers.paragraphs import Header, Para, assemble, one_line
from qa.ingest.readers.zipped import PARSE_ERRORS, check_zip, damaged

_TEXT_MIMETYPE = "application/vnd.oasis.opendocument.text"
_P, _H = (TEXTNS, "p"), (TEXTNS, "h")
_TABLE, _ROW, _CELL = (TABLENS, "table"), (TABLENS, "table-row"), (TABLENS, "table-cell")
# Containers whose content stands in the flow: lists, sections, a table's row groups.
_CONTAINERS = {
    (TEXTNS, "list"),
    (TEXTNS, "list-item"),
    (TEXTNS, "list-header"),
    (TEXTNS, "section"),
    (TABLENS, "table-header-rows"),
    (TABLENS, "table-rows"),
    (TABLENS, "table-row-group"),
}
# Inside a paragraph: notes, comments and frames are not its text; ruby annotations gloss it.
_NOT_TEXT = {(TEXTNS, "note"), (OFFICENS, "annotation"), (TEXTNS, "ruby-text"), (DRAWNS, "frame")}
# Spaces ODF states (text:s, text:tab, text:line-break) survive the collapse of the XML's own whitespace.
_KEPT_SPACE = "\x00"
_XML_SPACE = re.compile(r"[ \t\r\n]+")
_HEADING_STYLE = re.compile(r"^heading(?:_20_|\s)?\d*$", re.IGNORECASE)
_DAY = re.compile(r"^\d{4}-\d\d-\d\d")
_TEXT_NODE = 3


def read_odt(path: Path, limits: Limits) -> Extracted:
    """An OpenDocument text's text, blocks and metadata; Unreadable when damaged, not text, or empty."""
    check_zip(path, limits, "an OpenDocument file")
    from odf.opendocument import load

    try:
        document = load(str(path))
    except PARSE_ERRORS as error:
        raise Unreadable(damaged(error)) from error
    mimetype = str(getattr(document, "mimetype", "") or "")
    if not mimetype.startswith(_TEXT_MIMETYPE):
        raise Unreadable(f"unsupported: not an OpenDocument text ({mimetype or 'no mimetype'})")
    try:
        paras = list(_flow(document))
        fallback = _properties(document)
    except PARSE_ERRORS as error:
        raise Unreadable(damaged(error)) from error
    return assemble(paras, fallback)


def _flow(document: Any) -> Iterator[Para]:
    """The body's paragraphs, headings and table rows in document order."""
    text = getattr(document, "text", None)
    if text is not None:
        yield from _blocks(text, _Styles(document), itertools.count(1))


def _elements(element: Any) -> Iterator[Any]:
    return (node for node in element.childNodes if node.nodeType != _TEXT_NODE)


def _blocks(parent: Any, styles: _Styles, tables: Iterator[int]) -> Iterator[Para]:
    """Paragraphs, headings and table rows among `parent`'s children, containers opened."""
    for node in _elements(parent):
        if node.qname in (_P, _H):
            text = paragraph_text(node)
            if text:
                heading, title = styles.kind(node.getAttrNS(TEXTNS, "style-name"))
                yield Para(text, heading=heading or title or node.qname == _H, title=title)
        elif node.qname == _TABLE:
            yield from _table(node, styles, tables)
        elif node.qname in _CONTAINERS:
            yield from _blocks(node, styles, tables)


def _table(table: Any, styles: _Styles, tables: Iterator[int]) -> Iterator[Para]:
    """A table's rows, one line each, cells joined with " | "; a row of one cell is a layout box."""
    number = next(tables)
    for row in _rows(table):
        cells = [node for node in _elements(row) if node.qname == _CELL]
        if len(cells) == 1:
            yield from _blocks(cells[0], styles, tables)
            continue
        line = " | ".join(text for cell in cells if (text := _cell_text(cell)))
        if line:
            yield Para(line, table=number)


def _rows(element: Any) -> Iterator[Any]:
    for node in _elements(element):
        if node.qname == _ROW:
            yield node
        elif node.qname in _CONTAINERS:
            yield from _rows(node)


def _cell_text(cell: Any) -> str:
    """A cell's paragraphs (nested tables' too) on one line."""
    texts: list[str] = []
    for node in _elements(cell):
        if node.qname in (_P, _H):
            texts.append(paragraph_text(node))
        else:
            texts.append(_cell_text(node))
    return " ".join(text for text in texts if text)


def paragraph_text(paragraph: Any) -> str:
    """A text:p's or text:h's text on one line, as ODF shows it."""
    raw = _XML_SPACE.sub(" ", "".join(_spans(paragraph)))
    return one_line(raw.replace(_KEPT_SPACE, " "))


def _spans(element: Any) -> Iterator[str]:
    for node in element.childNodes:
        if node.nodeType == _TEXT_NODE:
            yield str(node.data)
        elif node.qname == (TEXTNS, "s"):
            yield _KEPT_SPACE * _count(node.getAttrNS(TEXTNS, "c"))
        elif node.qname in {(TEXTNS, "tab"), (TEXTNS, "line-break")}:
            yield _KEPT_SPACE
        elif node.qname not in _NOT_TEXT:
            yield from _spans(node)


def _count(value: Any) -> int:
    text = str(value or "1")
    return min(int(text), 1000) if text.isdigit() else 1


class _Styles:
    """Which paragraph styles make headings or titles, their parents' included."""

    def __init__(self, document: Any) -> None:
        self._parents: dict[str, str] = {}
        self._names: dict[str, set[str]] = {}
        self._outlined: set[str] = set()
        for container in (document.styles, document.automaticstyles):
            for style in _elements(container):
                if style.qname == (STYLENS, "style"):
                    self._add(style)

    def _add(self, style: Any) -> None:
        name = str(style.getAttrNS(STYLENS, "name") or "")
        shown = str(style.getAttrNS(STYLENS, "display-name") or "")
        self._names[name] = {name.lower(), shown.lower()}
        if parent := style.getAttrNS(STYLENS, "parent-style-name"):
            self._parents[name] = str(parent)
        if style.getAttrNS(STYLENS, "default-outline-level"):
            self._outlined.add(name)

    def kind(self, style_name: Any) -> tuple[bool, bool]:
        """Whether a paragraph of this style is a heading, and whether it is the document's title."""
        name = str(style_name or "")
        for _ in range(20):  # parent chains are short; a cycle must not hang the reader
            names = self._names.get(name, set())
            if "title" in names:
                return True, True
            if name in self._outlined or any(_HEADING_STYLE.match(each) for each in names if each):
                return True, False
            if name not in self._parents:
                break
            name = self._parents[name]
        return False, False


def _properties(document: Any) -> Header:
    """Title, creation day and author from meta.xml; the initial creator wrote it, dc:creator last saved it."""
    values: dict[tuple[str, str], str] = {}
    for node in _elements(document.meta):
        values.setdefault(node.qname, " ".join("".join(_spans(node)).split()))
    created = values.get((METANS, "creation-date"), "")
    return Header(
        title=values.get((DCNS, "title")) or None,
        date=created[:10] if _DAY.match(created) else None,
        author=values.get((METANS, "initial-creator")) or values.get((DCNS, "creator")) or None,
    )
