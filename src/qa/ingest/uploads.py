"""Changing the corpus folder safely: normalised names confined to it, checked uploads, atomic writes."""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from qa.ingest.documents import SUFFIXES, TEXT_SUFFIXES
from qa.ingest.readers import Limits, Unreadable
from qa.ingest.readers.store import ExtractionStore, file_digest

MAX_NAME_CHARS = 255
MAX_DEPTH = 8
# Letters and digits of any script, and a few separators; nothing a shell or a URL would trip on.
_PART = re.compile(r"[\w][\w .,()+=@~-]*", re.UNICODE)


class DocumentProblem(ValueError):
    """A name or an upload that is refused; nothing in the corpus has changed."""


class DocumentMissing(DocumentProblem):
    """No such document in the corpus."""


@dataclass(frozen=True)
class Saved:
    source: str
    bytes: int
    replaced: bool


def normalise(name: str) -> str:
    """The corpus-relative source for a client's name: NFC, `/` separators, no `..`, hidden or odd parts.

    Citations name sources this way, so a document uploaded as `news\\a.txt` is deleted as `news/a.txt`.
    """
    name = unicodedata.normalize("NFC", name).replace("\\", "/").strip().strip("/")
    parts = [part.strip() for part in name.split("/") if part.strip()]
    if not parts:
        raise DocumentProblem("the document name is empty")
    if len(parts) > MAX_DEPTH:
        raise DocumentProblem(f"the document name has more than {MAX_DEPTH} folders")
    for part in parts:
        if part in (".", ".."):
            raise DocumentProblem(f"the document name {name!r} leaves the corpus folder: use a plain name")
        if len(part.encode("utf-8", "surrogatepass")) > MAX_NAME_CHARS or not _PART.fullmatch(part):
            raise DocumentProblem(
                f"the document name part {part!r} is not allowed: use letters, digits, spaces and . _ - ( ),"
                " starting with a letter or digit"
            )
    if not parts[-1].lower().endswith(SUFFIXES):
        raise DocumentProblem(f"the document name {name!r} must end in one of {', '.join(SUFFIXES)}")
    return "/".join(parts)


def locate(corpus_dir: Path, source: str) -> Path:
    """The file for a normalised source, refusing any that resolves outside the corpus (e.g. by a symlink)."""
    root = corpus_dir.resolve()
    path = root / source
    if not path.parent.resolve().is_relative_to(root) or (
        path.is_symlink() and not path.resolve().is_relative_to(root)
    ):
        raise DocumentProblem(f"the document {source!r} is outside the corpus folder")
    return path


def check_text(content: bytes) -> None:
    """A text or HTML upload must be what ingest can read: UTF-8 text, not empty, not binary."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DocumentProblem(
            f"the document is not UTF-8 text ({error.reason} at byte {error.start})"
        ) from error
    if "\x00" in text:
        raise DocumentProblem("the document holds NUL bytes: it looks binary, not text")
    if not text.strip():
        raise DocumentProblem("the document is empty")


def check_document(
    source: str,
    content: bytes,
    *,
    limit: int,
    limits: Limits | None = None,
    store: ExtractionStore | None = None,
) -> None:
    """Uploads must be what a build can index. Text and HTML: UTF-8 text (`check_text`). Other formats (PDF,
    Word, ...) are read for real, in a child process with the build's time and memory limits: a file the
    build would skip (encrypted, damaged, no text) is refused with the reason. What was read is remembered in
    `store`, so the next build does not read it again."""
    if len(content) > limit:
        raise DocumentProblem(f"the document is larger than {limit / (1 << 20):g} MiB")
    if source.lower().endswith(TEXT_SUFFIXES):
        check_text(content)
        return
    if not content:
        raise DocumentProblem("the document is empty")
    # Imported here: the readers' machinery (child processes) is for uploads of binary formats only.
    from qa.ingest.readers.isolated import read_all

    with tempfile.TemporaryDirectory(prefix="qa-upload-") as folder:
        # The reader is chosen by the name's suffix: the temporary file keeps it.
        path = Path(folder) / f"upload{Path(source).suffix.lower()}"
        path.write_bytes(content)
        # Read to the end, so that the child process is stopped before the folder goes.
        ((_, result),) = list(read_all([path], limits or Limits()))
        if isinstance(result, Unreadable):
            raise DocumentProblem(f"the document cannot be indexed: {result}")
        if store is not None:
            store.put(file_digest(path), result)


def save(
    corpus_dir: Path,
    name: str,
    content: bytes,
    *,
    limit: int,
    limits: Limits | None = None,
    store: ExtractionStore | None = None,
) -> Saved:
    """Write an uploaded document under its normalised name, atomically; on any refusal nothing changes.

    `limits` bound the reading of a PDF, Word, ... upload (see `check_document`); `store` remembers it.
    """
    source = normalise(name)
    check_document(source, content, limit=limit, limits=limits, store=store)
    if not corpus_dir.is_dir():
        raise DocumentProblem(f"the corpus folder {corpus_dir} does not exist")
    path = locate(corpus_dir, source)
    if path.exists() and not path.is_file():
        raise DocumentProblem(f"{source!r} is a folder in the corpus, not a document")
    path.parent.mkdir(parents=True, exist_ok=True)
    # A hidden temporary file with a suffix ingest ignores: a build running now never sees it half-written.
    handle, temporary = tempfile.mkstemp(prefix=".upload-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        replaced = path.exists()
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return Saved(source, len(content), replaced)


def delete(corpus_dir: Path, name: str) -> str:
    """Remove one document by its source name; returns the normalised name."""
    source = normalise(name)
    path = locate(corpus_dir, source)
    if not path.is_file() and not path.is_symlink():
        raise DocumentMissing(f"no document {source!r} in the corpus")
    path.unlink()
    return source
