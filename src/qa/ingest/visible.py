"""A page's visible text as lines, roughly as a browser's innerText gives it: a line break around every block."""

from __future__ import annotations

import re
from typing import Any

import lxml.html
from lxml import etree

# Elements rendered on lines of their own, and elements a reader never sees.
_BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "fieldset", "figcaption",
        "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav",
        "ol", "p", "pre", "section", "table", "tr", "ul", "br", "td", "th",
    }
)  # fmt: skip
_HIDDEN_TAGS = frozenset(
    {"head", "script", "style", "noscript", "template", "svg", "iframe", "select", "textarea", "title"}
)


def visible_lines(page: str) -> list[str]:
    """The non-empty lines of visible text of an HTML page or fragment, whitespace collapsed."""
    try:
        root = lxml.html.document_fromstring(re.sub(r"^\s*<\?xml[^>]*>", "", page))
    except (ValueError, etree.ParserError):
        return []
    parts: list[str] = []

    def walk(element: Any) -> None:
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        hidden = "display:none" in (element.get("style") or "").replace(" ", "")
        if not tag or tag in _HIDDEN_TAGS or hidden:
            parts.append(element.tail or "")
            return
        parts.append("\n" if tag in _BLOCK_TAGS else "")
        parts.append(("- " if tag == "li" else "") + (element.text or ""))
        for child in element:
            walk(child)
        parts.append(("\n" if tag in _BLOCK_TAGS else "") + (element.tail or ""))

    body = root.find("body")
    walk(body if body is not None else root)
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return [line for line in lines if line]
