"""The corpus folder: which files are documents, their decoded text, and a fingerprint of them all."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")


@dataclass(frozen=True)
class Document:
    """A corpus file's decoded text and its path relative to the corpus folder, with `/` separators."""

    source: str
    text: str


def corpus_files(corpus_dir: Path) -> Iterator[tuple[str, Path]]:
    """(source, path) of every document below `corpus_dir`, sorted; hidden files and folders are not documents."""
    for path in sorted(p for p in corpus_dir.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES):
        relative = path.relative_to(corpus_dir)
        if not any(part.startswith(".") for part in relative.parts):
            yield relative.as_posix(), path


def read_corpus(corpus_dir: Path) -> list[Document]:
    """Every .txt, .md and .html file below `corpus_dir`; unreadable or empty files are skipped with a warning."""
    documents = []
    for source, path in corpus_files(corpus_dir):
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError as error:
            log.warning("skipping %s: not valid UTF-8 (%s)", source, error.reason)
            continue
        except OSError as error:
            log.warning("skipping %s: %s", source, error.strerror)
            continue
        if not text.strip():
            log.warning("skipping %s: empty file", source)
            continue
        documents.append(Document(source, text.removeprefix("\ufeff")))
    return documents


def corpus_fingerprint(corpus_dir: Path) -> str:
    """Hash of every document's path and bytes: any change to what a build reads changes it."""
    digest = hashlib.sha256()
    for source, path in corpus_files(corpus_dir):
        digest.update(source.encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]
