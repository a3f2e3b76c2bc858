"""Build-time memory of cleaned pages: a page whose text, shared lines and cleaning code are unchanged is not
read or cleaned again."""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

import qa.ingest
from qa import cachefile
from qa.ingest.articles import CleanedPage, Paragraph
from qa.ingest.clean import line_key
from qa.ingest.documents import Document
from qa.types import Citation

log = logging.getLogger(__name__)

FORMAT = 1


@dataclass(frozen=True)
class _Cleaned:
    short: list[str]  # the page's lines that boilerplate counting looks at
    shared: str  # digest of the repeated lines the page held when it was cleaned
    paragraphs: list[Paragraph]


class PageMemory:
    """The cleaned paragraphs of every page of the previous build, by the page's source and text.

    A page's paragraphs depend on its own text, on which of its lines recur across the corpus (boilerplate),
    and on the cleaning code: the file is named by a digest of that code and of the boilerplate settings, and
    each page is kept with its short lines and the repeated ones among them. So a rebuild reads and cleans only
    pages that changed or whose repeated lines changed, and gets the same paragraphs as a full pass: the passes
    are `qa.ingest.articles.paragraphs`', this only tells them which pages they may skip.
    """

    def __init__(self, path: Path, pages: dict[str, _Cleaned]) -> None:
        self.path = path
        self._pages = pages
        self._next: dict[str, _Cleaned] = {}
        self.reused = 0  # pages whose paragraphs came from memory in the last call

    @classmethod
    def open(cls, folder: Path, max_words: int, min_docs: int) -> PageMemory:
        """The memory for this cleaning code and these settings; empty when there is none or it cannot be read."""
        tag = hashlib.sha256(f"{_code_digest()} {max_words} {min_docs}".encode()).hexdigest()[:12]
        path = folder / f"pages-{tag}.npz"
        data = cachefile.read(path, ("json",), version=FORMAT)
        if data is None:
            return cls(path, {})
        try:
            stored = json.loads(data["json"].tobytes())
            pages = {key: _decode(value) for key, value in stored.items()}
        except (ValueError, KeyError, TypeError) as error:
            log.warning("ignoring the damaged page memory %s (%s)", path, error)
            return cls(path, {})
        return cls(path, pages)

    def remembered_short(self, document: Document) -> list[str] | None:
        found = self._pages.get(_document_key(document))
        return None if found is None else found.short

    def remembered_paragraphs(
        self, document: Document, short: list[str], boilerplate: set[str]
    ) -> list[Paragraph] | None:
        # A page is cleaned anew when a line of it became, or stopped being, a repeated one.
        found = self._pages.get(_document_key(document))
        return None if found is None or found.shared != _shared(short, boilerplate) else found.paragraphs

    def keep(self, pages: list[CleanedPage], boilerplate: set[str]) -> None:
        self._next = {
            _document_key(p.document): _Cleaned(p.short, _shared(p.short, boilerplate), p.paragraphs)
            for p in pages
        }
        self.reused = sum(not p.again for p in pages)

    def save(self) -> None:
        """Keep the pages of this build only, written to a temporary file and renamed over the old one."""
        encoded = json.dumps({key: _encode(value) for key, value in self._next.items()}).encode()
        cachefile.write(self.path, version=FORMAT, json=np.frombuffer(encoded, dtype=np.uint8))


def _shared(short: list[str], boilerplate: set[str]) -> str:
    """A digest of the page's lines that recur across the corpus."""
    return _digest(sorted(boilerplate.intersection(map(line_key, short))))


def _document_key(document: Document) -> str:
    # A reader's document is also its blocks and the metadata it found: the same text can be cut otherwise.
    extracted = (
        []
        if document.blocks is None
        else [
            repr([(b.start, b.end, b.heading) for b in document.blocks]),
            repr((document.title, document.date, document.author)),
        ]
    )
    return _digest([document.source, document.text, *extracted])


def _digest(parts: list[str]) -> str:
    return hashlib.blake2b("\0".join(parts).encode(), digest_size=16).hexdigest()


@cache
def _code_digest() -> str:
    """The cleaning code itself: another version of any ingest module (or the text primitives) cleans anew."""
    package = Path(qa.ingest.__file__).parent
    files = [*sorted(package.glob("*.py")), package.parent / "text.py", package.parent / "types.py"]
    return hashlib.sha256(b"".join(path.read_bytes() for path in files)).hexdigest()


def _encode(cleaned: _Cleaned) -> dict:
    return {
        "short": cleaned.short,
        "shared": cleaned.shared,
        "paragraphs": [[p.text, *_citation_fields(p.citation)] for p in cleaned.paragraphs],
    }


def _citation_fields(c: Citation) -> list:
    return [c.source, c.line_start, c.line_end, c.char_start, c.char_end, c.title, c.date, c.author]


def _decode(value: dict) -> _Cleaned:
    paragraphs = [Paragraph(text, Citation(*fields)) for text, *fields in value["paragraphs"]]
    return _Cleaned(list(value["short"]), str(value["shared"]), paragraphs)
