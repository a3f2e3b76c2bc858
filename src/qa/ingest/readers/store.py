"""Extracted documents remembered by their bytes and the readers' code: a PDF is read, and OCR'd, once."""

from __future__ import annotations

import hashlib
import logging
import os
from functools import cache
from pathlib import Path

import orjson

import qa.ingest.readers
from qa.ingest.readers import Block, Extracted

log = logging.getLogger(__name__)


@cache
def _code_digest() -> str:
    """The readers themselves: another version of any of them reads every document anew."""
    folder = Path(qa.ingest.readers.__file__).parent
    return hashlib.sha256(b"".join(p.read_bytes() for p in sorted(folder.glob("*.py")))).hexdigest()[:16]


def file_digest(path: Path) -> str:
    """The file's content digest, read in chunks (a large PDF is never held whole for this)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def in_cache(cache_dir: Path) -> ExtractionStore:
    """The store a build keeps in its cache folder (`index/cache/documents`), which the server reads too."""
    return ExtractionStore(cache_dir / "documents")


class ExtractionStore:
    """A folder of extracted documents, one JSON file per file content; None as folder remembers nothing."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.used: set[str] = set()

    def _path(self, digest: str) -> Path | None:
        return self.folder / f"{digest[:32]}-{_code_digest()}.json" if self.folder else None

    def get(self, digest: str) -> Extracted | None:
        path = self._path(digest)
        if path is None or not path.is_file():
            return None
        try:
            found = orjson.loads(path.read_bytes())
            extracted = Extracted(
                text=found["text"],
                blocks=tuple(Block(*b) for b in found["blocks"]),
                pages=tuple(found["pages"]),
                title=found["title"],
                date=found["date"],
                author=found["author"],
                notes=tuple(found["notes"]),
            )
        except (OSError, ValueError, KeyError, TypeError) as error:
            log.warning("ignoring the damaged extraction %s (%s); the document is read again", path, error)
            return None
        self.used.add(path.name)
        return extracted

    def put(self, digest: str, extracted: Extracted) -> None:
        """Written to a temporary file and renamed: a reader never sees half of one. A failed write costs time only."""
        path = self._path(digest)
        if path is None:
            return
        encoded = orjson.dumps(
            {
                "text": extracted.text,
                "blocks": [[b.start, b.end, b.heading] for b in extracted.blocks],
                "pages": list(extracted.pages),
                "title": extracted.title,
                "date": extracted.date,
                "author": extracted.author,
                "notes": list(extracted.notes),
            }
        )
        staging = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            staging.write_bytes(encoded)
            os.replace(staging, path)
        except OSError as error:
            staging.unlink(missing_ok=True)
            log.warning("could not remember the extraction of a document (%s)", error)
            return
        self.used.add(path.name)

    def prune(self) -> None:
        """Forget the extractions this build did not use (deleted or changed files, older readers)."""
        if self.folder is None or not self.folder.is_dir():
            return
        for path in self.folder.glob("*.json"):
            if path.name not in self.used:
                path.unlink(missing_ok=True)
