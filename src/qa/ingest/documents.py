"""The corpus folder: which files are documents, their text (decoded, or extracted by a reader), and a fingerprint."""

from __future__ import annotations

import codecs
import hashlib
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes
from charset_normalizer.md import mess_ratio

from qa.ingest.readers import READERS, Block, Unreadable

log = logging.getLogger(__name__)

TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
HTML_SUFFIXES = (".html", ".htm")
# Every suffix a build indexes: text and HTML decoded here, the rest read by `qa.ingest.readers`.
SUFFIXES = (*TEXT_SUFFIXES, *READERS)

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: its BOM starts with that one
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# <meta charset="..."> or <meta http-equiv="Content-Type" content="text/html; charset=...">,
# looked for where browsers look: the first few KB.
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([a-zA-Z0-9_.:-]+)", re.IGNORECASE)
_SNIFF_BYTES = 4096
# charset-normalizer's chaos (mess) ratio a text file's guess must stay under to be trusted.
_MAX_CHAOS = 0.1
# A UTF-16/32 byte-order mark is two or four bytes binary data can start with: the text must read cleanly.
_MAX_BOM_CHAOS = 0.05


@dataclass(frozen=True)
class Document:
    """A corpus file's text as citations index it, and its path relative to the corpus folder (`/` separators).

    A text or HTML file is its decoded text (`blocks` None: its lines or markup are read by ingest). A document a
    reader extracted (PDF, Word, ...) brings its paragraphs as `blocks`, where each page starts (`pages`), and the
    title, date and author it shows.
    """

    source: str
    text: str
    blocks: tuple[Block, ...] | None = None
    pages: tuple[int, ...] = ()
    title: str | None = None
    date: str | None = None
    author: str | None = None


def corpus_files(corpus_dir: Path, *, every: bool = False) -> Iterator[tuple[str, Path]]:
    """(source, path) of every document below `corpus_dir`, sorted; hidden files and folders are not documents.

    With `every`, files of types no build reads are listed too (a build names them as skipped).
    """
    for path in sorted(p for p in corpus_dir.rglob("*") if p.is_file()):
        relative = path.relative_to(corpus_dir)
        if any(part.startswith(".") for part in relative.parts):
            continue
        if every or path.suffix.lower() in SUFFIXES:
            yield relative.as_posix(), path


def decode(data: bytes | Path, source: str) -> str | None:
    """A text or HTML document's text as ingest reads it (citation offsets index this string); None if undecodable.

    An undecodable file is logged, naming `source`; `decoded` says why instead.
    """
    try:
        return decoded(data, source)
    except Unreadable as error:
        log.warning("skipping %s: %s", source, error)
        return None


def decoded(data: bytes | Path, source: str) -> str:
    """A text or HTML document's text; Unreadable with the reason when it is not text in a known encoding.

    A byte-order mark wins. Bytes that are valid UTF-8 are UTF-8: a saved page is often re-encoded while its
    <meta charset> still names the site's legacy encoding, and legacy text with accents is almost never valid
    UTF-8 by chance. An HTML page that is not is then decoded as its <meta charset> (or http-equiv
    Content-Type) declares, else as charset-normalizer guesses.
    A text file is UTF-8, or what charset-normalizer detects when it is confident. The BOM
    is never part of the text.
    """
    raw = data.read_bytes() if isinstance(data, Path) else data
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            text = _decoded(raw[len(bom) :], encoding, strict=True)
            # Two bytes FF FE also start binary junk: UTF-16 that reads as a jumble is not text.
            if encoding != "utf-8" and mess_ratio(text) > _MAX_BOM_CHAOS:
                raise Unreadable(f"starts with a {encoding} byte-order mark but is not text")
            return text
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        reason = error.reason
    if source.lower().endswith(HTML_SUFFIXES):
        declared = _declared_charset(raw[:_SNIFF_BYTES])
        if declared is not None and declared != "utf-8":
            try:
                return _decoded(raw, declared, strict=False)
            except Unreadable:
                pass
    guess = _guess(raw)
    if guess is not None:
        return _decoded(raw, guess, strict=True)
    raise Unreadable(f"not valid UTF-8 ({reason}) and no confident guess of its encoding")


def _guess(raw: bytes) -> str | None:
    """charset-normalizer's encoding when it is confident: little mess, and no equally good guess reading otherwise.

    Where equally good guesses disagree (cp1250 or cp1252 for "très") windows-1252, the
    legacy encoding browsers fall back to, is taken if it is one of them.
    """
    matches = list(from_bytes(raw))
    if not matches or matches[0].chaos > _MAX_CHAOS:
        return None
    best = matches[0]
    ties = [m for m in matches if (m.chaos, m.coherence) == (best.chaos, best.coherence)]
    if all(str(m) == str(best) for m in ties):
        return best.encoding
    return next((m.encoding for m in ties if m.encoding == "cp1252"), None)


def _declared_charset(head: bytes) -> str | None:
    match = _META_CHARSET.search(head)
    if match is None:
        return None
    try:
        name = codecs.lookup(match.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None
    # As browsers do (WHATWG): a page declaring Latin-1 or ASCII is windows-1252, and a page
    # declaring UTF-16 could not be read as ASCII to find that declaration: it is UTF-8.
    # A page declaring UTF-8 that is not valid UTF-8 is mislabelled: detection decides.
    if name in ("latin-1", "iso8859-1", "ascii"):
        return "cp1252"
    return "utf-8" if name.startswith("utf-16") else name


def _decoded(raw: bytes, encoding: str, *, strict: bool) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as error:
        if not strict:
            # A page mostly in its declared encoding, with a few stray bytes: as a browser shows it.
            return raw.decode(encoding, errors="replace")
        raise Unreadable(f"not valid {encoding} ({error.reason})") from error
    except LookupError as error:
        raise Unreadable(f"unknown encoding {encoding}") from error


def corpus_fingerprint(corpus_dir: Path) -> str:
    """Hash of every document's path and bytes: any change to what a build reads changes it."""
    digest = hashlib.sha256()
    for source, path in corpus_files(corpus_dir):
        digest.update(source.encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]
