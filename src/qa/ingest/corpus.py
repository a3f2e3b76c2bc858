"""Reading the corpus folder: every file becomes a document or is named with the reason it is not indexed."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from qa.ingest.documents import SUFFIXES, Document, corpus_files, decoded
from qa.ingest.readers import Extracted, Limits, Unreadable, reader_for
from qa.ingest.readers.isolated import read_all
from qa.ingest.readers.store import ExtractionStore, file_digest

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Skipped:
    """A corpus file that is not indexed, and why."""

    source: str
    reason: str


@dataclass(frozen=True)
class Corpus:
    documents: list[Document]
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[Skipped] = field(default_factory=list)  # indexed, with something to say (pages left unread)
    fingerprint: str = ""  # `qa.ingest.documents.corpus_fingerprint` of the files read, from the same bytes


def _from_extracted(source: str, found: Extracted) -> Document:
    return Document(source, found.text, found.blocks, found.pages, found.title, found.date, found.author)


def _text_document(source: str, raw: bytes) -> Document:
    text = decoded(raw, source)
    if not text.strip():
        raise Unreadable("empty file")
    return Document(source, text)


def load_corpus(
    corpus_dir: Path,
    *,
    limits: Limits | None = None,
    store: ExtractionStore | None = None,
    workers: int = 1,
    progress: bool = False,
) -> Corpus:
    """Every file below `corpus_dir`: text and HTML decoded here, other formats read by their readers in child
    processes (`workers` at a time), each remembered in `store` by its bytes; what cannot be indexed is named."""
    limits = limits or Limits()
    store = store or ExtractionStore(None)
    found: dict[str, Document] = {}
    skipped: list[Skipped] = []
    notes: list[Skipped] = []
    waiting: list[tuple[str, Path, str]] = []
    # The corpus's fingerprint from the bytes read here, so that no file is read twice for it.
    fingerprint = hashlib.sha256()
    for source, path in corpus_files(corpus_dir, every=True):
        try:
            if path.suffix.lower() not in SUFFIXES:
                skipped.append(Skipped(source, f"unsupported file type {path.suffix or '(no suffix)'}"))
                continue
            text_file = reader_for(source) is None
            size = path.stat().st_size
            raw = path.read_bytes() if text_file and size <= limits.max_bytes else None
            digest = hashlib.sha256(raw).hexdigest() if raw is not None else file_digest(path)
            fingerprint.update(source.encode() + b"\0" + bytes.fromhex(digest))
            if text_file:
                limits.check_size(size)
                assert raw is not None  # read whenever it is within the limit
                found[source] = _text_document(source, raw)
            else:
                known = store.get(digest)
                if known is None:
                    waiting.append((source, path, digest))
                else:
                    found[source] = _from_extracted(source, known)
                    notes.extend(Skipped(source, note) for note in known.notes)
        except Unreadable as error:
            skipped.append(Skipped(source, str(error)))
        except OSError as error:
            skipped.append(Skipped(source, f"cannot be read ({error.strerror})"))
    with tqdm(desc="reading documents", unit="page", disable=not (progress and waiting)) as bar:
        for index, result in read_all(
            [p for _, p, _ in waiting], limits, workers=workers, on_pages=bar.update
        ):
            source, _, digest = waiting[index]
            if isinstance(result, Unreadable):
                skipped.append(Skipped(source, str(result)))
                continue
            store.put(digest, result)
            found[source] = _from_extracted(source, result)
            notes.extend(Skipped(source, note) for note in result.notes)
    for each in skipped:
        # Said once, by whoever runs the build: `qa build`'s summary, the server's log.
        log.debug("skipping %s: %s", each.source, each.reason)
    documents = [found[source] for source in sorted(found)]
    return Corpus(documents, sorted(skipped, key=lambda s: s.source), notes, fingerprint.hexdigest()[:16])


def read_corpus(corpus_dir: Path) -> list[Document]:
    """The corpus's documents, files that cannot be indexed left out (and logged)."""
    return load_corpus(corpus_dir).documents


def read_document(corpus_dir: Path, source: str, store: ExtractionStore | None = None) -> Document:
    """One indexed document as citations index it; Unreadable when it is not a readable document of the corpus."""
    root = corpus_dir.resolve()
    path = (root / source).resolve()
    if (
        not path.is_relative_to(root)
        or not path.is_file()
        or any(p.startswith(".") for p in Path(source).parts)
    ):
        raise Unreadable("not a document of the corpus")
    if reader_for(source) is None:
        if path.suffix.lower() not in SUFFIXES:
            raise Unreadable("not a document of the corpus")
        limits = Limits()
        limits.check_size(path.stat().st_size)
        return _text_document(source, path.read_bytes())
    store = store or ExtractionStore(None)
    digest = file_digest(path)
    known = store.get(digest)
    if known is None:
        _, result = next(read_all([path], Limits()))
        if isinstance(result, Unreadable):
            raise result
        store.put(digest, result)
        known = result
    return _from_extracted(source, known)
